"""Many people on the cockpit at once, and a department file loading while they are:
`python -m bench.concurrency [--sessions 20] [--rows 1000000]`.

Against the embedded warehouse in EPI_WAREHOUSE_URL (use a copy: the load phase writes into
it; the folder must not be open elsewhere). One headless Debian Chromium drives `--sessions`
browser contexts at once; each signs in and waits for the cockpit's KPI cards and map, then
reads 在管人员 off the card. Waves, in one run:

- cold: a fresh portal, empty result cache, every session at once;
- warm: the same again, the cache filled;
- alone: one warm session by itself, three times (20 people served one after another would
  take 20 × this);
- load: an analyst uploads a trajectory file of `--rows` rows on the 数据来源 page (the load
  runs in the portal's own process, the only one that may open the folder), and the sessions
  open the cockpit while it loads;
- after: a small file of close contacts put under control on the last day is loaded the same
  way, then the sessions open the cockpit again and must show the figure rising by exactly
  that many;
- naive: the portal restarted with its result cache off (EPI_CACHE_TTL_S=0), so every session
  sends every cockpit query to the engine, which runs one query at a time per process.

Every session's 在管人员 must equal what the cockpit's query gives for that state of the data
(computed outside the portal, before the portal starts and after it stops). The portal
process's peak memory is sampled throughout. Results go to bench/results/concurrency-<scale>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench import browser

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CONTROL_HEADER = "person_id,kind,identified_at,notified_at,quarantine_start,quarantine_end,outcome,community_code\n"
NEW_CONTACTS = 25


# -- outside the portal: the expected figure and the files to load -------------------------

def under_control_now() -> dict:
    """The cockpit's 在管人员 for the city on the last day with data, from its own query."""
    from portal.command import cockpit
    from portal.settings import load_portal_settings
    from queries import registry

    span = registry.run("meta/data_range", "").iloc[0]
    last = dt.date.fromisoformat(str(span["last_day"])[:10])
    figures = cockpit.compute(lambda name, **p: registry.run(name, "", **p), load_portal_settings(), "", last)
    return {"day": str(last), "under_control": int(figures.total()["under_control"]), "scale": str(span["scale"])}


def prepare(folder: Path, rows: int) -> dict:
    """Write the two files (content new on every run, so each run really loads) and read the figure."""
    from bench.ingestion import write_trajectory_csv
    from warehouse import get_warehouse

    wh = get_warehouse()
    figure = under_control_now()
    communities = wh.rows("SELECT code, lon, lat FROM epi.community ORDER BY code")
    stamp = int(time.time())
    trajectory = folder / f"基站信令_{stamp}.csv"
    bad = write_trajectory_csv(trajectory, rows, communities, seed=stamp)
    day = figure["day"]
    end = (dt.date.fromisoformat(day) + dt.timedelta(days=7)).isoformat()
    first = 9_500_000_000 + (stamp % 1_000_000) * 100
    control = folder / f"密接管控_{stamp}.csv"
    control.write_text(CONTROL_HEADER + "".join(
        f"{first + i},close_contact,{day} 09:00:00,{day} 09:30:00,{day} 12:00:00,{end} 12:00:00,in_progress,"
        f"{communities[i * 97 % len(communities)][0]}\n" for i in range(NEW_CONTACTS)), encoding="utf-8")
    return {**figure, "trajectory": str(trajectory), "trajectory_rows": rows, "trajectory_bad": bad,
            "control": str(control)}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.concurrency", *args], cwd=ROOT, env=dict(os.environ),
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- in the browser -------------------------------------------------------------------------

async def _session(chromium, url: str) -> dict:
    context = await chromium.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(browser.READY_TIMEOUT_MS)  # a busy machine is slow, not broken
    page = await context.new_page()
    started = time.perf_counter()
    try:
        await page.goto(url)
        await browser.sign_in_page_settled(page)  # the password typed meanwhile
        signing = time.perf_counter()
        await browser.sign_in(page)
        await browser.cockpit_ready(page)
        ready = time.perf_counter()
        figure = await browser.metric_value(page, "在管人员")
        return {"total_s": ready - started, "after_sign_in_s": ready - signing, "figure": figure}
    except Exception as exc:  # a session that never gets ready is a result, not a crash
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    finally:
        await context.close()


async def _wave(chromium, url: str, n: int) -> tuple[list[dict], float]:
    start = time.perf_counter()
    out = await asyncio.gather(*(_session(chromium, url) for _ in range(n)))
    return list(out), time.perf_counter() - start


