"""Portal settings: the policy choices the indicators apply (DOMAIN.md defaults)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class PortalSettings:
    """Named settings; each can be overridden by the environment variable in its comment."""

    pending_hours_a: int = 12  # EPI_PENDING_HOURS_A: results pending past this many hours
    pending_hours_b: int = 24  # EPI_PENDING_HOURS_B
    # time limits per appeal type, calendar days (EPI_APPEAL_LIMITS="consultation=2,help=5,…")
    appeal_limit_days: dict[str, int] = field(default_factory=lambda: {
        "consultation": 2, "help": 5, "complaint": 5, "report": 5, "suggestion": 10})
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


def load_portal_settings() -> PortalSettings:
    limits = PortalSettings().appeal_limit_days
    raw = os.environ.get("EPI_APPEAL_LIMITS", "")
    if raw:
        limits = dict(limits)
        for item in raw.split(","):
            key, _, days = item.partition("=")
            limits[key.strip()] = int(days)
    return PortalSettings(
        pending_hours_a=_int("EPI_PENDING_HOURS_A", 12),
        pending_hours_b=_int("EPI_PENDING_HOURS_B", 24),
        appeal_limit_days=limits,
        cache_ttl_s=_int("EPI_CACHE_TTL_S", 60),
        zone_lift_days=_int("EPI_ZONE_LIFT_DAYS", 7),
        feed_stale_hours=_int("EPI_FEED_STALE_HOURS", 24),
    )
