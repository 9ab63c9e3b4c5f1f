"""预警中心: each rule fires at its threshold and not one step short of it; a check creates,
updates, clears and escalates alert instances exactly, every change audited; people acknowledge
and handle within their jurisdiction; the CLI is idempotent and its exit codes hold."""

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from portal.alerts import center, rules
from portal.alerts.rules import RULES, When
from portal.auth import audit
from portal.auth.identity import Identity
from portal.settings import PortalSettings
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = PortalSettings()
MARCH_1 = When.end_of(dt.date(2022, 3, 1))
APPEAL = 990_001  # a hand-made emergency appeal in June 2023, outside the story
LEADER = Identity("领导", "leadership", "")
OPERATOR_107 = Identity("青羊值班", "district_operator", "510105")
OPERATOR_104 = Identity("锦江值班", "district_operator", "510104")
ANALYST = Identity("分析", "analyst", "")


def city(name, **params):
    return registry.run(name, "", **params)


def found(rule_id, when=MARCH_1, settings=SETTINGS, run=city) -> pd.DataFrame:
    return RULES[rule_id].evaluate(run, settings, when).set_index("subject_key")


def with_(**changes) -> PortalSettings:
    return dataclasses.replace(SETTINGS, **changes)


@pytest.fixture(scope="module")
def emergency(wh):
    """One emergency appeal received 2023-06-10 08:00 in 510105007005, handled at 11:00."""
    row = {"appeal_id": APPEAL, "channel": "hotline", "type": "help", "topic": "测试紧急", "is_emergency": 1,
           "community_code": "510105007005", "received_at": pd.Timestamp("2023-06-10 08:00"),
           "dispatched_at": pd.Timestamp("2023-06-10 08:30"), "handled_at": pd.Timestamp("2023-06-10 11:00"),
           "replied_at": None, "closed_at": None, "rated_at": None, "rating": None,
           "src_department": "12345", "src_category": "12345-01", "batch_id": "test", "source_row": 0}
    frame = pd.DataFrame([row])
    for col in ("received_at", "dispatched_at", "handled_at"):
        frame[col] = frame[col].dt.tz_localize("Asia/Shanghai")
    for col in ("replied_at", "closed_at", "rated_at"):
        frame[col] = pd.Series([pd.NaT], dtype="datetime64[ns, Asia/Shanghai]")
    frame["rating"] = pd.Series([None], dtype="UInt8")
    wh.insert_df("appeal", frame)
    yield
    wh.command("DELETE FROM epi.appeal WHERE appeal_id = {id:UInt64}", {"id": APPEAL})


def at(text: str) -> When:
    return When(dt.datetime.fromisoformat(text))


# -- the registry ---------------------------------------------------------------------------------

def test_every_rule_names_a_setting_severity_and_role():
    fields = {f.name for f in dataclasses.fields(PortalSettings)}
    assert len(RULES) >= 9
    for rule in RULES.values():
        assert rule.threshold in fields and rule.severity in rules.SEVERITIES
        assert rule.owner in ("leadership", "analyst", "district_operator")
        if rule.collect is None:
            assert (ROOT / "queries" / f"{rule.query}.sql").exists()


def test_as_of_moments_read_as_days_and_hours():
    assert When.parse("2022-03-01").moment == dt.datetime(2022, 3, 2)
    assert (When.parse("2022-03-01").day, When.parse("2022-03-01").hour) == (dt.date(2022, 3, 1), 23)
    ten = When.parse("2022-03-01T10:00")
    assert (ten.day, ten.hour_day, ten.hour) == (dt.date(2022, 2, 28), dt.date(2022, 3, 1), 9)
    assert When.parse("2022-03-01").hour_day == dt.date(2022, 3, 1)
    assert When.parse("2022-03-01").label == "2022-03-01 24:00"
    for bad in ("2022-3-1", "2022-03-01 10:00", "昨天", "2022-03-32"):
        with pytest.raises(ValueError):
            When.parse(bad)


