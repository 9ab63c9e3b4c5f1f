"""预警中心: every alert rule's open alerts in one place — by severity, filtered by rule, state,
severity and area — with acknowledgement and handling (a note each, audited) and each alert's
history. The page runs the check itself (once per data version and minute), so alerts show
without the scheduled job."""

import streamlit as st

from portal import ui
from portal.alerts import center, view
from portal.alerts.rules import RULES, SEVERITIES
from portal.data import page_context
from portal.ui import pickers

identity, settings, span, run = page_context()

st.title("预警中心")
when, report = view.checked(span)
st.caption(f"按 {len(RULES)} 条预警规则检查至 {when.label}（北京时间，不晚于数据最后一天24时）；"
           f"未确认的预警每 {settings.alert_escalate_minutes} 分钟升级一级（街道 → 区县 → 市级）。")
if report.failed:
    st.warning("以下规则本次未能检查，其余规则照常：" + "、".join(RULES[r].name for r in report.failed))

counts = center.open_counts(identity.scope)
ui.phone_friendly_kpis()
with st.container(key="kpis"):
    for col, severity in zip(st.columns(len(SEVERITIES)), SEVERITIES):
        col.metric(f"{severity}（条）", f"{counts[severity]:,}", help="待确认与已确认的预警", border=True)

# -- filters -------------------------------------------------------------------------------------
c1, c2, c3, c4 = st.columns(4)
chosen_rules = c1.multiselect("预警规则", list(RULES), format_func=lambda r: RULES[r].name, key="alert-rules",
                              placeholder="全部规则")
chosen_states = c2.multiselect("状态", list(center.STATES), format_func=center.STATES.get, key="alert-states",
                               default=list(center.OPEN))
chosen_severities = c3.multiselect("级别", list(SEVERITIES), key="alert-severities", placeholder="全部级别")
district, _ = pickers.district(c4, identity.scope, "alert-district")
area = pickers.unit_of(identity.scope, district)

chosen = dict(states=tuple(chosen_states) or None, rules=tuple(chosen_rules) or None,
              severities=tuple(chosen_severities) or None)
alerts = center.instances(area, limit=center.LIST_LIMIT, **chosen)
total = center.count(area, **chosen)
st.markdown(f"##### 预警 {total:,} 条" + (f"（列出最新的 {len(alerts):,} 条；按规则、级别或区县筛选可看到其余）"
                                         if total > len(alerts) else ""))
if alerts.empty:
    st.info("没有符合筛选条件的预警。")
    st.stop()
shown = center.listing(alerts)
ui.table(shown, hide_index=True, width="stretch", height=ui.fit_height(shown, 420))

# -- one alert: acknowledge, handle, history -------------------------------------------------------
labels = {int(r.alert_id): f"#{r.alert_id} [{r.severity}] {r.alert_rule} · {r.alert_detail}" for r in shown.itertuples()}
picked = st.selectbox("查看或处理一条预警", list(labels), format_func=labels.get, key="alert-pick")
row = alerts[alerts["alert_id"] == picked].iloc[0]
rule = RULES.get(row["rule_id"])
lines = [f"**{labels[picked]}**", f"状态：{center.STATES[row['state']]}"
         + (f"（{center.escalation_label(row)}）" if center.escalation_label(row) else "")]
if rule is not None:
    lines.append(f"监测：{rule.watches}；阈值：{center.threshold_of(rule, settings)}")
st.markdown("  \n".join(lines))

if identity.role in center.ACTORS and row["state"] in center.OPEN:
    # a form sends the note together with the button, so a note typed just before the click is kept
    acknowledging = row["state"] == "new"
    with st.form(f"alert-act-{picked}", clear_on_submit=True, border=False):
        note = st.text_area("说明（处置时必填）", key=f"alert-note-{picked}", max_chars=500)
        pressed = st.form_submit_button("确认预警" if acknowledging else "标记已处置",
                                        key="alert-ack" if acknowledging else "alert-handle", type="primary")
    if pressed:
        try:
            if acknowledging:
                center.acknowledge(identity, picked, note)
            else:
                center.handle(identity, picked, note)
            st.rerun()
        except center.AlertError as exc:
            st.error(str(exc))
elif identity.role not in center.ACTORS:
    st.caption("数据分析员可查看预警；确认与处置由指挥部领导和本辖区区县工作人员进行。")

st.markdown("###### 处理记录")
ui.table(center.history(picked), hide_index=True, width="stretch")
