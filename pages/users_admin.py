"""用户管理 (administrators only): list, add, disable and enable users, grant unmasking, reset passwords."""

import pandas as pd
import streamlit as st

from portal import ui
from portal.auth import session, users
from portal.glossary import ROLES

identity = session.require({"admin"})
st.title("用户管理")

shown_once = st.session_state.pop("users-password", None)
if shown_once:
    st.success(f"{ui.text(shown_once[0])} 的初始密码（只显示这一次，请妥善转交）：")
    st.code(shown_once[1], language=None)

everyone = users.all_users()
st.dataframe(pd.DataFrame([{
    "用户名": u.username, "显示名": u.display_name, "角色": u.role_label, "管辖范围": u.scope or "全市",
    "完整信息": "可查看" if u.can_unmask else "否", "状态": "启用" if u.active else "停用", "邮箱": u.email or "",
} for u in everyone]), hide_index=True, width="stretch")

with st.expander("添加用户", expanded=not everyone):
    with st.form("users-add", clear_on_submit=False):
        c1, c2 = st.columns(2)
        username = c1.text_input("用户名", key="users-new-name", placeholder="如 wangwei")
        display = c2.text_input("显示名", key="users-new-display", placeholder="如 王伟")
        role = c1.selectbox("角色", list(ROLES), format_func=ROLES.get, key="users-new-role")
        scope = c2.text_input("管辖范围（区县工作人员必填；显示屏留空为全市）", key="users-new-scope",
                              placeholder="6 位区县或 9 位街道代码，如 510104（锦江区）")
        email = c1.text_input("单点登录邮箱（可选）", key="users-new-email")
        unmask = c2.checkbox("可查看完整个人信息", key="users-new-unmask")
        added = st.form_submit_button("添加", type="primary")
    if added:
        password = users.generate_password()
        try:
            user = users.add(username, display, role, scope, password, can_unmask=unmask, email=email or None,
                             by=identity)
        except users.UserError as exc:
            st.error(str(exc))
        else:
            st.session_state["users-password"] = (user.username, password)
            st.rerun()

with st.expander("停用、启用、授权、重设密码", expanded=bool(everyone)):
    if not everyone:
        st.caption("还没有用户。")
        st.stop()
    picked = st.selectbox("用户", [u.username for u in everyone], key="users-pick",
                          format_func=lambda n: next(f"{u.username}（{u.display_name}）" for u in everyone if u.username == n))
    user = next(u for u in everyone if u.username == picked)
    c1, c2, c3 = st.columns(3)
    if user.active and c1.button("停用", key="users-disable"):
        if user.username == identity.username:
            st.error("不能停用自己正在使用的账号。")
        else:
            users.set_active(user.username, False, by=identity)
            st.rerun()
    if not user.active and c1.button("启用", key="users-enable"):
        users.set_active(user.username, True, by=identity)
        st.rerun()
    if c2.button("取消查看完整信息" if user.can_unmask else "授予查看完整信息", key="users-unmask"):
        users.set_unmask(user.username, not user.can_unmask, by=identity)
        st.rerun()
    if c3.button("重设密码", key="users-reset"):
        password = users.generate_password()
        users.set_password(user.username, password, by=identity)
        st.session_state["users-password"] = (user.username, password)
        st.rerun()