def test_operations_guide_lists_every_rule_and_the_escalation_setting():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert rules.rules_table() in text
    assert "EPI_ALERT_ESCALATE_MINUTES" in text and "python -m portal.alerts check" in text


# -- each rule at its threshold ----------------------------------------------------------------------

def test_contacts_not_transferred_at_the_limit(tiny_warehouse):
    df = found("contact_not_transferred")
    assert df["value"].to_dict() == {"person:4012": 19.0, "person:284": 14.0, "person:3181": 14.0}
    assert df.loc["person:4012", "area_code"] == "510107008006"
    # identified 03-01 04:10: 19 h 49 min before 24:00
    assert "person:4012" in found("contact_not_transferred", settings=with_(transfer_limit_hours=19)).index
    assert "person:4012" not in found("contact_not_transferred", settings=with_(transfer_limit_hours=20)).index


def test_missed_quarantine_tests_follow_the_protocol_days(tiny_warehouse):
    df = found("quarantine_test_missed")
    assert len(df) == 17 and df.loc["person:338", "detail"] == "管控人员（人员编号 338）缺第 5 天核酸检测"
    assert len(found("quarantine_test_missed", When.end_of(dt.date(2022, 3, 20)))) == 5
    without_day_5 = with_(close_test_days=(1, 2, 3, 7))
    assert "person:338" not in found("quarantine_test_missed", settings=without_day_5).index


def test_missed_days_are_listed_in_order_and_counted_each_time(tiny_warehouse):
    """A person's missed protocol days as the rule words them, from the closed-loop rows (the
    statement's rows at 2022-03-01 24:00, person 338 given days 7, 1 and 7 more, as a second
    episode can)."""
    rows = rules._contact_alerts(city, SETTINGS, MARCH_1)
    mine = rows[(rows["alert"] == "missing_test") & (rows["person_id"] == 338)]
    assert mine["detail"].tolist() == ["5"]
    more = pd.concat([rows, mine.assign(detail="7"), mine.assign(detail="1"), mine.assign(detail="7")], ignore_index=True)
    df = rules._test_missed(lambda name, **p: more, SETTINGS, MARCH_1).set_index("subject_key")
    assert df.loc["person:338", "value"] == 4.0
    assert df.loc["person:338", "detail"] == "管控人员（人员编号 338）缺第 1、5、7、7 天核酸检测"
    before = rules._test_missed(lambda name, **p: rows, SETTINGS, MARCH_1).set_index("subject_key")
    assert df.drop(index="person:338").equals(before.drop(index="person:338")) and len(before) == 17


def test_hotels_over_the_occupancy_line(tiny_warehouse):
    day = When.end_of(dt.date(2022, 3, 10))
    assert found("hotel_full", day).empty  # the seed's hotels stay far from 90 %
    # hotel 27: 3 people in 102 rooms, 2.9 %
    fires = found("hotel_full", day, with_(hotel_occupancy_warn_pct=2))
    assert fires.loc["hotel:27", "value"] == 2.9 and fires.loc["hotel:27", "area_code"] == "510182008012"
    assert "hotel:27" not in found("hotel_full", day, with_(hotel_occupancy_warn_pct=3)).index


def test_congested_sites_at_the_line_and_by_a_site_leads_mark(tiny_warehouse):
    ten = at("2022-03-01T10:00")  # reports up to 09:59
    df = found("site_congested", ten)
    assert len(df) == 459 and df.loc["site:HS-510104-0065", "value"] == 62.0
    assert "site:HS-510104-0065" in found("site_congested", ten, with_(congested_minutes=62)).index
    assert "site:HS-510104-0065" not in found("site_congested", ten, with_(congested_minutes=63)).index
    site = city("mass/site_states", unit="", day=dt.date(2022, 3, 1), hour=9).set_index("site_code")
    quiet = site[site["queue_minutes"].fillna(0) < 25].index[0]

    def marked(minutes_ago):
        def run(name, **params):
            if name != "mass/live_marks":
                return city(name, **params)
            s = site.loc[quiet]
            return pd.DataFrame([{"mark_key": "k", "site_id": s["site_id"], "site_code": quiet, "site_name": s["site_name"],
                                  "community_code": s["community_code"], "state": "congested", "queue_minutes": 70,
                                  "operator": "负责人", "operator_scope": "510104",
                                  "marked_at": ten.moment - dt.timedelta(minutes=minutes_ago)}])
        return run

    assert found("site_congested", ten, run=marked(5)).loc[f"site:{quiet}", "value"] == 70.0
    assert f"site:{quiet}" not in found("site_congested", ten, run=marked(-5)).index  # marked after the moment


