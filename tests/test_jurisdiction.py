"""Jurisdiction everywhere: every query in queries/ run as a 锦江区 (510104) operator returns only
锦江区 rows, every write aimed at another district writes nothing, and a person of another
district cannot be found. (The pages are walked in test_jurisdiction_pages.py.)"""

import datetime as dt
import re

import pandas as pd
import pytest

from portal.settings import PortalSettings
from queries import registry

SCOPE = "510104"
OTHER = "510107"  # 武侯区
DAY = dt.date(2022, 3, 1)
S = PortalSettings()
WRITES = {"mass/add_mark", "screening/add_outcome", "screening/add_topic", "screening/add_topic_records",
          "screening/dispatch_topic", "screening/drop_topic_records", "zones/publish_plan", "zones/save_plan"}
# queries that read no district's rows, so there is nothing to filter (each says why in its header)
CITY_WIDE = {"meta/last_ids"}
LAST_DAY = dt.date(2022, 3, 20)
OVERRIDES = {"mass/positive_pools": {"day": LAST_DAY}}  # 锦江区's first positive pool comes after DAY
CODE_COLUMN = re.compile(r"(community|street|district|unit)_code$|(^|_)scope$")
SITE_CODE = re.compile(r"HS-(\d{6})-")


@pytest.fixture(scope="module")
def context(wh):
    """Valid parameters for every query, taken from the tiny seed (inside the jurisdiction)."""
    from portal.command import appeals

    cases = registry.run("trajectories/case_list", SCOPE)
    case_ids = cases["case_id"].head(5).tolist()
    person = wh.query_df("SELECT person_id, name, id_number, phone FROM epi.person WHERE startsWith(community_code, "
                         "{s:String}) ORDER BY person_id LIMIT 1", {"s": SCOPE}).iloc[0]
    site = registry.run("mass/site_states", SCOPE, unit="", day=DAY, hour=10).sort_values("site_id").iloc[0]
    topic = wh.scalar("SELECT min(topic_id) FROM epi.screening_record WHERE startsWith(community_code, {s:String})",
                      {"s": SCOPE})
    record = wh.scalar("SELECT min(record_id) FROM epi.screening_record WHERE startsWith(community_code, {s:String})",
                       {"s": SCOPE})
    rounds = registry.run("mass/rounds", SCOPE)
    intervals = registry.run("trajectories/case_intervals", SCOPE, case_ids=case_ids, window_days=S.window_days,
                             resolution=S.companion_resolution, max_dwell_minutes=S.max_dwell_minutes)
    assert len(case_ids) >= 1 and len(intervals) > 0 and len(rounds) > 0
    return {
        "unit": SCOPE, "grain": 9, "as_of": DAY, "date_from": DAY - dt.timedelta(days=13), "day": DAY,
        "day_from": DAY - dt.timedelta(days=6), "hour": 10, "emergency_hours": S.appeal_emergency_hours,
        "pending_a": S.pending_hours_a, "pending_b": S.pending_hours_b, "congested_minutes": S.congested_minutes,
        **appeals.limit_params(S, DAY),
        "transfer_limit_hours": S.transfer_limit_hours, "close_test_days": list(S.close_test_days),
        "secondary_test_days": list(S.secondary_test_days), "test_days": list(S.close_test_days),
        "centralized_days": S.centralized_days, "case_ids": case_ids, "window_days": S.window_days,
        "resolution": S.companion_resolution, "ring": 1, "max_dwell_minutes": S.max_dwell_minutes,
        "min_overlap_minutes": S.companion_minutes, "iv_case": intervals["case_id"].tolist(),
        "iv_person": [int(x) for x in intervals["case_person"]], "iv_place": [int(x) for x in intervals["place_id"]],
        "iv_cell": [int(x) for x in intervals["cell"]], "iv_start": [int(x) for x in intervals["s"]],
        "iv_end": [int(x) for x in intervals["e"]], "with_names": 1,
        "walk_m": S.walk_circle_m, "limit": 200_000, "round_id": int(rounds["round_id"].iloc[-1]),
        "start_day": pd.Timestamp(rounds["first_day"].iloc[-1]).date(),
        "sealed_hours": S.sealed_target_hours, "controlled_hours": S.controlled_target_hours,
        "since": "2022-01-01 00:00:00", "at": "2022-03-20 12:00:00", "site_id": int(site["site_id"]), "site_code": site["site_code"],
        "mark_key": "none", "outcome_key": "none", "person_id": int(person["person_id"]),
        "id_number": person["id_number"], "phone": person["phone"], "person_name": person["name"],
        "topic_id": int(topic), "record_id": int(record), "batch": "none", "text": "小区",
    }


