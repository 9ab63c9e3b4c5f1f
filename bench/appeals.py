"""Appeals drill-down and quarantine-site views vs. naive raw scans computed in pandas.

`python -m bench.appeals [--date 2022-03-10] [--runs 7]` against EPI_WAREHOUSE_URL. Each view
runs the page's queries (city, a district, a street for appeals; the city's hotels and their
warnings for quarantine); the naive way reads every raw row of the tables involved and computes
the same figures in pandas, with the working-day deadline worked out row by row. Prints median
milliseconds both ways, the ratio and whether the figures agree; writes JSON to bench/results/.
Timings on a shared machine are noisy: read the ratio, not the milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from bench.suite import naive_sql
from bench.timing import timed
from portal.command import appeals, workdays
from portal.settings import PortalSettings
from portal.tracing import quarantine
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent
SETTINGS = PortalSettings()
WINDOW_DAYS = 7


def run(name, **params):
    return registry.run(name, "", **params)


def appeals_view(unit: str, grain: int, day: dt.date) -> dict:
    """What the appeals page reads for a unit: handling by child unit, volumes, the overdue list."""
    rows = appeals.handling(run, SETTINGS, unit, grain, day - dt.timedelta(days=WINDOW_DAYS - 1), day)
    run("appeals/volume_by_day", unit=unit, date_from=SETTINGS.trend_start, as_of=day)
    run("appeals/overdue_list", unit=unit, as_of=day, **appeals.limit_params(SETTINGS, day))
    t = appeals.totals(rows)
    return {k: int(t[k]) for k in ("received", "closed", "overdue", "rated")}


def appeals_naive(wh, unit: str, day: dt.date) -> dict:
    ap = wh.query_df("SELECT * FROM epi.appeal")
    ap = ap[ap["community_code"].str.startswith(unit)]
    end = pd.Timestamp(day + dt.timedelta(days=1))
    ap = ap[ap["received_at"] < end]
    win = ap["received_at"] >= pd.Timestamp(day - dt.timedelta(days=WINDOW_DAYS - 1))
    closed = ap["closed_at"].notna() & (ap["closed_at"] < end)
    due = pd.Series([workdays.deadline(r.date(), SETTINGS.appeal_limit_days[str(t)])
                     for r, t in zip(ap["received_at"], ap["type"])], index=ap.index)
    ap.groupby([ap["community_code"].str[:len(unit) + 3], ap["type"]], observed=True).size()
    ap.groupby(ap["received_at"].dt.date).size()
    return {"received": int(win.sum()), "closed": int((win & closed).sum()),
            "overdue": int((~closed & (due < day)).sum()),
            "rated": int((win & ap["rated_at"].notna() & (ap["rated_at"] < end)).sum())}


def quarantine_view(day: dt.date, run_=run) -> dict:
    hotels = quarantine.hotels(run_, SETTINGS, "", day)
    warned = quarantine.warnings(run_, SETTINGS, "", day)
    t = quarantine.totals(hotels)
    return {**{k: t[k] for k in ("staying", "arrivals_24h", "releases_24h", "missing_tests")}, "warnings": len(warned)}


def run_naive(wh):
    """The page's `run` on the statements before the person-ordered tests and the anti join
    (bench/sql/quarantine_*_raw.sql: every sample scanned, a tuple NOT IN): the naive side."""
    def run_(name, **params):
        return wh.query_df(naive_sql(name.replace("/", "_") + "_raw"), {"scope": "", **params})
    return run_


def quarantine_naive(wh, day: dt.date) -> dict:
    ep = wh.query_df("SELECT * FROM epi.control_episode WHERE kind = 'close_contact'")
    tests = wh.query_df("SELECT person_id, protocol_day, sampled_at FROM epi.sample WHERE purpose = 'quarantine'")
    end = pd.Timestamp(day + dt.timedelta(days=1))
    staying = ep[(ep["quarantine_start"] < end) & (ep["quarantine_end"] >= end)]
    taken = set(zip(tests.loc[tests["sampled_at"] < end, "person_id"], tests.loc[tests["sampled_at"] < end, "protocol_day"]))
    missing = sum(1 for r in staying.itertuples() for d in SETTINGS.close_test_days
                  if r.quarantine_start.date() + dt.timedelta(days=d - 1) <= day and (r.person_id, d) not in taken)
    arriving = ((ep["identified_at"] < end) & (ep["quarantine_start"] >= end)
                & (ep["quarantine_start"] < end + pd.Timedelta(hours=24)))
    return {"staying": len(staying), "arrivals_24h": int(arriving.sum()),
            "releases_24h": int((staying["quarantine_end"] < end + pd.Timedelta(hours=24)).sum()),
            "missing_tests": missing}


def suite(wh, day: dt.date) -> list:
    """The appeals drill-down (city, a district, a street) and the quarantine view, for `python -m bench`."""
    from bench.suite import Case

    street = registry.run("geo/units", "", unit="510104", grain=9)["unit_code"].iloc[0]
    cases = [Case("appeals", f"drill-down: {label}", fast=lambda u=unit, g=grain: appeals_view(u, g, day),
                  naive=lambda u=unit: appeals_naive(wh, u, day), figure=lambda r: r, target_ms=500)
             for label, unit, grain in (("city", "", 6), ("district 510104", "510104", 9), (f"street {street}", street, 12))]
    cases.append(Case("quarantine", "hotels + warnings", fast=lambda: quarantine_view(day),
                      naive=lambda: quarantine_view(day, run_naive(wh)), figure=lambda r: r, target_ms=500,
                      naive_note="the statements finding the missed tests by a NOT IN over every sample"))
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.appeals")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 10))
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    scale = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key")).get("scale", "?")
    counts = dict(wh.rows("SELECT name, total_rows FROM system.tables WHERE database = 'epi' "
                          "AND name IN ('appeal', 'control_episode', 'sample')"))
    street = registry.run("geo/units", "", unit="510104", grain=9)["unit_code"].iloc[0]
    cases = [
        ("appeals: city", lambda: appeals_view("", 6, args.date), lambda: appeals_naive(wh, "", args.date)),
        ("appeals: district 510104", lambda: appeals_view("510104", 9, args.date),
         lambda: appeals_naive(wh, "510104", args.date)),
        (f"appeals: street {street}", lambda: appeals_view(street, 12, args.date),
         lambda: appeals_naive(wh, street, args.date)),
        ("quarantine: hotels + warnings", lambda: {k: v for k, v in quarantine_view(args.date).items() if k != "warnings"},
         lambda: quarantine_naive(wh, args.date)),
    ]
    rows = []
    for label, fast_fn, naive_fn in cases:
        fast_ms, fast = timed(fast_fn, args.runs)
        naive_ms, naive = timed(naive_fn, args.runs)
        rows.append({"view": label, "page_ms": round(fast_ms, 1), "naive_ms": round(naive_ms, 1),
                     "ratio": round(naive_ms / fast_ms, 1), "figures": fast, "agree": fast == naive})
    print(f"scale={scale}  as_of={args.date}  appeals={counts.get('appeal', 0):,}  "
          f"episodes={counts.get('control_episode', 0):,}  samples={counts.get('sample', 0):,}  median of {args.runs} runs")
    print(f"{'view':<32}{'page ms':>9}{'naive ms':>10}{'ratio':>8}  agree  figures")
    for r in rows:
        print(f"{r['view']:<32}{r['page_ms']:>9}{r['naive_ms']:>10}{r['ratio']:>7}x  {str(r['agree']):<5}  {r['figures']}")
    out = HERE / "results" / f"appeals-{scale}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"scale": scale, "as_of": str(args.date), "rows": rows}, indent=2, default=int),
                   encoding="utf-8")
    print(f"written {out}")
    return 0 if all(r["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
