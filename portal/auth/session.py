"""Who is using the portal: a session token in the Streamlit session, the identity behind it read
from the user store on every run (once per run: the page and its download buttons ask again and
get the same answer).

Nothing in st.session_state is trusted as an identity: the state holds only a random token, and
current() looks up the live session and the user's present role, scope, unmask flag and active
flag. A changed role, a disabled user or an expired session takes effect on the next run.
"""

from __future__ import annotations

import weakref

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from portal.auth import users
from portal.auth.identity import Identity, identity_of

TOKEN_KEY = "session_token"
NOTICE_KEY = "sign_in_notice"


def ended_message(reason: str) -> str:
    cfg = users.auth_settings()
    return {
        "idle": f"您已超过 {cfg.idle_minutes} 分钟未操作，为保护数据已自动退出，请重新登录。",
        "absolute": f"本次登录已满 {cfg.max_hours} 小时，请重新登录。",
        "disabled": "您的账号已被停用，已退出登录；如有疑问请联系系统管理员。",
        "reset": "您的密码已被重设，请用新密码重新登录。",
    }.get(reason, "登录已失效，请重新登录。")


# the answer of this run, by the run: Streamlit makes a new fragment coordinator at the start of
# every script run (fragment reruns included), so a new run, of any part, reads the store again
_this_run: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _run_key():
    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "parallel_coordinator", None)


def current() -> Identity | None:
    """The signed-in identity, re-derived from the user store once per run; None when nobody is
    signed in.

    A session that ended (expired, user disabled, password reset) is dropped here, and the
    sign-in page says why."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    run = _run_key()
    known = _this_run.get(run) if run is not None else None
    if known is not None and known[0] == token:
        return known[1]
    identity = _look_up(str(token))
    if run is not None and identity is not None:
        _this_run[run] = (token, identity)
    return identity


def _look_up(token: str) -> Identity | None:
    found = users.session_user(token)
    if found.user is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state[NOTICE_KEY] = ended_message(found.ended or "unknown")
        return None
    return identity_of(found.user)


def require(roles: set[str] | None = None) -> Identity:
    """The signed-in identity for a page; stops the page with a message when nobody is signed in,
    or when the role may not open it."""
    identity = current()
    if identity is None:
        st.warning(st.session_state.pop(NOTICE_KEY, None) or "请先登录。")
        st.stop()
    if roles is not None and identity.role not in roles:
        st.error(f"“{identity.role_label}”角色无权打开此页面。")
        st.stop()
    return identity


def sign_in(username: str, password: str) -> Identity:
    """Check the password and start a session; raises users.SignInRefused with the page's message."""
    token = users.authenticate(username, password)
    st.session_state[TOKEN_KEY] = token
    st.session_state.pop(NOTICE_KEY, None)
    return identity_of(users.session_user(token).user)


def sign_in_single_sign_on(claims: dict) -> Identity:
    """Start a session for the portal user an identity provider vouches for (see users.for_single_sign_on)."""
    user = users.for_single_sign_on(claims)
    st.session_state[TOKEN_KEY] = users.open_session(user, "sso")
    st.session_state.pop(NOTICE_KEY, None)
    return identity_of(user)


def sign_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        users.end_session(str(token), "sign_out")
    st.session_state[NOTICE_KEY] = "您已退出登录。"
