"""Risk-zone delineation (风险区划定推演): three tiers drawn over the city, what each holds
(area, compounds, households, residents, owners, special populations, cases, people under
control) and what it needs (sampling capacity for a full round, a 15-minute walk to an open
site, quarantine hotels with free rooms, supply depots).

Rules, so every figure is reproducible:
- A compound is one point, its gate. It belongs to the highest tier whose shape covers that
  point; a point exactly on an edge counts as inside. A compound that straddles an edge is
  therefore counted once, on the side of its gate.
- Tiers do not overlap: medium is what medium covers outside high, low what low covers outside
  both. Areas are of these disjoint shapes, so the tiers' areas add up to the plan's.
- A sampling site serves the highest tier it lies in, so each site is counted once; a tier
  without an open site of its own needs door-to-door sampling. Hotels and depots are listed
  once, nearest first.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from portal.zones import geometry
from warehouse.rules.policy import POLICY, Policy

TIERS = ("high", "medium", "low")
COUNTS = ["households", "residents", "owners", "aged_80_plus", "pregnant", "dialysis", "disabled", "infant",
          "cases", "under_control"]
@dataclass(frozen=True)
class ZoneSettings:
    """Choices of the delineation; the rules it shares with other pages come from the policy
    (warehouse/rules/policy.py): the 15-minute circle, samplers per population, lift days, round targets."""

    high_radius_m: float = 30.0  # a sealed compound or frequent place: a circle this wide at its gate
    medium_radius_m: float = 500.0  # around every place a case stayed, and around its home
    frequent_visits: int = 2  # a place visited on this many case-days is a frequent place (high)
    hotel_list: int = 10  # nearest hotels with free rooms listed
    limits: geometry.Limits = field(default_factory=geometry.Limits)
    policy: Policy = POLICY

    @property
    def walk_m(self) -> float:
        """The 15-minute walking circle as a straight-line radius (Policy.walk_circle_m)."""
        return float(self.policy.walk_circle_m)

    @property
    def people_per_sampler(self) -> int:
        """Samplers needed = residents ÷ this for a round in 24 h."""
        return self.policy.people_per_sampler

    @property
    def lift_days(self) -> int:
        """Days without a new infection before a zone is lifted."""
        return self.policy.zone_lift_days


@dataclass
class Plan:
    """One shape (or nothing) per tier."""

    high: object = None
    medium: object = None
    low: object = None

    def get(self, tier: str):
        return getattr(self, tier)

    def is_empty(self) -> bool:
        return all(_empty(self.get(t)) for t in TIERS)

    def disjoint(self) -> dict[str, object]:
        """Each tier's shape minus the higher tiers', so no ground is counted twice."""
        out, above = {}, None
        for tier in TIERS:
            geom = self.get(tier)
            if _empty(geom):
                out[tier] = None
                continue
            out[tier] = geom if above is None else geom.difference(above)
            above = geom if above is None else shapely.union(above, geom)
        return out

    def union(self):
        shapes = [self.get(t) for t in TIERS if not _empty(self.get(t))]
        return shapely.union_all(shapes) if shapes else None

    def to_feature_collection(self, as_of: dt.date) -> dict:
        features = [
            {"type": "Feature", "properties": {"tier": tier}, "geometry": geometry.to_geojson(self.get(tier))}
            for tier in TIERS if not _empty(self.get(tier))
        ]
        return {"type": "FeatureCollection", "properties": {"as_of": as_of.isoformat()}, "features": features}

    @classmethod
    def from_feature_collection(cls, doc: dict) -> Plan:
        plan = cls()
        for feature in doc.get("features", []):
            tier = (feature.get("properties") or {}).get("tier")
            if tier in TIERS:
                setattr(plan, tier, shapely.geometry.shape(feature["geometry"]))
        return plan


def edit(plan: Plan, tier: str, action: str, shape) -> Plan:
    """A new plan with one tier changed: set to the shape, add it, cut it out, or clear the tier."""
    current = plan.get(tier)
    if action == "set":
        new = shape
    elif action == "add":
        new = shape if _empty(current) else shapely.union(current, shape)
    elif action == "cut":
        new = None if _empty(current) else current.difference(shape)
    elif action == "clear":
        new = None
    else:
        raise ValueError(f"unknown edit {action!r}")
    if new is not None and (new.is_empty or geometry.area_km2(new) < 1e-6):  # slivers under 1 m²
        new = None
    if new is not None and new.geom_type not in ("Polygon", "MultiPolygon"):
        new = shapely.union_all([g for g in getattr(new, "geoms", [new]) if g.geom_type in ("Polygon", "MultiPolygon")])
    values = {t: plan.get(t) for t in TIERS}
    values[tier] = new
    return Plan(**values)


def assign_tiers(compounds: pd.DataFrame, plan: Plan) -> pd.Series:
    """The tier each compound's gate lies in ('' outside the plan), highest tier first."""
    tier = np.full(len(compounds), "", dtype=object)
    for name in reversed(TIERS):
        inside = geometry.covers(plan.get(name), compounds["lon"].to_numpy(), compounds["lat"].to_numpy())
        tier[inside] = name
    return pd.Series(tier, index=compounds.index, name="tier")


