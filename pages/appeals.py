"""涉疫诉求: volumes by day, channel, type and topic; the handling closed loop with time per
step; overdue against working-day limits; rising topics; satisfaction; drill-down city →
district → street → community."""

import datetime as dt

import plotly.express as px
import streamlit as st

from portal import ui
from portal.command import appeals, cockpit
from portal.data import page_context, shared
from portal.glossary import APPEAL_CHANNELS, APPEAL_STAGES, APPEAL_TYPES, LEVELS, help_for, label
from portal.ui import charts, drill, pickers

identity, settings, span, run = page_context()


@shared
def appeal_view(run, settings, unit, grain, date_from, as_of, here):
    """The handling by unit and its totals, the funnel, volume, topic and rating charts and the
    rising topics: built once per unit, period and data version for every session."""
    rows = appeals.handling(run, settings, unit, grain, date_from, as_of)
    total = appeals.totals(rows)
    mean, share, stars = appeals.satisfaction(total)
    steps = appeals.funnel(total)
    volume = run("appeals/volume_by_day", unit=unit,
                 date_from=min(settings.trend_start, as_of - dt.timedelta(days=settings.appeal_rising_days)), as_of=as_of)
    daily = ui.headed(volume.groupby("day", as_index=False)["appeals"].sum())
    in_window = volume[volume["day"].astype(str) >= date_from.isoformat()]
    parts = []
    for column, labels in (("channel", APPEAL_CHANNELS), ("type", APPEAL_TYPES), ("topic", None)):
        part, title = ui.headed(appeals.volume_by(in_window, column, labels)), label(column)
        parts.append(charts.zh(px.bar(part, x="件数", y=title, orientation="h", title=f"按{title}（件）")))
    return {"rows": rows, "total": total, "mean": mean, "share": share, "steps": steps,
            "funnel": charts.zh(px.funnel(steps, x="件数", y="环节", title="各环节件数（件）")),
            "daily": charts.zh(px.bar(daily, x=label("day"), y=label("appeals"), title=f"{here}每日受理涉疫诉求（件）")),
            "parts": parts, "rising": appeals.rising_topics(volume, as_of, settings),
            "stars": charts.zh(px.bar(stars, x="评价", y="件数", title="评价分布（件）"))}


st.title("涉疫诉求")
if settings.appeal_limits_error:
    st.error(f"{settings.appeal_limits_error} 办理时限设置有误，超期统计无法计算；请改正后重启平台。")
    st.stop()

params = st.query_params
unit = drill.current_unit(st, run, "appeals_unit", identity.scope, params.get("unit"))

top = st.columns([1, 1, 3])
as_of = pickers.as_of(top[0], span, "appeals_as_of")
window = top[1].selectbox("统计区间", [1, 7, 14, 30], index=1, format_func=lambda d: f"近{d}日" if d > 1 else "当日")
with top[2]:
    crumbs = drill.breadcrumb(st, run, unit, identity.scope, "appeals_unit")
st.query_params.update({"unit": unit, "date": as_of.isoformat()})
date_from = as_of - dt.timedelta(days=window - 1)
here = crumbs[-1][1]
st.subheader(f"{ui.text(here)} · {date_from:%m月%d日}至{as_of:%m月%d日}受理的诉求")

grain = cockpit.CHILD_GRAIN[len(unit)]
view = appeal_view(run, settings, unit, grain, date_from, as_of, here)
rows, total, mean, share = view["rows"], view["total"], view["mean"], view["share"]
ui.phone_friendly_kpis()
with st.container(key="kpis"):
    # the words say what each counts: 受理 in the window (as the subheader), of them closed by
    # 24:00 — not the cockpit's 当日办结诉求, closed that day whenever received
    span_word = "当日" if window == 1 else f"近{window}日"
    c = st.columns(5)
    c[0].metric(f"{span_word}受理（件）", ui.fmt(total["received"]), border=True, help=help_for("received"))
    c[1].metric("其中已办结（件）", ui.fmt(total["closed"]), border=True, help=help_for("closed"))
    c[2].metric("超期未办结（件）", ui.fmt(total["overdue"]), border=True, help=help_for("overdue"))
    c[3].metric("紧急超时（件）", ui.fmt(total["emergencies_late"]), f"紧急诉求 {ui.fmt(total['emergencies'])} 件",
                delta_color="off", delta_arrow="off", border=True,
                help=help_for("emergencies_late").replace("默认2小时", f"{settings.appeal_emergency_hours}小时"))
    c[4].metric("满意率（%）", ui.fmt(share, "%"), f"{ui.fmt(total['rated'])} 条评价", delta_color="off",
                delta_arrow="off", border=True, help=help_for("satisfied_pct"))
