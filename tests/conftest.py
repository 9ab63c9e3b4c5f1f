"""Every fixture of the test session, in one place.

One tiny warehouse (deterministic seed) is built once, in-process, and shared by every test; a
closed copy of it taken right after the seed is the template from which each portal server of
the browser tests gets its own folder (the embedded engine holds a folder for one process), so
nothing is seeded twice. Servers that only read are shared for the whole session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["TZ"] = "Asia/Shanghai"
os.environ.setdefault("EPI_WARM_UP", "0")  # no background warm-up beside tests that count the engine's calls
TEST_SEED = 20220220


@pytest.fixture(scope="session", autouse=True)
def session_audit_store(tmp_path_factory):
    """Users, sessions and audit events of the test session go to a file of its own, never to
    the repository's data/ (a test may point EPI_PORTAL_DB elsewhere for itself)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'audit.sqlite'}"
    os.environ["EPI_PORTAL_DB"] = url
    return url


@pytest.fixture(autouse=True)
def zones_read_afresh():
    """Tests write and delete risk zones directly, where the portal's own writes drop the zones
    in force it shares for a few seconds (portal.data.forget_recent): each test reads them afresh."""
    from portal.data import forget_recent

    forget_recent()


@pytest.fixture(scope="session")
def tiny_warehouse(tmp_path_factory):
    """A migrated, seeded `tiny` warehouse; the process-wide client points at it. `template` is
    a copy of the folder as the seed left it, for other processes (see warehouse_copy)."""
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
    # closing the client shuts the embedded engine down, so the folder is complete and unlocked
    # while it is copied; the same folder is then opened again for the tests
    reset_warehouse()
    template = tmp_path_factory.mktemp("warehouse-template") / "data"
    shutil.copytree(folder, template, symlinks=True)  # the engine's links are relative
    wh = get_warehouse()
    return {"wh": wh, "folder": folder, "template": template, "counts": counts}


@pytest.fixture(scope="session")
def wh(tiny_warehouse):
    return tiny_warehouse["wh"]


@pytest.fixture(scope="session")
def as_of():
    import datetime as dt

    return dt.date(2022, 3, 1)


# -- browser tests: Debian's chromium and portal servers -----------------------------------------

def warehouse_copy(tiny_warehouse, tmp_path_factory, name: str) -> Path:
    """A folder of its own holding the session's seeded warehouse, for one other process."""
    folder = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(tiny_warehouse["template"], folder, symlinks=True)
    return folder


@pytest.fixture
def own_warehouse(tiny_warehouse, tmp_path_factory) -> Path:
    """The folder of a copy of the session's seeded warehouse, for a test's own subprocesses."""
    return warehouse_copy(tiny_warehouse, tmp_path_factory, "own-warehouse")


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright, started per module as before, so that Playwright's
    event loop is not kept open across the AppTest modules that run between the browser ones."""
    from playwright.sync_api import sync_playwright
    from portal_server import CHROMIUM_FLAGS

    exe = shutil.which("chromium")
    assert exe, "Debian's chromium is required for the browser tests: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(tiny_warehouse, session_audit_store, tmp_path_factory):
    """The portal on a copy of the session's warehouse, users in the session's audit store: for
    the browser tests that only read (cockpit, tracing, zones, appeals, quarantine, sign-in) and
    the mass-testing one, whose site marks only the mass-testing pages read."""
    from portal_server import serve

    folder = warehouse_copy(tiny_warehouse, tmp_path_factory, "server")
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}", "EPI_PORTAL_DB": session_audit_store}
    with serve(env) as url:
        yield url


@pytest.fixture(scope="session")
def audited_server(tiny_warehouse, tmp_path_factory):
    """The portal on a copy of the session's warehouse with an audit store of its own, so the
    browser tests can read back exactly the views and exports they caused (ad-hoc analysis,
    masking, person file; none of them writes to the warehouse)."""
    from portal_server import serve

    folder = warehouse_copy(tiny_warehouse, tmp_path_factory, "audited-server")
    audit_url = f"sqlite:///{folder.parent / 'audit.sqlite'}"
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}", "EPI_PORTAL_DB": audit_url}
    with serve(env) as url:
        yield {"url": url, "audit": audit_url}


@pytest.fixture(scope="module")
def sources_server(wh, tiny_warehouse, tmp_path_factory):
    """The portal on a warehouse of its own, after loading a GBK person file with bad rows into it
    with the CLI (the load writes, so no other test shares this folder)."""
    from ingestion_files import FIRST_TEST_PERSON, PERSON_HEADER_ZH, person_rows, with_defects, write_csv
    from portal_server import serve

    folder = warehouse_copy(tiny_warehouse, tmp_path_factory, "sources-server")
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}"}
    communities = [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 20")]
    rows, bad = with_defects(person_rows(300, communities, first=FIRST_TEST_PERSON + 8000), every=25)
    path = write_csv(folder.parent / "常住人口_0301.csv", PERSON_HEADER_ZH, rows, encoding="gbk", newline="\r\n")
    done = subprocess.run([sys.executable, "-m", "warehouse", "load", "--department", "PSB", "--category", "PSB-01",
                           str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "读取 read 300 = 载入 loaded 288 + 拒收 rejected 12" in done.stdout, done.stdout + done.stderr
    with serve(env) as url:
        yield url, bad


# -- shared by several modules ---------------------------------------------------------------------

@pytest.fixture
def own_audit_store(tmp_path, monkeypatch):
    """An empty audit store for one test (modules that read back audit events use it for every
    test: pytestmark = pytest.mark.usefixtures("own_audit_store"))."""
    monkeypatch.setenv("EPI_PORTAL_DB", f"sqlite:///{tmp_path / 'audit.sqlite'}")


@pytest.fixture(scope="module")
def communities(wh):
    """The first forty community codes of the tiny seed, for the files the ingestion tests write."""
    return [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 40")]
