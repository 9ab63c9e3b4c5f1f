"""The portal process's memory while every page is opened: `python -m bench.memory [--limit-gib 8]`.

Starts `streamlit run portal/app.py` on EPI_WAREHOUSE_URL (the folder must not be open
elsewhere), signs in as the leadership in Debian's Chromium, opens every page in the sidebar in
turn and runs a companion search for the last day's cases, waiting each time until the page
has finished running. The server's resident memory (VmRSS) is sampled from /proc every 0.25 s,
and its peak (VmHWM) is read at the end: the embedded engine runs inside that process, so the
figure includes the engine's caches and query memory. Writes bench/results/memory-<scale>.json;
exits 1 when the peak is over the limit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
from bench.browser import status_kib

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]
# sidebar link → what to do once the page is open
PAGES = ["指挥总览", "每日简报", "轨迹与伴随", "密接追踪", "排查专题", "一人一档", "风险区划定", "集中隔离点",
         "涉疫诉求", "核酸采样调度", "采样进度与检测", "采样点排队查询", "数据来源"]
GIB = 1024 ** 3


def sign_in(page) -> None:
    """The portal's sign-in, as the leadership (the one place this benchmark signs in)."""
    page.get_by_label("用户名").wait_for(timeout=120_000)
    accounts.sign_in(page, *accounts.account("leadership"))


def wait_idle(page, timeout_s: float) -> float:
    """Wait until Streamlit has finished running the page (its running indicator is gone)."""
    started = time.perf_counter()
    page.wait_for_timeout(300)
    running = page.locator('[data-testid="stStatusWidget"]')
    deadline = started + timeout_s
    while time.perf_counter() < deadline:
        if running.count() == 0 or not running.first.is_visible():
            page.wait_for_timeout(300)
            if running.count() == 0 or not running.first.is_visible():
                break
        page.wait_for_timeout(200)
    return time.perf_counter() - started


def start_server(env: dict) -> tuple[subprocess.Popen, str, Path]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = Path(tempfile.mkstemp(prefix="portal-memory-", suffix=".log")[1])
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return proc, url, log
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the portal did not start: " + log.read_text(errors="replace")[-2000:])


def visit(url: str, pid: int, timeout_s: float) -> list[dict]:
    from playwright.sync_api import sync_playwright

    steps = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(url)
        sign_in(page)
        wait_idle(page, timeout_s)
        for name in PAGES:
            page.get_by_role("link", name=name).first.click()
            seconds = wait_idle(page, timeout_s)
            steps.append(_step(page, pid, name, seconds))
            if name == "轨迹与伴随":
                page.get_by_text("按确诊日期", exact=True).click()
                wait_idle(page, timeout_s)
                page.get_by_role("button", name="开始研判").click()
                seconds = wait_idle(page, timeout_s)
                listed = page.get_by_text(re.compile("找到 .* 人|没有找到符合条件"))
                step = _step(page, pid, "轨迹与伴随: 时空伴随者研判", seconds)
                step["completed"] = listed.count() > 0  # False: the search ended in a message (e.g. a time limit)
                steps.append(step)
        browser.close()
    return steps


def _step(page, pid: int, name: str, seconds: float) -> dict:
    errors = page.locator('[data-testid="stException"]').count()
    rss = status_kib(pid, "VmRSS") or 0
    step = {"page": name, "seconds": round(seconds, 1), "rss_mib": round(rss / 1024), "exceptions": errors}
    print(f"{name:<28}{seconds:7.1f} s   RSS {rss / 1024:8,.0f} MiB{'   exceptions: ' + str(errors) if errors else ''}",
          flush=True)
    return step


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.memory")
    ap.add_argument("--limit-gib", type=float, default=8.0)
    ap.add_argument("--page-timeout", type=float, default=300.0, help="seconds a page may take to finish")
    ap.add_argument("--scale-label", help="the scale written in the results (default: from the warehouse)")
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("EPI_PORTAL_DB", f"sqlite:///{tempfile.gettempdir()}/portal-memory-audit.sqlite")
    scale = args.scale_label or _scale(env)
    proc, url, log = start_server(env)
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set() and (rss := status_kib(proc.pid, "VmRSS")) is not None:
            samples.append(rss)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        steps = visit(url, proc.pid, args.page_timeout)
        peak_kib = status_kib(proc.pid, "VmHWM") or 0
    finally:
        stop.set()
        sampler.join()
        proc.terminate()
        proc.wait(timeout=30)
    peak = peak_kib * 1024
    result = {"scale": scale, "warehouse": env.get("EPI_WAREHOUSE_URL", ""), "peak_rss_bytes": peak,
              "peak_rss_gib": round(peak / GIB, 2), "limit_gib": args.limit_gib, "within_limit": peak < args.limit_gib * GIB,
              "sampled_max_rss_mib": round(max(samples, default=0) / 1024), "steps": steps,
              "exceptions": sum(s["exceptions"] for s in steps)}
    print(f"peak resident memory of the portal process (VmHWM): {peak / GIB:.2f} GiB "
          f"(limit {args.limit_gib} GiB) — {'within' if result['within_limit'] else 'OVER'}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"memory-{scale}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {out}")
    log.unlink(missing_ok=True)
    return 0 if result["within_limit"] and not result["exceptions"] else 1


def _scale(env: dict) -> str:
    """The warehouse's scale, read in a child process so this one never holds the folder."""
    code = ("from warehouse import get_warehouse; wh = get_warehouse(); "
            "print(dict(wh.rows(\"SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key\"))"
            ".get('scale', '?'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return out.stdout.strip().splitlines()[-1] if out.returncode == 0 and out.stdout.strip() else "?"


if __name__ == "__main__":
    sys.exit(main())
