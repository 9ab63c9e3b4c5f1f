"""Every plotly chart a page draws, in Chinese: dates on axes and hover as 2月20日 (2月20日 14时 on
an hourly axis), hours of the day as 14时, axis, legend and hover names from the glossary, and no
plotly toolbar (its tooltips are English and Streamlit bundles no plotly locale). Pages render a
figure with `show(where, fig)`; `zh(fig)` is the part that changes the figure: a figure built once
and shared by sessions (in a @shared part) goes through `zh` there, so `show` finds it done and
leaves it as it is."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from portal import glossary

DAY_FORMAT = "%-m月%-d日"
HOUR_FORMAT = "%-m月%-d日 %-H时"
DAY_MS = 86_400_000
# up to this many days a date axis has a tick on every day (plotly would otherwise put ticks at
# noon between days, each labelled with the same day)
DAILY_TICKS_UP_TO = 8
# no plotly toolbar: its buttons' tooltips are English ("Zoom", "Download plot as a png", …)
CONFIG = {"displayModeBar": False, "displaylogo": False}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}([ T](\d{2}):(\d{2}))?")
# `name=%{x}` in a hover template written by plotly express ("sum of samples=%{y}", "count=%{y}"),
# and `name=value` of the trace's colour ("purpose=mass")
_HOVER_PART = re.compile(r"(^|<br>)([^=<]*)=(%\{([xy])([^}]*)\})?")
# the mark of a figure already in Chinese (layout.meta travels with the figure; plotly ignores it)
DONE = "zh"


def _times(values) -> pd.DatetimeIndex | None:
    """The values as times when they are dates or times (None when they are not)."""
    if values is None:
        return None
    array = np.asarray(values)
    if array.size == 0:
        return None
    if array.dtype.kind == "M":
        return pd.DatetimeIndex(array.ravel()).dropna()
    if array.dtype.kind not in "OU":
        return None
    sample = next((v for v in array.ravel() if v is not None and not (isinstance(v, float) and np.isnan(v))), None)
    if isinstance(sample, (dt.date, np.datetime64)) or (isinstance(sample, str) and _ISO_DAY.match(sample)):
        try:
            return pd.DatetimeIndex(pd.to_datetime(pd.Series(array.ravel()), errors="raise")).dropna()
        except (ValueError, TypeError):
            return None
    return None


def day_names(days) -> pd.Series:
    """Days as a legend or a category axis names them: 2月20日."""
    days = pd.to_datetime(pd.Series(days))
    return days.dt.month.astype(str) + "月" + days.dt.day.astype(str) + "日"


def _axis(fig: go.Figure, ref: str | None, letter: str):
    """The layout axis a trace's x or y refers to ("x2" → layout.xaxis2)."""
    ref = ref or letter
    return fig.layout[f"{letter}axis{ref[1:]}"]


def _title(text: str | None) -> str | None:
    """An axis or legend title in the glossary's words (an English column name → its label)."""
    if not text:
        return text
    return glossary.label(text)


def zh(fig: go.Figure, hours: str | None = None) -> go.Figure:
    """The figure with Chinese dates, hours and names (changed in place, and returned).

    `hours` names the axis ("x" or "y") that holds hours of the day (0–23) as numbers: its ticks
    and hover read 14时. Date axes are found from the traces' values."""
    dates: dict[tuple[str, str], pd.DatetimeIndex] = {}
    for trace in fig.data:
        for letter in "xy":
            times = _times(getattr(trace, letter, None))
            if times is not None and len(times):
                key = (letter, getattr(trace, f"{letter}axis", None) or letter)
                dates[key] = times if key not in dates else dates[key].append(times)
    for (letter, ref), times in dates.items():
        axis = _axis(fig, ref, letter)
        hourly = bool((times != times.normalize()).any())
        form = HOUR_FORMAT if hourly else DAY_FORMAT
        axis.update(type="date", tickformat=form, hoverformat=form)
        days = times.normalize().unique()
        if not hourly and len(days) <= DAILY_TICKS_UP_TO:
            axis.update(tick0=days.min().strftime("%Y-%m-%d"), dtick=DAY_MS)
    if hours:
        axis = fig.layout[f"{hours}axis"]
        axis.update(ticksuffix="时", hoverformat="d")
    # numbers in full with thousands separators (plotly's 10k is an English abbreviation), and
    # the axis titles in the glossary's words
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        axis.update(title_text=_title(axis.title.text))
        if axis.type != "date":
            axis.update(exponentformat="none", separatethousands=True)
    if fig.layout.legend.title.text:
        fig.layout.legend.title.text = _title(fig.layout.legend.title.text)
    if fig.layout.legend.orientation is None:
        # above the plot, not beside it: on a phone a legend at the side takes half the width
        fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0})
    for trace in fig.data:
        template = getattr(trace, "hovertemplate", None)
        if template:
            trace.hovertemplate = _HOVER_PART.sub(lambda m: _hover_part(fig, trace, m), template)
    fig.layout.meta = DONE
    return fig


def _hover_part(fig: go.Figure, trace, match: re.Match) -> str:
    """One `name=%{x}` of a hover template named as its axis is titled (plotly express writes the
    column's name, or "sum of samples" / "count" for a histogram); a `name=` of the trace's colour
    in the glossary's words."""
    start, name, value, letter, rest = match.groups()
    if not value:
        return f"{start}{_title(name)}="
    title = _axis(fig, getattr(trace, f"{letter}axis", None), letter).title.text
    suffix = "时" if f"{letter}axis" == _hours_axis(fig) else ""
    return f"{start}{title or _title(name)}={value}{suffix}"


def _hours_axis(fig: go.Figure) -> str | None:
    for letter in "xy":
        if fig.layout[f"{letter}axis"].ticksuffix == "时":
            return f"{letter}axis"
    return None


def show(where, fig: go.Figure, hours: str | None = None, **kwargs):
    """Render the figure in Chinese (`where`: st or a column/container) without plotly's toolbar.
    A figure not yet through `zh` is changed in place: one built in this run is this run's own."""
    if fig.layout.meta != DONE:
        zh(fig, hours)
    kwargs.setdefault("width", "stretch")
    return where.plotly_chart(fig, config=CONFIG, **kwargs)
