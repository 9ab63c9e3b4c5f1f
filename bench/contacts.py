"""Contact-tracing page (密接追踪) queries beside naive equivalents, for `python -m bench`.

The chain of a case against the same joins over the whole registry and every control episode;
the closed loop by district against every episode read into pandas; the transfers of cases
against both tables read into pandas; the alerts against the statement before the person-ordered
tests and the anti join, finding the missed tests by a tuple NOT IN over every sample
(bench/sql/contacts_alerts_raw.sql).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from bench.suite import naive_sql
from portal.settings import PortalSettings
from queries import registry

S = PortalSettings()


def run(name, **p):
    return registry.run(name, "", **p)


def funnel_naive(wh, day: dt.date) -> tuple[int, int]:
    ep = wh.query_df("SELECT identified_at, quarantine_start, quarantine_end FROM epi.control_episode", {})
    cut = pd.Timestamp(day + dt.timedelta(days=1))
    ep = ep[ep["identified_at"] < cut]
    return len(ep), int(((ep["quarantine_start"] < cut) & (ep["quarantine_end"] >= cut)).sum())


def transfers_naive(wh, day: dt.date) -> int:
    cases = wh.query_df("SELECT person_id, confirmed_at FROM epi.case_record", {})
    moves = wh.query_df("SELECT person_id FROM epi.transfer WHERE subject = 'case'", {})
    cases = cases[(cases["confirmed_at"].dt.date >= S.trend_start) & (cases["confirmed_at"].dt.date <= day)]
    return len(cases.merge(moves, on="person_id"))


def alert_days() -> dict:
    return {"transfer_limit_hours": S.transfer_limit_hours, "close_test_days": list(S.close_test_days),
            "secondary_test_days": list(S.secondary_test_days)}


def suite(wh, day: dt.date, cases: int = 1) -> list:
    from bench.suite import Case

    # one case: ten cases' chains hold 481,473 edges at full, past the page's row cap
    some = run("trajectories/case_list")["case_id"].tolist()[:cases]
    chain_raw = naive_sql("contacts_chain_raw")
    alerts_raw = naive_sql("contacts_alerts_raw")
    return [
        Case("contacts", f"chain of {len(some)} case", fast=lambda: run("contacts/chain", case_ids=some, as_of=day,
                                                                 row_cap=1_000_000),
             naive=lambda: wh.query_df(chain_raw, {"scope": "", "case_ids": some, "as_of": day}, timeout_s=600),
             figure=len,
             target_ms=500),
        Case("contacts", f"closed loop by district as of {day}",
             fast=lambda: run("contacts/funnel_by_unit", unit="", grain=6, as_of=day),
             naive=lambda: funnel_naive(wh, day),
             figure=lambda f: (int(f["identified"].sum()), int(f["now_quarantine"].sum())),
             naive_figure=lambda n: n, target_ms=500),
        Case("contacts", f"alerts as of {day}",
             fast=lambda: run("contacts/alerts", unit="", as_of=day, with_names=1, **alert_days()),
             naive=lambda: wh.query_df(alerts_raw, {"scope": "", "unit": "", "as_of": day, **alert_days()}),
             figure=len, target_ms=500,
             naive_note="the statement finding the missed tests by a NOT IN over every sample"),
        Case("contacts", "transfers of cases to treatment",
             fast=lambda: run("transfers/case_transfers", date_from=S.trend_start, as_of=day),
             naive=lambda: transfers_naive(wh, day), figure=len, naive_figure=lambda n: n, target_ms=500),
    ]
