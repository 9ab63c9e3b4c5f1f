"""Whether the warehouse's schema is what this code needs, for the portal and its CLIs (which
do not import the warehouse themselves)."""

from __future__ import annotations

from warehouse import get_warehouse
from warehouse.migrate import ensure_current as _ensure_current


def ensure_current() -> None:
    """Open the process's single client and raise SchemaOutdated (an EpiError, one sentence
    naming the command to run) when the database is behind the code."""
    _ensure_current(get_warehouse())
