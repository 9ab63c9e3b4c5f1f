"""The drawing controls of the zone-planning page: a circle around a case's home, a searched
place, typed coordinates or a point picked on the map; a polygon from typed vertices, pasted or
uploaded GeoJSON, H3 cells or compounds picked on the map. Each returns a checked shape or
shows one message saying what was wrong."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from portal import ui
from portal.zones import geometry

SHAPES = {"circle": "圆形", "vertices": "多边形顶点", "geojson": "GeoJSON", "cells": "地图选网格", "compounds": "地图选小区"}
CENTRES = {"case": "病例居住地", "search": "名称搜索", "coordinates": "坐标", "map": "地图点选"}
MAP_KEY = "zone-map"


def picked(layer: str) -> list[dict]:
    """Objects of one map layer currently selected (clicked) on the zone map."""
    state = st.session_state.get(MAP_KEY) or {}
    return list(((state.get("selection") or {}).get("objects") or {}).get(layer) or [])


def draw(run, homes: pd.DataFrame, limits: geometry.Limits) -> tuple[object, tuple[float, float] | None]:
    """Render the controls; returns (shape or None, centre for the grid or None)."""
    kind = st.radio("图形", list(SHAPES), format_func=SHAPES.get, horizontal=True, key="zone-shape-kind")
    try:
        if kind == "circle":
            centre = _centre(run, homes)
            radius = st.number_input("半径（米）", value=1000.0, step=100.0, key="zone-radius")
            if centre is None:
                return None, None
            return geometry.circle(centre[0], centre[1], float(radius), limits), centre
        if kind == "vertices":
            text = st.text_area("顶点（每行一个“经度, 纬度”，按边界顺序）", key="zone-vertices", height=140,
                                placeholder="104.060, 30.650\n104.075, 30.650\n104.075, 30.662\n104.060, 30.662")
            return (geometry.polygon_from_text(text), None) if text.strip() else (None, None)
        if kind == "geojson":
            upload = st.file_uploader("上传 GeoJSON 文件", type=["geojson", "json"], key="zone-geojson-file")
            text = st.text_area("或粘贴 GeoJSON（Polygon / MultiPolygon / Feature / FeatureCollection）",
                                key="zone-geojson", height=140)
            if upload is not None:
                try:
                    text = upload.getvalue().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise geometry.ShapeError("上传的文件不是 UTF-8 文本：请上传 GeoJSON 文本文件。") from None
            return (geometry.from_geojson(text), None) if text.strip() else (None, None)
        if kind == "cells":
            cells = picked("cells")
            st.caption(f"在地图上点击网格选中，再点一次取消：已选 {len(cells)} 个，合成一个区域。")
            return (geometry.from_outlines([c["outline"] for c in cells]), None) if cells else (None, None)
        chosen = picked("compounds")
        st.caption(f"在地图上点击小区选中，再点一次取消：已选 {len(chosen)} 个，生成包住它们的多边形。")
        if not chosen:
            return None, None
        return geometry.hull([(c["lon"], c["lat"]) for c in chosen]), None
    except geometry.ShapeError as exc:
        st.error(str(exc))
        return None, None


def _centre(run, homes: pd.DataFrame) -> tuple[float, float] | None:
    how = st.radio("圆心", list(CENTRES), format_func=CENTRES.get, horizontal=True, key="zone-centre-kind")
    if how == "case":
        if homes.empty:
            st.info("截至该日没有病例。")
            return None
        labels = {r.case_id: f"{r.case_id} · {r.compound_name}" for r in homes.iloc[::-1].itertuples()}
        case = st.selectbox("病例", list(labels), format_func=labels.get, key="zone-centre-case")
        row = homes[homes["case_id"] == case].iloc[0]
        return float(row["lon"]), float(row["lat"])
    if how == "search":
        text = st.text_input("小区、场所或采样点名称", key="zone-centre-text", placeholder="例如 棕榈泉")
        if not text.strip():
            return None
        found = run("zones/search_places", text=text.strip())
        if found.empty:
            st.warning(f"没有名称含“{ui.text(text.strip())}”的小区、场所或采样点：请换一个关键词。")
            return None
        labels = {i: f"{r.label}（{r.kind}）" for i, r in found.iterrows()}
        index = st.selectbox("选择", list(labels), format_func=labels.get, key="zone-centre-found")
        return float(found.at[index, "lon"]), float(found.at[index, "lat"])
    if how == "coordinates":
        text = st.text_input("经度, 纬度", value="104.0657, 30.6595", key="zone-centre-xy")
        parts = text.replace("，", ",").replace(",", " ").split()
        try:
            lon, lat = (float(p) for p in parts)
        except ValueError:
            raise geometry.ShapeError(f"“{text}”不是“经度, 纬度”两个数：例如 104.0657, 30.6595。") from None
        return lon, lat
    objects = picked("cases") or picked("compounds") or picked("sites") or picked("hotels")
    if not objects:
        st.caption("在地图上点击一个病例、小区、采样点或隔离酒店作为圆心。")
        return None
    chosen = objects[-1]
    st.caption(f"圆心：{ui.text((str(chosen.get('label', '')).splitlines() or [''])[0])}")
    return float(chosen["lon"]), float(chosen["lat"])
