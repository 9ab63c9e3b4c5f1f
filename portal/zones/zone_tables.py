"""Tables and actions of the zone-planning page: what each tier holds and needs, the nearest
hotels and depots, the compound list with GeoJSON / XLSX export, saved plans (compare, load,
publish) and the zones in force with their suggested lift dates."""

from __future__ import annotations

import datetime as dt
import json
import math

import pandas as pd
import pydeck as pdk
import streamlit as st

from portal import exports, ui
from portal.glossary import DEPOT_KINDS, ZONE_COUNTS, ZONE_TIERS
from portal.zones import geometry, zone_map, zone_plans, zoning

COMPOUND_COLUMNS = ["tier", "compound_name", "compound_id", "district_name", "street_name", "community_name",
                    "community_code", "lon", "lat", *(k for k in ZONE_COUNTS if k not in ("area_km2", "compounds"))]


SPECIAL = ["aged_80_plus", "pregnant", "dialysis", "disabled", "infant"]


def summary(stats: pd.DataFrame) -> str:
    """One line per tier, the figures leadership read first."""
    lines = []
    for r in stats[stats["tier"] != "total"].itertuples():
        special = sum(int(getattr(r, c)) for c in SPECIAL)
        lines.append(f"**{ZONE_TIERS[r.tier]}** {r.area_km2:,.2f} km² · {r.compounds:,} 个小区 · "
                     f"{r.residents:,} 名居民 · 特殊人群 {special:,} 人 · 居住病例 {r.cases:,} 例")
    return "  \n".join(lines)


def statistics(stats: pd.DataFrame) -> None:
    st.markdown("##### 区域内有什么")
    st.markdown(summary(stats))
    shown = stats.assign(tier=stats["tier"].map(ZONE_TIERS), area_km2=stats["area_km2"].round(3))
    ui.table(shown, hide_index=True, width="stretch")
    st.caption("小区以大门位置为准：落在边界上的算在区内，跨越边界的小区只计入大门所在一侧；"
               "各级区域互不重叠（高风险区优先），面积按 WGS 84 椭球计算。")


