"""The audit log: who did what to whose data, when — person-file views and verification outcomes.

A relational store through SQLAlchemy, apart from the warehouse: a SQLite file under data/ by
default, PostgreSQL (or any SQLAlchemy URL) by EPI_AUDIT_URL. One general table — event kind,
actor, role, scope, subject, detail, time — so later kinds (exports, sign-ins) need no change.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache

import pandas as pd
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, create_engine, insert, select

from portal.session import Identity
from warehouse.settings import REPO_ROOT

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
    return _engine(audit_url())


def record(kind: str, identity: Identity, subject: str, detail: str = "") -> None:
    """Append one event (committed before returning)."""
    with engine().begin() as conn:
        conn.execute(insert(events).values(
            at=dt.datetime.now(dt.timezone.utc), kind=kind, actor=identity.name, role=identity.role,
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
