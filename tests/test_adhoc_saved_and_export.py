"""Saved and shared ad-hoc filters in the relational store, and exports: real CSV and XLSX files,
masked unless the user may unmask, each written to the audit log."""

import io
import json
import re

import pandas as pd
import pytest
from sqlalchemy import insert

from portal.adhoc import adhoc, saved_filters
from portal.adhoc.adhoc import AnalysisRefused
from portal.auth import audit
from portal.auth.session import Identity
from portal.auth.store import engine as store_engine
from portal.people.matching import normalise_id

ANALYST = Identity("分析员甲", "analyst", "")
OTHER = Identity("分析员乙", "analyst", "")
OPERATOR = Identity("锦江区值班员", "district_operator", "510104")
DAILY = {"table": "control_episode", "group_by": ["district", "kind"],
         "filters": [{"field": "identified_at", "op": "between", "value": ["2022-02-25", "2022-03-01"]}]}


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def test_a_filter_saved_and_shared_is_listed_and_opened_under_the_openers_scope(tiny_warehouse, wh):
    mine = saved_filters.save(ANALYST, "  近五天新增密接  ", DAILY, shared=True)
    private = saved_filters.save(ANALYST, "草稿", {"table": "appeal"})
    assert saved_filters.listed(ANALYST)[["name", "shared", "mine"]].values.tolist() == [
        ["草稿", False, True], ["近五天新增密接", True, True]]
    assert saved_filters.listed(OPERATOR)[["filter_id", "owner", "mine"]].values.tolist() == [[mine, "分析员甲", False]]
    definition = saved_filters.load(OPERATOR, mine)
    assert definition == DAILY
    got = adhoc.fetch(adhoc.parse(definition, OPERATOR), OPERATOR.scope, 1000)
    hand = wh.rows("SELECT substring(community_code, 1, 6), toString(kind), count() FROM epi.control_episode "
                   "WHERE startsWith(community_code, '510104') AND toDate(identified_at, 'Asia/Shanghai') "
                   "BETWEEN '2022-02-25' AND '2022-03-01' GROUP BY 1, 2 ORDER BY 1, 2")
    assert [tuple(r) for r in got.rows[["district", "kind", "m0"]].values.tolist()] == hand
    city = adhoc.fetch(adhoc.parse(definition, ANALYST), "", 1000)
    assert len(set(city.rows["district"])) > 1
    with pytest.raises(AnalysisRefused, match="不存在，或未共享给您"):
        saved_filters.load(OPERATOR, private)
    with pytest.raises(AnalysisRefused, match="只能删除自己保存的筛选"):
        saved_filters.remove(OPERATOR, mine)
    saved_filters.share(ANALYST, mine, False)
    assert saved_filters.listed(OTHER).empty
    saved_filters.remove(ANALYST, private)
    assert saved_filters.listed(ANALYST)["name"].tolist() == ["近五天新增密接"]


@pytest.mark.parametrize("name,words", [
    ("", "请填写筛选名称"), ("   ", "请填写筛选名称"), (None, "请填写筛选名称"),
    ("长" * 41, "最多 40 个字（现有 41 个）"), ("两行\n名称", "不能含换行"),
])
def test_bad_names_get_one_sentence_and_nothing_is_stored(tiny_warehouse, name, words):
    with pytest.raises(AnalysisRefused, match=words):
        saved_filters.save(ANALYST, name, DAILY)
    assert saved_filters.listed(ANALYST).empty


def test_a_name_is_unique_per_owner_only(tiny_warehouse):
    saved_filters.save(ANALYST, "每日密接", DAILY)
    with pytest.raises(AnalysisRefused, match="您已有名为“每日密接”的筛选"):
        saved_filters.save(ANALYST, " 每日密接", {"table": "appeal"})
    saved_filters.save(OTHER, "每日密接", DAILY)
    assert saved_filters.save(ANALYST, "长" * 40, DAILY) > 0
    with pytest.raises(AnalysisRefused, match="无法识别的项：scope"):
        saved_filters.save(ANALYST, "越权", {**DAILY, "scope": ""})


def test_a_forged_stored_definition_is_refused_when_opened(tiny_warehouse):
    saved_filters.listed(ANALYST)  # the table exists
    forged = [{**DAILY, "scope": ""}, {"table": "appeal", "filters": [{"field": "id_number", "op": "eq", "value": "1"}]},
              {"table": "person"}]
    ids = []
    with store_engine().begin() as conn:
        for i, d in enumerate([*forged, "{not json"]):
            ids.append(conn.execute(insert(saved_filters.saved).values(
                owner="someone", owner_name="某人", owner_role="analyst", name=f"伪造{i}", shared=True,
                definition=d if isinstance(d, str) else json.dumps(d), saved_at=pd.Timestamp.now(tz="UTC"))
            ).inserted_primary_key[0])
    words = ["无法识别的项：scope", "字段“id_number”不在", "没有名为“person”的数据表", "内容已损坏"]
    for filter_id, w in zip(ids, words):
        with pytest.raises(AnalysisRefused, match=w):
            saved_filters.load(OPERATOR, filter_id)


