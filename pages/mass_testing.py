"""核酸采样调度: every coded sampling site on the map by queue state, a site's card, the site
leads' live marks with an overrun alert, and dispatch suggestions for congested sites."""

import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from portal import ui
from portal.data import forget_live, page_context, shared
from portal.glossary import MARK_STATES, SITE_KINDS, SITE_STATES
from portal.testing import marks, sampling
from portal.ui import charts, pickers

identity, settings, span, run = page_context()


@shared
def site_view(run, settings, unit, day, hour, street, kinds, wanted, mark_keys, marks):
    """Every site's state (its report, replaced by a live mark of `marks`, which `mark_keys`
    name), those the filters keep, their map (None when none is kept) and the dispatch plan:
    built once per filters, marks and data version for every session."""
    sites = run("mass/site_states", unit=unit, day=day, hour=hour)
    states = sampling.current_states(sites, marks, settings)
    shown = sampling.filter_sites(states, street, list(kinds), list(wanted))
    deck = None
    if not shown.empty:
        grain = 9 if unit else 6
        units = run("geo/unit_outlines", unit=unit, grain=grain)
        points = shown.assign(
            fill=[[*sampling.STATE_COLOURS[s], 230] for s in shown["state"]],
            state_text=shown["state"].map(SITE_STATES), kind_text=shown["kind"].map(SITE_KINDS))
        deck = ui.frozen(ui.point_map(points, units, units[["name", "lon", "lat"]],
                                      "{site_code} {site_name}\n{kind_text} · {state_text} · 排队 {queue_minutes} 分钟"))
    return states, shown, deck, sampling.dispatch(shown, settings)

st.title("核酸采样调度")

rounds = run("mass/rounds")
c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
day = pickers.as_of(c1, span, "mt-day", "日期", pickers.latest_round_day(rounds, span["last_day"]))
hour = pickers.hour(c2, "mt-hour", 10)
if no_round := pickers.round_note(rounds, day):
    st.caption(no_round)
district, districts = pickers.district(c3, identity.scope, "mt-district")
unit = pickers.unit_of(identity.scope, district)
street, street_names = pickers.street(c4, run, district, "mt-street")
c5, c6 = st.columns(2)
kinds = c5.multiselect("类型", list(SITE_KINDS), format_func=SITE_KINDS.get, key="mt-kinds", placeholder="全部类型")
wanted = c6.multiselect("状态", sampling.STATE_ORDER, format_func=SITE_STATES.get, key="mt-states", placeholder="全部状态")

live = run.live("mass/live_marks", since=marks.since(settings))
# the chosen moment takes only the marks made by then (none of today's marks for a past hour)
here_marks = sampling.marks_by(live[live["community_code"].str.startswith(unit)], day, hour)
states, shown, deck, plan = site_view(run, settings, unit, day, hour, street, tuple(kinds), tuple(wanted),
                                      tuple(zip(here_marks["mark_key"], here_marks["state"], here_marks["queue_minutes"])),
                                      marks=here_marks)
counts = sampling.state_counts(shown)
mean_wait, max_wait = sampling.open_wait(shown)
hourly = run("mass/samples_by_hour", unit=street or unit, day=day)
taken = int(hourly.loc[hourly["hour"] <= hour, "samples"].sum())

st.subheader(f"{ui.text(districts.get(district, '全市') if district else '全市')}{ui.text(street_names.get(street, ''))} · "
             f"{day:%m月%d日} {hour:02d}:59")
ui.phone_friendly_kpis()
with st.container(key="kpis"):
    k = st.columns(4)
    k[0].metric("开放采样点（个）", f"{counts['open']:,}", help=f"共 {counts['all']:,} 个编码采样点", border=True)
    k[1].metric("拥堵采样点（个）", f"{counts['congested']:,}", help=f"排队 ≥ {settings.congested_minutes} 分钟", border=True)
    k[2].metric("繁忙采样点（个）", f"{counts['busy']:,}",
                help=f"排队 {settings.busy_minutes}–{settings.congested_minutes} 分钟", border=True)
    k[3].metric("当日已采样（人次）", f"{taken:,}", help=f"截至 {hour:02d}:59，采样点采集", border=True)
