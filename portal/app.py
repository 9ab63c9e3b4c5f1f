"""Entry point: `streamlit run portal/app.py`. Sign-in gate, then the pages the role may see."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from portal import ui  # noqa: E402
from portal.auth import session  # noqa: E402
from portal.auth.sso import sign_out_of_provider  # noqa: E402
from portal.data import warehouse_ready  # noqa: E402
from portal.errors import EpiError, WarehouseError  # noqa: E402

st.set_page_config(page_title="成都市疫情防控指挥平台", page_icon=":material/shield:", layout="wide")

try:
    warehouse_ready()
except EpiError as exc:
    st.error(f"数据仓库不可用：{exc}")
    st.stop()



def page(file: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(str(ROOT / "pages" / file), title=title, icon=f":material/{icon}:", default=default)


identity = session.current()
if identity is None:
    pages = [page("sign_in.py", "登录", "login", default=True), page("public_queue.py", "采样点排队查询", "schedule")]
elif identity.role == "admin":
    # accounts and the audit trail; an administrator's account does not open the data pages
    pages = {"系统管理": [page("users_admin.py", "用户管理", "manage_accounts", default=True),
                      page("audit_log.py", "审计日志", "history")]}
else:
    # grouped by line of work; every page stays listed (expanded), there are more than twelve
    pages = {
        "指挥": [page("cockpit.py", "指挥总览", "monitoring", default=True),
                 page("briefing.py", "每日简报", "summarize"), page("outlook.py", "疫情研判", "trending_up"),
                 page("alerts.py", "预警中心", "notifications_active")],
        "流调溯源": [page("trajectories.py", "轨迹与伴随", "route"), page("contacts.py", "密接追踪", "account_tree"),
                 page("screening.py", "排查专题", "fact_check"), page("person_file.py", "一人一档", "badge")],
        "风险区与管控": [page("zones.py", "风险区划定", "pentagon"), page("quarantine.py", "集中隔离点", "hotel"),
                   page("appeals.py", "涉疫诉求", "support_agent")],
        "核酸检测": [page("mass_testing.py", "核酸采样调度", "biotech"),
                 page("testing_progress.py", "采样进度与检测", "science"),
                 page("public_queue.py", "采样点排队查询", "schedule")],
        "数据": [page("sources.py", "数据来源", "database"), page("adhoc.py", "自助分析", "query_stats")],
    }
if identity is not None:
    with st.sidebar:
        st.markdown(f"**{ui.text(identity.name)}** · {identity.role_label}")
        if identity.scope:
            st.caption(f"管辖范围：{identity.scope}")
        if st.button("退出登录"):
            session.sign_out()
            sign_out_of_provider()
            st.rerun()

try:
    st.navigation(pages, expanded=True).run()
except EpiError as exc:
    # an error meant for a person that the page itself did not catch: its one sentence, no trace
    if isinstance(exc, WarehouseError):  # a query the warehouse could not finish (time limit, lost server)
        st.error(f"数据仓库未能完成本页的查询（{str(exc)[:160]}）。请缩小范围（选择区县、街道或更短的日期）后重试；"
                 "如仍出现，请联系系统管理员。")
    else:
        st.error(str(exc))
