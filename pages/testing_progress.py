"""采样进度与检测: samples per hour against capacity, the round's progress against the 24 h /
48 h targets, 15-minute-circle gaps, the lab pipeline (turnaround, backlog, positive pools) and
the near-term arrivals forecast with its backtest."""


import pandas as pd
import plotly.express as px
import streamlit as st

from portal import ui
from portal.command.skeleton import district_choices
from portal.data import page_context, shared
from portal.glossary import LAB_STAGES, ROUND_ZONES, SAMPLE_PURPOSES, label
from portal.people import masking
from portal.testing import forecast, sampling
from portal.ui import charts, pickers

identity, settings, span, run = page_context()


# -- the parts built once per (unit, day, hour, data version) and shared by every session ------
@shared
def flow_view(run, settings, unit, day, hour, here, fraction):
    """Samples per hour against capacity up to the chosen hour: the chart and the table by district
    (the hours after it have no samples yet, the sites their state by then)."""
    hourly = run("mass/samples_by_hour", unit=unit, day=day)
    hourly = hourly[hourly["hour"] <= hour]
    sites = sampling.current_states(run("mass/site_states", unit=unit, day=day, hour=hour), None, settings)
    capacity = sampling.capacity_by_hour(sites, fraction)
    both = ui.headed(sampling.hourly_flow(hourly, capacity))
    fig = px.line(both.melt(id_vars=label("hour"), var_name="指标", value_name="人次/时"), x=label("hour"), y="人次/时",
                  color="指标",
                  markers=True, title=f"{here} {day:%m月%d日} 截至 {hour:02d}:59 每小时采样与产能（人次/时）")
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "title": None})
    fig.update_xaxes(title="时刻")  # its ticks read 14时
    return charts.zh(fig, hours="x"), sampling.district_flow(hourly, capacity, district_choices())


@shared
def round_view(run, settings, unit, round_id, day, hour):
    """A round's progress by community (those of its districts) up to the chosen hour, and the
    histogram of coverage."""
    chosen = run("mass/rounds").set_index("round_id").loc[round_id]
    first, last = pd.Timestamp(chosen["first_day"]).date(), pd.Timestamp(chosen["last_day"]).date()
    progress = run("mass/round_progress_by_community", unit=unit, round_id=round_id, start_day=first,
                   day=day, hour=hour, **sampling.round_progress_params(settings))
    progress = progress[progress["community_code"].str[:6].isin(chosen["districts"])]
    table = sampling.round_progress(progress, (last - first).days + 1, settings)
    fig = px.histogram(table, x="share_pct", nbins=20, title="各社区时限内采样覆盖率分布（社区数）",
                       labels={"share_pct": "时限内已采样居民占比（%）"})
    fig.update_yaxes(title="社区（个）")
    return table, charts.zh(fig)


@shared
def lab_charts(run, settings, unit, day, hour):
    """The turnaround by purpose of the day's samples up to the chosen hour, and its distribution
    (None when nothing was sampled)."""
    turnaround = run("mass/turnaround", unit=unit, day=day, hour=hour)
    shares = sampling.turnaround_shares(turnaround, settings)
    if shares.empty:
        return None
    bars = shares.assign(purpose=shares["purpose"].map(SAMPLE_PURPOSES)).melt(
        id_vars=["purpose"], value_vars=["within", "late", "pending"], var_name="结果", value_name="人份")
    bars["结果"] = bars["结果"].map({"within": "时限内出结果", "late": "超时出结果", "pending": "尚未出结果"})
    fig = px.bar(bars, x="人份", y="purpose", color="结果", orientation="h",
                 title=f"{day:%m月%d日} 截至 {hour:02d}:59 采样的检测用时（人份），时限：" + "、".join(
                     f"{SAMPLE_PURPOSES[p]} {h} 小时" for p, h in settings.turnaround_target_hours.items()),
                 labels={"purpose": "检测类别"},
                 color_discrete_map={"时限内出结果": "#1a9850", "超时出结果": "#d7191c", "尚未出结果": "#999999"})
    done = turnaround[turnaround["hours"].notna()]
    spread = px.histogram(done.assign(purpose=done["purpose"].map(SAMPLE_PURPOSES)), x="hours", y="samples",
                          color="purpose", nbins=48, title="采样到出结果用时分布（人份）",
                          labels={"hours": "采样到出结果（小时）", "purpose": "检测类别"})
    spread.update_yaxes(title="人份")
    return charts.zh(fig), charts.zh(spread)


