"""Every page as a person waits for it: `python -m bench.pages [--roles leadership,district_operator] [--out FILE]`.

Starts `streamlit run portal/app.py` on EPI_WAREHOUSE_URL (the folder must not be open
elsewhere), signs in in Debian's Chromium as each role (each in a browser context of its own;
the district operator's jurisdiction is 510104) and opens every page of that role's sidebar in
turn by clicking its link. For each page it times, from the click to the page's last element
drawn with nothing running and nothing stale (bench.browser.wait_ready):

- the **first view of a day**: the session's date (portal/ui/pickers.py: the as-of date chosen on
  any page is every page's) is first set, on another page, to a day no session has viewed since
  the portal started — a different day for every page and role — so the page's data caches are
  cold for that day;
- a **warm view**: the same page and day again, after visiting that other page.

The day is set on 涉疫诉求 (or 集中隔离点, or 指挥总览: a page sharing no query with the one
measured). The portal process's resident memory is sampled every 0.25 s and its peak (VmHWM)
read at the end. Prints a table and writes bench/results/pages-<scale>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout

from bench import browser

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ROLES = {"leadership": "", "district_operator": "510104"}
# pages the day is set on, in order of preference; never a page sharing queries with the one measured
PIVOTS = ["涉疫诉求", "集中隔离点", "指挥总览"]
SHARED = {"每日简报": {"指挥总览"}, "指挥总览": {"每日简报"}}
SKIPPED = {"指挥大屏": "hides the sidebar, so no link leads on from it"}
# seconds: (first view of a day, warm view)
TARGETS = {"demo": (2.0, 1.0), "full": (3.0, 1.5)}
NAV = '[data-testid="stSidebarNav"]'


def targets(scale: str) -> tuple[float, float]:
    return TARGETS.get(scale, TARGETS["full"] if scale == "city" else TARGETS["demo"])


def days_back(first: dt.date, last: dt.date):
    """Days no session has asked for yet: the day before the last one (the pages' default), then
    one further back each time; after the first day, round again (marked reused)."""
    count = 0
    while True:
        span = (last - first).days or 1
        yield last - dt.timedelta(days=1 + count % span), count >= span
        count += 1


async def _open(page, name: str, timeout_s: float) -> float | None:
    before = await browser.look(page)
    clicked = time.perf_counter()
    await page.locator(NAV).get_by_role("link", name=name, exact=True).click()
    return await browser.wait_ready(page, name, clicked, before, timeout_s)


async def _set_day(page, name: str, day: dt.date, timeout_s: float) -> bool:
    """Type the day into the page's first date picker (month, then day), let the page run on it;
    whether the picker then holds that day."""
    field = page.locator('[data-testid="stDateInput"]').first
    for _ in range(3):
        # a page drawn again after the last run may not have its picker back yet
        try:
            await field.locator('input[type="date"]').wait_for(state="attached", timeout=30_000)
        except PlaywrightTimeout:
            # now and then the page is drawn again without its picker: open it afresh
            await _open(page, name, timeout_s)
            continue
        for segment, value in (("month", day.month), ("day", day.day)):
            await field.locator(f'[data-type="{segment}"]').click()
            await page.keyboard.type(f"{value:02d}")
        before = await browser.look(page)
        clicked = time.perf_counter()
        await page.locator('[data-testid="stMain"] h1').first.click()  # the date is sent when the field loses focus
        await browser.wait_ready(page, name, clicked, before, timeout_s)
        if await field.locator('input[type="date"]').input_value() == day.isoformat():
            return True
    return False


async def _sidebar_day(page) -> str:
    line = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').filter(has_text="统计日期")
    return (await line.first.inner_text()).strip() if await line.count() else ""


async def measure_role(chromium, url: str, role: str, days, only: list[str] | None = None,
                       timeout_s: float = 180.0) -> list[dict]:
    """One role's session in a browser context of its own: every page of its sidebar (or those
    in `only`), first view of a day and warm view. `days` yields (day, reused)."""
    context = await chromium.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    await page.goto(url)
    await browser.sign_in_page_settled(page, timeout_s * 1000)  # the password typed meanwhile
    before = await browser.look(page)
    clicked = time.perf_counter()
    await browser.sign_in(page, role, ROLES[role])
    await page.get_by_role("button", name="退出登录").wait_for(timeout=timeout_s * 1000)
    # a link's text is its icon's name, then its title
    links = [t.strip().splitlines()[-1] for t in await page.locator(NAV).get_by_role("link").all_inner_texts()]
    await browser.wait_ready(page, links[0], clicked, before, timeout_s)
    current = links[0]
    rows = []
    for name in links:
        if name in SKIPPED or (only and name not in only):
            continue
        pivot = next(p for p in PIVOTS if p in links and p != name and p not in SHARED.get(name, ()))
        day, reused = next(days)
        if current != pivot:
            await _open(page, pivot, timeout_s)
        day_set = await _set_day(page, pivot, day, timeout_s)
        first = await _open(page, name, timeout_s)
        shown = await _sidebar_day(page)
        errors = await page.locator('[data-testid="stException"]').count()
        await _open(page, pivot, timeout_s)
        warm = await _open(page, name, timeout_s)
        errors = max(errors, await page.locator('[data-testid="stException"]').count())
        current = name
        row = {"page": name, "role": role, "day": day.isoformat(), "day_reused": reused, "day_set_on": pivot,
               "day_set": day_set, "sidebar_day": shown, "first_s": _round(first), "warm_s": _round(warm),
               "ready": first is not None and warm is not None, "exceptions": errors}
        rows.append(row)
        print(f"{name:<12}{role:<20}{day}  first {_fmt(first)} s  warm {_fmt(warm)} s"
              f"{'  exceptions: ' + str(errors) if errors else ''}{'' if day_set else '  (day not set)'}", flush=True)
    await context.close()
    return rows


async def measure(url: str, roles: list[str], days, only: list[str] | None = None,
                  timeout_s: float = 180.0) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await browser.launch(p)
        try:
            rows = []
            for role in roles:
                rows += await measure_role(chromium, url, role, days, only, timeout_s)
        finally:
            await chromium.close()
    return rows


def run(env: dict, roles: list[str], scale: str, first_day: dt.date, last_day: dt.date,
        only: list[str] | None = None, timeout_s: float = 180.0) -> dict:
    """The benchmark's core: a portal on env's warehouse, the roles' pages measured, the result."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    with browser.serve(env) as (url, proc), browser.RssSampler(proc.pid) as sampler:
        rows = asyncio.run(measure(url, roles, days_back(first_day, last_day), only, timeout_s))
        peak_kib = browser.status_kib(proc.pid, "VmHWM") or 0
    first_target, warm_target = targets(scale)
    for row in rows:
        row["first_met"] = row["first_s"] is not None and row["first_s"] <= first_target
        row["warm_met"] = row["warm_s"] is not None and row["warm_s"] <= warm_target
    return {"scale": scale, "warehouse": env.get("EPI_WAREHOUSE_URL", ""), "roles": roles,
            "targets_s": {"first": first_target, "warm": warm_target}, "cores": os.cpu_count(),
            "load_average_before": load_before, "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "seconds": round(time.perf_counter() - started, 1), "peak_rss_mib": round(peak_kib / 1024),
            "sampled_max_rss_mib": round(max(sampler.samples, default=0) / 1024),
            "skipped": SKIPPED, "rows": rows, "all_ready": bool(rows) and all(r["ready"] for r in rows)}


