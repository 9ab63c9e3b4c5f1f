"""Cockpit page-ready time in a real browser: `python -m bench.page_ready [--runs 5]`.

Starts `streamlit run` on EPI_WAREHOUSE_URL (the folder must not be open elsewhere), signs in
with Debian's Chromium and times from sign-in to the KPI cards and the map being on screen. The
first run is cold (empty result cache); later runs show the cached path leadership mostly see.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from bench import browser


async def _sessions(url: str, runs: int) -> list[float]:
    from playwright.async_api import async_playwright

    times = []
    async with async_playwright() as p:
        chromium = await browser.launch(p)
        for _ in range(runs):
            page = await chromium.new_page(viewport={"width": 1440, "height": 1000})
            await page.goto(url)
            await browser.sign_in_page_settled(page)  # the password typed meanwhile
            start = time.perf_counter()
            await browser.sign_in(page)
            await browser.cockpit_ready(page)
            times.append(time.perf_counter() - start)
            await page.close()
        await chromium.close()
    return times


def run(runs: int = 5) -> list[dict]:
    """One session after another on a fresh portal: seconds from sign-in to the cockpit ready."""
    with browser.serve() as (url, _):
        times = asyncio.run(_sessions(url, runs))
    return [{"run": i + 1, "cache": "cold" if i == 0 else "warm", "ready_s": round(t, 2)} for i, t in enumerate(times)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.page_ready")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    rows = run(args.runs)
    times = [r["ready_s"] for r in rows]
    print("cockpit ready after sign-in (s): " + ", ".join(f"{t:.2f}" for t in times))
    print(f"cold {times[0]:.2f} s; warm median {statistics.median(times[1:] or times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
