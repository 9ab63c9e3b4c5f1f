"""Users, passwords, lock-out and sessions in the store; the admin command line; single sign-on mapping."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.auth import admin, audit, users
from portal.auth.store import engine as store_engine

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
PASSWORD = "Ganjiang-2022-safe"


@pytest.fixture
def store(tmp_path, monkeypatch):
    """An empty store of its own for each test."""
    path = tmp_path / "audit.sqlite"
    monkeypatch.setenv("EPI_PORTAL_DB", f"sqlite:///{path}")
    for name in ("EPI_LOCKOUT_FAILURES", "EPI_LOCKOUT_MINUTES", "EPI_SESSION_IDLE_MINUTES", "EPI_SESSION_MAX_HOURS"):
        monkeypatch.delenv(name, raising=False)
    return path


def stored(username: str):
    with store_engine().connect() as conn:
        return conn.execute(select(users.users).where(users.users.c.username == username)).one()


def test_passwords_are_argon2_hashes_and_verify(store):
    users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    row = stored("wangwei")
    assert row.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert users.verify_password(row.password_hash, PASSWORD)
    assert not users.verify_password(row.password_hash, PASSWORD + "x")
    # the same password hashes differently each time (salted)
    assert users.hash_password(PASSWORD) != users.hash_password(PASSWORD)
    token = users.authenticate("WangWei ", PASSWORD)  # usernames are not case-sensitive
    assert users.session_user(token).user.username == "wangwei"
    # nothing in the store holds the password or the session token in clear
    raw = store.read_bytes()
    assert PASSWORD.encode() not in raw and token.encode() not in raw


def test_a_hash_with_other_costs_is_remade_at_sign_in(store):
    from argon2 import PasswordHasher
    from sqlalchemy import update

    users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    old = PasswordHasher().hash(PASSWORD)  # the library's default costs: 64 MiB, 3 passes, 4 lanes
    with store_engine().begin() as conn:
        conn.execute(update(users.users).where(users.users.c.username == "wangwei").values(password_hash=old))
    assert users.session_user(users.authenticate("wangwei", PASSWORD)).user.username == "wangwei"
    remade = stored("wangwei").password_hash
    assert remade.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and remade != old
    assert users.verify_password(remade, PASSWORD)


def test_password_policy_says_what_is_wrong(store):
    cases = {"short1": "密码太短：至少 10 位，当前 6 位。", "abcdefghijkl": "密码需同时包含字母和数字。",
             "aaaa1111aaaa": "密码重复字符太多：至少用 5 个不同的字符。",
             "zhangsan2022x": "密码不能包含用户名。", " Leading-space-1": "密码首尾不能是空格。"}
    for password, message in cases.items():
        with pytest.raises(users.UserError) as refused:
            users.add("zhangsan", "张三", "analyst", "", password)
        assert str(refused.value) == message
    assert users.count() == 0
    generated = users.generate_password()
    users.check_password(generated, "zhangsan")
    assert len(generated) == 16


def test_wrong_password_and_unknown_user_get_the_same_message(store):
    users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    for name, password in [("wangwei", "Wrong-password-1"), ("nobody", PASSWORD), ("", PASSWORD), ("wangwei", "")]:
        with pytest.raises(users.SignInRefused) as refused:
            users.authenticate(name, password)
        assert str(refused.value) in ("用户名或密码不正确。", "请输入用户名和密码。")
    failed = audit.search(kinds=["sign_in_failed"])
    assert sorted(failed["subject"]) == ["user:nobody", "user:wangwei"]
    assert PASSWORD not in "".join(audit.search()["detail"])


def test_lockout_after_n_failures_and_release_after_the_time(store, monkeypatch):
    monkeypatch.setenv("EPI_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("EPI_LOCKOUT_MINUTES", "15")
    users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    for minute in (0, 1):
        with pytest.raises(users.SignInRefused, match="^用户名或密码不正确。$"):
            users.authenticate("wangwei", "Wrong-password-1", now=T0 + dt.timedelta(minutes=minute))
    locked = "连续 3 次登录失败，该账号已暂时锁定，请于 2026-03-01 16:17（北京时间）后再试，或联系系统管理员。"
    with pytest.raises(users.SignInRefused) as refused:
        users.authenticate("wangwei", "Wrong-password-1", now=T0 + dt.timedelta(minutes=2))
    assert str(refused.value) == locked
    # while locked even the right password is refused, with the same message
    with pytest.raises(users.SignInRefused) as refused:
        users.authenticate("wangwei", PASSWORD, now=T0 + dt.timedelta(minutes=16))
    assert str(refused.value) == locked
    token = users.authenticate("wangwei", PASSWORD, now=T0 + dt.timedelta(minutes=17, seconds=1))
    assert users.session_user(token, now=T0 + dt.timedelta(minutes=18)).user.username == "wangwei"
    # a success starts the count again: two more failures do not lock
    for minute in (20, 21):
        with pytest.raises(users.SignInRefused, match="^用户名或密码不正确。$"):
            users.authenticate("wangwei", "Wrong-password-1", now=T0 + dt.timedelta(minutes=minute))
    locks = audit.search(kinds=["lockout"])
    assert locks[["subject", "detail"]].values.tolist() == [["user:wangwei", "连续 3 次失败，锁定至 2026-03-01 16:17（北京时间）"]]


def test_an_unknown_username_locks_like_a_real_one(store, monkeypatch):
    monkeypatch.setenv("EPI_LOCKOUT_FAILURES", "2")
    for _ in range(2):
        with pytest.raises(users.SignInRefused) as refused:
            users.authenticate("ghost", PASSWORD, now=T0)
    assert str(refused.value).startswith("连续 2 次登录失败，该账号已暂时锁定")


def test_a_bad_lockout_setting_is_named(store, monkeypatch):
    monkeypatch.setenv("EPI_LOCKOUT_FAILURES", "five")
    with pytest.raises(users.UserError, match="^设置 EPI_LOCKOUT_FAILURES=five 无效：应为 1–100 之间的整数。$"):
        users.authenticate("wangwei", PASSWORD)


def test_sessions_expire_when_idle_and_after_the_absolute_limit(store, monkeypatch):
    monkeypatch.setenv("EPI_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("EPI_SESSION_MAX_HOURS", "12")
    user = users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    idle = users.open_session(user, "password", now=T0)
    assert users.session_user(idle, now=T0 + dt.timedelta(minutes=29)).user is not None
    assert users.session_user(idle, now=T0 + dt.timedelta(minutes=59, seconds=1)) == users.Lookup(None, "idle")
    assert users.session_user(idle, now=T0 + dt.timedelta(minutes=60)) == users.Lookup(None, "idle")  # stays ended
    busy = users.open_session(user, "password", now=T0)
    moment = T0
    while moment < T0 + dt.timedelta(hours=12):
        assert users.session_user(busy, now=moment).user is not None, moment
        moment += dt.timedelta(minutes=20)
    assert users.session_user(busy, now=moment).user is not None  # 12 hours exactly: still on
    assert users.session_user(busy, now=moment + dt.timedelta(seconds=1)) == users.Lookup(None, "absolute")
    assert users.session_user("made-up-token") == users.Lookup(None, "unknown")
    ends = audit.search(kinds=["sign_out"])
    assert sorted(ends["detail"]) == ["登录时长已满", "超时未操作"]


def test_disabling_and_resetting_end_open_sessions(store):
    user = users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    first = users.open_session(user, "password")
    users.set_active("wangwei", False)
    assert users.session_user(first) == users.Lookup(None, "disabled")
    with pytest.raises(users.SignInRefused, match="^该账号已停用：请联系系统管理员。$"):
        users.authenticate("wangwei", PASSWORD)
    users.set_active("wangwei", True)
    second = users.authenticate("wangwei", PASSWORD)
    users.set_password("wangwei", "New-password-2022")
    assert users.session_user(second) == users.Lookup(None, "reset")
    assert users.session_user(users.authenticate("wangwei", "New-password-2022")).user is not None


def test_scope_must_fit_the_role_and_exist_in_the_warehouse(store, tiny_warehouse):
    assert users.add("jinjiang", "锦江", "district_operator", "510104", PASSWORD).scope == "510104"
    assert users.add("chunxi", "春熙路", "district_operator", "510104001", PASSWORD).scope == "510104001"
    refusals = [
        (("district_operator", "510199"), "管辖范围“510199”不在数据仓库的区划中：请核对区（市）县或街道代码。"),
        (("district_operator", ""), "区县工作人员需要管辖范围：请填 6 位区（市）县代码或 9 位街道代码（如 510104），当前为“”。"),
        (("district_operator", "5101"), "区县工作人员需要管辖范围：请填 6 位区（市）县代码或 9 位街道代码（如 510104），当前为“5101”。"),
        (("leadership", "510104"), "角色“指挥部领导”覆盖全市，不设管辖范围：请去掉管辖范围“510104”。"),
        (("boss", ""), "角色“boss”不存在：可选 leadership（指挥部领导）, analyst（数据分析员）, "
                       "district_operator（区县工作人员）, admin（系统管理员）, display（显示屏）。"),
        (("display", "510199"), "管辖范围“510199”不在数据仓库的区划中：请核对区（市）县或街道代码。"),
        (("display", "5101"), "显示屏的管辖范围应为 6 位区县或 9 位街道代码（如 510104），或留空显示全市，当前为“5101”。"),
    ]
    for (role, scope), message in refusals:
        with pytest.raises(users.UserError) as refused:
            users.add("someone", "某人", role, scope, PASSWORD)
        assert str(refused.value) == message
    assert [u.username for u in users.all_users()] == ["chunxi", "jinjiang"]
    # a display account shows the whole city, or one district or street
    assert users.add("hall", "大厅", "display", "", PASSWORD).scope == ""
    assert users.add("jj-screen", "锦江大屏", "display", "510104", PASSWORD).scope == "510104"


def test_admin_cli_adds_lists_disables_and_refuses_bad_input(store, tiny_warehouse, capsys, monkeypatch):
    assert admin.main(["add", "wangwei", "--name", "王伟", "--role", "district_operator", "--scope", "510104",
                       "--generate", "--unmask"]) == 0
    out = capsys.readouterr().out
    assert "已添加用户 wangwei（王伟，区县工作人员，管辖 510104，可查看完整个人信息）。" in out
    password = out.strip().splitlines()[-1].split("：")[-1]
    assert users.session_user(users.authenticate("wangwei", password)).user.can_unmask
    bad = [
        (["add", "wangwei", "--name", "王", "--role", "analyst"],
         "用户名“wangwei”已被使用：请换一个，或用 reset-password 重设该用户的密码。"),
        (["add", "li", "--name", "李", "--role", "analyst"],
         "用户名“li”不可用：请用 3–40 位小写字母、数字、点、下划线或连字符，以字母开头。"),
        (["add", "lisi", "--name", "李四", "--role", "mayor"], "角色“mayor”不存在"),
        (["add", "lisi", "--name", "李四", "--role", "district_operator", "--scope", "510199"],
         "管辖范围“510199”不在数据仓库的区划中"),
        (["disable", "nobody"], "用户“nobody”不存在：用 list 查看现有用户。"),
        (["reset-password", "nobody"], "用户“nobody”不存在：用 list 查看现有用户。"),
        (["grant-unmask", "nobody"], "用户“nobody”不存在：用 list 查看现有用户。"),
    ]
    for argv, message in bad:
        assert admin.main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith(f"error: {message}") and err.count("\n") == 1, err
    assert [u.username for u in users.all_users()] == ["wangwei"]

    assert admin.main(["disable", "wangwei"]) == 0
    assert admin.main(["revoke-unmask", "wangwei"]) == 0
    capsys.readouterr()
    assert admin.main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["wangwei", "停用", "区县工作人员", "510104", "否", "王伟"]

    # a typed password is checked against the policy, and must be typed the same twice
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    answers = iter(["short1", "Typed-password-22", "Typed-password-23"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert admin.main(["reset-password", "wangwei"]) == 2
    assert capsys.readouterr().err == "error: 密码太短：至少 10 位，当前 6 位。\n"
    assert admin.main(["reset-password", "wangwei"]) == 2
    assert capsys.readouterr().err == "error: 两次输入的密码不一致，未作任何更改。\n"
    assert users.verify_password(stored("wangwei").password_hash, password)
    kinds = list(audit.search(subject="user:wangwei")["kind"])
    assert kinds[:3] == ["unmask_revoke", "sign_out", "user_disable"]
    assert audit.search(kinds=["user_add"])["actor"].iloc[0].startswith("命令行（")


def test_demo_users_are_made_once_with_passwords_shown_once(store, tiny_warehouse, capsys):
    assert admin.main(["demo-users"]) == 0
    out = capsys.readouterr().out
    shown = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
    assert list(shown) == ["leader", "analyst", "jinjiang", "admin", "screen"]
    for name, password in shown.items():
        assert users.session_user(users.authenticate(name, password)).user.username == name
    assert users.get("jinjiang").scope == "510104" and users.get("admin").role == "admin"
    assert (users.get("screen").role, users.get("screen").scope, users.get("screen").can_unmask) == ("display", "", False)
    assert admin.main(["demo-users"]) == 0
    again = capsys.readouterr().out
    assert again.startswith("用户库已有 5 个用户，不再生成演示用户")
    assert not any(p in again for p in shown.values())
    assert not any(p.encode() in store.read_bytes() for p in shown.values())


def test_admin_cli_runs_as_a_module(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "EPI_PORTAL_DB": f"sqlite:///{tmp_path / 'a.sqlite'}", "TZ": "Asia/Shanghai"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "portal.auth", *a], cwd=ROOT, env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    listed = run("list")
    assert listed.returncode == 0 and listed.stdout.startswith("还没有用户")
    added = run("add", "chief", "--name", "系统管理员", "--role", "admin")
    assert added.returncode == 0, added.stderr
    assert "chief 的初始密码（只显示这一次，请妥善转交）：" in added.stdout
    refused = run("add", "chief", "--name", "另一个", "--role", "admin")
    assert refused.returncode == 2 and refused.stderr.startswith("error: 用户名“chief”已被使用")
    assert run("enable", "ghost").returncode == 2


def test_single_sign_on_maps_to_a_portal_user_by_email_then_username(store):
    users.add("wangwei", "王伟", "district_operator", "510104", PASSWORD, email="Wang.Wei@chengdu.example",
              scope_exists=None)
    users.add("lina", "李娜", "analyst", "", PASSWORD)
    later = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).timestamp()
    by_mail = users.for_single_sign_on({"email": "wang.wei@chengdu.example", "email_verified": True, "exp": later,
                                        "role": "leadership"})
    assert (by_mail.username, by_mail.role, by_mail.scope) == ("wangwei", "district_operator", "510104")
    assert users.for_single_sign_on({"preferred_username": "LiNa"}).username == "lina"
    refusals = {
        "unknown": ({"email": "stranger@example.org"},
                    "单点登录账号 stranger@example.org 尚未在本平台开通：请联系系统管理员用邮箱 stranger@example.org 开通账号。"),
        "unverified": ({"email": "wang.wei@chengdu.example", "email_verified": False},
                       "单点登录账号的邮箱 wang.wei@chengdu.example 未经验证，无法登录本平台。"),
        "expired": ({"email": "wang.wei@chengdu.example", "exp": 1_600_000_000},
                    "单点登录凭据已过期：请点“退出单点登录”后重新登录。"),
        "no claims": ({}, "身份提供方没有给出邮箱或用户名，无法对应平台账号：请联系系统管理员。"),
    }
    for case, (claims, message) in refusals.items():
        with pytest.raises(users.SignInRefused) as refused:
            users.for_single_sign_on(claims)
        assert str(refused.value) == message, case
    users.set_active("lina", False)
    with pytest.raises(users.SignInRefused, match="对应的平台账号已停用"):
        users.for_single_sign_on({"preferred_username": "lina"})


def test_last_seen_is_written_at_most_every_30_seconds(store):
    user = users.add("wangwei", "王伟", "analyst", "", PASSWORD)
    token = users.open_session(user, "password", now=T0)
    users.session_user(token, now=T0 + dt.timedelta(seconds=10))
    with store_engine().connect() as conn:
        seen = conn.execute(select(users.sessions.c.last_seen_at)).scalar_one()
    assert users._utc(seen) == T0
    users.session_user(token, now=T0 + dt.timedelta(seconds=45))
    with store_engine().connect() as conn:
        seen = conn.execute(select(users.sessions.c.last_seen_at)).scalar_one()
    assert users._utc(seen) == T0 + dt.timedelta(seconds=45)
