"""One day's briefing end to end, from the pre-aggregates vs. from the raw tables:
`python -m bench.briefing [--date 2022-03-01] [--scope CODE] [--runs 3]`.

The portal's briefing (`portal.command.briefing`: the cockpit's queries over the materialized views,
then the XLSX and the Word file with the trend chart) is timed beside a naive equivalent that
runs the same shapes of query over the raw fact tables (bench/sql/briefing/*.sql) and writes
the same two files. Both must give the same figures, district table and trend. The headless
command (`python -m portal.command.briefing`, process start included) is timed as a scheduled job
would run it; the target is 10 s at `demo`. Results go to bench/results/briefing-<scale>[-<scope>].json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.timing import timed
from portal.command import briefing
from portal.settings import load_portal_settings
from queries import registry
from warehouse import get_warehouse
from warehouse.sqlfile import load_sql

ROOT = Path(__file__).resolve().parent.parent
NAIVE = Path(__file__).parent / "sql" / "briefing"
RESULTS = Path(__file__).parent / "results"


def portal_runner(scope: str):
    return lambda name, **params: registry.run(name, scope, **params)


def naive_runner(scope: str):
    """The same queries by name, each answered from the raw tables; dimension look-ups (unit
    names) are shared with the portal."""
    wh = get_warehouse()

    def run(name: str, **params) -> pd.DataFrame:
        path = NAIVE / f"{name.split('/')[-1]}.sql"
        if not path.exists():
            return registry.run(name, scope, **params)
        sql = load_sql(path).text
        bound = {k: v for k, v in {**params, "scope": scope}.items() if "{" + k + ":" in sql}
        return wh.query_df(sql, bound)

    return run


def make(run, day: dt.date, scope: str) -> briefing.Briefing:
    """The briefing as the headless command makes it, with `run` answering the queries."""
    row = run("meta/data_range").iloc[0]
    span = {"first_day": pd.Timestamp(row["first_day"]).date(), "last_day": pd.Timestamp(row["last_day"]).date()}
    return briefing.for_scope(run, load_portal_settings(), day, span, scope)


def differences(a: briefing.Briefing, b: briefing.Briefing) -> list[str]:
    """What differs between two briefings (empty when the figures, districts and trend agree)."""
    out = []
    if a.title != b.title:
        out.append(f"title: {a.title} / {b.title}")
    pairs = {"figures": (a.figures, b.figures), "districts": (a.districts, b.districts),
             "trend": (_trend(a.trend), _trend(b.trend))}
    for what, (x, y) in pairs.items():
        try:
            pd.testing.assert_frame_equal(x.reset_index(drop=True), y.reset_index(drop=True), check_dtype=False)
        except AssertionError as exc:
            out.append(f"{what}: {str(exc).splitlines()[0]}")
    return out


def _trend(df: pd.DataFrame) -> pd.DataFrame:
    t = df.assign(day=pd.to_datetime(df["day"]).dt.date, metric=df["metric"].astype(str), value=df["value"].astype("int64"))
    return t[t["value"] != 0].sort_values(["day", "metric"], ignore_index=True)


def _end_to_end(run, day: dt.date, scope: str) -> briefing.Briefing:
    b = make(run, day, scope)
    with tempfile.TemporaryDirectory(prefix="epi-briefing-") as folder:
        briefing.write(b, Path(folder))
    return b


def _headless(day: dt.date, scope: str) -> float:
    """Seconds for `python -m portal.command.briefing` in its own process."""
    with tempfile.TemporaryDirectory(prefix="epi-briefing-cli-") as folder:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "portal.command.briefing", "--date", str(day), "--out", folder,
                        "--scope", scope], cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start


def run(day: dt.date = dt.date(2022, 3, 1), scope: str = "", runs: int = 3) -> list[dict]:
    """Rows: the briefing's figures from each path, end to end with both files, and the headless command.
    The headless command runs first, in its own process, so call this before this process opens
    an embedded folder (one process per folder)."""
    cli = sorted(_headless(day, scope) for _ in range(runs))
    cli_ms = cli[len(cli) // 2] * 1000
    wh = get_warehouse()
    scale = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key")).get("scale", "?")
    rows = []
    figures_ms, fast = timed(lambda: make(portal_runner(scope), day, scope), runs)
    naive_figures_ms, slow = timed(lambda: make(naive_runner(scope), day, scope), runs)
    diff = differences(fast, slow)
    rows.append({"step": "figures", "scale": scale, "date": str(day), "scope": scope,
                 "portal_ms": round(figures_ms, 1), "naive_ms": round(naive_figures_ms, 1),
                 "ratio": round(naive_figures_ms / figures_ms, 1), "agree": not diff, "differences": diff,
                 "under_control": int(fast.figures.set_index("key").loc["under_control", "today"]),
                 "confirmed": int(fast.figures.set_index("key").loc["confirmed", "today"])})
    portal_ms, _ = timed(lambda: _end_to_end(portal_runner(scope), day, scope), runs)
    naive_ms, _ = timed(lambda: _end_to_end(naive_runner(scope), day, scope), runs)
    rows.append({"step": "figures + XLSX + Word", "scale": scale, "date": str(day), "scope": scope,
                 "portal_ms": round(portal_ms, 1), "naive_ms": round(naive_ms, 1),
                 "ratio": round(naive_ms / portal_ms, 1), "agree": not diff})
    rows.append({"step": "python -m portal.command.briefing (process start included)", "scale": scale, "date": str(day),
                 "scope": scope, "portal_ms": round(cli_ms, 1), "naive_ms": None, "ratio": None,
                 "target_ms": 10_000, "within_target": cli_ms <= 10_000})
    return rows


KEYS = ("under_control", "confirmed", "appeals_received", "screening_dispatched")


def figure(b: briefing.Briefing) -> dict:
    """The day's headline figures, which both paths must agree on (the whole briefing is compared
    by `python -m bench.briefing`)."""
    return {r["key"]: int(r["today"]) for _, r in b.figures.iterrows() if r["key"] in KEYS}


def suite(wh, day: dt.date) -> list:
    """The briefing's figures for `python -m bench`: the portal's queries beside the raw-table ones."""
    from bench.suite import Case

    return [Case("briefing", f"daily briefing for {day} (figures, districts, trend)",
                 fast=lambda: make(portal_runner(""), day, ""), naive=lambda: make(naive_runner(""), day, ""),
                 figure=figure, target_ms=500)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.briefing")
    ap.add_argument("--date", type=dt.date.fromisoformat, default=dt.date(2022, 3, 1))
    ap.add_argument("--scope", default="")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    rows = run(args.date, args.scope, args.runs)
    head = rows[0]
    print(f"scale={head['scale']}  date={args.date}  scope={args.scope or 'city'}  median of {args.runs} runs")
    print(f"{'step':<52}{'portal ms':>11}{'naive ms':>11}{'ratio':>8}")
    for r in rows:
        naive = "—" if r["naive_ms"] is None else r["naive_ms"]
        ratio = "—" if r["ratio"] is None else f"{r['ratio']}x"
        print(f"{r['step']:<52}{r['portal_ms']:>11}{naive:>11}{ratio:>8}")
    print(f"same figures both ways: {head['agree']}" + ("" if head["agree"] else f" — {head['differences']}"))
    print(f"在管人员 {head['under_control']:,}, 新增确诊 {head['confirmed']:,}; headless within 10 s: {rows[-1]['within_target']}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"briefing-{head['scale']}{'-' + args.scope if args.scope else ''}.json"
    out.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {out}")
    return 0 if head["agree"] else 1


if __name__ == "__main__":
    sys.exit(main())