def params_for(name: str, context: dict) -> dict:
    wanted = registry.parameters(name)
    return {**{k: v for k, v in context.items() if k in wanted}, **OVERRIDES.get(name, {})}


def code_values(df: pd.DataFrame) -> dict[str, set[str]]:
    """Every area code a result carries: code columns, arrays of district codes, and the district
    inside each sampling-site code."""
    found: dict[str, set[str]] = {}
    for col in df.columns:
        values = df[col].dropna()
        if col == "site_code":
            found[col] = {m for v in values for m in SITE_CODE.findall(str(v))}
        elif CODE_COLUMN.search(col) or col == "districts":
            flat = values.explode() if col == "districts" else values
            found[col] = {str(v) for v in flat if str(v) != ""}
        elif values.map(lambda v: isinstance(v, str)).all():
            inside = {m for v in values for m in SITE_CODE.findall(v)}
            if inside:
                found[col] = inside
    return found


def read_queries() -> list[str]:
    return [n for n in registry.names() if n not in WRITES]


def test_every_query_is_covered_and_the_writes_are_named():
    assert WRITES <= set(registry.names()) and CITY_WIDE <= set(registry.names())
    # every query declares the scope and uses it in a real condition, not `{scope} = {scope}`
    for name in registry.names():
        sql = registry.load(name)
        assert "{scope:String}" in sql, name
        assert "{scope:String} = {scope:String}" not in sql or name in CITY_WIDE, name


@pytest.mark.parametrize("name", read_queries())
def test_every_query_returns_only_the_jurisdiction(tiny_warehouse, context, name):
    df = registry.run(name, SCOPE, **params_for(name, context))
    for column, codes in code_values(df).items():
        outside = sorted(c for c in codes if not (c.startswith(SCOPE) or SCOPE.startswith(c)))
        assert not outside, f"{name}.{column} shows {outside[:5]}"


NON_EMPTY = ["appeals/handling_by_unit", "cockpit/cases_by_unit", "contacts/chain", "contacts/funnel_by_unit",
             "geo/districts", "geo/units", "mass/site_states", "person/basics", "person/timeline",
             "quarantine/hotels", "screening/topic_records", "trajectories/case_points", "trajectories/companions",
             "zones/compound_profile", "zones/case_homes", "mass/round_progress_by_community"]


@pytest.mark.parametrize("name", NON_EMPTY)
def test_the_jurisdiction_still_sees_its_own_rows(tiny_warehouse, context, name):
    """The checks above would pass on empty results: these queries must return 锦江区's rows."""
    assert len(registry.run(name, SCOPE, **params_for(name, context))) > 0


@pytest.mark.parametrize("how", ["id_number", "phone", "person_name"])
def test_a_person_of_another_district_is_not_found(tiny_warehouse, wh, how):
    other = wh.query_df("SELECT person_id, name, id_number, phone FROM epi.person WHERE startsWith(community_code, "
                        "{s:String}) ORDER BY person_id LIMIT 1", {"s": OTHER}).iloc[0]
    value = {"id_number": other["id_number"], "phone": other["phone"], "person_name": other["name"]}[how]
    query = {"id_number": "person/search_by_id_number", "phone": "person/search_by_phone",
             "person_name": "person/search_by_name"}[how]
    assert len(registry.run(query, OTHER, **{how: value})) >= 1  # there is someone to find
    found = registry.run(query, SCOPE, **{how: value})
    assert int(other["person_id"]) not in set(found["person_id"])
    assert found["community_code"].str.startswith(SCOPE).all()
    pid = int(other["person_id"])
    assert registry.run("person/basics", SCOPE, person_id=pid).empty
    assert registry.run("person/timeline", SCOPE, person_id=pid).empty


def count(wh, table: str) -> int:
    return wh.scalar(f"SELECT count() FROM epi.{table}")


