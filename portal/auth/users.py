"""Portal users and their sessions: accounts, argon2 password hashes, lock-out, session expiry.

The tables live in the portal's relational store (portal.auth.store: SQLite by default,
PostgreSQL by EPI_PORTAL_DB), written through SQLAlchemy Core. Passwords are kept only as argon2id hashes; session
tokens only as their SHA-256, so a copy of the store opens no account and no session.

Lock-out counts consecutive failures per typed username, whether or not such a user exists,
so the answers never tell an outsider which usernames are real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, insert, select, update

from portal.auth import audit, store
from portal.auth.identity import Identity, identity_of
from portal.errors import EpiError
from portal.glossary import ROLES
from queries import registry
from warehouse.rules.clock import MINUTE, now_utc, stamp
from warehouse.rules.geography import code_pattern

users, sessions, failures = store.users, store.sessions, store.sign_in_failures

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")
SCOPE = code_pattern((6, 9), city=False)  # a jurisdiction: one district or one street
SCOPED_ROLES = ("district_operator", "display")  # roles with a jurisdiction (required for the operator)
# A wall display (指挥大屏) stays signed in while it shows: its refresh every EPI_SCREEN_REFRESH_SECONDS
# is activity (pages/big_screen.py looks the session up on each one), so the idle limit ends it only
# once the screen stops showing; and the limit counted from sign-in does not apply to it.
NO_MAX_HOURS = ("display",)
DISPLAY_NO_UNMASK = "显示屏账号只显示汇总数字，不能查看个人信息：不能授予“可查看完整个人信息”。"
# argon2id at OWASP's password-storage configuration (19 MiB, 2 passes, 1 lane): about 20 ms of one core
# per sign-in here, where the library's default (64 MiB, 3 passes, 4 lanes) took 180 ms of CPU, and a
# room signing in at once queued behind it. Hashes made with other costs are re-made at the next sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))  # verified against for unknown users: same time
_LAST_SEEN_EVERY = dt.timedelta(seconds=30)  # idle clock resolution; spares a write per rerun


METHODS = {"password": "密码登录", "sso": "单点登录"}
END_REASONS = {"sign_out": "主动退出", "idle": "超时未操作", "absolute": "登录时长已满", "disabled": "账号停用",
               "reset": "密码重设"}


class UserError(EpiError, ValueError):
    """Bad input to user administration; str() is one Chinese sentence saying what to do."""


class SignInRefused(EpiError):
    """A refused sign-in; str() is the message for the sign-in page."""


@dataclass(frozen=True)
class AuthSettings:
    lockout_failures: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 30
    max_hours: int = 12
    password_min_length: int = 10


def _int_env(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise UserError(f"设置 {name}={raw} 无效：应为 {low}–{high} 之间的整数。")
    return int(raw)


def auth_settings() -> AuthSettings:
    """Read from the environment each time (a changed setting applies at once)."""
    return AuthSettings(
        lockout_failures=_int_env("EPI_LOCKOUT_FAILURES", 5, 1, 100),
        lockout_minutes=_int_env("EPI_LOCKOUT_MINUTES", 15, 1, 1440),
        idle_minutes=_int_env("EPI_SESSION_IDLE_MINUTES", 30, 1, 1440),
        max_hours=_int_env("EPI_SESSION_MAX_HOURS", 12, 1, 168),
        password_min_length=_int_env("EPI_PASSWORD_MIN_LENGTH", 10, 8, 128),
    )


@dataclass(frozen=True)
class User:
    user_id: int
    username: str
    display_name: str
    role: str
    scope: str
    can_unmask: bool
    active: bool
    email: str | None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def _now() -> dt.datetime:
    return now_utc()


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _user(row) -> User:
    return User(int(row.user_id), row.username, row.display_name, row.role, row.scope, bool(row.can_unmask),
                bool(row.active), row.email)


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()[:40]


def beijing(moment: dt.datetime) -> str:
    return stamp(moment, MINUTE)


# ---------------------------------------------------------------- checks


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME.match(name):
        raise UserError(f"用户名“{username}”不可用：请用 3–40 位小写字母、数字、点、下划线或连字符，以字母开头。")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"角色“{role}”不存在：可选 {', '.join(f'{k}（{v}）' for k, v in ROLES.items())}。")
    return role


def scope_in_warehouse(code: str) -> bool:
    """Whether a district (6-digit) or street (9-digit) code is in the warehouse's geography."""
    found = registry.run("geo/units", "", unit=code, grain=len(code))
    return code in set(found["unit_code"])


