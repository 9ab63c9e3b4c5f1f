"""Tracing helpers for the trajectory and contact pages: case selection, stops, places and
cells shared by several cases, trip paths for the time slider."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from portal.errors import EpiError
from portal.glossary import CONTROL_OUTCOMES
from queries import registry

CASE_NUMBER = re.compile(r"CD-\d{4}", re.IGNORECASE)
PALETTE = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180),
           (70, 240, 240), (240, 50, 230), (128, 128, 0), (0, 128, 128), (170, 110, 40),
           (128, 0, 0), (0, 0, 128), (255, 200, 0), (100, 100, 100)]


class SelectionError(EpiError, ValueError):
    """What was wrong with a case selection, in words for the user."""


def parse_case_numbers(text: str, known: set[str]) -> tuple[list[str], list[str]]:
    """Case numbers typed or pasted (any separators) → (known ones in order, unknown ones)."""
    tokens = [t for t in re.split(r"[\s,，;；、]+", text.strip()) if t]
    found, unknown = [], []
    for token in tokens:
        number = token.upper()
        if CASE_NUMBER.fullmatch(number) and number in known:
            if number not in found:
                found.append(number)
        else:
            unknown.append(token)
    return found, unknown


def check_range(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise SelectionError(f"{name}应在 {low}–{high} 之间，当前为 {value}。")
    return value


def cap(cases: list[str], limit: int) -> tuple[list[str], str | None]:
    if len(cases) <= limit:
        return cases, None
    return cases[:limit], f"共选择 {len(cases)} 例，地图一次最多显示 {limit} 例，已显示确诊最早的 {limit} 例。"


def colour_of(case_ids: list[str]) -> dict[str, list[int]]:
    return {c: [*PALETTE[i % len(PALETTE)], 220] for i, c in enumerate(case_ids)}


def stops(points: pd.DataFrame, min_minutes: int, max_dwell_minutes: int) -> pd.DataFrame:
    """Points where the person stayed at least min_minutes (until the next point, capped)."""
    if points.empty:
        return points.assign(dwell_minutes=pd.Series(dtype="float64"), left_at=pd.Series(dtype="datetime64[ns]"))
    dwell = (points["next_ts"] - points["ts"]).dt.total_seconds().div(60)
    dwell = dwell.fillna(max_dwell_minutes).clip(upper=max_dwell_minutes)
    out = points.assign(dwell_minutes=dwell.round(0))
    out = out[out["dwell_minutes"] >= min_minutes].copy()
    out["left_at"] = out["ts"] + pd.to_timedelta(out["dwell_minutes"], unit="m")
    return out.reset_index(drop=True)


def shared(points: pd.DataFrame, key: str) -> pd.DataFrame:
    """Places (key='place_id') or cells (key='cell') visited by two or more of the cases, with
    who was there when — the links that make a cluster."""
    visits = points if key == "cell" else points[points["place_id"] != 0]
    if visits.empty:
        return pd.DataFrame(columns=[key, "place_name", "cases", "visits", "first", "last", "times"])
    grouped = visits.sort_values("ts").groupby(key)
    out = grouped.agg(place_name=("place_name", lambda s: next((v for v in s if v), "")),
                      cases=("case_id", lambda s: sorted(set(s))), visits=("ts", "size"),
                      first=("ts", "min"), last=("ts", "max"),
                      lon=("lon", "mean"), lat=("lat", "mean"))
    out["times"] = grouped.apply(
        lambda g: "；".join(f"{c} {t:%m-%d %H:%M}" for c, t in zip(g["case_id"], g["ts"])), include_groups=False)
    out = out[out["cases"].map(len) >= 2].reset_index()
    return out.sort_values(["first"]).reset_index(drop=True)


def trips(points: pd.DataFrame, origin: pd.Timestamp) -> pd.DataFrame:
    """One row per case: its path and the minutes since origin of each point (TripsLayer)."""
    rows = []
    for case_id, g in points.sort_values("ts").groupby("case_id"):
        rows.append({
            "case_id": case_id,
            "path": [[float(x), float(y)] for x, y in zip(g["lon"], g["lat"])],
            "timestamps": [float((t - origin).total_seconds() / 60) for t in g["ts"]],
        })
    return pd.DataFrame(rows)


COMPANION_COLUMNS = ["case_id", "person_id", "overlap_minutes", "first_at", "cell", "place_name",
                     "companion_community", "person_name", "home_community_code", "home_community", "same_household",
                     "known_contact", "contact_found_by", "control_outcome", "control_kind"]
NO_CUT = dt.date(2105, 12, 31)  # no as-of day: control status and contacts as they stand now (DateTime ends 2106)


def find_companions(run, case_ids: list[str], *, window_days: int, resolution: int, min_overlap_minutes: int,
                    max_dwell_minutes: int, row_cap: int | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """Space-time companions of the cases: first their presence intervals (a few dozen rows),
    then one read of the (cell, time) copy for the residents in those cells at those times.
    Control status and known contacts are as of 24:00 of `as_of`."""
    intervals = run("trajectories/case_intervals", case_ids=case_ids, window_days=window_days,
                    resolution=resolution, max_dwell_minutes=max_dwell_minutes)
    if intervals.empty:
        return pd.DataFrame(columns=COMPANION_COLUMNS)
    limit = row_cap or registry.default_row_cap()
    # one pair past the cap is listed, so the runner can tell the page the list was cut
    return run("trajectories/companions", as_of=as_of or NO_CUT, case_ids=case_ids, resolution=resolution,
               min_overlap_minutes=min_overlap_minutes, max_dwell_minutes=max_dwell_minutes, limit=limit + 1,
               iv_case=intervals["case_id"].tolist(), iv_person=[int(x) for x in intervals["case_person"]],
               iv_place=[int(x) for x in intervals["place_id"]], iv_cell=[int(x) for x in intervals["cell"]],
               iv_start=[int(x) for x in intervals["s"]], iv_end=[int(x) for x in intervals["e"]], row_cap=limit)


def stop_table(stays: pd.DataFrame) -> pd.DataFrame:
    """The stops as listed: a stop with no place is near home (located by the cell tower)."""
    return stays.assign(place=stays["place_name"].where(stays["place_name"] != "", "住所附近（基站）"),
                        arrived_at=stays["ts"])[["case_id", "place", "arrived_at", "left_at", "dwell_minutes"]]


def link_table(links: pd.DataFrame, key: str) -> pd.DataFrame:
    """Places or cells two or more cases shared: the cases in one cell of text."""
    where = "place" if key == "place_name" else key
    return links.assign(case_ids=links["cases"].map("、".join), **{where: links[key]})[[where, "case_ids", "times"]]


def companion_table(found: pd.DataFrame) -> pd.DataFrame:
    """The companions as listed: yes/no flags and control state in words, places and
    communities by name (not grid or community codes), whole minutes."""
    yes_no = {True: "是", False: "否"}
    return found.assign(
        overlap_minutes=found["overlap_minutes"].astype(float).round().astype(int),
        known_contact=found["known_contact"].astype(bool).map(yes_no),
        same_household=found["same_household"].astype(bool).map(yes_no),
        control_outcome=found["control_outcome"].map(CONTROL_OUTCOMES),
        companion_place=found["place_name"].where(found["place_name"] != "", "（基站定位）"),
    )[["case_id", "person_name", "person_id", "overlap_minutes", "first_at", "companion_place", "companion_community",
       "home_community", "known_contact", "same_household", "control_outcome"]]
