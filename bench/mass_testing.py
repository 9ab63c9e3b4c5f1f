"""Mass-testing pages: each query timed beside a naive raw-table equivalent in the same run, the
site map + KPIs as the page computes them, and a site lead's mark timed in Debian's Chromium from
pressing submit to the alert on the command view.

`python -m bench.mass_testing --scale demo [--date 2022-03-08] [--hour 10] [--runs 5] [--marks 3]`
against EPI_WAREHOUSE_URL (the folder must not be open elsewhere: the browser part starts its own
`streamlit run` on it after the queries, and its marks stay in the warehouse like any other).
Prints a table and writes bench/results/mass_testing-<scale>.json. Read the ratios, not the
milliseconds: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd

from bench.suite import naive_sql
from bench.timing import timed
from portal.settings import PortalSettings
from portal.testing import forecast, marks, sampling
from queries import registry
from warehouse import get_warehouse, reset_warehouse

HERE = Path(__file__).parent
ROOT = HERE.parent
S = PortalSettings()
NO_PROJECTIONS = {"optimize_use_projections": 0}  # residents counted from every person row
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def naive(name: str, **params) -> pd.DataFrame:
    sql = naive_sql(name)
    return get_warehouse().query_df(sql, {k: v for k, v in params.items() if "{" + k + ":" in sql})


def map_and_kpis(day: dt.date, hour: int) -> dict:
    """What the command page computes before drawing: site states with live marks, KPIs."""
    sites = registry.run("mass/site_states", "", unit="", day=day, hour=hour)
    live = registry.run("mass/live_marks", "", since=marks.since(S))
    states = sampling.current_states(sites, live, S)
    hourly = registry.run("mass/samples_by_hour", "", unit="", day=day)
    return {**sampling.state_counts(states), "taken": int(hourly.loc[hourly["hour"] <= hour, "samples"].sum())}


def map_and_kpis_naive(day: dt.date, hour: int) -> dict:
    sites = naive("mass_site_states", day=day, hour=hour)
    marks_all = naive("mass_all_marks")
    live = marks_all[marks_all["marked_at"] >= pd.Timestamp(marks.since(S))]
    counts = sampling.state_counts(sampling.current_states(
        sites, live, S))
    hourly = naive("mass_samples_by_hour", day=day)
    return {**counts, "taken": int(hourly.loc[hourly["hour"] <= hour, "samples"].sum())}


def round_progress(round_id: int, round_start: dt.date, projections: bool = True):
    """A round's progress by community two days in; the naive side is the same statement with the
    projections off: the samples read in the table's (site, time) order, residents one by one."""
    return registry.run("mass/round_progress_by_community", "", unit="", round_id=round_id, start_day=round_start,
                        day=round_start + dt.timedelta(days=2), hour=23, **sampling.round_progress_params(S),
                        settings=None if projections else {"optimize_use_projections": 0})


