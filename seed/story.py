"""The storyline's fixed facts; the protocol it follows is warehouse.rules.policy.POLICY (DOMAIN.md defaults)."""

from __future__ import annotations

import datetime as dt

STORY_START = dt.date(2022, 2, 10)
STORY_END = dt.date(2022, 3, 20)  # last day with data
INDEX_CONFIRMED = dt.date(2022, 2, 20)
BUILDING_NAME = "棕榈泉大厦"
INDEX_TOPIC = "成都220棕榈泉大厦"
CLUSTER_NAME = "成都220"

# mass-testing rounds: (round id, first day, days, districts or None for the whole city)
ROUNDS = [
    (1, dt.date(2022, 2, 21), 1, ["510104", "510107", "510108"]),
    (2, dt.date(2022, 2, 24), 1, ["510104", "510105", "510106", "510107", "510108"]),
    (3, dt.date(2022, 3, 1), 2, None),
    (4, dt.date(2022, 3, 8), 1, ["510104", "510107", "510108", "510116", "510112"]),
]


def story_days() -> list[dt.date]:
    days, d = [], STORY_START
    while d <= STORY_END:
        days.append(d)
        d += dt.timedelta(days=1)
    return days


def mass_day_parameters() -> dict:
    """Each mass-testing day with its round's length and districts (empty = whole city)."""
    days, lengths, districts = [], [], []
    for _round_id, first, n_days, units in ROUNDS:
        for i in range(n_days):
            days.append(first + dt.timedelta(days=i))
            lengths.append(n_days)
            districts.append(units or [])
    return {"mass_days": days, "mass_day_len": lengths, "mass_day_districts": districts}
