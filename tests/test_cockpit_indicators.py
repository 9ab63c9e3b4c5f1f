"""Every cockpit indicator equals the same figure computed independently from the raw facts."""

import datetime as dt

import pandas as pd
import pytest

from portal.command import cockpit, workdays
from portal.settings import PortalSettings
from queries import registry

SETTINGS = PortalSettings()
DAYS = [dt.date(2022, 2, 21), dt.date(2022, 2, 25), dt.date(2022, 3, 1), dt.date(2022, 3, 20)]


def runner(scope=""):
    return lambda name, **p: registry.run(name, scope, **p)


def day_end(d: dt.date) -> pd.Timestamp:
    return pd.Timestamp(d + dt.timedelta(days=1))


@pytest.fixture(scope="module")
def raw(wh):
    return {
        "episodes": wh.query_df("SELECT kind, community_code, identified_at, transferred_at, quarantine_start, "
                                "quarantine_end, monitoring_end FROM epi.control_episode"),
        "cases": wh.query_df("SELECT kind, community_code, confirmed_at FROM epi.case_record"),
        "samples": wh.query_df("SELECT community_code, tube_id, sampled_at, result_at FROM epi.sample"),
        "reports": wh.query_df("SELECT site_id, ts, state FROM epi.site_status_report"),
        "sites": wh.query_df("SELECT site_id, community_code FROM epi.sampling_site"),
        "appeals": wh.query_df("SELECT toString(type) AS type, community_code, received_at, closed_at FROM epi.appeal"),
        "edges": wh.query_df("SELECT to_person_id, hop, community_code, identified_at FROM epi.contact_edge"),
        "screening": wh.query_df("SELECT community_code, dispatched_at, verified_at FROM epi.screening_record "
                                 "WHERE is_primary = 1 AND dispatched_at IS NOT NULL"),
    }


def expected(raw, d: dt.date, prefix: str = "") -> dict:
    """Figures for day d from raw rows, by definitions written out in pandas."""
    ep = raw["episodes"][raw["episodes"]["community_code"].str.startswith(prefix)]
    end = day_end(d)
    close = ep[ep["kind"] == "close_contact"]
    sec = ep[ep["kind"] == "secondary_contact"]
    centralized = ((close["quarantine_start"] < end) & (close["quarantine_end"] >= end)).sum()
    monitoring = ((close["quarantine_end"] < end) & close["monitoring_end"].notna() & (close["monitoring_end"] >= end)).sum()
    home = ((sec["quarantine_start"] < end) & (sec["quarantine_end"] >= end)).sum()
    cs = raw["cases"][raw["cases"]["community_code"].str.startswith(prefix)]
    on_day = cs["confirmed_at"].dt.date == d
    ident = close[close["identified_at"].dt.date == d]
    # the 24-hour transfer cohort: identified the day before, its window closed by 24:00
    cohort = close[close["identified_at"].dt.date == d - dt.timedelta(days=1)]
    within = ((cohort["transferred_at"] - cohort["identified_at"]) <= pd.Timedelta(hours=24)).sum()
    sm = raw["samples"][raw["samples"]["community_code"].str.startswith(prefix)]
    open_at_end = sm["result_at"].isna() | (sm["result_at"] >= end)
    rep = raw["reports"][raw["reports"]["ts"].dt.date == d].sort_values("ts").groupby("site_id").last()
    sites = raw["sites"][raw["sites"]["community_code"].str.startswith(prefix)]
    states = rep.reindex(sites["site_id"])["state"]
    ap = raw["appeals"][raw["appeals"]["community_code"].str.startswith(prefix)]
    # overdue: still open at 24:00 and the type's limit in working days ended before day d
    deadline = [workdays.deadline(r.date(), SETTINGS.appeal_limit_days[t]) for r, t in zip(ap["received_at"], ap["type"])]
    due_passed = pd.Series([x < d for x in deadline], index=ap.index, dtype=bool)
    still_open = ap["closed_at"].isna() | (ap["closed_at"] >= end)
    sc = raw["screening"][raw["screening"]["community_code"].str.startswith(prefix)]
    # 当日判定密接: people named close contacts that day, once each, under control before or not
    ed = raw["edges"][raw["edges"]["community_code"].str.startswith(prefix)]
    named = ed[(ed["hop"] == 1) & (ed["identified_at"].dt.date == d)]["to_person_id"].nunique()
    return {
        "appeals_received": (ap["received_at"].dt.date == d).sum(),
        "appeals_closed": (ap["closed_at"].dt.date == d).sum(),
        "appeals_overdue": (still_open & due_passed & (ap["received_at"] < end)).sum(),
        "screening_dispatched": (sc["dispatched_at"].dt.date == d).sum(),
        "screening_verified": (sc["verified_at"].dt.date == d).sum(),
        "screening_awaiting": ((sc["dispatched_at"] < end) & (sc["verified_at"].isna() | (sc["verified_at"] >= end))).sum(),
        "centralized": centralized, "home_monitoring": monitoring, "home_quarantine": home,
        "confirmed": (on_day & (cs["kind"] == "confirmed")).sum(),
        "asymptomatic": (on_day & (cs["kind"] == "asymptomatic")).sum(),
        "cases_to_date": (cs["confirmed_at"] < end).sum(),
        "close_named": named, "close_identified": len(ident), "close_cohort_24h": len(cohort), "close_transferred_24h": within,
        "secondary_identified": (sec["identified_at"].dt.date == d).sum(),
        "samples_taken": (sm["sampled_at"].dt.date == d).sum(),
        # tubes, not samples: a pooled tube counts once
        "pending_a": sm.loc[open_at_end & (sm["sampled_at"] < end - pd.Timedelta(hours=12)), "tube_id"].nunique(),
        "pending_b": sm.loc[open_at_end & (sm["sampled_at"] < end - pd.Timedelta(hours=24)), "tube_id"].nunique(),
        "sites_congested": (states == "congested").sum(), "sites_busy": (states == "busy").sum(),
        "sites_open": states.isin(["clear", "busy", "congested"]).sum(),
        "sites_unreported": states.isna().sum(),
    }


