"""Unit codes, the one shape every layer checks: a 6-digit district (区县), a 9-digit street
(街道) or a 12-digit community (社区); the empty code stands for the whole city. A unit's code
starts with its ancestors' codes, so a jurisdiction is a code prefix."""

from __future__ import annotations

import re

GRAINS = (6, 9, 12)


def code_pattern(grains: tuple[int, ...] = GRAINS, city: bool = True) -> re.Pattern[str]:
    """The codes of the given grains (and the empty city code when `city`), whole string only."""
    alternatives = ([""] if city else []) + [rf"\d{{{n}}}" for n in grains]
    return re.compile(rf"^({'|'.join(alternatives)})$")


UNIT_CODE = code_pattern()


def is_unit_code(code: str) -> bool:
    return bool(UNIT_CODE.match(code))


def ancestors(code: str) -> list[str]:
    """The codes from the district down to the unit itself (none for the city)."""
    return [code[:n] for n in GRAINS if len(code) >= n]
