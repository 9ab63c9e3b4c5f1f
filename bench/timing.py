"""Timing shared by the benchmarks: the median of several runs, in milliseconds."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Run fn `runs` times; return (median milliseconds, the last result)."""
    out, times = None, []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), out
