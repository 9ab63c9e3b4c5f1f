"""Trajectory and companion queries timed at the scale in EPI_WAREHOUSE_URL.

`python -m bench.tracing [--cases 10] [--runs 3]`: trajectories of 20 cases; companions of 10
cases from the (cell, time)-ordered copy, beside the naive full-scan join in the same run,
with the ratio; both must find the same companions. Writes bench/results/tracing-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.timing import timed
from portal.settings import PortalSettings
from portal.tracing import find_companions
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent
S = PortalSettings()


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
    traj_ms, traj = timed(lambda: registry.run("trajectories/case_points", "", case_ids=twenty,
                                               window_days=S.window_days), args.runs)
    params = dict(window_days=S.window_days, resolution=S.companion_resolution,
                  min_overlap_minutes=S.companion_minutes, max_dwell_minutes=S.max_dwell_minutes)

    def run(name, **p):
        return registry.run(name, "", **{"row_cap": 10_000_000, **p})

    fast_ms, fast = timed(lambda: find_companions(run, some, **params), args.runs)
    naive_sql = (HERE / "sql" / "companions.sql").read_text(encoding="utf-8")
    naive_ms, naive = timed(lambda: wh.query_df(naive_sql, {**params, "case_ids": some, "scope": ""}, timeout_s=3600),
                            args.naive_runs)
    agree = set(zip(fast["case_id"], fast["person_id"])) == set(zip(naive["case_id"], naive["person_id"]))
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
