"""Sign-in: choose who you are for this demo deployment (role and jurisdiction)."""

import streamlit as st

from portal import session
from portal.glossary import ROLES
from portal.skeleton import district_choices

st.title("成都市疫情防控指挥平台")
st.caption("蓉疫控 · 演示环境登录")

with st.form("sign_in"):
    name = st.text_input("姓名", value="值班员")
    role = st.selectbox("角色", list(ROLES), format_func=ROLES.get)
    districts = district_choices()
    district = st.selectbox("管辖区（区县工作人员）", list(districts), format_func=districts.get)
    submitted = st.form_submit_button("进入平台", type="primary")

if submitted:
    if not name.strip():
        st.error("请填写姓名。")
    else:
        scope = district if role == "district_operator" else ""
        session.sign_in(session.Identity(name.strip(), role, scope))
        st.rerun()
