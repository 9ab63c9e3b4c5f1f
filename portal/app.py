"""Entry point: `streamlit run portal/app.py`. Sign-in gate, then the pages the role may see."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from portal import session  # noqa: E402
from portal.data import warehouse_ready  # noqa: E402
from warehouse import WarehouseError  # noqa: E402

st.set_page_config(page_title="成都市疫情防控指挥平台", page_icon=":material/shield:", layout="wide")

try:
    warehouse_ready()
except WarehouseError as exc:
    st.error(f"数据仓库不可用：{exc}")
    st.stop()

identity = session.current()
if identity is None:
    pages = [st.Page(str(ROOT / "pages" / "sign_in.py"), title="登录", icon=":material/login:", default=True)]
    pages.append(st.Page(str(ROOT / "pages" / "public_queue.py"), title="采样点排队查询", icon=":material/schedule:"))
else:
    pages = [
        st.Page(str(ROOT / "pages" / "cockpit.py"), title="指挥总览", icon=":material/monitoring:", default=True),
        st.Page(str(ROOT / "pages" / "trajectories.py"), title="轨迹与伴随", icon=":material/route:"),
        st.Page(str(ROOT / "pages" / "contacts.py"), title="密接追踪", icon=":material/account_tree:"),
        st.Page(str(ROOT / "pages" / "zones.py"), title="风险区划定", icon=":material/pentagon:"),
        st.Page(str(ROOT / "pages" / "mass_testing.py"), title="核酸采样调度", icon=":material/biotech:"),
        st.Page(str(ROOT / "pages" / "testing_progress.py"), title="采样进度与检测", icon=":material/science:"),
        st.Page(str(ROOT / "pages" / "public_queue.py"), title="采样点排队查询", icon=":material/schedule:"),
        st.Page(str(ROOT / "pages" / "appeals.py"), title="涉疫诉求", icon=":material/support_agent:"),
        st.Page(str(ROOT / "pages" / "quarantine.py"), title="集中隔离点", icon=":material/hotel:"),
        st.Page(str(ROOT / "pages" / "screening.py"), title="排查专题", icon=":material/fact_check:"),
        st.Page(str(ROOT / "pages" / "person_file.py"), title="一人一档", icon=":material/badge:"),
        st.Page(str(ROOT / "pages" / "briefing.py"), title="每日简报", icon=":material/summarize:"),
        st.Page(str(ROOT / "pages" / "sources.py"), title="数据来源", icon=":material/database:"),
    ]
    with st.sidebar:
        st.markdown(f"**{identity.name}** · {identity.role_label}")
        if identity.scope:
            st.caption(f"管辖范围：{identity.scope}")
        if st.button("退出登录"):
            session.sign_out()
            st.rerun()

st.navigation(pages).run()
