"""What the browser benchmarks share: a `streamlit run` portal on a free port, Debian's Chromium
with the project's flags, the one way a benchmark signs in, and when the cockpit counts as ready.

Everything is Playwright's async API, so one browser can drive many sessions at once.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
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
    """Sign in on the sign-in page the portal shows first (`page` is already on the portal),
    once that page has settled — as a person does who types a name and a password: the page
    starts the browser's chart, map and table code meanwhile (portal/ui/warm.py)."""
    await sign_in_page_settled(page)
    username, password = _account(role, scope)
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码", exact=True).fill(password)
    await page.get_by_role("button", name="登录", exact=True).click()


WARMED = ('.st-key-warm-browser [data-testid="stPlotlyChart"] .main-svg',
          '.st-key-warm-browser [data-testid="stDeckGlJsonChart"] canvas',
          '.st-key-warm-browser [data-testid="stDataFrame"]')


async def sign_in_page_settled(page, timeout_ms: int = READY_TIMEOUT_MS) -> None:
    """The sign-in form is there and the page has drawn its warm-up chart, map and table."""
    await page.get_by_label("用户名").wait_for(timeout=timeout_ms)
    for selector in WARMED:
        await page.locator(selector).first.wait_for(state="attached", timeout=timeout_ms)


async def cockpit_ready(page, timeout_ms: int = READY_TIMEOUT_MS) -> None:
    """The cockpit is ready when the KPI cards and the unit map (in the page's columns, not the
    sign-in page's warm-up) are on screen."""
    await page.locator('.st-key-kpis [data-testid="stMetric"]').filter(has_text="在管人员").first.wait_for(
        timeout=timeout_ms)
    await page.locator('[data-testid="stColumn"] [data-testid="stDeckGlJsonChart"] canvas').first.wait_for(
        timeout=timeout_ms)


async def metric_value(page, label: str) -> int:
    """A KPI card's figure as a number (cards show thousands separators)."""
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    text = (await card.locator('[data-testid="stMetricValue"]').inner_text()).strip()
    return int(text.replace(",", ""))


def status_kib(pid: int, field: str) -> int | None:
    """A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class RssSampler:
    """The resident memory of a process sampled every `every_s` in a thread, while in a `with`."""

    def __init__(self, pid: int, every_s: float = 0.25):
        self.pid, self.every_s, self.samples = pid, every_s, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set() and (rss := status_kib(self.pid, "VmRSS")) is not None:
            self.samples.append(rss)
            time.sleep(self.every_s)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def dataset(env: dict) -> dict:
    """The warehouse's scale (epi.dataset_info) and its first and last day with data, read in a
    child process so this one never holds the folder; scale "?" when it cannot be read."""
    code = ("import json; from portal.data import data_range; r = data_range(''); "
            "print(json.dumps({'scale': r['scale'] or '?', 'first_day': str(r['first_day']), "
            "'last_day': str(r['last_day'])}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if out.returncode == 0 and lines else {"scale": "?"}


# what a page looks like to someone waiting for it: whether it runs, stale elements, the
# tab's title (the portal sets it to the page's) and how much is drawn in the main area
# (the portal's minimal toolbar draws no status widget: the app's script-run state tells instead);
# what lies inside a <canvas> is not drawn (a table's screen-reader copy, which the grid fills in
# when the browser is idle, seconds after the grid itself is drawn) and is not counted
_LOOK = """() => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute('data-test-script-state') : '';
  return [!!document.querySelector('[data-testid="stStatusWidget"]')
            || ['running', 'rerunRequested', 'stopRequested'].includes(state),
          !!document.querySelector('[data-stale="true"]'), document.title,
          main.querySelectorAll('*').length - main.querySelectorAll('canvas *').length, main.innerText.length];
}"""


async def look(page) -> tuple:
    """(running, stale, tab title, elements, characters) of the page as it is now."""
    return tuple(await page.evaluate(_LOOK))


async def wait_ready(page, title: str, clicked: float, before: tuple, timeout_s: float = 180.0,
                     settle_s: float = 1.0, every_s: float = 0.1) -> float | None:
    """Seconds from `clicked` (time.perf_counter() at the click; `before` = look() just before
    it) until the page titled `title` had drawn its last element with nothing running and
    nothing stale; None when it was not ready in `timeout_s`. Ready is declared only once the
    tab shows the page's title, the page has answered the click (the running indicator or stale
    elements came and went, or what is drawn changed) and then nothing has changed for
    `settle_s`; the time reported is that of the last change."""
    last_look, last_change, answered = before, clicked, False
    deadline = clicked + timeout_s
    while (now := time.perf_counter()) < deadline:
        current = await look(page)
        running, stale, tab, elements, chars = current
        if current != last_look:
            last_look, last_change = current, now
        answered = answered or running or stale or (elements, chars) != before[3:]
        if answered and tab.startswith(title) and not running and not stale and now - last_change >= settle_s:
            return last_change - clicked
        await page.wait_for_timeout(every_s * 1000)
    return None