def test_results_pending_are_the_cockpits_figures(tiny_warehouse):
    day = dt.date(2022, 3, 2)
    df = found("results_pending", When.end_of(day))
    pending = cockpit_pending(day, SETTINGS.pending_hours_b)
    assert df["value"].to_dict() == {f"district:{k}": float(v) for k, v in pending.items() if v > 0}
    assert len(df) > 0
    longer = found("results_pending", When.end_of(day), with_(pending_hours_b=60))
    assert longer["value"].sum() < df["value"].sum()


def cockpit_pending(day, hours):
    rows = city("cockpit/samples_by_unit", unit="", grain=6, as_of=day, pending_a=SETTINGS.pending_hours_a,
                pending_b=hours)
    return dict(zip(rows["unit_code"], rows["pending_b"]))


def test_emergency_appeals_late_after_two_hours(emergency):
    key = f"appeal:{APPEAL}"
    assert key not in found("appeal_emergency_late", at("2023-06-10T10:00")).index  # exactly 2 h
    late = found("appeal_emergency_late", at("2023-06-10T10:01"))
    assert late.loc[key, "area_code"] == "510105007005" and round(late.loc[key, "value"], 2) == 2.02
    assert key in found("appeal_emergency_late", at("2023-06-10T11:00")).index
    assert key not in found("appeal_emergency_late", at("2023-06-10T11:01")).index  # handled at 11:00
    assert key not in found("appeal_emergency_late", at("2023-06-10T11:01"), with_(appeal_emergency_hours=4)).index


def test_overdue_appeals_against_their_working_day_limit(tiny_warehouse):
    df = found("appeal_overdue")
    assert df["value"].to_dict() == {"appeal:23": 9.0, "appeal:47": 6.0}
    limits = dict(SETTINGS.appeal_limit_days)
    assert "appeal:23" in found("appeal_overdue", settings=with_(appeal_limit_days={**limits, "consultation": 8})).index
    assert "appeal:23" not in found("appeal_overdue", settings=with_(appeal_limit_days={**limits, "consultation": 9})).index


def _feeds(hours_ago: float):
    def run(name, **params):
        assert name == "sources/freshness_by_category"
        return pd.DataFrame([{"category_code": "PSB-01", "category": "常住人口", "department_code": "PSB",
                              "department": "公安局", "target_table": "person", "batches": 1, "rows_loaded": 10,
                              "rows_rejected": 0, "unfinished": 0,
                              "last_loaded_at": MARCH_1.moment - dt.timedelta(hours=hours_ago)}])
    return run


def test_a_stale_feed_past_its_hours():
    assert found("feed_stale", run=_feeds(24.5)).loc["category:PSB-01", "value"] == 24.5
    assert found("feed_stale", run=_feeds(24)).empty  # the sources page: older than 24 h
    assert RULES["feed_stale"].city_only


def _volume(before_total: int):
    """Topic 测试 with 3 appeals on 03-01 and `before_total` over the 7 days before."""
    rows = [{"day": dt.date(2022, 3, 1), "channel": "hotline", "type": "help", "topic": "测试", "is_emergency": 0,
             "appeals": 3},
            {"day": dt.date(2022, 2, 25), "channel": "hotline", "type": "help", "topic": "测试", "is_emergency": 0,
             "appeals": before_total}]

    def run(name, **params):
        return pd.DataFrame(rows)
    return run


