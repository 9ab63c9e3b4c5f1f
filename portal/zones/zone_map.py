"""The zone-planning map without a basemap: district outlines for orientation, the three tiers,
the shape being drawn, compounds (coloured by tier), case homes, sampling sites and hotels; an
H3 grid to pick cells from when a zone is built from cells."""

from __future__ import annotations

import h3
import pandas as pd
import pydeck as pdk
import streamlit as st

from portal.glossary import ZONE_TIER_SHORT, ZONE_TIERS
from portal.zones import geometry, zoning

TIER_FILL = {"high": [214, 39, 40, 110], "medium": [255, 127, 14, 90], "low": [250, 210, 60, 60]}
TIER_LINE = {"high": [170, 20, 20, 255], "medium": [210, 100, 0, 255], "low": [200, 160, 0, 255]}
CITY_CENTRE = (104.0657, 30.6595)  # 天府广场
CJK_FONT = '"Noto Sans CJK SC", "Noto Sans SC", sans-serif'


def grid(lon: float, lat: float, resolution: int = 9, ring: int = 8) -> pd.DataFrame:
    """H3 cells around a point with their outlines, to pick on the map."""
    centre = h3.latlng_to_cell(lat, lon, resolution)
    cells = sorted(h3.grid_disk(centre, ring))
    return pd.DataFrame({
        "hex": cells,
        "outline": [[[y, x] for x, y in h3.cell_to_boundary(c)] for c in cells],
    })


def background(districts: dict, layer_id: str) -> pdk.Layer:
    """District outlines in light grey for orientation, in place of a basemap."""
    rings = pd.DataFrame({"outline": [ring for shape in districts.values()
                                      for ring in geometry.outlines(shape.simplify(0.0005))]})
    return pdk.Layer("PolygonLayer", rings, id=layer_id, get_polygon="outline", filled=True,
                     get_fill_color=[236, 239, 243, 255], get_line_color=[255, 255, 255, 255],
                     line_width_min_pixels=1, pickable=False)


def deck(plan: zoning.Plan, shape, districts: dict, inside: pd.DataFrame, homes: pd.DataFrame,
         sites: pd.DataFrame, hotels: pd.DataFrame, cells: pd.DataFrame | None, view: tuple[float, float, float]) -> pdk.Deck:
    layers = [background(districts, "districts")]
    parts = plan.disjoint()
    tiers = [{"tier": t, "label": ZONE_TIERS[t], "polygon": rings, "fill": TIER_FILL[t], "line": TIER_LINE[t]}
             for t in reversed(zoning.TIERS) for rings in geometry.rings_with_holes(_light(parts.get(t)))]
    if tiers:
        layers.append(pdk.Layer("PolygonLayer", pd.DataFrame(tiers), id="tiers", get_polygon="polygon",
                                get_fill_color="fill", get_line_color="line", line_width_min_pixels=2,
                                pickable=False))
    if cells is not None and len(cells):
        cells = cells.assign(label="网格 " + cells["hex"])
        layers.append(pdk.Layer("PolygonLayer", cells, id="cells", get_polygon="outline", filled=True,
                                get_fill_color=[31, 119, 180, 25], get_line_color=[31, 119, 180, 140],
                                line_width_min_pixels=1, pickable=True, auto_highlight=True))
    if shape is not None and not shape.is_empty:
        layers.append(pdk.Layer("PathLayer", pd.DataFrame({"path": geometry.outlines(shape)}), id="shape",
                                get_path="path", get_color=[31, 119, 180, 255], width_min_pixels=3,
                                get_dash_array=[4, 2], pickable=False))
    if len(inside):
        dots = inside.assign(colour=inside["tier"].map(lambda t: TIER_LINE.get(t, [120, 120, 120, 170])),
                             label=inside["compound_name"] + " " + inside["tier"].map(lambda t: ZONE_TIER_SHORT.get(t, ""))
                             + " " + inside["residents"].astype(str) + "人")
        dots = dots[["lon", "lat", "colour", "label"]]
        layers.append(pdk.Layer("ScatterplotLayer", dots, id="compounds", get_position=["lon", "lat"],
                                get_fill_color="colour", get_radius=25, radius_min_pixels=2, radius_max_pixels=6,
                                pickable=True))
    if len(sites):
        sites = sites.assign(label=sites["resource_name"] + "\n每小时采样 " + sites["capacity"].astype(str) + " 人")[
            ["lon", "lat", "label"]]
        layers.append(pdk.Layer("ScatterplotLayer", sites, id="sites", get_position=["lon", "lat"],
                                get_fill_color=[44, 160, 44, 200], get_radius=30, radius_min_pixels=2,
                                radius_max_pixels=5, pickable=True))
    if len(hotels):
        hotels = hotels.assign(label=hotels["resource_name"] + "\n空余房间 " + hotels["free"].astype(str))[
            ["lon", "lat", "label"]]
        layers.append(pdk.Layer("ScatterplotLayer", hotels, id="hotels", get_position=["lon", "lat"],
                                get_fill_color=[148, 103, 189, 230], get_radius=60, radius_min_pixels=4,
                                radius_max_pixels=9, pickable=True))
    if len(homes):
        homes = homes.assign(label=homes["case_id"] + " 居住地\n" + homes["compound_name"])[["lon", "lat", "label"]]
        layers.append(pdk.Layer("ScatterplotLayer", homes, id="cases", get_position=["lon", "lat"],
                                get_fill_color=[120, 0, 0, 255], get_line_color=[255, 255, 255, 255],
                                stroked=True, line_width_min_pixels=1, get_radius=40, radius_min_pixels=3,
                                radius_max_pixels=8, pickable=True))
    lon, lat, zoom = view
    return pdk.Deck(layers=layers, map_style=None,
                    initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, pitch=0),
                    tooltip={"text": "{label}"})


