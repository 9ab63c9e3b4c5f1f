"""The cockpit's figures: every indicator for a unit's children on an as-of day and the day
before, assembled from the indicator queries (all additive, so a unit is its children's sum)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from portal.command import workdays
from portal.glossary import TREND_METRICS
from portal.settings import PortalSettings

CHILD_GRAIN = {0: 6, 6: 9, 9: 12, 12: 12}
Runner = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Figures:
    """Indicator values per child unit for the day (`today`) and the day before (`prev`)."""

    today: pd.DataFrame  # index unit_code, one column per indicator
    prev: pd.DataFrame

    def total(self, frame: str = "today") -> pd.Series:
        return getattr(self, frame).sum(numeric_only=True)


def _pivot(df: pd.DataFrame, column: str) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame()
    wide = df.groupby(["unit_code", "kind"], observed=True)[column].sum().unstack("kind", fill_value=0)
    wide.columns = [str(c) for c in wide.columns]
    wide.columns.name = None
    return wide


def case_origin(run: Runner, unit: str, as_of: dt.date, history_days: int = 365) -> pd.DataFrame:
    """New cases by day and child of `unit`, 社会面 or 管控内 (analysis/case_origin_by_unit.sql),
    for the `history_days` up to `as_of`. A day's split uses only what was known by its own
    24:00, so one read serves the day's figures and the 社会面清零 count alike."""
    return run("analysis/case_origin_by_unit", unit=unit, grain=CHILD_GRAIN[len(unit)],
               date_from=as_of - dt.timedelta(days=history_days), as_of=as_of)


def compute(run: Runner, settings: PortalSettings, unit: str, as_of: dt.date,
            origin: pd.DataFrame | None = None) -> Figures:
    """All cockpit indicators for the children of `unit` (a code prefix, '' = city). `origin`:
    case_origin() already read for the day, if the caller has it."""
    grain = CHILD_GRAIN[len(unit)]
    common = {"unit": unit, "grain": grain, "as_of": as_of}
    today, prev = {}, {}

    control = run("cockpit/control_now_by_unit", **common)
    today["control"], prev["control"] = _pivot(control, "now"), _pivot(control, "prev")

    cases = run("cockpit/cases_by_unit", **common)
    today["cases"], prev["cases"] = _pivot(cases, "today"), _pivot(cases, "prev")
    to_date = _pivot(cases, "to_date")
    cumulative = pd.DataFrame({"cases_to_date": to_date.sum(axis=1)}) if not to_date.empty else pd.DataFrame()
    today["cum"] = cumulative
    # a day earlier the cumulative count lacked that day's new cases
    new = today["cases"].sum(axis=1) if not today["cases"].empty else 0
    prev["cum"] = cumulative.sub(new, axis=0, fill_value=0) if not cumulative.empty else cumulative

    # 社会面 / 管控内: where the day's new cases were found (docs/guide/outlook.md)
    if origin is None:
        origin = case_origin(run, unit, as_of, history_days=1)
    for frame, day in ((today, as_of), (prev, as_of - dt.timedelta(days=1))):
        part = origin[pd.to_datetime(origin["day"]).dt.date == day].set_index("unit_code") if not origin.empty else origin
        frame["origin"] = pd.DataFrame({"community_cases": part["community"], "in_control_cases": part["in_control"]}
                                       ) if not part.empty else pd.DataFrame()

    contacts = run("cockpit/contacts_by_unit", **common)
    # the 24-hour transfer rate is for the cohort whose window has closed by 24:00: the close
    # contacts identified the day before (contacts_by_unit.sql)
    for frame, col, cohort_col, col24 in ((today, "today", "today_cohort", "today_24h"),
                                          (prev, "prev", "prev_cohort", "prev_24h")):
        ident = _pivot(contacts, col)
        cohort = _pivot(contacts, cohort_col)
        moved = _pivot(contacts, col24)
        out = pd.DataFrame(index=ident.index)
        out["close_identified"] = ident.get("close_contact", 0)
        out["secondary_identified"] = ident.get("secondary_contact", 0)
        out["close_cohort_24h"] = cohort.get("close_contact", 0)
        out["close_transferred_24h"] = moved.get("close_contact", 0)
        frame["contacts"] = out

    # 当日判定密接: everyone named a close contact that day, already under control or not
    named = run("cockpit/named_contacts_by_unit", **common).set_index("unit_code")
    today["named"] = named[["today"]].set_axis(["close_named"], axis=1)
    prev["named"] = named[["prev"]].set_axis(["close_named"], axis=1)

    sites = run("cockpit/sites_by_unit", **common, congested_minutes=settings.congested_minutes)
    for frame, day in ((today, as_of), (prev, as_of - dt.timedelta(days=1))):
        part = sites[pd.to_datetime(sites["day"]).dt.date == day].set_index("unit_code") if not sites.empty else sites
        frame["sites"] = pd.DataFrame({
            "sites_total": part.get("sites"),
            "sites_open": part.get("clear", 0) + part.get("busy", 0) + part.get("congested", 0),
            "sites_busy": part.get("busy"),
            "sites_congested": part.get("congested"),
            "sites_congested_ever": part.get("congested_ever"),
            "sites_closed": part.get("closed"),
            "sites_unreported": part.get("unreported"),
        }) if not part.empty else pd.DataFrame()

    samples = run("cockpit/samples_by_unit", **common,
                  pending_a=settings.pending_hours_a, pending_b=settings.pending_hours_b).set_index("unit_code")
    today["samples"] = samples[["taken", "pending_a", "pending_b"]].rename(columns={"taken": "samples_taken"})
    prev["samples"] = samples[["taken_prev", "pending_a_prev", "pending_b_prev"]].set_axis(
        ["samples_taken", "pending_a", "pending_b"], axis=1)

    limits = settings.appeal_limit_days
    appeals = run("cockpit/appeals_by_unit", **common, types=list(limits), limit_days=list(limits.values()),
                  **workdays.calendar_params(as_of)).set_index("unit_code")
    today["appeals"] = appeals[["received", "closed", "overdue"]].add_prefix("appeals_")
    prev["appeals"] = appeals[["received_prev", "closed_prev", "overdue_prev"]].set_axis(
        ["appeals_received", "appeals_closed", "appeals_overdue"], axis=1)

    screening = run("cockpit/screening_by_unit", **common).set_index("unit_code")
    today["screening"] = screening[["dispatched", "verified", "awaiting"]].add_prefix("screening_")
    prev["screening"] = screening[["dispatched_prev", "verified_prev", "awaiting_prev"]].set_axis(
        ["screening_dispatched", "screening_verified", "screening_awaiting"], axis=1)

    return Figures(_combine(today), _combine(prev))


