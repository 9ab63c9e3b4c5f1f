"""自助分析 queries on the tiny seed: figures equal hand-written SQL or pandas over the raw rows,
every operator does what it says, and a district's scope never lets another district through."""

import datetime as dt

import pandas as pd
import pytest

from portal.adhoc import adhoc
from portal.adhoc.catalogue import TABLES
from portal.auth.session import Identity

ANALYST = Identity("分析员", "analyst", "")
OPERATOR = Identity("锦江区值班员", "district_operator", "510104")


def preview(definition, identity=ANALYST, cap=100_000):
    query = adhoc.parse(definition, identity)
    return adhoc.fetch(query, identity.scope, cap)


def test_people_under_control_identified_on_a_day_by_kind_in_a_district(tiny_warehouse, wh):
    got = preview({"table": "control_episode", "group_by": ["kind"],
                   "filters": [{"field": "identified_at", "op": "eq", "value": "2022-03-01"}]}, OPERATOR)
    hand = wh.rows("SELECT toString(kind), count() FROM epi.control_episode WHERE startsWith(community_code, '510104') "
                   "AND toDate(identified_at, 'Asia/Shanghai') = '2022-03-01' GROUP BY kind ORDER BY 1")
    assert list(zip(got.rows["kind"], got.rows["m0"])) == hand == [("close_contact", 6), ("secondary_contact", 6)]
    assert got.total == 2 and not got.capped


def test_under_control_at_24h_from_the_daily_view_equals_the_episodes(tiny_warehouse, wh):
    got = preview({"table": "agg_control_daily", "group_by": ["kind"], "measures": [{"fn": "sum", "field": "delta"}],
                   "filters": [{"field": "day", "op": "le", "value": "2022-03-01"}]}, OPERATOR)
    day = "toDate('2022-03-01')"
    hand = wh.rows(f"""
        SELECT kind, toInt64(count()) FROM (
            SELECT if(kind = 'close_contact', 'centralized', 'home_quarantine') AS kind FROM epi.control_episode
            WHERE startsWith(community_code, '510104') AND toDate(quarantine_start, 'Asia/Shanghai') <= {day}
              AND toDate(quarantine_end, 'Asia/Shanghai') > {day}
            UNION ALL
            SELECT 'home_monitoring' FROM epi.control_episode
            WHERE startsWith(community_code, '510104') AND monitoring_end IS NOT NULL
              AND toDate(quarantine_end, 'Asia/Shanghai') <= {day} AND toDate(assumeNotNull(monitoring_end), 'Asia/Shanghai') > {day})
        GROUP BY kind ORDER BY kind""")
    assert list(zip(got.rows["kind"], got.rows["m0"])) == hand
    assert sum(n for _, n in hand) > 0


@pytest.mark.parametrize("name", list(TABLES))
def test_an_operator_sees_only_their_district_in_every_table(tiny_warehouse, wh, name):
    table = TABLES[name]
    got = preview({"table": name, "group_by": ["district"]}, OPERATOR)
    assert set(got.rows["district"]) <= {"510104"}
    relation = ("(" + open(adhoc.registry.QUERY_DIR / "analysis" / "screening_records_current.sql").read()
                + ") AS src" if table.relation.startswith("query:") else table.relation)
    everywhere = wh.scalar(f"SELECT count() FROM {relation}", {"scope": ""})
    mine = wh.scalar(f"SELECT count() FROM {relation} WHERE startsWith(community_code, '510104')", {"scope": ""})
    assert int(got.rows["m0"].sum()) == mine < everywhere
    street = Identity("街道", "district_operator", "510104001")
    rows = preview({"table": name, "columns": ["community_code"]}, street).rows
    assert all(c.startswith("510104001") for c in rows["community_code"])


def test_the_preview_cap_keeps_the_total_and_says_it_is_capped(tiny_warehouse, wh):
    got = preview({"table": "sample", "order": [{"by": "sample_id", "desc": True}]}, OPERATOR, cap=7)
    ids = wh.rows("SELECT sample_id FROM epi.sample WHERE startsWith(community_code, '510104') ORDER BY sample_id DESC LIMIT 7")
    assert list(got.rows["sample_id"]) == [r[0] for r in ids]
    assert got.total == wh.scalar("SELECT count() FROM epi.sample WHERE startsWith(community_code, '510104')")
    assert got.capped and len(got.rows) == 7


def test_measures_equal_pandas_over_the_raw_rows(tiny_warehouse, wh):
    raw = wh.query_df("SELECT toString(purpose) AS purpose, pool_size, person_id, sampled_at FROM epi.sample")
    got = preview({"table": "sample", "group_by": ["purpose"], "order": [{"by": "purpose"}],
                   "measures": [{"fn": "count", "field": None}, {"fn": "count_distinct", "field": "person_id"},
                                {"fn": "sum", "field": "pool_size"}, {"fn": "avg", "field": "pool_size"},
                                {"fn": "min", "field": "sampled_at"}, {"fn": "max", "field": "pool_size"}]}).rows
    by = raw.groupby("purpose").agg(n=("person_id", "size"), people=("person_id", "nunique"), pools=("pool_size", "sum"),
                                    mean=("pool_size", "mean"), first=("sampled_at", "min"), top=("pool_size", "max"))
    by = by.sort_index()
    assert list(got["purpose"]) == list(by.index)
    assert list(got["m0"]) == list(by["n"]) and list(got["m1"]) == list(by["people"])
    assert list(got["m2"]) == list(by["pools"]) and list(got["m5"]) == list(by["top"])
    assert got["m3"].round(9).tolist() == by["mean"].round(9).tolist()
    assert list(pd.to_datetime(got["m4"])) == list(by["first"])


