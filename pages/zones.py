"""风险区划定推演: draw a candidate zone, see at once what each tier holds and needs, then
save, compare and publish plans; the zones in force with days since their last case."""

import datetime as dt

import pandas as pd
import streamlit as st

from portal import ui
from portal.data import page_context
from portal.glossary import LEVELS, ZONE_TIERS
from portal.tracing.tracing import stops
from portal.ui import pickers
from portal.zones import geometry, zone_draw, zone_map, zone_plans, zone_tables, zoning

identity, settings, span, run = page_context()
zs = zoning.ZoneSettings(policy=settings)

st.title("风险区划定推演")
as_of = pickers.as_of(st, span, "zone-as-of", value=span["last_day"])
compounds = run("zones/compound_profile", as_of=as_of)
resources = run("zones/resources", as_of=as_of)
homes = run("zones/case_homes", as_of=as_of)
district_outlines = run("geo/unit_outlines", unit="", grain=6)
districts = zone_map.district_shapes(f"{span['data_version']}|{identity.scope}", district_outlines)
sites = resources[resources["kind"] == "site"].reset_index(drop=True)
plan: zoning.Plan = st.session_state.setdefault("zone-plan", zoning.Plan())

draw_tab, plans_tab, active_tab = st.tabs(["划定推演", "方案管理", "现行风险区"])

with draw_tab:
    left, right = st.columns([2, 3])
    with left:
        st.markdown("##### ① 按病例生成建议方案")
        c1, c2 = st.columns([1, 2])
        days = c1.number_input("近几天确诊", min_value=1, max_value=28, value=zs.lift_days, key="zone-days")
        recent = homes[pd.to_datetime(homes["confirmed_at"]).dt.date > as_of - dt.timedelta(days=int(days))]
        first = compounds.drop_duplicates("district_code")
        names = dict(zip(first["district_code"], first["district_name"]))
        present = sorted(set(recent["district_code"]))
        chosen = c2.multiselect(LEVELS[6], present, default=present, format_func=names.get,
                            key=f"zone-districts-{as_of}-{days}",
                            placeholder=f"选择{LEVELS[6]}" if present else f"近 {int(days)} 天没有病例")
        picked_cases = recent[recent["district_code"].isin(chosen)]
        if recent.empty:
            st.info(f"近 {int(days)} 天没有确诊病例：调大天数，或选更早的统计日期。")
        st.caption(f"{len(picked_cases)} 例病例（{as_of - dt.timedelta(days=int(days) - 1):%m-%d} 至 {as_of:%m-%d} 确诊）：封控其居住小区与常去场所，"
                   f"管控其停留过的场所周边 {zs.medium_radius_m:.0f} 米，防范其所在区（市）县其余区域。")
        if st.button("生成建议方案", disabled=picked_cases.empty, type="primary", key="zone-propose"):
            points = run("trajectories/case_points", case_ids=picked_cases["case_id"].tolist(),
                         window_days=settings.window_days)
            plan = zoning.propose(picked_cases, stops(points, settings.stop_minutes, settings.max_dwell_minutes),
                                  districts, zs)
            st.session_state["zone-plan"] = plan

        st.markdown("##### ② 画图形")
        shape, centre = zone_draw.draw(run, homes, zs.limits)
        if shape is not None:
            st.caption(f"图形面积 {geometry.area_km2(shape):,.3f} km²（蓝色虚线）")

        st.markdown("##### ③ 编辑各级风险区")

        @st.fragment
        def tier_editor():
            """Choosing a tier reruns only these buttons; an edit reruns the page, which draws the new plan."""
            tier = st.radio("风险区等级", list(zoning.TIERS), format_func=ZONE_TIERS.get, horizontal=True,
                            key="zone-tier")
            b = st.columns(4)
            action = next((a for a, col, label in zip(("set", "add", "cut", "clear"), b, ("设为", "并入", "扣除", "清空"))
                           if col.button(label, key=f"zone-{a}", width="stretch",
                                         disabled=(shape is None and a != "clear"))), None)
            st.caption("设为：以图形替换该级；并入：把图形加入该级；扣除：从该级去掉图形；清空：删除该级。")
            if action:
                st.session_state["zone-plan"] = zoning.edit(st.session_state["zone-plan"], tier, action, shape)
                st.rerun()

        tier_editor()

    stats, inside = zoning.tier_statistics(compounds, plan)
    with right:
        framed = [g for g in (plan.high, plan.medium, shape) if g is not None and not g.is_empty] or \
            [g for g in (plan.low,) if g is not None and not g.is_empty]
        focus = geometry.shapely.union_all(framed) if framed else None
        latest = homes.iloc[-1] if len(homes) else None
        view = zone_map.view_of(focus, centre or ((float(latest["lon"]), float(latest["lat"])) if latest is not None
                                                  else zone_map.CITY_CENTRE))
        grid, picking = None, st.session_state.get("zone-shape-kind")
        if picking in ("cells", "compounds"):
            # the view (and the grid) stay put while cells or compounds are picked on the map
            anchor = st.session_state.setdefault("zone-pick-anchor", view[:2])
            view = (anchor[0], anchor[1], 14.0)
            grid = zone_map.grid(*anchor) if picking == "cells" else None
        else:
            st.session_state.pop("zone-pick-anchor", None)
        shown = zone_map.nearby_compounds(compounds, inside, view)
        hotels = zoning.nearby(resources, plan, "hotel", zs.hotel_list) if not plan.is_empty() else \
            resources[resources["kind"] == "hotel"].assign(free=0).head(0)
        deck = zone_map.deck(plan, shape, districts, shown, homes, zone_map.in_view(sites, view), hotels, grid, view)
        st.pydeck_chart(ui.fast(deck), height=560, on_select="rerun", selection_mode="multi-object", key=zone_draw.MAP_KEY)
        st.caption("深红点：病例居住地；绿点：采样点；紫点：有空房的隔离酒店；小区点按所在风险区着色。无需在线底图。")

    if plan.is_empty():
        st.info("尚未划定风险区：生成建议方案，或画一个图形后“设为”某一级。")
    else:
        zone_tables.statistics(stats)
        zone_tables.needs(zoning.sampling_needs(stats, inside, sites, plan, zs), zs)
        h, d = st.columns(2)
        with h:
            zone_tables.hotels(hotels)
        with d:
            zone_tables.depots(zoning.nearby(resources, plan, "depot", 5))
        zone_tables.compound_list(inside, plan, as_of)
        with st.form("zone-save"):
            name = st.text_input("方案名称", placeholder="例如：锦江区 3月2日 封控方案", key="zone-plan-name")
            if st.form_submit_button("保存方案", type="primary"):
                try:
                    plan_id = zone_plans.save(plan, name, identity.name, identity.scope, as_of)
                    st.success(f"已保存为方案 {plan_id}，可在“方案管理”中比较和发布。")
                    # the plans tab (drawn next) opens on the new plan and compares it first
                    st.session_state["zone-chosen-plan"] = plan_id
                    st.session_state["zone-compare"] = [plan_id, *st.session_state.get("zone-compare", [])][:3]
                except zone_plans.PlanError as exc:
                    st.error(str(exc))

with plans_tab:
    zone_tables.plans(zone_plans.saved(identity.scope), compounds, identity.scope, as_of)

with active_tab:
    zones = zoning.lift_schedule(zone_plans.in_force(run, as_of), homes, as_of, zs.lift_days)
    zone_tables.active(zones, districts, as_of, zs)
