"""The audit log: who did what to whose data, when — person-file views, verification outcomes,
sign-ins and user administration.

A relational store through SQLAlchemy, apart from the warehouse: a SQLite file under data/ by
default, PostgreSQL (or any SQLAlchemy URL) by EPI_AUDIT_URL. One general table — event kind,
actor, role, scope, subject, detail, time — so later kinds (exports, sign-ins) need no change.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, func, insert, select

from warehouse.clock import day_start, now_utc, wall_clock
from warehouse.settings import REPO_ROOT

if TYPE_CHECKING:
    from portal.auth.session import Identity

DEFAULT_URL = f"sqlite:///{REPO_ROOT / 'data' / 'audit.sqlite'}"

metadata = MetaData()
events = Table(
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


def audit_url() -> str:
    return os.environ.get("EPI_AUDIT_URL", "").strip() or DEFAULT_URL


@lru_cache(maxsize=4)
def _engine(url: str):
    if url.startswith("sqlite:///"):
        os.makedirs(os.path.dirname(url.removeprefix("sqlite:///")) or ".", exist_ok=True)
    engine = create_engine(url, future=True, pool_pre_ping=True)
    metadata.create_all(engine)
    return engine


def engine():
    """The relational store's engine (audit log, and other portal tables that live beside it)."""
    import portal.auth.users  # noqa: F401  (its tables are in this metadata: created with the log's)

    return _engine(audit_url())


def record(kind: str, identity: Identity, subject: str, detail: str = "") -> None:
    """Append one event (committed before returning)."""
    with engine().begin() as conn:
        conn.execute(insert(events).values(
            at=now_utc(), kind=kind, actor=identity.name, role=identity.role,
            scope=identity.scope, subject=subject, detail=detail[:500]))


def recent(kind: str | None = None, subject: str | None = None, limit: int = 100) -> pd.DataFrame:
    """The latest events, newest first (optionally of one kind / about one subject)."""
    query = select(events).order_by(events.c.event_id.desc()).limit(limit)
    if kind:
        query = query.where(events.c.kind == kind)
    if subject:
        query = query.where(events.c.subject == subject)
    with engine().connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in events.columns])


SEARCH_LIMIT = 5000


def search(actor: str = "", kinds: list[str] | tuple[str, ...] = (), subject: str = "",
           first_day: dt.date | None = None, last_day: dt.date | None = None,
           limit: int = SEARCH_LIMIT) -> pd.DataFrame:
    """Events matching every filter given, newest first: actor and subject contain the text
    (any case), kind is one of `kinds`, the time falls on the Beijing days first_day–last_day."""
    query = select(events).order_by(events.c.at.desc(), events.c.event_id.desc()).limit(limit)
    if actor.strip():
        query = query.where(func.lower(events.c.actor).contains(actor.strip().lower(), autoescape=True))
    if subject.strip():
        query = query.where(func.lower(events.c.subject).contains(subject.strip().lower(), autoescape=True))
    if kinds:
        query = query.where(events.c.kind.in_(list(kinds)))
    if first_day:
        query = query.where(events.c.at >= day_start(first_day))
    if last_day:
        query = query.where(events.c.at < day_start(last_day + dt.timedelta(days=1)))
    with engine().connect() as conn:
        df = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in events.columns])
    # stored in UTC (SQLite hands it back without a zone); shown in Beijing time
    df["at"] = wall_clock(pd.to_datetime(df["at"], utc=True))
    return df


def listing(found: pd.DataFrame) -> pd.DataFrame:
    """Events as the audit log lists them: kinds and roles in words, the city for an empty scope."""
    from portal.glossary import AUDIT_KINDS, ROLES

    return found.assign(
        event=found["kind"].map(lambda k: AUDIT_KINDS.get(k, k)),
        role=found["role"].map(lambda r: ROLES.get(r, r or "—")),
        scope=found["scope"].where(found["scope"] != "", found["role"].map(lambda r: "全市" if r else "—")),
        at=found["at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
    )[["event_id", "at", "event", "actor", "role", "scope", "subject", "detail"]]


def kinds_seen() -> list[str]:
    with engine().connect() as conn:
        return sorted(r[0] for r in conn.execute(select(events.c.kind).distinct()))