def _light(shape):
    """The shape simplified to about 3 m for drawing (counts use the exact shape)."""
    return None if shape is None or shape.is_empty else shape.simplify(0.00003, preserve_topology=True)


@st.cache_data(show_spinner=False, max_entries=8)
def district_shapes(key: str, _outlines: pd.DataFrame) -> dict:
    """Districts as their outlines (geo/unit_outlines), built once per `key` (data version and scope)."""
    return zoning.district_shapes(_outlines)


def span_of(view: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """The lon/lat box a view shows on a ~620 × 560 px map."""
    import math

    lon, lat, zoom = view
    half_w = 620 * 360 / (512 * 2 ** zoom) / 2
    half_h = half_w * 560 / 620 * math.cos(math.radians(lat))
    return lon - half_w, lat - half_h, lon + half_w, lat + half_h


def in_view(points: pd.DataFrame, view: tuple[float, float, float], cap: int = 4000) -> pd.DataFrame:
    x0, y0, x1, y1 = span_of(view)
    mask = points["lon"].between(x0, x1) & points["lat"].between(y0, y1)
    return points[mask].head(cap)


def nearby_compounds(compounds: pd.DataFrame, inside: pd.DataFrame, view: tuple[float, float, float]) -> pd.DataFrame:
    """The compounds in view: inside the plan by tier colour, outside it grey (to pick from)."""
    outside = in_view(compounds[~compounds["compound_id"].isin(inside["compound_id"])], view, cap=2000)
    return pd.concat([in_view(inside, view), outside.assign(tier="")], ignore_index=True)


def view_of(shape, fallback: tuple[float, float]) -> tuple[float, float, float]:
    """Centre and zoom that frame the shape on a ~620 px wide map."""
    import math

    if shape is None or shape.is_empty:
        return fallback[0], fallback[1], 10.0
    x0, y0, x1, y1 = shape.bounds
    span = max(x1 - x0, (y1 - y0) / math.cos(math.radians(y0)), 0.002)
    zoom = max(8.0, min(16.0, math.log2(620 * 360 / (512 * span * 1.4))))
    return (x0 + x1) / 2, (y0 + y1) / 2, zoom


@st.cache_resource(show_spinner=False, max_entries=1000)
def _outline_rings(geometry_text: str) -> list | None:
    """A zone's outline rings for drawing, worked out once per geometry: reading, checking and
    simplifying a zone takes about a quarter of a second, and every cockpit view draws them all.
    Shared, not copied, between sessions (no one changes them)."""
    try:
        shape = geometry.from_geojson(geometry_text)
    except geometry.ShapeError:
        return None
    return geometry.outlines(_light(shape))


def zones_in_force(zones: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Zones in force drawn as outlines (for other maps), those touching the unit's district."""
    rows = []
    for zone in zones[zones["district_code"].str.startswith(unit[:6])].itertuples():
        for ring in _outline_rings(zone.geometry) or []:
            rows.append({"path": ring, "colour": TIER_LINE[zone.tier], "label": zone.zone_name, "tier": zone.tier})
    return pd.DataFrame(rows, columns=["path", "colour", "label", "tier"])


def zone_outline_layer(outlines: pd.DataFrame) -> pdk.Layer:
    return pdk.Layer("PathLayer", outlines[["path", "colour"]], id="zones-in-force", get_path="path",
                     get_color="colour", width_min_pixels=2, pickable=False)
