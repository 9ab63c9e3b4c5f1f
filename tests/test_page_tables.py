"""What pages show, shaped in portal/ and headed by the one column glossary: pure functions on
small frames, exact figures."""

import datetime as dt

import pandas as pd
import pytest

from portal import glossary, ui
from portal.auth import audit
from portal.command import cockpit, sources
from portal.people import masking
from portal.testing import forecast, sampling
from portal.tracing import loop, screening, tracing
from portal.ui import pickers


def test_the_glossary_heads_known_columns_and_leaves_the_rest():
    df = pd.DataFrame({"site_code": ["C1"], "queue_minutes": [35], "合计": [1], "odd": [2]})
    assert list(ui.headed(df).columns) == ["采样点编码", "预计等候（分钟）", "合计", "odd"]
    assert glossary.label("home_community_code") == "居住社区" and glossary.label("odd") == "odd"
    labels = [c.label for c in glossary.COLUMNS.values()]
    assert "" not in labels


def test_counts_get_separators_but_codes_and_ids_do_not():
    df = pd.DataFrame({"person_id": [123456], "residents": [20937], "批次": [3], "人员编号": [9]})
    assert [ui._is_count(c, df[c]) for c in df.columns] == [False, True, True, False]


def test_masking_reads_english_names_through_the_glossary():
    df = pd.DataFrame({"person_name": ["黄昶瑶"], "name": ["锦江区"], "raw": ["x,13912345678"],
                       "home_community_code": ["510104008010"]})
    assert masking.shown(df).iloc[0].tolist() == ["黄**", "锦江区", "x,139****5678", "510104008010"]
    assert masking.personal_columns(df) == ["person_name", "raw"]
    assert masking.personal_columns(ui.headed(df)) == ["姓名", "原始内容"]


def test_categories_list_stale_feeds_first_with_words_for_states():
    fresh = pd.DataFrame({
        "category_code": ["A-02", "A-01", "B-01"], "category": ["乙", "甲", "丙"], "department_code": ["A", "A", "B"],
        "department": ["甲部门", "甲部门", "乙部门"], "target_table": ["person", "sample", "odd_table"],
        "state": ["fresh", "stale", "never"], "batches": [2, 1, 0], "rows_loaded": [10, 5, 0],
        "rows_rejected": [1, 0, 0], "last_loaded_at": pd.to_datetime(["2022-03-01 08:30", "2022-02-27 09:00", None]),
        "age_hours": [1.25, 48.0, float("nan")]})
    cats = sources.category_table(fresh)
    assert cats["category_code"].tolist() == ["A-01", "A-02", "B-01"]
    assert cats["feed_state"].tolist() == ["超时未更新", "正常", "未接入文件"]
    assert cats["target_table"].tolist() == ["核酸样本", "人员", "odd_table"]
    assert cats["age_hours"].tolist() == ["48.0", "1.2", "—"]
    assert cats["last_loaded_at"].tolist() == ["2022-02-27 09:00", "2022-03-01 08:30", "—"]
    assert sources.category_table(fresh, "B")["category_code"].tolist() == ["B-01"]
    assert list(ui.headed(cats).columns)[:5] == ["类别代码", "业务类别", "部门", "写入主题表", "状态"]


def test_batches_and_rejects_as_listed():
    batches = pd.DataFrame({"file_name": ["a.csv", "甲_20220301"], "category": ["甲"] * 2, "status": ["refused", "complete"],
                            "rows_read": [3, 1], "rows_loaded": [0, 1], "rows_rejected": [3, 0],
                            "finished_at": [pd.Timestamp("2022-03-01 08:30:59"), pd.Timestamp("2022-03-01 23:59:59")],
                            "department": ["甲部门"] * 2, "category_code": ["A-01"] * 2, "file_format": ["csv", "seed"],
                            "encoding": ["utf-8", ""], "message": ["", ""], "batch_id": ["A-01-x", "seed-x"]})
    listed = sources.batch_table(batches)
    assert listed[["status", "finished_at"]].iloc[0].tolist() == ["已拒收", "2022-03-01 08:30"]
    assert listed["file_format"].tolist() == ["csv", "种子生成"]  # a generated dataset's daily file
    rejects = pd.DataFrame({"row_number": [2], "column_name": ["(整行)"], "reason": ["列数不对"], "raw": ["x"]})
    assert sources.reject_table(rejects, "A-01")["column_name"].tolist() == ["整行"]