def test_a_rising_topic_at_the_ratio():
    # 3 today against a mean of 14 / 7 = 2.0: exactly 1.5 times
    assert found("appeal_topic_rising", run=_volume(14)).loc["topic:测试", "value"] == 3.0
    assert found("appeal_topic_rising", run=_volume(15)).empty  # 3 < 1.5 × 2.14
    assert found("appeal_topic_rising", run=_volume(14), settings=with_(appeal_rising_min=4)).empty


def test_rising_topics_across_the_city_on_the_seed(tiny_warehouse):
    assert list(found("appeal_topic_rising").index) == ["topic:封控区生活物资", "topic:核酸采样点时间地点"]


# -- instances: check, acknowledge, handle, clear, escalate ------------------------------------------------

def _rule(frames: dict):
    """A hand-made rule whose subjects at each moment are given."""
    def collect(run, settings, when):
        return pd.DataFrame(frames.get(when.moment, []), columns=rules.SUBJECT_COLUMNS)
    return {"handmade": rules.Rule("handmade", "测试规则", "测试", "alert_escalate_minutes", "警告",
                                   "district_operator", collect=collect)}


def _states():
    df = center.instances("")
    return {(r.subject_key, r.state, int(r.level), bool(r.escalated)) for r in df.itertuples()}


def _kinds():
    return audit.search(kinds=[k for k in audit.kinds_seen() if k.startswith("alert_")])[
        ["kind", "actor", "subject"]].values.tolist()[::-1]


@pytest.mark.usefixtures("own_audit_store")
def test_a_new_community_case_per_community_of_the_day(tiny_warehouse):
    index_day = found("community_case", When.end_of(dt.date(2022, 2, 20)))
    assert len(index_day) == 3 and index_day["value"].sum() == 3  # the three index cases, all 社会面
    march_1 = found("community_case")
    # the four cases found by mass testing that day (CD-0053, -0054, -0056, -0059), none under control
    assert march_1["value"].to_dict() == {f"community_case:{c}:2022-03-01": 1.0 for c in (
        "510104001004", "510107002007", "510107009009", "510107017011")}
    first = march_1.loc["community_case:510104001004:2022-03-01"]
    assert first["area_code"] == "510104001004"
    assert first["detail"] == "03月01日新增社会面病例 1 例，所在区（市）县的社会面清零重新计算"


def test_a_district_whose_rt_lower_bound_passes_the_line(tiny_warehouse):
    df = found("rt_above_one")
    assert df["value"].to_dict() == {"rt:510107": 1.18}
    assert df.loc["rt:510107", "detail"] == "Rt 1.75（95%可信区间 1.18–2.43），窗口内 29 例"
    assert "rt:510107" in found("rt_above_one", settings=with_(rt_alert_lower_bound=1.17)).index
    assert found("rt_above_one", settings=with_(rt_alert_lower_bound=1.19)).empty
    assert found("rt_above_one", When.end_of(dt.date(2022, 2, 20))).empty  # too few cases to report Rt


