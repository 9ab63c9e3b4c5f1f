"""预警中心 and 疫情研判 for `python -m bench`: every alert rule as the check evaluates it, the
whole check, and the outlook page's Rt, growth and projection, each beside a naive side where
one differs from the page's own way.

The page itself reads the alert store: its row finds the check of the same data already made (as
the scheduled job leaves it; made once here in a temporary store) and counts the open alerts,
beside the same counts when the view evaluates every rule itself. The naive sides of the rules
read raw rows into pandas and compute the same subjects or figures there: the
contacts' closed-loop problems from every close-contact episode and every quarantine test, the
hotels' occupancy from every episode, and Rt from every case record. The other rules run over
naive queries: the site states, marks and samples by district by their naive statements, the
rest as their own statements with no key, index, projection or cache (every granule read). The
whole check's naive side is every rule's.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from contextlib import contextmanager

import pandas as pd

from bench.suite import Case, naive_sql, unshortcut
from portal.alerts import center
from portal.alerts.rules import RULES, When
from portal.analysis import outlook, rt
from portal.settings import PortalSettings
from queries import registry

SETTINGS = PortalSettings()
TARGET_MS = 500


def run(name, **params):
    return registry.run(name, "", **params)


def subjects(found: pd.DataFrame) -> tuple[int, float]:
    """The figure both sides agree on: how many subjects and the sum of their values."""
    return len(found), round(float(pd.to_numeric(found["value"]).fillna(0).sum()), 1) if len(found) else 0.0


def open_by_severity(when: When) -> dict[str, int]:
    """What a page does with the check of the same data already made (the scheduled job's): find
    that check, then count the open alerts by severity and list the newest of them, as the page
    does, from the alert store."""
    report = center.made(when, _data_version(), SETTINGS.alert_check_fresh_minutes)
    assert report is not None, "no check recorded"
    center.instances("", center.OPEN, limit=center.LIST_LIMIT)
    center.count("", center.OPEN)
    return center.open_counts("")


def open_by_severity_checked_on_view(when: When) -> dict[str, int]:
    """The same counts when the view has to evaluate every rule itself."""
    counts = dict.fromkeys(center.SEVERITIES, 0)
    for rule, found in center.evaluate(run, SETTINGS, when).items():
        counts[rule.severity] += len(found) if isinstance(found, pd.DataFrame) else 0
    return counts


@contextmanager
def own_store(url: str):
    """The portal's relational store at `url` while the block runs, the one in force after it."""
    before = os.environ.get("EPI_PORTAL_DB")
    os.environ["EPI_PORTAL_DB"] = url
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("EPI_PORTAL_DB", None)
        else:
            os.environ["EPI_PORTAL_DB"] = before


def _data_version() -> str:
    return str(run("meta/data_range")["data_version"].iloc[0] or "")


def check_all(when: When) -> dict[str, int]:
    """The check's reading side (portal.alerts.center.evaluate); the page then writes the store."""
    found = center.evaluate(run, SETTINGS, when)
    return {rule.id: len(f) if isinstance(f, pd.DataFrame) else -1 for rule, f in found.items()}


# -- naive sides ---------------------------------------------------------------------------------

def _episodes(wh) -> pd.DataFrame:
    return wh.query_df("SELECT * FROM epi.control_episode")


def contacts_naive(wh, when: When) -> dict[str, tuple[int, float]]:
    """Closed-loop problems at 24:00 of the day from every episode and every quarantine test."""
    day = when.day
    end = pd.Timestamp(day + dt.timedelta(days=1))
    ep = _episodes(wh)
    close = ep[ep["kind"] == "close_contact"]
    late = close[(close["identified_at"] < end - pd.Timedelta(hours=SETTINGS.transfer_limit_hours))
                 & (close["transferred_at"].isna() | (close["transferred_at"] >= end))]
    hours = ((end - late["identified_at"]).dt.total_seconds() // 3600)
    tests = wh.query_df("SELECT person_id, protocol_day, sampled_at FROM epi.sample WHERE purpose = 'quarantine'")
    taken = set(zip(tests.loc[(tests["protocol_day"] > 0) & (tests["sampled_at"] < pd.Timestamp(day)), "person_id"],
                    tests.loc[(tests["protocol_day"] > 0) & (tests["sampled_at"] < pd.Timestamp(day)), "protocol_day"]))
    missing: dict[int, set] = {}
    for r in ep.itertuples():
        days = SETTINGS.close_test_days if r.kind == "close_contact" else SETTINGS.secondary_test_days
        stop = r.monitoring_end if pd.notna(r.monitoring_end) else r.quarantine_end
        if stop < end:
            continue
        start = r.quarantine_start.date()
        for d in days:
            due = start + dt.timedelta(days=d - 1)
            if due < day and due < r.quarantine_end.date() and (r.person_id, d) not in taken:
                missing.setdefault(r.person_id, set()).add(d)
    return {"contact_not_transferred": (late["person_id"].nunique(), round(float(hours.groupby(late["person_id"]).first().sum()), 1)),
            "quarantine_test_missed": (len(missing), round(float(sum(len(v) for v in missing.values())), 1))}


def hotels_naive(wh, when: When) -> tuple[int, float]:
    end = pd.Timestamp(when.day + dt.timedelta(days=1))
    ep = _episodes(wh)
    staying = ep[(ep["kind"] == "close_contact") & (ep["hotel_id"] > 0) & (ep["quarantine_start"] < end)
                 & (ep["quarantine_end"] >= end)].groupby("hotel_id").size()
    hotels = wh.query_df("SELECT hotel_id, rooms FROM epi.quarantine_hotel").set_index("hotel_id")
    staying = staying.reindex(hotels.index, fill_value=0)
    over = staying[staying * 100 > hotels["rooms"] * SETTINGS.hotel_occupancy_warn_pct]
    return len(over), round(float((100.0 * over / hotels["rooms"][over.index]).round(1).sum()), 1)


def cases_naive(wh, first: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Daily cases by district from every case record (what analysis/daily_cases reads from its aggregate)."""
    cases = wh.query_df("SELECT confirmed_at, community_code FROM epi.case_record")
    cases = cases.assign(day=cases["confirmed_at"].dt.date, unit_code=cases["community_code"].str[:6])
    cases = cases[(cases["day"] >= first) & (cases["day"] <= as_of)]
    out = cases.groupby(["day", "unit_code"]).size().rename("cases").reset_index()
    return out.assign(day=pd.to_datetime(out["day"]))


def outlook_view(first: dt.date, as_of: dt.date) -> dict:
    """What 疫情研判 computes for the city: every area's Rt and growth, the projection and its record."""
    areas = outlook.areas(run, SETTINGS, "", {}, first, as_of)
    for area in areas:
        if area.estimable:
            outlook.outlook(area, SETTINGS)
    return _outlook_figure(outlook.summary(areas, SETTINGS.rt_window_days))


def outlook_naive(wh, first: dt.date, as_of: dt.date) -> dict:
    cases = cases_naive(wh, first, as_of)
    names = {}
    series = [outlook._series(SETTINGS, "", "成都市", cases, first, as_of)]
    for code in sorted(cases["unit_code"].unique()):
        series.append(outlook._series(SETTINGS, code, names.get(code, code), cases[cases["unit_code"] == code], first, as_of))
    for area in series:
        if area.estimable:
            outlook.outlook(area, SETTINGS)
    return _outlook_figure(outlook.summary(series, SETTINGS.rt_window_days))


def _outlook_figure(summary: pd.DataFrame) -> dict:
    return {r.unit_code or "city": (int(r.recent_cases), None if pd.isna(r.rt_mean) else float(r.rt_mean))
            for r in summary.itertuples()}


def rt_naive(wh, when: When) -> tuple[int, float]:
    first = when.day - dt.timedelta(days=SETTINGS.rt_alert_history_days)
    cases = cases_naive(wh, first, when.day)
    over = []
    for code in sorted(cases["unit_code"].unique()):
        daily = rt.complete_days(cases[cases["unit_code"] == code], first, when.day)
        est = rt.estimate(daily, SETTINGS.serial_interval_mean, SETTINGS.serial_interval_sd, SETTINGS.rt_window_days,
                          SETTINGS.rt_prior_mean, SETTINGS.rt_prior_sd, SETTINGS.rt_max_cv).iloc[-1]
        if bool(est["reported"]) and est["rt_lo"] > SETTINGS.rt_alert_lower_bound:
            over.append(round(float(est["rt_lo"]), 2))
    return len(over), round(sum(over), 1)


def naive_run(wh):
    """The queries a rule reads, the naive way: the site states, the site leads' marks and the
    samples by district by their naive statements (bench/sql: every report, every mark, every
    sample), every other one as the page's statement with no key, index, projection or cache."""
    statements = {"mass/site_states": "mass_site_states", "cockpit/samples_by_unit": "samples_by_unit"}

    def run_(name, **params):
        if name == "mass/live_marks":
            marks = wh.query_df(naive_sql("mass_all_marks"), {})
            return marks[marks["marked_at"] >= pd.Timestamp(params["since"])]
        if name in statements:
            sql = naive_sql(statements[name])
            return wh.query_df(sql, {k: v for k, v in {**params, "scope": ""}.items() if "{" + k + ":" in sql},
                               timeout_s=600)
        return unshortcut(name, **params)
    return run_


def rule_naive(wh, rule, when: When) -> tuple[int, float]:
    return subjects(rule.evaluate(naive_run(wh), SETTINGS, when))


# -- the cases ---------------------------------------------------------------------------------

NAIVE_WAY = {
    "site_congested": "the rule over the naive site states (every report of the day) and every mark ever stored",
    "results_pending": "the rule over the naive samples by district (every sample)",
    "appeal_emergency_late": "the rule's statement with no key, index, projection or cache",
    "appeal_overdue": "the rule's statement with no key, index, projection or cache",
    "feed_stale": "the rule's statements with no key, index, projection or cache",
    "appeal_topic_rising": "the rule's statement with no key, index, projection or cache",
    "community_case": "the rule's statement with no key, index, projection or cache",
}


def naive_check(wh, when: When) -> dict[str, int]:
    """Every rule's naive side, as the rows above run them: how many subjects each finds."""
    contacts = contacts_naive(wh, when)
    found = {"contact_not_transferred": contacts["contact_not_transferred"],
             "quarantine_test_missed": contacts["quarantine_test_missed"],
             "hotel_full": hotels_naive(wh, when), "rt_above_one": rt_naive(wh, when)}
    return {rid: (found[rid] if rid in found else rule_naive(wh, rule, when))[0] for rid, rule in RULES.items()}


def suite(wh, day: dt.date) -> list[Case]:
    when = When.end_of(day)
    first = SETTINGS.trend_start
    naive_of = {
        "contact_not_transferred": lambda: contacts_naive(wh, when)["contact_not_transferred"],
        "quarantine_test_missed": lambda: contacts_naive(wh, when)["quarantine_test_missed"],
        "hotel_full": lambda: hotels_naive(wh, when),
        "rt_above_one": lambda: rt_naive(wh, when),
    }
    heavy = {"contact_not_transferred", "quarantine_test_missed"}
    cases = []
    for rid, rule in RULES.items():
        cases.append(Case(
            "alerts", f"rule {rid} ({rule.name}) at {when.label}",
            fast=lambda r=rule: subjects(r.evaluate(run, SETTINGS, when)),
            naive=naive_of.get(rid, lambda r=rule: rule_naive(wh, r, when)), figure=lambda x: x, target_ms=TARGET_MS,
            naive_note=("the naive side reads every quarantine test and episode into pandas and checks each "
                        "person's protocol days in Python" if rid in heavy else NAIVE_WAY.get(rid, ""))))
    # the page's own view reads the alert store: the scheduled check is made once here, in a
    # store of this run's own (a temporary file, used only while this case runs), and the view
    # then finds it
    url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-alerts-')}/alerts.sqlite"
    with own_store(url):
        center.check(run, SETTINGS, when, data_version=_data_version())

    def page_view():
        with own_store(url):
            return open_by_severity(when)
    cases.append(Case("alerts", f"page: open alerts by severity, the check of the same data made (at {when.label})",
                      fast=page_view, naive=lambda: open_by_severity_checked_on_view(when),
                      figure=lambda x: x, target_ms=TARGET_MS))
    cases.append(Case("alerts", f"check: all {len(RULES)} rules at {when.label} (the scheduled job's reads)",
                      fast=lambda: check_all(when), naive=lambda: naive_check(wh, when), figure=lambda x: x,
                      target_ms=TARGET_MS, naive_note="each rule's naive side as in its row above"))
    cases.append(Case("outlook", f"Rt, growth, projection and its record: city and districts to {day}",
                      fast=lambda: outlook_view(first, day), naive=lambda: outlook_naive(wh, first, day),
                      figure=lambda x: x, target_ms=TARGET_MS))
    return cases
