"""The portal's first view made ready before anyone asks for it.

A portal process starts with nothing computed: the first person to sign in would wait for the
imports of the chart and statistics libraries, the alert check and every query of the cockpit.
The first run of the portal's script (the sign-in page, shown to the first visitor) starts a
warm-up in the background that makes them — the cockpit of the whole city on the last day
with data, exactly as the page reads it, and the alert check — while that visitor types a
password. Every entry it fills is the page's own (portal.data caches, cockpit_views parts).

EPI_WARM_UP=0 turns it off (the tests, which count the engine's calls)."""

from __future__ import annotations

import logging
import threading

import streamlit as st

from portal.settings import load_portal_settings

log = logging.getLogger(__name__)


def warm(scope: str = "") -> None:
    """Compute what the cockpit's first view of `scope` reads, on the last day with data."""
    from portal.alerts import view as alert_view
    from portal.command import cockpit, cockpit_views, sources
    from portal.data import QueryRunner, data_range
    from portal.ui import drill
    from portal.zones import zone_plans

    settings = load_portal_settings()
    span = data_range(scope)
    run = QueryRunner(scope, span["data_version"])
    as_of = span["last_day"]
    sources.stale_line(run, settings)
    alert_view.checked(span)
    drill.names_of(run, scope)
    cockpit_views.figures_of(run, settings, scope, as_of)
    cockpit_views.trend_view(run, settings, scope, as_of)
    drill.children(run, scope, cockpit.CHILD_GRAIN[len(scope)])
    in_force = zone_plans.in_force(run, as_of)
    cockpit_views.units_view(run, settings, scope, as_of, cockpit_views.FIRST_INDICATOR, tuple(in_force["zone_id"]),
                             zones=in_force)


def _in_background() -> None:
    # the caches are Streamlit's, used here outside any session: its note that this thread has
    # no script context is expected, once per cache read
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    try:
        warm("")
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first view computes it
        log.exception("warm-up of the cockpit failed; the first view computes it")


@st.cache_resource(show_spinner=False)
def start_once() -> threading.Thread | None:
    """Start the warm-up once per process (the first run of the portal's script)."""
    if not load_portal_settings().warm_up:
        return None
    thread = threading.Thread(target=_in_background, name="portal-warm-up", daemon=True)
    thread.start()
    return thread
