"""Drill-down state: the unit being looked at (a code prefix), checked against the geography
and the user's jurisdiction, with the breadcrumb of its ancestors."""

from __future__ import annotations

import re

import pandas as pd

from portal.data import QueryRunner

CODE = re.compile(r"^(|\d{6}|\d{9}|\d{12})$")


class UnknownUnit(ValueError):
    """A drill-down code that does not exist or lies outside the user's jurisdiction."""


def ancestors(unit: str) -> list[str]:
    return [unit[:n] for n in (6, 9, 12) if len(unit) >= n]


def start_unit(scope: str) -> str:
    return scope


def check(run: QueryRunner, unit: str, scope: str) -> str:
    """Return unit if it exists and is inside scope; raise UnknownUnit otherwise."""
    if not CODE.match(unit):
        raise UnknownUnit(f"区划代码“{unit}”格式不对：应为 6 位区县、9 位街道或 12 位社区代码。")
    if not (unit.startswith(scope) or scope.startswith(unit)):
        raise UnknownUnit(f"区划代码“{unit}”不在您的管辖范围（{scope}）内。")
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
