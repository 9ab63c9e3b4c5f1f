"""疫情研判: where the outbreak is heading — the effective reproduction number Rt by day for the
jurisdiction and each district with enough cases, growth and doubling or halving time, a 7-day
projection of daily cases with its interval, and how the projection fared on the days before."""

import plotly.graph_objects as go
import streamlit as st

from portal import ui
from portal.analysis import outlook
from portal.data import page_context
from portal.ui import charts, drill, pickers

identity, settings, span, run = page_context()

st.title("疫情研判")
as_of = pickers.as_of(st, span, "outlook-day", value=span["last_day"])
names = {**pickers.districts_in(identity.scope), identity.scope: drill.names_of(run, identity.scope)[-1][1]}
areas = outlook.areas(run, settings, identity.scope, names, span["first_day"], as_of)

with st.expander("计算方法", expanded=False):
    st.markdown(
        f"**有效再生数 Rt**：按 Cori 等（2013）更新方程方法，由每日新增感染者（确诊与无症状合计，按确诊日）估计。"
        f"代际间隔取离散化的伽马分布（均值 {settings.serial_interval_mean:g} 天、标准差 {settings.serial_interval_sd:g} 天，"
        f"参考北京 2022 年 3 月奥密克戎传播链中位数 3.0 天）；Rt 先验为伽马分布（均值 {settings.rt_prior_mean:g}、"
        f"标准差 {settings.rt_prior_sd:g}），在截至当日的 {settings.rt_window_days} 天滑动窗口内视为不变，"
        f"后验为伽马分布：形状 = 先验形状 + 窗口内病例数，尺度 = 1 /（1/先验尺度 + 窗口内传染力之和）；"
        f"给出后验均值与 95% 可信区间（2.5% 与 97.5% 分位数）。后验变异系数超过 {settings.rt_max_cv:g}"
        f"（窗口内病例约少于 12 例）时不报告 Rt。\n\n"
        f"**增长率与倍增（减半）时间**：近 {settings.rt_window_days} 天病例数与此前 {settings.rt_window_days} 天之比的"
        f"对数除以天数，为日增长率 r；r > 0 时倍增时间 = ln2 / r，r < 0 时减半时间 = ln2 / (−r)。\n\n"
        f"**未来 {settings.projection_days} 天预测**：对最近 {settings.projection_fit_days} 天每日病例作对数线性泊松回归"
        f"（期望病例 = exp(α + r·t)，最大似然拟合），按拟合的指数趋势外推；区间合并拟合参数的不确定性（对数尺度 ±1.96 "
        f"个标准误）与每日病例的泊松波动（取 2.5% 与 97.5% 分位数）。最近 {settings.projection_fit_days} 天病例少于 "
        f"{settings.projection_min_cases} 例时不预测。\n\n"
        f"**预测回测**：对此前 {settings.projection_backtest_days} 天的每一天，只用当天 24 时已知的病例重新预测，"
        f"与其后实际发生的病例比较。")

summary = outlook.summary(areas, settings.rt_window_days)
st.markdown(f"#### {areas[0].name} · 截至 {as_of:%Y年%m月%d日}24时")
ui.table(summary.drop(columns="unit_code"), hide_index=True, width="stretch")
ui.download_buttons(summary, f"疫情研判_{areas[0].name}_{as_of}", "outlook")
thin = [a.name for a in areas[1:] if not a.estimable]
if thin:
    st.caption("病例过少、无法报告 Rt 的区（市）县（仅列出病例数）：" + "、".join(thin))
ui.computed_note(run.computed("analysis/daily_cases"))

shown = [a for a in areas if a.estimable] or areas[:1]
choice = st.selectbox("查看区域", [a.code for a in shown], format_func=lambda c: names.get(c, c), key="outlook-area")
area = next(a for a in shown if a.code == choice)

# -- Rt by day --------------------------------------------------------------------------------
st.markdown(f"#### {area.name} · 有效再生数 Rt（{settings.rt_window_days} 天窗口）")
frame = outlook.rt_frame(area)
if frame.empty:
    st.info("窗口内病例过少，尚无可报告的 Rt。")
else:
    fig = go.Figure([
        go.Scatter(x=list(frame["day"]) + list(frame["day"])[::-1], y=list(frame["rt_hi"]) + list(frame["rt_lo"])[::-1],
                   fill="toself", fillcolor="rgba(192,57,43,0.18)", line={"width": 0}, name="95% 可信区间",
                   hoverinfo="skip"),
        go.Scatter(x=frame["day"], y=frame["rt_mean"], mode="lines+markers", line={"color": "#c0392b"}, name="Rt"),
    ])
    fig.add_hline(y=1, line_dash="dash", line_color="#555", annotation_text="Rt = 1")
    fig.update_layout(yaxis_title="Rt", xaxis_title="日期", height=360, margin={"t": 30})
    charts.show(st, fig)
    with st.expander("逐日 Rt"):
        ui.table(frame, hide_index=True, width="stretch")

# -- projection ---------------------------------------------------------------------------------
st.markdown(f"#### {area.name} · 未来 {settings.projection_days} 天病例预测")
ahead, reason, record = outlook.outlook(area, settings)
recent = area.daily.iloc[-28:]
fig = go.Figure([go.Bar(x=recent.index.date, y=recent.to_numpy(), name="实际新增", marker_color="#7f8c8d")])
if ahead is None:
    st.info(reason)
else:
    fig.add_trace(go.Scatter(x=list(ahead["day"]) + list(ahead["day"])[::-1],
                             y=list(ahead["expected_hi"]) + list(ahead["expected_lo"])[::-1], fill="toself",
                             fillcolor="rgba(44,111,187,0.18)", line={"width": 0}, name="95% 预测区间",
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=ahead["day"], y=ahead["expected_cases"], mode="lines+markers",
                             line={"color": "#2c6fbb"}, name="预测"))
fig.update_layout(yaxis_title="例", xaxis_title="日期", height=340, margin={"t": 30})
charts.show(st, fig)
if ahead is not None:
    ui.table(ahead, hide_index=True, width="stretch")

# -- the projection's own record ------------------------------------------------------------------
st.markdown(f"#### 预测回测：此前 {settings.projection_backtest_days} 天每日所作预测与实际")
inside, compared = outlook.coverage(record)
if compared:
    st.caption(f"已到的预测日共 {compared} 天，实际病例落在预测区间内 {inside} 天（{inside / compared:.0%}）。"
               "各行为该日所作预测在已到天数内的合计。")
made = record.dropna(subset=["projected_cases"])
if not made.empty:
    fig = go.Figure([
        go.Scatter(x=list(made["origin_day"]) + list(made["origin_day"])[::-1],
                   y=list(made["projected_hi"]) + list(made["projected_lo"])[::-1], fill="toself",
                   fillcolor="rgba(44,111,187,0.15)", line={"width": 0}, name="预测区间合计", hoverinfo="skip"),
        go.Scatter(x=made["origin_day"], y=made["projected_cases"], mode="lines+markers", name="预测合计",
                   line={"color": "#2c6fbb"}),
        go.Scatter(x=made["origin_day"], y=made["actual_cases"], mode="lines+markers", name="实际合计",
                   line={"color": "#c0392b"}),
    ])
    fig.update_layout(yaxis_title="例（预测日之后已到天数合计）", xaxis_title="预测所在日", height=320, margin={"t": 30})
    charts.show(st, fig)
ui.table(record, hide_index=True, width="stretch")
