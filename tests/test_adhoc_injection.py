"""SQL-ish text in every part of an ad-hoc definition: values are bound and match literally,
names and operators outside the catalogue are refused with one sentence, and afterwards every
table still holds what it held."""

import datetime as dt

import pytest

from portal.adhoc import adhoc
from portal.adhoc.adhoc import AnalysisRefused
from portal.adhoc.catalogue import TABLES
from portal.auth.session import Identity
from queries import adhoc as composer
from queries.registry import QueryError

ANALYST = Identity("分析员", "analyst", "")
OPERATOR = Identity("锦江区值班员", "district_operator", "510104")
NASTY = [
    "' OR 1=1 --",
    "1); DROP TABLE epi.person; --",
    "{scope:String}",
    "{p0:String}",
    "\\",
    "\\' OR \\'1\\'=\\'1",
    '" OR ""="',
    "核酸' UNION SELECT id_number FROM epi.person --",
    "𠈌䶮 ＇ＯＲ １＝１",
    "line\nbreak",
    "%_*",
    "x" * 200,
]
# every table by name, with its row count where merges keep it (plain MergeTree); the aggregating
# and replacing engines fold rows together in background merges, so only their presence is compared
TABLE_COUNTS = ("SELECT name, if(engine = 'MergeTree', total_rows, NULL) FROM system.tables "
                "WHERE database = 'epi' AND engine LIKE '%MergeTree' ORDER BY name")


@pytest.fixture(scope="module")
def before(tiny_warehouse, wh):
    return wh.rows(TABLE_COUNTS)


def rows(definition, identity=ANALYST):
    return adhoc.fetch(adhoc.parse(definition, identity), identity.scope, 100_000)


def refused(definition, identity=ANALYST) -> str:
    with pytest.raises(AnalysisRefused) as exc:
        adhoc.parse(definition, identity)
    return str(exc.value)


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
@pytest.mark.parametrize("op", ["eq", "ne", "contains", "starts_with"])
def test_a_text_value_matches_literally(before, wh, text, op):
    raw = wh.query_df("SELECT appeal_id, topic FROM epi.appeal")
    keep = {"eq": raw["topic"] == text, "ne": raw["topic"] != text,
            "contains": raw["topic"].str.contains(text, regex=False), "starts_with": raw["topic"].str.startswith(text)}[op]
    got = rows({"table": "appeal", "columns": ["appeal_id"], "order": [{"by": "appeal_id"}],
                "filters": [{"field": "topic", "op": op, "value": text}]})
    assert got.rows["appeal_id"].tolist() == sorted(raw.loc[keep, "appeal_id"])
    assert got.total == int(keep.sum())


def test_a_list_of_nasty_values_finds_only_the_real_one(before, wh):
    got = rows({"table": "appeal", "group_by": ["topic"], "filters": [
        {"field": "topic", "op": "in", "value": [*NASTY, "心理援助"]}]})
    assert got.rows["topic"].tolist() == ["心理援助"]
    assert got.rows["m0"].tolist() == [wh.scalar("SELECT count() FROM epi.appeal WHERE topic = '心理援助'")]


def test_an_operator_cannot_widen_the_scope_with_a_value(before, wh):
    got = rows({"table": "case_record", "columns": ["community_code"], "filters": [
        {"field": "community_code", "op": "starts_with", "value": "') OR startsWith(community_code, '"}]}, OPERATOR)
    assert got.total == 0
    got = rows({"table": "case_record", "group_by": ["district"], "filters": [
        {"field": "district", "op": "in", "value": ["510104", "510105", "510106", "510107", "510108"]}]}, OPERATOR)
    assert got.rows["district"].tolist() == ["510104"]


@pytest.mark.parametrize("field,text,words", [
    ("rating", "abc", "“abc”不是整数"), ("rating", "1 OR 1=1", "不是整数"), ("rating", "1); DROP TABLE epi.person; --", "不是整数"),
    ("rating", "99999999999999999999", "不是整数"), ("rating", "{scope:String}", "不是整数"),
    ("received_at", "2022-02-30", "“2022-02-30”不是有效的日期"), ("received_at", "2022-03-01' OR '1'='1", "不是有效的日期或时间"),
    ("received_at", "2022-03-01 25:00", "不是有效的日期"), ("received_day", "1960-01-01", "超出范围"),
    ("type", "' OR 1=1 --", "不是“诉求类型”的可选值"), ("is_emergency", "1=1", "请选“是”或“否”"),
    ("topic", "x" * 201, "过长：最多 200 个字符（现有 201 个）"), ("topic", "x" * 100_000, "过长"), ("topic", "", "请用“为空”"),
])
def test_a_value_of_the_wrong_type_gets_one_sentence(before, field, text, words):
    assert words in refused({"table": "appeal", "filters": [{"field": field, "op": "eq", "value": text}]})


def test_a_float_field_refuses_text_and_nan(before):
    for text in ("abc", "nan", "inf", "1e5; --"):
        assert "不是数字" in refused({"table": "sampling_site", "filters": [{"field": "lon", "op": "gt", "value": text}]})


