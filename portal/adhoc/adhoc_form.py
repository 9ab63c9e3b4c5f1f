"""The 自助分析 page's form: widget state ↔ filter definition, and the cached preview.

Widget keys: `ah-table`, `ah-cols`, one row per condition (`ah-rows` lists their numbers; row i
has `ah-f{i}-field`, `-op`, `-v`, `-v2`), `ah-group`, `ah-measures` ("fn:field"), `ah-order`,
`ah-desc`. A definition built here is still read by portal.adhoc.adhoc.parse like any other.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from portal.adhoc import adhoc
from portal.adhoc.catalogue import KIND_LABELS, TABLES
from portal.settings import load_portal_settings
from queries.adhoc import ENUM, FLAG, STRING, Table, measures_for
from warehouse.rules.clock import stamp

_LIST_SPLIT = re.compile(r"[\n,，、;；]+")
FORM_KEYS = ("ah-cols", "ah-group", "ah-measures", "ah-order", "ah-desc")
PERSONAL_WORDS = {"name": "个人信息：显示首字", "id_number": "个人信息：显示前 6 位和后 4 位",
                  "phone": "个人信息：显示前 3 位和后 4 位"}


def catalogue_frame(table: Table) -> pd.DataFrame:
    """The table's fields as the catalogue lists them: label, type, and what to know."""
    def note(f) -> str:
        if f.personal:
            return PERSONAL_WORDS[f.personal]
        if f.name == table.scope_field:
            return "管辖字段：查询总按登录身份的辖区过滤"
        if f.choices:
            return "可选：" + "、".join(f.choices.values())
        return "可为空" if f.nullable else ""
    return pd.DataFrame({"字段": [f.label for f in table.fields], "类型": [KIND_LABELS[f.kind] for f in table.fields],
                         "说明": [note(f) for f in table.fields]})


def output_labels(state, table: Table, measures: dict[str, str]) -> dict[str, str]:
    """The result's columns the form would give (name → label), to order by."""
    groups, chosen = list(state.get("ah-group") or []), list(state.get("ah-measures") or [])
    if groups or chosen:
        out = {n: table.field(n).label for n in groups if table.field(n)}
        out.update({f"m{i}": measures.get(code, code) for i, code in enumerate(chosen or ["count:"])})
        return out
    names = state.get("ah-cols") or [f.name for f in table.fields]
    return {n: table.field(n).label for n in names if table.field(n) and not table.field(n).personal}


def now_text() -> str:
    return stamp()


def exporter(identity, d: dict, fmt: str, cap: int, unmask: bool):
    """The file's contents, made (and audited) only when the download is clicked."""
    return lambda: adhoc.export(identity, d, fmt, cap, unmask)


def measure_options(table: Table) -> dict[str, str]:
    """"fn:field" → label, for every measure the table's fields allow."""
    options = {"count:": "计数"}
    for f in table.fields:
        for fn in measures_for(f):
            options[f"{fn}:{f.name}"] = f"{adhoc.MEASURE_LABELS[fn]}·{f.label}"
    return options


def row_value(state, i: int, f, op: str):
    """A condition's value as the definition holds it (text, a pair, or a list)."""
    v, v2 = state.get(f"ah-f{i}-v"), state.get(f"ah-f{i}-v2")
    if op == "is_empty":
        return None
    if op == "between":
        return [v or "", v2 or ""]
    if op == "in":
        if isinstance(v, list):
            return list(v)
        text = v or ""
        parts = text.split("\n") if f.kind == STRING else _LIST_SPLIT.split(text)
        return [p if f.kind == STRING else p.strip() for p in parts if p.strip() != ""]
    return "" if v is None else v


def definition(state, table: Table) -> dict:
    """The definition the form's widgets describe."""
    d: dict = {"table": table.name}
    if state.get("ah-cols"):
        d["columns"] = list(state["ah-cols"])
    filters = []
    for i in state.get("ah-rows", []):
        f = table.field(state.get(f"ah-f{i}-field"))
        if f is None:
            continue
        op = state.get(f"ah-f{i}-op")
        item = {"field": f.name, "op": op}
        if op != "is_empty":
            item["value"] = row_value(state, i, f, op)
        filters.append(item)
    if filters:
        d["filters"] = filters
    if state.get("ah-group"):
        d["group_by"] = list(state["ah-group"])
    measures = []
    for code in state.get("ah-measures") or []:
        fn, _, name = code.partition(":")
        measures.append({"fn": fn, "field": name or None})
    if measures:
        d["measures"] = measures
    if state.get("ah-order"):
        d["order"] = [{"by": state["ah-order"], "desc": bool(state.get("ah-desc"))}]
    return d


def load_into(state, d: dict) -> None:
    """Set the widgets from a definition (called before the widgets are drawn)."""
    for key in [k for k in state if str(k).startswith("ah-f")] + list(FORM_KEYS):
        state.pop(key, None)
    state["ah-table"] = d["table"]
    table = TABLES[d["table"]]
    rows = []
    for i, item in enumerate(d.get("filters", [])):
        rows.append(i)
        f = table.field(item["field"])
        state[f"ah-f{i}-field"], state[f"ah-f{i}-op"] = item["field"], item["op"]
        value = item.get("value")
        if item["op"] == "between":
            state[f"ah-f{i}-v"], state[f"ah-f{i}-v2"] = (str(v) for v in value)
        elif item["op"] == "in":
            state[f"ah-f{i}-v"] = [_choice(f, v) for v in value] if f.kind == ENUM else "\n".join(map(str, value))
        elif value is not None:
            state[f"ah-f{i}-v"] = _choice(f, value)
    state["ah-rows"], state["ah-next"] = rows, len(rows)
    state["ah-cols"] = list(d.get("columns", []))
    state["ah-group"] = list(d.get("group_by", []))
    state["ah-measures"] = [f"{m['fn']}:{m.get('field') or ''}" for m in d.get("measures", [])]
    order = (d.get("order") or [{}])[0]
    state["ah-order"], state["ah-desc"] = order.get("by", ""), bool(order.get("desc", False))


def _choice(f, value) -> str:
    """A stored value as its widget holds it: a category's code, 是/否, or the typed text."""
    if f.kind == ENUM:
        return next((k for k, label in f.choices.items() if value in (k, label)), str(value))
    if f.kind == FLAG:
        return {1: "是", 0: "否"}.get(adhoc.FLAG_WORDS.get(str(value).strip()), str(value))
    return str(value)


def reset(state) -> None:
    """A new table: no conditions, groups, measures or order carried over."""
    for key in [k for k in state if str(k).startswith("ah-f")] + list(FORM_KEYS):
        state.pop(key, None)
    state["ah-rows"] = []
    state.pop("ah-def", None)


@st.cache_data(ttl=load_portal_settings().cache_ttl_s, show_spinner=False, max_entries=200)
def cached_fetch(canonical: str, scope: str, data_version: str, cap: int, role: str, can_unmask: bool):
    """The preview of a definition (as canonical JSON) for a scope, per data version."""
    import json

    from portal.auth.session import Identity

    query = adhoc.parse(json.loads(canonical), Identity("", role, scope, can_unmask))
    return adhoc.fetch(query, scope, cap)


@st.cache_data(ttl=3600, show_spinner=False)
def cached_unit_names(scope: str, data_version: str) -> dict[str, str]:
    return adhoc.unit_names(scope)