@pytest.mark.parametrize("day", DAYS)
def test_city_figures_equal_raw_facts(raw, day):
    total = cockpit.compute(runner(), SETTINGS, "", day).total()
    want = expected(raw, day)
    got = {k: int(total[k]) for k in want}
    assert got == {k: int(v) for k, v in want.items()}


def test_the_story_has_something_to_show(raw):
    """The tiny seed's 2022-03-02 (second day of the citywide round), pinned exactly."""
    want = {k: int(v) for k, v in expected(raw, dt.date(2022, 3, 2)).items()}
    assert want == {
        "centralized": 101, "home_monitoring": 28, "home_quarantine": 207, "confirmed": 3,
        "asymptomatic": 3, "cases_to_date": 66, "close_named": 18, "close_identified": 10, "close_cohort_24h": 17,
        "close_transferred_24h": 14,
        "secondary_identified": 13, "samples_taken": 9516, "pending_a": 1120, "pending_b": 370,
        "sites_congested": 795, "sites_busy": 181, "sites_open": 2834, "sites_unreported": 298,
        # overdue counts working days: one appeal past a calendar-day limit is not past its
        # working-day limit across the weekend of 26–27 February
        "appeals_received": 16, "appeals_closed": 6, "appeals_overdue": 2,
        "screening_dispatched": 0, "screening_verified": 7, "screening_awaiting": 5,
    }
    assert expected(raw, dt.date(2022, 2, 20))["confirmed"] == 2  # index cases: two confirmed, one asymptomatic


def test_district_drill_down_adds_up_and_matches_raw(raw):
    day = dt.date(2022, 2, 25)
    city = cockpit.compute(runner(), SETTINGS, "", day)
    jinjiang = cockpit.compute(runner(), SETTINGS, "510104", day)
    assert int(city.today.loc["510104", "under_control"]) == int(jinjiang.total()["under_control"])
    want = expected(raw, day, "510104")
    assert int(jinjiang.total()["centralized"]) == int(want["centralized"])
    assert set(jinjiang.today.index) <= {c for c in raw["sites"]["community_code"].str[:9]}


def test_jurisdiction_scope_hides_other_districts():
    day = dt.date(2022, 3, 1)
    scoped = cockpit.compute(runner("510104"), SETTINGS, "", day)
    assert set(scoped.today.index) == {"510104"}
    with pytest.raises(registry.QueryError):
        registry.run("cockpit/cases_by_unit", "5101'; DROP", unit="", grain=6, as_of=day)
