"""bench/README.md's tables, generated from the results in bench/results/*.json.

`python -m bench.report` rewrites the part of bench/README.md between the two markers below;
`python -m bench.report --check` writes nothing and exits 1 when that part is not what the
results would give (a test runs it, so the tables cannot go stale silently); `--print` prints
the tables only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
START = "<!-- bench.report: generated from bench/results/*.json; edit those, then run python -m bench.report -->"
END = "<!-- bench.report: end -->"
SCALE_ORDER = ["tiny", "demo", "city", "full"]


def _order(path: Path) -> tuple:
    scale = path.stem.split("-", 1)[-1]
    return (SCALE_ORDER.index(scale) if scale in SCALE_ORDER else len(SCALE_ORDER), path.name)


def _int(value) -> str:
    return "—" if value is None else f"{value:,}"


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _yes(value) -> str:
    return {True: "yes", False: "**no**", None: "—"}[value]


def bench_table(result: dict, name: str) -> str:
    """One `python -m bench` run: its conditions, then one row per query."""
    rows = result["rows"]
    missed = sum(1 for r in rows if r.get("met") is False)
    disagree = sum(1 for r in rows if r.get("agree") is False)
    before, after = result.get("load_average_before") or ["?"], result.get("load_average_after") or ["?"]
    lines = [
        f"### `{result['scale']}` (`bench/results/{name}`)",
        "",
        *([result["note"], ""] if result.get("note") else []),
        f"{result['rows_in_epi']:,} rows in `epi`; as of {result['as_of']} (mass testing {result['mass_date']}); "
        f"page runs {result['runs']}, naive runs {result['naive_runs']}; {len(rows)} queries in "
        f"{result['seconds']:,.1f} s on {result['cores']} cores, load average {before[0]} before and "
        f"{after[0]} after; targets missed: {missed}; figures disagreeing: {disagree}.",
        "",
        "| area | query | rows read | page ms (CPU ms) | naive rows read | naive ms | ratio | target ms | met "
        "| same figure |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes, ways = [], []
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['area']} | {r['query']} | failed: {r['error']} | | | | | {_int(r.get('target_ms'))} "
                         f"| {_yes(r.get('met'))} | — |")
            continue
        naive = _ms(r["naive_ms"]) if r["naive_ms"] is not None else "not run"
        ratio = f"{r['ratio']}×" if r["ratio"] is not None else "—"
        page = f"{_ms(r['fast_ms'])} ({r['fast_cpu_ms']:,.0f})"
        lines.append(f"| {r['area']} | {r['query']} | {_int(r['rows_read'])} | {page} | {_int(r['naive_rows_read'])} "
                     f"| {naive} | {ratio} | {_int(r['target_ms'])} | {_yes(r['met'])} | {_yes(r['agree'])} |")
        if r.get("naive_note"):
            (notes if r["naive_ms"] is None else ways).append(f"- {r['area']} / {r['query']}: {r['naive_note']}")
    if ways:
        lines += ["", "How the naive side was run, where the table alone does not say:", "", *ways]
    if notes:
        lines += ["", "Not run on the naive side:", "", *notes]
    return "\n".join(lines)


def memory_table(result: dict, name: str) -> str:
    """One `python -m bench.memory` run: the peak, then each page's time and resident memory."""
    verdict = "within" if result["within_limit"] else "**over**"
    lines = [
        f"### Memory at `{result['scale']}` (`bench/results/{name}`)",
        "",
        f"Peak resident memory of the portal process {result['peak_rss_gib']} GiB (VmHWM), {verdict} the "
        f"{result['limit_gib']} GiB limit; exceptions on the pages: {result['exceptions']}.",
        "",
        "| page | seconds | resident MiB |",
        "|---|---|---|",
    ]
    lines += [f"| {s['page']} | {s['seconds']} | {s['rss_mib']:,} |" for s in result["steps"]]
    return "\n".join(lines)


