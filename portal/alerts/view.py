"""The alert centre's check as pages use it: a check of the same data already made (the
scheduled job's, another process's) when there is a fresh one, else the check made here once per
data version, minute and store per process, so the page and the cockpit show alerts without the
scheduled job and repeated views stay cheap."""

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
    settings = load_portal_settings()
    return (center.made(when, data_version, settings.alert_check_fresh_minutes)
            or center.check(lambda name, **p: registry.run(name, "", **p), settings, when, data_version=data_version))


def checked(span: dict) -> tuple[When, center.CheckReport]:
    """The moment checked and what the check found: a check of the same data made up to
    `alert_check_fresh_minutes` before now (or 24:00 of the last day with data if that is
    earlier), or, without one, the check made here. Every rule runs for the whole city; pages
    list what the viewer's jurisdiction holds."""
    when = center.default_when(span["last_day"])
    report = _check(span["data_version"], when.moment.strftime("%Y-%m-%dT%H:%M"), store.store_url())
    return report.when, report