APPEAL_CASES = [
    ({"field": "rating", "op": "eq", "value": "5"}, lambda a: a["rating"] == 5),
    ({"field": "rating", "op": "ne", "value": "5"}, lambda a: a["rating"].notna() & (a["rating"] != 5)),
    ({"field": "rating", "op": "gt", "value": "3"}, lambda a: a["rating"] > 3),
    ({"field": "rating", "op": "ge", "value": "3"}, lambda a: a["rating"] >= 3),
    ({"field": "rating", "op": "lt", "value": "3"}, lambda a: a["rating"] < 3),
    ({"field": "rating", "op": "le", "value": " 3 "}, lambda a: a["rating"] <= 3),
    ({"field": "rating", "op": "between", "value": ["2", "4"]}, lambda a: a["rating"].between(2, 4)),
    ({"field": "rating", "op": "in", "value": ["1", "5"]}, lambda a: a["rating"].isin([1, 5])),
    ({"field": "rating", "op": "is_empty"}, lambda a: a["rating"].isna()),
    ({"field": "topic", "op": "contains", "value": "核酸"}, lambda a: a["topic"].str.contains("核酸", regex=False)),
    ({"field": "topic", "op": "starts_with", "value": "隔离"}, lambda a: a["topic"].str.startswith("隔离")),
    ({"field": "topic", "op": "in", "value": ["集中隔离点", "心理援助"]}, lambda a: a["topic"].isin(["集中隔离点", "心理援助"])),
    ({"field": "topic", "op": "ne", "value": "集中隔离点"}, lambda a: a["topic"] != "集中隔离点"),
    ({"field": "type", "op": "in", "value": ["help", "投诉"]}, lambda a: a["type"].isin(["help", "complaint"])),
    ({"field": "is_emergency", "op": "eq", "value": "是"}, lambda a: a["is_emergency"] == 1),
    ({"field": "closed_at", "op": "is_empty"}, lambda a: a["closed_at"].isna()),
    ({"field": "received_at", "op": "eq", "value": "2022-03-01"}, lambda a: a["received_at"].dt.date == dt.date(2022, 3, 1)),
    ({"field": "received_at", "op": "ge", "value": "2022-03-01 08:30"},
     lambda a: a["received_at"] >= pd.Timestamp("2022-03-01 08:30")),
    ({"field": "received_at", "op": "between", "value": ["2022-03-01", "2022-03-02 12:00"]},
     lambda a: a["received_at"].between(pd.Timestamp("2022-03-01"), pd.Timestamp("2022-03-02 12:00"))),
    ({"field": "received_day", "op": "lt", "value": "2022/3/1"}, lambda a: a["received_at"].dt.date < dt.date(2022, 3, 1)),
]


@pytest.mark.parametrize("condition,expected", APPEAL_CASES, ids=[f"{c['field']}-{c['op']}" for c, _ in APPEAL_CASES])
def test_each_operator_keeps_exactly_the_rows_pandas_keeps(tiny_warehouse, wh, condition, expected):
    raw = wh.query_df("SELECT appeal_id, topic, toString(type) AS type, is_emergency, rating, received_at, closed_at "
                      "FROM epi.appeal")
    want = sorted(raw.loc[expected(raw).fillna(False).astype(bool), "appeal_id"].tolist())
    got = preview({"table": "appeal", "columns": ["appeal_id"], "filters": [condition], "order": [{"by": "appeal_id"}]})
    assert got.rows["appeal_id"].tolist() == want
    assert got.total == len(want)
    if condition["field"] != "is_emergency":
        assert 0 < len(want) < len(raw)


def test_a_daily_view_reads_merged_rows_unless_the_query_only_sums(tiny_warehouse, wh):
    table = TABLES["agg_samples_hourly"]
    sums = adhoc.parse({"table": table.name, "group_by": ["purpose"],
                        "measures": [{"fn": "sum", "field": "samples"}]}, ANALYST)
    counted = adhoc.parse({"table": table.name, "group_by": ["purpose"]}, ANALYST)
    filtered = adhoc.parse({"table": table.name, "measures": [{"fn": "sum", "field": "samples"}],
                            "filters": [{"field": "samples", "op": "gt", "value": "1"}]}, ANALYST)
    assert "FINAL" not in adhoc.adhoc.compose(sums, "")[0]
    assert "epi.agg_samples_hourly FINAL" in adhoc.adhoc.compose(counted, "")[0]
    assert "epi.agg_samples_hourly FINAL" in adhoc.adhoc.compose(filtered, "")[0]
    merged = wh.rows("SELECT toString(purpose), count(), sum(samples) FROM epi.agg_samples_hourly FINAL "
                     "GROUP BY purpose ORDER BY 1")
    got_sums = adhoc.fetch(sums, "", 100).rows
    got_counts = adhoc.fetch(counted, "", 100).rows
    assert list(zip(got_sums["purpose"], got_counts["m0"], got_sums["m0"])) == merged
    big = wh.scalar("SELECT sum(samples) FROM epi.agg_samples_hourly FINAL WHERE samples > 1")
    assert adhoc.fetch(filtered, "", 100).rows["m0"].tolist() == [big]
