"""Page runs take turns: at most `page_turns` (EPI_PAGE_TURNS, default 2, this machine's cores)
sessions' page scripts do Python work at once; the others wait for a turn before they start.

A portal process runs every session's script in one Python interpreter, so a room signing in
at once is one lock passed between dozens of threads, each holding it for a few milliseconds:
the work is the same, but every run finishes at the end of the burst and the switching costs
the processor a quarter of its time. Taking turns, the first runs finish first and the last
no later than before.

A run gives up its turn once it waits for the warehouse (registry.before_engine_call):
waiting for ClickHouse needs no Python, and a turn never waits behind a query. It does not
take the turn back, so no run ever waits for a turn while it holds anything another run needs
(a cache key being computed): turns cannot deadlock. Fragment reruns (a map's indicator, the
live marks) and the benchmarks' runs outside `streamlit run` take no turn."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from portal.settings import load_portal_settings
from queries import registry

_turns = threading.BoundedSemaphore(max(1, load_portal_settings().page_turns))
_held = threading.local()


@contextmanager
def page_turn() -> Iterator[None]:
    """Wait for a turn, run the page, give the turn back (if it was not given up already)."""
    _turns.acquire()
    _held.turn = True
    try:
        yield
    finally:
        give_up()


def give_up() -> None:
    """Give this thread's turn to the next run waiting (nothing when it holds none)."""
    if getattr(_held, "turn", False):
        _held.turn = False
        _turns.release()


registry.before_engine_call(give_up)
