"""Cached access to the indicator queries: one warehouse client per process, results cached
by query name + parameters + jurisdiction + data version (the embedded engine runs one query
at a time, so repeated views must not reach it); and the page parts built from them (figures,
maps, tables), built once per parameters + jurisdiction + data version and shared by every
session (`shared`).

Sessions that miss the same key at once wait for one computation: Streamlit's caches hold a
lock per key while the value is computed and read the key again once they hold it, so the
first views after a data change run each warehouse query once, not once per session
(tests/test_view_cache.py counts the engine's calls)."""

from __future__ import annotations

import dataclasses
import functools
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

import pandas as pd
import streamlit as st

from portal.settings import load_portal_settings
from queries import registry, schema


@st.cache_resource(show_spinner=False)
def warehouse_ready() -> bool:
    """Open the single client and check the schema once per process."""
    schema.ensure_current()
    return True


def _fetch(name: str, scope: str, params: tuple) -> registry.QueryResult:
    return registry.fetch(name, scope, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})


@st.cache_data(ttl=load_portal_settings().cache_ttl_s, show_spinner=False, max_entries=2000)
def _cached(name: str, scope: str, data_version: str, params: tuple) -> registry.QueryResult:
    return _fetch(name, scope, params)


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@st.cache_data(ttl=30, show_spinner=False)
def data_range(scope: str) -> dict:
    """First and last day with data and the data version; re-read every 30 s, not every rerun."""
    df = registry.run("meta/data_range", scope)
    row = df.iloc[0]
    return {
        "first_day": pd.Timestamp(row["first_day"]).date(),
        "last_day": pd.Timestamp(row["last_day"]).date(),
        "data_version": str(row["data_version"] or ""),
        "scale": str(row["scale"] or ""),
        "person_fraction": float(row["person_fraction"] or 0) or None,
    }


@st.cache_data(ttl=1, show_spinner=False, max_entries=200)
def _live(name: str, scope: str, params: tuple) -> registry.QueryResult:
    """Live rows (site leads' marks): not keyed by data version; the 1 s lifetime only lets
    sessions refreshing at the same moment share one read."""
    return _fetch(name, scope, params)


def forget_live() -> None:
    """Drop live results at once (after a write), so the writer's next view reads the mark."""
    _live.clear()


RECENT_S = 10  # how long rows that writes outside the data version change (zones in force) are shared


@st.cache_data(ttl=RECENT_S, show_spinner=False, max_entries=200)
def _recent(name: str, scope: str, data_version: str, params: tuple) -> registry.QueryResult:
    """Rows a portal write changes without a new data version (a published zone plan): read at
    most once per RECENT_S seconds by all sessions together, and afresh once this process writes
    (forget_recent); another portal process's write shows within RECENT_S seconds."""
    return _fetch(name, scope, params)


def forget_recent() -> None:
    """Drop the recent results at once (after a write), so every session's next view reads it."""
    _recent.clear()


class QueryRunner:
    """Runs registry queries for one session's jurisdiction, through the cache.

    `run(name, ...)` gives the rows; `run.result(name, ...)` the whole QueryResult (when it was
    computed, whether the row cap cut it). The runner also remembers the last result of each
    name it handed out, so a page can show the time of a query a portal module ran for it."""

    def __init__(self, scope: str, data_version: str):
        self.scope, self.data_version = scope, data_version
        self._results: dict[str, registry.QueryResult] = {}

    def __call__(self, name: str, **params: Any) -> pd.DataFrame:
        return self.result(name, **params).frame

    def result(self, name: str, **params: Any) -> registry.QueryResult:
        return self._handed(_cached(name, self.scope, self.data_version, _key(params)))

    def live(self, name: str, **params: Any) -> pd.DataFrame:
        """A query that must see writes made after the data version was read (live marks)."""
        return self.live_result(name, **params).frame

    def live_result(self, name: str, **params: Any) -> registry.QueryResult:
        return self._handed(_live(name, self.scope, _key(params)))

    def recent(self, name: str, **params: Any) -> pd.DataFrame:
        """A query whose rows a portal write changes without a new data version (zones in force)."""
        return self._handed(_recent(name, self.scope, self.data_version, _key(params))).frame

    def latest(self, name: str | None = None) -> registry.QueryResult | None:
        """The last result of `name` this runner handed out; without a name, the most recently
        computed of all (what a page's single "computed at" note shows)."""
        if name is not None:
            return self._results.get(name)
        return max(self._results.values(), key=lambda r: r.computed_at, default=None)

    def computed(self, name: str | None = None) -> str | None:
        """When latest(name) was computed, as pages print it; None when it was not read."""
        result = self.latest(name)
        return result.stamp if result is not None else None

    def _handed(self, result: registry.QueryResult) -> registry.QueryResult:
        result = dataclasses.replace(result, frame=result.frame.copy())
        self._results[result.name] = result
        return result