def check_scope(role: str, scope: str, exists: Callable[[str], bool] | None = scope_in_warehouse) -> str:
    scope = (scope or "").strip()
    if role not in SCOPED_ROLES:
        if scope:
            raise UserError(f"角色“{ROLES[role]}”覆盖全市，不设管辖范围：请去掉管辖范围“{scope}”。")
        return ""
    if role == "display" and not scope:
        return ""  # a display account shows the whole city unless it is given a district or street
    if role == "display" and not SCOPE.match(scope):
        raise UserError(f"显示屏的管辖范围应为 6 位区县或 9 位街道代码（如 510104），或留空显示全市，当前为“{scope}”。")
    if not SCOPE.match(scope):
        raise UserError(f"区县工作人员需要管辖范围：请填 6 位区（市）县代码或 9 位街道代码（如 510104），当前为“{scope}”。")
    if exists is not None and not exists(scope):
        raise UserError(f"管辖范围“{scope}”不在数据仓库的区划中：请核对区（市）县或街道代码。")
    return scope


def check_password(password: str, username: str = "") -> None:
    """The password policy; raises UserError naming the first rule broken."""
    need = auth_settings().password_min_length
    if len(password) < need:
        raise UserError(f"密码太短：至少 {need} 位，当前 {len(password)} 位。")
    if len(password) > 128:
        raise UserError("密码太长：最多 128 位。")
    if password != password.strip():
        raise UserError("密码首尾不能是空格。")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise UserError("密码需同时包含字母和数字。")
    if len(set(password)) < 5:
        raise UserError("密码重复字符太多：至少用 5 个不同的字符。")
    if username and normalise_username(username) in password.lower():
        raise UserError("密码不能包含用户名。")


def generate_password(length: int = 16) -> str:
    alphabet = string.ascii_letters + string.digits
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if re.search(r"[A-Za-z]", candidate) and re.search(r"\d", candidate) and len(set(candidate)) >= 5:
            return candidate


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------- administration


def get(username: str) -> User | None:
    with store.engine().connect() as conn:
        row = conn.execute(select(users).where(users.c.username == normalise_username(username))).first()
    return _user(row) if row else None


def _require(username: str) -> User:
    user = get(username)
    if user is None:
        raise UserError(f"用户“{username}”不存在：用 list 查看现有用户。")
    return user


def all_users() -> list[User]:
    with store.engine().connect() as conn:
        return [_user(r) for r in conn.execute(select(users).order_by(users.c.username))]


def count() -> int:
    with store.engine().connect() as conn:
        return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def add(username: str, display_name: str, role: str, scope: str, password: str, *, can_unmask: bool = False,
        email: str | None = None, by=None, scope_exists: Callable[[str], bool] | None = scope_in_warehouse) -> User:
    """Create a user; every input is checked before anything is written."""
    name = check_username(username)
    display = (display_name or "").strip()
    if not display or len(display) > 40:
        raise UserError("显示名不能为空，最多 40 个字。")
    check_role(role)
    scope = check_scope(role, scope, scope_exists)
    if can_unmask and role == "display":
        raise UserError(DISPLAY_NO_UNMASK)
    check_password(password, name)
    mail = (email or "").strip().lower() or None
    if mail and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", mail):
        raise UserError(f"邮箱“{email}”格式不对。")
    now = _now()
    with store.engine().begin() as conn:
        if conn.execute(select(users.c.user_id).where(users.c.username == name)).first():
            raise UserError(f"用户名“{name}”已被使用：请换一个，或用 reset-password 重设该用户的密码。")
        if mail and conn.execute(select(users.c.user_id).where(users.c.email == mail)).first():
            raise UserError(f"邮箱“{mail}”已属于另一个用户。")
        conn.execute(insert(users).values(
            username=name, display_name=display, role=role, scope=scope, can_unmask=bool(can_unmask), active=True,
            email=mail, password_hash=hash_password(password), created_at=now, password_changed_at=now))
    _admin_event("user_add", by, name, f"{ROLES[role]}，管辖{scope or '全市'}{'，可查看完整信息' if can_unmask else ''}")
    return _require(name)


def _set(username: str, by, kind: str, detail: str, **values) -> User:
    user = _require(username)
    with store.engine().begin() as conn:
        conn.execute(update(users).where(users.c.user_id == user.user_id).values(**values))
    _admin_event(kind, by, user.username, detail)
    return _require(user.username)


