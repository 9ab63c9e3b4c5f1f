"""Sign-in: username and password (and single sign-on where an identity provider is configured)."""

import streamlit as st

from portal.auth import session, users
from portal.auth.sso import claims_of_signed_in_user, single_sign_on_configured
from portal.errors import EpiError
from portal.ui.warm import warm_browser

st.title("成都市疫情防控指挥平台")
warm_slot = st.empty()  # the off-screen warm-up, drawn below unless this run signs in
st.caption("蓉疫控 · 请使用系统管理员分配的账号登录")

notice = st.session_state.pop(session.NOTICE_KEY, None)
if notice:
    st.info(notice)

with st.form("sign_in", enter_to_submit=True):
    username = st.text_input("用户名", autocomplete="username")
    password = st.text_input("密码", type="password", autocomplete="current-password")
    submitted = st.form_submit_button("登录", type="primary")

if submitted:
    try:
        session.sign_in(username, password)
    except EpiError as refused:
        st.error(str(refused))
    else:
        st.rerun()

warm_browser(warm_slot)  # the cockpit's chart, map and table code starts while the password is typed

if single_sign_on_configured():
    st.divider()
    claims = claims_of_signed_in_user()
    # straight back from the provider: sign in; after an expiry or a sign-out, only on request
    if claims is not None and (not notice or st.button("单点登录", icon=":material/key:")):
        try:
            session.sign_in_single_sign_on(claims)
        except users.SignInRefused as refused:
            st.error(str(refused))
            if st.button("退出单点登录"):
                st.logout()
        else:
            st.rerun()
    elif claims is None and st.button("单点登录", icon=":material/key:"):
        st.login()
