"""One tiny warehouse for the whole test session (deterministic seed), shared by every test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["TZ"] = "Asia/Shanghai"
TEST_SEED = 20220220


@pytest.fixture(scope="session", autouse=True)
def session_audit_store(tmp_path_factory):
    """Users, sessions and audit events of the test session go to a file of its own, never to
    the repository's data/ (a test may point EPI_PORTAL_DB elsewhere for itself)."""
    os.environ["EPI_PORTAL_DB"] = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.sqlite'}"


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory):
    """A migrated, seeded `tiny` warehouse; the process-wide client points at it."""
    folder = tmp_path_factory.mktemp("warehouse") / "data"
    os.environ["EPI_WAREHOUSE_URL"] = f"chdb://{folder}"
    from seed.runner import run
    from seed.scales import SCALES
    from warehouse import get_warehouse, reset_warehouse
    from warehouse.migrate import migrate

    reset_warehouse()
    wh = get_warehouse()
    migrate(wh, log=lambda _m: None)
    counts = run(wh, SCALES["tiny"], TEST_SEED, rebuild=False)
    return {"wh": wh, "folder": folder, "counts": counts}


@pytest.fixture(scope="session")
def wh(tiny_warehouse):
    return tiny_warehouse["wh"]


@pytest.fixture(scope="session")
def as_of():
    import datetime as dt

    return dt.date(2022, 3, 1)
