"""Turning a list of people (e.g. space-time companions) into a new screening topic."""

from __future__ import annotations

import datetime as dt

from portal.errors import EpiError, WarehouseError
from portal.ids import new_ids
from queries import registry
from warehouse.rules.clock import now_beijing


class TopicError(EpiError, ValueError):
    """Why a topic could not be created, in words for the user."""


def create_topic(scope: str, name: str, person_ids: list[int], window: tuple[dt.datetime, dt.datetime],
                 department: str = "CDC", category: str = "CDC-07") -> int:
    """Write the records, then register the topic; on failure remove the records again."""
    name = name.strip()
    if not name:
        raise TopicError("请填写专题名称。")
    if len(name) > 60:
        raise TopicError("专题名称不超过 60 个字。")
    if not person_ids:
        raise TopicError("名单为空，没有可下发的人员。")
    topic_id = new_ids("screening_topic", scope)
    batch_id = f"portal-topic-{topic_id}-{now_beijing():%Y%m%d%H%M%S}"
    ids = sorted({int(p) for p in person_ids})
    registry.execute("screening/add_topic_records", scope, topic_id=topic_id, person_ids=ids,
                     batch_id=batch_id, department=department, category=category)
    written = registry.run("screening/undispatched", scope, topic_id=topic_id).iloc[0]
    if int(written["ready"]) + int(written["no_residence"]) == 0:
        raise TopicError("名单中的人员都不在您的管辖范围内，没有可下发的人员。")
    try:
        registry.execute("screening/add_topic", scope, topic_id=topic_id, topic_name=name,
                         window_start=f"{window[0]:%Y-%m-%d %H:%M:%S}", window_end=f"{window[1]:%Y-%m-%d %H:%M:%S}",
                         departments=[department])
    except WarehouseError:
        registry.execute("screening/drop_topic_records", scope, topic_id=topic_id, batch_id=batch_id)
        raise
    return topic_id
