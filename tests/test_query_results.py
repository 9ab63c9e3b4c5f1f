"""A named query's result: rows cut at the row cap (found by asking for one row more), when it
was computed, engine settings passed through, and the one .sql loader."""

from __future__ import annotations

import datetime as dt

import pytest

from queries import registry
from warehouse import WarehouseError
from warehouse.sqlfile import load_sql

COMMUNITIES = dict(unit="", grain=12)


def test_a_result_at_the_cap_is_whole_and_one_past_it_is_cut(wh):
    whole = registry.fetch("geo/units", "", row_cap=1_000_000, **COMMUNITIES)
    n = len(whole.frame)
    assert n > 2 and not whole.truncated
    exact = registry.fetch("geo/units", "", row_cap=n, **COMMUNITIES)
    assert len(exact.frame) == n and not exact.truncated
    cut = registry.fetch("geo/units", "", row_cap=n - 1, **COMMUNITIES)
    assert cut.truncated and len(cut.frame) == n - 1
    assert cut.frame.equals(whole.frame.head(n - 1))
    # far below the result, the engine stops at a block boundary; the result still holds the cap
    assert len(registry.run("geo/units", "", row_cap=1, **COMMUNITIES)) == 1


def test_a_result_says_what_it_is_and_when_it_was_computed(wh):
    before = dt.datetime.now(dt.timezone.utc)
    result = registry.fetch("meta/data_range", "")
    after = dt.datetime.now(dt.timezone.utc)
    assert result.name == "meta/data_range" and len(result.frame) == 1 and not result.truncated
    assert result.computed_at.utcoffset() == dt.timedelta(hours=8)
    assert before <= result.computed_at <= after
    assert result.stamp == result.computed_at.strftime("%Y-%m-%d %H:%M:%S")
    # the embedded engine's summary counts the result's rows, not the rows it read: not given
    assert result.rows_read is None
    with pytest.raises(AttributeError):
        result.truncated = True  # frozen


def test_the_default_cap_is_the_warehouse_setting(wh):
    assert registry.default_row_cap() == wh.settings.row_cap == 50_000


def test_settings_reach_the_engine(wh):
    probe = "SELECT getSetting('max_threads') AS t, count() AS n FROM epi.person"
    assert int(wh.query_df(probe, settings={"max_threads": 1}).iloc[0]["t"]) == 1
    assert int(wh.scalar("SELECT getSetting('max_threads')", settings={"max_threads": 3})) == 3
    with pytest.raises(WarehouseError, match="TOO_MANY_ROWS"):
        wh.query_df("SELECT count() FROM epi.person WHERE sex = 'female'",
                    settings={"max_rows_to_read": 10, "read_overflow_mode": "throw"})


def test_registry_settings_reach_the_engine(wh):
    whole = registry.run("geo/units", "", **COMMUNITIES)
    with pytest.raises(WarehouseError, match="TOO_MANY_ROWS"):
        registry.fetch("geo/units", "", settings={"max_rows_to_read": 1, "read_overflow_mode": "throw"},
                       **COMMUNITIES)
    same = registry.run("geo/units", "", settings={"max_threads": 1}, **COMMUNITIES)
    assert same.equals(whole)


def test_the_registry_refuses_a_write_through_run(wh):
    assert registry.spec("mass/add_mark").writes and not registry.spec("geo/units").writes
    with pytest.raises(registry.QueryError, match="writes"):
        registry.run("mass/add_mark", "", mark_key="k", site_id=1, state="open")


def test_the_loader_reads_header_parameters_and_statements(tmp_path):
    path = tmp_path / "q.sql"
    path.write_text("-- What it counts.\n-- grain: day; params: scope String\n"
                    "SELECT {a:UInt8} AS a;\nINSERT INTO t SELECT {b:String};\n", encoding="utf-8")
    sql = load_sql(path)
    assert sql.header == "What it counts.\ngrain: day; params: scope String"
    assert sql.parameters == {"a": "UInt8", "b": "String"}
    assert sql.statements() == ["-- What it counts.\n-- grain: day; params: scope String\nSELECT {a:UInt8} AS a",
                                "INSERT INTO t SELECT {b:String}"]
    assert sql.writes and load_sql(path) is sql  # read once
    path.write_text("SELECT 1\n", encoding="utf-8")
    assert load_sql(path).text == "SELECT 1\n" and not load_sql(path).writes  # changed on disk: read again


def test_the_page_runner_hands_out_results_and_remembers_the_last_of_each(wh):
    from portal.data import QueryRunner

    run = QueryRunner("", "v-results-test")
    assert run.latest() is None and run.computed("geo/units") is None
    whole = run("geo/units", **COMMUNITIES)
    cut = run.result("geo/units", row_cap=len(whole) - 1, **COMMUNITIES)
    assert isinstance(cut, registry.QueryResult) and cut.truncated and len(cut.frame) == len(whole) - 1
    assert run.latest("geo/units") is cut and run.computed("geo/units") == cut.stamp
    again = run.result("geo/units", **COMMUNITIES)  # from the cache: the same figures and time
    assert not again.truncated and again.frame.equals(whole)
    span = run.result("meta/data_range")
    assert run.latest() in (again, span) and run.computed() == max(again.stamp, span.stamp)
    # what a page changes in its rows does not reach the cached result
    again.frame.drop(again.frame.index, inplace=True)
    assert len(run("geo/units", **COMMUNITIES)) == len(whole)
