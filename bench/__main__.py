"""Every page's queries at the scale in EPI_WAREHOUSE_URL, each beside its naive equivalent.

`python -m bench [--scale-label X] [--out FILE.json] [--only AREA[,AREA]] [--runs 5] [--naive-runs N]`

Areas, in the order they run: cockpit, contacts, zones, appeals, quarantine, screening, mass
(mass testing), briefing, alerts (预警中心: every rule and the whole check), outlook (疫情研判: Rt,
growth and the projection), person (search and file), trajectory (one case, 20 cases,
companions). For each query it prints the rows the engine read, the page's median milliseconds,
the naive side's (a scan of the raw tables with no pre-aggregation or space-time index, or the
page's own statement with no key, index, projection or cache, in the same run), the ratio, the
target and whether it is met, and whether both sides give the same figure; it writes the table
as JSON (bench/results/bench-<scale>.json by default).

It only reads: the site leads' marks are timed by `python -m bench.mass_testing`, which writes
them. Every naive side runs at every scale; at `full` they run once (`--naive-runs`, 1 by
default above `demo`), the companions' self-join for about 6 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from bench import alerts, appeals, briefing, cockpit, contacts, mass_testing, person_file, tracing, zones
from bench.suite import SCALES, RowCounter, measure, table
from warehouse import WarehouseError, get_warehouse

HERE = Path(__file__).parent
# the person file's and the trajectories' naive sides read the whole trajectory table (1.43 B
# rows at full), which leaves the page cache cold for whatever runs next: those areas run last
AREAS = ["cockpit", "contacts", "zones", "appeals", "quarantine", "screening", "mass", "briefing", "alerts",
         "outlook", "person", "trajectory"]


def build(wh, area: str, day: dt.date, mass_day: dt.date) -> list:
    """The cases of one area (some modules give several areas: appeals + quarantine, person + screening)."""
    if area == "cockpit":
        return cockpit.suite(wh, day)
    if area == "trajectory":
        return tracing.suite(wh)
    if area == "contacts":
        return contacts.suite(wh, day)
    if area == "zones":
        return zones.suite(wh, day)
    if area in ("appeals", "quarantine"):
        return [c for c in appeals.suite(wh, day) if c.area == area]
    if area in ("person", "screening"):
        return [c for c in person_file.suite(wh) if c.area == area]
    if area in ("alerts", "outlook"):
        return [c for c in alerts.suite(wh, day) if c.area == area]
    if area == "mass":
        return mass_testing.suite(wh, mass_day)
    return briefing.suite(wh, day)


def _areas(text: str | None) -> list[str]:
    if not text:
        return AREAS
    wanted = [a.strip() for a in text.split(",") if a.strip()]
    unknown = [a for a in wanted if a not in AREAS]
    if unknown:
        raise SystemExit(f"unknown area {', '.join(unknown)}: choose from {', '.join(AREAS)}")
    return wanted


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--scale-label", help="the scale written in the results (default: the warehouse's own)")
    ap.add_argument("--out", type=Path, help="JSON file to write (default bench/results/bench-<scale>.json)")
    ap.add_argument("--only", help=f"comma-separated areas: {', '.join(AREAS)}")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 2), help="as-of day")
    ap.add_argument("--mass-date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 8),
                    help="day of the mass-testing view (a round's first day)")
    ap.add_argument("--runs", type=int, default=5, help="runs of each page query (median reported)")
    ap.add_argument("--naive-runs", type=int, help="runs of each naive side (default 3 up to demo, 1 above)")
    args = ap.parse_args(argv)
    areas = _areas(args.only)
    try:
        wh = get_warehouse()
        info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
        rows_total = int(wh.scalar("SELECT sum(total_rows) FROM system.tables WHERE database = 'epi'") or 0)
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scale = info.get("scale", "?")
    label = args.scale_label or scale
    judged = scale if scale in SCALES else "full"
    naive_runs = args.naive_runs or (3 if SCALES.index(judged) <= SCALES.index("demo") else 1)
    counter = RowCounter(wh)
    print(f"scale={label}  rows in epi={rows_total:,}  as of {args.date}  page runs={args.runs}  naive runs={naive_runs}",
          flush=True)
    load_before = [round(x, 1) for x in os.getloadavg()]
    rows, started = [], time.perf_counter()
    for area in areas:
        for case in build(wh, area, args.date, args.mass_date):
            try:
                row = measure(counter, case, args.runs, naive_runs)
            except WarehouseError as exc:
                rows.append({"area": case.area, "query": case.query, "target_ms": case.target_ms, "met": False,
                             "agree": None, "error": str(exc)})
                print(f"  {case.area:<12}{case.query[:48]:<50} failed: {exc}", flush=True)
                continue
            rows.append(row)
            naive = f"{row['naive_ms']:,.1f}" if row["naive_ms"] is not None else "—"
            print(f"  {row['area']:<12}{row['query'][:48]:<50}{row['fast_ms']:>10,.1f} ms  naive {naive} ms", flush=True)
    seconds = time.perf_counter() - started
    print()
    print(table(rows))
    for r in rows:
        if "error" in r:
            print(f"failed: {r['area']} / {r['query']}: {r['error']}")
    missed = [r for r in rows if r["met"] is False]
    disagree = [r for r in rows if r["agree"] is False]
    load_after = [round(x, 1) for x in os.getloadavg()]
    print(f"\n{len(rows)} queries in {seconds:.0f} s; targets missed: {len(missed)}; figures disagreeing: {len(disagree)}; "
          f"load average (1, 5, 15 min) {load_before} before, {load_after} after, on {os.cpu_count()} cores")
    out = args.out or HERE / "results" / f"bench-{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {"scale": label, "warehouse_scale": scale, "rows_in_epi": rows_total, "as_of": str(args.date),
              "mass_date": str(args.mass_date), "runs": args.runs, "naive_runs": naive_runs,
              "seconds": round(seconds, 1), "cores": os.cpu_count(), "load_average_before": load_before,
              "load_average_after": load_after, "rows": rows}
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"written {out}")
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
