"""One clock and one code shape: Beijing time and unit codes, each written once."""

import datetime as dt

import pandas as pd

from warehouse.rules import clock, geography


def test_beijing_time_is_utc_plus_eight_all_year():
    summer, winter = dt.datetime(2022, 7, 1, 16, 30), dt.datetime(2022, 1, 1, 16, 30)  # naive: UTC
    assert clock.stamp(summer) == "2022-07-02 00:30:00"
    assert clock.stamp(winter, clock.MINUTE) == "2022-01-02 00:30"
    assert clock.beijing_day(summer) == dt.date(2022, 7, 2)
    assert clock.to_beijing(dt.datetime(2022, 3, 1, 8, tzinfo=clock.BEIJING)).hour == 8


def test_a_beijing_day_starts_at_sixteen_hundred_utc_the_day_before():
    assert clock.day_start(dt.date(2022, 3, 1)) == dt.datetime(2022, 2, 28, 16, tzinfo=dt.timezone.utc)


def test_wall_clock_shows_utc_and_zoned_times_in_beijing():
    naive_utc = pd.Series(pd.to_datetime(["2022-03-01 00:00:00", "2022-03-01 16:00:00"]))
    assert clock.wall_clock(naive_utc).dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2022-03-01 08:00", "2022-03-02 00:00"]
    zoned = clock.zoned(pd.Series(pd.to_datetime(["2022-03-01 08:00:00"])))
    assert zoned.dt.tz_convert("UTC").dt.hour.tolist() == [0]
    assert clock.wall_clock(zoned).dt.hour.tolist() == [8]


def test_now_wall_is_beijing_to_the_second():
    before = dt.datetime.now(dt.timezone.utc)
    wall = clock.now_wall()
    assert wall.tzinfo is None and wall.microsecond == 0
    assert abs((wall - before.replace(tzinfo=None)).total_seconds() - clock.OFFSET_S) < 5


def test_unit_codes_are_city_district_street_or_community():
    good = ["", "510104", "510104001", "510104001001"]
    bad = ["5101", "5101040", "51010400100", "5101040010011", "51010a", " 510104"]
    assert [geography.is_unit_code(c) for c in good] == [True] * 4
    assert [geography.is_unit_code(c) for c in bad] == [False] * 6
    jurisdiction = geography.code_pattern((6, 9), city=False)
    assert [bool(jurisdiction.match(c)) for c in good] == [False, True, True, False]
    assert geography.ancestors("510104001001") == ["510104", "510104001", "510104001001"]
    assert geography.ancestors("") == []