def views_table(result: dict, name: str) -> str:
    """One `python -m bench.views` run: server CPU ms per view with the shared view caches on and off."""
    rows = result["rows"]
    missed = sum(1 for r in rows for t in r.get("targets", {}).values() if not t["met"])
    failed = sum(1 for r in rows if "error" in r)
    before, after = result.get("load_average_before") or ["?"], result.get("load_average_after") or ["?"]
    lines = [
        f"### Server CPU per view at `{result['scale']}` (`bench/results/{name}`)",
        "",
        f"Median of {result['repeat']} sessions per page and role, process CPU ms, shared view caches on / off "
        f"(`EPI_VIEW_CACHE`); {len(rows)} pages and roles in {result['seconds']:,.0f} s on {result['cores']} cores, "
        f"load average {before[0]} before and {after[0]} after; targets missed: {missed}; failed: {failed}.",
        "",
        "| page | role | first view on / off | warm rerun on / off | ratio | interaction | on / off "
        "| cold first / interaction | targets |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['title']} | {r['role']} | failed: {r['error']} | | | | | | |")
            continue
        on, off = r["on"], r["off"]
        act = "—" if r["interaction"] is None else r["interaction"] + (" (fragment)" if on["fragment"] else "")
        acted = (f"{_ms(on.get('interaction_ms'))} / {_ms(off.get('interaction_ms'))}"
                 if r["interaction"] is not None else "—")
        ratio = f"{r['warm_ratio']}×" if r.get("warm_ratio") is not None else "—"
        marks = ", ".join(f"{k} ≤ {t['target_ms']}: {_yes(t['met'])}" for k, t in r["targets"].items())
        lines.append(f"| {r['title']} | {r['role']} | {_ms(on['first_ms'])} / {_ms(off['first_ms'])} "
                     f"| {_ms(on['warm_ms'])} / {_ms(off['warm_ms'])} | {ratio} | {act} | {acted} "
                     f"| {_ms(on['cold_first_ms'])} / {_ms(on.get('cold_interaction_ms'))} | {marks} |")
    return "\n".join(lines)


