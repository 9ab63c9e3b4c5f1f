"""User administration from the command line: `python -m portal.auth add|list|disable|enable|
reset-password|grant-unmask|revoke-unmask|role|demo-users`.

Bad input gets one line on stderr and exit code 2. A password is typed twice at a prompt, or
generated and printed once; it is never taken from the command line (it would stay in the
shell's history) and never stored or logged in clear.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from portal.auth import users
from portal.auth.identity import Identity
from portal.errors import EpiError
from portal.glossary import ROLES

# one per role; the operator works for 锦江区 (510104); the display shows the whole city (指挥大屏)
DEMO_USERS = [
    ("leader", "指挥长（演示）", "leadership", "", False),
    ("analyst", "分析员（演示）", "analyst", "", True),
    ("jinjiang", "锦江区工作人员（演示）", "district_operator", "510104", False),
    ("admin", "系统管理员（演示）", "admin", "", False),
    ("screen", "指挥大厅大屏（演示）", "display", "", False),
]


def _operator():
    return Identity(f"命令行（{getpass.getuser()}）", "admin", "")


def _new_password(generate: bool, username: str) -> tuple[str, bool]:
    """A password typed twice at a prompt, or generated (then shown once)."""
    if generate or not sys.stdin.isatty():
        return users.generate_password(), True
    first = getpass.getpass(f"{username} 的新密码（留空则自动生成）：")
    if not first:
        return users.generate_password(), True
    users.check_password(first, username)
    if getpass.getpass("再输入一次：") != first:
        raise users.UserError("两次输入的密码不一致，未作任何更改。")
    return first, False


def _show_once(username: str, password: str) -> None:
    print(f"{username} 的初始密码（只显示这一次，请妥善转交）：{password}")


def cmd_add(args) -> None:
    users.check_username(args.username)
    users.check_role(args.role)
    users.check_scope(args.role, args.scope, users.scope_in_warehouse)
    if users.get(args.username):
        raise users.UserError(f"用户名“{users.normalise_username(args.username)}”已被使用：请换一个，"
                              "或用 reset-password 重设该用户的密码。")
    password, generated = _new_password(args.generate, args.username)
    user = users.add(args.username, args.name, args.role, args.scope, password, can_unmask=args.unmask,
                     email=args.email, by=_operator())
    print(f"已添加用户 {user.username}（{user.display_name}，{user.role_label}"
          f"{'，管辖 ' + user.scope if user.scope else ''}{'，可查看完整个人信息' if user.can_unmask else ''}）。")
    if generated:
        _show_once(user.username, password)


def cmd_list(args) -> None:
    rows = users.all_users()
    if not rows:
        print("还没有用户：用 `python -m portal.auth add` 添加，或运行 make demo 生成演示用户。")
        return
    widths = (20, 6, 14, 11, 10)
    print(_row(("用户名", "状态", "角色", "管辖", "完整信息", "显示名 / 邮箱"), widths))
    for u in rows:
        print(_row((u.username, "启用" if u.active else "停用", u.role_label, u.scope or "全市",
                    "可查看" if u.can_unmask else "否", u.display_name + (f" / {u.email}" if u.email else "")), widths))


def _row(cells, widths) -> str:
    """Columns padded by display width (a Chinese character takes two)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    return "".join(c + " " * max(1, w - width(c)) for c, w in zip(cells, widths)) + cells[-1]


def cmd_disable(args) -> None:
    user = users.set_active(args.username, False, by=_operator())
    print(f"已停用 {user.username}；其已登录的会话在下一次操作时退出。")


def cmd_enable(args) -> None:
    user = users.set_active(args.username, True, by=_operator())
    print(f"已启用 {user.username}。")


def cmd_reset_password(args) -> None:
    user = users.get(args.username)
    if user is None:
        raise users.UserError(f"用户“{args.username}”不存在：用 list 查看现有用户。")
    password, generated = _new_password(args.generate, user.username)
    users.set_password(user.username, password, by=_operator())
    print(f"已重设 {user.username} 的密码，其已登录的会话已结束，锁定已解除。")
    if generated:
        _show_once(user.username, password)


def cmd_unmask(allowed: bool):
    def run(args) -> None:
        user = users.set_unmask(args.username, allowed, by=_operator())
        print(f"{user.username} {'现在可以' if allowed else '不再可以'}查看完整的姓名、证件号和手机号（每次查看均记入审计日志）。")
    return run


def cmd_role(args) -> None:
    user = users.set_role(args.username, args.role, args.scope, by=_operator())
    print(f"{user.username} 现为 {user.role_label}{'，管辖 ' + user.scope if user.scope else ''}，下一次操作起生效。")


def cmd_demo_users(args) -> None:
    """One user per role with random passwords printed once; nothing happens when users exist."""
    if users.count():
        print(f"用户库已有 {users.count()} 个用户，不再生成演示用户"
              "（忘记密码：python -m portal.auth reset-password 用户名）。")
        return
    print("已生成演示用户（密码只显示这一次；忘记后用 python -m portal.auth reset-password 用户名 重设）：")
    for username, name, role, scope, unmask in DEMO_USERS:
        password = users.generate_password()
        users.add(username, name, role, scope, password, can_unmask=unmask, by=_operator())
        print(f"  {username:<10} {password}   {ROLES[role]}{'（' + scope + '）' if scope else ''}")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m portal.auth", description="门户用户管理")
    sub = ap.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="添加用户")
    add.add_argument("username", help="用户名：3–40 位小写字母、数字、. _ -")
    add.add_argument("--name", required=True, help="显示名（审计日志里的操作人）")
    add.add_argument("--role", required=True, help="角色：" + "、".join(f"{k}（{v}）" for k, v in ROLES.items()))
    add.add_argument("--scope", default="", help="区县工作人员的管辖范围：6 位区（市）县或 9 位街道代码")
    add.add_argument("--email", default=None, help="单点登录时对应的邮箱")
    add.add_argument("--unmask", action="store_true", help="允许查看完整个人信息")
    add.add_argument("--generate", action="store_true", help="生成随机密码并显示一次（不提示输入）")
    add.set_defaults(run=cmd_add)
    sub.add_parser("list", help="列出用户").set_defaults(run=cmd_list)
    for name, run, text in [("disable", cmd_disable, "停用用户"), ("enable", cmd_enable, "启用用户"),
                            ("grant-unmask", cmd_unmask(True), "允许查看完整个人信息"),
                            ("revoke-unmask", cmd_unmask(False), "取消查看完整个人信息")]:
        one = sub.add_parser(name, help=text)
        one.add_argument("username")
        one.set_defaults(run=run)
    reset = sub.add_parser("reset-password", help="重设密码（并结束该用户的会话、解除锁定）")
    reset.add_argument("username")
    reset.add_argument("--generate", action="store_true", help="生成随机密码并显示一次")
    reset.set_defaults(run=cmd_reset_password)
    role = sub.add_parser("role", help="更改角色和管辖范围")
    role.add_argument("username")
    role.add_argument("--role", required=True)
    role.add_argument("--scope", default="")
    role.set_defaults(run=cmd_role)
    sub.add_parser("demo-users", help="用户库为空时生成每个角色一个演示用户").set_defaults(run=cmd_demo_users)
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except EpiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: 已取消，未作任何更改。", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
