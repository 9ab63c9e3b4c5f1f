"""指挥总览: the leadership cockpit — KPIs with change from the day before, a map of the units
coloured by a chosen indicator, trends, and drill-down city → district → street → community."""


from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from portal import ui
from portal.alerts import center as alert_center
from portal.alerts import view as alert_view
from portal.command import cockpit, sources
from portal.command.cockpit_views import FIRST_INDICATOR, figures_of, trend_view, units_view
from portal.data import page_context
from portal.glossary import INDICATORS, LEVELS, ZONE_TIERS, help_for, help_for_all
from portal.ui import charts as chart_ui
from portal.ui import drill, pickers
from portal.zones import zone_plans

identity, settings, span, run = page_context()



st.title("指挥总览")
if span["person_fraction"] and span["person_fraction"] < 1:
    st.caption(f"演示数据：合成的成都市（按 {span['person_fraction']:.1%} 的常住人口生成），"
               f"数据范围 {span['first_day']} 至 {span['last_day']}。")
if stale_feeds := sources.stale_line(run, settings):
    st.warning(stale_feeds)
if settings.appeal_limits_error:
    st.warning(f"{settings.appeal_limits_error} 超期诉求暂按默认时限计算。")

# -- open alerts by severity, linking to the alert centre -------------------------------------
alert_view.checked(span)
open_alerts = alert_center.open_counts(identity.scope)
alert_text = "预警中心 · 未处理预警：" + " · ".join(f"{s} {n:,} 条" for s, n in open_alerts.items())
with st.container(key="open-alerts"):
    try:
        st.page_link(str(Path(__file__).with_name("alerts.py")), label=alert_text, icon=":material/notifications_active:",
                     help=help_for("open_alerts"))
    except StreamlitAPIException:  # the page run on its own, outside the portal's navigation
        st.caption(alert_text, help=help_for("open_alerts"))

# -- as-of date and unit, from the widgets or a shared link --------------------------------
params = st.query_params
unit = drill.current_unit(st, run, "unit", identity.scope, params.get("unit"))

top = st.columns([2, 3])
as_of = pickers.as_of(top[0], span, "as_of")
with top[1]:
    crumbs = drill.breadcrumb(st, run, unit, identity.scope, "unit")
st.query_params.update({"unit": unit, "date": as_of.isoformat()})

figures = figures_of(run, settings, unit, as_of)
total, before = figures.total("today"), figures.total("prev")
here = crumbs[-1][1]
st.subheader(f"{ui.text(here)} · {as_of:%Y年%m月%d日}")


def card(col, key: str, pair: tuple | None = None, label: str | None = None, spark: list | None = None):
    name, unit_text, worse = INDICATORS[key]
    value, prev = pair if pair is not None else (total[key], before[key])
    ui.kpi(col, label or name, value, prev, unit_text, worse, help=help_for(key), spark=spark)


spark, charts = trend_view(run, settings, unit, as_of)


def row(title: str, keys: list, note: str | None = None, note_keys: tuple = ()):
    st.markdown(f"##### {title}")
    cols = st.columns(len(keys))
    for col, key in zip(cols, keys):
        if key == "transfer_24h_rate":
            card(col, key, (cockpit.transfer_rate(total), cockpit.transfer_rate(before)))
        elif key == "pending_b":
            card(col, key, label=f"超{settings.pending_hours_b}小时未出结果")
        else:
            card(col, key, spark=spark.get(key))
    if note:
        st.caption(note, help=help_for_all(note_keys))


