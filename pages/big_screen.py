"""指挥大屏: the command hall's wall display. Dark, without sidebar or toolbar, the figures of the
last day with data for the viewer's jurisdiction; it re-reads them every EPI_SCREEN_REFRESH_SECONDS
and turns to the next panel every EPI_SCREEN_ROTATE_SECONDS (the panel is chosen from the clock),
inside one fragment, so the page is never reloaded. When the warehouse does not answer it keeps
the last figures it read (in the session) under a banner saying how old they are."""

import logging
import time

import streamlit as st

from portal.auth import session
from portal.command import screen
from portal.data import QueryRunner, data_range, page_identity
from portal.settings import load_portal_settings

FRAME_KEY = "big-screen-frame"  # + the jurisdiction: the last good frame
log = logging.getLogger(__name__)

identity = page_identity()
settings = load_portal_settings()
st.markdown(screen.CSS, unsafe_allow_html=True)


def latest_frame(scope: str) -> tuple[screen.Frame | None, Exception | None]:
    """The frame to draw: the last one while it is younger than the refresh interval, else a new
    reading; when that fails, the last one (or None) and why."""
    key = f"{FRAME_KEY}:{scope}"
    last = st.session_state.get(key)
    if last is not None and time.time() - last.read_clock < settings.screen_refresh_s:
        return last, None
    try:
        span = data_range(scope)
        frame = screen.read(QueryRunner(scope, span["data_version"]), settings, span, scope)
    except Exception as exc:  # the warehouse stopped answering (WarehouseError) or anything else: keep the last
        log.warning("指挥大屏未能刷新：%s", exc)
        return last, exc
    st.session_state[key] = frame
    return frame, None


@st.fragment(run_every=min(settings.screen_refresh_s, settings.screen_rotate_s))
def wall():
    # each refresh looks the session up: it counts as activity (the screen stays signed in while
    # it shows) and a disabled account or a changed role takes effect within one refresh
    who = session.current()
    if who is None or who.role != identity.role or who.scope != identity.scope:
        st.rerun()
    frame, failed = latest_frame(who.scope)
    panel = screen.panel_at(time.time(), settings.screen_rotate_s)
    with st.container(key="big-screen"):
        st.markdown(screen.header(frame, panel), unsafe_allow_html=True)
        if failed is not None:
            age = int((time.time() - frame.read_clock) // 60) if frame else 0
            st.markdown(screen.stale_banner(age, first=frame is None), unsafe_allow_html=True)
        if frame is None:
            return
        st.markdown(screen.DRAW[panel](frame), unsafe_allow_html=True)  # the other panels hold the curve
        if panel == "overview":
            left, right = st.columns([3, 2])
            if frame.deck is not None:
                with left, st.container(key="screen-map"):
                    st.pydeck_chart(frame.deck, height=520)
            right.markdown(screen.curve(frame, tall=True), unsafe_allow_html=True)


wall()
