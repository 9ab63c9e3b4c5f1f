"""What the browser benchmarks share: a `streamlit run` portal on a free port, Debian's Chromium
with the project's flags, the one way a benchmark signs in, and when the cockpit counts as ready.

Everything is Playwright's async API, so one browser can drive many sessions at once.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import accounts

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
READY_TIMEOUT_MS = 180_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict | None = None, root: Path = ROOT):
    """Yield (url, process) of `streamlit run portal/app.py` from `root` on env's warehouse; stop
    it after. The embedded folder must not be open in any other process. Its messages go to a
    temporary file (a pipe nobody reads would stop a busy server)."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=root, env=dict(env or os.environ), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    log.seek(0)
                    raise RuntimeError("streamlit did not start: " + log.read().decode(errors="replace")[-2000:]) \
                        from None
                time.sleep(0.5)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


async def launch(playwright):
    """Headless Debian Chromium."""
    exe = shutil.which("chromium")
    if not exe:
        raise RuntimeError("Debian's chromium is required: apt-get install chromium")
    return await playwright.chromium.launch(executable_path=exe, args=FLAGS, headless=True)


@functools.lru_cache(maxsize=None)
def _account(role: str, scope: str) -> tuple[str, str]:
    """One benchmark account per role and scope for this process (its password set once, so
    concurrent sessions share it)."""
    return accounts.account(role, scope)


async def sign_in(page, role: str = "leadership", scope: str = "") -> None:
    """Sign in on the sign-in page the portal shows first (`page` is already on the portal)."""
    username, password = _account(role, scope)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(password)
    await page.get_by_role("button", name="登录", exact=True).click()


async def cockpit_ready(page, timeout_ms: int = READY_TIMEOUT_MS) -> None:
    """The cockpit is ready when the KPI cards and the unit map are on screen."""
    await page.locator('[data-testid="stMetric"]').filter(has_text="在管人员").first.wait_for(timeout=timeout_ms)
    await page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=timeout_ms)


async def metric_value(page, label: str) -> int:
    """A KPI card's figure as a number (cards show thousands separators)."""
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    text = (await card.locator('[data-testid="stMetricValue"]').inner_text()).strip()
    return int(text.replace(",", ""))