def test_topics_name_their_source_departments():
    topics = pd.DataFrame({"topic_id": [1], "topic_name": ["某专题"], "created_at": [pd.Timestamp("2022-02-20 06:00")],
                           "departments": ["PSB、CDC、X"], "records": [5], "matched": [4], "dispatched": [3],
                           "by_department": ["PSB:3,CDC:2"]})
    row = screening.topic_table(topics, {"PSB": "公安局", "CDC": "疾控中心"}).iloc[0]
    assert (row["source_departments"], row["records_by_department"]) == ("公安局、疾控中心、X", "公安局 3，疾控中心 2")


def test_the_audit_listing_names_kinds_roles_and_the_city():
    found = pd.DataFrame({"event_id": [2, 1], "at": pd.to_datetime(["2022-03-02 00:30", "2022-03-01 23:30"]),
                          "kind": ["person_file_view", "odd_kind"], "actor": ["李娜", "系统"],
                          "role": ["leadership", ""], "scope": ["", ""], "subject": ["person:12", "x"], "detail": ["", ""]})
    listed = ui.headed(audit.listing(found))
    assert list(listed.columns) == ["编号", "时间", "事件", "操作人", "角色", "管辖范围", "对象", "说明"]
    assert listed["事件"].tolist() == ["查看一人一档", "odd_kind"]
    assert listed["角色"].tolist() == ["指挥部领导", "—"] and listed["管辖范围"].tolist() == ["全市", "—"]
    assert listed["时间"].tolist() == ["2022-03-02 00:30:00", "2022-03-01 23:30:00"]
    assert listed["对象"].tolist() == ["人员：12", "x"]  # a subject in words; one the log does not know as it is
    operators = found.assign(role="district_operator", scope=["510104", "510104001"])
    assert audit.listing(operators, {"510104": "锦江区"})["scope"].tolist() == ["锦江区（510104）", "510104001"]


def test_audit_subjects_and_their_search_read_in_words():
    assert [audit.subject_label(s) for s in ("user:leader", "adhoc:sample", "pools:city:2022-03-01", "site:HS-1",
                                             "hotel-overdue:510104:2022-03-01", "audit_log")] == [
        "用户：leader", "自助分析：核酸样本与结果", "阳性混管：全市:2022-03-01", "采样点：HS-1",
        "集中隔离人员：510104:2022-03-01", "审计日志"]
    assert audit.subject_query(" 人员：11 ") == "person:11" and audit.subject_query("person:11") == "person:11"
    assert audit.subject_query("排查专题:3") == "screening_topic:3"


def test_chain_alerts_and_loop_tables():
    chain = pd.DataFrame({"case_id": ["CD-1", "CD-1"], "hop": [1, 2], "from_person_id": [1, 5], "to_person_id": [5, 6],
                          "found_by": ["household", "investigation"], "exposure_at": [pd.Timestamp("2022-03-01")] * 2,
                          "identified_at": [pd.Timestamp("2022-03-02")] * 2, "place_name": ["", "某超市"],
                          "person_name": ["张三", "李四"], "home_community_code": ["510104001001"] * 2,
                          "outcome": ["in_progress", ""]})
    table = ui.headed(loop.chain_table(chain))
    assert table[["层级", "发现方式", "管控状态"]].values.tolist() == [["密接", "同住家庭", "管控中"],
                                                                ["次密接", "流调排查", "未纳入管控"]]
    assert masking.shown(table)["姓名"].tolist() == ["张*", "李*"]
    alerts = pd.DataFrame({"alert": ["not_transferred", "missing_test"], "person_id": [5, 6],
                           "person_name": ["张三", "李四"], "home_community_code": ["510104001001"] * 2,
                           "case_id": ["CD-1"] * 2, "identified_at": [pd.Timestamp("2022-03-02")] * 2,
                           "detail": ["14", "3"]})
    view = loop.alert_table(alerts)
    assert view[["alert", "alert_note"]].values.tolist() == [["判定后超时未转运", "已 14 小时未转运"],
                                                             ["隔离期应检未检", "隔离第 3 天未检测"]]
    funnel = pd.DataFrame({c: [1] for c in loop.UNIT_COLUMNS if c != "name"} | {"unit_code": ["510104"]})
    assert loop.unit_table(funnel, {"510104": "锦江区"})[["name", "unit_code"]].values.tolist() == [["锦江区", "510104"]]


