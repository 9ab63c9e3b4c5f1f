"""Which pages each role may open: the one table the portal's menu is drawn from and the pages'
own refusals read, so a page listed for a role opens for it and a page that refuses a role is not
listed for it (tests/test_menus.py renders every page for every role)."""

from __future__ import annotations

from portal.auth.identity import Identity

DATA_ROLES = frozenset({"leadership", "analyst", "district_operator"})
ADMIN = frozenset({"admin"})

# the menu: group → (page file, title, icon); the first page of the first group opens first
MENU: dict[str, list[tuple[str, str, str]]] = {
    "指挥": [("cockpit.py", "指挥总览", "monitoring"), ("briefing.py", "每日简报", "summarize"),
           ("outlook.py", "疫情研判", "trending_up"), ("alerts.py", "预警中心", "notifications_active"),
           ("big_screen.py", "指挥大屏", "tv")],
    "流调溯源": [("trajectories.py", "轨迹与伴随", "route"), ("contacts.py", "密接追踪", "account_tree"),
             ("screening.py", "排查专题", "fact_check"), ("person_file.py", "一人一档", "badge")],
    "风险区与管控": [("zones.py", "风险区划定", "pentagon"), ("quarantine.py", "集中隔离点", "hotel"),
               ("appeals.py", "涉疫诉求", "support_agent")],
    "核酸检测": [("mass_testing.py", "核酸采样调度", "biotech"), ("testing_progress.py", "采样进度与检测", "science"),
             ("public_queue.py", "采样点排队查询", "schedule")],
    "系统管理": [("users_admin.py", "用户管理", "manage_accounts"), ("audit_log.py", "审计日志", "history")],
    "数据": [("sources.py", "数据来源", "database"), ("adhoc.py", "自助分析", "query_stats")],
}

# who may open each page; CITY_ONLY pages hold records of the whole city, so a user with a
# jurisdiction (a district operator) may not open them whatever the role
ROLES_OF: dict[str, frozenset[str]] = {
    **{file: DATA_ROLES for group in MENU.values() for file, _, _ in group},
    "users_admin.py": ADMIN,
    "audit_log.py": ADMIN,
    "sources.py": frozenset({"leadership", "analyst", "admin"}),  # an administrator loads files there
    # the wall display: totals only, no person; the display role (显示屏) may open nothing else
    "big_screen.py": DATA_ROLES | {"display"},
}
CITY_ONLY = frozenset({"sources.py"})
# open to anyone, signed in or not (listed for the data roles and before sign-in)
PUBLIC = frozenset({"public_queue.py"})
# pages that refuse in their own words (the others are refused by portal.data.page_context)
OWN_REFUSAL = frozenset({"sources.py", "adhoc.py", "users_admin.py", "audit_log.py"})
CITY_ONLY_REFUSAL = "数据来源记录全市各部门报送的文件及其原始行，仅市级角色（指挥部领导、数据分析员）可查看。"


def may_open(identity: Identity, page: str) -> bool:
    return identity.role in ROLES_OF[page] and not (page in CITY_ONLY and identity.scope)


def menu_for(identity: Identity) -> dict[str, list[tuple[str, str, str]]]:
    """The menu groups with the pages this identity may open (empty groups left out)."""
    shown = {group: [p for p in pages if may_open(identity, p[0])] for group, pages in MENU.items()}
    return {group: pages for group, pages in shown.items() if pages}
