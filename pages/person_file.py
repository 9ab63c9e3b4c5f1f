"""一人一档: find a person by ID number, phone or name (masked results), then one page with the
basics, residence, special-population flags and one timeline of everything known; every view
is written to the audit log."""

import streamlit as st

from portal import ui
from portal.auth import audit
from portal.data import page_context
from portal.glossary import HEALTH_CODES, SEARCH_KINDS, TIMELINE_KINDS
from portal.people import masking, person_file
from portal.people.matching import SearchRefused

identity, settings, span, run = page_context()
st.title("一人一档")

with st.form("pf-search"):
    text = st.text_input("身份证号码、手机号码或姓名", key="pf-text", placeholder="如 51010419960317001X、138 0013 8000、张伟")
    asked = st.form_submit_button("查询")
if asked:
    try:
        wanted, found = person_file.search(run, text)
    except SearchRefused as exc:
        st.session_state.pop("pf-found", None)
        st.error(str(exc))
    else:
        st.session_state["pf-found"] = (wanted, found)
        st.session_state["pf-search-no"] = st.session_state.get("pf-search-no", 0) + 1

if "pf-found" not in st.session_state:
    st.caption("按身份证号码（自动校验校验位，支持 15 位旧号码）、手机号码（可带 +86、空格）或姓名精确查询；结果脱敏显示。")
    st.stop()
wanted, found = st.session_state["pf-found"]
if found.empty:
    st.warning(f"您的管辖范围内没有{SEARCH_KINDS[wanted.kind]}为“{ui.text(person_file.shown_value(wanted))}”的人员。")
    st.stop()
results = person_file.search_table(found)
st.markdown(f"##### 按{SEARCH_KINDS[wanted.kind]}找到 {len(found):,} 人")
if len(found) >= person_file.SEARCH_CAP:
    st.warning(f"同名人员较多，仅列出前 {person_file.SEARCH_CAP} 人；请改用身份证号码或手机号码查询。")
listed = masking.shown(results)
ui.table(listed, hide_index=True, height=ui.fit_height(listed, 240), width="stretch")
labels = {int(r["人员编号"]): f"{r['姓名']} · {r['身份证号码']} · {r['居住社区']}" for _, r in listed.iterrows()}
person_id = st.selectbox("查看档案", list(labels), format_func=labels.get, key="pf-person")

basics = run("person/basics", person_id=person_id)
if basics.empty:
    st.error("该人员不在您的管辖范围内。")
    st.stop()
b = basics.iloc[0]
events = run.live("person/timeline", person_id=person_id)
# one audit row per file opened from a search; reruns of the same view (a filter) add none
opened = (st.session_state.get("pf-search-no", 0), person_id)
if st.session_state.get("pf-audited") != opened:
    person_file.record_view(identity, person_id, f"search by {wanted.kind}")
    st.session_state["pf-audited"] = opened

clear = masking.reveal(identity, "person-file", f"person:{int(person_id)}",
                       "一人一档：姓名、身份证号码、手机号码、小区与户号")
st.subheader(f"{ui.text(masking.value(b['person_name'], masking.mask_name, clear))} 的档案")
ui.whole_metrics()
c1, c2, c3 = st.columns(3)
c1.metric("当前健康码", HEALTH_CODES.get(b["health_code"], b["health_code"]), border=True)
c2.metric("病例状态", person_file.words(b["case_status"]) or "非病例", border=True)
c3.metric("时间线（项）", f"{len(events):,}", border=True)
# masked values go in code spans (their stars must not pair up into Markdown emphasis), other
# data values are escaped: nothing a value holds is read as Markdown
st.markdown(f"**身份证号码**：{ui.code(masking.value(b['id_number'], masking.mask_id, clear))}　"
            f"**手机号码**：{ui.code(masking.value(b['phone'], masking.mask_phone, clear))}　"
            f"**性别 / 出生年份**：{'男' if b['sex'] == 'male' else '女'} / {b['birth_date']:%Y}  \n"
            f"**居住地**：{ui.text(b['district_name'])} {ui.text(b['street_name'])} {ui.text(b['community_name'])} "
            f"{ui.code(masking.value(b['compound_name'], masking.mask_address, clear))}"
            f"（户号 {ui.code(masking.value(int(b['household_id']), masking.mask_address, clear))}）  \n"
            f"**特殊人群**：{'、'.join(person_file.flags(b)) or '无'}")
counts = person_file.counts(events)
st.caption(" · ".join(f"{k} {v}" for k, v in counts.items()) + "。涉疫诉求未登记身份证号码，无法关联到个人。")

kinds = st.multiselect("类别", list(TIMELINE_KINDS), format_func=TIMELINE_KINDS.get, key="pf-kinds", placeholder="全部类别")
timeline = person_file.timeline(events[events["kind"].isin(kinds)] if kinds else events)
st.markdown(f"##### 时间线（{len(timeline):,} 项）")
ui.table(timeline, hide_index=True, height=ui.fit_height(timeline, 520), width="stretch")
ui.download_buttons(timeline, f"一人一档_{person_id}", "pf-timeline")
ui.computed_note(run.computed("person/timeline"))
with st.expander("查看记录（审计）"):
    views = audit.shown("person_file_view", f"person:{person_id}", limit=20)
    st.dataframe(ui.headed(views[["at", "actor", "role", "scope", "detail"]]), hide_index=True, width="stretch")