def set_active(username: str, active: bool, by=None) -> User:
    user = _set(username, by, "user_enable" if active else "user_disable", "", active=bool(active))
    if not active:
        end_sessions_of(user.user_id, "disabled")
    return user


def set_unmask(username: str, allowed: bool, by=None) -> User:
    if allowed and _require(username).role == "display":
        raise UserError(DISPLAY_NO_UNMASK)
    return _set(username, by, "unmask_grant" if allowed else "unmask_revoke", "", can_unmask=bool(allowed))


def set_role(username: str, role: str, scope: str, by=None,
             scope_exists: Callable[[str], bool] | None = scope_in_warehouse) -> User:
    check_role(role)
    scope = check_scope(role, scope, scope_exists)
    return _set(username, by, "user_role", f"{ROLES[role]}，管辖{scope or '全市'}", role=role, scope=scope)


def set_password(username: str, password: str, by=None) -> User:
    user = _require(username)
    check_password(password, user.username)
    user = _set(username, by, "password_reset", "", password_hash=hash_password(password),
                password_changed_at=_now())
    end_sessions_of(user.user_id, "reset")
    with store.engine().begin() as conn:
        conn.execute(update(failures).where(failures.c.username == user.username)
                     .values(consecutive=0, locked_until=None))
    return user


def _admin_event(kind: str, by, username: str, detail: str) -> None:
    actor = by or Identity("命令行", "admin", "")
    audit.record(kind, actor, subject=f"user:{username}", detail=detail)