def tier_statistics(compounds: pd.DataFrame, plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per tier: area (km²), compounds and every count; and the compounds inside with their tier."""
    tiers = assign_tiers(compounds, plan)
    inside = compounds.assign(tier=tiers)[tiers != ""]
    parts = plan.disjoint()
    rows = []
    for tier in TIERS:
        if parts[tier] is None:
            continue
        held = inside[inside["tier"] == tier]
        rows.append({"tier": tier, "area_km2": geometry.area_km2(parts[tier]), "compounds": len(held),
                     **{c: int(held[c].sum()) for c in COUNTS}})
    stats = pd.DataFrame(rows, columns=["tier", "area_km2", "compounds", *COUNTS])
    if len(stats) > 1:
        total = {"tier": "total", "area_km2": stats["area_km2"].sum(), "compounds": int(stats["compounds"].sum()),
                 **{c: int(stats[c].sum()) for c in COUNTS}}
        stats = pd.concat([stats, pd.DataFrame([total])], ignore_index=True)
    order = {t: i for i, t in enumerate(TIERS)}
    inside = inside.sort_values(["tier", "district_code", "community_code", "compound_id"],
                                key=lambda s: s.map(order) if s.name == "tier" else s)
    return stats, inside.reset_index(drop=True)


def within_walk(compounds: pd.DataFrame, open_sites: pd.DataFrame, walk_m: float) -> np.ndarray:
    """Whether each compound's gate is within `walk_m` (straight line) of an open site."""
    if compounds.empty or open_sites.empty:
        return np.zeros(len(compounds), dtype=bool)
    cx, cy = geometry.to_plane(compounds["lon"], compounds["lat"])
    sx, sy = geometry.to_plane(open_sites["lon"], open_sites["lat"])
    tree = shapely.STRtree(shapely.points(sx, sy))
    compound_idx, _ = tree.query_nearest(shapely.points(cx, cy), max_distance=walk_m, all_matches=False)
    near = np.zeros(len(compounds), dtype=bool)
    near[compound_idx] = True
    return near


def sampling_needs(stats: pd.DataFrame, inside: pd.DataFrame, sites: pd.DataFrame, plan: Plan,
                   settings: ZoneSettings) -> pd.DataFrame:
    """Per tier: sites inside it, open sites, their hourly capacity and samplers, hours for a
    full round of its residents at those sites against the 24 h / 48 h targets, samplers needed
    for a 24 h round, and the share of residents within a 15-minute walk of any open site."""
    serves = assign_tiers(sites, plan)
    open_sites = sites[sites["state"] != "closed"]
    near = within_walk(inside, open_sites, settings.walk_m)
    rows = []
    for tier in [t for t in TIERS if t in set(stats["tier"])]:
        residents = int(stats.loc[stats["tier"] == tier, "residents"].iloc[0])
        mine = sites[serves == tier]
        open_mine = mine[mine["state"] != "closed"]
        capacity = int(open_mine["capacity"].sum())
        held = (inside["tier"] == tier).to_numpy()
        walkers = int(inside.loc[held & near, "residents"].sum())
        rows.append({
            "tier": tier, "residents": residents, "sites": len(mine), "open_sites": len(open_mine),
            "capacity_per_hour": capacity, "samplers": int(open_mine["samplers"].sum()),
            "round_hours": (residents / capacity) if capacity else (0.0 if residents == 0 else math.inf),
            "target_hours": settings.policy.round_target_hours(tier),
            "samplers_needed_24h": math.ceil(residents / settings.people_per_sampler),
            "walk_share": (walkers / residents) if residents else None,
        })
    out = pd.DataFrame(rows)
    if not out.empty:
        out["meets_target"] = out["round_hours"] <= out["target_hours"]
    return out


def nearby(resources: pd.DataFrame, plan: Plan, kind: str, limit: int) -> pd.DataFrame:
    """Hotels (with free rooms) or depots nearest the plan, with distance in km from the edge of
    its highest drawn tier (0 when inside)."""
    rows = resources[resources["kind"] == kind].copy()
    if kind == "hotel":
        rows["free"] = (rows["capacity"].astype("int64") - rows["in_use"].astype("int64")).clip(lower=0)
        rows = rows[rows["free"] > 0]
    focus = next((plan.get(t) for t in TIERS if not _empty(plan.get(t))), None)
    if focus is None or rows.empty:
        return rows.assign(distance_km=pd.Series(dtype=float)).head(0)
    rows["distance_km"] = _distance_to(focus, rows["lon"].to_numpy(), rows["lat"].to_numpy()) / 1000
    return rows.sort_values(["distance_km", "resource_id"]).head(limit).reset_index(drop=True)


def propose(case_homes: pd.DataFrame, case_stops: pd.DataFrame, district_shapes: dict[str, object],
            settings: ZoneSettings) -> Plan:
    """A first draft from the chosen cases: high around their homes and frequent places, medium
    around every place they stayed and around high, low the rest of the districts holding them."""
    if case_homes.empty:
        return Plan()
    homes = list(dict.fromkeys(zip(case_homes["lon"], case_homes["lat"])))
    frequent, stayed = frequent_places(case_stops, settings.frequent_visits)
    high = geometry.circles(homes + frequent, settings.high_radius_m)
    medium = shapely.union(geometry.circles(homes + stayed, settings.medium_radius_m), high)
    districts = sorted(set(case_homes["district_code"]))
    shapes = [district_shapes[d] for d in districts if d in district_shapes]
    low = shapely.union(shapely.union_all(shapes), medium) if shapes else None
    return Plan(high=high, medium=medium, low=low)


def frequent_places(case_stops: pd.DataFrame, frequent_visits: int) -> tuple[list, list]:
    """(frequent places, all other places stayed at) as (lon, lat) pairs: a place is frequent
    when the chosen cases stayed there on `frequent_visits` or more case-days."""
    if case_stops.empty:
        return [], []
    coded = case_stops[case_stops["place_id"] > 0].assign(day=lambda d: pd.to_datetime(d["ts"]).dt.date)
    visits = (coded.drop_duplicates(["place_id", "case_id", "day"])
              .groupby("place_id").agg(lon=("lon", "first"), lat=("lat", "first"), case_days=("day", "size")))
    frequent = visits[visits["case_days"] >= frequent_visits]
    other = visits[visits["case_days"] < frequent_visits]
    return list(zip(frequent["lon"], frequent["lat"])), list(zip(other["lon"], other["lat"]))


def district_shapes(outlines: pd.DataFrame) -> dict[str, object]:
    """Each district as its outline (geo/unit_outlines: GeoJSON in `outline`)."""
    return {str(code): shapely.from_geojson(text) for code, text in zip(outlines["unit_code"], outlines["outline"])
            if text}


def lift_schedule(zones: pd.DataFrame, case_homes: pd.DataFrame, as_of: dt.date, lift_days: int) -> pd.DataFrame:
    """For each zone in force: its last case (a case living inside it or named as its cause,
    confirmed by the as-of day), days since, and the suggested lift date — the day after the
    `lift_days`-th day without a new infection, when that day's round comes back negative. A low
    zone is lifted with the last high or medium zone of its district."""
    if zones.empty:
        return zones.assign(last_case=pd.Series(dtype=object), days_since=pd.Series(dtype="Int64"),
                            suggested_lift=pd.Series(dtype=object))
    confirmed = pd.to_datetime(case_homes["confirmed_at"]).dt.date.to_numpy() if len(case_homes) else np.array([])
    by_case = dict(zip(case_homes["case_id"], confirmed))
    last = []
    for zone in zones.itertuples():
        days = [by_case[c] for c in zone.reason_case_ids if c in by_case]
        try:
            shape = geometry.from_geojson(zone.geometry)
            inside = geometry.covers(shape, case_homes["lon"].to_numpy(), case_homes["lat"].to_numpy())
            days += list(confirmed[inside])
        except geometry.ShapeError:
            pass
        last.append(max(days) if days else None)
    out = zones.assign(last_case=last)
    out["suggested_lift"] = [d + dt.timedelta(days=lift_days + 1) if d else None for d in out["last_case"]]
    for district, group in out.groupby("district_code"):
        upper = out[(out["district_code"] == district) & (out["tier"] != "low")]["suggested_lift"].dropna()
        low = group.index[group["tier"] == "low"]
        if len(low) and len(upper):
            out.loc[low, "suggested_lift"] = max(upper)
    out["days_since"] = [(as_of - d).days if d else None for d in out["last_case"]]
    out["days_since"] = out["days_since"].astype("Int64")
    return out


def _distance_to(geom, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Metres from each point to the shape (0 inside or on its edge), on the local plane."""
    def plane(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(geometry.to_plane(coords[:, 0], coords[:, 1]))

    px, py = geometry.to_plane(lon, lat)
    return shapely.distance(shapely.transform(geom, plane), shapely.points(px, py))


def _empty(geom) -> bool:
    return geom is None or geom.is_empty
