"""The 2022 working-day calendar: weekends, public holidays and the make-up working days.

Source: 国务院办公厅关于2022年部分节假日安排的通知（国办发明电〔2021〕11号，2021年10月25日）.
Days outside 2022 follow the plain Monday–Friday week (no holiday schedule is held for them).
"""

from __future__ import annotations

import datetime as dt

_D = dt.date

# holidays (放假) of 2022, inclusive ranges
HOLIDAYS_2022 = {
    "元旦": (_D(2022, 1, 1), _D(2022, 1, 3)),
    "春节": (_D(2022, 1, 31), _D(2022, 2, 6)),
    "清明节": (_D(2022, 4, 3), _D(2022, 4, 5)),
    "劳动节": (_D(2022, 4, 30), _D(2022, 5, 4)),
    "端午节": (_D(2022, 6, 3), _D(2022, 6, 5)),
    "中秋节": (_D(2022, 9, 10), _D(2022, 9, 12)),
    "国庆节": (_D(2022, 10, 1), _D(2022, 10, 7)),
}
# weekend days that are working days (调休上班)
MAKEUP_WORKDAYS_2022 = frozenset({
    _D(2022, 1, 29), _D(2022, 1, 30),  # 春节
    _D(2022, 4, 2),  # 清明节
    _D(2022, 4, 24), _D(2022, 5, 7),  # 劳动节
    _D(2022, 10, 8), _D(2022, 10, 9),  # 国庆节
})
_HOLIDAY_DAYS = frozenset(
    start + dt.timedelta(days=i) for start, end in HOLIDAYS_2022.values() for i in range((end - start).days + 1))


def is_working_day(day: dt.date) -> bool:
    if day in MAKEUP_WORKDAYS_2022:
        return True
    if day in _HOLIDAY_DAYS:
        return False
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
CALENDAR_FROM = _D(2019, 12, 1)


def calendar_params(last: dt.date) -> dict:
    """The `cal_from` / `cal_cum` query parameters, covering CALENDAR_FROM to `last`."""
    return {"cal_from": CALENDAR_FROM, "cal_cum": cumulative(CALENDAR_FROM, last)}
