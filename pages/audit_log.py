"""审计日志 (administrators only): search who did what to whose data, newest first, and download it."""

import streamlit as st

from portal import exports, ui
from portal.auth import audit, session
from portal.glossary import AUDIT_KINDS
from portal.ui import pickers

identity = session.require({"admin"})
st.title("审计日志")
st.caption("一人一档查看、导出、完整信息查看、采样点标注、核查结果、登录与用户管理等操作的记录；时间为北京时间。")

kinds = sorted(set(audit.kinds_seen()) | set(AUDIT_KINDS))
with st.form("audit-search"):
    c1, c2, c3 = st.columns(3)
    actor = c1.text_input("操作人（含）", key="audit-actor", placeholder="如 指挥长")
    subject = c2.text_input("对象（含）", key="audit-subject", placeholder="如 人员：123、用户：leader")
    chosen = c3.multiselect("事件类型", kinds, key="audit-kinds", format_func=lambda k: AUDIT_KINDS.get(k, k),
                            placeholder="全部类型")
    d1, d2 = st.columns(2)
    first_day = d1.date_input("起始日期", value=None, key="audit-from", format="YYYY-MM-DD")
    last_day = d2.date_input("截止日期", value=None, key="audit-to", format="YYYY-MM-DD")
    st.form_submit_button("查询", type="primary")

if first_day and last_day and first_day > last_day:
    st.error(f"起始日期 {first_day} 晚于截止日期 {last_day}：请调换或重选。")
    st.stop()
found = audit.search(actor, chosen, subject, first_day, last_day)
shown = ui.headed(audit.listing(found, pickers.districts_in("")))
st.markdown(f"##### 共 {len(shown):,} 条（最新在前）")
if len(found) >= audit.SEARCH_LIMIT:
    st.warning(f"只列出最新的 {audit.SEARCH_LIMIT:,} 条：请用日期或其他条件缩小范围。")
st.dataframe(shown, hide_index=True, width="stretch", height=min(600, 35 * (len(shown) + 1) + 3))
exports.download(None, "下载 CSV", lambda: exports.csv_bytes(exports.shown(shown)[0]), audit.export_name(), "csv",
                 "audit-csv", record=lambda: audit.record("audit_export", identity, "audit_log", f"{len(shown):,} 条"))