def _s(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


def pages_table(result: dict, name: str) -> str:
    """One `python -m bench.pages` run: seconds to ready per page and role, first view of a day and warm."""
    rows = result["rows"]
    first, warm = result["targets_s"]["first"], result["targets_s"]["warm"]
    missed = sum(1 for r in rows for k in ("first_met", "warm_met") if not r[k])
    before, after = result.get("load_average_before") or ["?"], result.get("load_average_after") or ["?"]
    lines = [
        f"### Pages in Chromium at `{result['scale']}` (`bench/results/{name}`)",
        "",
        f"Seconds from the sidebar click to the page ready; targets first view of a day ≤ {first} s, warm ≤ {warm} s; "
        f"{len(rows)} pages and roles in {result['seconds']:,.0f} s on {result['cores']} cores, load average "
        f"{before[0]} before and {after[0]} after; portal peak resident memory {result['peak_rss_mib']:,} MiB; "
        f"targets missed: {missed}; {'every page ready' if result['all_ready'] else '**not every page was ready (— below)**'}.",
        "",
        "| page | role | day | first view s | warm s | met (first / warm) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        day = r["day"] + ("" if r.get("day_set", True) else " (not set)")
        lines.append(f"| {r['page']} | {r['role']} | {day} | {_s(r['first_s'])} | {_s(r['warm_s'])} "
                     f"| {_yes(r['first_met'])} / {_yes(r['warm_met'])} |")
    return "\n".join(lines)


def _triple(w: dict, what: str) -> str:
    values = [w.get(f"{what}_{q}_s") for q in ("p50", "p95", "max")]
    return "—" if values[0] is None else " / ".join(f"{v:,.2f}" for v in values)


def _wave_row(portal: str, w: dict) -> str:
    cpu, rss = w.get("portal_cpu_s_per_session"), w.get("portal_peak_rss_mib")
    return (f"| {portal} | {w['wave']} | {w['sessions']} | {w['served']} | {len(w['errors'])} | "
            f"{_triple(w, 'first_view')} | {_triple(w, 'interaction')} | {w['figures_right']}/{w['sessions']} | "
            f"{'—' if cpu is None else f'{cpu:.2f}'} | {'—' if rss is None else f'{rss:,.0f}'} | "
            f"{w.get('client_cpu_s', '—')} | {w.get('load_average_1min', '—')} |")


def load_table(result: dict, name: str) -> str:
    """One `python -m bench.load` run: the waves per portal, the browser wave, the faults."""
    expected = result.get("expected") or {}
    figures = (f"在管人员 {expected['under_control']:,} on {expected['day']}, {expected['under_control_day_before']:,} "
               f"on {expected['day_before']} by the cockpit's query" if expected else "figures not checked")
    before, after = result.get("load_average_before") or ["?"], result.get("load_average_after") or ["?"]
    lines = [
        f"### Load at `{result['scale']}` (`bench/results/{name}`)",
        "",
        *([result["note"], ""] if result.get("note") else []),
        f"{figures}; {result['cores']} cores, load average {before[0]} before and {after[0]} after "
        f"(`{result.get('uptime_before', '')}`); {result['seconds']:,.0f} s in all; "
        f"{'every session of this code served and right' if result.get('ok') else '**failures: see below**'}.",
        "",
        "| portal | wave | sessions | served | errors | first view s (p50 / p95 / max) | date change s "
        "(p50 / p95 / max) | 在管人员 right | portal CPU s per session | portal peak RSS MiB | client CPU s "
        "| load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in result["portals"]:
        label = f"{p['portal']} ({p['ref']})" if p.get("ref") else p["portal"]
        if p.get("env"):
            label += " " + " ".join(f"{k}={v}" for k, v in p["env"].items())
        lines += [_wave_row(label, w) for w in p["waves"]]
    spread = [f"{w['wave']}: {' + '.join(f'{c:,.1f}' for c in w['portal_cpu_s_each'])} CPU s"
              for p in result["portals"] for w in p["waves"] if w.get("portal_cpu_s_each")]
    if spread:
        lines += ["", "Each portal process's share of the work: " + "; ".join(spread) + "."]
    if b := result.get("browser"):
        lines += ["", f"Chromium: {b['sessions']} contexts at once, {b['ready']} ready; from 登录 to the cards and "
                      f"the map p50 {b['p50_s']} s, p95 {b['p95_s']} s, max {b['max_s']} s; 在管人员 shown "
                      f"{b['figures_shown']} (expected {b['expected']:,}): {_yes(b['correct'])}."]
    if drops := result.get("drops"):
        lines += ["", "Sessions cut off mid-run (connection aborted while the cockpit's elements came in):", "",
                  "| wave | sessions | cut off | served | errors | 在管人员 right | RSS MiB after | threads after "
                  "| CPU s in 2 idle s |", "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {w['wave']} | {w['sessions'] + w['dropped']} | {w['dropped']} | {w['served']} | "
                  f"{len(w['errors'])} | {w['figures_right']}/{w['sessions']} | {w['rss_mib_after']:,.0f} | "
                  f"{w['threads_after']} | {w['idle_cpu_s_over_2s']} |" for w in drops]
    if fault := result.get("load_fault"):
        t, c, d, a = fault["trajectory"], fault["control"], fault["during"], fault["after"]
        lines += ["", f"A load during a wave: a {t['rows']:,}-row trajectory file loaded on 数据来源 in {t['seconds']} s"
                      f"{' while' if fault['overlapped'] else ', finished before'} {d['sessions']} sessions opened the "
                      f"cockpit ({d['served']} served, {len(d['errors'])} errors, p95 first view "
                      f"{d['first_view_p95_s']} s); then {c['contacts']} close contacts loaded in {c['seconds']} s, "
                      f"and {a['figures_right']}/{a['sessions']} sessions after it read 在管人员 {a['expected']:,} "
                      f"(the query after the portal stopped: {fault['expected_after']['under_control']:,}): "
                      f"{_yes(fault['correct'])}."]
    return "\n".join(lines)


def render(results: Path | None = None) -> str:
    """Every table, in scale order: the query suites, the memory runs, the views' CPU, the load runs, then
    the pages in Chromium."""
    results = results or RESULTS
    parts = []
    for path in sorted(results.glob("bench-*.json"), key=_order):
        parts.append(bench_table(json.loads(path.read_text(encoding="utf-8")), path.name))
    for path in sorted(results.glob("memory-*.json"), key=_order):
        parts.append(memory_table(json.loads(path.read_text(encoding="utf-8")), path.name))
    for path in sorted(results.glob("views-*.json"), key=_order):
        parts.append(views_table(json.loads(path.read_text(encoding="utf-8")), path.name))
    for path in sorted(results.glob("load-*.json"), key=_order):
        parts.append(load_table(json.loads(path.read_text(encoding="utf-8")), path.name))
    for path in sorted(results.glob("pages-*.json"), key=_order):
        parts.append(pages_table(json.loads(path.read_text(encoding="utf-8")), path.name))
    return "\n\n".join(parts)


def splice(text: str, tables: str) -> str:
    """`text` with the part between the markers replaced by `tables`."""
    head, start, rest = text.partition(START)
    _old, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"bench/README.md must hold the two marker lines:\n{START}\n{END}")
    return f"{head}{START}\n\n{tables}\n\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when bench/README.md's tables are stale")
    ap.add_argument("--print", action="store_true", help="print the tables instead of writing the README")
    args = ap.parse_args(argv)
    tables = render()
    if args.print:
        print(tables)
        return 0
    current = README.read_text(encoding="utf-8")
    try:
        wanted = splice(current, tables)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if wanted != current:
            print("bench/README.md is stale: run python -m bench.report", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print(f"written {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