def table(result: dict) -> str:
    first, warm = result["targets_s"]["first"], result["targets_s"]["warm"]
    lines = [f"{'page':<12}{'role':<20}{'day':<12}{'first s':>9}{'warm s':>9}   targets: first ≤ {first} s, warm ≤ {warm} s"]
    for r in result["rows"]:
        marks = ("" if r["first_met"] else "  first over") + ("" if r["warm_met"] else "  warm over")
        lines.append(f"{r['page']:<12}{r['role']:<20}{r['day']:<12}{_fmt(r['first_s']):>9}{_fmt(r['warm_s']):>9}{marks}")
    lines.append(f"peak resident memory of the portal process {result['peak_rss_mib']:,} MiB; "
                 f"load average {result['load_average_before'][0]} before, {result['load_average_after'][0]} after "
                 f"on {result['cores']} cores")
    return "\n".join(lines)


def _round(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 2)


def _fmt(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.2f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pages")
    ap.add_argument("--roles", default="leadership,district_operator", help="comma-separated: " + ", ".join(ROLES))
    ap.add_argument("--out", help="the JSON file (default bench/results/pages-<scale>.json)")
    ap.add_argument("--pages", help="comma-separated sidebar names (default: every page)")
    ap.add_argument("--page-timeout", type=float, default=180.0, help="seconds a page may take to be ready")
    ap.add_argument("--scale-label", help="the scale written in the results (default: from the warehouse)")
    args = ap.parse_args(argv)
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    if unknown := [r for r in roles if r not in ROLES]:
        ap.error(f"unknown role(s): {', '.join(unknown)}")
    # the benchmark's accounts are written here and read by the portal: one store for both
    os.environ.setdefault("EPI_PORTAL_DB", f"sqlite:///{tempfile.gettempdir()}/portal-pages-audit.sqlite")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    info = browser.dataset(env)
    if "last_day" not in info:
        print("error: the warehouse's data range could not be read", file=sys.stderr)
        return 2
    scale = args.scale_label or info["scale"]
    only = [p.strip() for p in args.pages.split(",")] if args.pages else None
    result = run(env, roles, scale, dt.date.fromisoformat(info["first_day"]), dt.date.fromisoformat(info["last_day"]),
                 only, args.page_timeout)
    print(table(result))
    out = Path(args.out) if args.out else RESULTS / f"pages-{scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0 if result["all_ready"] and not any(r["exceptions"] for r in result["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
