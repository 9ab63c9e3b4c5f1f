"""The daily briefing (每日简报) beside the same figures from raw-table scans, for `python -m bench`.

The briefing is the cockpit's figures for the day and the day before plus a 14-day trend; the
naive side runs the cockpit's raw-table baselines (bench/sql/) for the same day.
"""

from __future__ import annotations

import datetime as dt

from bench import cockpit
from portal import briefing
from portal.settings import PortalSettings
from queries import registry

S = PortalSettings()


def run(name, **p):
    return registry.run(name, "", **p)


def make(day: dt.date):
    span = {"first_day": S.trend_start, "last_day": day}
    return briefing.for_scope(run, S, day, span, "")


KEYS = ("under_control", "confirmed", "appeals_received", "screening_dispatched")


def figure(b) -> dict:
    """The day's figures both ways must agree on."""
    return {r["key"]: int(r["today"]) for _, r in b.figures.iterrows() if r["key"] in KEYS}


def suite(wh, day: dt.date) -> list:
    from bench.suite import Case

    raw = {c.query: c for c in cockpit.suite(wh, day) if c.naive is not None}

    def naive() -> dict:
        got = {name: case.naive() for name, case in raw.items()}
        cases = got["cases_by_unit"]
        return {"under_control": int(got["control_now_by_unit"]["now"].sum()),
                "confirmed": int(cases.loc[cases["kind"] == "confirmed", "today"].sum()),
                "appeals_received": int(got["appeals_by_unit"]["received"].sum()),
                "screening_dispatched": int(got["screening_by_unit"]["dispatched"].sum())}

    return [Case("briefing", f"daily briefing for {day} (figures, districts, trend)", fast=lambda: make(day),
                 naive=naive, figure=figure, naive_figure=lambda n: n, target_ms=500)]
