"""The alert centre's check as pages run it: once per data version, minute and store per process, so
the page and the cockpit show alerts without the scheduled job and repeated views stay cheap."""

from __future__ import annotations

import streamlit as st

from portal.alerts import center
from portal.alerts.rules import When
from portal.auth import store
from portal.settings import load_portal_settings
from queries import registry


@st.cache_data(show_spinner="正在检查预警…", max_entries=16)
def _check(data_version: str, moment_iso: str, store_url: str) -> center.CheckReport:
    when = When.parse(moment_iso)
    return center.check(lambda name, **p: registry.run(name, "", **p), load_portal_settings(), when)


def checked(span: dict) -> tuple[When, center.CheckReport]:
    """The moment checked (now, or 24:00 of the last day with data if earlier) and what the
    check found. Every rule runs for the whole city; pages list what the viewer's jurisdiction holds."""
    when = center.default_when(span["last_day"])
    return when, _check(span["data_version"], when.moment.strftime("%Y-%m-%dT%H:%M"), store.store_url())
