"""Cached access to the indicator queries: one warehouse client per process, results cached
by query name + parameters + jurisdiction + data version (the embedded engine runs one query
at a time, so repeated views must not reach it)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from portal.settings import load_portal_settings
from queries import registry
from warehouse import get_warehouse
from warehouse.clock import stamp
from warehouse.migrate import ensure_current


@st.cache_resource(show_spinner=False)
def warehouse_ready() -> bool:
    """Open the single client and check the schema once per process."""
    ensure_current(get_warehouse())
    return True


def _fetch(name: str, scope: str, params: tuple) -> tuple[pd.DataFrame, str]:
    df = registry.run(name, scope, **{k: list(v) if isinstance(v, tuple) else v for k, v in params})
    computed = stamp()
    return df, computed


@st.cache_data(ttl=load_portal_settings().cache_ttl_s, show_spinner=False, max_entries=2000)
def _cached(name: str, scope: str, data_version: str, params: tuple) -> tuple[pd.DataFrame, str]:
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
def _live(name: str, scope: str, params: tuple) -> tuple[pd.DataFrame, str]:
    """Live rows (site leads' marks): not keyed by data version; the 1 s lifetime only lets
    sessions refreshing at the same moment share one read."""
    return _fetch(name, scope, params)


def forget_live() -> None:
    """Drop live results at once (after a write), so the writer's next view reads the mark."""
    _live.clear()


class QueryRunner:
    """Runs registry queries for one session's jurisdiction, through the cache."""

    def __init__(self, scope: str, data_version: str):
        self.scope, self.data_version = scope, data_version
        self.computed_at: dict[str, str] = {}
        self.truncated: dict[str, bool] = {}

    def __call__(self, name: str, **params: Any) -> pd.DataFrame:
        frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
        df, computed = _cached(name, self.scope, self.data_version, frozen)
        self.computed_at[name] = computed
        # the row cap stops a result early; pages say so instead of showing a silent part
        self.truncated[name] = len(df) >= params.get("row_cap", registry.DEFAULT_ROW_CAP)
        return df.copy()

    def live(self, name: str, **params: Any) -> pd.DataFrame:
        """A query that must see writes made after the data version was read (live marks)."""
        frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
        df, computed = _live(name, self.scope, frozen)
        self.computed_at[name] = computed
        self.truncated[name] = len(df) >= params.get("row_cap", registry.DEFAULT_ROW_CAP)
        return df.copy()


def public_context():
    """What the public page starts with, without sign-in: the settings, the data span and a
    runner over the whole city (the page itself shows no personal data)."""
    span = data_range("")
    return load_portal_settings(), span, QueryRunner("", span["data_version"])


def page_context():
    """What every signed-in page starts with: who, the settings, the data span, a query runner."""
    from portal.auth import session
    from portal.settings import load_portal_settings

    identity = session.require()
    span = data_range(identity.scope)
    return identity, load_portal_settings(), span, QueryRunner(identity.scope, span["data_version"])
