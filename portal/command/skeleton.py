"""Chengdu's 20 units (the census reference the warehouse's district table holds), for pickers."""

from __future__ import annotations

import streamlit as st

from queries import registry


@st.cache_data(ttl=3600, show_spinner=False)
def district_choices() -> dict[str, str]:
    """Every district's code and name, city-wide (names are no one's data; pages narrow the list
    to a jurisdiction themselves); read once an hour, not on every rerun."""
    df = registry.run("geo/districts", "")
    return dict(zip(df["district_code"].astype(str), df["name"].astype(str), strict=True))
