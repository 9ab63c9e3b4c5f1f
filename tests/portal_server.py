"""Helpers of the browser tests: a portal server (`streamlit run` on a free port, on a warehouse
folder the caller gives it, ready when its health check answers), chromium's flags, screenshots
and metric cards. The fixtures that use them are in conftest.py."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from signing import SERVER_STORES

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
# the app is idle: no script run under way (Streamlit's status widget is gone) and nothing drawn
# by an earlier run is left stale
IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict):
    """Yield the URL of a running portal on the environment's warehouse; stop it afterwards.
    Its messages go to a temporary file, not a pipe: a server kept for the whole session would
    stop once a pipe nobody reads is full."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    url = f"http://127.0.0.1:{port}"
    SERVER_STORES[url] = env.get("EPI_PORTAL_DB", "")  # where browser_sign_in creates its users
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        log.seek(0)
        pytest.fail("streamlit did not start: " + log.read().decode(errors="replace")[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a loaded machine can be slow to stop it
            proc.kill()
            proc.wait(timeout=20)
        log.close()


def idle(page, timeout: int = 120_000) -> None:
    """Wait until the app has finished its run. A button drawn by a run still under way may be
    drawn again with a new id before the click lands (a download then never starts)."""
    page.wait_for_timeout(500)
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(500)


def failures(page) -> list[str]:
    """The texts of what went wrong on the page: an exception, or an error message. The live
    congestion alert of the mass-testing page (排队超限告警, red by design) is what a site lead's
    mark says, not a failure; a mark made by an earlier test shows it for two hours."""
    shown = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [text for text in shown.all_inner_texts() if not text.startswith("排队超限告警")]


def metric_value(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def shoot(page, path: Path) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its own container, so grow it."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 0; }")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height) + 40, 6000))})
    page.evaluate("() => { const m = document.querySelector('[data-testid=\"stMain\"]'); if (m) m.scrollTo(0, 0); }")
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
