"""The 2022 working-day calendar and the appeal time-limit setting (no warehouse needed)."""

import datetime as dt

import pytest

from portal.command import workdays
from portal.settings import APPEAL_LIMIT_DEFAULTS, load_portal_settings, parse_appeal_limits

D = dt.date


def test_weekends_rest_and_weekdays_work():
    assert workdays.is_working_day(D(2022, 3, 4))  # Friday
    assert not workdays.is_working_day(D(2022, 3, 5))  # Saturday
    assert not workdays.is_working_day(D(2022, 3, 6))  # Sunday
    assert workdays.is_working_day(D(2022, 3, 7))  # Monday


def test_spring_festival_rests_seven_days_and_its_weekend_before_works():
    holiday = [D(2022, 1, 31) + dt.timedelta(days=i) for i in range(7)]
    assert not any(workdays.is_working_day(d) for d in holiday)
    assert workdays.is_working_day(D(2022, 1, 29)) and workdays.is_working_day(D(2022, 1, 30))  # Sat, Sun worked
    assert workdays.is_working_day(D(2022, 2, 7))


def test_qingming_make_up_saturday_and_other_holidays():
    assert workdays.is_working_day(D(2022, 4, 2))  # Saturday, worked
    assert not workdays.is_working_day(D(2022, 4, 4)) and not workdays.is_working_day(D(2022, 4, 5))  # Mon, Tue
    assert workdays.is_working_day(D(2022, 4, 24)) and workdays.is_working_day(D(2022, 5, 7))
    assert not workdays.is_working_day(D(2022, 10, 3))
    assert workdays.is_working_day(D(2022, 10, 8)) and workdays.is_working_day(D(2022, 10, 9))
    assert not workdays.is_working_day(D(2022, 1, 3))  # New Year's Monday


def test_deadline_across_a_weekend():
    assert workdays.deadline(D(2022, 3, 4), 1) == D(2022, 3, 7)  # Friday + 1 → Monday
    assert workdays.deadline(D(2022, 3, 5), 1) == D(2022, 3, 7)  # received on Saturday
    assert workdays.deadline(D(2022, 3, 3), 2) == D(2022, 3, 7)  # Thursday + 2 → Monday
    assert workdays.deadline(D(2022, 3, 7), 5) == D(2022, 3, 14)


def test_deadline_across_the_spring_festival_and_its_make_up_days():
    # Friday 28 Jan + 1: Saturday 29 Jan is a working day
    assert workdays.deadline(D(2022, 1, 28), 1) == D(2022, 1, 29)
    assert workdays.deadline(D(2022, 1, 28), 2) == D(2022, 1, 30)
    # received on the last make-up day: the next working day is Monday 7 Feb, after the holiday
    assert workdays.deadline(D(2022, 1, 30), 1) == D(2022, 2, 7)
    assert workdays.deadline(D(2022, 1, 31), 5) == D(2022, 2, 11)  # received inside the holiday
    assert workdays.working_days_between(D(2022, 1, 27), D(2022, 2, 8)) == 5  # 28, 29, 30 Jan; 7, 8 Feb


def test_deadline_across_qingming():
    assert workdays.deadline(D(2022, 4, 1), 1) == D(2022, 4, 2)  # Saturday worked
    assert workdays.deadline(D(2022, 4, 1), 2) == D(2022, 4, 6)


def test_the_calendar_array_counts_like_the_day_by_day_rule():
    cum = workdays.cumulative(D(2022, 1, 1), D(2022, 12, 31))
    # 260 weekdays − 18 weekday holidays + 7 make-up weekend days
    assert len(cum) == 365 and cum[-1] == 249
    first = D(2022, 1, 1)
    for a, b in [(D(2022, 1, 27), D(2022, 2, 8)), (D(2022, 3, 4), D(2022, 3, 7)), (D(2022, 4, 1), D(2022, 4, 6))]:
        assert cum[(b - first).days] - cum[(a - first).days] == workdays.working_days_between(a, b)


def test_appeal_limits_parse_and_bad_values_get_one_message(monkeypatch):
    assert parse_appeal_limits("help=3, consultation=1") == {**APPEAL_LIMIT_DEFAULTS, "help": 3, "consultation": 1}
    for raw, words in [("help:3", "无法识别"), ("urgent=1", "无法识别"), ("help=three", "help 的时限"),
                       ("help=0", "1 至 60"), ("help=-2", "1 至 60"), ("help=2.5", "1 至 60")]:
        with pytest.raises(ValueError, match=words):
            parse_appeal_limits(raw)
    monkeypatch.setenv("EPI_APPEAL_LIMITS", "help=soon")
    settings = load_portal_settings()
    assert "EPI_APPEAL_LIMITS" in settings.appeal_limits_error
    assert settings.appeal_limit_days == APPEAL_LIMIT_DEFAULTS
    monkeypatch.setenv("EPI_APPEAL_LIMITS", "complaint=7")
    settings = load_portal_settings()
    assert settings.appeal_limits_error == "" and settings.appeal_limit_days["complaint"] == 7
