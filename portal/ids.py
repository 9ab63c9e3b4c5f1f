"""New numbers for rows the portal writes to the warehouse: zone plans, published zones and
screening topics.

ClickHouse has no sequence, and `max() + 1` read before a write hands the same number to two
people saving at the same moment. So a number comes from the portal's relational store
(portal.auth.store.next_ids: one UPDATE in a transaction), above the highest already in the
warehouse (queries/meta/last_ids.sql), so rows the seed or a department file wrote are never
reused. Numbers stay small integers: topic numbers are shown to people as they were.
"""

from __future__ import annotations

from portal.auth import store
from queries import registry

SERIES = {"zone_plan": "plan_id", "risk_zone": "zone_id", "screening_topic": "topic_id"}


def new_ids(series: str, scope: str, count: int = 1) -> int:
    """The first of `count` consecutive new numbers of a series (zone_plan, risk_zone,
    screening_topic); nobody else gets any of them."""
    highest = registry.run("meta/last_ids", scope).iloc[0]
    return store.next_ids(series, above=int(highest[SERIES[series]]), count=count)