@pytest.mark.parametrize("definition,words", [
    ({"table": "person"}, "没有名为“person”的数据表"),
    ({"table": "epi.person"}, "没有名为“epi.person”的数据表"),
    ({"table": "appeal; DROP TABLE epi.person"}, "的数据表"),
    ({"table": ["appeal"]}, "的数据表"),
    ({"table": "appeal", "scope": ""}, "无法识别的项：scope"),
    ({"table": "appeal", "sql": "SELECT 1"}, "无法识别的项：sql"),
    ({"table": "appeal", "columns": ["id_number"]}, "字段“id_number”不在“涉疫诉求”的字段中"),
    ({"table": "appeal", "columns": ["1=1"]}, "不在“涉疫诉求”的字段中"),
    ({"table": "appeal", "columns": "topic"}, "应为列表"),
    ({"table": "appeal", "group_by": ["topic) OR (1"]}, "不在“涉疫诉求”的字段中"),
    ({"table": "appeal", "filters": [{"field": "community_code) OR (1", "op": "eq", "value": "1"}]}, "不在“涉疫诉求”的字段中"),
    ({"table": "appeal", "filters": [{"field": "topic", "op": "LIKE", "value": "%"}]}, "不能用运算“LIKE”"),
    ({"table": "appeal", "filters": [{"field": "rating", "op": "contains", "value": "5"}]}, "不能用运算“contains”"),
    ({"table": "appeal", "filters": [{"field": "received_at", "op": "in", "value": ["2022-03-01"]}]}, "不能用运算“in”"),
    ({"table": "appeal", "filters": [{"field": "appeal_id", "op": "is_empty"}]}, "不能用运算“is_empty”"),
    ({"table": "appeal", "filters": [{"field": "topic", "op": "eq", "value": "x", "scope": ""}]}, "第 1 个条件无法读取"),
    ({"table": "appeal", "filters": [{"field": "rating", "op": "between", "value": ["5", "1"]}]}, "下限 5 大于上限 1"),
    ({"table": "appeal", "filters": [{"field": "rating", "op": "in", "value": []}]}, "请至少填写一个值"),
    ({"table": "appeal", "filters": [{"field": "rating", "op": "eq", "value": ["1"]}]}, "值无法读取"),
    ({"table": "appeal", "measures": [{"fn": "sum", "field": "topic"}]}, "不能做“合计”统计"),
    ({"table": "appeal", "measures": [{"fn": "sleep(3)", "field": "rating"}]}, "统计"),
    ({"table": "appeal", "order": [{"by": "1; DROP TABLE epi.person", "desc": True}]}, "排序只能按结果中的列"),
    ({"table": "appeal", "order": [{"by": "topic", "desc": "DESC; --"}]}, "排序只能按结果中的列"),
    ({"table": "screening_record", "filters": [{"field": "raw_id_number", "op": "starts_with", "value": "5101"}]},
     "“身份证号码”属于个人信息，不能作为筛选条件"),
    ({"table": "screening_record", "group_by": ["raw_name"]}, "“姓名”属于个人信息，不能作为分组字段"),
    ("DROP TABLE epi.person", "应为一个对象"),
])
def test_names_operators_and_forged_parts_outside_the_catalogue_are_refused(before, definition, words):
    assert words in refused(definition)


def test_the_composer_refuses_what_the_catalogue_would_not_give(before):
    table = TABLES["appeal"]
    rating, topic = table.field("rating"), table.field("topic")
    with pytest.raises(QueryError):  # a value of the wrong Python type
        composer.compose(composer.AdhocQuery(table, conditions=(composer.Condition(rating, "eq", ("5 OR 1=1",)),)), "")
    with pytest.raises(QueryError):  # an operator the field does not offer
        composer.compose(composer.AdhocQuery(table, conditions=(composer.Condition(topic, "gt", ("a",)),)), "")
    with pytest.raises(QueryError):  # a scope that is not a code
        composer.compose(composer.AdhocQuery(table), "' OR 1=1 --")
    forged = composer.Table("x", "x", "epi.appeal; DROP TABLE epi.person", table.fields, ("appeal_id",))
    with pytest.raises(QueryError):
        composer.compose(composer.AdhocQuery(forged), "")
    bad_field = composer.Field("topic FROM epi.person --", "x", composer.STRING)
    with pytest.raises(QueryError):
        composer.compose(composer.AdhocQuery(table, columns=(bad_field,)), "")
    sql, params = composer.compose(composer.AdhocQuery(table, conditions=(
        composer.Condition(topic, "eq", ("' OR 1=1 --",)), composer.Condition(rating, "between", (1, 5)),
        composer.Condition(table.field("received_at"), "ge", (dt.datetime(2022, 3, 1, 8, 30),)))), "510104", 10)
    assert "' OR 1=1" not in sql and "510104" not in sql
    assert "startsWith(community_code, {scope:String})" in sql
    assert params == {"scope": "510104", "p0": "' OR 1=1 --", "p1a": 1, "p1b": 5, "p2": "2022-03-01 08:30:00", "limit": 10}


def test_personal_fields_may_filter_only_with_the_unmask_permission(before, wh):
    number = wh.scalar("SELECT raw_id_number FROM epi.screening_record WHERE raw_id_number != '' ORDER BY record_id LIMIT 1")
    definition = {"table": "screening_record", "columns": ["record_id"],
                  "filters": [{"field": "raw_id_number", "op": "eq", "value": number}]}
    assert "个人信息" in refused(definition)
    got = rows(definition, Identity("分析员", "analyst", "", can_unmask=True))
    assert got.total == wh.scalar("SELECT count() FROM epi.screening_record WHERE raw_id_number = {n:String}", {"n": number})


def test_every_table_is_intact_afterwards(before, wh):
    assert wh.rows(TABLE_COUNTS) == before
    assert wh.scalar("EXISTS TABLE epi.person") == 1
    assert wh.scalar("SELECT count() FROM epi.person") > 20_000