# ---------------------------------------------------------------- sign-in and sessions


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(username: str, password: str, now: dt.datetime | None = None) -> str:
    """Check a username and password; return a new session token, or raise SignInRefused.

    An unknown user and a wrong password get the same message, and take the same time."""
    cfg = auth_settings()
    now = now or _now()
    name = normalise_username(username)
    typed = Identity(name or "（空）", "", "")
    wrong = "用户名或密码不正确。"
    if not name or not password:
        raise SignInRefused("请输入用户名和密码。")
    with store.engine().connect() as conn:
        row = conn.execute(select(users).where(users.c.username == name)).first()
        fail = conn.execute(select(failures).where(failures.c.username == name)).first()
    locked_until = _utc(fail.locked_until) if fail else None
    if locked_until and locked_until > now:
        audit.record("sign_in_failed", typed, f"user:{name}", "账号锁定期间尝试登录")
        raise SignInRefused(f"连续 {cfg.lockout_failures} 次登录失败，该账号已暂时锁定，"
                            f"请于 {beijing(locked_until)}（北京时间）后再试，或联系系统管理员。")
    ok = verify_password(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    if ok and not row.active:  # told only to someone who knows the password
        audit.record("sign_in_failed", typed, f"user:{name}", "账号已停用")
        raise SignInRefused("该账号已停用：请联系系统管理员。")
    if not ok:
        consecutive = (fail.consecutive if fail else 0) + 1
        lock = now + dt.timedelta(minutes=cfg.lockout_minutes) if consecutive >= cfg.lockout_failures else None
        with store.engine().begin() as conn:
            if fail:
                conn.execute(update(failures).where(failures.c.username == name)
                             .values(consecutive=0 if lock else consecutive, locked_until=lock))
            else:
                conn.execute(insert(failures).values(username=name, consecutive=0 if lock else consecutive,
                                                     locked_until=lock))
        audit.record("sign_in_failed", typed, f"user:{name}", f"连续第 {consecutive} 次失败")
        if lock:
            audit.record("lockout", typed, f"user:{name}", f"连续 {consecutive} 次失败，锁定至 {beijing(lock)}（北京时间）")
            raise SignInRefused(f"连续 {cfg.lockout_failures} 次登录失败，该账号已暂时锁定，"
                                f"请于 {beijing(lock)}（北京时间）后再试，或联系系统管理员。")
        raise SignInRefused(wrong)
    if fail:
        with store.engine().begin() as conn:
            conn.execute(update(failures).where(failures.c.username == name).values(consecutive=0, locked_until=None))
    if _hasher.check_needs_rehash(row.password_hash):
        with store.engine().begin() as conn:
            conn.execute(update(users).where(users.c.user_id == row.user_id)
                         .values(password_hash=hash_password(password)))
    return open_session(_user(row), "password", now)


def open_session(user: User, method: str, now: dt.datetime | None = None) -> str:
    """Start a session for an already authenticated user; return its token (kept only hashed)."""
    now = now or _now()
    token = secrets.token_urlsafe(32)
    with store.engine().begin() as conn:
        conn.execute(insert(sessions).values(token_sha256=_token_hash(token), user_id=user.user_id, method=method,
                                             created_at=now, last_seen_at=now))
    audit.record("sign_in", identity_of(user), f"user:{user.username}", METHODS[method])
    return token


@dataclass(frozen=True)
class Lookup:
    """A session token looked up: the user it signs in, or why it no longer does."""
    user: User | None
    ended: str | None = None  # idle, absolute, disabled, reset, sign_out, unknown


def session_user(token: str, now: dt.datetime | None = None) -> Lookup:
    """The live user behind a session token, read from the store now (role, scope, active)."""
    if not token:
        return Lookup(None, "unknown")
    cfg = auth_settings()
    now = now or _now()
    with store.engine().connect() as conn:
        row = conn.execute(select(sessions, users).join(users, users.c.user_id == sessions.c.user_id)
                           .where(sessions.c.token_sha256 == _token_hash(token))).first()
    if row is None:
        return Lookup(None, "unknown")
    if row.ended_at is not None:
        return Lookup(None, row.end_reason or "sign_out")
    user = _user(row)
    reason = None
    if not user.active:
        reason = "disabled"
    elif now - _utc(row.created_at) > dt.timedelta(hours=cfg.max_hours) and user.role not in NO_MAX_HOURS:
        reason = "absolute"
    elif now - _utc(row.last_seen_at) > dt.timedelta(minutes=cfg.idle_minutes):
        reason = "idle"
    if reason:
        end_session(token, reason, now)
        return Lookup(None, reason)
    if now - _utc(row.last_seen_at) >= _LAST_SEEN_EVERY:
        with store.engine().begin() as conn:
            conn.execute(update(sessions).where(sessions.c.session_id == row.session_id).values(last_seen_at=now))
    return Lookup(user)


def end_session(token: str, reason: str, now: dt.datetime | None = None) -> None:
    """End one session (sign-out or expiry) and audit it; a session already ended stays as it was."""
    now = now or _now()
    with store.engine().begin() as conn:
        row = conn.execute(select(sessions.c.session_id, sessions.c.user_id)
                           .where(sessions.c.token_sha256 == _token_hash(token), sessions.c.ended_at.is_(None))).first()
        if row is None:
            return
        conn.execute(update(sessions).where(sessions.c.session_id == row.session_id)
                     .values(ended_at=now, end_reason=reason))
        user = _user(conn.execute(select(users).where(users.c.user_id == row.user_id)).one())
    audit.record("sign_out", identity_of(user), f"user:{user.username}", END_REASONS[reason])


def end_sessions_of(user_id: int, reason: str) -> int:
    """End every open session of a user (disabled, password reset); they are signed out on their next run."""
    with store.engine().begin() as conn:
        result = conn.execute(update(sessions).where(sessions.c.user_id == user_id, sessions.c.ended_at.is_(None))
                              .values(ended_at=_now(), end_reason=reason))
        user = _user(conn.execute(select(users).where(users.c.user_id == user_id)).one())
    ended = int(result.rowcount or 0)
    for _ in range(ended):
        audit.record("sign_out", identity_of(user), f"user:{user.username}", END_REASONS[reason])
    return ended


def for_single_sign_on(claims: dict) -> User:
    """The portal user an identity provider's claims stand for: by e-mail, else by username.

    Role and scope come from the user store, never from the provider. Raises SignInRefused."""
    email = str(claims.get("email") or "").strip().lower()
    login = normalise_username(str(claims.get("preferred_username") or ""))
    expires = claims.get("exp")
    if isinstance(expires, (int, float)) and expires < _now().timestamp():
        raise SignInRefused("单点登录凭据已过期：请点“退出单点登录”后重新登录。")
    if claims.get("email_verified") is False:
        raise SignInRefused(f"单点登录账号的邮箱 {email} 未经验证，无法登录本平台。")
    if not email and not login:
        raise SignInRefused("身份提供方没有给出邮箱或用户名，无法对应平台账号：请联系系统管理员。")
    with store.engine().connect() as conn:
        row = None
        if email:
            row = conn.execute(select(users).where(users.c.email == email)).first()
        if row is None and login:
            row = conn.execute(select(users).where(users.c.username == login)).first()
    who = email or login
    if row is None:
        raise SignInRefused(f"单点登录账号 {who} 尚未在本平台开通：请联系系统管理员用邮箱 {who} 开通账号。")
    if not row.active:
        raise SignInRefused(f"单点登录账号 {who} 对应的平台账号已停用：请联系系统管理员。")
    return _user(row)
