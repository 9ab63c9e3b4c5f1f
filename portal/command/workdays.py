"""Working days of mainland China (weekends, public holidays, make-up working days) for appeal
deadlines, from the `chinesecalendar` package, which holds the State Council's yearly holiday
notices (2004–2026 in version 1.11.0; 2022: 国办发明电〔2021〕11号).

A year the package holds no notice for follows the plain Monday–Friday week.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar


@functools.lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    """Whether the State Council's calendar makes `day` a working day (weekdays elsewhere)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year outside the package's notices
        return day.weekday() < 5


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have passed after `start` by the end of `end`."""
    return sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1))


def deadline(received: dt.date, limit_days: int) -> dt.date:
    """The last day to finish something received on `received` within `limit_days` working
    days: counting starts on the next working day, so a Friday's 1-day limit ends on Monday."""
    day, left = received, limit_days
    while left > 0:
        day += dt.timedelta(days=1)
        left -= is_working_day(day)
    return day


def cumulative(first: dt.date, last: dt.date) -> list[int]:
    """Working days in [first, day] for every day from first to last: the queries take this
    array and count the working days between two dates as a difference of two entries."""
    out, total = [], 0
    for i in range((last - first).days + 1):
        total += is_working_day(first + dt.timedelta(days=i))
        out.append(total)
    return out


# the earliest time a department file may carry (warehouse/ingest validation), so every
# appeal's day of receipt lies inside the calendar handed to the queries
CALENDAR_FROM = dt.date(2019, 12, 1)


def calendar_params(last: dt.date) -> dict:
    """The `cal_from` / `cal_cum` query parameters, covering CALENDAR_FROM to `last`."""
    return {"cal_from": CALENDAR_FROM, "cal_cum": cumulative(CALENDAR_FROM, last)}