def read(data: bytes, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        assert data[:3] == b"\xef\xbb\xbf"
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_is_a_real_masked_file_and_is_audited(tiny_warehouse, wh, fmt):
    definition = {"table": "screening_record", "columns": ["record_id", "raw_name", "raw_id_number", "raw_phone", "community_code"],
                  "filters": [{"field": "topic_id", "op": "le", "value": "3"}], "order": [{"by": "record_id"}]}
    raw = wh.query_df("SELECT record_id, raw_name, raw_id_number, raw_phone, community_code FROM epi.screening_record "
                      "WHERE startsWith(community_code, '510104') AND topic_id <= 3 ORDER BY record_id")
    frame = read(adhoc.export(OPERATOR, definition, fmt, 100_000), fmt)
    assert list(frame.columns) == ["记录编号", "姓名", "身份证号码", "手机号码", "社区代码", "社区名称"]
    assert frame["记录编号"].tolist() == raw["record_id"].astype(str).tolist() and len(frame) > 0
    assert frame["姓名"].tolist() == [n[:1] + "*" * (len(n) - 1) for n in raw["raw_name"]]
    # phones are masked after normalising (+86, spaces, dashes): 3 digits, 4 stars, the last 4 digits
    for shown, phone in zip(frame["手机号码"], raw["raw_phone"]):
        digits = re.sub(r"\D", "", phone)
        assert shown == (f"{digits[-11:][:3]}****{digits[-4:]}" if phone else "")
    # ID numbers are masked after normalising (spaces, lower-case x, 15 digits widened): 6 + 4
    for shown, number in zip(frame["身份证号码"], raw["raw_id_number"]):
        n = normalise_id(number) or number.strip()
        assert shown == (n[:6] + "*" * (len(n) - 10) + n[-4:] if len(n) > 10 else "*" * len(n))
    assert (raw["raw_id_number"] != "").any() and (raw["raw_phone"] != "").any()
    assert all(c.startswith("510104") for c in frame["社区代码"]) and all(frame["社区名称"] != "")
    events = audit.recent("export")
    assert events[["kind", "actor", "scope", "subject"]].values.tolist() == [["export", OPERATOR.name, "510104",
                                                                            "adhoc:screening_record"]]
    assert events["detail"][0].startswith(f"{fmt.upper()}，{len(raw):,} 行（共 {len(raw):,} 行）；排查记录")
    assert audit.recent("unmask").empty


def test_unmasking_needs_the_permission_and_is_audited(tiny_warehouse, wh):
    definition = {"table": "screening_record", "columns": ["record_id", "raw_id_number"], "order": [{"by": "record_id"}],
                  "filters": [{"field": "is_primary", "op": "eq", "value": "是"}]}
    first = wh.query_df("SELECT record_id, raw_id_number FROM epi.screening_record WHERE is_primary = 1 "
                        "AND raw_id_number != '' ORDER BY record_id LIMIT 1").iloc[0]
    masked = read(adhoc.export(ANALYST, definition, "csv", 100_000, unmask=True), "csv")
    shown = masked.set_index("记录编号").loc[str(first.record_id), "身份证号码"]
    assert shown == first.raw_id_number[:6] + "********" + first.raw_id_number[-4:]
    assert audit.recent("unmask").empty
    boss = Identity("分析员丙", "analyst", "", can_unmask=True)
    full = read(adhoc.export(boss, definition, "xlsx", 100_000, unmask=True), "xlsx")
    assert full.set_index("记录编号").loc[str(first.record_id), "身份证号码"] == first.raw_id_number
    unmasked = audit.recent("unmask")
    assert unmasked[["actor", "subject"]].values.tolist() == [["分析员丙", "adhoc:screening_record"]]
    assert "，未脱敏；" in audit.recent("export")["detail"][0]


def test_a_full_export_is_capped_and_says_so(tiny_warehouse, wh):
    frame = read(adhoc.export(ANALYST, {"table": "sample", "order": [{"by": "sample_id"}]}, "csv", 3), "csv")
    assert len(frame) == 3
    total = wh.scalar("SELECT count() FROM epi.sample")
    assert audit.recent("export")["detail"][0].startswith(f"CSV，3 行（共 {total:,} 行，已截断）")


def test_an_admin_may_not_query_or_export(tiny_warehouse):
    admin = Identity("管理员", "admin", "")
    assert not adhoc.may_use(admin) and adhoc.may_use(OPERATOR) and adhoc.may_use(ANALYST)
    with pytest.raises(AnalysisRefused, match="自助分析仅供数据分析员、指挥部领导和区县工作人员"):
        adhoc.export(admin, DAILY, "csv", 10)
    assert audit.recent("export").empty


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"主题": ["=1+1", "+86 138 0013 8000", "@SUM(A1)", "-2+3", "核酸"], "件数": [1, -2, 3, 4, 5]})
    csv = read(adhoc.to_file(frame, "csv"), "csv")
    assert csv["主题"].tolist() == ["'=1+1", "'+86 138 0013 8000", "'@SUM(A1)", "'-2+3", "核酸"]
    assert csv["件数"].tolist() == ["1", "-2", "3", "4", "5"]
    sheet = load_workbook(io.BytesIO(adhoc.to_file(frame, "xlsx"))).active
    cells = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert cells == [("=1+1", "s"), ("+86 138 0013 8000", "s"), ("@SUM(A1)", "s"), ("-2+3", "s"), ("核酸", "s")]
    assert [c.value for c in sheet["B"][1:]] == [1, -2, 3, 4, 5]


def test_a_query_the_warehouse_cannot_finish_gets_a_sentence(tiny_warehouse):
    from portal.adhoc.catalogue import TABLES
    from queries.adhoc import AdhocQuery, Table

    appeal = TABLES["appeal"]
    missing = Table("gone", "已下线的表", "epi.no_such_table", appeal.fields, appeal.order)
    with pytest.raises(AnalysisRefused, match="查询未能完成（.*）：请加上条件缩小范围后再试。"):
        adhoc.fetch(AdhocQuery(missing), "", 10)