ui.phone_friendly_kpis()
kpis = st.container(key="kpis")
with kpis:
    row("人员管控（24时在管）", ["under_control", "centralized", "home_quarantine", "home_monitoring"])
    row("病例与密接", ["confirmed", "asymptomatic", "close_named", "close_identified", "transfer_24h_rate"],
        f"累计感染者 {ui.fmt(total['cases_to_date'])} 例 · 新增管控次密接 {ui.fmt(total['secondary_identified'])} 人",
        ("cases_to_date", "secondary_identified"))
    row("新增感染者来源（确诊时）", ["community_cases", "in_control_cases"],
        "社会面：确诊时未处于集中隔离、居家隔离、居家健康监测，也不住在生效中的封控区、管控区；其余为管控内。",
        ("community_cases", "in_control_cases"))
    row("核酸检测", ["samples_taken", "sites_open", "sites_congested", "pending_b"],
        f"当日曾拥堵采样点 {ui.fmt(total['sites_congested_ever'])} 个 · "
        f"繁忙采样点 {ui.fmt(total['sites_busy'])} 个 · 超{settings.pending_hours_a}小时未出结果 "
        f"{ui.fmt(total['pending_a'])} 管 · 当日未上报状态的采样点 {ui.fmt(total['sites_unreported'])} 个",
        ("sites_busy", "pending_a", "sites_unreported"))
    row("涉疫诉求与风险排查", ["appeals_received", "appeals_closed", "appeals_overdue", "screening_dispatched"],
        f"当日核查完成 {ui.fmt(total['screening_verified'])} 人 · 待核查 {ui.fmt(total['screening_awaiting'])} 人",
        ("screening_verified", "screening_awaiting"))
ui.computed_note(run.computed())

# -- map and table of the units one level down ----------------------------------------------
grain = cockpit.CHILD_GRAIN[len(unit)]
kids = drill.children(run, unit, grain)


@st.fragment
def units_part():
    """The map and table of the units one level down: choosing the map's indicator reruns only this part."""
    choice = st.selectbox("地图着色指标", list(INDICATORS), format_func=lambda k: INDICATORS[k][0],
                          index=list(INDICATORS).index(FIRST_INDICATOR))
    label, unit_text, worse = INDICATORS[choice]
    in_force = zone_plans.in_force(run, as_of)
    table, deck, counts = units_view(run, settings, unit, as_of, choice, tuple(in_force["zone_id"]), zones=in_force)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{ui.text(here)}下辖{LEVELS[grain]} · {label}（{unit_text}）· {as_of:%m月%d日}**")
        st.pydeck_chart(deck, height=460)
        ui.legend(table[choice], label, unit_text, worse)
        if counts is not None:
            st.caption("现行风险区（地图上以红、橙、黄线勾出）：" + " · ".join(
                f"{ZONE_TIERS[t]} {int(counts.get(t, 0))} 个" for t in ("high", "medium", "low")) + "，详见“风险区划定”。")
        ui.computed_note(run.computed("geo/unit_outlines"))
    with right:
        # ranked by the chosen indicator, also when it is not one of the columns shown
        # districts also show their census population, area and density (cockpit.with_density);
        # those columns are empty, so left out, below the district level
        shown = table.sort_values(choice if choice in table else "under_control", ascending=False)[
            ["name", "unit_code", "under_control", "confirmed", "asymptomatic", "community_cases",
             "in_control_cases", "community_free_days", "community_zero", "close_identified", "sites_congested",
             "samples_taken", "appeals_received", "appeals_overdue", "population", "area_km2", "density"]]
        shown = shown.drop(columns=[c for c in ("population", "area_km2", "density") if shown[c].isna().all()])
        ui.table(shown, hide_index=True, height=380, width="stretch", helps=True)
        st.caption(f"社会面清零：连续 {settings.community_zero_days} 天无社会面病例（截至当日24时）；"
                   "“无社会面病例天数”为距最近一例社会面病例的天数（空白为一年内没有社会面病例）。")
        ui.download_buttons(shown, f"指挥总览_{here}_{as_of}", "units")
        names = dict(zip(kids["unit_code"], kids["name"]))
        target = st.selectbox(f"下钻到{LEVELS[grain]}", list(names), index=None, placeholder="请选择…",
                              format_func=names.get, key=f"drill-{unit}")
        if target:
            st.session_state["unit"] = target
            st.rerun()


if len(unit) < 12 and not kids.empty:
    st.markdown(f"#### 下辖{LEVELS[grain]}")
    units_part()

# -- trends ------------------------------------------------------------------------------
st.markdown(f"#### {ui.text(here)}趋势（{settings.trend_start:%m月%d日}至{as_of:%m月%d日}）")
c1, c2 = st.columns(2)
c3, c4 = st.columns(2)
for col, chart in zip((c1, c2, c3, c4), charts):
    chart_ui.show(col, chart)
ui.computed_note(run.computed("cockpit/daily_trend"))