def test_writes_aimed_at_another_district_write_nothing(tiny_warehouse, wh):
    """Each writing statement run as 锦江区 against another district's site, record, people,
    topic or plan leaves every table as it was."""
    site = int(wh.scalar("SELECT min(site_id) FROM epi.sampling_site WHERE startsWith(community_code, {s:String})",
                         {"s": OTHER}))
    record = int(wh.scalar("SELECT min(record_id) FROM epi.screening_record WHERE startsWith(community_code, "
                           "{s:String})", {"s": OTHER}))
    people = [int(p) for p in wh.query_df("SELECT person_id FROM epi.person WHERE startsWith(community_code, "
                                          "{s:String}) ORDER BY person_id LIMIT 3", {"s": OTHER})["person_id"]]
    before = {t: count(wh, t) for t in ("site_mark", "screening_outcome", "screening_record", "screening_topic",
                                        "screening_dispatch", "risk_zone")}
    registry.execute("mass/add_mark", SCOPE, mark_key="jurisdiction-test", site_id=site, state="busy",
                     queue_minutes=30, operator="测试", operator_scope=SCOPE)
    registry.execute("screening/add_outcome", SCOPE, outcome_key="jurisdiction-test", record_id=record,
                     outcome="verified", escalated=0, note="", operator="测试", operator_scope=SCOPE)
    registry.execute("screening/add_topic_records", SCOPE, topic_id=990, person_ids=people,
                     batch_id="jurisdiction-test", department="CDC", category="CDC-07")
    registry.execute("screening/add_topic", SCOPE, topic_id=990, topic_name="他区名单", window_start="2022-03-01 00:00:00",
                     window_end="2022-03-02 00:00:00", departments=["CDC"])
    # another district's topic records: a 锦江区 caller can neither dispatch nor delete them
    registry.execute("screening/add_topic_records", OTHER, topic_id=990, person_ids=people,
                     batch_id="jurisdiction-test", department="CDC", category="CDC-07")
    registry.execute("screening/dispatch_topic", SCOPE, topic_id=990, dispatcher="测试")
    registry.execute("screening/drop_topic_records", SCOPE, topic_id=990, batch_id="jurisdiction-test")
    assert count(wh, "screening_record") == before["screening_record"] + 3
    registry.execute("screening/drop_topic_records", OTHER, topic_id=990, batch_id="jurisdiction-test")
    assert count(wh, "screening_record") == before["screening_record"]
    # another district's plan cannot be published by 锦江区
    plan = int(wh.scalar("SELECT max(plan_id) FROM epi.zone_plan")) + 1
    registry.execute("zones/save_plan", OTHER, plan_id=plan, plan_name="武侯辖区测试方案", author="乙", as_of=DAY,
                     geometry='{"type":"FeatureCollection","features":[]}')
    assert registry.run("zones/plans", SCOPE).query("plan_id == @plan").empty
    registry.execute("zones/publish_plan", SCOPE, plan_id=plan, first_zone_id=90_000, tiers=["high"], zone_names=["x"],
                     district_codes=[OTHER], geometries=['{"type":"Point","coordinates":[104.0,30.6]}'],
                     start_at="2022-03-01 22:00:00")
    wh.command("DELETE FROM epi.zone_plan WHERE plan_id = {p:UInt32}", {"p": plan})
    assert {t: count(wh, t) for t in before} == before


def test_an_operator_lists_only_the_topics_holding_their_records(tiny_warehouse, wh):
    raw = wh.query_df("SELECT topic_id, community_code FROM epi.screening_record")
    mine = set(raw.loc[raw["community_code"].str.startswith(SCOPE), "topic_id"])
    listed = registry.run("screening/topics", SCOPE)
    assert set(listed["topic_id"]) == mine
    assert len(registry.run("screening/topics", "")) > len(mine)  # others' topics exist, unseen


def test_a_topic_of_only_another_districts_people_is_refused(tiny_warehouse, wh):
    from portal.tracing.topics import TopicError, create_topic

    people = [int(p) for p in wh.query_df("SELECT person_id FROM epi.person WHERE startsWith(community_code, "
                                          "{s:String}) ORDER BY person_id LIMIT 3", {"s": OTHER})["person_id"]]
    before = (count(wh, "screening_topic"), count(wh, "screening_record"))
    window = (dt.datetime(2022, 3, 1), dt.datetime(2022, 3, 2))
    with pytest.raises(TopicError, match="都不在您的管辖范围内"):
        create_topic(SCOPE, "他区人员名单", people, window)
    assert (count(wh, "screening_topic"), count(wh, "screening_record")) == before


def test_refusals_name_nothing_of_the_other_district(tiny_warehouse, wh, monkeypatch, tmp_path):
    from portal.auth.session import Identity
    from portal.testing import marks
    from portal.tracing import screening

    monkeypatch.setenv("EPI_PORTAL_DB", f"sqlite:///{tmp_path / 'audit.sqlite'}")
    operator = Identity("锦江值班员", "district_operator", SCOPE)
    record = int(wh.scalar("SELECT min(record_id) FROM epi.screening_record WHERE startsWith(community_code, "
                           "{s:String})", {"s": OTHER}))
    with pytest.raises(screening.OutcomeRefused) as refused:
        screening.record_outcome(operator, record, "verified", "", screening.new_key())
    assert str(refused.value) == f"排查记录 {record} 不在您的管辖范围（510104）内，不能登记核查结果；请转交所属区县。"
    with pytest.raises(marks.MarkRefused) as refused:
        marks.submit(operator, "HS-510107-0002", "busy", 30, marks.new_key(), S)
    assert "武侯区" not in str(refused.value) and "街道" not in str(refused.value)