def _combine(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [p for p in parts.values() if not p.empty]
    wide = pd.concat(frames, axis=1).fillna(0) if frames else pd.DataFrame()
    for col in ("centralized", "home_quarantine", "home_monitoring", "confirmed", "asymptomatic",
                "cases_to_date", "community_cases", "in_control_cases", "close_named", "close_identified", "secondary_identified", "close_cohort_24h", "close_transferred_24h",
                "sites_total", "sites_open", "sites_busy", "sites_congested", "sites_congested_ever", "sites_closed",
                "sites_unreported", "samples_taken", "pending_a", "pending_b", "appeals_received",
                "appeals_closed", "appeals_overdue", "screening_dispatched", "screening_verified",
                "screening_awaiting"):
        if col not in wide:
            wide[col] = 0
    wide = wide.astype("int64")
    wide["under_control"] = wide["centralized"] + wide["home_quarantine"] + wide["home_monitoring"]
    wide.index.name = "unit_code"
    return wide


def community_zero(run: Runner, settings: PortalSettings, unit: str, as_of: dt.date,
                   history_days: int = 365, origin: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each child of `unit` that had a case in the `history_days` up to `as_of`: the last
    day with a 社会面 case (NaT if none), the days since it (0 = one that day; none if there was
    none) and whether the unit has reached 社会面清零 — `community_zero_days` consecutive days,
    ending on `as_of`, without one. Index unit_code. `origin`: case_origin() for the same
    `history_days`, if the caller has it."""
    if origin is None:
        origin = case_origin(run, unit, as_of, history_days)
    columns = ["last_community_day", "community_free_days", "community_zero"]
    if origin.empty:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="unit_code"))
    days = pd.to_datetime(origin["day"])
    last = days.where(origin["community"] > 0).groupby(origin["unit_code"]).max()
    since = (pd.Timestamp(as_of) - last).dt.days
    out = pd.DataFrame({"last_community_day": last.dt.date, "community_free_days": since.astype("Int64"),
                        "community_zero": since.isna() | (since >= settings.community_zero_days)})
    out.index.name = "unit_code"
    return out


def transfer_rate(values: pd.Series) -> float | None:
    """Share of the close contacts identified the day before who were transferred within 24 h
    of identification (%): the latest cohort whose 24-hour window has closed by 24:00."""
    if not values.get("close_cohort_24h"):
        return None
    return round(100.0 * values["close_transferred_24h"] / values["close_cohort_24h"], 1)


def unit_table(units: pd.DataFrame, today: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The units one level down with the day's figures (zero where a unit has none); the
    24-hour transfer rate, when it is the chosen indicator, per unit (zero where none was due)."""
    table = units.merge(today.reset_index(), on="unit_code", how="left").fillna(0)
    if indicator == "transfer_24h_rate":
        table[indicator] = table.apply(lambda r: transfer_rate(r) or 0.0, axis=1) if not table.empty else 0.0
    return table


def with_density(table: pd.DataFrame, outlines: pd.DataFrame) -> pd.DataFrame:
    """Districts' census population (常住人口, 2020), area of the outline (km²) and density per
    km² beside their figures; empty for streets and communities (no census figure of their own)."""
    districts = outlines.loc[outlines["unit_code"].str.len() == 6, ["unit_code", "population", "area_km2"]]
    districts = districts.assign(area_km2=districts["area_km2"].round(1),
                                 density=(districts["population"] / districts["area_km2"]).round().astype(int))
    return table.merge(districts, on="unit_code", how="left")


def daily_wide(trend: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The trend as one row per day from first to last and one column per trend metric (in
    TREND_METRICS order), zero where a day has no figure."""
    days = pd.date_range(first, last, freq="D")
    wide = trend.assign(day=pd.to_datetime(trend["day"])).pivot_table(
        index="day", columns="metric", values="value", aggfunc="sum").reindex(index=days, columns=list(TREND_METRICS))
    return wide.fillna(0).astype(int)