def _key(params: dict[str, Any]) -> tuple:
    return tuple(sorted((k, _freeze(v)) for k, v in params.items()))


T = TypeVar("T")


def shared(build: Callable[..., T]) -> Callable[..., T]:
    """A page part built from a runner's queries and plain parameters — `build(run, *args)`,
    giving a figure, a map, a table — built once per (jurisdiction, data version, args) and the
    same object handed to every session: callers draw it and never change it (a figure's layout
    is set inside `build`). The queries it read are handed to the caller's runner as well, so
    "computed at" notes read as if the session had run them. Keyword arguments go to `build`
    without being part of the key: rows read outside the data version (zones in force), which
    the caller names in `args` (by their ids). EPI_VIEW_CACHE=0 builds it afresh on every call
    (the benchmarks' baseline)."""
    name = f"{build.__code__.co_filename}:{build.__qualname__}"

    @functools.wraps(build)
    def part(run: QueryRunner, *args: Any, **given: Any) -> T:
        if not load_portal_settings().view_cache:
            return build(run, *args, **given)
        value, results = _shared_part(name, run.scope, run.data_version, args, build, given)
        run._results.update(results)
        return value

    return part


@st.cache_resource(ttl=load_portal_settings().cache_ttl_s, show_spinner=False, max_entries=2000)
def _shared_part(name: str, scope: str, data_version: str, args: tuple, _build: Callable,
                 _given: dict) -> tuple[Any, dict]:
    # same lifetime as the query results, so a part never outlives the rows it was drawn from
    recorder = QueryRunner(scope, data_version)
    value = _build(recorder, *args, **_given)
    return value, {k: dataclasses.replace(r, frame=r.frame.head(0)) for k, r in recorder._results.items()}


def public_context():
    """What the public page starts with, without sign-in: the settings, the data span and a
    runner over the whole city (the page itself shows no personal data)."""
    span = data_range("")
    return load_portal_settings(), span, QueryRunner("", span["data_version"])


def _signed_in_for(page: str):
    """The signed-in identity, refused (the page stopped) when its role may not open `page`."""
    from portal.auth import access, session

    identity = session.require()
    if page in access.ROLES_OF and page not in access.OWN_REFUSAL and not access.may_open(identity, page):
        st.error(f"“{identity.role_label}”角色无权打开此页面。")
        st.stop()
    return identity


def page_identity():
    """Who is signed in, refused as page_context refuses, without reading the warehouse: for a
    page that must draw something when the warehouse does not answer (指挥大屏)."""
    return _signed_in_for(Path(sys._getframe(1).f_globals.get("__file__", "")).name)


def page_context():
    """What every signed-in page starts with: who, the settings, the data span, a query runner.
    A role the page is not open to (portal/auth/access.py, the table the menu is drawn from) is
    refused here, unless the page says why in its own words."""
    from portal.settings import load_portal_settings

    identity = _signed_in_for(Path(sys._getframe(1).f_globals.get("__file__", "")).name)  # the page that asks
    span = data_range(identity.scope)
    return identity, load_portal_settings(), span, QueryRunner(identity.scope, span["data_version"])
