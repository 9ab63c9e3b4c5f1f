"""Trajectory and companion queries timed at the scale in EPI_WAREHOUSE_URL.

`python -m bench.tracing [--cases 10] [--runs 3]`: trajectories of 20 cases; companions of 10
cases from the (cell, time)-ordered copy, beside the naive full-scan join in the same run,
with the ratio; both must find the same companions. Writes bench/results/tracing-<scale>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from bench.suite import naive_sql
from bench.timing import timed
from portal.settings import PortalSettings
from portal.tracing.tracing import find_companions
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent
S = PortalSettings()
PARAMS = dict(window_days=S.window_days, resolution=S.companion_resolution,
              min_overlap_minutes=S.companion_minutes, max_dwell_minutes=S.max_dwell_minutes)


def run(name, **p):
    return registry.run(name, "", **p)


def trajectories(case_ids: list[str]):
    return registry.run("trajectories/case_points", "", case_ids=case_ids, window_days=S.window_days)


def companions(case_ids: list[str], row_cap: int = S.companion_row_cap):
    """The companion search as the trajectory page runs it (longest `row_cap` pairs listed)."""
    return find_companions(run, case_ids, row_cap=row_cap, **PARAMS)


def naive_companions(wh, case_ids: list[str]):
    sql = naive_sql("companions")
    return wh.query_df(sql, {**PARAMS, "case_ids": case_ids, "scope": ""}, timeout_s=3600)


def same_companions(case_ids: list[str], naive) -> bool:
    """The naive side finds the page's pairs: the page's search run once more with no cap (the
    page lists the longest pairs only), compared pair by pair."""
    return pair_set(companions(case_ids, row_cap=10_000_000)) == pair_set(naive)


def naive_trajectories(wh, case_ids: list[str]):
    sql = naive_sql("case_points_scan")
    return wh.query_df(sql, {"case_ids": case_ids, "window_days": S.window_days, "scope": ""}, timeout_s=3600)


def pair_set(df) -> tuple[int, str]:
    """(pairs, a digest of the sorted case × person pairs): equal on both sides or not."""
    pairs = sorted(zip(df["case_id"], df["person_id"].astype(int)))
    return len(pairs), hashlib.sha1(repr(pairs).encode()).hexdigest()[:12]


def suite(wh, cases: int = 10) -> list:
    """One case's trajectory, 20 cases' trajectories and 10 cases' companions, for `python -m bench`."""
    from bench.suite import Case

    listed = registry.run("trajectories/case_list", "")["case_id"].tolist()
    one, twenty, some = listed[:1], listed[:20], listed[:cases]
    return [
        Case("trajectory", "one case's trajectory", fast=lambda: trajectories(one),
             naive=lambda: naive_trajectories(wh, one), figure=len, target_ms=100),
        Case("trajectory", "trajectories of 20 cases", fast=lambda: trajectories(twenty),
             naive=lambda: naive_trajectories(wh, twenty), figure=len),
        Case("trajectory", f"companions of {len(some)} cases (page: longest {S.companion_row_cap:,})",
             fast=lambda: companions(some), naive=lambda: naive_companions(wh, some), figure=pair_set,
             target_ms=2000, agree_with=lambda fast, naive: same_companions(some, naive),
             naive_note="the naive self-join reads every trajectory point with its H3 cell computed on the fly "
                        "(1.33 billion at full); its pairs are compared with the page's search run with no cap"),
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.tracing")
    ap.add_argument("--cases", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--naive-runs", type=int, default=1)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
    points = wh.scalar("SELECT count() FROM epi.trajectory_point")
    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()
    twenty, some = cases[:20], cases[: args.cases]
    traj_ms, traj = timed(lambda: trajectories(twenty), args.runs)
    fast_ms, fast = timed(lambda: companions(some, row_cap=10_000_000), args.runs)
    naive_ms, naive = timed(lambda: naive_companions(wh, some), args.naive_runs)
    agree = pair_set(fast) == pair_set(naive)
    result = {
        "scale": info.get("scale", "?"), "trajectory_points": points,
        "trajectories_20_cases_ms": round(traj_ms, 1), "trajectory_rows": len(traj),
        "companions_cases": len(some), "companions_ms": round(fast_ms, 1), "naive_ms": round(naive_ms, 1),
        "ratio": round(naive_ms / fast_ms, 1), "companion_pairs": len(fast), "agree": agree,
    }
    print(f"scale={result['scale']}  trajectory points={points:,}")
    print(f"trajectories of 20 cases   {traj_ms:9.1f} ms  ({len(traj):,} points)")
    print(f"companions of {len(some)} cases     {fast_ms:9.1f} ms  ({len(fast):,} pairs)")
    print(f"naive full-scan join       {naive_ms:9.1f} ms  ratio {naive_ms / fast_ms:.1f}x  same answer: {agree}")
    out = HERE / "results" / f"tracing-{result['scale']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
