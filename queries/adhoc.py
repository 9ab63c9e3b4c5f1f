"""Ad-hoc queries composed from a catalogue: filters, group-by and measures without typed SQL.

A query is described by catalogue entries (a `Table` and its `Field`s) plus typed values. The
statement is assembled from the catalogue's identifiers and expressions only; every value a
user gave travels as a bound `{pN:Type}` parameter, and the jurisdiction filter
`startsWith(<scope field>, {scope:String})` is always added. Anything that does not fit — an
operator a field does not offer, a value of the wrong Python type, a name that is not a plain
identifier — raises QueryError before anything runs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from queries import registry
from queries.registry import QueryError
from warehouse import get_warehouse
from warehouse.rules.clock import BEIJING_NAME
from warehouse.rules.geography import UNIT_CODE

INT, FLOAT, STRING, ENUM, FLAG, DATE, DATETIME = "int", "float", "string", "enum", "flag", "date", "datetime"
KINDS = (INT, FLOAT, STRING, ENUM, FLAG, DATE, DATETIME)
PERSONAL = ("name", "id_number", "phone")
OPERATORS = ("eq", "ne", "gt", "ge", "lt", "le", "between", "in", "contains", "starts_with", "is_empty")
MEASURES = ("count", "count_distinct", "sum", "avg", "min", "max")
MAX_LIST = 1000  # most values in one "in list" filter
INT64 = (-(2**63), 2**63 - 1)

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_RELATION = re.compile(r"^(epi\.[a-z_][a-z0-9_]*( FINAL)?|query:[a-z_]+/[a-z_0-9]+)$")
_PARAM_TYPE = {INT: "Int64", FLOAT: "Float64", STRING: "String", ENUM: "String", FLAG: "UInt8", DATE: "Date",
               DATETIME: f"DateTime('{BEIJING_NAME}')"}
_COMPARE = {"eq": "=", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}


@dataclass(frozen=True)
class Field:
    name: str  # the output column's name, a plain identifier
    label: str
    kind: str
    expr: str = ""  # SQL over the relation's columns; the column of the same name when empty
    nullable: bool = False
    personal: str = ""  # "name" / "id_number" / "phone": shown masked unless the user may unmask
    choices: dict = field(default_factory=dict, hash=False)  # enum: stored value → label
    unit: int = 0  # a jurisdiction code of this many digits (6 district, 9 street, 12 community)

    @property
    def sql(self) -> str:
        return self.expr or self.name


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    relation: str  # "epi.<table>", "epi.<table> FINAL", or "query:<area>/<name>" (a queries/ .sql file)
    fields: tuple[Field, ...]
    order: tuple[str, ...]  # fields that order rows deterministically
    note: str = ""
    scope_field: str = "community_code"  # the 12-digit code the jurisdiction filter applies to
    # columns a SummingMergeTree adds up when it merges: a FINAL relation needs no FINAL when
    # the query only sums them (a sum over unmerged rows is the same sum)
    additive: tuple[str, ...] = ()

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def operators_for(f: Field) -> tuple[str, ...]:
    """The operators a field offers, by its kind."""
    empty = ("is_empty",) if f.nullable else ()
    if f.kind in (INT, FLOAT):
        return ("eq", "ne", "gt", "ge", "lt", "le", "between", "in", *empty)
    if f.kind == STRING:
        return ("eq", "ne", "in", "contains", "starts_with", "is_empty")
    if f.kind == ENUM:
        return ("eq", "ne", "in", *empty)
    if f.kind == FLAG:
        return ("eq",)
    return ("eq", "ne", "gt", "ge", "lt", "le", "between", *empty)  # dates and times


def measures_for(f: Field) -> tuple[str, ...]:
    """The measures a field can be given to (count needs no field)."""
    if f.personal:
        return ("count_distinct",)
    if f.kind in (INT, FLOAT, FLAG):
        return ("count_distinct", "sum", "avg", "min", "max")
    if f.kind in (DATE, DATETIME):
        return ("count_distinct", "min", "max")
    return ("count_distinct",)


@dataclass(frozen=True)
class Condition:
    field: Field
    op: str
    values: tuple = ()  # typed: int, float, str, dt.date or dt.datetime (Beijing wall-clock)


@dataclass(frozen=True)
class Measure:
    fn: str
    field: Field | None = None


@dataclass(frozen=True)
class AdhocQuery:
    table: Table
    columns: tuple[Field, ...] = ()  # rows mode: the fields listed (all when empty)
    conditions: tuple[Condition, ...] = ()
    group_by: tuple[Field, ...] = ()
    measures: tuple[Measure, ...] = ()
    order: tuple[tuple[str, bool], ...] = ()  # (output name, descending)

    @property
    def aggregated(self) -> bool:
        return bool(self.group_by or self.measures)

    def outputs(self) -> list[str]:
        """The result's column names, in order."""
        if self.aggregated:
            return [f.name for f in self.group_by] + [f"m{i}" for i in range(len(self.measures))]
        return [f.name for f in (self.columns or self.table.fields)]


