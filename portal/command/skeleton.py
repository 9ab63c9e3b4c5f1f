"""The fixed list of Chengdu's 20 units (from the census reference), for pickers."""

from __future__ import annotations

from seed.skeleton import load_districts


def district_choices() -> dict[str, str]:
    return {d.code: d.name for d in load_districts()}
