"""Runs an indicator query by name with typed parameters, under the caller's jurisdiction.

Every query is a file `queries/<area>/<name>.sql` holding one statement with `{name:Type}`
parameters. This is the one place that adds the jurisdiction scope, a row cap and a time
limit; pages and the portal never see SQL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse import get_warehouse
from warehouse.geography import UNIT_CODE

QUERY_DIR = Path(__file__).parent
_PARAM = re.compile(r"\{(\w+):([^}]+)\}")
DEFAULT_ROW_CAP = 50_000


class QueryError(ValueError):
    """A query asked for with a wrong name or wrong parameters; str() says what to fix."""


@lru_cache(maxsize=None)
def load(name: str) -> str:
    path = (QUERY_DIR / f"{name}.sql").resolve()
    if QUERY_DIR not in path.parents or not path.exists():
        raise QueryError(f"没有名为 {name} 的查询 / no query named {name!r}")
    return path.read_text(encoding="utf-8")


def parameters(name: str) -> dict[str, str]:
    """The {name:Type} parameters a query declares."""
    return dict(_PARAM.findall(load(name)))


def names() -> list[str]:
    return sorted(str(p.relative_to(QUERY_DIR).with_suffix("")) for p in QUERY_DIR.glob("*/*.sql"))


def run(name: str, scope: str, row_cap: int = DEFAULT_ROW_CAP, **params: Any) -> pd.DataFrame:
    """Run query `name` for a caller whose jurisdiction is the code prefix `scope`."""
    sql, bound = _bind(name, scope, params)
    return get_warehouse().query_df(sql, bound, max_rows=row_cap)


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
