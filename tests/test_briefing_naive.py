"""The briefing benchmark's naive path (every figure from the raw fact tables) gives exactly the
portal's briefing (from the materialized views) on the tiny seed: figures, districts and trend."""

import datetime as dt

import pytest

from bench import briefing as bench_briefing


@pytest.mark.parametrize("scope,day", [("", dt.date(2022, 2, 21)), ("", dt.date(2022, 3, 1)),
                                       ("", dt.date(2022, 3, 8)), ("510104", dt.date(2022, 3, 1)),
                                       ("510104008", dt.date(2022, 3, 1))])
def test_naive_briefing_equals_the_portal(wh, scope, day):
    fast = bench_briefing.make(bench_briefing.portal_runner(scope), day, scope)
    naive = bench_briefing.make(bench_briefing.naive_runner(scope), day, scope)
    assert bench_briefing.differences(fast, naive) == []
    # the comparison has something to compare: people under control and a trend of several days
    assert fast.figures.set_index("key").loc["under_control", "today"] > 0
    assert fast.trend["day"].nunique() >= 7 and len(fast.districts) > 1


def test_the_comparison_sees_a_changed_figure(wh):
    day = dt.date(2022, 3, 1)
    fast = bench_briefing.make(bench_briefing.portal_runner(""), day, "")
    naive = bench_briefing.make(bench_briefing.naive_runner(""), day, "")
    naive.figures.loc[naive.figures["key"] == "samples_taken", "today"] += 1
    naive.trend.loc[naive.trend.index[0], "value"] += 1
    assert [d.split(":")[0] for d in bench_briefing.differences(fast, naive)] == ["figures", "trend"]


def test_a_pinned_day_from_the_raw_tables(wh):
    naive = bench_briefing.make(bench_briefing.naive_runner(""), dt.date(2022, 3, 1), "")
    figures = naive.figures.set_index("key")["today"]
    assert int(figures["under_control"]) == 331 and int(figures["confirmed"]) == 8
