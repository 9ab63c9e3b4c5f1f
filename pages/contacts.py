"""密接追踪: the contact chain of chosen cases, the closed loop from identification to release
by district and street with its alerts, and each case's transfer to treatment."""

import pandas as pd
import plotly.express as px
import streamlit as st

from portal import ui
from portal.data import page_context
from portal.glossary import ALERTS, CASE_KINDS, CONTACT_KINDS, LEVELS
from portal.people import masking
from portal.tracing import case_picker, loop
from portal.ui import charts, pickers

identity, settings, span, run = page_context()

st.title("密接追踪与闭环管控")
chain_tab, loop_tab, transfer_tab = st.tabs(["传播链", "闭环管控", "转运救治"])

with chain_tab:
    cases = run("trajectories/case_list")
    chosen = case_picker.pick(cases, "chain", pickers.session_day() or span["last_day"])
    # contacts identified by, and where each stood at, 24:00 of a day (the session's date where one was chosen)
    chain_day = pickers.as_of(st, span, "chain-as-of", "传播链截至（当日24时）")
    if not chosen:
        st.info("请选择病例以查看其密接、次密接传播链。")
    else:
        chain_read = run.result("contacts/chain", case_ids=chosen, as_of=chain_day)
        chain = chain_read.frame
        if chain_read.truncated:
            st.warning(f"传播链超过 {len(chain):,} 条关系，以下仅为最早判定的部分；请缩小病例范围查看完整传播链。")
        if chain.empty:
            st.info("所选病例在您的管辖范围内没有判定的密接或次密接。")
        else:
            counts = loop.hop_counts(chain)
            st.markdown(f"##### {len(chosen)} 例病例的传播链：按层级与发现方式（人）")
            ui.table(counts, hide_index=True, width="stretch")
            clear = masking.reveal(identity, "chain", f"chain:{'、'.join(chosen)}",
                                   f"传播链（{len(chosen)} 例病例）：{chain['to_person_id'].nunique():,} 名密接、次密接的姓名")
            names = {int(r.to_person_id): masking.value(r.person_name, masking.mask_name, clear) for r in chain.itertuples()}
            persons = dict(zip(cases["case_id"], cases["person_id"]))
            case_people = {c: int(persons[c]) for c in chosen}
            st.graphviz_chart(loop.chain_dot(chain, names, case_people, detail_limit=40), width="stretch")
            if len(chain) > 40:
                st.caption("关系较多，图中按病例汇总显示密接、次密接人数；逐人明细见下表。")
            table = loop.chain_table(chain)
            ui.table(table, clear, hide_index=True, height=360, width="stretch")
            ui.download_buttons(table, "传播链", "chain", clear)
            ui.computed_note(run.computed("contacts/chain"))

with loop_tab:
    c1, c2, c3 = st.columns(3)
    as_of = pickers.as_of(c1, span, "loop-as-of", value=span["last_day"])
    district, _ = pickers.district(c2, identity.scope, "loop-district")
    unit = pickers.unit_of(identity.scope, district)
    grain = {0: 6, 6: 9, 9: 12}[len(unit)]
    kind = c3.radio("对象", list(CONTACT_KINDS), format_func=CONTACT_KINDS.get, horizontal=True, key="loop-kind")
    funnel = run("contacts/funnel_by_unit", unit=unit, grain=grain, as_of=as_of)
    funnel = funnel[funnel["kind"] == kind]
    if funnel.empty:
        st.info("截至该日没有判定的人员。")
    else:
        total = loop.funnel_total(funnel)
        left, right = st.columns(2)
        stages = [(label, int(total[key])) for key, label in loop.STAGES
                  if not (kind == "secondary_contact" and key in ("transferred", "monitored"))]
        fig = px.funnel(pd.DataFrame(stages, columns=["环节", "人数"]), x="人数", y="环节",
                        title=f"{CONTACT_KINDS[kind]}闭环：累计到达各环节（人）")
        fig.update_traces(texttemplate="%{value:,}")
        charts.show(left, fig)
        now = pd.DataFrame([(label, int(total[key])) for key, label in loop.NOW], columns=["当前所处环节", "人数"])
        fig = px.bar(now, x="人数", y="当前所处环节", orientation="h",
                     title=f"24时各环节在途人数（合计 {int(now['人数'].sum()):,} = 累计判定 {int(total['identified']):,}）")
        charts.show(right, fig)
        unit_names = dict(zip(*run("geo/units", unit=unit, grain=grain)[["unit_code", "name"]].T.values))
        table = loop.unit_table(funnel, unit_names)
        st.markdown(f"##### 按{LEVELS[grain]}（截至 {as_of:%m月%d日} 24时）")
        ui.table(table, hide_index=True, width="stretch")
        ui.download_buttons(table, f"闭环管控_{unit or '全市'}_{as_of}", "loop")
    alerts = run("contacts/alerts", unit=unit, as_of=as_of, with_names=1, transfer_limit_hours=settings.transfer_limit_hours,
                 close_test_days=list(settings.close_test_days), secondary_test_days=list(settings.secondary_test_days))
    st.markdown(f"##### 预警（截至 {as_of:%m月%d日} 24时）")
    if alerts.empty:
        st.success("没有超时未转运或应检未检的人员。")
    else:
        counts = alerts["alert"].map(ALERTS).value_counts()
        st.warning("；".join(f"{k} {v:,} 人次" for k, v in counts.items()))
        view = loop.alert_table(alerts)
        clear = masking.reveal(identity, "alerts", f"alerts:{unit or 'city'}:{as_of}",
                               f"闭环预警（{unit or '全市'}，{as_of}）：{len(view):,} 人次的姓名")
        ui.table(view, clear, hide_index=True, height=300, width="stretch")
        ui.download_buttons(view, f"闭环预警_{as_of}", "alerts", clear)
    ui.computed_note(run.computed("contacts/alerts"))

with transfer_tab:
    moves = run("transfers/case_transfers", date_from=settings.trend_start, as_of=span["last_day"])
    if moves.empty:
        st.info("没有病例转运记录。")
    else:
        c1, c2, c3 = st.columns(3)
        c1.metric("转运病例（例）", f"{len(moves):,}", border=True)
        c2.metric("确诊→120派车 平均（分钟）", f"{moves['min_to_dispatch'].mean():,.0f}", border=True)
        c3.metric("确诊→到达定点医院 平均（分钟）", f"{moves['min_total'].mean():,.0f}", border=True)
        daily = loop.transfer_minutes_by_day(moves)
        fig = px.line(daily.melt(id_vars=["日期"], value_vars=["平均", "最长"], var_name="统计", value_name="分钟"),
                      x="日期", y="分钟", color="统计", markers=True, title="每日确诊→到达定点医院用时（分钟）")
        charts.show(st, fig)
        table = moves.assign(kind=moves["kind"].map(CASE_KINDS))
        st.markdown("##### 用时最长的 10 例")
        ui.table(table.sort_values("min_total", ascending=False).head(10), hide_index=True, width="stretch")
        ui.download_buttons(table, "病例转运", "transfers")
        ui.computed_note(run.computed("transfers/case_transfers"))
