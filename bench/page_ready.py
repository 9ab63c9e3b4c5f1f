"""Cockpit page-ready time in a real browser: `python -m bench.page_ready [--runs 5]`.

Starts `streamlit run` on EPI_WAREHOUSE_URL (the folder must not be open elsewhere), signs in
with Debian's Chromium and times from navigation to the KPI cards being on screen. The first
run is cold (empty result cache); later runs show the cached path leadership mostly see.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import accounts

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.page_ready")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    who = accounts.account("leadership")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port",
                               str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                              cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1440, "height": 1000})
                page.goto(url)
                accounts.sign_in(page, *who)
                start = time.perf_counter()
                page.locator('[data-testid="stMetric"]').filter(has_text="在管人员").first.wait_for(timeout=60_000)
                page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=60_000)
                times.append(time.perf_counter() - start)
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("cockpit ready after sign-in (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"cold {times[0]:.2f} s; warm median {statistics.median(times[1:] or times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
