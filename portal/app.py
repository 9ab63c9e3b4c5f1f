"""Entry point: `streamlit run portal/app.py`. Sign-in gate, then the pages the role may see."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from portal import ui  # noqa: E402
from portal.auth import access, session  # noqa: E402
from portal.auth.sso import sign_out_of_provider  # noqa: E402
from portal.command import warm  # noqa: E402
from portal.data import warehouse_ready  # noqa: E402
from portal.errors import EpiError, WarehouseError  # noqa: E402
from portal.turns import page_turn  # noqa: E402
from portal.ui import pickers  # noqa: E402

# the tab shows the portal's own icon, a file here (a material icon would be fetched from Google's
# servers, which the command centre's network does not reach); each page names itself in it
TITLE = "成都市疫情防控指挥平台"
st.set_page_config(page_title=TITLE, page_icon=str(ROOT / "portal" / "favicon.png"), layout="wide")


def jurisdiction_name(scope: str) -> str:
    """The jurisdiction as a person reads it: 锦江区, or 锦江区 · 春熙路街道 for a street."""
    from portal.data import QueryRunner, data_range
    from portal.ui import drill

    run = QueryRunner(scope, data_range(scope)["data_version"])
    return " · ".join(name for _, name in drill.names_of(run, scope)[1:]) or scope


def page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(str(ROOT / "pages" / file), title=title, icon=f":material/{icon}:", default=default)


# the whole run, sign-in gate included, in turn with the other sessions' runs (portal/turns.py)
with page_turn():
    try:
        warehouse_ready()
    except EpiError as exc:
        st.error(f"数据仓库不可用：{exc}")
        st.stop()
    warm.start_once()  # the first visitor's sign-in page: the city's cockpit computed meanwhile

    identity = session.current()
    if identity is None:
        pages = [page("sign_in.py", "登录", "login", default=True), page("public_queue.py", "采样点排队查询", "schedule")]
    else:
        # grouped by line of work, only the pages the role may open (portal/auth/access.py); every
        # page stays listed (expanded), there are more than twelve; the first page opens first
        menu = access.menu_for(identity)
        first = next(iter(menu.values()))[0][0]
        pages = {group: [page(file, title, icon, default=file == first) for file, title, icon in listed]
                 for group, listed in menu.items()}
    if identity is not None:
        with st.sidebar:
            st.markdown(f"**{ui.text(identity.name)}** · {identity.role_label}")
            if identity.scope:
                st.caption(f"管辖范围：{ui.text(jurisdiction_name(identity.scope))}")
            # the date in view: the page's picker names it here once it is drawn (portal/ui/pickers.py)
            st.session_state.pop(pickers.SHOWN_KEY, None)
            st.session_state.pop(pickers.SLOT_KEY, None)
            if identity.role in access.DATA_ROLES:
                st.session_state[pickers.SLOT_KEY] = st.empty()
                pickers.show_in_sidebar(pickers.session_day())
            if st.button("退出登录"):
                session.sign_out()
                sign_out_of_provider()
                st.rerun()

    try:
        shown = st.navigation(pages, expanded=True)
        st.set_page_config(page_title=f"{shown.title} · {TITLE}")
        shown.run()
    except EpiError as exc:
        # an error meant for a person that the page itself did not catch: its one sentence, no trace
        if isinstance(exc, WarehouseError):  # a query the warehouse could not finish (time limit, lost server)
            st.error(f"数据仓库未能完成本页的查询（{str(exc)[:160]}）。请缩小范围（选择区县、街道或更短的日期）后重试；"
                     "如仍出现，请联系系统管理员。")
        else:
            st.error(str(exc))
