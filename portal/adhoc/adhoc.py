"""自助分析: a filter definition (JSON-able dict) read strictly against the catalogue, run under
the user's own jurisdiction, shown and exported with personal fields masked.

A definition names a table, columns, filters (field, operator, value as typed text), group-by
fields, measures and an ordering. Anything else in it — an unknown key such as a scope, an
unknown table or field, an operator the field does not offer, a value of the wrong type — is
refused with one Chinese sentence before anything runs. The scope always comes from the
identity, never from the definition.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, replace

import pandas as pd

from portal import exports
from portal.adhoc.catalogue import TABLES
from portal.auth import audit
from portal.auth.session import Identity
from portal.errors import EpiError, WarehouseError
from portal.people.masking import mask_id, mask_name, mask_phone
from queries import adhoc, registry
from queries.adhoc import (
    DATE,
    DATETIME,
    ENUM,
    FLAG,
    FLOAT,
    INT,
    STRING,
    AdhocQuery,
    Condition,
    Field,
    Measure,
    operators_for,
)
from warehouse.rules.geography import GRAINS

ROLES = ("analyst", "leadership", "district_operator")
REFUSED = ("自助分析仅供数据分析员、指挥部领导和区县工作人员（限本辖区）使用；系统管理员账号管理用户与审计，不查询业务数据。"
           "如需分析数据，请用分析员账号登录。")
OPERATOR_LABELS = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤", "between": "介于",
                   "in": "属于列表", "contains": "包含", "starts_with": "开头为", "is_empty": "为空"}
MEASURE_LABELS = {"count": "计数", "count_distinct": "去重计数", "sum": "合计", "avg": "平均", "min": "最小",
                  "max": "最大"}
KEYS = {"table", "columns", "filters", "group_by", "measures", "order"}
MAX_TEXT = 200  # longest value text accepted
MAX_FILTERS, MAX_GROUPS, MAX_MEASURES = 20, 5, 10
FLAG_WORDS = {"是": 1, "否": 0, "1": 1, "0": 0}
UNIT_NAMES = {6: "区县名称", 9: "街道名称", 12: "社区名称"}
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_DATETIME = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
FIRST_DAY, LAST_DAY = dt.date(1970, 1, 1), dt.date(2149, 6, 6)


class AnalysisRefused(EpiError, ValueError):
    """A definition or a value that cannot be used; str() is the sentence to show."""


def may_use(identity: Identity | None) -> bool:
    return identity is not None and identity.role in ROLES


# -- reading a definition -------------------------------------------------------------------------
def parse(definition, identity: Identity) -> AdhocQuery:
    """The query a definition asks for, or AnalysisRefused with the sentence saying what is wrong."""
    if not isinstance(definition, dict):
        raise AnalysisRefused("筛选定义无法读取：应为一个对象（表、字段、条件…）。")
    unknown = sorted(str(k) for k in definition if k not in KEYS)
    if unknown:
        raise AnalysisRefused(f"筛选定义中有无法识别的项：{'、'.join(unknown)[:80]}。管辖范围由登录身份决定，不能写在筛选中。")
    table = TABLES.get(definition.get("table")) if isinstance(definition.get("table"), str) else None
    if table is None:
        raise AnalysisRefused(f"没有名为“{_short(definition.get('table'))}”的数据表：请从目录中选择。")

    def field(name, what: str) -> Field:
        f = table.field(name) if isinstance(name, str) else None
        if f is None:
            raise AnalysisRefused(f"{what}“{_short(name)}”不在“{table.label}”的字段中：请从目录中选择。")
        return f

    columns = tuple(field(n, "字段") for n in _list(definition, "columns"))
    filters = _list(definition, "filters")
    if len(filters) > MAX_FILTERS:
        raise AnalysisRefused(f"条件最多 {MAX_FILTERS} 个。")
    conditions = []
    for i, item in enumerate(filters, 1):
        if not isinstance(item, dict) or set(item) - {"field", "op", "value"}:
            raise AnalysisRefused(f"第 {i} 个条件无法读取：应由字段、运算和值组成。")
        f = field(item.get("field"), f"第 {i} 个条件的字段")
        if f.personal and not identity.can_unmask:
            raise AnalysisRefused(f"“{f.label}”属于个人信息，不能作为筛选条件（需要查看个人信息的权限）。")
        op = item.get("op")
        if op not in operators_for(f):
            offered = "、".join(OPERATOR_LABELS[o] for o in operators_for(f))
            raise AnalysisRefused(f"“{f.label}”不能用运算“{_short(op)}”：可用 {offered}。")
        conditions.append(Condition(f, op, read_values(f, op, item.get("value"))))
    group_by = tuple(field(n, "分组字段") for n in _list(definition, "group_by"))
    if len(group_by) > MAX_GROUPS or len(set(group_by)) != len(group_by):
        raise AnalysisRefused(f"分组字段最多 {MAX_GROUPS} 个，且不能重复。")
    for f in group_by:
        if f.personal:
            raise AnalysisRefused(f"“{f.label}”属于个人信息，不能作为分组字段。")
    measures = []
    for item in _list(definition, "measures"):
        if not isinstance(item, dict) or set(item) - {"fn", "field"}:
            raise AnalysisRefused("统计项无法读取：应由统计方式和字段组成。")
        fn, name = item.get("fn"), item.get("field")
        if fn == "count" and name is None:
            measures.append(Measure("count"))
            continue
        f = field(name, "统计字段")
        if fn not in adhoc.measures_for(f):
            raise AnalysisRefused(f"“{f.label}”不能做“{MEASURE_LABELS.get(fn, _short(fn))}”统计。")
        measures.append(Measure(fn, f))
    if len(measures) > MAX_MEASURES:
        raise AnalysisRefused(f"统计项最多 {MAX_MEASURES} 个。")
    query = AdhocQuery(table, columns, tuple(conditions), group_by,
                       tuple(measures) or ((Measure("count"),) if group_by else ()))
    outputs = query.outputs()
    order = []
    for item in _list(definition, "order"):
        if not isinstance(item, dict) or item.get("by") not in outputs or not isinstance(item.get("desc", False), bool):
            raise AnalysisRefused("排序只能按结果中的列，升序或降序。")
        order.append((item["by"], bool(item.get("desc", False))))
    return replace(query, order=tuple(order))


def _list(definition: dict, key: str) -> list:
    value = definition.get(key) or []
    if not isinstance(value, list):
        raise AnalysisRefused(f"筛选定义中的“{key}”应为列表。")
    return value


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def read_values(f: Field, op: str, value) -> tuple:
    """The typed values of one condition from what the user typed or chose."""
    if op == "is_empty":
        return ()
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise AnalysisRefused(f"“{f.label}”介于：请填写下限和上限两个值。")
        low, high = (read_value(f, v) for v in value)
        if f.kind == DATETIME and type(low) is not type(high):
            # one side a day, the other a time: the day counts from its first or to its last second
            low = low if isinstance(low, dt.datetime) else dt.datetime.combine(low, dt.time.min)
            high = high if isinstance(high, dt.datetime) else dt.datetime.combine(high, dt.time(23, 59, 59))
        if low > high:
            raise AnalysisRefused(f"“{f.label}”介于：下限 {value[0]} 大于上限 {value[1]}，请对调。")
        return (low, high)
    if op == "in":
        items = value if isinstance(value, list) else None
        if not items:
            raise AnalysisRefused(f"“{f.label}”属于列表：请至少填写一个值（每行一个）。")
        if len(items) > adhoc.MAX_LIST:
            raise AnalysisRefused(f"“{f.label}”属于列表：最多 {adhoc.MAX_LIST:,} 个值（现有 {len(items):,} 个）。")
        return tuple(dict.fromkeys(read_value(f, v) for v in items))
    return (read_value(f, value),)


def read_value(f: Field, text) -> object:
    """One value converted by the field's kind, or AnalysisRefused saying what is expected."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise AnalysisRefused(f"“{f.label}”的值无法读取：请填写{_expected(f)}。")
    raw = str(text)
    if len(raw) > MAX_TEXT:
        raise AnalysisRefused(f"“{f.label}”的值过长：最多 {MAX_TEXT} 个字符（现有 {len(raw):,} 个）。")
    if f.kind == STRING:
        if raw == "":
            raise AnalysisRefused(f"请填写“{f.label}”的值；要找没有填写的记录，请用“为空”。")
        return raw
    value = raw.strip()
    shown = _short(raw)
    if value == "":
        raise AnalysisRefused(f"请填写“{f.label}”的值（{_expected(f)}）。")
    if f.kind == INT:
        if not _INT.match(value) or not adhoc.INT64[0] <= int(value) <= adhoc.INT64[1]:
            raise AnalysisRefused(f"“{shown}”不是整数：“{f.label}”需要{_expected(f)}。")
        return int(value)
    if f.kind == FLOAT:
        if not _FLOAT.match(value):
            raise AnalysisRefused(f"“{shown}”不是数字：“{f.label}”需要{_expected(f)}。")
        return float(value)
    if f.kind == ENUM:
        by_label = {label: key for key, label in f.choices.items()}
        if value in f.choices or value in by_label:
            return value if value in f.choices else by_label[value]
        raise AnalysisRefused(f"“{shown}”不是“{f.label}”的可选值：可选 {'、'.join(f.choices.values())}。")
    if f.kind == FLAG:
        if value not in FLAG_WORDS:
            raise AnalysisRefused(f"“{shown}”无法识别：“{f.label}”请选“是”或“否”。")
        return FLAG_WORDS[value]
    return _read_time(f, value, shown)