async def _upload(chromium, url: str, path: Path, category: str, clicked: asyncio.Event | None = None,
                  timeout_ms: int = 900_000) -> tuple[float, str]:
    """An analyst loads `path` on the data-sources page; returns (seconds from 载入 to the result,
    result). `clicked` is set the moment 载入 is pressed."""
    from portal.command.sources import category_label

    context = await chromium.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(browser.READY_TIMEOUT_MS)  # a busy machine is slow, not broken
    page = await context.new_page()
    await page.goto(url)
    await browser.sign_in(page, "analyst")
    await page.get_by_role("link", name="数据来源").click()
    await page.get_by_role("button", name="载入").wait_for(timeout=browser.READY_TIMEOUT_MS)
    await page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=timeout_ms)
    box = page.get_by_role("combobox", name="业务类别")
    for _ in range(5):  # the list of 93 is drawn as it scrolls: filter it, then take the one left
        await box.click()
        await page.keyboard.press("Control+A")
        await page.keyboard.type(category)
        await page.get_by_role("option").filter(has_text=category_label(category)).first.wait_for()
        await page.keyboard.press("Enter")
        await page.wait_for_timeout(500)
        if await box.input_value() == category_label(category):
            break
    else:
        raise RuntimeError(f"could not choose {category} on the data-sources page: {await box.input_value()}")
    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    await page.locator('[data-testid="stFileChip"]').filter(has_text=path.name).locator(
        '[data-testid="stFileChipDeleteBtn"]').wait_for(timeout=timeout_ms)  # uploaded, not only chosen
    start = time.perf_counter()
    await page.get_by_role("button", name="载入").click()
    if clicked is not None:
        clicked.set()
    result = page.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentError"]').first
    await result.wait_for(timeout=timeout_ms)
    seconds = time.perf_counter() - start
    text = (await result.inner_text()).strip()
    await context.close()
    return seconds, text