def compose(q: AdhocQuery, scope: str, limit: int | None = None) -> tuple[str, dict[str, Any]]:
    """The statement and its bound parameters for `q` under the jurisdiction `scope`."""
    where, params = _where(q, scope)
    if q.aggregated:
        measures = q.measures or (Measure("count"),)
        if any(_checked(f).personal for f in q.group_by):
            raise QueryError("个人信息字段不能分组 / personal fields cannot be grouped")
        select = [f"{f.sql} AS {f.name}" for f in q.group_by]
        select += [f"{_measure_sql(m)} AS m{i}" for i, m in enumerate(measures)]
        group = " GROUP BY " + ", ".join(f.name for f in q.group_by) if q.group_by else ""
        ties = [f.name for f in q.group_by]
        outputs = [f.name for f in q.group_by] + [f"m{i}" for i in range(len(measures))]
    else:
        cols = q.columns or q.table.fields
        select = [f"{_checked(f).sql} AS {f.name}" for f in cols]
        group, outputs = "", [f.name for f in cols]
        ties = [_checked(q.table.field(name)).sql for name in q.table.order]
    order = []
    for name, desc in q.order:
        if name not in outputs:
            raise QueryError(f"排序字段 {name!r} 不在结果列中 / cannot order by {name!r}")
        order.append(f"{name} {'DESC' if desc else 'ASC'}")
    order += [t for t in ties if t not in [o.split(" ")[0] for o in order]]
    sql = f"SELECT {', '.join(select)} FROM {_relation(q.table, q)} WHERE {where}{group}"
    if order:
        sql += " ORDER BY " + ", ".join(order)
    if limit is not None:
        sql += " LIMIT {limit:UInt64}"
        params["limit"] = int(limit)
    return sql, params


def compose_count(q: AdhocQuery, scope: str) -> tuple[str, dict[str, Any]]:
    """A statement counting the rows `q` gives without a limit (groups, when it groups)."""
    where, params = _where(q, scope)
    if q.aggregated and not q.group_by:
        return "SELECT toUInt64(1) AS n", {}
    if q.group_by:
        keys = ", ".join(f"{_checked(f).sql}" for f in q.group_by)
        inner = f"SELECT 1 FROM {_relation(q.table, q)} WHERE {where} GROUP BY {keys}"
        return f"SELECT count() AS n FROM ({inner})", params
    return f"SELECT count() AS n FROM {_relation(q.table)} WHERE {where}", params


def run(q: AdhocQuery, scope: str, limit: int) -> pd.DataFrame:
    """The first `limit` rows of `q` under `scope`, through the one warehouse client."""
    sql, params = compose(q, scope, limit)
    return get_warehouse().query_df(sql, params, max_rows=limit)


def count(q: AdhocQuery, scope: str) -> int:
    sql, params = compose_count(q, scope)
    return int(get_warehouse().scalar(sql, params) or 0)


# -- pieces -----------------------------------------------------------------------------------
def _checked(f: Field | None) -> Field:
    if f is None or not _IDENT.match(f.name) or f.kind not in KINDS:
        raise QueryError(f"字段不在目录中 / field {getattr(f, 'name', f)!r} is not a catalogue field")
    return f


def _relation(t: Table, q: AdhocQuery | None = None) -> str:
    if not _RELATION.match(t.relation) or not _IDENT.match(t.scope_field):
        raise QueryError(f"数据表不在目录中 / relation {t.relation!r} is not a catalogue relation")
    if t.relation.startswith("query:"):
        return "(" + registry.load(t.relation.removeprefix("query:")).strip().rstrip(";") + "\n) AS src"
    if q is not None and t.relation.endswith(" FINAL") and _sums_only(q):
        return t.relation.removesuffix(" FINAL")
    return t.relation


