"""Named ad-hoc filters, saved in the portal's relational store (portal.auth.store) beside the
audit log.

A filter belongs to its owner; shared ones are listed to every user of the page. What is stored
is the definition only (table, fields, conditions, groups, measures, order) — never a scope: a
shared filter opened by a district operator runs under that operator's own jurisdiction. A
definition is checked when saved and again every time it is opened.
"""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.adhoc import adhoc
from portal.auth import store
from portal.auth.identity import Identity
from warehouse.rules.clock import now_utc

MAX_NAME = store.SAVED_FILTER_NAME
saved = store.saved_filters


def owner_of(identity: Identity) -> str:
    """The key a filter is owned by: the user name when the identity has one, else the name."""
    return getattr(identity, "username", "") or identity.name


def check_name(name) -> str:
    """The name as stored (trimmed), or AnalysisRefused saying what is wrong with it."""
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise adhoc.AnalysisRefused("请填写筛选名称。")
    if len(text) > MAX_NAME:
        raise adhoc.AnalysisRefused(f"筛选名称最多 {MAX_NAME} 个字（现有 {len(text)} 个），请改短。")
    if any(ord(ch) < 32 for ch in text):
        raise adhoc.AnalysisRefused("筛选名称不能含换行或制表符。")
    return text


def save(identity: Identity, name: str, definition: dict, shared: bool = False) -> int:
    """Store a new named filter for its owner; its id. A name the owner already used is refused."""
    text = check_name(name)
    adhoc.parse(definition, identity)  # nothing unusable is stored
    row = dict(owner=owner_of(identity), owner_name=identity.name, owner_role=identity.role, name=text, shared=bool(shared),
               definition=adhoc.canonical(definition), saved_at=now_utc())
    try:
        with store.engine().begin() as conn:
            taken = conn.execute(select(saved.c.filter_id).where(
                saved.c.owner == owner_of(identity), saved.c.name == text)).first()
            if taken:
                raise adhoc.AnalysisRefused(f"您已有名为“{text}”的筛选：请换一个名称，或先删除原有的。")
            return int(conn.execute(insert(saved).values(**row)).inserted_primary_key[0])
    except IntegrityError:
        raise adhoc.AnalysisRefused(f"您已有名为“{text}”的筛选：请换一个名称，或先删除原有的。") from None


def listed(identity: Identity) -> pd.DataFrame:
    """The user's own filters and those others shared: id, name, owner (the name shown), shared,
    mine, saved_at."""
    query = (select(saved.c.filter_id, saved.c.name, saved.c.owner_name.label("owner"),
                    (saved.c.owner == owner_of(identity)).label("mine"), saved.c.shared, saved.c.saved_at)
             .where(or_(saved.c.owner == owner_of(identity), saved.c.shared.is_(True)))
             .order_by(saved.c.name, saved.c.filter_id))
    with store.engine().connect() as conn:
        df = pd.DataFrame(conn.execute(query).mappings().all(),
                          columns=["filter_id", "name", "owner", "mine", "shared", "saved_at"])
    return df.astype({"mine": bool, "shared": bool})


def load(identity: Identity, filter_id: int) -> dict:
    """A definition the user may open (their own, or shared), checked against the catalogue."""
    with store.engine().connect() as conn:
        row = conn.execute(select(saved).where(saved.c.filter_id == int(filter_id))).mappings().first()
    if row is None or not (row["owner"] == owner_of(identity) or row["shared"]):
        raise adhoc.AnalysisRefused("该筛选不存在，或未共享给您。")
    try:
        definition = json.loads(row["definition"])
    except ValueError:
        raise adhoc.AnalysisRefused(f"筛选“{row['name']}”的内容已损坏，无法打开。") from None
    adhoc.parse(definition, identity)
    return definition


def remove(identity: Identity, filter_id: int) -> None:
    """Delete one of the user's own filters."""
    with store.engine().begin() as conn:
        gone = conn.execute(delete(saved).where(saved.c.filter_id == int(filter_id),
                                                saved.c.owner == owner_of(identity))).rowcount
    if not gone:
        raise adhoc.AnalysisRefused("只能删除自己保存的筛选。")


def share(identity: Identity, filter_id: int, shared: bool) -> None:
    with store.engine().begin() as conn:
        done = conn.execute(update(saved).where(saved.c.filter_id == int(filter_id), saved.c.owner == owner_of(identity))
                            .values(shared=bool(shared))).rowcount
    if not done:
        raise adhoc.AnalysisRefused("只能共享自己保存的筛选。")
