"""Runs an indicator query by name with typed parameters, under the caller's jurisdiction.

Every query is a file `queries/<area>/<name>.sql` holding one statement with `{name:Type}`
parameters. This is the one place that adds the jurisdiction scope, a row cap and a time
limit; pages and the portal never see SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse import get_warehouse
from warehouse.client import before_engine_call  # noqa: F401  (re-exported: the portal gives page turns up here)
from warehouse.errors import EpiError
from warehouse.rules.clock import BEIJING
from warehouse.rules.geography import UNIT_CODE
from warehouse.sqlfile import SqlFile, load_sql

QUERY_DIR = Path(__file__).parent


class QueryError(EpiError, ValueError):
    """A query asked for with a wrong name or wrong parameters; str() says what to fix."""


@dataclass(frozen=True)
class QueryResult:
    """One run of a named query: its rows (at most the row cap), when they were computed
    (Beijing time), whether the cap cut them, and the rows the engine read (None when the
    engine does not say: the embedded engine does not)."""

    name: str
    frame: pd.DataFrame
    computed_at: dt.datetime
    truncated: bool
    rows_read: int | None = None

    @property
    def stamp(self) -> str:
        """computed_at as pages print it: 2022-03-02 14:05:09."""
        return self.computed_at.strftime("%Y-%m-%d %H:%M:%S")


def spec(name: str) -> SqlFile:
    """The file of query `name` (its text, header, parameters, whether it writes)."""
    path = (QUERY_DIR / f"{name}.sql").resolve()
    if QUERY_DIR not in path.parents or not path.exists():
        raise QueryError(f"没有名为 {name} 的查询 / no query named {name!r}")
    return load_sql(path)


def load(name: str) -> str:
    return spec(name).text


def parameters(name: str) -> dict[str, str]:
    """The {name:Type} parameters a query declares."""
    return spec(name).parameters


def names() -> list[str]:
    return sorted(str(p.relative_to(QUERY_DIR).with_suffix("")) for p in QUERY_DIR.glob("*/*.sql"))


def default_row_cap() -> int:
    """The warehouse's row cap (EPI_ROW_CAP, read once with the warehouse's settings)."""
    return get_warehouse().settings.row_cap


def fetch(name: str, scope: str, row_cap: int | None = None, settings: dict[str, Any] | None = None,
          **params: Any) -> QueryResult:
    """Run query `name` for a caller whose jurisdiction is the code prefix `scope`.

    At most `row_cap` rows come back (default: the warehouse's row cap); one row more is asked
    for, so `truncated` says whether the cap cut the result. `settings` go to the engine with
    the statement (e.g. {"max_threads": 1} or {"use_skip_indexes": 0})."""
    if spec(name).writes:
        raise QueryError(f"查询 {name} 会写入数据 / query {name} writes: use registry.execute()")
    sql, bound = _bind(name, scope, params)
    cap = row_cap or default_row_cap()
    read = get_warehouse().read(sql, bound, max_rows=cap + 1, settings=settings)
    frame = read.frame
    truncated = len(frame) > cap
    if truncated:
        frame = frame.iloc[:cap].copy()
    return QueryResult(name=name, frame=frame, computed_at=dt.datetime.now(BEIJING), truncated=truncated,
                       rows_read=read.rows_read)


def run(name: str, scope: str, row_cap: int | None = None, settings: dict[str, Any] | None = None,
        **params: Any) -> pd.DataFrame:
    """fetch() for callers that only want the rows."""
    return fetch(name, scope, row_cap=row_cap, settings=settings, **params).frame


def execute(name: str, scope: str, **params: Any) -> None:
    """Run a writing statement (INSERT / DELETE) by name, under the same checks as run()."""
    sql, bound = _bind(name, scope, params)
    get_warehouse().command(sql, bound)


def _bind(name: str, scope: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if not UNIT_CODE.match(scope or ""):
        raise QueryError(f"管辖范围无效 / jurisdiction scope {scope!r} is not a 6/9/12-digit code")
    sql = load(name)
    declared = parameters(name)
    if "scope" not in declared:
        raise QueryError(f"查询 {name} 未按管辖范围过滤 / query {name} does not filter by scope")
    unit = params.get("unit")
    if unit is not None and not UNIT_CODE.match(unit):
        raise QueryError(f"区划代码无效 / unit code {unit!r} is not a 6/9/12-digit code")
    missing = set(declared) - set(params) - {"scope"}
    if missing:
        raise QueryError(f"查询 {name} 缺少参数 / missing parameters: {', '.join(sorted(missing))}")
    bound = {k: v for k, v in params.items() if k in declared}
    bound["scope"] = scope
    return sql, bound