@pytest.mark.usefixtures("own_audit_store")
def test_a_check_creates_updates_clears_and_is_idempotent():
    t0, t1, t2 = dt.datetime(2022, 3, 1, 8), dt.datetime(2022, 3, 1, 8, 30), dt.datetime(2022, 3, 1, 9)
    a = {"subject_key": "person:1", "area_code": "510105007005", "value": 1, "detail": "甲"}
    b = {"subject_key": "person:2", "area_code": "510104001001", "value": 2, "detail": "乙"}
    handmade = _rule({t0: [a, b], t1: [a | {"value": 3, "detail": "甲3"}, b], t2: [b]})
    first = center.check(city, SETTINGS, When(t0), handmade)
    assert len(first.new) == 2 and first.new[0].startswith("新预警 #1 [警告] 测试规则 510105007005 person:1：甲")
    again = center.check(city, SETTINGS, When(t0), handmade)
    assert (again.new, again.escalated, again.updated, again.cleared) == ([], [], 0, 0)
    later = center.check(city, SETTINGS, When(t1), handmade)
    assert (len(later.new), later.updated, later.cleared) == (0, 2, 0)
    rows = center.instances("").set_index("subject_key")
    assert rows.loc["person:1", "value"] == 3 and rows.loc["person:1", "detail"] == "甲3"
    assert rows.loc["person:1", "last_seen"] == pd.Timestamp(t1) and rows.loc["person:1", "first_seen"] == pd.Timestamp(t0)
    gone = center.check(city, SETTINGS, When(t2), handmade)
    assert gone.cleared == 1
    # 60 min unacknowledged at 09:00: person:2 (a community) goes up to the district
    assert gone.escalated == ["已升级至区县 #2 [警告] 测试规则 510104001001 person:2：60 分钟内无人确认"]
    assert _states() == {("person:1", "cleared", 0, False), ("person:2", "new", 1, True)}
    assert _kinds() == [["alert_new", "预警检查", "alert:1"], ["alert_new", "预警检查", "alert:2"],
                        ["alert_clear", "预警检查", "alert:1"], ["alert_escalate", "预警检查", "alert:2"]]
    # the condition back: a new instance, the cleared one stays as history
    back = center.check(city, SETTINGS, When(t2 + dt.timedelta(hours=1)), _rule({t2 + dt.timedelta(hours=1): [a, b]}))
    assert len(back.new) == 1 and back.new[0].startswith("新预警 #3")
    assert back.escalated == ["已升级至市级 #2 [警告] 测试规则 510104001001 person:2：60 分钟内无人确认"]
    # the store filters, counts and cuts the list (the alert centre lists at most LIST_LIMIT)
    assert (center.count(""), center.count("", center.OPEN), center.count("510104", rules=("handmade",))) == (3, 2, 1)
    assert center.instances("", limit=2)["alert_id"].tolist() == [3, 2]
    assert center.instances("", center.OPEN, by_first_seen=True)["alert_id"].tolist() == [3, 2]
    assert center.instances("510104", rules=("handmade",))["alert_id"].tolist() == [2]
    assert center.instances("", severities=("严重",)).empty
    assert center.open_counts("") == {"严重": 0, "警告": 2, "提示": 0}


@pytest.mark.usefixtures("own_audit_store")
def test_acknowledge_and_handle_within_the_jurisdiction():
    t0 = dt.datetime(2022, 3, 1, 8)
    a = {"subject_key": "person:1", "area_code": "510105007005", "value": 1, "detail": "甲"}
    center.check(city, SETTINGS, When(t0), _rule({t0: [a]}))
    with pytest.raises(center.AlertError, match="不存在或不在您的管辖范围"):
        center.acknowledge(OPERATOR_104, 1)
    with pytest.raises(center.AlertError, match="只有指挥部领导和本辖区的区县工作人员"):
        center.acknowledge(ANALYST, 1)
    with pytest.raises(center.AlertError, match="当前为“待确认”"):
        center.handle(OPERATOR_107, 1, "已处理")
    center.acknowledge(OPERATOR_107, 1, "收到")
    with pytest.raises(center.AlertError, match="请填写处置情况"):
        center.handle(LEADER, 1, " ")
    center.handle(LEADER, 1, "已转运")
    row = center.instances("510105").iloc[0]
    assert (row["state"], row["acknowledged_by"], row["acknowledge_note"], row["handled_by"], row["handle_note"]) == (
        "handled", "青羊值班", "收到", "领导", "已转运")
    assert center.instances("510104").empty
    # handled stays handled while the condition lasts (no new alert), then clears by itself
    assert center.check(city, SETTINGS, When(t0 + dt.timedelta(hours=3)), _rule({t0 + dt.timedelta(hours=3): [a]})).new == []
    center.check(city, SETTINGS, When(t0 + dt.timedelta(hours=4)), _rule({}))
    assert _states() == {("person:1", "cleared", 0, False)}
    history = center.history(1)
    assert history["event"].tolist() == ["预警解除", "处置预警", "确认预警", "新预警"]
    assert history["detail"].tolist()[1:3] == ["handmade 人员：1 已确认 → 已处置：已转运",
                                               "handmade 人员：1 待确认 → 已确认：收到"]
    assert center.open_counts("") == {"严重": 0, "警告": 0, "提示": 0}