def _read_time(f: Field, value: str, shown: str):
    m = _DATE.match(value)
    t = None if m else _DATETIME.match(value) if f.kind == DATETIME else None
    if not m and not t:
        raise AnalysisRefused(f"“{shown}”不是有效的{'日期' if f.kind == DATE else '日期或时间'}：“{f.label}”需要{_expected(f)}。")
    parts = [int(p) for p in (m or t).groups() if p is not None]
    try:
        value = dt.date(*parts[:3]) if m else dt.datetime(*parts)
    except ValueError:
        raise AnalysisRefused(f"“{shown}”不是有效的日期（没有这一天或这一时刻）：“{f.label}”需要{_expected(f)}。") from None
    day = value if m else value.date()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise AnalysisRefused(f"“{shown}”超出范围：日期应在 1970-01-01 至 2149-06-06 之间。")
    return value


def _expected(f: Field) -> str:
    return {INT: "整数，例如 12", FLOAT: "数字，例如 3.5", STRING: "文字", ENUM: "一个可选值", FLAG: "“是”或“否”",
            DATE: "日期，写作 2022-03-01", DATETIME: "日期或时间，写作 2022-03-01 或 2022-03-01 08:30"}[f.kind]


# -- running, showing, exporting ------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    rows: pd.DataFrame  # raw values, field names as columns
    total: int  # rows (or groups) the query gives without the cap
    cap: int

    @property
    def capped(self) -> bool:
        return self.total > len(self.rows)


