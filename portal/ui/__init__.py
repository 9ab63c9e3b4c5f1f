"""Small UI parts shared by pages: number formats, KPI cards, the no-basemap unit map."""

from __future__ import annotations

import html
import json
import math
import re

import pandas as pd
import pydeck as pdk
import streamlit as st
from pydeck.bindings.json_tools import default_serialize

from portal import glossary

# light → dark red ramp for "higher is worse", light → dark teal for "higher is better"
_WORSE = [(254, 229, 217), (252, 174, 145), (251, 106, 74), (222, 45, 38), (165, 15, 21)]
_BETTER = [(229, 245, 249), (153, 216, 201), (102, 194, 164), (44, 162, 95), (0, 109, 44)]


# What Markdown (and Streamlit's $…$ LaTeX) would act on in a data value: emphasis, code, links
# and images, headings, HTML, strikethrough, entities; each is shown as itself by a backslash
# (CommonMark lets any ASCII punctuation be escaped). A list marker matters only at the start.
_MARKDOWN = re.compile(r"([\\`*_\[\]#!<>$~&])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+(?=[.)]))")
_DOT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "", "<": "\\<", ">": "\\>", "{": "\\{", "}": "\\}",
        "|": "\\|"}


def text(value) -> str:
    """A data value (a name, an address, a place, a topic, a user's input) as literal text inside
    st.markdown / st.caption / st.subheader / a metric label: no emphasis, link, image, heading,
    HTML or LaTeX it may hold takes effect; a line break becomes a space."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    escaped = _MARKDOWN.sub(r"\\\1", " ".join(str(value).splitlines()))
    return _LIST_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if m.group(2) in "-+" else m.group(2) + "\\"),
                           escaped, count=1)


def code(value) -> str:
    """A data value as a Markdown code span (stars of a masked value stay stars): the fence is
    longer than any run of backticks inside it, so the value cannot close it."""
    raw = "" if value is None else " ".join(str(value).splitlines())
    fence = "`" * (max((len(r) for r in re.findall("`+", raw)), default=0) + 1)
    pad = " " if raw.startswith("`") or raw.endswith("`") else ""
    return f"{fence}{pad}{raw}{pad}{fence}"


def dot_text(value) -> str:
    """A data value as the inside of a quoted Graphviz DOT string, shown as written: quotes and
    backslashes escaped, a line break kept as DOT's own, record-label characters escaped."""
    raw = "" if value is None else str(value)
    return "".join(_DOT.get(ch, ch) for ch in raw.replace("\r\n", "\n"))


