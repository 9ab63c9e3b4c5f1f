"""Sign-in, session checks on every run, and the administrator's pages (AppTest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from signing import TEST_PASSWORD, put_identity, user_for
from sqlalchemy import insert, update
from streamlit.testing.v1 import AppTest

from portal.auth import audit, users
from portal.auth.session import TOKEN_KEY, Identity
from portal.auth.store import engine as store_engine

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "portal" / "app.py")
SIGN_IN_TITLE = "成都市疫情防控指挥平台"


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def app(who: Identity | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    put_identity(at, who)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def page(name: str, identity: Identity) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    put_identity(at, identity)
    return at.run()


def sidebar(at) -> list[str]:
    return [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]


def test_a_password_signs_in_and_a_wrong_one_gets_one_message(tiny_warehouse):
    user = user_for(Identity("王伟", "analyst", ""))
    at = app()
    at.text_input[0].set_value(user.username)
    at.text_input[1].set_value("Not-the-password-1")
    at.button[0].click().run()
    assert at.error[0].value == "用户名或密码不正确。"
    assert at.title[0].value == SIGN_IN_TITLE
    at.text_input[1].set_value(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "指挥总览"
    assert sidebar(at)[0] == "**王伟** · 数据分析员"
    at.sidebar.button[0].click().run()  # 退出登录
    assert at.title[0].value == SIGN_IN_TITLE and at.info[0].value == "您已退出登录。"
    assert list(audit.search(subject=f"user:{user.username}")["kind"]) == ["sign_out", "sign_in", "sign_in_failed", "user_add"]


def test_a_forged_identity_in_the_session_state_is_not_trusted(tiny_warehouse):
    forged = Identity("伪造", "leadership", "")
    at = app(None, identity=forged)  # no session token: an identity object alone opens nothing
    assert at.title[0].value == SIGN_IN_TITLE
    at = app(None, **{TOKEN_KEY: "made-up-token"})
    assert at.title[0].value == SIGN_IN_TITLE and at.info[0].value == "登录已失效，请重新登录。"
    # a district operator's real session with a leader's identity and another scope written beside it
    at = app(Identity("锦江", "district_operator", "510104"), identity=forged, scope="", role="leadership")
    assert at.title[0].value == "指挥总览"
    assert sidebar(at) == ["**锦江** · 区县工作人员", "管辖范围：锦江区", "统计日期 2022年3月20日（截至24时）"]
    assert any("锦江区" in s.value for s in at.subheader)
    at = page("trajectories.py", Identity("锦江", "district_operator", "510104"))
    assert not at.exception


def test_a_disabled_user_is_signed_out_on_the_next_run(tiny_warehouse):
    identity = Identity("将停用", "leadership", "")
    at = app(identity)
    assert at.title[0].value == "指挥总览"
    users.set_active(users.get(users_name(identity)).username, False)
    at.run()
    assert at.title[0].value == SIGN_IN_TITLE
    assert at.info[0].value == "您的账号已被停用，已退出登录；如有疑问请联系系统管理员。"
    assert TOKEN_KEY not in at.session_state


def test_a_changed_role_and_scope_apply_on_the_next_run(tiny_warehouse):
    identity = Identity("调岗", "analyst", "")
    at = app(identity)
    assert sidebar(at) == ["**调岗** · 数据分析员", "统计日期 2022年3月20日（截至24时）"]
    users.set_role(users_name(identity), "district_operator", "510107", scope_exists=None)
    at.run()
    assert sidebar(at) == ["**调岗** · 区县工作人员", "管辖范围：武侯区", "统计日期 2022年3月20日（截至24时）"]
    users.set_role(users_name(identity), "admin", "")
    at.run()
    assert at.title[0].value == "用户管理"


def test_an_idle_session_is_signed_out_with_a_message(tiny_warehouse, monkeypatch):
    monkeypatch.setenv("EPI_SESSION_IDLE_MINUTES", "30")
    at = app(Identity("久未操作", "leadership", ""))
    assert at.title[0].value == "指挥总览"
    with store_engine().begin() as conn:
        conn.execute(update(users.sessions).values(
            last_seen_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=31)))
    at.run()
    assert at.title[0].value == SIGN_IN_TITLE
    assert at.info[0].value == "您已超过 30 分钟未操作，为保护数据已自动退出，请重新登录。"
    # a page run without a session shows nothing but the request to sign in
    stale = AppTest.from_file(str(ROOT / "pages" / "cockpit.py"), default_timeout=120).run()
    assert stale.warning[0].value == "请先登录。" and not stale.metric and not stale.exception


def test_lockout_message_on_the_sign_in_page(tiny_warehouse, monkeypatch):
    monkeypatch.setenv("EPI_LOCKOUT_FAILURES", "2")
    monkeypatch.setenv("EPI_LOCKOUT_MINUTES", "15")
    user = user_for(Identity("锁定", "analyst", ""))
    at = app()
    at.text_input[0].set_value(user.username)
    at.text_input[1].set_value("Not-the-password-1")
    at.button[0].click().run()
    at.button[0].click().run()
    assert at.error[0].value.startswith("连续 2 次登录失败，该账号已暂时锁定，请于 ")
    at.text_input[1].set_value(TEST_PASSWORD)
    at.button[0].click().run()
    assert at.error[0].value.startswith("连续 2 次登录失败") and at.title[0].value == SIGN_IN_TITLE


@pytest.mark.parametrize("role,scope", [("leadership", ""), ("analyst", ""), ("district_operator", "510104")])
def test_only_an_administrator_opens_the_admin_pages(tiny_warehouse, role, scope):
    for name, title in [("audit_log.py", "审计日志"), ("users_admin.py", "用户管理")]:
        at = page(name, Identity("非管理员", role, scope))
        assert not at.exception and not at.title and not at.dataframe
        assert at.error[0].value.endswith("角色无权打开此页面。")
        assert page(name, Identity("管理员", "admin", "")).title[0].value == title
    at = app(Identity("非管理员", role, scope))
    assert at.title[0].value == "指挥总览"
    admin = app(Identity("管理员", "admin", ""))
    assert admin.title[0].value == "用户管理" and not admin.metric


def at_time(kind: str, actor: str, subject: str, when: dt.datetime) -> None:
    with store_engine().begin() as conn:
        conn.execute(insert(audit.events).values(at=when, kind=kind, actor=actor, role="analyst", scope="",
                                                 subject=subject, detail=""))


def test_the_audit_page_filters_and_lists_newest_first(tiny_warehouse):
    utc = dt.timezone.utc
    # 2022-03-01 23:30 Beijing is 15:30 UTC on the same day; 2022-03-02 00:30 Beijing is 16:30 UTC on the 1st
    at_time("person_file_view", "王伟", "person:11", dt.datetime(2022, 3, 1, 15, 30, tzinfo=utc))
    at_time("person_file_view", "王伟", "person:12", dt.datetime(2022, 3, 1, 16, 30, tzinfo=utc))
    at_time("screening_outcome", "李娜", "screening_record:5", dt.datetime(2022, 3, 2, 2, 0, tzinfo=utc))
    at_time("person_file_view", "李娜", "person:11", dt.datetime(2022, 3, 3, 1, 0, tzinfo=utc))
    at = page("audit_log.py", Identity("管理员", "admin", ""))
    table = at.dataframe[0].value
    assert list(table.columns) == ["编号", "时间", "事件", "操作人", "角色", "管辖范围", "对象", "说明"]
    # newest first: the admin's own sign-in and account, then the four events
    assert list(table["事件"])[:2] == ["登录", "添加用户"]
    assert list(table["对象"])[2:] == ["人员：11", "排查记录：5", "人员：12", "人员：11"]
    at.text_input(key="audit-actor").set_value("王")
    at.button[0].click().run()
    assert list(at.dataframe[0].value["时间"]) == ["2022-03-02 00:30:00", "2022-03-01 23:30:00"]
    at.text_input(key="audit-actor").set_value("")
    at.multiselect(key="audit-kinds").set_value(["person_file_view"])
    at.text_input(key="audit-subject").set_value("人员：11")  # as the log shows it
    at.button[0].click().run()
    assert list(at.dataframe[0].value["操作人"]) == ["李娜", "王伟"]
    assert set(at.dataframe[0].value["事件"]) == {"查看一人一档"}
    at.text_input(key="audit-subject").set_value("")
    at.multiselect(key="audit-kinds").set_value([])
    at.date_input(key="audit-from").set_value(dt.date(2022, 3, 2))
    at.date_input(key="audit-to").set_value(dt.date(2022, 3, 2))
    at.button[0].click().run()
    assert list(at.dataframe[0].value["对象"]) == ["排查记录：5", "人员：12"]
    assert at.markdown[0].value == "##### 共 2 条（最新在前）"
    at.date_input(key="audit-from").set_value(dt.date(2022, 3, 3))
    at.button[0].click().run()
    assert at.error[0].value == "起始日期 2022-03-03 晚于截止日期 2022-03-02：请调换或重选。"
    assert [b.label for b in at.get("download_button")] == []



def test_the_audit_log_shows_no_id_number_or_phone_typed_into_a_query(tiny_warehouse):
    """An ad-hoc query's conditions are written to the audit log as asked; the log shows (and
    downloads) the ID numbers and phones in them masked, like every other personal text."""
    audit.record("export", Identity("王伟", "analyst", ""), "adhoc:person",
                 "csv rows=1 of 1; person id_number = 510104199603170012; phone = +86 139-1234-5678")
    at = page("audit_log.py", Identity("管理员", "admin", ""))
    detail = at.dataframe[0].value.set_index("对象").loc["自助分析：person", "说明"]
    assert detail == "csv rows=1 of 1; person id_number = 510104********0012; phone = 139****5678"

def test_the_users_page_adds_and_disables(tiny_warehouse):
    admin = Identity("管理员", "admin", "")
    at = page("users_admin.py", admin)
    at.text_input(key="users-new-name").set_value("zhaoliu")
    at.text_input(key="users-new-display").set_value("赵六")
    at.selectbox(key="users-new-role").set_value("district_operator")
    at.text_input(key="users-new-scope").set_value("510199")
    at.button[0].click().run()
    assert at.error[0].value == "管辖范围“510199”不在数据仓库的区划中：请核对区（市）县或街道代码。"
    at.text_input(key="users-new-scope").set_value("510104001")
    at.button[0].click().run()
    assert at.success[0].value == "zhaoliu 的初始密码（只显示这一次，请妥善转交）："
    password = at.code[0].value
    assert users.session_user(users.authenticate("zhaoliu", password)).user.scope == "510104001"
    at.run()
    assert not at.code  # shown once
    at.selectbox(key="users-pick").set_value("zhaoliu")
    at.button(key="users-disable").click().run()
    assert not users.get("zhaoliu").active
    row = at.dataframe[0].value.set_index("用户名").loc["zhaoliu"]
    assert (row["状态"], row["管辖范围"]) == ("停用", "510104001")
    assert audit.search(kinds=["user_disable"])["actor"].tolist() == ["管理员"]


def users_name(identity: Identity) -> str:
    from signing import username_for

    return username_for(identity)


AUTH = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-cookie-secret",
                 "client_id": "portal", "client_secret": "secret",
                 "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}}


def sso_app(user: dict, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets = dict(secrets or {})
    at.user = user
    return at.run()


def test_single_sign_on_button_only_when_configured(tiny_warehouse):
    assert "单点登录" not in [b.label for b in sso_app({"is_logged_in": False}).button]
    at = sso_app({"is_logged_in": False}, AUTH)
    assert [b.label for b in at.button] == ["登录", "单点登录"]


def test_single_sign_on_maps_the_provider_user_to_a_portal_user(tiny_warehouse):
    users.add("zhouqi", "周七", "district_operator", "510107", TEST_PASSWORD, email="zhou.qi@chengdu.example",
              scope_exists=None)
    at = sso_app({"is_logged_in": True, "email": "Zhou.Qi@chengdu.example", "name": "Zhou Qi"}, AUTH)
    assert not at.exception and at.title[0].value == "指挥总览"
    assert sidebar(at) == ["**周七** · 区县工作人员", "管辖范围：武侯区", "统计日期 2022年3月20日（截至24时）"]
    assert audit.search(kinds=["sign_in"])["detail"].tolist() == ["单点登录"]
    stranger = sso_app({"is_logged_in": True, "email": "stranger@example.org"}, AUTH)
    assert stranger.title[0].value == SIGN_IN_TITLE
    assert stranger.error[0].value == ("单点登录账号 stranger@example.org 尚未在本平台开通："
                                       "请联系系统管理员用邮箱 stranger@example.org 开通账号。")
    assert "退出单点登录" in [b.label for b in stranger.button]