def test_stops_links_and_companions_in_words():
    stays = pd.DataFrame({"case_id": ["CD-1", "CD-2"], "place_name": ["", "某超市"],
                          "ts": pd.to_datetime(["2022-03-01 08:00", "2022-03-01 09:00"]),
                          "left_at": pd.to_datetime(["2022-03-01 09:00", "2022-03-01 10:00"]), "dwell_minutes": [60, 60]})
    assert tracing.stop_table(stays)["place"].tolist() == ["住所附近（基站）", "某超市"]
    links = pd.DataFrame({"place_name": ["某超市"], "cell": ["88"], "cases": [["CD-1", "CD-2"]], "times": ["08:00"]})
    assert tracing.link_table(links, "place_name").values.tolist() == [["某超市", "CD-1、CD-2", "08:00"]]
    assert list(ui.headed(tracing.link_table(links, "cell")).columns) == ["网格", "病例", "到访时间"]
    found = pd.DataFrame({"case_id": ["CD-1"], "person_name": ["王五"], "person_id": [7], "overlap_minutes": [31.6],
                          "first_at": [pd.Timestamp("2022-03-01 08:00")], "place_name": [""], "cell": ["88"],
                          "companion_community": ["某社区"], "home_community_code": ["510104001001"],
                          "home_community": ["某某社区"], "known_contact": [1], "same_household": [0],
                          "control_outcome": ["released"]})
    table = tracing.companion_table(found)
    row = table.iloc[0]
    assert row[["known_contact", "same_household", "control_outcome", "companion_place"]].tolist() == [
        "是", "否", "已解除管控", "（基站定位）"]
    # names, not grid or community codes; whole minutes
    assert "cell" not in table and "home_community_code" not in table
    assert (row["overlap_minutes"], row["companion_community"], row["home_community"]) == (32, "某社区", "某某社区")


def test_hourly_and_district_flow():
    hourly = pd.DataFrame({"district_code": ["510104", "510104", "510105"], "hour": [9, 10, 9],
                           "samples": [30, 50, 7]})
    capacity = pd.DataFrame({"district_code": ["510104", "510104", "510105"], "hour": [9, 10, 9],
                             "capacity": [40.4, 60.6, 0.0]})
    flow = sampling.hourly_flow(hourly, capacity)
    assert len(flow) == 24 and flow.loc[9, ["samples", "capacity"]].tolist() == [37, 40.4]
    assert flow["samples"].sum() == 87 and flow.loc[0, "capacity"] == 0
    per = sampling.district_flow(hourly, capacity, {"510104": "锦江区"})
    assert per.iloc[0].tolist() == ["锦江区", "510104", 80, 50, 61, 82.0]
    assert per.iloc[1, 1:5].tolist() == ["510105", 7, 7, 0]
    assert pd.isna(per.iloc[1]["district_name"]) and pd.isna(per.iloc[1]["use_pct"])  # no capacity: no share


def test_forecast_by_site_and_score_table():
    guess = pd.DataFrame({"site_id": [1, 1, 2, 2], "hour": [9, 10, 9, 10], "expected": [1.0, 2.0, 5.0, 0.5]})
    sites = pd.DataFrame({"site_id": [1, 2], "site_code": ["S1", "S2"], "site_name": ["甲", "乙"]})
    top = forecast.by_site(guess, sites)
    assert list(top.columns) == ["site_code", "site_name", "09时", "10时", "合计"]
    assert top["site_code"].tolist() == ["S2", "S1"] and top["合计"].tolist() == [5.5, 3.0]
    score = pd.DataFrame({"day": [dt.date(2022, 3, 1)], "round_day": [True], "actual": [10], "predicted": [8.0],
                          "mae": [0.5], "mape_pct": [20.0]})
    assert forecast.score_table(score)["day_kind"].tolist() == ["全员核酸日"]


@pytest.mark.parametrize("indicator,expected", [("transfer_24h_rate", [50.0, 0.0]), ("under_control", [2, 0])])
def test_cockpit_units_take_the_days_figures(indicator, expected):
    units = pd.DataFrame({"unit_code": ["510104", "510105"], "name": ["锦江区", "青羊区"]})
    today = pd.DataFrame({"close_cohort_24h": [4], "close_transferred_24h": [2], "under_control": [2]},
                         index=pd.Index(["510104"], name="unit_code"))
    table = cockpit.unit_table(units, today, indicator)
    column = indicator if indicator in table else "under_control"
    assert table[column].tolist() == expected


