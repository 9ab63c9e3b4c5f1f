"""Beijing time, the one clock the business runs on: every day, hour and stamp the portal shows.

China keeps UTC+8 all year (no daylight saving), so a fixed offset is exact. The warehouse
stores instants; the portal shows Beijing wall-clock times without a zone; the user store and
the audit log keep UTC and are shown through `to_beijing`.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

BEIJING_NAME = "Asia/Shanghai"  # the IANA name, for ClickHouse types and Arrow casts
BEIJING = dt.timezone(dt.timedelta(hours=8))
OFFSET_S = 8 * 3600
STAMP = "%Y-%m-%d %H:%M:%S"
MINUTE = "%Y-%m-%d %H:%M"


def now_beijing() -> dt.datetime:
    """The moment now, zoned in Beijing time."""
    return dt.datetime.now(BEIJING)


def now_wall() -> dt.datetime:
    """Beijing wall-clock time now, without a zone and to the second (as the warehouse shows times)."""
    return now_beijing().replace(tzinfo=None, microsecond=0)


def now_utc() -> dt.datetime:
    """The moment now, zoned in UTC (as the user store and the audit log keep it)."""
    return dt.datetime.now(dt.timezone.utc)


def to_beijing(moment: dt.datetime) -> dt.datetime:
    """A moment zoned in Beijing time; a moment without a zone is taken as UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)).astimezone(BEIJING)


def beijing_day(moment: dt.datetime) -> dt.date:
    """The Beijing calendar day a moment falls on (a moment without a zone is taken as UTC)."""
    return to_beijing(moment).date()


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of a Beijing day, as a UTC moment."""
    return dt.datetime.combine(day, dt.time(), BEIJING).astimezone(dt.timezone.utc)


def stamp(moment: dt.datetime | None = None, fmt: str = STAMP) -> str:
    """A moment (default now) as Beijing wall-clock text, `2022-03-01 08:30:00` by default."""
    return (now_beijing() if moment is None else to_beijing(moment)).strftime(fmt)


def wall_clock(col: pd.Series) -> pd.Series:
    """Times as Beijing wall clock without a zone; zoned times converted, naive ones taken as UTC."""
    if isinstance(col.dtype, pd.DatetimeTZDtype):
        return col.dt.tz_convert(BEIJING_NAME).dt.tz_localize(None)
    return col.dt.tz_localize("UTC").dt.tz_convert(BEIJING_NAME).dt.tz_localize(None)


def zoned(col: pd.Series) -> pd.Series:
    """Beijing wall-clock times without a zone, marked as Beijing time (for inserts)."""
    return col.dt.tz_localize(BEIJING_NAME)
