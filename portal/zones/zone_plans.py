"""Saved zone plans: save one (a single row, so never half-written), list them under the
caller's jurisdiction, and publish one as risk zones in force (a single insert of its tiers)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from portal.data import QueryRunner, forget_recent
from portal.errors import EpiError
from portal.glossary import ZONE_TIERS
from portal.ids import new_ids
from portal.zones import geometry, zoning
from queries import registry

MAX_NAME = 60


class PlanError(EpiError, ValueError):
    """A plan that cannot be saved or published; str() says why and what to do, in Chinese."""


def plan_name(text: str, existing: list[str]) -> str:
    name = " ".join((text or "").split())
    if not name:
        raise PlanError("请填写方案名称，例如“锦江区 3月2日 封控方案”。")
    if len(name) > MAX_NAME:
        raise PlanError(f"方案名称过长（{len(name)} 字）：请不超过 {MAX_NAME} 字。")
    if name in existing:
        raise PlanError(f"已有名为“{name}”的方案：请换一个名称，或在列表中打开原方案。")
    return name


def save(plan: zoning.Plan, name: str, author: str, scope: str, as_of: dt.date) -> int:
    """Check every tier, then write the plan in one row; returns its number."""
    if plan.is_empty():
        raise PlanError("方案中没有任何区域：请先生成建议或把图形加入某一级风险区。")
    for tier in zoning.TIERS:
        shape = plan.get(tier)
        if shape is not None and not shape.is_empty:
            try:
                geometry.check(shape)
            except geometry.ShapeError as exc:
                raise PlanError(f"{ZONE_TIERS[tier]}：{exc}") from None
    existing = list(saved(scope)["plan_name"])
    name = plan_name(name, existing)
    doc = json.dumps(plan.to_feature_collection(as_of), ensure_ascii=False, separators=(",", ":"))
    plan_id = new_ids("zone_plan", scope)
    registry.execute("zones/save_plan", scope, plan_id=plan_id, plan_name=name, author=author, as_of=as_of,
                     geometry=doc)
    return plan_id


def saved(scope: str) -> pd.DataFrame:
    """Plans of the jurisdiction, newest first (read fresh: plans change while the page is open)."""
    plans = registry.run("zones/plans", scope)
    return plans.assign(published=plans["published"].astype(bool))


def in_force(run: QueryRunner, as_of: dt.date) -> pd.DataFrame:
    """Zones in force at 24:00 of the day under the runner's jurisdiction: shared by the sessions
    for a few seconds, and read afresh after a plan is published here (so it shows at once)."""
    return run.recent("zones/active_zones", as_of=as_of)


def load(row) -> zoning.Plan:
    return zoning.Plan.from_feature_collection(json.loads(row["geometry"]))


def publish(row, scope: str, compounds: pd.DataFrame, start_at: dt.datetime) -> int:
    """Put a saved plan's tiers in force from `start_at` (Beijing time); returns zones written."""
    if not str(row["plan_scope"]).startswith(scope):
        raise PlanError(f"方案“{row['plan_name']}”属于其他辖区（{row['plan_scope']}），您不能发布。")
    if bool(row["published"]):
        raise PlanError(f"方案“{row['plan_name']}”已于 {row['published_at']} 发布，不能重复发布。")
    plan = load(row)
    tiers, names, districts, shapes = [], [], [], []
    tiered = compounds.assign(tier=zoning.assign_tiers(compounds, plan))
    for tier, shape in plan.disjoint().items():
        if shape is None or shape.is_empty:
            continue
        held = tiered[tiered["tier"] == tier]
        district = (held.groupby("district_code")["residents"].sum().idxmax() if len(held)
                    else _district_of(plan.get(tier), compounds))
        tiers.append(tier)
        names.append(f"{row['plan_name']}（{ZONE_TIERS[tier]}）")
        districts.append(district)
        shapes.append(json.dumps(geometry.to_geojson(plan.get(tier)), separators=(",", ":")))
    first = new_ids("risk_zone", scope, count=len(tiers)) if tiers else 1
    registry.execute("zones/publish_plan", scope, plan_id=int(row["plan_id"]), first_zone_id=first, tiers=tiers,
                     zone_names=names, district_codes=districts, geometries=shapes,
                     start_at=start_at.strftime("%Y-%m-%d %H:%M:%S"))
    forget_recent()
    return len(tiers)


def _district_of(shape, compounds: pd.DataFrame) -> str:
    """The district of the compound nearest the shape's centre (a zone holding no compound)."""
    centre = shape.centroid
    dist = geometry.distance_m(compounds["lon"], compounds["lat"], centre.x, centre.y)
    return str(compounds["district_code"].iloc[int(dist.argmin())])
