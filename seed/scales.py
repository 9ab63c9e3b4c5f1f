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

    @property
    def capacity_share(self) -> float:
        """The share of the real city's sampling capacity one generated site stands for: the
        share of the census generated, times the real sites each generated one stands for (a
        scale with fewer sites per community than the city gives each a larger catchment)."""
        return self.person_fraction * CITY_SITES_PER_COMMUNITY / self.sites_per_community


CITY_SITES_PER_COMMUNITY = 2.67  # the real city's sampling sites per community (demo and larger keep it)


SCALES: dict[str, Scale] = {
    "tiny": Scale("tiny", 0.001, 1.0, 0.5),
    "demo": Scale("demo", 0.01, CITY_SITES_PER_COMMUNITY, 0.5),
    "city": Scale("city", 0.1, CITY_SITES_PER_COMMUNITY, 0.5),
    "full": Scale("full", 1.0, CITY_SITES_PER_COMMUNITY, 0.6),
}
