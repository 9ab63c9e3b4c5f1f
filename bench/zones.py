"""Zone statistics timed at the scale in EPI_WAREHOUSE_URL.

`python -m bench.zones [--as-of 2022-03-02] [--runs 5]`: a 1 km circle around the first case's
home and the proposal from the week's cases, each counted the portal's way (one row per compound,
cached per data version, gates tested in memory) beside the naive way (every resident's gate
tested in the warehouse) in the same run, with the ratio and whether both count the same
residents. Writes bench/results/zones-<scale>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

from bench.suite import naive_sql, unshortcut
from bench.timing import timed
from portal.settings import PortalSettings
from portal.tracing import tracing
from portal.zones import geometry, zoning
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent
S = PortalSettings()
ZS = zoning.ZoneSettings()


def run(name, **p):
    return registry.run(name, "", **p)


def zones(as_of: dt.date) -> dict:
    """The two zones measured: a 1 km circle around the first case's home, the week's proposal."""
    homes = run("zones/case_homes", as_of=as_of)
    week = homes[homes["confirmed_at"].dt.date > as_of - dt.timedelta(days=ZS.lift_days)]
    points = run("trajectories/case_points", case_ids=week["case_id"].tolist(), window_days=S.window_days)
    districts = zoning.district_shapes(run("geo/unit_outlines", unit="", grain=6))
    return {
        "circle_1km": zoning.Plan(high=geometry.circle(float(homes.iloc[0]["lon"]), float(homes.iloc[0]["lat"]), 1000)),
        "proposal_week": zoning.propose(week, tracing.stops(points, S.stop_minutes, S.max_dwell_minutes), districts, ZS),
    }


def statistics(profile, resources, plan):
    """What the zone page computes for a plan from the (cached) compound profile and resources."""
    sites = resources[resources["kind"] == "site"].reset_index(drop=True)
    stats, inside = zoning.tier_statistics(profile, plan)
    zoning.sampling_needs(stats, inside, sites, plan, ZS)
    zoning.nearby(resources, plan, "hotel", ZS.hotel_list)
    zoning.nearby(resources, plan, "depot", 5)
    return stats


def residents(stats) -> int:
    return int(stats.iloc[-1]["residents"])


def naive_residents(wh, plan, as_of: dt.date) -> int:
    """Residents inside the zone, every gate tested in the warehouse: one statement per polygon of
    the zone (the polygons of a union do not overlap, so their residents add up)."""
    union = plan.union()
    sql = naive_sql("zone_stats")
    return sum(int(wh.query_df(sql, {"polygon": list(part.exterior.coords), "as_of": as_of}).iloc[0]["residents"])
               for part in getattr(union, "geoms", [union]))


def profile_figure(df) -> tuple[int, int, int, int]:
    return tuple(int(df[c].sum()) for c in ("residents", "households", "cases", "under_control"))


def suite(wh, as_of: dt.date) -> list:
    """The compound profile (first view of a day) against the registry scan it replaced, and two
    zones' statistics against a per-resident gate test, for `python -m bench`."""
    from bench.suite import Case

    profile_raw = naive_sql("compound_profile_raw")
    cases = [Case("zones", f"compound profile as of {as_of} (first view of a day)",
                  fast=lambda: run("zones/compound_profile", as_of=as_of),
                  naive=lambda: wh.query_df(profile_raw, {"scope": "", "as_of": as_of}, timeout_s=600),
                  figure=profile_figure, target_ms=500),
             Case("zones", "resources (sites, hotels, depots)", fast=lambda: run("zones/resources", as_of=as_of),
                  naive=lambda: unshortcut("zones/resources", as_of=as_of),
                  figure=lambda df: (len(df), int(df["in_use"].sum())), target_ms=500,
                  naive_note="the page's statement with no key, index, projection or cache")]
    profile, resources = run("zones/compound_profile", as_of=as_of), run("zones/resources", as_of=as_of)
    for label, plan in zones(as_of).items():
        cases.append(Case("zones", f"statistics: {label}", fast=lambda p=plan: statistics(profile, resources, p),
                          naive=lambda p=plan: naive_residents(wh, p, as_of),
                          figure=residents, naive_figure=lambda n: n, target_ms=500))
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.zones")
    ap.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2022, 3, 2))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
    people = wh.scalar("SELECT count() FROM epi.person")

    profile_ms, profile = timed(lambda: run("zones/compound_profile", as_of=args.as_of), args.runs)
    resources_ms, resources = timed(lambda: run("zones/resources", as_of=args.as_of), args.runs)
    plans = zones(args.as_of)
    stats_sql = naive_sql("zone_stats")
    result = {"scale": info.get("scale", "?"), "people": people, "as_of": args.as_of.isoformat(),
              "profile_query_ms": round(profile_ms, 1), "resources_query_ms": round(resources_ms, 1), "zones": {}}
    print(f"scale={result['scale']}  people={people:,}  as of {args.as_of}")
    print(f"compound profile query {profile_ms:8.1f} ms ({len(profile):,} compounds, cached per data version)")
    print(f"resources query        {resources_ms:8.1f} ms")
    ok = True
    for label, plan in plans.items():
        fast_ms, stats = timed(lambda plan=plan: statistics(profile, resources, plan), args.runs)
        ring = list(plan.union().exterior.coords) if plan.union().geom_type == "Polygon" else None
        total = stats.iloc[-1]
        entry = {"statistics_ms": round(fast_ms, 1), "with_cold_queries_ms": round(fast_ms + profile_ms + resources_ms, 1),
                 "area_km2": round(float(total["area_km2"]), 4), "residents": int(total["residents"])}
        line = f"{label:14s} statistics {fast_ms:7.1f} ms (cold, with queries {entry['with_cold_queries_ms']:.1f} ms)"
        if ring is not None:
            naive_ms, naive = timed(lambda: wh.query_df(stats_sql, {"polygon": ring, "as_of": args.as_of}), args.runs)
            same = int(naive.iloc[0]["residents"]) == entry["residents"]
            ok &= same
            entry.update(naive_ms=round(naive_ms, 1), ratio=round(naive_ms / fast_ms, 1), same_residents=same)
            line += f"  naive {naive_ms:7.1f} ms  ratio {naive_ms / fast_ms:5.1f}x  same residents: {same}"
        if label == "circle_1km":
            entry["area_error_pct"] = round(100 * (entry["area_km2"] - math.pi) / math.pi, 3)
            line += f"  area {entry['area_km2']:.4f} km² ({entry['area_error_pct']:+.3f}%)"
        print(line)
        result["zones"][label] = entry
    out = HERE / "results" / f"zones-{result['scale']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