def _summary(phase: str, sessions: list[dict], wall: float, expected: int, note: str) -> dict:
    good = [s for s in sessions if "error" not in s]
    after = np.array([s["after_sign_in_s"] for s in good]) if good else np.array([np.nan])
    total = np.array([s["total_s"] for s in good]) if good else np.array([np.nan])
    figures = sorted({s["figure"] for s in good})
    return {
        "phase": phase, "sessions": len(sessions), "ready": len(good),
        "p50_s": round(float(np.percentile(after, 50)), 2), "p95_s": round(float(np.percentile(after, 95)), 2),
        "min_s": round(float(after.min()), 2), "max_s": round(float(after.max()), 2),
        "p50_with_sign_in_page_s": round(float(np.percentile(total, 50)), 2),
        "p95_with_sign_in_page_s": round(float(np.percentile(total, 95)), 2),
        "wave_s": round(wall, 2), "expected": expected, "figures_shown": figures,
        "correct": len(good) == len(sessions) and figures == [expected],
        "errors": [s["error"] for s in sessions if "error" in s], "note": note,
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


class PeakMemory:
    """Samples a process's resident memory every half second."""

    def __init__(self, pid: int):
        self.pid, self.peak_mib, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            try:
                with open(f"/proc/{self.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            self.peak_mib = max(self.peak_mib, int(line.split()[1]) / 1024)
            except OSError:
                return

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_mib, 1)


async def _portal_phases(url: str, n: int, before: dict) -> tuple[list[dict], dict]:
    from playwright.async_api import async_playwright

    rows, loads = [], {}
    expected = before["under_control"]
    async with async_playwright() as p:
        chromium = await browser.launch(p)
        sessions, wall = await _wave(chromium, url, n)
        rows.append(_summary("cold", sessions, wall, expected, "fresh portal, empty result cache, all at once"))
        sessions, wall = await _wave(chromium, url, n)
        rows.append(_summary("warm", sessions, wall, expected, "result cache filled, all at once"))
        alone = [await _session(chromium, url) for _ in range(3)]
        rows.append(_summary("alone", alone, sum(s.get("total_s", 0) for s in alone), expected,
                             "one warm session by itself, three times in turn"))

        clicked = asyncio.Event()
        upload = asyncio.create_task(_upload(chromium, url, Path(before["trajectory"]), "PSB-04", clicked))
        # the file is on the portal and 载入 pressed: the load is running (or the upload failed)
        await asyncio.wait([asyncio.create_task(clicked.wait()), upload], return_when=asyncio.FIRST_COMPLETED)
        sessions, wall = await _wave(chromium, url, n)
        loading = not upload.done()
        load_s, load_text = await upload
        rows.append(_summary("during_load", sessions, wall, expected,
                             f"while a {before['trajectory_rows']:,}-row trajectory file loads in the portal"
                             + ("" if loading else " (the load finished before the last session was ready)")))
        loads["trajectory"] = {"seconds": round(load_s, 1), "result": load_text, "overlapped": loading}

        load_s, load_text = await _upload(chromium, url, Path(before["control"]), "HEALTH-08")
        loads["control"] = {"seconds": round(load_s, 1), "result": load_text}
        sessions, wall = await _wave(chromium, url, n)
        rows.append(_summary("after_load", sessions, wall, expected + NEW_CONTACTS,
                             f"after {NEW_CONTACTS} close contacts put under control were loaded"))
        await chromium.close()
    return rows, loads


async def _naive_phase(url: str, n: int, expected: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await browser.launch(p)
        sessions, wall = await _wave(chromium, url, n)
        await chromium.close()
    return _summary("naive_no_cache", sessions, wall, expected,
                    "result cache off (EPI_CACHE_TTL_S=0): every session sends every query, all at once")


def run(sessions: int = 20, rows: int = 1_000_000) -> list[dict]:
    """All the waves; one dict per wave, plus one for the loads and one for the check after."""
    with tempfile.TemporaryDirectory(prefix="epi-concurrency-") as folder:
        before = _child("--prepare", folder, "--rows", str(rows))
        with browser.serve() as (url, proc):
            memory = PeakMemory(proc.pid)
            waves, loads = asyncio.run(_portal_phases(url, sessions, before))
            peak = memory.stop()
    after = _child("--figure")
    with browser.serve({**os.environ, "EPI_CACHE_TTL_S": "0"}) as (url, proc):
        memory = PeakMemory(proc.pid)
        waves.append(asyncio.run(_naive_phase(url, sessions, after["under_control"])))
        naive_peak = memory.stop()
    waves.append({"phase": "loads", **loads, "portal_peak_rss_mib": peak, "naive_portal_peak_rss_mib": naive_peak})
    waves.append({"phase": "check", "scale": before["scale"], "day": before["day"],
                  "under_control_before": before["under_control"], "under_control_after": after["under_control"],
                  "correct": after["under_control"] == before["under_control"] + NEW_CONTACTS})
    return waves


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.concurrency")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the trajectory file loaded meanwhile")
    ap.add_argument("--prepare", help=argparse.SUPPRESS)
    ap.add_argument("--figure", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare(Path(args.prepare), args.rows)))
        return 0
    if args.figure:
        print(json.dumps(under_control_now()))
        return 0
    rows = run(args.sessions, args.rows)
    check = rows[-1]
    print(f"scale={check['scale']}  day={check['day']}  {args.sessions} sessions at once, one Chromium, headless")
    print(f"{'wave':<16}{'p50 s':>7}{'p95 s':>7}{'min s':>7}{'max s':>7}{'wave s':>8}  在管人员 shown / expected")
    for r in rows:
        if "p50_s" in r:
            print(f"{r['phase']:<16}{r['p50_s']:>7}{r['p95_s']:>7}{r['min_s']:>7}{r['max_s']:>7}{r['wave_s']:>8}  "
                  f"{r['figures_shown']} / {r['expected']}  {'ok' if r['correct'] else 'WRONG'}"
                  + (f"  errors: {len(r['errors'])}" if r["errors"] else ""))
    waves = {r["phase"]: r for r in rows}
    alone, warm, naive = waves["alone"], waves["warm"], waves["naive_no_cache"]
    print(f"naive (cache off) p95 / portal warm p95: {naive['p95_s'] / warm['p95_s']:.1f}x; "
          f"20 served one after another ≈ {args.sessions * alone['p50_s']:.1f} s vs the warm wave's last "
          f"session {warm['max_s']:.2f} s")
    print(f"loads: {json.dumps({k: v for k, v in waves['loads'].items() if k != 'phase'}, ensure_ascii=False)}")
    print(f"under control before {check['under_control_before']:,}, after {check['under_control_after']:,} "
          f"(+{NEW_CONTACTS} expected): {'ok' if check['correct'] else 'WRONG'}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"concurrency-{check['scale']}.json"
    out.write_text(json.dumps({"sessions": args.sessions, "rows": args.rows, "waves": rows}, indent=2,
                              ensure_ascii=False), encoding="utf-8")
    print(f"written {out}")
    ok = check["correct"] and all(r.get("correct", True) for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
