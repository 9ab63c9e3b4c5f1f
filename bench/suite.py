"""One benchmark case: a page's query (or a page's whole computation) beside its naive
equivalent, timed in the same run, with the rows the engine read for each.

Rows read come from the engine's own `SelectedRows` profile event (`system.events`), read
before and after one run of each side; the counter query's own rows are measured once and
taken off. On the embedded engine the process runs one query at a time, so the difference is
exactly what the measured call read. On a shared server the counter is server-wide, so other
clients' queries would be counted too: run the benchmark on a quiet server.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from warehouse.sqlfile import load_sql

SCALES = ["tiny", "demo", "city", "full"]
SQL_DIR = Path(__file__).parent / "sql"


def naive_sql(name: str) -> str:
    """A naive side's statement, bench/sql/<name>.sql, read through the one .sql loader."""
    return load_sql(SQL_DIR / f"{name}.sql").text


# the quarantine tests as the sample table holds them, in its (site, time) order (before 0019)
TESTS_IN_SAMPLES = ("(SELECT person_id, protocol_day, sampled_at, site_id, hotel_id FROM epi.sample "
                    "WHERE purpose = 'quarantine' AND protocol_day > 0)")


def on_samples(name: str) -> str:
    """A page's statement (queries/<name>.sql) with its quarantine tests read from the whole sample
    table instead of their person-ordered copy epi.quarantine_test: the copy's naive side. Only
    that table name changes; every value stays a bound parameter."""
    from queries.registry import QUERY_DIR

    text = load_sql(QUERY_DIR / f"{name}.sql").text
    if "epi.quarantine_test" not in text:
        raise ValueError(f"{name} does not read epi.quarantine_test")
    return text.replace("epi.quarantine_test", TESTS_IN_SAMPLES)


# a page's own statements with every shortcut to the rows switched off: no primary-key pruning,
# no skip index, no projection, no condition cache, so every granule of every table they name is
# read; the naive side where the page's way is a statement that finds its rows by key
NO_SHORTCUTS = {"use_primary_key": 0, "use_skip_indexes": 0, "optimize_use_projections": 0,
                "use_query_condition_cache": 0}


def unshortcut(name: str, **params) -> Any:
    """queries/<name>.sql run as the page runs it (city scope) with NO_SHORTCUTS."""
    from queries import registry

    return registry.run(name, "", settings=NO_SHORTCUTS, **params)


@dataclass
class Case:
    area: str
    query: str
    fast: Callable[[], Any]
    naive: Callable[[], Any] | None = None
    figure: Callable[[Any], Any] = field(default=lambda result: None)
    naive_figure: Callable[[Any], Any] | None = None  # defaults to `figure`
    target_ms: float | None = None
    naive_note: str = ""  # how the naive side is run, where the table alone does not say
    # how the two sides' answers are compared where their figures cannot be (the page's is capped)
    agree_with: Callable[[Any, Any], bool] | None = None


class RowCounter:
    """Rows the engine has read so far (SelectedRows), minus what reading the counter costs. That
    cost is the number of rows in system.events, which grows as new kinds of events first occur,
    so it is measured again after each run (reading the counter twice in a row)."""

    SQL = "SELECT value FROM system.events WHERE event = 'SelectedRows'"

    def __init__(self, wh):
        self.wh = wh

    def _raw(self) -> int:
        return int(self.wh.scalar(self.SQL) or 0)

    def around(self, fn: Callable[[], Any]) -> tuple[Any, float, int]:
        """Run fn once: (its result, milliseconds, rows read)."""
        before = self._raw()
        start = time.perf_counter()
        out = fn()
        ms = (time.perf_counter() - start) * 1000
        after = self._raw()
        overhead = self._raw() - after
        return out, ms, max(0, after - before - overhead)


def _side(counter: RowCounter, fn: Callable[[], Any], runs: int) -> tuple[Any, dict]:
    """Median wall and CPU milliseconds of `runs` runs. The embedded engine works inside this
    process, so process CPU time is the query's cost whatever else the machine is doing."""
    cpu_start = time.process_time()
    out, first_ms, rows = counter.around(fn)
    times, cpu = [first_ms], [(time.process_time() - cpu_start) * 1000]
    for _ in range(runs - 1):
        start, cpu_start = time.perf_counter(), time.process_time()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return out, {"ms": round(statistics.median(times), 1), "first_ms": round(first_ms, 1), "rows_read": rows,
                 "cpu_ms": round(statistics.median(cpu), 1), "runs": runs}


def measure(counter: RowCounter, case: Case, runs: int, naive_runs: int) -> dict:
    """Time both sides of a case; compare their figures."""
    fast, f = _side(counter, case.fast, runs)
    row = {"area": case.area, "query": case.query, "fast_ms": f["ms"], "fast_first_ms": f["first_ms"],
           "fast_cpu_ms": f["cpu_ms"],
           "rows_read": f["rows_read"], "runs": runs, "target_ms": case.target_ms,
           "met": None if case.target_ms is None else f["ms"] <= case.target_ms,
           "figure": _plain(case.figure(fast)), "naive_ms": None, "naive_rows_read": None, "ratio": None,
           "agree": None, "naive_note": case.naive_note}
    if case.naive is not None:
        naive, n = _side(counter, case.naive, naive_runs)
        if case.agree_with is not None:
            agree = bool(case.agree_with(fast, naive))
        else:
            agree = _plain(case.figure(fast)) == _plain((case.naive_figure or case.figure)(naive))
        row.update(naive_ms=n["ms"], naive_cpu_ms=n["cpu_ms"], naive_rows_read=n["rows_read"], naive_runs=naive_runs,
                   ratio=round(n["ms"] / f["ms"], 1) if f["ms"] else None, agree=agree)
    return row


def _plain(value: Any) -> Any:
    """Figures as JSON-friendly Python values (numpy integers and floats become int / float)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def table(rows: list[dict]) -> str:
    """The printed table: area, query, rows read, fast (wall and CPU), naive, ratio, target, met, agree."""
    rows = [r for r in rows if "error" not in r]
    head = (f"{'area':<12}{'query':<40}{'rows read':>14}{'fast ms':>10}{'cpu ms':>9}{'naive rows':>15}{'naive ms':>11}"
            f"{'ratio':>8}{'target':>8}  met  agree")
    lines = [head, "-" * len(head)]
    for r in rows:
        naive_ms = f"{r['naive_ms']:,.1f}" if r["naive_ms"] is not None else "—"
        naive_rows = f"{r['naive_rows_read']:,}" if r["naive_rows_read"] is not None else "—"
        ratio = f"{r['ratio']}x" if r["ratio"] is not None else "—"
        target = f"{r['target_ms']:,.0f}" if r["target_ms"] is not None else "—"
        met = {True: "yes", False: "NO", None: "—"}[r["met"]]
        agree = {True: "yes", False: "NO", None: "—"}[r["agree"]]
        lines.append(f"{r['area']:<12}{r['query'][:39]:<40}{r['rows_read']:>14,}{r['fast_ms']:>10,.1f}{r['fast_cpu_ms']:>9,.0f}"
                     f"{naive_rows:>15}{naive_ms:>11}{ratio:>8}{target:>8}  {met:<4} {agree}")
    notes = [f"  {r['area']} / {r['query']}: {r['naive_note']}" for r in rows if r["naive_note"] and r["naive_ms"] is None]
    if notes:
        lines += ["", "without a naive side:"] + notes
    return "\n".join(lines)