def cases(day: dt.date, hour: int, round_id: int, round_start: dt.date):
    """(label, fast, naive, figure) for every query of the two pages that has a raw equivalent."""
    start = forecast.history_start(day, S.forecast_lookback_days, S.backtest_days)
    site_id = int(registry.run("mass/site_states", "", unit="", day=day, hour=hour)
                  .sort_values("queue_minutes", ascending=False)["site_id"].iloc[0])

    def pandas_site_week():
        mine = naive("mass_raw_site_samples", site_id=site_id, day_from=day - dt.timedelta(days=6), day_to=day)
        return mine.groupby([mine["sampled_at"].dt.date, mine["sampled_at"].dt.hour]).size()

    def pandas_turnaround():
        moment = pd.Timestamp(day) + pd.Timedelta(hours=hour + 1)
        raw = naive("mass_raw_samples", day_from=day, day_to=day)
        raw = raw[raw["sampled_at"] < moment]
        known = raw["result_at"].where(raw["result_at"] < moment)
        return ((known - raw["sampled_at"]).dt.total_seconds() // 3600).value_counts(dropna=False)

    def pandas_backlog():
        moment = pd.Timestamp(day) + pd.Timedelta(hours=hour + 1)
        raw = naive("mass_raw_tubes", day_from=day - dt.timedelta(days=7), day_to=day)
        raw = raw[(raw["sampled_at"] < moment) & (raw["result_at"].isna() | (raw["result_at"] >= moment))]
        return raw.groupby(["lab_id", "tube_id"]).size()

    def pandas_pools():
        raw = naive("mass_raw_pool_samples", day_from=dt.date(2022, 2, 10), day_to=day + dt.timedelta(days=3))
        moment = pd.Timestamp(day) + pd.Timedelta(hours=hour + 1)
        pos = raw[(raw["pool_size"] > 1) & (raw["result"] == "positive") & (raw["result_at"] < moment)]
        re = raw[(raw["purpose"] == "resample") & (raw["sampled_at"] < moment)]
        return pos.merge(re, on=["person_id", "round_id"], how="left", suffixes=("", "_re"))

    return [
        ("site map + KPIs (page path)", lambda: map_and_kpis(day, hour), lambda: map_and_kpis_naive(day, hour),
         lambda f: f["congested"], lambda n: n["congested"]),
        ("site_states", lambda: registry.run("mass/site_states", "", unit="", day=day, hour=hour),
         lambda: naive("mass_site_states", day=day, hour=hour),
         lambda f: int((f["state"] == "congested").sum()), lambda n: int((n["state"] == "congested").sum())),
        ("samples_by_hour", lambda: registry.run("mass/samples_by_hour", "", unit="", day=day),
         lambda: naive("mass_samples_by_hour", day=day), lambda f: int(f["samples"].sum()),
         lambda n: int(n["samples"].sum())),
        ("live_marks", lambda: registry.run("mass/live_marks", "", since=marks.since(S)),
         lambda: (lambda a: a[a["marked_at"] >= pd.Timestamp(marks.since(S))])(naive("mass_all_marks")),
         len, len),
        ("site_samples_by_hour (card)", lambda: registry.run("mass/site_samples_by_hour", "", site_id=site_id,
                                                             day_from=day - dt.timedelta(days=6), day=day),
         pandas_site_week, lambda f: int(f["samples"].sum()), lambda n: int(n.sum())),
        ("arrivals_by_site_hour", lambda: registry.run("mass/arrivals_by_site_hour", "", unit="", day_from=start, day=day,
                                                       row_cap=S.forecast_row_cap),
         lambda: naive("mass_arrivals_raw", scope="", unit="", day_from=start, day=day),
         lambda f: (len(f), int(f["arrivals"].sum())), lambda n: (len(n), int(n["arrivals"].sum()))),
        ("round_progress_by_community", lambda: round_progress(round_id, round_start),
         lambda: round_progress(round_id, round_start, projections=False),
         lambda f: (int(f["sampled_sealed_target"].sum()), int(f["sampled"].sum())),
         lambda n: (int(n["sampled_sealed_target"].sum()), int(n["sampled"].sum()))),
        ("turnaround", lambda: registry.run("mass/turnaround", "", unit="", day=day, hour=hour), pandas_turnaround,
         lambda f: int(f["samples"].sum()), lambda n: int(n.sum())),
        ("lab_backlog", lambda: registry.run("mass/lab_backlog", "", unit="", day=day, hour=hour), pandas_backlog,
         lambda f: int(f["tubes"].sum()), len),
        ("positive_pools", lambda: registry.run("mass/positive_pools", "", unit="", day_from=dt.date(2022, 2, 10), day=day,
                                                hour=hour),
         pandas_pools, len, len),
    ]


def command_page(day: dt.date, hour: int) -> dict:
    """Everything the command page computes on a cold load, in its order: the rounds, the site
    map and KPIs, the map's unit outlines, dispatch for every congested site, and the
    coverage behind the sampler shortfall."""
    registry.run("mass/rounds", "")
    figures = map_and_kpis(day, hour)
    states = sampling.current_states(registry.run("mass/site_states", "", unit="", day=day, hour=hour),
                                     registry.run("mass/live_marks", "", since=marks.since(S)), S)
    registry.run("geo/unit_outlines", "", unit="", grain=6)
    plan = sampling.dispatch(states, S)
    coverage = registry.run("mass/coverage_by_community", "", unit="", walk_m=S.walk_circle_m)
    return {**figures, "dispatched": len(plan), "residents": int(coverage["residents"].sum())}


def command_page_naive(day: dt.date, hour: int) -> dict:
    """The same page from raw tables: rounds and residents scanned, site states from raw reports."""
    naive("mass_rounds", scope="")
    figures = map_and_kpis_naive(day, hour)
    marks_all = naive("mass_all_marks")
    states = sampling.current_states(naive("mass_site_states", day=day, hour=hour),
                                     marks_all[marks_all["marked_at"] >= pd.Timestamp(marks.since(S))], S)
    plan = sampling.dispatch(states, S)
    # the page's own query with the registry's per-compound projection switched off
    coverage = registry.run("mass/coverage_by_community", "", settings=NO_PROJECTIONS, unit="", walk_m=S.walk_circle_m)
    return {**figures, "dispatched": len(plan), "residents": int(coverage["residents"].sum())}


def suite(wh, day: dt.date = dt.date(2022, 3, 8), hour: int = 10) -> list:
    """Every mass-testing query and the command page's cold load, for `python -m bench`. Reads only:
    the site leads' marks are timed by `python -m bench.mass_testing`, which writes them."""
    from bench.suite import Case

    rounds = registry.run("mass/rounds", "")
    current = rounds[pd.to_datetime(rounds["first_day"]).dt.date <= day].iloc[-1]
    out = [Case("mass", "rounds", fast=lambda: registry.run("mass/rounds", ""),
                naive=lambda: naive("mass_rounds", scope=""), figure=lambda r: int(r["samples"].sum()), target_ms=500),
           Case("mass", "command page, cold (all its queries + dispatch)", fast=lambda: command_page(day, hour),
                naive=lambda: command_page_naive(day, hour), figure=lambda r: (r["congested"], r["residents"]),
                target_ms=2000)]
    for label, fast_fn, naive_fn, fast_fig, naive_fig in cases(day, hour, int(current["round_id"]),
                                                                pd.Timestamp(current["first_day"]).date()):
        out.append(Case("mass", label, fast=fast_fn, naive=naive_fn, figure=fast_fig, naive_figure=naive_fig,
                        target_ms=500))
    return out


def unmarked_sites(n: int) -> list[str]:
    """Codes of 锦江区 sites without a live mark, so each timed mark is new on the command view."""
    sites = registry.run("mass/site_states", "510104", unit="510104", day=dt.date(2022, 3, 20), hour=23)
    marked = set(registry.run("mass/live_marks", "510104", since=marks.since(S))["site_code"])
    return [c for c in sorted(sites["site_code"]) if c not in marked][:n]


def mark_latency(codes: list[str]) -> dict:
    """Start the portal on the warehouse, and in Chromium time a site lead's mark from submit to
    the overrun alert on a leader's command view; also the site map ready after navigation."""
    from playwright.sync_api import sync_playwright

    from bench import accounts

    reset_warehouse()  # the server takes the data folder
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port", str(port),
                               "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                              cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    seen, map_ready = [], None
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            lead, operator = (browser.new_page(viewport={"width": 1440, "height": 1000}) for _ in range(2))
            for page, who in ((lead, accounts.account("leadership")),
                              (operator, accounts.account("district_operator", "510104"))):
                page.goto(url)
                accounts.sign_in(page, *who)
                page.get_by_role("heading", name="指挥总览").wait_for(timeout=120_000)
                started = time.perf_counter()
                page.get_by_role("link", name="核酸采样调度").click()
                page.locator('[data-testid="stDeckGlJsonChart"]').first.wait_for(timeout=120_000)
                map_ready = map_ready or time.perf_counter() - started
                page.get_by_role("tab", name="现场标记").click()
            form = operator.locator('[data-testid="stForm"]')
            for i, code in enumerate(codes):
                box = form.locator('[data-testid="stSelectbox"] input')
                box.click()
                box.fill(code)
                operator.keyboard.press("Enter")
                form.get_by_text("繁忙", exact=True).click()
                form.locator('input[type="number"]').fill(str(60 + i))
                form.get_by_role("button", name="提交标记").click()
                sent = time.perf_counter()
                lead.locator('[data-testid="stAlert"]').filter(has_text=code).wait_for(timeout=60_000)
                seen.append(time.perf_counter() - sent)
                operator.get_by_text(f"已标记 {code}").wait_for(timeout=60_000)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {"mark_visible_s": [round(t, 2) for t in seen], "map_ready_s": round(map_ready, 2) if map_ready else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.mass_testing")
    ap.add_argument("--scale", required=True, help="the scale the warehouse must hold (tiny, demo, city, full)")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 8))
    ap.add_argument("--hour", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--marks", type=int, default=3, help="marks timed in the browser (0: skip the browser)")
    args = ap.parse_args(argv)
    wh = get_warehouse()
    scale = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key")).get("scale", "?")
    if scale != args.scale:
        print(f"the warehouse at EPI_WAREHOUSE_URL holds scale {scale!r}, not {args.scale!r}: "
              f"point EPI_WAREHOUSE_URL at a {args.scale} warehouse or seed one (python -m seed --scale {args.scale}).")
        return 2
    rounds = registry.run("mass/rounds", "")
    current = rounds[pd.to_datetime(rounds["first_day"]).dt.date <= args.date].iloc[-1]
    rows = []
    for label, fast_fn, naive_fn, fast_fig, naive_fig in cases(args.date, args.hour, int(current["round_id"]),
                                                                pd.Timestamp(current["first_day"]).date()):
        fast_ms, fast = timed(fast_fn, args.runs)
        naive_ms, slow = timed(naive_fn, args.runs)
        rows.append({"query": label, "fast_ms": round(fast_ms, 1), "naive_ms": round(naive_ms, 1),
                     "ratio": round(naive_ms / fast_ms, 1), "figure": fast_fig(fast),
                     "agree": fast_fig(fast) == naive_fig(slow)})
    print(f"scale={scale}  date={args.date} {args.hour:02d}:59  round {int(current['round_id'])}  median of {args.runs} runs")
    print(f"{'query':<30}{'ms':>9}{'naive ms':>10}{'ratio':>8}{'figure':>10}  agree")
    for r in rows:
        print(f"{r['query']:<30}{r['fast_ms']:>9}{r['naive_ms']:>10}{r['ratio']:>7}x{r['figure']:>10}  {r['agree']}")
    result = {"scale": scale, "date": str(args.date), "hour": args.hour, "rows": rows}
    if args.marks:
        browser = mark_latency(unmarked_sites(args.marks))
        result.update(browser)
        print(f"site map ready after navigation: {browser['map_ready_s']} s")
        print("mark visible on the command view after submit (s): " + ", ".join(map(str, browser["mark_visible_s"]))
              + f"; median {statistics.median(browser['mark_visible_s']):.2f} s (refresh every {S.live_refresh_s} s)")
    out = HERE / "results" / f"mass_testing-{scale}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"written {out}")
    return 0 if all(r["agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