st.caption(f"截至 {hour:02d}:59 当日曾拥堵 {sampling.congested_ever(shown, settings):,} 个 · "
           f"关闭 {counts['closed']:,} 个 · 未上报 {counts['unreported']:,} 个 · 开放点平均排队 "
           f"{ui.fmt(mean_wait) if mean_wait is None else f'{mean_wait:.0f}'} 分钟，最长 {ui.fmt(max_wait)} 分钟 · "
           f"{settings.mark_fresh_minutes} 分钟内的现场标记优先于上报记录")

map_tab, live_tab, dispatch_tab = st.tabs(["采样点地图", "现场标记", "调度建议"])

with map_tab:
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**采样点排队状态 · {len(shown):,} 个（{day:%m月%d日} {hour:02d}:59）**")
        if deck is None:
            st.info("没有符合筛选条件的采样点。")
        else:
            st.pydeck_chart(deck, height=480)
            ui.swatch_legend([(SITE_STATES[s], sampling.STATE_COLOURS[s], counts[s]) for s in sampling.STATE_ORDER])
            ui.computed_note(run.computed("mass/site_states"))
    with right:
        ranked = shown.assign(rank=shown["state"].map({s: i for i, s in enumerate(sampling.STATE_ORDER)}))
        ranked = ranked.sort_values(["rank", "queue_minutes"], ascending=[True, False])
        labels = dict(zip(ranked["site_id"], ranked["site_code"] + " " + ranked["site_name"] + " · "
                          + ranked["state"].map(SITE_STATES)))
        site_id = st.selectbox("采样点卡片", list(labels), format_func=labels.get, key="mt-site",
                               placeholder="选择采样点…") if labels else None
        if site_id is not None:
            site = states.set_index("site_id").loc[site_id]
            a, b, c = st.columns(3)
            a.metric("状态", SITE_STATES[site["state"]], border=True)
            b.metric("排队（分钟）", f"{int(site['queue_minutes']):,}", border=True)
            c.metric("采样员（人）", f"{int(site['samplers']):,}", border=True)
            source = {"mark": "现场标记", "report": "上报记录", "": "当日尚未上报"}[site["source"]]
            st.caption(f"{SITE_KINDS.get(site['kind'], site['kind'])} · 开放 {site['open_hour']}:00–{site['close_hour']}:00 · "
                       f"产能 {int(site['capacity_per_hour']):,} 人/时 · 状态来自{source}")
            week = run("mass/site_samples_by_hour", site_id=int(site_id), day_from=day - dt.timedelta(days=6), day=day)
            week = week[(pd.to_datetime(week["day"]).dt.date < day) | (week["hour"] <= hour)]  # nothing after the hour
            if week.empty:
                st.info("该采样点近 7 天没有采样记录。")
            else:
                fig = px.bar(week.assign(日期=charts.day_names(week["day"])), x="hour", y="samples", color="日期",
                             title="近 7 天每小时采样（人次）", labels={"hour": "时刻", "samples": "人次"})
                fig.update_layout(legend={"orientation": "h", "y": -0.3})
                charts.show(st, fig, hours="x")
            reports = run("mass/site_reports", site_id=int(site_id), day=day, hour=hour)
            mine = here_marks[here_marks["site_id"] == site_id]
            rows = pd.concat([
                reports.assign(report_source="上报")[["ts", "state", "queue_minutes", "report_source"]],
                mine.assign(ts=mine["marked_at"], report_source="现场标记")[["ts", "state", "queue_minutes", "report_source"]],
            ])
            rows = rows.assign(state=rows["state"].map(SITE_STATES))
            st.markdown(f"**当日截至 {hour:02d}:59 的上报与现场标记**")
            ui.table(rows, hide_index=True, width="stretch")