ui.computed_note(run.computed("appeals/handling_by_unit"))

loop_tab, overdue_tab, volume_tab, rating_tab = st.tabs(["办理闭环", "超期预警", "诉求量与话题", "满意度"])
with loop_tab:
    st.markdown("##### 受理 → 派单 → 办理 → 答复 → 办结 → 评价（截至当日24时）")
    steps = view["steps"]
    left, right = st.columns([3, 2])
    charts.show(left, view["funnel"])
    with right:
        ui.table(steps, hide_index=True, width="stretch",
                 helps={"件数": "step_appeals", "占受理（%）": "step_share", "本环节平均用时（小时）": "step_hours"})
        st.caption("本环节平均用时：从上一环节到本环节的平均小时数，只计已到达本环节的诉求。")

with overdue_tab:
    limits = "、".join(f"{APPEAL_TYPES[k]}{v}个工作日" for k, v in settings.appeal_limit_days.items())
    st.caption(f"时限按工作日计（含2022年法定节假日与调休上班日），自受理次一工作日起算：{limits}；"
               f"紧急诉求须在{settings.appeal_emergency_hours}小时内处置。")
    ui.table(appeals.by_type(rows, settings), hide_index=True, width="stretch", helps=True)
    late = run("appeals/overdue_list", unit=unit, as_of=as_of, **appeals.limit_params(settings, as_of))
    st.markdown(f"##### 超期未办结诉求（{len(late):,} 件）")
    if late.empty:
        st.success("没有超期未办结的诉求。")
    else:
        shown = late.assign(type=late["type"].map(APPEAL_TYPES), channel=late["channel"].map(APPEAL_CHANNELS),
                            stage=late["stage"].map(APPEAL_STAGES)).drop(columns=["is_emergency"])
        ui.table(shown, hide_index=True, width="stretch", height=ui.fit_height(shown), helps=True)
        ui.download_buttons(shown, f"超期诉求_{here}_{as_of}", "overdue")

with volume_tab:
    charts.show(st, view["daily"])
    for col, chart in zip(st.columns(3), view["parts"]):
        charts.show(col, chart)
    rising = view["rising"]
    st.markdown(f"##### 当日上升话题（当日≥{settings.appeal_rising_min}件且≥前{settings.appeal_rising_days}日"
                f"日均的{settings.appeal_rising_ratio}倍）")
    if rising.empty:
        st.info("当日没有明显上升的话题。")
    else:
        ui.table(rising, hide_index=True, width="stretch", helps={c: "rising_topics" for c in rising.columns[1:]})

with rating_tab:
    st.markdown(f"##### 评价 {ui.fmt(total['rated'])} 条 · 满意率 {ui.fmt(share, '%')} · 平均 {mean if mean is not None else '—'} 星",
                help=help_for("rated"))
    charts.show(st, view["stars"])

if len(unit) < 12:
    kids = drill.children(run, unit, grain)
    names = dict(zip(kids["unit_code"], kids["name"]))
    st.markdown(f"#### 下辖{LEVELS[grain]}")
    table = appeals.by_unit(rows, names)
    ui.table(table, hide_index=True, width="stretch", height=ui.fit_height(table, 740), helps=True)
    ui.download_buttons(table, f"涉疫诉求_{here}_{as_of}", "units")
    target = st.selectbox(f"下钻到{LEVELS[grain]}", list(names), index=None, placeholder="请选择…",
                          format_func=names.get, key=f"appeals-drill-{unit}")
    if target:
        st.session_state["appeals_unit"] = target
        st.rerun()