def fmt(value, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if unit == "%":
        return f"{value:,.1f}%"
    return f"{int(value):,}"


def kpi(col, label: str, value, prev, unit: str, worse_up: bool = True, help: str | None = None,
        spark: list | None = None):
    """A KPI card: the figure (unit in the label), and the change from the day before."""
    delta, colour, arrow = None, "inverse" if worse_up else "normal", "auto"
    if value is not None and prev is not None:
        diff = value - prev
        if diff == 0:
            delta, colour, arrow = "与前日持平", "off", "off"
        else:
            delta = f"{diff:+,.1f} 个百分点" if unit == "%" else f"{int(diff):+,} 较前日"
    col.metric(f"{label}（{unit}）", fmt(value, unit), delta, delta_color=colour,
               delta_arrow=arrow, help=help, border=True, chart_data=spark or None,
               chart_type="area" if spark else "line", height=KPI_HEIGHT)


KPI_HEIGHT = 205
# On a phone Streamlit stacks columns one per row; keep KPI cards two abreast instead. Also the
# file uploader in Chinese.
_PHONE_CSS = """
<style>
@media (max-width: 640px) {
  .st-key-kpis [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; gap: 0.5rem !important; }
  .st-key-kpis [data-testid="stColumn"] { min-width: calc(50% - 0.5rem) !important;
                                          flex: 1 1 calc(50% - 0.5rem) !important; }
}
/* the file uploader's own words are English and Streamlit offers no option for them: the
   button and the size line are written over in Chinese (not a chosen file's remove button, the
   minimal one, which keeps its cross) */
[data-testid="stFileUploaderDropzone"] button:not([data-testid="stBaseButton-minimal"]) { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button:not([data-testid="stBaseButton-minimal"]) * { display: none !important; }
[data-testid="stFileUploaderDropzone"] button:not([data-testid="stBaseButton-minimal"])::after {
  content: "选择文件"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "拖入或选择文件，单个文件不超过 200MB"; font-size: 0.8rem; }
</style>
"""


# Streamlit cuts a metric's label and value to one line with "…"; a figure's name and value
# must read whole (超12小时未出结果, CD-0005 无症状感染者), so they wrap instead.
_WHOLE_CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important;
}
</style>
"""


def whole_metrics() -> None:
    """Metric labels and values on this page wrap instead of being cut with "…"."""
    st.markdown(_WHOLE_CSS, unsafe_allow_html=True)


def phone_friendly_kpis() -> None:
    """KPI cards two abreast on a phone, their labels and values whole (whole_metrics)."""
    st.markdown(_PHONE_CSS + _WHOLE_CSS, unsafe_allow_html=True)


def computed_note(stamp: str | None) -> None:
    if stamp:
        st.caption(f"计算时间 {stamp}（北京时间）")


def colour_scale(values: pd.Series, worse_up: bool) -> list[list[int]]:
    ramp = _WORSE if worse_up else _BETTER
    top = float(values.max()) if len(values) else 0.0
    out = []
    for v in values:
        idx = 0 if top <= 0 else min(len(ramp) - 1, int(len(ramp) * float(v) / (top + 1e-9)))
        out.append([*ramp[idx], 200])
    return out


def polygons(outlines: pd.DataFrame) -> pd.DataFrame:
    """One row per polygon of each unit's outline (a GeoJSON Polygon or MultiPolygon in the
    `outline` column): the frame's other columns and `polygon`, its rings of [lon, lat] (outer
    first, then holes), as a PolygonLayer draws them."""
    rows = []
    for record in outlines.to_dict("records"):
        doc = json.loads(record.pop("outline") or "null")
        if not doc:
            continue
        parts = doc["coordinates"] if doc["type"] == "MultiPolygon" else [doc["coordinates"]]
        rows.extend({**record, "polygon": part} for part in parts)
    return pd.DataFrame(rows, columns=[*(c for c in outlines.columns if c != "outline"), "polygon"])


def map_view(shapes: pd.DataFrame, width: int = 620, height: int = 460) -> pdk.ViewState:
    """A view that fits the polygons of `polygons()` (or points with lon, lat) on a map of about
    width × height pixels."""
    if "polygon" in shapes.columns and len(shapes):
        xs = [x for rings in shapes["polygon"] for x, _ in rings[0]]
        ys = [y for rings in shapes["polygon"] for _, y in rings[0]]
    else:
        xs, ys = shapes["lon"].astype(float).tolist(), shapes["lat"].astype(float).tolist()
    if not xs:
        return pdk.ViewState(longitude=104.0657, latitude=30.6595, zoom=7.5, pitch=0)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    lat = (y0 + y1) / 2
    dx = max(x1 - x0, 0.005)
    dy = max(y1 - y0, 0.005) / math.cos(math.radians(lat))  # Web Mercator stretches latitude
    zoom = math.log2(min(width * 360 / (512 * dx), height * 360 / (512 * dy)) / 1.1)
    return pdk.ViewState(longitude=(x0 + x1) / 2, latitude=lat, zoom=max(6.0, min(15.0, zoom)), pitch=0)


def _wide_enough(shapes: pd.DataFrame, zoom: float, pixels: float = 60) -> set:
    """The units drawn at least `pixels` wide at `zoom`: only they get a label on the map (the
    others' names would pile up, as the five central districts do city-wide; hovering names them)."""
    per_degree = 512 * 2 ** zoom / 360
    width: dict = {}
    for code, rings in zip(shapes["unit_code"], shapes["polygon"]):
        xs = [x for x, _ in rings[0]]
        lo, hi = width.get(code, (min(xs), max(xs)))
        width[code] = (min(lo, *xs), max(hi, *xs))
    return {code for code, (lo, hi) in width.items() if (hi - lo) * per_degree >= pixels}


def unit_map(outlines: pd.DataFrame, units: pd.DataFrame, value_col: str, label: str,
             unit: str, worse_up: bool, zoom: float | None = None, fit_width: int = 620) -> pdk.Deck:
    """Units drawn as their outlines (geo/unit_outlines), coloured by the indicator, with their
    Chinese names and values at a point inside each (units' lon, lat) wide enough to hold them;
    no basemap. The view fits the outlines in `fit_width` pixels unless `zoom` is given (the
    map's own width is the page's: a view fitted for a phone shows the whole area everywhere)."""
    shapes = polygons(outlines[["unit_code", "outline"]])
    shown = shapes.merge(units[["unit_code", "name", value_col]], on="unit_code", how="inner")
    shown["fill"] = colour_scale(shown[value_col], worse_up)
    shown["value_text"] = shown[value_col].map(lambda v: fmt(v, unit))
    view = map_view(shapes, width=fit_width)
    if zoom is not None:
        view.zoom = zoom
    labels = units.assign(value_text=units[value_col].map(lambda v: fmt(v, unit)))
    labels["text"] = labels["name"] + " " + labels["value_text"]
    labels = labels[labels["unit_code"].isin(_wide_enough(shapes, view.zoom))]
    layers = [
        pdk.Layer("PolygonLayer", shown, get_polygon="polygon", get_fill_color="fill",
                  get_line_color=[255, 255, 255, 230], line_width_min_pixels=1, stroked=True,
                  filled=True, extruded=False, pickable=True, auto_highlight=True),
        pdk.Layer("TextLayer", labels, get_position=["lon", "lat"], get_text="text",
                  get_size=12, get_color=[30, 30, 30, 255], pickable=False,
                  character_set=pdk.types.String("auto"),
                  font_family=pdk.types.String('"Noto Sans CJK SC", "Noto Sans SC", sans-serif'),
                  get_text_anchor=pdk.types.String("middle"),
                  get_alignment_baseline=pdk.types.String("center"),
                  background=True, get_background_color=[255, 255, 255, 170],
                  background_padding=[2, 1, 2, 1]),
    ]
    return pdk.Deck(layers=layers, initial_view_state=view, map_style=None,
                    tooltip={"text": "{name}\n" + label + "：{value_text}"})


def deck_json(deck: pdk.Deck) -> str:
    """The deck's JSON as pydeck writes it (its own serialiser for every object, keys sorted),
    but compact and in UTF-8: pydeck indents it, which makes Python's json fall back from its C
    encoder to the pure-Python one (seconds for a map of the real outlines), and escapes every
    Chinese character in six bytes."""
    return json.dumps(deck, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def fast(deck: pdk.Deck) -> pdk.Deck:
    """The deck serialised by deck_json whenever it is drawn."""
    deck.to_json = lambda: deck_json(deck)
    return deck


def frozen(deck: pdk.Deck) -> pdk.Deck:
    """The deck with its JSON written now, once: a deck shared by many sessions (data.shared) is
    drawn without being serialised again on every run. Nothing may change it afterwards."""
    spec = deck_json(deck)
    deck.to_json = lambda: spec
    return deck


def legend(values: pd.Series, label: str, unit: str, worse_up: bool) -> None:
    """A colour key under the map: the ramp from 0 to the largest value."""
    ramp = _WORSE if worse_up else _BETTER
    top = float(values.max()) if len(values) else 0.0
    swatches = "".join(
        f'<span style="display:inline-block;width:28px;height:12px;background:rgb{c}"></span>' for c in ramp)
    st.markdown(f'<div style="font-size:0.8rem">{html.escape(label)}（{html.escape(unit)}）&nbsp;0 {swatches} '
                f'{html.escape(fmt(top, unit))}</div>',
                unsafe_allow_html=True)


def download_buttons(df: pd.DataFrame, stem: str, key: str, clear: bool = False) -> None:
    """CSV and XLSX downloads of a table, headed as on screen (the column glossary). Personal
    columns are masked unless `clear` (from masking.reveal()), formulas kept as text, each
    download audited: the one export path, portal.exports."""
    from portal import exports

    exports.table_downloads(df, stem, key, clear)


def headed(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with the glossary's Chinese headers: what every table and export shows."""
    return glossary.headed(df)


def _is_count(name, values: pd.Series) -> bool:
    """Whole numbers get thousands separators; identifiers and codes are left as they are."""
    if not pd.api.types.is_integer_dtype(values):
        return False
    known = glossary.fmt_of(name) if isinstance(name, str) else None
    if known is not None:
        return known != "id"
    return not any(k in str(name) for k in ("编号", "代码", "id", "code"))


def column_config(df: pd.DataFrame, helps: dict | bool = False) -> dict:
    """The column settings of a table headed by the glossary: thousands separators on counts;
    with `helps`, every header whose figure has a definition (its own name's, or the key that
    `helps` maps the column to) shows that definition on hover."""
    config = {}
    for col in df.columns:
        key = helps.get(col, col) if isinstance(helps, dict) else col
        help_text = glossary.help_for(key) if helps and isinstance(key, str) else None
        header = glossary.label(col) if isinstance(col, str) else col
        if _is_count(col, df[col]):
            config[header] = st.column_config.NumberColumn(format="localized", help=help_text)
        elif help_text:
            config[header] = st.column_config.Column(help=help_text)
    return config


def table(df: pd.DataFrame, clear: bool = False, helps: dict | bool = False, **kwargs) -> None:
    """st.dataframe headed by the column glossary, with thousands separators on counts (and,
    with `helps`, each defined figure's definition on hover over its header, see
    column_config); personal columns masked unless `clear` (from masking.reveal())."""
    from portal.people import masking

    st.dataframe(masking.shown(headed(df), clear), column_config=column_config(df, helps), **kwargs)


def fit_height(df: pd.DataFrame, most: int = 320) -> int:
    """A table height that shows every row up to `most` pixels (35 px a row, plus the header)."""
    return min(most, 35 * (len(df) + 1) + 3)


def point_map(points: pd.DataFrame, outlines: pd.DataFrame, labels: pd.DataFrame, tooltip: str,
              zoom: float | None = None) -> pdk.Deck:
    """Points (lon, lat, fill) over their units' pale outlines (geo/unit_outlines) with names;
    no basemap. The view fits the outlines unless `zoom` is given. Only the columns the map draws
    and the tooltip names are sent to the browser (a city's sites with every column are megabytes)."""
    shapes = polygons(outlines[["unit_code", "outline"]])
    wanted = dict.fromkeys(["lon", "lat", "fill", *re.findall(r"\{(\w+)\}", tooltip)])
    points = points[[c for c in wanted if c in points.columns]]
    layers = [
        background_layer(shapes),
        pdk.Layer("ScatterplotLayer", points, get_position=["lon", "lat"], get_fill_color="fill",
                  get_line_color=[255, 255, 255, 200], line_width_min_pixels=0.5, stroked=True,
                  get_radius=90, radius_min_pixels=2.5, radius_max_pixels=14, pickable=True, auto_highlight=True),
        pdk.Layer("TextLayer", labels, get_position=["lon", "lat"], get_text="name", get_size=13,
                  get_color=[40, 40, 40, 255], pickable=False, character_set=pdk.types.String("auto"),
                  font_family=pdk.types.String('"Noto Sans CJK SC", "Noto Sans SC", sans-serif'),
                  get_text_anchor=pdk.types.String("middle"), get_alignment_baseline=pdk.types.String("center"),
                  background=True, get_background_color=[255, 255, 255, 170], background_padding=[3, 1, 3, 1]),
    ]
    view = map_view(shapes)
    if zoom is not None:
        view.zoom = zoom
    return pdk.Deck(layers=layers, initial_view_state=view, map_style=None, tooltip={"text": tooltip})


def background_layer(shapes: pd.DataFrame, fill: tuple[int, int, int] = (236, 239, 243)) -> pdk.Layer:
    """Units' outlines (rows of polygons()) in a pale fill with white borders, under other layers."""
    return pdk.Layer("PolygonLayer", shapes, get_polygon="polygon", get_fill_color=[*fill, 255],
                     get_line_color=[255, 255, 255, 255], line_width_min_pixels=1, stroked=True, filled=True,
                     pickable=False)


def swatch_legend(items: list[tuple[str, tuple[int, int, int], int]]) -> None:
    """A key of coloured dots with their labels and counts, under a map."""
    parts = "".join(
        f'<span style="margin-right:14px;white-space:nowrap"><span style="display:inline-block;width:11px;height:11px;'
        f'border-radius:6px;background:rgb{c};vertical-align:middle"></span> {html.escape(label)} {n:,}</span>'
        for label, c, n in items)
    st.markdown(f'<div style="font-size:0.85rem;line-height:1.8">{parts}</div>', unsafe_allow_html=True)