def test_pickers_default_to_the_latest_round_and_narrow_to_the_jurisdiction():
    rounds = pd.DataFrame({"first_day": ["2022-02-25", "2022-03-02", "2022-03-09"]})
    assert pickers.latest_round_day(rounds, dt.date(2022, 3, 5)) == dt.date(2022, 3, 2)
    assert pickers.latest_round_day(rounds.iloc[:0], dt.date(2022, 3, 5)) == dt.date(2022, 3, 5)
    assert len(pickers.districts_in("")) == 20 and list(pickers.districts_in("510104001")) == ["510104"]
    assert [pickers.unit_of(s, d) for s, d in [("", ""), ("", "510104"), ("510104", "510104"),
                                               ("510104001", "510104")]] == ["", "510104", "510104", "510104001"]


def test_the_cockpit_trend_has_every_day_and_metric():
    trend = pd.DataFrame({"day": [dt.date(2022, 3, 1), dt.date(2022, 3, 1), dt.date(2022, 3, 3)],
                          "metric": ["confirmed", "confirmed", "samples_taken"], "value": [2, 3, 40]})
    wide = cockpit.daily_wide(trend, dt.date(2022, 3, 1), dt.date(2022, 3, 3))
    assert list(wide.columns) == list(glossary.TREND_METRICS) and len(wide) == 3
    assert wide["confirmed"].tolist() == [5, 0, 0] and wide["samples_taken"].tolist() == [0, 0, 40]


def test_transfer_minutes_congested_sites_and_outcomes_by_topic():
    moves = pd.DataFrame({"case_id": ["a", "b", "c"], "min_total": [60, 90, 30],
                          "confirmed_at": pd.to_datetime(["2022-03-01 08:00", "2022-03-01 20:00", "2022-03-02 01:00"])})
    daily = loop.transfer_minutes_by_day(moves)
    assert daily[["平均", "最长", "例数"]].values.tolist() == [[75.0, 90, 2], [30.0, 30, 1]]
    from portal.testing import marks

    fresh = pd.DataFrame({"site_id": [1, 1, 2, 3], "state": ["congested", "clear", "congested", "congested"],
                          "marked_at": pd.to_datetime(["2022-03-01 08:00", "2022-03-01 08:05", "2022-03-01 08:01",
                                                       "2022-03-01 08:03"])})
    assert marks.congested_now(fresh)["site_id"].tolist() == [3, 2]
    prog = pd.DataFrame({"topic_name": ["乙", "甲", "乙"], "verified": [1, 2, 3], "unreachable": [0, 1, 0],
                         "uncooperative": [0, 0, 1], "awaiting": [4, 0, 0]})
    by_topic = screening.outcomes_by_topic(prog)
    assert list(by_topic.index) == ["乙", "甲"] and by_topic.loc["乙"].tolist() == [4, 0, 1, 4]


def test_appeals_by_type_and_by_unit_carry_glossary_names():
    from portal.command import appeals
    from portal.settings import PortalSettings

    rows = pd.DataFrame({"unit_code": ["510104", "510104", "510105"], "type": ["help", "complaint", "help"],
                         "received": [3, 2, 1], "closed": [2, 1, 0], "open_now": [1, 1, 1], "overdue": [1, 0, 1],
                         "closed_late": [0, 1, 0], "emergencies_late": [0, 0, 1], "rated": [2, 0, 0],
                         "rating_sum": [9, 0, 0], "satisfied": [1, 0, 0]})
    units = ui.headed(appeals.by_unit(rows, {"510104": "锦江区", "510105": "青羊区", "510106": "金牛区"}))
    assert list(units.columns) == ["代码", "名称", "受理", "其中已办结", "在办", "超期未办结", "紧急超时", "满意率（%）",
                                   "评价（条）"]
    assert units.values.tolist() == [["510104", "锦江区", 5, 3, 2, 1, 0, "50.0", 2],
                                     ["510105", "青羊区", 1, 0, 1, 1, 1, "—", 0], ["510106", "金牛区", 0, 0, 0, 0, 0, "—", 0]]
    types = appeals.by_type(rows, PortalSettings()).set_index("type")
    assert types.loc["求助", ["received", "overdue"]].tolist() == [4, 2]
    assert types.loc["投诉", ["closed_late"]].tolist() == [1] and types.loc["咨询", "received"] == 0