@pytest.mark.usefixtures("own_audit_store")
def test_an_acknowledged_alert_is_not_escalated_and_a_district_alert_goes_to_the_city():
    t0 = dt.datetime(2022, 3, 1, 8)
    rows = [{"subject_key": "person:1", "area_code": "510105007005", "value": 1, "detail": "甲"},
            {"subject_key": "district:510104", "area_code": "510104", "value": 5, "detail": "乙"}]
    later = t0 + dt.timedelta(minutes=61)
    rule = _rule({t0: rows, later: rows})
    center.check(city, SETTINGS, When(t0), rule)
    center.acknowledge(LEADER, 1)
    report = center.check(city, SETTINGS, When(later), rule)
    assert report.escalated == ["已升级至市级 #2 [警告] 测试规则 510104 district:510104：60 分钟内无人确认"]
    assert _states() == {("person:1", "acknowledged", 0, False), ("district:510104", "new", 2, True)}
    assert center.listing(center.instances(""))["alert_escalation"].tolist() == ["", "已升级至市级"]


@pytest.mark.usefixtures("own_audit_store", "emergency")
def test_the_emergency_rule_through_new_acknowledged_and_cleared():
    only = {"appeal_emergency_late": RULES["appeal_emergency_late"]}
    first = center.check(city, SETTINGS, at("2023-06-10T10:01"), only)
    assert first.new == [f"新预警 #1 [严重] 紧急诉求超时未办 510105007005 appeal:{APPEAL}：紧急诉求 {APPEAL}（测试紧急）"
                         "受理于 06-10 08:00，至今未办结处置"]
    center.acknowledge(OPERATOR_107, 1, "已派单")
    assert center.check(city, SETTINGS, at("2023-06-10T10:30"), only).new == []
    assert center.check(city, SETTINGS, at("2023-06-10T11:01"), only).cleared == 1
    assert center.instances("").iloc[0]["state"] == "cleared"
    assert center.open_counts("510105") == {"严重": 0, "警告": 0, "提示": 0}


@pytest.mark.usefixtures("own_audit_store")
def test_a_failing_rule_is_reported_and_the_others_still_run():
    t0 = dt.datetime(2022, 3, 1, 8)

    def broken(run, settings, when):
        raise RuntimeError("query failed")
    handmade = _rule({t0: [{"subject_key": "person:1", "area_code": "510105007005", "value": 1, "detail": "甲"}]})
    handmade["broken"] = rules.Rule("broken", "坏规则", "测试", "alert_escalate_minutes", "提示", "analyst",
                                    collect=broken)
    report = center.check(city, SETTINGS, When(t0), handmade)
    assert report.failed == {"broken": "RuntimeError: query failed"} and len(report.new) == 1


