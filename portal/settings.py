"""Portal settings: the policy choices the indicators apply (DOMAIN.md defaults)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


APPEAL_LIMIT_DEFAULTS = {"consultation": 2, "help": 5, "complaint": 5, "report": 5, "suggestion": 10}


@dataclass(frozen=True)
class PortalSettings:
    """Named settings; each can be overridden by the environment variable in its comment."""

    pending_hours_a: int = 12  # EPI_PENDING_HOURS_A: results pending past this many hours
    pending_hours_b: int = 24  # EPI_PENDING_HOURS_B
    # time limits per appeal type, in WORKING days (portal/command/workdays.py holds the 2022 calendar);
    # EPI_APPEAL_LIMITS="consultation=2,help=5,…"
    appeal_limit_days: dict[str, int] = field(default_factory=lambda: dict(APPEAL_LIMIT_DEFAULTS))
    appeal_limits_error: str = ""  # why EPI_APPEAL_LIMITS could not be used (the defaults apply)
    appeal_emergency_hours: int = 2  # an emergency appeal must be handled within this many hours
    appeal_rising_days: int = 7  # a topic rises when today exceeds the mean of this many days before …
    appeal_rising_ratio: float = 1.5  # … by this factor …
    appeal_rising_min: int = 3  # … with at least this many appeals today
    hotel_occupancy_warn_pct: int = 90  # EPI_HOTEL_OCCUPANCY_WARN_PCT: a hotel this full raises a warning
    centralized_days: int = 7  # centralized quarantine of close contacts (9th edition: 7 days)
    trend_start: dt.date = dt.date(2022, 2, 10)
    # tracing (9th-edition protocol and Chengdu's 2021 companion rule)
    window_days: int = 4  # infectious window starts this many days before onset / sampling
    stop_minutes: int = 30  # a point is a stop when the person stayed at least this long
    max_dwell_minutes: int = 120  # a point stands for presence until the next one, at most this
    companion_resolution: int = 8  # H3 resolution of the shared grid cell (8 ≈ 800 m grid)
    companion_minutes: int = 10  # companions shared the cell for more than this
    transfer_limit_hours: int = 12  # close contacts not transferred after this raise an alert
    close_test_days: tuple = (1, 2, 3, 5, 7)
    secondary_test_days: tuple = (1, 4, 7)
    map_case_cap: int = 50  # most cases drawn on one map
    companion_case_cap: int = 20  # most cases in one companion search
    companion_row_cap: int = 200_000  # most companion pairs listed (longest overlaps first)
    cache_ttl_s: int = 60  # EPI_CACHE_TTL_S
    # risk zones: days without a new infection before a zone is lifted (9th edition 7; Nov 2022 5)
    zone_lift_days: int = 7  # EPI_ZONE_LIFT_DAYS
    feed_stale_hours: int = 24  # EPI_FEED_STALE_HOURS: a fed category with no new batch for this long is stale
    # mass testing (DOMAIN.md: Shenzhen queue states, 15-minute circle, sampler and turnaround norms)
    busy_minutes: int = 25  # EPI_BUSY_MINUTES: a queue of this many minutes or more is busy
    congested_minutes: int = 50  # EPI_CONGESTED_MINUTES: … and this many or more is congested
    max_wait_minutes: int = 480  # a mark with a longer queue is refused as a typing error
    mark_fresh_minutes: int = 120  # a site lead's mark overrides the reports for this long
    duplicate_window_s: int = 60  # the same mark (or verification outcome) by the same operator within this is a resend
    live_refresh_s: int = 2  # EPI_LIVE_REFRESH_S: the command view re-reads the marks this often
    walk_circle_m: int = 1000  # 15-minute walking circle: a compound this far from a site is a gap
    people_per_site_max: int = 3000  # one sampling site per 2,000–3,000 residents
    people_per_sampler: int = 360  # samplers needed = population ÷ 360 (one round in 24 h)
    swabs_per_sampler_hour: int = 40  # what one sampler swabs in an hour (sites' capacity = samplers × 40)
    sealed_target_hours: int = 24  # first round in a sealed zone (封控区) within 24 h
    controlled_target_hours: int = 48  # … in a controlled zone (管控区) within 48 h
    # turnaround targets by purpose: re-samples of positive pools as urgent as a fever clinic,
    # people under control as patients, mass and voluntary testing 24 h
    turnaround_target_hours: dict[str, int] = field(default_factory=lambda: {
        "resample": 6, "quarantine": 12, "mass": 24, "routine": 24})
    dispatch_radius_m: int = 2000  # sites this close to a congested one can take its queue
    dispatch_alternatives: int = 3  # nearby sites suggested per congested site
    forecast_history_days: int = 3  # same-hour mean over this many past days of the same kind
    forecast_lookback_days: int = 28  # … found within this many days back
    forecast_hours: int = 3  # expected arrivals for this many hours ahead
    backtest_days: int = 7  # past days the forecast is scored on
    forecast_row_cap: int = 5_000_000  # site-hours read for the forecast (every site, every hour of 35 days)
    adhoc_preview_rows: int = 500  # EPI_ADHOC_PREVIEW_ROWS: rows an ad-hoc preview shows
    adhoc_export_rows: int = 100_000  # EPI_ADHOC_EXPORT_ROWS: most rows in one ad-hoc export


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
    limits, error = dict(APPEAL_LIMIT_DEFAULTS), ""
    if raw := os.environ.get("EPI_APPEAL_LIMITS", "").strip():
        try:
            limits = parse_appeal_limits(raw)
        except ValueError as exc:
            error = str(exc)
    return PortalSettings(
        pending_hours_a=_int("EPI_PENDING_HOURS_A", 12),
        pending_hours_b=_int("EPI_PENDING_HOURS_B", 24),
        appeal_limit_days=limits,
        appeal_limits_error=error,
        hotel_occupancy_warn_pct=_int("EPI_HOTEL_OCCUPANCY_WARN_PCT", 90),
        cache_ttl_s=_int("EPI_CACHE_TTL_S", 60),
        zone_lift_days=_int("EPI_ZONE_LIFT_DAYS", 7),
        feed_stale_hours=_int("EPI_FEED_STALE_HOURS", 24),
        busy_minutes=_int("EPI_BUSY_MINUTES", 25),
        congested_minutes=_int("EPI_CONGESTED_MINUTES", 50),
        live_refresh_s=_int("EPI_LIVE_REFRESH_S", 2),
        adhoc_preview_rows=_int("EPI_ADHOC_PREVIEW_ROWS", 500),
        adhoc_export_rows=_int("EPI_ADHOC_EXPORT_ROWS", 100_000),
    )
