"""The audit log: who did what to whose data, when — person-file views, verification outcomes,
sign-ins and user administration.

One general table of the portal's relational store (portal.auth.store: SQLite by default,
PostgreSQL by EPI_PORTAL_DB) — event kind, actor, role, scope, subject, detail, time — so later
kinds (exports, sign-ins) need no change.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, insert, select

from portal.auth import store
from portal.auth.identity import Identity
from warehouse.rules.clock import day_start, now_utc, stamp, wall_clock

events = store.audit_events


def record(kind: str, identity: Identity, subject: str, detail: str = "") -> None:
    """Append one event (committed before returning)."""
    with store.engine().begin() as conn:
        conn.execute(insert(events).values(
            at=now_utc(), kind=kind, actor=identity.name, role=identity.role,
            scope=identity.scope, subject=subject, detail=detail[:500]))


def record_many(kind_subject_detail: list[tuple[str, str, str]], identity: Identity) -> None:
    """Append several events by one actor in one transaction (kind, subject, detail each)."""
    if not kind_subject_detail:
        return
    at = now_utc()
    with store.engine().begin() as conn:
        conn.execute(insert(events), [
            {"at": at, "kind": kind, "actor": identity.name, "role": identity.role, "scope": identity.scope,
             "subject": subject, "detail": detail[:500]} for kind, subject, detail in kind_subject_detail])


def recent(kind: str | None = None, subject: str | None = None, limit: int = 100) -> pd.DataFrame:
    """The latest events, newest first (optionally of one kind / about one subject)."""
    query = select(events).order_by(events.c.event_id.desc()).limit(limit)
    if kind:
        query = query.where(events.c.kind == kind)
    if subject:
        query = query.where(events.c.subject == subject)
    with store.engine().connect() as conn:
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
        stored = subject_query(subject).lower()
        query = query.where(func.lower(events.c.subject).contains(stored, autoescape=True))
    if kinds:
        query = query.where(events.c.kind.in_(list(kinds)))
    if first_day:
        query = query.where(events.c.at >= day_start(first_day))
    if last_day:
        query = query.where(events.c.at < day_start(last_day + dt.timedelta(days=1)))
    with store.engine().connect() as conn:
        df = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in events.columns])
    # stored in UTC (SQLite hands it back without a zone); shown in Beijing time
    df["at"] = wall_clock(pd.to_datetime(df["at"], utc=True))
    return df


def listing(found: pd.DataFrame, unit_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Events as the audit log lists them: kinds and roles in words, the city for an empty scope
    and a jurisdiction by its name with its code (`unit_names`: code → name), ID numbers and
    phones in a subject or detail (an ad-hoc query's conditions) masked."""
    from portal.glossary import AUDIT_KINDS, ROLES
    from portal.people.masking import mask_text

    return found.assign(
        event=found["kind"].map(lambda k: AUDIT_KINDS.get(k, k)),
        role=found["role"].map(lambda r: ROLES.get(r, r or "—")),
        scope=found["scope"].map(lambda c: f"{(unit_names or {})[c]}（{c}）" if c in (unit_names or {}) else c)
        .where(found["scope"] != "", found["role"].map(lambda r: "全市" if r else "—")),
        at=found["at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        subject=found["subject"].map(subject_label).map(mask_text),
        detail=found["detail"].map(mask_text),
    )[["event_id", "at", "event", "actor", "role", "scope", "subject", "detail"]]


def subject_label(subject: str) -> str:
    """What an event is about, in words: `person:12` → 人员：12, `adhoc:person` → 自助分析：人口
    (an ad-hoc table by its catalogue name), `city` → 全市; an unknown prefix stays as it is."""
    from portal.glossary import AUDIT_SUBJECTS

    head, sep, rest = str(subject).partition(":")
    kind = "hotel-" if head.startswith("hotel-") else head  # a quarantine page's list of one kind
    name = AUDIT_SUBJECTS.get(kind)
    if name is None:
        return str(subject)
    if not sep:
        return name
    if kind == "adhoc":
        from portal.adhoc.catalogue import table

        found = table(rest)
        rest = found.label if found is not None else rest
    return f"{name}：" + ":".join("全市" if part == "city" else part for part in rest.split(":"))


def subject_query(text: str) -> str:
    """A subject search as stored: a leading label in words (人员：12) back to its prefix (person:12)."""
    from portal.glossary import AUDIT_SUBJECTS

    text = text.strip().replace("：", ":")
    for prefix, name in sorted(AUDIT_SUBJECTS.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(name):
            return prefix + text[len(name):]
    return text


def shown(kind: str, subject: str, limit: int = 20) -> pd.DataFrame:
    """The latest events of a kind about one subject as the audit log lists them (Beijing time)."""
    found = recent(kind, subject=subject, limit=limit)
    return listing(found.assign(at=wall_clock(pd.to_datetime(found["at"], utc=True))))


def export_name() -> str:
    """The audit log download's file name, stamped with the Beijing minute it was taken."""
    return f"审计日志_{stamp(fmt='%Y%m%d_%H%M')}.csv"


def kinds_seen() -> list[str]:
    with store.engine().connect() as conn:
        return sorted(r[0] for r in conn.execute(select(events.c.kind).distinct()))