@shared
def forecast_view(run, settings, unit, day, hour):
    """The arrivals forecast after `hour` by site (None at the day's last hour), the backtest's
    chart and table, and whether the arrivals read were cut at the row cap."""
    calendar = forecast.round_calendar(run("mass/rounds"))
    start = forecast.history_start(day, settings.forecast_lookback_days, settings.backtest_days)
    arrivals_read = run.result("mass/arrivals_by_site_hour", unit=unit, day_from=start, day=day,
                               row_cap=settings.forecast_row_cap)
    arrivals = arrivals_read.frame
    sites = run("mass/site_states", unit=unit, day=day, hour=hour)
    ahead = [h for h in range(hour + 1, hour + 1 + settings.forecast_hours) if h < 24]
    top = None
    if ahead:
        guess = forecast.expected(arrivals, sites, day, ahead, settings.forecast_history_days,
                                  settings.forecast_lookback_days, calendar)
        top = forecast.by_site(guess, sites)
    score = forecast.backtest(arrivals, sites, day, settings.forecast_history_days, settings.forecast_lookback_days,
                              settings.backtest_days, calendar)
    fig = px.bar(score.melt(id_vars="day", value_vars=["actual", "predicted"], var_name="k", value_name="人次").assign(
        k=lambda d: d["k"].map({"actual": "实际到检", "predicted": "预测到检"})), x="day", y="人次", color="k",
        barmode="group", title="每日实际与预测到检（人次）", labels={"day": "日期", "k": ""})
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "title": None})
    return arrivals_read.truncated, calendar, ahead, top, charts.zh(fig), forecast.score_table(score)

fraction = span["person_fraction"] or 1.0
st.title("采样进度与检测")

rounds = run("mass/rounds")
c1, c2, c3 = st.columns(3)
day = pickers.as_of(c1, span, "tp-day", "日期", pickers.latest_round_day(rounds, span["last_day"]))
hour = pickers.hour(c2, "tp-hour", 12)
if no_round := pickers.round_note(rounds, day):
    st.caption(no_round)
district, districts = pickers.district(c3, identity.scope, "tp-district")
unit = pickers.unit_of(identity.scope, district)
here = districts.get(district, "全市") if district else "全市"
if fraction < 1:
    st.caption(f"演示数据按常住人口的 {fraction:.1%} 生成：采样点产能按同一比例折算后与采样人次比较；"
               "人口与采样员按全量人口计算。")

flow_tab, round_tab, circle_tab, lab_tab, forecast_tab = st.tabs(["采样通量", "本轮进度", "15分钟采样圈", "实验室检测", "到检预测"])

with flow_tab:
    fig, view = flow_view(run, settings, unit, day, hour, here, fraction)
    charts.show(st, fig)
    ui.table(view, hide_index=True, width="stretch")
    ui.download_buttons(view, f"采样通量_{here}_{day}", "flow")
    ui.computed_note(run.computed("mass/samples_by_hour"))

with round_tab:
    # the rounds begun by the chosen day, each with its progress up to the chosen hour
    begun = rounds[pd.to_datetime(rounds["first_day"]).dt.date <= day] if not rounds.empty else rounds
    if begun.empty:
        st.info(f"{day:%m月%d日}前没有开始的全员核酸轮次。")
    else:
        labels = {int(r.round_id): f"第 {r.round_id} 轮（{r.first_day:%m月%d日}起，{(r.last_day - r.first_day).days + 1} 天）"
                  for r in begun.assign(first_day=pd.to_datetime(begun["first_day"]),
                                        last_day=pd.to_datetime(begun["last_day"])).itertuples()}
        round_id = st.selectbox("全员核酸轮次", list(labels), index=len(labels) - 1, format_func=labels.get, key="tp-round")
        table, fig = round_view(run, settings, unit, round_id, day, hour)
        st.caption(f"截至 {day:%m月%d日} {hour:02d}:59 的采样。")
        k = st.columns(4)
        k[0].metric("参与社区（个）", f"{len(table):,}", border=True)
        share = 100 * table["sampled_in_target"].sum() / max(1, table["residents"].sum())
        k[1].metric("时限内完成采样（%）", f"{share:,.1f}%", border=True)
        k[2].metric("封控区社区（个）", f"{int((table['zone_tier'] == 'high').sum()):,}",
                    help=f"首轮 {settings.sealed_target_hours} 小时内完成", border=True)
        k[3].metric("管控区社区（个）", f"{int((table['zone_tier'] == 'medium').sum()):,}",
                    help=f"首轮 {settings.controlled_target_hours} 小时内完成", border=True)
        charts.show(st, fig)
        view = table.sort_values(["share_pct", "community_code"]).assign(zone=table["zone_tier"].map(ROUND_ZONES))[
            ["community_name", "community_code", "zone", "target_hours", "residents", "sampled_in_target", "sampled",
             "share_pct"]]
        st.markdown("##### 覆盖率最低的社区在前")
        ui.table(view, hide_index=True, width="stretch", height=360)
        ui.download_buttons(view, f"本轮进度_{round_id}_{here}", "round")
        ui.computed_note(run.computed("mass/round_progress_by_community"))