with live_tab:
    if identity.role == "district_operator":
        st.markdown("##### 标记采样点状态")
        codes = states.sort_values("site_code")
        names = dict(zip(codes["site_code"], codes["site_name"]))
        st.session_state.setdefault("mark_key", marks.new_key())
        with st.form("mark"):
            f1, f2, f3 = st.columns([3, 2, 2])
            code = f1.selectbox("采样点", list(names), format_func=lambda c: f"{c} {names[c]}", index=None,
                                placeholder="输入编码或名称…", accept_new_options=True)
            state = f2.radio("状态", list(MARK_STATES), format_func=MARK_STATES.get, horizontal=True)
            wait = f3.number_input("排队时长（分钟）", value=0, step=5)
            sent = st.form_submit_button("提交标记", type="primary")
        if sent:
            try:
                result = marks.submit(identity, code or "", state, wait, st.session_state["mark_key"], settings)
            except marks.MarkRefused as exc:
                st.error(str(exc))
            else:
                forget_live()
                (st.success if result.stored else st.info)(result.message)
                st.session_state["mark_key"] = marks.new_key()
    else:
        st.caption("现场标记由区县工作人员（采样点负责人）提交；指挥中心在此实时查看。")

    @st.fragment(run_every=settings.live_refresh_s)
    def live_marks():
        fresh = run.live("mass/live_marks", since=marks.since(settings))
        fresh = fresh[fresh["community_code"].str.startswith(unit)]
        over = marks.congested_now(fresh)
        if not over.empty:
            st.error(f"排队超限告警：{len(over)} 个采样点排队 ≥ {settings.congested_minutes} 分钟 — " + "；".join(
                f"{ui.text(r.site_code)} {ui.text(r.site_name)} {r.queue_minutes} 分钟" for r in over.head(5).itertuples()))
        st.markdown(f"##### 最近 {settings.mark_fresh_minutes} 分钟的现场标记（{len(fresh):,} 条）")
        if fresh.empty:
            st.info("暂无现场标记。")
        else:
            view = fresh.assign(state=fresh["state"].map(SITE_STATES))[
                ["marked_at", "site_code", "site_name", "state", "queue_minutes", "operator"]]
            ui.table(view, hide_index=True, width="stretch", key="live-marks")
        st.caption(f"每 {settings.live_refresh_s} 秒刷新 · 读取于 {run.computed('mass/live_marks')}（北京时间）")

    live_marks()

with dispatch_tab:
    st.markdown(f"##### 拥堵采样点分流与增援（{len(plan):,} 个）")
    st.caption(f"分流：半径 {settings.dispatch_radius_m:,} 米内最近的畅通采样点；增援：按排队时长反推每小时到检人数"
               f"（产能 ×（1 + 排队分钟 ÷ 60）），使排队降到 {settings.busy_minutes} 分钟以下所需的采样员"
               f"（每人每小时 {settings.swabs_per_sampler_hour} 人份）。")
    if plan.empty:
        st.success("当前没有拥堵的采样点。")
    else:
        view = plan[["site_code", "site_name", "queue_minutes", "samplers", "samplers_to_add", "alternatives"]]
        ui.table(view, hide_index=True, width="stretch")
        ui.download_buttons(view, f"调度建议_{day}_{hour:02d}", "dispatch")
    coverage = run("mass/coverage_by_community", unit=unit, walk_m=settings.walk_circle_m)
    short = sampling.sampler_shortfall(coverage, span["person_fraction"] or 1.0, settings)
    short = short[short["shortfall"] > 0]
    st.markdown(f"##### 采样员缺口：按常住人口 ÷ {settings.people_per_sampler} 配置（{len(short):,} 个街道不足）")
    if short.empty:
        st.success("各街道采样员均已达到配置标准。")
    else:
        view = short[["street_name", "street_code", "population", "sites", "samplers", "samplers_needed", "shortfall"]]
        ui.table(view, hide_index=True, width="stretch", height=300)
        ui.download_buttons(view, f"采样员缺口_{unit or '全市'}", "shortfall")
