"""Warehouse settings, read once from the environment into a frozen dataclass, and the registry
of every environment variable the code reads (ENVIRONMENT), from which the settings table in the
operations guide (docs/operations.md) can be written. The policy's rules live in warehouse/rules/policy.py."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "warehouse"
DATABASE = "epi"


@dataclass(frozen=True)
class WarehouseSettings:
    """Where the theme database lives and how long a query may run."""

    url: str
    query_timeout_s: int = 30
    row_cap: int = 50_000  # most rows a registry query returns unless the caller asks for another cap

    @property
    def embedded(self) -> bool:
        return self.url.startswith("chdb://")

    @property
    def data_dir(self) -> Path | None:
        if not self.embedded:
            return None
        return Path(self.url.removeprefix("chdb://"))


def load_settings() -> WarehouseSettings:
    """Settings from EPI_WAREHOUSE_URL (default: embedded engine at data/warehouse)."""
    url = os.environ.get("EPI_WAREHOUSE_URL", "").strip() or f"chdb://{DEFAULT_DATA_DIR}"
    return WarehouseSettings(
        url=url,
        query_timeout_s=int(os.environ.get("EPI_QUERY_TIMEOUT_S", "30")),
        row_cap=int(os.environ.get("EPI_ROW_CAP", "50000")),
    )


# Every environment variable read anywhere in portal/, pages/, queries/, seed/ or warehouse/:
# name → (default, meaning). tests/test_settings_registry.py fails when the code reads one that
# is not listed here, or when one listed here is read nowhere.
ENVIRONMENT: dict[str, tuple[str, str]] = {
    # the warehouse (this module)
    "EPI_WAREHOUSE_URL": ("chdb://<repo>/data/warehouse", "chdb://<folder> for the embedded engine, or "
                          "http(s)://user:password@host:8123/epi for a server"),
    "EPI_QUERY_TIMEOUT_S": ("30", "maximum execution time of one query, in seconds"),
    "EPI_ROW_CAP": ("200000", "the warehouse's default row cap (the query registry caps at 50,000)"),
    # the policy (warehouse/rules/policy.py)
    "EPI_ZONE_LIFT_DAYS": ("7", "days without a new infection before a zone's suggested lift "
                           "(5 in the Nov 2022 revision)"),
    "EPI_COMMUNITY_ZERO_DAYS": ("1", "consecutive days without a community (社会面) case before a district "
                                "has reached 社会面清零"),
    "EPI_BUSY_MINUTES": ("25", "a sampling site with a queue of this many minutes or more is busy"),
    "EPI_CONGESTED_MINUTES": ("50", "a sampling site with a queue of this many minutes or more is congested"),
    "EPI_APPEAL_LIMITS": ("consultation=2,help=5,complaint=5,report=5,suggestion=10",
                          "time limits per appeal type, in working days (1–60; a value that cannot be parsed "
                          "is named on the appeals page, which then shows no figures; the cockpit says so and "
                          "counts with the defaults)"),
    # the portal (portal/settings.py)
    "EPI_PENDING_HOURS_A": ("12", "test results pending past this many hours: first alert"),
    "EPI_PENDING_HOURS_B": ("24", "test results pending past this many hours: second alert"),
    "EPI_HOTEL_OCCUPANCY_WARN_PCT": ("90", "a quarantine hotel fuller than this (per cent) raises a warning"),
    "EPI_CACHE_TTL_S": ("60", "how long the portal keeps a query result, in seconds"),
    "EPI_VIEW_CACHE": ("1", "1: the figures, maps and tables a page builds from its queries are built once per "
                       "parameters and data version and shared by every session; 0: each session builds its own "
                       "on every run (the baseline of the view and load benchmarks)"),
    "EPI_WARM_UP": ("1", "1: a portal process computes the city's cockpit on the last day in the background when "
                    "its first visitor opens the sign-in page; 0: not"),
    "EPI_PAGE_TURNS": ("2", "page scripts running at once in one portal process (the others wait their turn; a run "
                       "waiting for the warehouse gives its turn up): about the machine's cores"),
    "EPI_FEED_STALE_HOURS": ("24", "a category fed by files is stale when its last batch is older than this"),
    "EPI_LIVE_REFRESH_S": ("2", "how often the mass-testing command view re-reads the site marks, in seconds"),
    "EPI_ADHOC_PREVIEW_ROWS": ("500", "rows an ad-hoc preview shows (the total is counted in full)"),
    "EPI_ADHOC_EXPORT_ROWS": ("100000", "most rows in one ad-hoc export"),
    "EPI_ALERT_ESCALATE_MINUTES": ("60", "an alert nobody has acknowledged for this many minutes is escalated one "
                                   "level (street → district → city)"),
    "EPI_ALERT_CHECK_FRESH_MINUTES": ("10", "a page showing alerts uses a check of the same data made up to this many "
                                      "minutes before (the scheduled job's); without one it makes the check itself"),
    "EPI_SCREEN_REFRESH_SECONDS": ("60", "how often the wall display (指挥大屏) re-reads its figures, in seconds"),
    "EPI_SCREEN_ROTATE_SECONDS": ("20", "how long the wall display shows each of its panels before the next, "
                                  "in seconds"),
    # sign-in and audit (portal/auth/)
    "EPI_PORTAL_DB": ("sqlite:///<repo>/data/audit.sqlite", "the portal's relational store (audit log, users, "
                      "sessions, sign-in failures, saved ad-hoc filters, id series): any SQLAlchemy URL, "
                      "e.g. postgresql+psycopg://user:password@host/epi"),
    "EPI_LOCKOUT_FAILURES": ("5", "consecutive failed sign-ins that lock a username (1–100)"),
    "EPI_LOCKOUT_MINUTES": ("15", "how long a locked username stays locked (1–1440)"),
    "EPI_SESSION_IDLE_MINUTES": ("30", "a session with no activity for this long is signed out (1–1440)"),
    "EPI_SESSION_MAX_HOURS": ("12", "a session is signed out this long after sign-in, active or not (1–168)"),
    "EPI_PASSWORD_MIN_LENGTH": ("10", "the shortest password accepted (8–128)"),
}


def environment_table() -> str:
    """The registry as the Markdown table of the operations guide's Settings section."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{name}` | `{default}` | {meaning} |" for name, (default, meaning) in ENVIRONMENT.items()]
    return "\n".join(rows) + "\n"
