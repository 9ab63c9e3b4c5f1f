"""集中隔离点 figures against the same definitions written out in pandas over the raw control
episodes and quarantine samples, with one day pinned."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from portal import ui
from portal.command import cockpit
from portal.people import masking
from portal.settings import PortalSettings
from portal.tracing import quarantine
from queries import registry

SETTINGS = PortalSettings()
DAYS = [dt.date(2022, 2, 22), dt.date(2022, 2, 28), dt.date(2022, 3, 5), dt.date(2022, 3, 12)]


def runner(scope=""):
    return lambda name, **p: registry.run(name, scope, **p)


@pytest.fixture(scope="module")
def raw(wh):
    return {
        "episodes": wh.query_df("SELECT person_id, kind, hotel_id, identified_at, quarantine_start, quarantine_end "
                                "FROM epi.control_episode WHERE kind = 'close_contact'"),
        "tests": wh.query_df("SELECT person_id, protocol_day, sampled_at FROM epi.sample "
                             "WHERE purpose = 'quarantine' AND protocol_day > 0 AND hotel_id > 0"),
        "hotels": wh.query_df("SELECT hotel_id, community_code, rooms FROM epi.quarantine_hotel"),
        "names": wh.query_df("SELECT person_id, name FROM epi.person"),
    }


def expected(raw, day: dt.date, settings=SETTINGS) -> pd.DataFrame:
    end = pd.Timestamp(day + dt.timedelta(days=1))
    ep = raw["episodes"]
    staying = ep[(ep["quarantine_start"] < end) & (ep["quarantine_end"] >= end)]
    # known at 24:00: who is awaited (not when they will come), whose stay is due to end (not
    # whether it will)
    arriving = ep[(ep["identified_at"] < end) & (ep["quarantine_start"] >= end)]
    due = staying["quarantine_start"] + pd.Timedelta(days=settings.centralized_days)
    tests = raw["tests"][raw["tests"]["sampled_at"] < end]
    taken = set(zip(tests["person_id"], tests["protocol_day"]))
    missing = [(r.hotel_id, r.person_id) for r in staying.itertuples() for d in settings.close_test_days
               if r.quarantine_start.date() + dt.timedelta(days=d - 1) <= day and (r.person_id, d) not in taken]
    miss = pd.DataFrame(missing, columns=["hotel_id", "person_id"])
    out = pd.DataFrame({
        "staying": staying.groupby("hotel_id").size(),
        "releases_24h": staying[due < end + pd.Timedelta(hours=24)].groupby("hotel_id").size(),
        "past_release": staying[due < end].groupby("hotel_id").size(),
        "arrivals_24h": arriving.groupby("hotel_id").size(),
        "missing_test_people": miss.groupby("hotel_id")["person_id"].nunique(),
        "missing_tests": miss.groupby("hotel_id").size(),
    })
    return out.reindex(raw["hotels"]["hotel_id"]).fillna(0).astype("int64").sort_index()


def got(day: dt.date, settings=SETTINGS, scope="") -> pd.DataFrame:
    df = quarantine.hotels(runner(scope), settings, "", day)
    cols = ["staying", "releases_24h", "past_release", "arrivals_24h", "missing_test_people", "missing_tests"]
    return df.set_index("hotel_id")[cols].astype("int64").sort_index()


@pytest.mark.parametrize("day", DAYS)
def test_every_hotel_equals_raw_episodes_and_tests(raw, day):
    pd.testing.assert_frame_equal(got(day), expected(raw, day), check_names=False)


def test_people_staying_equal_the_cockpit_centralized_count():
    day = dt.date(2022, 3, 5)
    total = cockpit.compute(runner(), SETTINGS, "", day).total()
    assert got(day)["staying"].sum() == total["centralized"] > 0


def test_one_day_pinned(raw):
    """2022-03-05 24:00 on the tiny seed, written down once."""
    t = quarantine.totals(quarantine.hotels(runner(), SETTINGS, "", dt.date(2022, 3, 5)))
    assert {k: t[k] for k in PINNED} == PINNED


PINNED = {"hotels": 150, "rooms": 35452, "staying": 92, "occupancy_pct": 0.3, "arrivals_24h": 15,
          "releases_24h": 23, "over_threshold": 0, "past_release": 0, "missing_test_people": 10, "missing_tests": 11}


def test_past_release_with_a_shorter_stay_setting(raw):
    """The seed releases everyone on time; with a 5-day rule people on days 6 and 7 are past it."""
    short = dataclasses.replace(SETTINGS, centralized_days=5)
    day = dt.date(2022, 3, 5)
    want = expected(raw, day, short)
    assert want["past_release"].sum() > 0
    pd.testing.assert_frame_equal(got(day, short), want, check_names=False)


def test_occupancy_threshold_is_a_setting():
    day = dt.date(2022, 3, 5)
    hotels = quarantine.hotels(runner(), SETTINGS, "", day)
    assert not hotels["over_threshold"].any()  # tiny contacts in real-size hotels
    low = dataclasses.replace(SETTINGS, hotel_occupancy_warn_pct=1)
    flagged = quarantine.hotels(runner(), low, "", day)
    assert flagged["over_threshold"].sum() == (flagged["staying"] / flagged["rooms"] > 0.01).sum() > 0


def test_warning_lists_match_the_counts_and_mask_names(raw):
    day = dt.date(2022, 3, 5)
    hotels = quarantine.hotels(runner(), SETTINGS, "", day)
    people = quarantine.warnings(runner(), SETTINGS, "", day)
    assert (people["warning"] == "missing_test").sum() == hotels["missing_test_people"].sum() > 0
    missing = people[people["warning"] == "missing_test"]
    assert missing["detail"].str.split(",").map(len).sum() == hotels["missing_tests"].sum()
    full = dict(zip(raw["names"]["person_id"], raw["names"]["name"]))
    shown = masking.shown(ui.headed(quarantine.person_table(people, "missing_test")))
    assert len(shown) == len(missing)
    for row in shown.itertuples():
        name = full[row.人员编号]
        assert row.姓名 == name[0] + "*" * (len(name) - 1)


def test_a_district_sees_only_its_hotels(raw):
    day = dt.date(2022, 3, 5)
    mine = quarantine.hotels(runner("510104"), SETTINGS, "", day)
    assert set(mine["community_code"].str[:6]) == {"510104"}
    assert len(mine) == raw["hotels"]["community_code"].str.startswith("510104").sum()