def _sums_only(q: AdhocQuery) -> bool:
    """The query groups and only sums additive columns, and filters none of them."""
    summed = q.aggregated and q.measures and all(m.fn == "sum" and m.field and m.field.name in q.table.additive
                                                 for m in q.measures)
    return bool(summed) and not any(c.field.name in q.table.additive for c in q.conditions)


def _where(q: AdhocQuery, scope: str) -> tuple[str, dict[str, Any]]:
    if not isinstance(scope, str) or not UNIT_CODE.match(scope):
        raise QueryError(f"管辖范围无效 / jurisdiction scope {scope!r} is not a 6/9/12-digit code")
    _relation(q.table)
    params: dict[str, Any] = {"scope": scope}
    parts = [f"startsWith({q.table.scope_field}, {{scope:String}})"]
    for i, c in enumerate(q.conditions):
        parts.append(_condition_sql(c, f"p{i}", params))
    return " AND ".join(parts), params


def _condition_sql(c: Condition, name: str, params: dict[str, Any]) -> str:
    f = _checked(c.field)
    if c.op not in operators_for(f):
        raise QueryError(f"字段 {f.name} 不支持运算 {c.op!r} / operator not offered")
    if c.op == "is_empty":
        return f"(isNull({f.sql}) OR {f.sql} = '')" if f.kind == STRING else f"isNull({f.sql})"
    expected = {"between": 2}.get(c.op, None if c.op == "in" else 1)
    if (expected and len(c.values) != expected) or not c.values or len(c.values) > MAX_LIST:
        raise QueryError(f"字段 {f.name} 的值个数不对 / wrong number of values for {c.op}")
    on_day = f.kind == DATETIME and all(_is_date(v) for v in c.values)
    kind = DATE if on_day else f.kind
    values = [_bindable(f, kind, v) for v in c.values]
    expr = f"toDate({f.sql}, '{BEIJING_NAME}')" if on_day else f.sql
    ptype = _PARAM_TYPE[kind]
    if c.op == "in":
        params[name] = values
        return f"{expr} IN {{{name}:Array({ptype})}}"
    if c.op == "between":
        params[name + "a"], params[name + "b"] = values
        return f"{expr} BETWEEN {{{name}a:{ptype}}} AND {{{name}b:{ptype}}}"
    params[name] = values[0]
    if c.op == "contains":
        return f"position({expr}, {{{name}:String}}) > 0"
    if c.op == "starts_with":
        return f"startsWith({expr}, {{{name}:String}})"
    return f"{expr} {_COMPARE[c.op]} {{{name}:{ptype}}}"


def _is_date(v: Any) -> bool:
    return isinstance(v, dt.date) and not isinstance(v, dt.datetime)


def _bindable(f: Field, kind: str, v: Any) -> Any:
    """A typed value as the client binds it; a value of the wrong type is refused."""
    ok = {
        INT: isinstance(v, int) and not isinstance(v, bool) and INT64[0] <= v <= INT64[1],
        FLOAT: isinstance(v, (int, float)) and not isinstance(v, bool) and pd.notna(v) and abs(v) != float("inf"),
        STRING: isinstance(v, str),
        ENUM: isinstance(v, str) and v in f.choices,
        FLAG: v in (0, 1) and not isinstance(v, bool),
        DATE: _is_date(v),
        DATETIME: isinstance(v, dt.datetime),
    }[kind]
    if not ok:
        raise QueryError(f"字段 {f.name} 的值 {v!r} 类型不对 / value of the wrong type")
    if kind == DATE:
        return v.isoformat()
    if kind == DATETIME:
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return float(v) if kind == FLOAT else v


def _measure_sql(m: Measure) -> str:
    if m.fn == "count" and m.field is None:
        return "toUInt64(count())"
    f = _checked(m.field)
    if m.fn not in measures_for(f):
        raise QueryError(f"字段 {f.name} 不能做 {m.fn!r} 统计 / measure not offered")
    return {"count_distinct": f"toUInt64(uniqExact({f.sql}))", "sum": f"sum({f.sql})", "avg": f"avg({f.sql})",
            "min": f"min({f.sql})", "max": f"max({f.sql})"}[m.fn]
