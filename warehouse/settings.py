"""Warehouse settings, read once from the environment into a frozen dataclass."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "data" / "warehouse"
DATABASE = "epi"


@dataclass(frozen=True)
class WarehouseSettings:
    """Where the theme database lives and how long a query may run."""

    url: str
    query_timeout_s: int = 30
    row_cap: int = 200_000

    @property
    def embedded(self) -> bool:
        return self.url.startswith("chdb://")

    @property
    def data_dir(self) -> Path | None:
        if not self.embedded:
            return None
        return Path(self.url.removeprefix("chdb://"))


def load_settings() -> WarehouseSettings:
    """Settings from EPI_WAREHOUSE_URL (default: embedded engine at data/warehouse)."""
    url = os.environ.get("EPI_WAREHOUSE_URL", "").strip() or f"chdb://{DEFAULT_DATA_DIR}"
    return WarehouseSettings(
        url=url,
        query_timeout_s=int(os.environ.get("EPI_QUERY_TIMEOUT_S", "30")),
        row_cap=int(os.environ.get("EPI_ROW_CAP", "200000")),
    )
