"""The date, hour, district and street pickers pages share: one label, range and default for
each, the widget key given by the page (tests and links address widgets by key)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from portal.data import QueryRunner
from portal.glossary import LEVELS

AS_OF_LABEL = "统计日期（截至当日24时）"
HOUR_LABEL = "时刻（截至该小时末）"


def as_of(col, span: dict, key: str, label: str = AS_OF_LABEL, value: dt.date | None = None) -> dt.date:
    """A day inside the data range. Without `value` the day comes from the session (set there
    first, e.g. from a link by drill.as_of_from_link)."""
    extra = {} if value is None else {"value": value}
    return col.date_input(label, min_value=span["first_day"], max_value=span["last_day"], key=key, **extra)


def latest_round_day(rounds: pd.DataFrame, last_day: dt.date) -> dt.date:
    """The first day of the latest mass-testing round begun by the last day with data (else that day)."""
    started = [d for d in pd.to_datetime(rounds["first_day"]).dt.date if d <= last_day]
    return started[-1] if started else last_day


def hour(col, key: str, default: int) -> int:
    """An hour of the day, meaning up to its last minute (10 → 10:59)."""
    return col.selectbox(HOUR_LABEL, list(range(24)), index=default, format_func=lambda h: f"{h:02d}:59", key=key)


def districts_in(scope: str) -> dict[str, str]:
    """The districts a jurisdiction reaches (all 20 for the city), code → name."""
    from portal.command.skeleton import district_choices

    return {c: n for c, n in district_choices().items() if c.startswith(scope[:6])}


def district(col, scope: str, key: str | None) -> tuple[str, dict[str, str]]:
    """A district of the jurisdiction ("" = the whole city, offered to city-wide users only),
    and the names of those offered."""
    names = districts_in(scope)
    chosen = col.selectbox(LEVELS[6], ([""] if not scope else []) + list(names),
                           format_func=lambda c: names.get(c, "全市"), key=key)
    return chosen, names


def unit_of(scope: str, district_code: str) -> str:
    """What to show: the chosen district, or the user's own street when that is narrower."""
    return scope if len(scope) > len(district_code) else district_code


def street(col, run: QueryRunner, district_code: str, key: str) -> tuple[str, dict[str, str]]:
    """A street of the chosen district ("" = all of them; disabled until a district is chosen),
    and the street names."""
    streets = run("geo/units", unit=district_code, grain=9) if district_code else pd.DataFrame(
        columns=["unit_code", "name"])
    names = dict(zip(streets["unit_code"], streets["name"]))
    chosen = col.selectbox(LEVELS[9], [""] + list(names), format_func=lambda c: names.get(c, "全部街道"),
                           key=key, disabled=not district_code)
    return chosen, names
