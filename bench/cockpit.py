"""Cockpit queries from the materialized views vs. the same figure from a raw-table scan.

`python -m bench.cockpit [--date 2022-03-02] [--runs 7]` against EPI_WAREHOUSE_URL; prints a
table (query, median ms each way, ratio, whether the figures agree) and writes JSON to
bench/results/. Timings on a shared machine are noisy: read the ratio, not the milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from bench.suite import naive_sql
from bench.timing import timed
from portal.command import workdays
from portal.settings import PortalSettings
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent
SETTINGS = PortalSettings()
# query → (column compared, extra parameters)
CASES = {
    "control_now_by_unit": ("now", {}),
    "cases_by_unit": ("today", {}),
    "contacts_by_unit": ("today", {}),
    "sites_by_unit": ("congested", {"congested_minutes": SETTINGS.congested_minutes}),
    "samples_by_unit": ("pending_b", {"pending_a": SETTINGS.pending_hours_a, "pending_b": SETTINGS.pending_hours_b}),
    "appeals_by_unit": ("received", {"types": list(SETTINGS.appeal_limit_days),
                                     "limit_days": list(SETTINGS.appeal_limit_days.values()),
                                     **workdays.calendar_params(dt.date(2022, 12, 31))}),
    "screening_by_unit": ("dispatched", {}),
}


def figure(name: str, column: str, day: dt.date):
    """The figure both ways must agree on: the city total of the query's main column."""
    def total(df):
        if name == "sites_by_unit" and "day" in df.columns:
            df = df[df["day"].astype(str).str[:10] == str(day)]
        return int(df[column].sum())
    return total


def trend_figure(df) -> dict[str, tuple[int, int]]:
    """Each series of the trend: (days it has, its total over them)."""
    return {m: (len(g), int(g["value"].sum())) for m, g in df.groupby("metric")}


def suite(wh, day: dt.date) -> list:
    """Every cockpit query (city level) beside its raw-table equivalent, for `python -m bench`."""
    from bench.suite import Case

    params = {"unit": "", "grain": 6, "as_of": day}
    cases = []
    for name, (column, extra) in CASES.items():
        raw_sql = naive_sql(name)
        naive_params = {k: v for k, v in {**params, **extra, "scope": ""}.items() if "{" + k + ":" in raw_sql}
        cases.append(Case("cockpit", name, fast=lambda n=name, e=extra: registry.run(f"cockpit/{n}", "", **params, **e),
                          naive=lambda q=raw_sql, p=naive_params: wh.query_df(q, p, timeout_s=600),
                          figure=figure(name, column, day), target_ms=500))
    trend = {"unit": "", "date_from": day - dt.timedelta(days=13), "as_of": day}
    trend_raw = naive_sql("briefing/daily_trend")  # the briefing's naive trend, the same statement
    cases.append(Case("cockpit", "daily_trend (14 days)",
                      fast=lambda: registry.run("cockpit/daily_trend", "", **trend),
                      naive=lambda: wh.query_df(trend_raw, {**trend, "scope": ""}, timeout_s=600),
                      figure=trend_figure, target_ms=500))
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.cockpit")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 2))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    scale = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key")).get("scale", "?")
    raw_rows = wh.scalar("SELECT sum(total_rows) FROM system.tables WHERE database = 'epi'")
    params = {"unit": "", "grain": 6, "as_of": args.date}
    rows = []
    for name, (column, extra) in CASES.items():
        fast_ms, fast = timed(lambda: registry.run(f"cockpit/{name}", "", **params, **extra), args.runs)
        raw_sql = naive_sql(name)
        naive_params = {k: v for k, v in {**params, **extra, "scope": ""}.items() if "{" + k + ":" in raw_sql}
        naive_ms, naive = timed(lambda: wh.query_df(raw_sql, naive_params), args.runs)
        if name == "sites_by_unit":
            fast = fast[fast["day"].astype(str).str[:10] == str(args.date)]
        agree = int(fast[column].sum()) == int(naive[column].sum())
        rows.append({"query": name, "mv_ms": round(fast_ms, 1), "naive_ms": round(naive_ms, 1),
                     "ratio": round(naive_ms / fast_ms, 1), "figure": int(fast[column].sum()), "agree": agree})
    print(f"scale={scale}  as_of={args.date}  rows in epi={raw_rows:,}  median of {args.runs} runs")
    print(f"{'query':<22}{'MV ms':>9}{'naive ms':>10}{'ratio':>8}{'figure':>10}  agree")
    for r in rows:
        print(f"{r['query']:<22}{r['mv_ms']:>9}{r['naive_ms']:>10}{r['ratio']:>7}x{r['figure']:>10}  {r['agree']}")
    out = HERE / "results" / f"cockpit-{scale}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"scale": scale, "as_of": str(args.date), "rows": rows}, indent=2), encoding="utf-8")
    print(f"written {out}")
    return 0 if all(r["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
