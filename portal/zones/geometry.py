"""Zone shapes in longitude/latitude (GCJ-02, the warehouse's one datum): circles, polygons from
typed vertices, GeoJSON and unions of H3 cells, each checked before anything is counted or saved.
Areas are geodesic; distances use a local plane in metres (under 0.5% off across Chengdu at walking distances)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.validation import explain_validity

from portal.errors import EpiError

GEOD = Geod(ellps="WGS84")
# Chengdu spans 102°54′–104°53′ E and 30°05′–31°26′ N; a zone must overlap this box
CITY_BOX = shapely.box(102.9, 30.08, 104.89, 31.44)
CIRCLE_VERTICES = 128
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQ = 111_320.0


class ShapeError(EpiError, ValueError):
    """A zone shape that cannot be used; str() says what is wrong and what to do, in Chinese."""


@dataclass(frozen=True)
class Limits:
    min_radius_m: float = 10.0
    max_radius_m: float = 20_000.0


def circle(lon: float, lat: float, radius_m: float, limits: Limits = Limits()) -> Polygon:
    """A geodesic circle of `radius_m` around (lon, lat) as a 128-gon."""
    _check_point(lon, lat)
    if not (limits.min_radius_m <= radius_m <= limits.max_radius_m):
        raise ShapeError(
            f"半径 {radius_m:g} 米不可用：请填写 {limits.min_radius_m:g}–{limits.max_radius_m:,.0f} 米之间的半径。")
    azimuths = np.linspace(0.0, 360.0, CIRCLE_VERTICES, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(CIRCLE_VERTICES, lon), np.full(CIRCLE_VERTICES, lat), azimuths,
                             np.full(CIRCLE_VERTICES, float(radius_m)))
    return Polygon(zip(lons, lats))


def circles(points: list[tuple[float, float]], radius_m: float) -> Polygon | MultiPolygon:
    """The union of equal circles around several points (a case's home, a place it stayed)."""
    if not points:
        return Polygon()
    return shapely.union_all([circle(lon, lat, radius_m) for lon, lat in points])


def polygon_from_text(text: str) -> Polygon:
    """A polygon from vertices typed one per line as `lon, lat` (comma, space or tab between)."""
    vertices = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = line.replace("，", ",").replace("\t", " ").replace(",", " ").split()
        if len(parts) != 2:
            raise ShapeError(f"第 {number} 行“{line}”不是“经度, 纬度”两个数：每行写一个顶点，例如 104.06, 30.66。")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except ValueError:
            raise ShapeError(f"第 {number} 行“{line}”含有非数字：每行写一个顶点，例如 104.06, 30.66。") from None
        _check_point(lon, lat, where=f"第 {number} 行")
        vertices.append((lon, lat))
    return check(_polygon(vertices))


def from_geojson(text: str) -> Polygon | MultiPolygon:
    """A Polygon or MultiPolygon from GeoJSON text: a geometry, a Feature or a FeatureCollection."""
    if not text.strip():
        raise ShapeError("GeoJSON 为空：请粘贴一个 Polygon / MultiPolygon，或含多边形的 Feature / FeatureCollection。")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ShapeError(f"GeoJSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）：请检查括号和逗号。") from None
    geometries = _geometries(doc)
    parts = []
    for geom in geometries:
        if not isinstance(geom, dict) or geom.get("type") not in ("Polygon", "MultiPolygon"):
            kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
            raise ShapeError(f"GeoJSON 含有 {kind}：风险区只能是 Polygon 或 MultiPolygon。")
        try:
            parsed = shape(geom)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            raise ShapeError("GeoJSON 的坐标无法组成多边形：coordinates 应为 [[[经度, 纬度], …]]，每个环至少 4 个点且首尾相同。") from None
        for polygon in getattr(parsed, "geoms", [parsed]):
            for lon, lat in polygon.exterior.coords:
                _check_point(lon, lat)
            if len(set(polygon.exterior.coords)) < 3:
                raise ShapeError("GeoJSON 中有少于 3 个不同顶点的多边形：多边形至少需要 3 个顶点。")
        parts.append(parsed)
    if not parts:
        raise ShapeError("GeoJSON 中没有多边形：请粘贴一个 Polygon / MultiPolygon。")
    return check(shapely.union_all(parts) if len(parts) > 1 else parts[0])


def from_outlines(outlines: list[list[list[float]]]) -> Polygon | MultiPolygon:
    """The union of cell outlines given as [[lon, lat], …] rings (H3 cells picked on the map)."""
    if not outlines:
        raise ShapeError("没有选中网格：在地图上点击一个或多个网格。")
    return check(shapely.union_all([Polygon(ring) for ring in outlines]))


def hull(points: list[tuple[float, float]], margin_m: float = 30.0) -> Polygon:
    """The smallest convex polygon around the points, widened by `margin_m` (chosen compounds)."""
    if len(points) < 3:
        raise ShapeError("由小区生成多边形至少需要选择 3 个小区；少于 3 个请改用圆形。")
    return check(shapely.convex_hull(circles(points, margin_m)))


def check(geom) -> Polygon | MultiPolygon:
    """Refuse shapes that cannot be a zone: empty, self-intersecting, flat, or outside Chengdu."""
    if geom is None or geom.is_empty:
        raise ShapeError("图形为空：请先画出或输入一个区域。")
    if not geom.is_valid:
        reason = explain_validity(geom)
        where = ""
        if "[" in reason:
            x, y = reason[reason.index("[") + 1:reason.rindex("]")].split()[:2]
            where = f"，位置约在 {float(x):.5f}, {float(y):.5f}"
        raise ShapeError(f"多边形的边相互交叉（自相交{where}）：请按顺时针或逆时针依次排列顶点，不要让边交叉。")
    if not isinstance(geom, (Polygon, MultiPolygon)):
        raise ShapeError("区域必须是多边形。")
    if geom.area <= 1e-12 or area_km2(geom) <= 0:
        raise ShapeError("多边形面积为零（顶点在一条直线上）：请检查顶点。")
    if not geom.intersects(CITY_BOX):
        raise ShapeError("区域不在成都市范围内（东经 102.9°–104.9°、北纬 30.1°–31.4°）：请检查坐标，经度在前、纬度在后。")
    return geom


def area_km2(geom) -> float:
    """Geodesic area on the WGS 84 ellipsoid, km²."""
    if geom is None or geom.is_empty:
        return 0.0
    area, _ = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
    return abs(area) / 1e6


def covers(geom, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Which points lie inside the shape or on its edge (a point on the boundary counts as inside)."""
    if geom is None or geom.is_empty or len(lon) == 0:
        return np.zeros(len(lon), dtype=bool)
    shapely.prepare(geom)
    return shapely.intersects_xy(geom, np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def to_plane(lon, lat, lat0: float = 30.66) -> tuple[np.ndarray, np.ndarray]:
    """Metres east and north of (0, lat0) on a local plane."""
    x = np.asarray(lon, dtype=float) * M_PER_DEG_LON_EQ * math.cos(math.radians(lat0))
    y = np.asarray(lat, dtype=float) * M_PER_DEG_LAT
    return x, y


def distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in metres (haversine), element by element."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * np.arcsin(np.sqrt(a))


def to_geojson(geom) -> dict:
    return mapping(geom)


def outlines(geom) -> list[list[list[float]]]:
    """Exterior rings as [[lon, lat], …] lists for a pydeck PolygonLayer (holes dropped)."""
    if geom is None or geom.is_empty:
        return []
    return [[[float(x), float(y)] for x, y in poly.exterior.coords] for poly in getattr(geom, "geoms", [geom])]


def rings_with_holes(geom) -> list[list[list[list[float]]]]:
    """Each polygon as [exterior, hole, …] for a PolygonLayer that draws holes."""
    if geom is None or geom.is_empty:
        return []
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = [poly.exterior, *poly.interiors]
        out.append([[[float(x), float(y)] for x, y in ring.coords] for ring in rings])
    return out


def _polygon(vertices: list[tuple[float, float]]) -> Polygon:
    distinct = list(dict.fromkeys(vertices))
    if len(distinct) < 3:
        raise ShapeError(f"只有 {len(distinct)} 个不同的顶点：多边形至少需要 3 个顶点。")
    if vertices[0] == vertices[-1]:
        vertices = vertices[:-1]
    return Polygon(vertices)


def _check_point(lon: float, lat: float, where: str = "") -> None:
    prefix = f"{where}：" if where else ""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ShapeError(f"{prefix}坐标不是有效数字。")
    if 20 <= lon <= 45 and 95 <= lat <= 125:
        raise ShapeError(f"{prefix}坐标 ({lon:g}, {lat:g}) 像是纬度在前：请按“经度, 纬度”填写，例如 104.06, 30.66。")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ShapeError(f"{prefix}坐标 ({lon:g}, {lat:g}) 超出经纬度范围：经度 −180–180，纬度 −90–90。")


def _geometries(doc) -> list:
    if not isinstance(doc, dict):
        raise ShapeError("GeoJSON 应为一个对象（{…}），含 type 与 coordinates。")
    kind = doc.get("type")
    if kind == "FeatureCollection":
        return [f.get("geometry") for f in doc.get("features") or [] if isinstance(f, dict)]
    if kind == "Feature":
        return [doc.get("geometry")]
    if kind in ("Polygon", "MultiPolygon"):
        return [doc]
    if kind is None:
        raise ShapeError("GeoJSON 缺少 type：应为 Polygon、MultiPolygon、Feature 或 FeatureCollection。")
    return [doc]