def needs(table: pd.DataFrame, zs: zoning.ZoneSettings) -> None:
    st.markdown("##### 需要什么：首轮全员核酸")
    rows = []
    for r in table.itertuples():
        if math.isinf(r.round_hours):
            hours, verdict = "区内无开放采样点", f"需上门采样：{r.samplers_needed_24h:,} 名采样人员可在 24 小时内完成"
        else:
            hours = f"{r.round_hours:,.1f}"
            verdict = "可达标" if r.meets_target else f"超出 {r.round_hours - r.target_hours:,.1f} 小时，需增派采样力量"
        rows.append({
            "风险区等级": ZONE_TIERS[r.tier], "居民（人）": r.residents, "区内采样点": r.sites, "开放": r.open_sites,
            "每小时采样能力（人）": r.capacity_per_hour, "在岗采样人员": r.samplers, "完成一轮需时（小时）": hours,
            "目标（小时）": r.target_hours, "判断": verdict, "24小时完成需采样人员": r.samplers_needed_24h,
            "15分钟步行可达采样点的居民": "—" if r.walk_share is None else f"{r.walk_share:.1%}",
        })
    ui.table(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(f"需时 = 居民数 ÷ 区内开放采样点每小时采样能力；采样人员需求 = 居民数 ÷ {zs.people_per_sampler}；"
               f"15 分钟步行按直线 {zs.walk_m:,.0f} 米计，任何开放采样点都算。每个采样点只计入其所在的最高一级风险区。")


def hotels(table: pd.DataFrame) -> None:
    st.markdown("##### 就近集中隔离酒店（有空房）")
    if table.empty:
        st.info("没有有空房的集中隔离酒店。")
        return
    # one resources query serves hotels and depots: here its name is a hotel's, its capacity rooms
    shown = table.assign(hotel_name=table["resource_name"], rooms=table["capacity"],
                         distance_km=table["distance_km"].round(2))
    ui.table(shown[["hotel_name", "rooms", "in_use", "free", "distance_km"]], hide_index=True, width="stretch")


def depots(table: pd.DataFrame) -> None:
    st.markdown("##### 就近物资保障点")
    if table.empty:
        st.info("没有物资保障点。")
        return
    # here the resource is a depot, its capacity tonnes in reserve
    shown = table.assign(depot_name=table["resource_name"], depot_kind=table["state"].map(DEPOT_KINDS),
                         reserve_t=table["capacity"], distance_km=table["distance_km"].round(2))
    ui.table(shown[["depot_name", "depot_kind", "reserve_t", "distance_km"]], hide_index=True, width="stretch")


def compound_list(inside: pd.DataFrame, plan: zoning.Plan, as_of: dt.date, key: str = "draft") -> None:
    st.markdown(f"##### 区内小区名单（{len(inside):,} 个）")
    table = compound_table(inside)
    ui.table(table, hide_index=True, height=300, width="stretch")
    c1, c2 = st.columns(2)
    exports.download(c1, "下载小区名单 XLSX", lambda: xlsx(table), f"风险区小区名单-{as_of}.xlsx", "xlsx",
                     f"{key}-xlsx", what=f"风险区小区名单-{as_of}", rows=len(table))
    exports.download(c2, "下载方案 GeoJSON", lambda: geojson(plan, as_of), f"风险区方案-{as_of}.geojson", "geojson",
                     f"{key}-geojson", what=f"风险区方案-{as_of}", rows=len(inside))


def compound_table(inside: pd.DataFrame) -> pd.DataFrame:
    """The compounds inside a plan with glossary headers, as listed and exported."""
    return ui.headed(inside.assign(tier=inside["tier"].map(ZONE_TIERS))[COMPOUND_COLUMNS])


def xlsx(table: pd.DataFrame) -> bytes:
    return exports.xlsx_bytes(table, sheet="小区名单")


def geojson(plan: zoning.Plan, as_of: dt.date) -> bytes:
    return json.dumps(plan.to_feature_collection(as_of), ensure_ascii=False).encode("utf-8")


def plans(saved: pd.DataFrame, compounds: pd.DataFrame, scope: str, as_of: dt.date) -> None:
    if "zone-flash" in st.session_state:
        st.success(st.session_state.pop("zone-flash"))
    if saved.empty:
        st.info("还没有保存的方案：在“划定推演”中划定后保存。")
        return
    listing = saved.assign(status=saved["published"].map({True: "已发布", False: "草稿"}))[
        ["plan_id", "plan_name", "author", "as_of", "created_at", "status", "published_at"]]
    listing = listing.assign(
        as_of=pd.to_datetime(listing["as_of"]).dt.strftime("%Y-%m-%d"),
        created_at=pd.to_datetime(listing["created_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        published_at=[pd.Timestamp(t).strftime("%Y-%m-%d %H:%M") if p else "—"
                      for t, p in zip(saved["published_at"], saved["published"])])
    ui.table(listing, hide_index=True, width="stretch")
    labels = {int(r.plan_id): f"{r.plan_id} · {r.plan_name}" for r in saved.itertuples()}
    st.markdown(f"##### 比较方案（按 {as_of} 的人口与病例）")
    # widget state set by a save just now is kept; plans no longer listed are dropped from it
    state = [p for p in st.session_state.get("zone-compare", list(labels)[:2]) if p in labels]
    st.session_state["zone-compare"] = state
    if st.session_state.get("zone-chosen-plan") not in labels:
        st.session_state.pop("zone-chosen-plan", None)
    compare = st.multiselect("选择要比较的方案", list(labels), format_func=labels.get, key="zone-compare")
    if compare:
        rows = []
        for plan_id in compare:
            stats, _ = zoning.tier_statistics(compounds, zone_plans.load(saved[saved["plan_id"] == plan_id].iloc[0]))
            rows.append(stats.assign(plan=labels[plan_id]))
        table = pd.concat(rows, ignore_index=True)
        table = table.assign(tier=table["tier"].map(ZONE_TIERS), area_km2=table["area_km2"].round(3))
        ui.table(table[["plan", "tier", *ZONE_COUNTS]], hide_index=True, width="stretch")

    st.markdown("##### 打开或发布方案")
    chosen = st.selectbox("方案", list(labels), format_func=labels.get, key="zone-chosen-plan")
    row = saved[saved["plan_id"] == chosen].iloc[0]
    plan = zone_plans.load(row)
    c1, c2, c3 = st.columns(3)
    if c1.button("载入“划定推演”继续编辑", key="zone-load"):
        st.session_state["zone-plan"] = plan
        st.success("已载入，切换到“划定推演”查看。")
    _, inside = zoning.tier_statistics(compounds, plan)
    table = compound_table(inside)
    exports.download(c2, "下载 GeoJSON", lambda: geojson(plan, row["as_of"]), f"风险区方案-{chosen}.geojson",
                     "geojson", "zone-plan-geojson", what=f"风险区方案-{chosen}", rows=len(inside))
    exports.download(c3, "下载小区名单 XLSX", lambda: xlsx(table), f"风险区小区名单-{chosen}.xlsx", "xlsx",
                     "zone-plan-xlsx", what=f"风险区小区名单-{chosen}", rows=len(table))
    if bool(row["published"]):
        st.caption(f"该方案已于 {row['published_at']} 生效，见“现行风险区”。")
        return
    with st.form("zone-publish"):
        d1, d2 = st.columns(2)
        day = d1.date_input("生效日期", value=as_of, key="zone-publish-day")
        hour = d2.time_input("生效时间", value=dt.time(22, 0), key="zone-publish-time")
        if st.form_submit_button("发布为现行风险区", type="primary"):
            try:
                count = zone_plans.publish(row, scope, compounds, dt.datetime.combine(day, hour))
                st.session_state["zone-flash"] = f"已发布 {count} 个风险区，自 {day} {hour:%H:%M} 起生效。"
                st.rerun()
            except zone_plans.PlanError as exc:
                st.error(str(exc))


def active(zones: pd.DataFrame, districts: dict, as_of: dt.date, zs: zoning.ZoneSettings) -> None:
    if zones.empty:
        st.info(f"{as_of} 24时没有现行风险区。")
        return
    counts = zones["tier"].value_counts()
    cols = st.columns(3)
    for col, tier in zip(cols, zoning.TIERS):
        col.metric(ZONE_TIERS[tier], f"{int(counts.get(tier, 0)):,} 个")
    table = zones.assign(
        tier_label=zones["tier"].map(ZONE_TIERS),
        zone_source=zones["plan_id"].map(lambda p: f"方案 {p}" if p else "流调划定"),
        reasons=zones["reason_case_ids"].map(lambda ids: "、".join(ids[:5]) + ("…" if len(ids) > 5 else "")),
    )[["zone_name", "tier_label", "district_code", "start_at", "last_case", "days_since", "suggested_lift",
       "zone_source", "reasons"]]
    ui.table(table, hide_index=True, height=min(320, 35 * (len(table) + 1) + 3), width="stretch")
    st.caption(f"建议解除日期：最近一例确诊后连续 {zs.lift_days} 天无新增，且第 {zs.lift_days} 天全员核酸阴性，"
               "次日解除（高风险区降为中风险区，中风险区降为低风险区）；低风险区随所在区（市）县最后一个高、中风险区解除。"
               "天数可由 EPI_ZONE_LIFT_DAYS 设置（2022年11月版为 5 天）。")
    polygons = []
    for zone in zones.itertuples():
        try:
            shape = geometry.from_geojson(zone.geometry)
        except geometry.ShapeError:
            continue
        for rings in geometry.rings_with_holes(shape):
            polygons.append({"polygon": rings, "tier": zone.tier, "label": zone.zone_name,
                             "fill": zone_map.TIER_FILL[zone.tier], "line": zone_map.TIER_LINE[zone.tier]})
    shapes = pd.DataFrame(polygons).sort_values("tier", key=lambda s: s.map({"low": 0, "medium": 1, "high": 2}))
    union = geometry.shapely.union_all([geometry.shapely.Polygon(p["polygon"][0]) for p in polygons])
    lon, lat, zoom = zone_map.view_of(union, (104.06, 30.66))
    deck = pdk.Deck(layers=[
        zone_map.background(districts, "active-districts"),
        pdk.Layer("PolygonLayer", shapes, id="active-zones", get_polygon="polygon", get_fill_color="fill",
                  get_line_color="line", line_width_min_pixels=1, pickable=True),
    ], initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom), map_style=None,
        tooltip={"text": "{label}"})
    st.pydeck_chart(ui.fast(deck), height=460)
    st.caption("红色：高风险区（封控区）；橙色：中风险区（管控区）；黄色：低风险区（防范区）。")
