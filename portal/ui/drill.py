"""Drill-down state: the unit being looked at (a code prefix), checked against the geography
and the user's jurisdiction, with the breadcrumb of its ancestors."""

from __future__ import annotations

import pandas as pd

from portal.data import QueryRunner
from portal.errors import EpiError
from warehouse.rules.geography import UNIT_CODE, ancestors


class UnknownUnit(EpiError, ValueError):
    """A drill-down code that does not exist or lies outside the user's jurisdiction."""


def start_unit(scope: str) -> str:
    return scope


def check(run: QueryRunner, unit: str, scope: str) -> str:
    """Return unit if it exists and is inside scope; a unit above the scope (a street operator's
    district, or the city) is clamped to the scope itself, so the name shown is the one whose
    figures are shown; raise UnknownUnit otherwise."""
    if not UNIT_CODE.match(unit):
        raise UnknownUnit(f"区划代码“{unit}”格式不对：应为 6 位区县、9 位街道或 12 位社区代码。")
    if not (unit.startswith(scope) or scope.startswith(unit)):
        raise UnknownUnit(f"区划代码“{unit}”不在您的管辖范围（{scope}）内。")
    if not unit.startswith(scope):
        return scope
    if unit and run("geo/units", unit=unit, grain=len(unit)).empty:
        raise UnknownUnit(f"区划代码“{unit}”不存在，请从列表中选择。")
    return unit


def names_of(run: QueryRunner, unit: str) -> list[tuple[str, str]]:
    """[(code, name)] from the city down to unit."""
    crumbs = [("", "成都市")]
    for code in ancestors(unit):
        df = run("geo/units", unit=code, grain=len(code))
        crumbs.append((code, df["name"].iloc[0] if not df.empty else code))
    return crumbs


def children(run: QueryRunner, unit: str, grain: int) -> pd.DataFrame:
    return run("geo/units", unit=unit, grain=grain)


def breadcrumb(st, run: QueryRunner, unit: str, scope: str, state_key: str) -> list[tuple[str, str]]:
    """Buttons city → … → unit; a click on an ancestor inside the jurisdiction goes back up."""
    crumbs = names_of(run, unit)
    st.caption("当前层级")
    cols = st.columns(len(crumbs))
    for i, (code, label) in enumerate(crumbs):
        allowed = code.startswith(scope) or not scope
        if cols[i].button(label, key=f"{state_key}-crumb-{code}", disabled=(code == unit or not allowed),
                          width="stretch"):
            st.session_state[state_key] = code
            st.rerun()
    return crumbs


def current_unit(st, run: QueryRunner, state_key: str, scope: str, wanted: str | None) -> str:
    """The unit kept in the session (first from a link), checked against the jurisdiction: a unit
    above it is the jurisdiction itself; an unknown or forbidden code goes back to the start
    with one message."""
    if state_key not in st.session_state:
        st.session_state[state_key] = wanted or start_unit(scope)
    try:
        st.session_state[state_key] = check(run, st.session_state[state_key], scope)
        return st.session_state[state_key]
    except UnknownUnit as exc:
        st.error(f"{exc} 已返回{'全市' if not scope else '管辖区'}。")
        st.session_state[state_key] = start_unit(scope)
        return st.session_state[state_key]