with circle_tab:
    coverage = run("mass/coverage_by_community", unit=unit, walk_m=settings.walk_circle_m)
    gaps = sampling.coverage_gaps(coverage, fraction, settings)
    st.markdown(f"##### 15分钟采样圈缺口（{len(gaps):,} 个社区）")
    st.caption(f"每 {settings.people_per_site_max:,} 名居民至少一个采样点；小区到本街道最近采样点不超过 "
               f"{settings.walk_circle_m:,} 米（步行约 15 分钟）。")
    gaps = gaps.assign(farthest_m=gaps["farthest_m"].round().astype(int))
    view = gaps[["community_name", "community_code", "street_name", "population", "sites", "people_per_site",
                 "sites_missing", "farthest_m", "compounds_outside"]]
    ui.table(view, hide_index=True, width="stretch", height=360)
    ui.download_buttons(view, f"采样圈缺口_{here}", "gaps")
    ui.computed_note(run.computed("mass/coverage_by_community"))

with lab_tab:
    lab = lab_charts(run, settings, unit, day, hour)
    if lab is None:
        st.info("当日没有采样。")
    else:
        for fig in lab:
            charts.show(st, fig)
    backlog = run("mass/lab_backlog", unit=unit, day=day, hour=hour)
    st.markdown(f"##### 各实验室待检（{day:%m月%d日} {hour:02d}:59，管）")
    if backlog.empty:
        st.success("没有待检的样本管。")
    else:
        view = backlog.assign(stage=backlog["stage"].map(LAB_STAGES))[
            ["lab_name", "capacity_per_day", "stage", "tubes", "under_6h", "h6_12", "h12_24", "over_24h"]]
        ui.table(view, hide_index=True, width="stretch", height=300)
        ui.download_buttons(view, f"实验室待检_{day}_{hour:02d}", "backlog")
    pools = run("mass/positive_pools", unit=unit, day_from=span["first_day"], day=day, hour=hour)
    st.markdown(f"##### 混管阳性追踪（截至 {day:%m月%d日} {hour:02d}:59 已出结果）")
    if pools.empty:
        st.info("没有阳性混管。")
    else:
        k = st.columns(3)
        k[0].metric("阳性混管（管）", f"{pools['tube_id'].nunique():,}", border=True)
        k[1].metric("需复采人员（人）", f"{pools['person_id'].nunique():,}", border=True)
        k[2].metric("已复采（人）", f"{int(pools['resample_result'].ne('').sum()):,}", border=True)
        status = pools["resample_result"].map({"positive": "复采阳性", "negative": "复采阴性", "pending": "复采待出结果",
                                               "": "待复采"})
        view = pools.assign(resample_status=status)[
            ["tube_id", "round_id", "site_code", "sampled_at", "pool_result_at", "person_name", "person_id",
             "home_community_code", "resampled_at", "resample_status"]]
        clear = masking.reveal(identity, "pools", f"pools:{unit or 'city'}:{day}",
                               f"混管阳性追踪（{unit or '全市'}，截至 {day}）：{pools['person_id'].nunique():,} 人的姓名")
        ui.table(view, clear, hide_index=True, width="stretch", height=300)
        ui.download_buttons(view, f"混管阳性追踪_{day}", "pools", clear)

with forecast_tab:
    st.info(forecast.METHOD.format(days=settings.forecast_history_days, lookback=settings.forecast_lookback_days))
    truncated, calendar, ahead, top, fig, view = forecast_view(run, settings, unit, day, hour)
    if truncated:
        st.warning(f"到检记录超过 {settings.forecast_row_cap:,} 条，预测只用了其中一部分；请选择一个区（市）县。")
    if not ahead:
        st.info("所选时刻已是当日最后一小时，请选择更早的时刻查看之后几小时的预计到检。")
    else:
        kind = "全员核酸日" if any(d in calendar.get(day, ()) for d in districts) or (
            not identity.scope and day in calendar) else "平常日"
        st.markdown(f"##### {day:%m月%d日}（{kind}）{hour:02d}:59 之后 {len(ahead)} 小时预计到检最多的采样点（人次）")
        st.caption(f"{ui.text(here)}全部 {len(top):,} 个采样点合计预计 {top['合计'].sum():,.0f} 人次。")
        ui.table(top.head(30).round(1), hide_index=True, width="stretch")
        ui.download_buttons(top.round(2).reset_index(drop=True), f"到检预测_{day}_{hour:02d}", "forecast")
    st.markdown(f"##### 回测：前 {settings.backtest_days} 天逐日误差（开放时段）")
    charts.show(st, fig)
    ui.table(view, hide_index=True, width="stretch")
    ui.computed_note(run.computed("mass/arrivals_by_site_hour"))
