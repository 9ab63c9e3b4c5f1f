"""排查专题: topics and their sources, every source record grouped with its duplicates (排重不去重),
the verification outcomes district operators record, and progress by topic and district."""

import plotly.express as px
import streamlit as st

from portal import ui
from portal.command.skeleton import district_choices
from portal.data import forget_live, page_context
from portal.glossary import SCREENING_OUTCOMES
from portal.people import masking
from portal.tracing import screening
from portal.tracing.screening import DEPARTMENTS
from portal.ui import charts

identity, settings, span, run = page_context()
st.title("排查专题")
depts, districts = dict(DEPARTMENTS), district_choices()
topics = run.live("screening/topics")
if topics.empty:
    st.info("还没有排查专题。")
    st.stop()
names = dict(zip(topics["topic_id"], topics["topic_name"]))
list_tab, records_tab, verify_tab, progress_tab = st.tabs(["专题一览", "专题名单", "核查登记", "核查进度"])

with list_tab:
    view = screening.topic_table(topics, depts)
    st.markdown(f"##### {len(topics)} 个排查专题，来源记录 {int(topics['records'].sum()):,} 条")
    ui.table(view, hide_index=True, width="stretch")
    ui.download_buttons(view, "排查专题", "topics")
    ui.computed_note(run.computed("screening/topics"))

with records_tab:
    topic = st.selectbox("专题", list(names), format_func=lambda t: f"{t} · {names[t]}", key="sc-topic")
    grouped = screening.group_records(run.live("screening/topic_records", topic_id=topic))
    if grouped.empty:
        st.info("该专题在您的管辖范围内没有记录。")
    else:
        dup = grouped[grouped["group_size"] > 1]
        c1, c2, c3 = st.columns(3)
        c1.metric("来源记录（条，全部保留）", f"{len(grouped):,}", border=True)
        c2.metric("排重后人员（组）", f"{grouped['group_no'].nunique():,}", border=True)
        c3.metric("有重复来源的组", f"{dup['group_no'].nunique():,}", border=True)
        ready, homeless = screening.undispatched(identity.scope, topic)
        if ready or homeless:
            note = f"（另有 {homeless} 人无居住地，无法下发，需先补全）" if homeless else ""
            if identity.role in screening.DISPATCHERS and ready:
                if st.button(f"下发到所在街道核查：{ready:,} 人{note}", key="sc-dispatch", type="primary"):
                    sent = screening.dispatch(identity, topic)
                    forget_live()
                    st.session_state["sc-dispatched"] = f"已下发 {sent:,} 人到所在街道核查。"
                    st.rerun()
            else:
                st.caption(f"尚未下发 {ready:,} 人{note}，由指挥部下发。")
        if "sc-dispatched" in st.session_state:
            st.success(st.session_state.pop("sc-dispatched"))
        table = screening.records_view(grouped)
        st.caption("排重不去重：同一人的多条来源记录归为一组、标记重复，全部保留并注明来源部门、批次与源行号；"
                   "每组的下发记录派往所在街道核查。")
        clear = masking.reveal(identity, "screening-records", f"screening_topic:{topic}",
                               f"排查名单（专题 {topic}）：{len(table):,} 条记录的姓名、身份证号码、手机号码")
        ui.table(table, clear, hide_index=True, height=420, width="stretch")
        ui.download_buttons(table, f"排查名单_{names[topic]}", "records", clear)
        ui.computed_note(run.computed("screening/topic_records"))

with verify_tab:
    if identity.role != "district_operator":
        st.info("核查结果由区县工作人员登记本辖区的下发记录；此处可查看核查进度。")
    else:
        topic_v = st.selectbox("专题", list(names), format_func=lambda t: f"{t} · {names[t]}", key="sc-v-topic")
        recs = screening.group_records(run.live("screening/topic_records", topic_id=topic_v))
        # a fixed order, so the chosen record stays chosen after its outcome is saved
        recs = recs[(recs["is_primary"] == 1) & recs["dispatched_at"].notna()].sort_values("record_id")
        if "sc-result" in st.session_state:
            shown_ok, text = st.session_state.pop("sc-result")
            (st.success if shown_ok else st.info)(text)
        if recs.empty:
            st.info("该专题在您的管辖范围内没有已下发的记录。")
        else:
            labels = {int(r.record_id): f"{r.record_id} · {masking.mask_name(r.raw_name)} · {r.street_name}{r.community_name}"
                      f" · {SCREENING_OUTCOMES[r.outcome]}" for r in recs.itertuples()}
            with st.form("outcome-form", clear_on_submit=False):
                record_id = st.selectbox("下发记录", list(labels), format_func=labels.get, key="sc-record")
                outcome = st.radio("核查结果", list(screening.OUTCOMES_TO_RECORD), format_func=SCREENING_OUTCOMES.get,
                                   horizontal=True, key="sc-outcome")
                note = st.text_input("备注（如：已电话确认 2月20日 到访）", key="sc-note", max_chars=200)
                sent = st.form_submit_button("登记核查结果")
            key = st.session_state.setdefault("sc-key", screening.new_key())
            if sent:
                try:
                    result = screening.record_outcome(identity, record_id, outcome, note, key,
                                                      settings.duplicate_window_s)
                except screening.OutcomeRefused as exc:
                    st.error(str(exc))
                else:
                    st.session_state["sc-key"] = screening.new_key()
                    st.session_state["sc-result"] = (result.stored, result.message)
                    forget_live()
                    st.rerun()  # the list and the progress show the new outcome at once

with progress_tab:
    progress = run.live("screening/progress_by_topic_district")
    if progress.empty:
        st.info("您的管辖范围内没有下发记录。")
    else:
        prog = screening.progress_table(progress, districts)
        chart = ui.headed(screening.outcomes_by_topic(prog)).reset_index()
        fig = px.bar(chart.melt(id_vars="topic_name", var_name="核查结果", value_name="人数"), y="topic_name", x="人数",
                     color="核查结果", orientation="h", title="各专题核查进度（人，按下发记录）",
                     labels={"topic_name": "专题"}, height=120 + 26 * len(chart))
        fig.update_yaxes(autorange="reversed", title=None)
        charts.show(st, fig)
        table = prog[["topic_name", "district", "dispatched", "verified", "unreachable", "uncooperative", "awaiting",
                      "escalated", "rate"]]
        ui.table(table, hide_index=True, height=380, width="stretch")
        ui.download_buttons(table, "排查进度", "progress")
        ui.computed_note(run.computed("screening/progress_by_topic_district"))
