"""The real skeleton: Chengdu's 20 units from the census, and how streets and persons
are shared out among them (largest-remainder rounding, so every unit is within 1%)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REFERENCE = Path(__file__).parent / "reference" / "chengdu_districts.csv"
TOTAL_STREETS = 261
COMMUNITIES_PER_STREET = 12
COMPOUNDS_PER_COMMUNITY = 6
PLACES_PER_COMMUNITY = 3


@dataclass(frozen=True)
class District:
    code: str
    name: str
    kind: str
    population_2020: int
    lon: float
    lat: float


def load_districts() -> list[District]:
    with open(REFERENCE, encoding="utf-8") as handle:
        return [
            District(r["adcode"], r["name"], r["kind"], int(r["population_2020"]),
                     float(r["lon"]), float(r["lat"]))
            for r in csv.DictReader(handle)
        ]


def apportion(total: int, weights: list[int], minimum: int = 0) -> list[int]:
    """Split total into integers proportional to weights (largest remainder), each >= minimum."""
    spare = total - minimum * len(weights)
    wsum = sum(weights)
    exact = [spare * w / wsum for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: spare - sum(shares)]:
        shares[i] += 1
    return [s + minimum for s in shares]


def cumulative(values: list[int]) -> tuple[list[int], list[int]]:
    starts, ends, acc = [], [], 0
    for v in values:
        starts.append(acc)
        acc += v
        ends.append(acc)
    return starts, ends


def skeleton_parameters(person_fraction: float) -> dict:
    """Arrays the generating SQL indexes by district (1-based in ClickHouse)."""
    districts = load_districts()
    pops = [d.population_2020 for d in districts]
    streets = apportion(TOTAL_STREETS, pops, minimum=5)
    persons = [round(p * person_fraction) for p in pops]
    s_start, s_end = cumulative(streets)
    p_start, p_end = cumulative(persons)
    return {
        "d_codes": [d.code for d in districts],
        "d_names": [d.name for d in districts],
        "d_kinds": [d.kind for d in districts],
        "d_streets": streets,
        "d_street_start": s_start,
        "d_street_end": s_end,
        "d_persons": persons,
        "d_person_start": p_start,
        "d_person_end": p_end,
        "total_persons": p_end[-1],
        "total_streets": s_end[-1],
    }
