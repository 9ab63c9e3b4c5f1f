"""The portal's relational store: one SQLAlchemy engine and one metadata holding every table
that lives there, apart from the warehouse.

A SQLite file under data/ by default, PostgreSQL (or any SQLAlchemy URL) by EPI_PORTAL_DB. The
tables, all created here when the engine is first opened:
- audit_event: the audit log (portal.auth.audit);
- portal_user, portal_session, portal_sign_in_failure: accounts, sessions, lock-out
  (portal.auth.users);
- adhoc_saved_filter: named ad-hoc filters (portal.adhoc.saved_filters);
- alert: the alert centre's instances, one per rule and subject while its condition lasts,
  and alert_check: the city-wide checks made (portal.alerts.center);
- id_series: the last number handed out per id series (zone plans, published zones, screening
  topics), taken in one transaction so two saves at the same moment never get the same number.

Modules that use a table import it from here; nothing here imports them back.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'data' / 'audit.sqlite'}"
SAVED_FILTER_NAME = 40  # longest name of a saved ad-hoc filter

metadata = MetaData()

audit_events = Table(
    "audit_event", metadata,
    Column("event_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(40), nullable=False, index=True),  # person_file_view, screening_outcome, …
    Column("actor", String(80), nullable=False),
    Column("role", String(40), nullable=False),
    Column("scope", String(12), nullable=False),
    Column("subject", String(80), nullable=False, index=True),  # e.g. person:123, screening_record:456
    Column("detail", String(500), nullable=False, default=""),
)
users = Table(
    "portal_user", metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(40), nullable=False),
    Column("role", String(40), nullable=False),
    Column("scope", String(12), nullable=False, default=""),
    Column("can_unmask", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("email", String(200), nullable=True, unique=True),  # single sign-on maps by this
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("password_changed_at", DateTime(timezone=True), nullable=False),
)
sessions = Table(
    "portal_session", metadata,
    Column("session_id", Integer, primary_key=True, autoincrement=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("method", String(20), nullable=False),  # password, sso
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("end_reason", String(20), nullable=True),  # sign_out, idle, absolute, disabled, reset
)
sign_in_failures = Table(
    "portal_sign_in_failure", metadata,
    Column("username", String(40), primary_key=True),  # as typed (normalised), real or not
    Column("consecutive", Integer, nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)
saved_filters = Table(
    "adhoc_saved_filter", metadata,
    Column("filter_id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(80), nullable=False, index=True),  # the owner's user name (their key)
    Column("owner_name", String(80), nullable=False),  # the name shown to others
    Column("owner_role", String(40), nullable=False),
    Column("name", String(SAVED_FILTER_NAME), nullable=False),
    Column("shared", Boolean, nullable=False, default=False),
    Column("definition", Text, nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("owner", "name", name="uq_adhoc_filter_owner_name"),
)
# every city-wide alert check: the as-of moment it evaluated, the data version it read, when it
# finished and which rules failed, so a page finds a check already made instead of repeating it
alert_checks = Table(
    "alert_check", metadata,
    Column("check_id", Integer, primary_key=True, autoincrement=True),
    Column("moment", DateTime, nullable=False, index=True),  # Beijing wall clock, as alert.first_seen
    Column("data_version", String(80), nullable=False, default=""),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("failed", String(2000), nullable=False, default=""),  # rule ids that failed, comma-separated
)

alerts = Table(
    "alert", metadata,
    Column("alert_id", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", String(40), nullable=False, index=True),
    Column("subject_key", String(80), nullable=False),
    Column("area_code", String(12), nullable=False, default="", index=True),
    Column("severity", String(10), nullable=False),  # 提示, 警告, 严重
    Column("value", Float, nullable=True),
    Column("detail", String(500), nullable=False, default=""),
    # first and last seen: the as-of moments (Beijing wall clock) of the checks that found it
    Column("first_seen", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
    Column("state", String(20), nullable=False, index=True),  # new, acknowledged, handled, cleared
    Column("level", Integer, nullable=False, default=0),  # 0 street, 1 district, 2 city
    Column("escalated", Boolean, nullable=False, default=False),
    Column("acknowledged_by", String(80), nullable=True),
    Column("acknowledged_at", DateTime(timezone=True), nullable=True),
    Column("acknowledge_note", String(500), nullable=True),
    Column("handled_by", String(80), nullable=True),
    Column("handled_at", DateTime(timezone=True), nullable=True),
    Column("handle_note", String(500), nullable=True),
    Column("cleared_at", DateTime, nullable=True),  # the as-of moment of the check that found it gone
)
# one live (not cleared) alert per rule and subject, even when two checks run at the same moment
Index("uq_alert_live", alerts.c.rule_id, alerts.c.subject_key, unique=True,
      sqlite_where=alerts.c.state != "cleared", postgresql_where=alerts.c.state != "cleared")
id_series = Table(
    "id_series", metadata,
    Column("series", String(40), primary_key=True),  # zone_plan, risk_zone, screening_topic
    Column("last_id", Integer, nullable=False),
)


def store_url() -> str:
    return os.environ.get("EPI_PORTAL_DB", "").strip() or DEFAULT_URL


SQLITE_BUSY_S = 30  # a writer waits this long for another's transaction, instead of "database is locked"


def _sqlite_for_many(dbapi_connection, _record) -> None:
    """Many sessions sign in at once: readers go on while one writes (write-ahead log), and a
    writer waits its turn."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_S * 1000}")
    cursor.close()


@lru_cache(maxsize=4)
def _engine(url: str):
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
        # a connection per use, not a pool of 15 (SQLite takes its writers one at a time anyway):
        # a hundred sessions signing in at once must not wait for a pooled connection and give up
        pooling = {} if ":memory:" in url else {"poolclass": NullPool}
        engine = create_engine(url, future=True, pool_pre_ping=True, connect_args={"timeout": SQLITE_BUSY_S},
                               **pooling)
        event.listen(engine, "connect", _sqlite_for_many)
    else:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


_opening = threading.Lock()  # sessions' threads opening the store at once create its tables once


def engine():
    """The store's engine, every table created (once per URL and process)."""
    url = store_url()
    with _opening:
        return _engine(url)


def next_ids(series: str, above: int = 0, count: int = 1) -> int:
    """Take `count` consecutive new numbers of an id series; returns the first.

    The numbers follow both the series' last number and `above` (the highest id already in the
    warehouse, so rows written there by others — the seed, a department file — are never
    reused). One UPDATE raises the series in a transaction: a second caller waits for it and
    starts after it, so two saves at the same moment never share a number."""
    if count < 1:
        raise ValueError("count must be at least 1")
    for _ in range(2):  # the first use of a series inserts its row; a concurrent insert wins once
        with engine().begin() as conn:
            raised = conn.execute(update(id_series).where(id_series.c.series == series).values(
                last_id=_greatest(id_series.c.last_id, int(above)) + count)).rowcount
            if raised:
                last = conn.execute(select(id_series.c.last_id).where(id_series.c.series == series)).scalar_one()
                return int(last) - count + 1
        try:
            with engine().begin() as conn:
                conn.execute(insert(id_series).values(series=series, last_id=int(above) + count))
            return int(above) + 1
        except IntegrityError:
            continue
    raise RuntimeError(f"id series {series!r} could not be raised")


def _greatest(column, value: int):
    """max(column, value) in SQL, on SQLite and PostgreSQL alike."""
    return case((column >= value, column), else_=value)
