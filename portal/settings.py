"""Portal settings: the policy (warehouse.rules.policy) and the portal's own choices on top of it."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from warehouse.rules.policy import APPEAL_LIMIT_DEFAULTS, Policy, env_overrides, setting

__all__ = ["APPEAL_LIMIT_DEFAULTS", "PortalSettings", "load_portal_settings", "parse_appeal_limits"]


@dataclass(frozen=True)
class PortalSettings(Policy):
    """Every policy setting (inherited, one home in warehouse/rules/policy.py) and the portal's own:
    alert thresholds, analysis choices, caches and row caps. Those naming a variable can be
    overridden by the environment."""

    pending_hours_a: int = setting(12, "检测结果待出超过（小时）：一级提示", "EPI_PENDING_HOURS_A")
    pending_hours_b: int = setting(24, "检测结果待出超过（小时）：二级提示", "EPI_PENDING_HOURS_B")
    appeal_limits_error: str = ""  # why EPI_APPEAL_LIMITS could not be used (the defaults apply)
    appeal_rising_days: int = setting(7, "诉求上升：与此前多少天的日均比较")
    appeal_rising_ratio: float = setting(1.5, "诉求上升：超过日均的倍数")
    appeal_rising_min: int = setting(3, "诉求上升：当日至少件数")
    hotel_occupancy_warn_pct: int = setting(90, "隔离酒店入住率预警线（%）", "EPI_HOTEL_OCCUPANCY_WARN_PCT")
    trend_start: dt.date = setting(dt.date(2022, 2, 10), "趋势图起始日")
    # tracing
    stop_minutes: int = setting(30, "停留点：至少停留（分钟）")
    max_dwell_minutes: int = setting(120, "轨迹点代表停留的最长时间（分钟）")
    map_case_cap: int = setting(50, "一张地图最多显示病例数")
    companion_case_cap: int = setting(20, "一次时空伴随查询最多病例数")
    companion_row_cap: int = setting(200_000, "时空伴随最多列出对数（重叠最长者优先）")
    cache_ttl_s: int = setting(60, "查询结果缓存（秒）", "EPI_CACHE_TTL_S")
    view_cache: int = setting(1, "页面图表、地图与表格由各会话共享（1 开，0 关）", "EPI_VIEW_CACHE")
    warm_up: int = setting(1, "进程启动后预先计算全市指挥总览（1 开，0 关）", "EPI_WARM_UP")
    page_turns: int = setting(2, "同时运行的页面脚本数（其余排队；查询数据仓库时让出）", "EPI_PAGE_TURNS")
    feed_stale_hours: int = setting(24, "数据源超过此小时数无新批次即为停更", "EPI_FEED_STALE_HOURS")
    # mass testing: marks by site leads, dispatch and forecast
    max_wait_minutes: int = setting(480, "排队标记上限（分钟，更长视为录入错误）")
    mark_fresh_minutes: int = setting(120, "采样点负责人标记的有效时长（分钟）")
    duplicate_window_s: int = setting(60, "同一人同一标记在此秒数内视为重复提交")
    live_refresh_s: int = setting(2, "指挥视图刷新间隔（秒）", "EPI_LIVE_REFRESH_S")
    dispatch_radius_m: int = setting(2000, "可分流的邻近采样点距离（米）")
    dispatch_alternatives: int = setting(3, "每个拥堵采样点建议的分流点数")
    forecast_history_days: int = setting(3, "预测：取同类日同时段的天数")
    forecast_lookback_days: int = setting(28, "预测：向前查找的天数")
    forecast_hours: int = setting(3, "预测：向后预测的小时数")
    backtest_days: int = setting(7, "预测回测天数")
    forecast_row_cap: int = setting(5_000_000, "预测读取的采样点小时数上限")
    # outlook (疫情研判): Rt by Cori et al. (2013), the 7-day projection and its record
    rt_window_days: int = setting(7, "Rt 滑动窗口（天）")
    rt_prior_mean: float = setting(5.0, "Rt 先验（伽马分布）均值")
    rt_prior_sd: float = setting(5.0, "Rt 先验（伽马分布）标准差")
    rt_max_cv: float = setting(0.3, "Rt 仅在后验变异系数不超过此值时报告")
    projection_days: int = setting(7, "病例预测天数")
    projection_fit_days: int = setting(7, "病例预测：拟合最近天数")
    projection_min_cases: int = setting(5, "病例预测：拟合窗口内至少病例数")
    projection_backtest_days: int = setting(14, "病例预测回测天数")
    rt_alert_lower_bound: float = setting(1.0, "Rt 预警：95% 可信区间下限超过此值")
    rt_alert_history_days: int = setting(120, "Rt 预警：估计时读取的病例天数")
    adhoc_preview_rows: int = setting(500, "自助查询预览行数", "EPI_ADHOC_PREVIEW_ROWS")
    adhoc_export_rows: int = setting(100_000, "自助查询单次导出行数上限", "EPI_ADHOC_EXPORT_ROWS")
    # alert centre (portal/alerts): an alert nobody acknowledged is raised one level per period
    alert_escalate_minutes: int = setting(60, "预警未确认即升级一级的时限（分钟）", "EPI_ALERT_ESCALATE_MINUTES")
    # a page uses a check (e.g. the scheduled job's) of the same data made up to this many minutes before
    alert_check_fresh_minutes: int = setting(10, "页面沿用已有预警检查的时限（分钟）", "EPI_ALERT_CHECK_FRESH_MINUTES")
    # 指挥大屏 (pages/big_screen.py): how often the wall display re-reads its figures, and how long each panel shows
    screen_refresh_s: int = setting(60, "指挥大屏刷新间隔（秒）", "EPI_SCREEN_REFRESH_SECONDS")
    screen_rotate_s: int = setting(20, "指挥大屏每个版面的轮播时长（秒）", "EPI_SCREEN_ROTATE_SECONDS")


def parse_appeal_limits(raw: str) -> dict[str, int]:
    """"consultation=2,help=5" → the defaults with those types changed; ValueError with a
    Chinese sentence when an item is not `type=whole number of working days (1–60)`."""
    limits = dict(APPEAL_LIMIT_DEFAULTS)
    for item in raw.split(","):
        key, sep, days = (part.strip() for part in item.partition("="))
        if not sep or key not in limits:
            raise ValueError(f"EPI_APPEAL_LIMITS 中的“{item.strip()}”无法识别：应写成“类型=工作日数”，"
                             f"类型为 {'、'.join(limits)} 之一，例如 consultation=2,help=5。")
        if not days.isdigit() or not 1 <= int(days) <= 60:
            raise ValueError(f"EPI_APPEAL_LIMITS 中 {key} 的时限“{days}”无效：应为 1 至 60 的整数（工作日）。")
        limits[key] = int(days)
    return limits


def load_portal_settings() -> PortalSettings:
    """The settings in force: defaults with the environment's overrides."""
    limits, error = dict(APPEAL_LIMIT_DEFAULTS), ""
    if raw := os.environ.get("EPI_APPEAL_LIMITS", "").strip():
        try:
            limits = parse_appeal_limits(raw)
        except ValueError as exc:
            error = str(exc)
    return PortalSettings(**env_overrides(PortalSettings), appeal_limit_days=limits, appeal_limits_error=error)