@pytest.mark.usefixtures("own_audit_store")
def test_a_page_uses_a_fresh_check_of_the_same_data_instead_of_making_one(monkeypatch):
    """A city-wide check of every rule is recorded with its moment and data version; a page finds
    it for the same data up to alert_check_fresh_minutes later, and makes its own otherwise."""
    t0 = dt.datetime(2022, 3, 1, 8)
    calls = []

    def counting(run, settings, when):
        calls.append(when.moment)
        return pd.DataFrame(columns=rules.SUBJECT_COLUMNS)
    monkeypatch.setattr(rules, "RULES", {"quiet": rules.Rule("quiet", "静规则", "测试", "alert_escalate_minutes", "提示",
                                                              "analyst", collect=counting)})
    monkeypatch.setattr(center, "RULES", rules.RULES)
    assert center.made(When(t0), "v1", 10) is None
    center.check(city, SETTINGS, When(t0), data_version="v1")
    assert calls == [t0]
    assert center.made(When(t0), "v1", 10).when == When(t0)
    assert center.made(When(t0 + dt.timedelta(minutes=10)), "v1", 10).when == When(t0)  # the job's, 10 min before
    assert center.made(When(t0 + dt.timedelta(minutes=11)), "v1", 10) is None  # too old: the page checks
    assert center.made(When(t0), "v2", 10) is None  # other data: the page checks
    assert center.made(When(t0 - dt.timedelta(minutes=1)), "v1", 10) is None  # a check of a later moment
    center.check(city, SETTINGS, When(t0), rules=rules.RULES, scope="510104", data_version="v3")
    assert center.made(When(t0), "v3", 10) is None  # a district's or a chosen set of rules' check is not the city's

    def broken(run, settings, when):
        raise RuntimeError("query failed")
    monkeypatch.setattr(rules, "RULES", {**rules.RULES, "broken": rules.Rule("broken", "坏规则", "测试",
                                                                            "alert_escalate_minutes", "提示", "analyst",
                                                                            collect=broken)})
    monkeypatch.setattr(center, "RULES", rules.RULES)
    center.check(city, SETTINGS, When(t0), data_version="v4")
    assert center.made(When(t0), "v4", 10).failed == {"broken": "上次检查时未能执行"}


@pytest.mark.usefixtures("own_audit_store")
def test_the_day_of_new_alerts_for_the_briefing(tiny_warehouse):
    report = center.check(city, SETTINGS, MARCH_1)
    assert not report.failed and len(report.new) == 812
    day = center.new_on("", dt.date(2022, 3, 1))
    assert day.values.tolist() == [["新增社会面病例", "严重", 4], ["密接超时未转运", "严重", 3],
                                   ["管控人员漏检", "警告", 17], ["区县 Rt 超过 1", "警告", 1],
                                   ["采样点拥堵", "警告", 783], ["诉求超期未办结", "提示", 2],
                                   ["诉求话题上升", "提示", 2]]
    assert center.open_counts("") == {"严重": 7, "警告": 801, "提示": 4}
    assert center.open_counts("510104")["严重"] == 2  # CD-0053 社会面 and person 284 not transferred
    assert center.new_on("", dt.date(2022, 3, 2)).empty


# -- the scheduled check -----------------------------------------------------------------------------

def _cli(env, *args):
    return subprocess.run([sys.executable, "-m", "portal.alerts", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_cli_is_idempotent_and_its_exit_codes_hold(own_warehouse, tmp_path):
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{own_warehouse}",
           "EPI_PORTAL_DB": f"sqlite:///{tmp_path / 'alerts.sqlite'}"}
    first = _cli(env, "check", "--as-of", "2022-03-01")
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.splitlines()) == 812
    assert "2022-03-01 24:00：新增 812，升级 0，更新 0，解除 0，规则失败 0" in first.stderr
    again = _cli(env, "check", "--as-of", "2022-03-01")
    assert (again.returncode, again.stdout) == (0, "")
    assert "新增 0，升级 0，更新 0，解除 0" in again.stderr
    # an hour later nothing is acknowledged: every street-level alert goes up to its district
    later = _cli(env, "check", "--as-of", "2022-03-02T01:00")
    assert later.returncode == 0, later.stderr
    assert sum(line.startswith("已升级至区县") for line in later.stdout.splitlines()) > 0
    bad = _cli(env, "check", "--as-of", "2022-03-01 10:00")
    assert bad.returncode == 2 and "无法识别" in bad.stderr
    assert _cli(env, "chek").returncode == 2
    # a rule whose query fails is named; the others still run
    drop = subprocess.run([sys.executable, "-c", "from warehouse import get_warehouse; "
                           "get_warehouse().command('DROP TABLE epi.quarantine_hotel')"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert drop.returncode == 0, drop.stderr
    broken = _cli(env, "check", "--as-of", "2022-03-01")
    assert broken.returncode == 1
    assert "error: 规则 hotel_full 未能执行" in broken.stderr and "规则失败 1" in broken.stderr
