"""Seed scales: how much of the synthetic Chengdu to generate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """One seed size; person_fraction is the share of the 2020 census generated as persons."""

    name: str
    person_fraction: float
    sites_per_community: float  # mean; each community gets floor(mean + u) sites
    active_day_share: float  # share of days on which a person leaves trajectory points


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 0.001, 1.0, 0.5),
    "demo": Scale("demo", 0.01, 2.67, 0.5),
    "city": Scale("city", 0.1, 2.67, 0.5),
    "full": Scale("full", 1.0, 2.67, 0.6),
}
