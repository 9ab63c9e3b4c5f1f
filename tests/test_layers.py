"""Layers stay apart: only warehouse/ imports the database client; pages hold no SQL."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT_IMPORT = re.compile(r"^\s*(import|from)\s+(clickhouse_connect|chdb)\b", re.MULTILINE)
SQL = re.compile(r"\b(SELECT|INSERT INTO|GROUP BY)\b")


def _python_files(*folders):
    for folder in folders:
        yield from (ROOT / folder).rglob("*.py")


def test_only_warehouse_imports_the_database_client():
    offenders = [str(p.relative_to(ROOT)) for p in _python_files("portal", "pages", "queries", "seed", "bench")
                 if (ROOT / p.parent).exists() and CLIENT_IMPORT.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_check_would_catch_an_import():
    assert CLIENT_IMPORT.search("import clickhouse_connect\n")
    assert CLIENT_IMPORT.search("from chdb import session\n")


def test_pages_hold_no_sql():
    offenders = [str(p.relative_to(ROOT)) for p in _python_files("pages") if SQL.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_query_binds_parameters_and_filters_by_scope():
    from queries import registry

    for name in registry.names():
        text = registry.load(name)
        assert "{scope:String}" in text, name
        assert "%s" not in text and "{}" not in text, name
