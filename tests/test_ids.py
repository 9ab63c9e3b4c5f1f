"""New numbers for zone plans, published zones and screening topics: two saves made at the same
moment — both having read the warehouse's highest number before either wrote — get different
numbers, and so do many callers of the store's id series at once."""

import datetime as dt
import threading

import pytest

from portal import ids
from portal.auth import store
from portal.tracing.topics import create_topic
from portal.zones import geometry, zone_plans, zoning
from queries import registry


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    monkeypatch.setenv("EPI_PORTAL_DB", f"sqlite:///{tmp_path / 'portal.sqlite'}")


@pytest.fixture
def read_once(monkeypatch):
    """Every caller sees the highest numbers as they were before any of them wrote: what two
    people saving at the same moment both read."""
    stale = registry.run("meta/last_ids", "")

    class Stale:
        @staticmethod
        def run(name, scope, **params):
            return stale.copy() if name == "meta/last_ids" else registry.run(name, scope, **params)

    monkeypatch.setattr(ids, "registry", Stale)
    return stale.iloc[0]


def test_the_series_hands_each_number_to_one_caller_only():
    got, start = [], threading.Barrier(8)

    def take():
        start.wait()
        first = store.next_ids("zone_plan", above=41, count=3)
        got.extend(range(first, first + 3))

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(42, 42 + 24))
    assert store.next_ids("zone_plan", above=100) == 101  # rows written by others are stepped over
    assert store.next_ids("zone_plan", above=5) == 102  # never back below a number handed out


def test_two_plans_saved_and_published_at_the_same_moment_get_distinct_numbers(wh, as_of, read_once):
    plans = [zoning.Plan(high=geometry.circle(104.0804, 30.6628, 300), medium=geometry.circle(104.0804, 30.6628, 900)),
             zoning.Plan(high=geometry.circle(104.0504, 30.6728, 300), medium=geometry.circle(104.0504, 30.6728, 900))]
    made = []
    try:
        made.append(zone_plans.save(plans[0], "同时保存甲", "甲", "", as_of))
        made.append(zone_plans.save(plans[1], "同时保存乙", "乙", "", as_of))
        first, second = made
        assert first == int(read_once["plan_id"]) + 1 and second == first + 1
        saved = zone_plans.saved("").set_index("plan_name")
        assert saved.loc[["同时保存甲", "同时保存乙"], "plan_id"].tolist() == [first, second]
        profile = registry.run("zones/compound_profile", "", as_of=as_of)
        start = dt.datetime.combine(as_of, dt.time(22))
        for plan_id in (first, second):
            row = zone_plans.saved("").query("plan_id == @plan_id").iloc[0]
            assert zone_plans.publish(row, "", profile, start) == 2
        zones = wh.query_df("SELECT zone_id, plan_id FROM epi.risk_zone WHERE plan_id IN ({a:UInt32}, {b:UInt32})",
                            {"a": first, "b": second})
        assert len(zones) == 4 and zones["zone_id"].nunique() == 4
        assert zones["zone_id"].min() == int(read_once["zone_id"]) + 1
    finally:
        for table in ("risk_zone", "zone_plan"):
            wh.command(f"DELETE FROM epi.{table} WHERE has({{made:Array(UInt32)}}, plan_id)", {"made": made})


def test_two_topics_created_at_the_same_moment_get_distinct_numbers(wh, read_once):
    window = (dt.datetime(2022, 2, 13), dt.datetime(2022, 2, 20))
    made = []
    try:
        made.append(create_topic("", "同时生成的专题甲", [1, 2], window))
        made.append(create_topic("", "同时生成的专题乙", [3, 4], window))
        assert made == [int(read_once["topic_id"]) + 1, int(read_once["topic_id"]) + 2]
        topics = registry.run("screening/topics", "").set_index("topic_id")
        assert topics.loc[made, "topic_name"].tolist() == ["同时生成的专题甲", "同时生成的专题乙"]
        records = wh.query_df("SELECT topic_id, person_id FROM epi.screening_record WHERE topic_id IN "
                              "({a:UInt16}, {b:UInt16}) ORDER BY topic_id, person_id", {"a": made[0], "b": made[1]})
        assert records.values.tolist() == [[made[0], 1], [made[0], 2], [made[1], 3], [made[1], 4]]
    finally:
        for table in ("screening_record", "screening_topic"):
            wh.command(f"DELETE FROM epi.{table} WHERE has({{made:Array(UInt16)}}, topic_id)", {"made": made})
