"""The browser's chart and map libraries started on the sign-in page, out of sight.

Streamlit's page fetches and starts the code of an element kind the first time one is drawn:
plotly's (the trend charts), Vega's (the KPI cards' sparklines), deck.gl's (the maps) and the
data grid's (the tables) take one to two seconds on a command-room PC, and the cockpit, the
first page after signing in, draws all four. Drawn once each, tiny and off screen, on the sign-in page, they start while
the password is typed, and the cockpit's first view draws at once."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import streamlit as st

# off screen, but laid out (a chart in a hidden box would not be drawn at all)
_CSS = """
<style>
.st-key-warm-browser { position: absolute !important; left: -10000px !important; top: 0;
                       width: 320px !important; height: 240px; overflow: hidden; }
</style>
"""


@functools.cache
def _parts() -> tuple[go.Figure, pdk.Deck, pd.DataFrame]:
    """The tiny chart, map and table, made once per process (every sign-in page draws them)."""
    from portal.ui import charts, frozen

    figure = go.Figure(go.Bar(x=[1, 2], y=[1, 2]), layout={"height": 120, "meta": charts.DONE})
    deck = frozen(pdk.Deck(layers=[], initial_view_state=pdk.ViewState(latitude=30.66, longitude=104.06, zoom=8),
                           map_style=None))
    return figure, deck, pd.DataFrame({"预热": [1, 2]})


def warm_browser(slot) -> None:
    """One tiny plotly chart, KPI sparkline, deck.gl map and table, drawn where nobody sees them,
    in `slot` (an st.empty() near the page's top: the run that signs in leaves it empty, so the
    warm-up is gone at once, before the next page is drawn)."""
    from portal.ui import charts

    figure, deck, table = _parts()
    with slot.container(key="warm-browser"):
        st.markdown(_CSS, unsafe_allow_html=True)
        charts.show(st, figure, key="warm-chart")
        st.metric("预热", 1, chart_data=[0, 1], chart_type="area")
        st.pydeck_chart(deck, height=120)
        st.dataframe(table, height=80, hide_index=True)
