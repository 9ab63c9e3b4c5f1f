"""The epidemic-control policy every layer applies: one named setting per rule (DOMAIN.md defaults).

Pages, query parameters, the seed and the tests all read these numbers from here, so a rule has
one home. Each setting carries its Chinese label and, where the environment may change it, the
name of its variable (listed with the others in warehouse.settings.ENVIRONMENT).

`Policy()` is the protocol as written (9th edition, June 2022, and the practices DOMAIN.md names);
the seed always follows it, so a seed does not change with the environment. `load_policy()` is
what the portal applies: the same, with the environment's overrides.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any

APPEAL_LIMIT_DEFAULTS = {"consultation": 2, "help": 5, "complaint": 5, "report": 5, "suggestion": 10}
TURNAROUND_TARGET_DEFAULTS = {"resample": 6, "quarantine": 12, "mass": 24, "routine": 24}


def setting(default: Any, label: str, env: str | None = None) -> Any:
    """A dataclass field with its Chinese label and, if it may be overridden, its variable."""
    meta = {"label": label, "env": env}
    if isinstance(default, (dict, list, set)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def env_overrides(cls: type) -> dict[str, Any]:
    """The values the environment sets for `cls`'s settings that name a variable (whole numbers)."""
    out = {}
    for f in dataclasses.fields(cls):
        name = f.metadata.get("env")
        if not isinstance(f.default, int):
            continue  # a table of values (EPI_APPEAL_LIMITS) has a reader of its own
        if name and (raw := os.environ.get(name, "").strip()):
            out[f.name] = int(raw)
    return out


@dataclass(frozen=True)
class Policy:
    """The rules, each with its default from DOMAIN.md."""

    # close contacts and quarantine (9th edition protocol, June 2022)
    window_days: int = setting(4, "传播窗口：发病（无症状者采样）前天数")
    centralized_days: int = setting(7, "密接集中隔离天数")
    home_monitoring_days: int = setting(3, "密接解除集中隔离后居家健康监测天数")
    secondary_home_days: int = setting(7, "次密接居家隔离天数")
    close_test_days: tuple = setting((1, 2, 3, 5, 7), "密接集中隔离期核酸检测日")
    monitoring_test_days: tuple = setting((3,), "居家健康监测期核酸检测日")
    secondary_test_days: tuple = setting((1, 4, 7), "次密接居家隔离期核酸检测日")
    # time-space companions (Chengdu 2021): 800 m × 800 m grid, more than 10 minutes
    companion_resolution: int = setting(8, "时空伴随网格（H3 分辨率，8 级约 800 米）")
    companion_minutes: int = setting(10, "时空伴随：同一网格停留超过（分钟）")
    transfer_limit_hours: int = setting(12, "密接转运时限（小时）")
    # risk zones: days without a new infection before a zone is lifted (9th edition 7; Nov 2022 5)
    zone_lift_days: int = setting(7, "风险区解除：连续无新增感染天数", "EPI_ZONE_LIFT_DAYS")
    sealed_target_hours: int = setting(24, "封控区首轮全员核酸时限（小时）")
    controlled_target_hours: int = setting(48, "管控区首轮全员核酸时限（小时）")
    city_round_hours: int = setting(24, "全市一轮全员核酸时限（小时）")
    # mass testing: Shenzhen queue states, the 15-minute circle, sampler and pooling norms
    busy_minutes: int = setting(25, "排队达到此分钟数为“繁忙”", "EPI_BUSY_MINUTES")
    congested_minutes: int = setting(50, "排队达到此分钟数为“拥堵”", "EPI_CONGESTED_MINUTES")
    walk_circle_m: int = setting(1000, "15分钟步行采样圈半径（米，直线距离）")
    """The 15-minute walking sampling circle as a straight-line radius: 15 minutes at about
    4.8 km/h is about 1.2 km of path, and paths through a city's streets run about 1.2 times the
    straight line (the usual detour factor), so a site about 1 km away as the crow flies is a
    15-minute walk. Every check of the circle (mass-testing pages and the zone page) uses this."""
    people_per_site_max: int = setting(3000, "每个采样点服务人口上限（2000–3000 人一个点）")
    people_per_sampler: int = setting(360, "每名采样人员 24 小时服务人口（采样人员 = 人口 ÷ 360）")
    swabs_per_sampler_hour: int = setting(40, "每名采样人员每小时采样人份（35–45，推算）")
    pool_size: int = setting(10, "混采每管人数（10合1；5合1、20合1亦经验证）")
    pool_sizes: tuple = setting((5, 10, 20), "经验证的混采方式（每管人数）")
    # turnaround targets by purpose: re-samples of positive pools as urgent as a fever clinic,
    # people under control as patients, mass and voluntary testing 24 h
    turnaround_target_hours: dict = setting(TURNAROUND_TARGET_DEFAULTS, "各类检测结果回报时限（小时）")
    # citizen appeals (12345): time limits per type in WORKING days; emergencies in hours
    appeal_limit_days: dict = setting(APPEAL_LIMIT_DEFAULTS, "各类诉求办理时限（工作日）", "EPI_APPEAL_LIMITS")
    appeal_emergency_hours: int = setting(2, "紧急诉求办理时限（小时）")
    # warning and prediction: 社会面清零 and the serial interval of an Rt estimate
    community_zero_days: int = setting(1, "社会面清零：连续无社会面病例天数", "EPI_COMMUNITY_ZERO_DAYS")
    serial_interval_mean: float = setting(3.0, "代际间隔均值（天，北京 2022 年 3 月中位数 3.0）")
    serial_interval_sd: float = setting(2.0, "代际间隔标准差（天）")
    # department files: a time may be this far after the load (clocks of department systems drift)
    ingest_clock_skew_minutes: int = setting(10, "载入文件中的时间最多可晚于载入时刻（分钟，容许系统时钟偏差）")

    def round_target_hours(self, tier: str) -> int:
        """The first full round's time limit in a zone of this tier (high, medium, low)."""
        return {"high": self.sealed_target_hours, "medium": self.controlled_target_hours}.get(tier, self.city_round_hours)


POLICY = Policy()  # the protocol as written; the seed and the tests' expectations follow it


def load_policy() -> Policy:
    """The policy with the environment's overrides (EPI_APPEAL_LIMITS is read by the portal,
    which can explain a malformed value)."""
    return Policy(**env_overrides(Policy))
