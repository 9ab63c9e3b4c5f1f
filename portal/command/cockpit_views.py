"""The cockpit's parts built once per (unit, day, indicator, data version) and shared by every
session (portal.data.shared): its figures, the trend (sparklines and charts), and the map and
table of the units one level down. Here, not in the page, so the warm-up (portal.command.warm)
builds the very entries the page reads."""

from __future__ import annotations

import plotly.express as px

from portal import ui
from portal.command import cockpit
from portal.data import shared
from portal.glossary import INDICATORS, TREND_METRICS
from portal.ui import charts as chart_ui
from portal.ui import drill
from portal.zones import zone_map

PHONE_MAP_PX = 340  # the map's width on a 390 px phone, less the page's margins
FIRST_INDICATOR = "under_control"  # the map's colouring when the cockpit opens


@shared
def trend_view(run, settings, unit, as_of):
    """The trend by day: the KPI cards' 14-day sparklines and the four trend charts."""
    trend = run("cockpit/daily_trend", unit=unit, date_from=settings.trend_start, as_of=as_of)
    wide = cockpit.daily_wide(trend, settings.trend_start, as_of)
    spark = {m: wide[m].tail(14).tolist() for m in TREND_METRICS}
    daily = wide.rename(columns=TREND_METRICS).rename_axis("日期").reset_index()
    cases = daily.melt(id_vars="日期", value_vars=["新增确诊", "新增无症状"], var_name="指标", value_name="例")
    charts = [px.bar(cases, x="日期", y="例", color="指标", title="每日新增感染者（例）",
                     color_discrete_map={"新增确诊": "#c0392b", "新增无症状": "#e6a23c"})]
    for chart, metric, unit_text, title in (
        (px.area, "under_control", "人", "24时在管人员（人）"),
        (px.bar, "samples_taken", "人次", "每日采样（人次）"),
        (px.bar, "appeals_received", "件", "每日受理涉疫诉求（件）"),
    ):
        name = TREND_METRICS[metric]
        charts.append(chart(daily, x="日期", y=name, title=title, labels={name: unit_text}))
    return spark, [chart_ui.zh(chart) for chart in charts]


@shared
def units_view(run, settings, unit, as_of, choice, zone_ids, zones):
    """The units one level down coloured by `choice`: their table, the map (with the zones in
    force, `zones`, named by `zone_ids`) and the count of those zones by tier."""
    grain = cockpit.CHILD_GRAIN[len(unit)]
    kids = drill.children(run, unit, grain)
    label, unit_text, worse = INDICATORS[choice]
    table = cockpit.unit_table(kids, figures_of(run, settings, unit, as_of).today, choice)
    zero = cockpit.community_zero(run, settings, unit, as_of)
    table = table.merge(zero.reset_index(), on="unit_code", how="left")
    table["community_zero"] = table["community_zero"].map({True: "已清零", False: "未清零"}).fillna("已清零")
    outlines = run("geo/unit_outlines", unit=unit, grain=grain)
    table = cockpit.with_density(table, outlines)
    # fitted for a phone's width (leaders read the cockpit on their phones): the whole jurisdiction shows
    deck = ui.unit_map(outlines, table, choice, label, unit_text, worse, fit_width=PHONE_MAP_PX)
    in_force = zone_map.zones_in_force(zones, unit)
    counts = None
    if not in_force.empty:
        deck.layers.append(zone_map.zone_outline_layer(in_force))
        counts = in_force.drop_duplicates("label")["tier"].value_counts()
    return table, ui.frozen(deck), counts


figures_of = shared(cockpit.compute)