def fetch(query: AdhocQuery, scope: str, cap: int) -> Result:
    """The first `cap` rows and the total count, under the jurisdiction `scope`."""
    try:
        rows = adhoc.run(query, scope, cap)
        total = adhoc.count(query, scope)
    except registry.QueryError as exc:
        raise AnalysisRefused(f"查询无法执行：{exc}") from None
    except WarehouseError as exc:
        raise AnalysisRefused(f"查询未能完成（{str(exc)[:120]}）：请加上条件缩小范围后再试。") from None
    return Result(rows, total, cap)


def measure_label(m: Measure) -> str:
    return MEASURE_LABELS[m.fn] if m.field is None else f"{MEASURE_LABELS[m.fn]}·{m.field.label}"


def shown(query: AdhocQuery, rows: pd.DataFrame, unmask: bool, unit_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The result as people read it: Chinese headers and words, unit names beside their codes,
    personal fields masked unless `unmask`."""
    fields = list(query.group_by) if query.aggregated else list(query.columns or query.table.fields)
    out = {}
    for f in fields:
        col = rows[f.name] if f.name in rows else pd.Series(dtype="object")
        if f.kind == ENUM:
            col = col.map(lambda v, f=f: f.choices.get(str(v), v))
        elif f.kind == FLAG:
            col = col.map(lambda v: "是" if v == 1 else "否")
        elif f.kind == DATETIME:
            col = pd.to_datetime(col).dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
        elif f.kind == DATE:
            col = pd.to_datetime(col).dt.strftime("%Y-%m-%d").fillna("")
        out[f.label] = col
        if f.unit and unit_names is not None:
            out[UNIT_NAMES[f.unit]] = col.map(lambda c: unit_names.get(str(c), ""))
    for i, m in enumerate(query.measures if query.aggregated else ()):
        out[measure_label(m)] = rows[f"m{i}"]
    frame = pd.DataFrame(out, index=rows.index)
    return frame if unmask else masked(query, frame)


def masked(query: AdhocQuery, frame: pd.DataFrame) -> pd.DataFrame:
    """Personal fields masked: names to the first character, ID numbers 6 + 4, phones 3 + 4."""
    masks = {"name": mask_name, "id_number": mask_id, "phone": mask_phone}
    frame = frame.copy()
    for f in query.table.fields:
        if f.personal and f.label in frame:
            frame[f.label] = frame[f.label].map(lambda v, m=masks[f.personal]: m(str(v)) if v is not None else "")
    return frame


def has_personal(query: AdhocQuery) -> bool:
    return not query.aggregated and any(f.personal for f in (query.columns or query.table.fields))


def unit_names(scope: str) -> dict[str, str]:
    """Names of the districts, streets and communities in the jurisdiction, by code."""
    names = {}
    for grain in GRAINS:
        df = registry.run("geo/units", scope, unit="", grain=grain)
        names.update(zip(df["unit_code"].astype(str), df["name"]))
    return names


def describe(query: AdhocQuery) -> str:
    """One line saying what a query asks, for the audit log."""
    parts = [query.table.label]
    parts += [f"{c.field.label} {OPERATOR_LABELS.get(c.op, c.op)} {'、'.join(map(str, c.values))}" for c in query.conditions]
    if query.group_by:
        parts.append("按 " + "、".join(f.label for f in query.group_by) + " 分组")
    return "；".join(parts)


def export(identity: Identity, definition: dict, fmt: str, cap: int, unmask: bool = False) -> bytes:
    """The result (first `cap` rows) as a CSV or XLSX file, masked unless the user may and asks
    to unmask; each export, and each unmasking, is written to the audit log."""
    if not may_use(identity):
        raise AnalysisRefused(REFUSED)
    query = parse(definition, identity)
    unmask = bool(unmask and identity.can_unmask and has_personal(query))
    result = fetch(query, identity.scope, cap)
    data = to_file(shown(query, result.rows, unmask, unit_names(identity.scope)), fmt)
    detail = (f"{fmt.upper()}，{len(result.rows):,} 行（共 {result.total:,} 行{'，已截断' if result.capped else ''}）"
              f"{'，未脱敏' if unmask else ''}；{describe(query)}")
    audit.record("export", identity, f"adhoc:{query.table.name}", detail)
    if unmask:
        record_unmask(identity, query, f"导出 {fmt.upper()}")
    return data


def to_file(frame: pd.DataFrame, fmt: str) -> bytes:
    """A table as CSV (UTF-8 with BOM) or XLSX bytes, through the portal's one export path: text
    a spreadsheet would read as a formula stays text (a CSV value gets a leading ', an XLSX cell
    is stored as text)."""
    if fmt not in ("csv", "xlsx"):
        raise AnalysisRefused("导出格式只能是 CSV 或 XLSX。")
    return exports.file_bytes(frame, fmt, sheet="自助分析")


def record_unmask(identity: Identity, query: AdhocQuery, how: str) -> None:
    audit.record("unmask", identity, f"adhoc:{query.table.name}", f"{how}；{describe(query)}")


def canonical(definition: dict) -> str:
    """The definition as stable JSON (the cache and the saved-filter store key on it)."""
    return json.dumps(definition, ensure_ascii=False, sort_keys=True)
