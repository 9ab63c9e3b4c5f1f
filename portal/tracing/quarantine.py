"""集中隔离点: hotels at 24:00 of a day with their occupancy and the next 24 hours, and the
early warnings (occupancy over a threshold, stays past the release date, missing protocol tests)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from portal.settings import PortalSettings


def _params(settings: PortalSettings, unit: str, as_of: dt.date) -> dict:
    return {"unit": unit, "as_of": as_of, "centralized_days": settings.centralized_days,
            "test_days": list(settings.close_test_days)}


def default_day(run, span: dict) -> dt.date:
    """The last day with data at whose 24:00 someone stayed in a hotel (else the last day)."""
    last = run("quarantine/last_occupied_day")["last_day"].iloc[0]
    if last is None or pd.isna(last):
        return span["last_day"]
    return max(span["first_day"], min(span["last_day"], pd.Timestamp(last).date()))


def hotels(run, settings: PortalSettings, unit: str, as_of: dt.date) -> pd.DataFrame:
    """One row per hotel with occupancy in % (one person a room, 单人单间) and its warning flag."""
    df = run("quarantine/hotels", **_params(settings, unit, as_of))
    df["occupancy_pct"] = [round(100.0 * s / r, 1) if r else None for s, r in zip(df["staying"], df["rooms"])]
    df["over_threshold"] = df["staying"] * 100 > df["rooms"] * settings.hotel_occupancy_warn_pct
    return df.sort_values(["occupancy_pct", "hotel_id"], ascending=[False, True]).reset_index(drop=True)


def totals(df: pd.DataFrame) -> dict:
    rooms, staying = int(df["rooms"].sum()), int(df["staying"].sum())
    return {
        "hotels": len(df), "rooms": rooms, "staying": staying,
        "occupancy_pct": round(100.0 * staying / rooms, 1) if rooms else None,
        "arrivals_24h": int(df["arrivals_24h"].sum()), "releases_24h": int(df["releases_24h"].sum()),
        "over_threshold": int(df["over_threshold"].sum()), "past_release": int(df["past_release"].sum()),
        "missing_test_people": int(df["missing_test_people"].sum()), "missing_tests": int(df["missing_tests"].sum()),
    }


def warnings(run, settings: PortalSettings, unit: str, as_of: dt.date) -> pd.DataFrame:
    """The people behind the warnings, by person id (names masked by portal.ui when shown)."""
    df = run("quarantine/warnings", **_params(settings, unit, as_of))
    df["person_name"] = df["person_name"].fillna("")
    return df


HOTEL_COLUMNS = ["hotel_id", "hotel_name", "community_code", "rooms", "staying", "occupancy_pct", "arrivals_24h",
                 "releases_24h", "past_release", "missing_test_people"]


def hotel_table(df: pd.DataFrame) -> pd.DataFrame:
    """The hotels as listed (headed by the column glossary)."""
    return df[HOTEL_COLUMNS].reset_index(drop=True)


def person_table(df: pd.DataFrame, warning: str) -> pd.DataFrame:
    """The people behind one warning; for a missing test, the protocol days missed."""
    part = df[df["warning"] == warning]
    columns = ["person_id", "person_name", "hotel_name", "quarantine_start", "release_due"]
    if warning == "missing_test":
        part, columns = part.assign(missed_days=part["detail"]), [*columns, "missed_days"]
    return part[columns].reset_index(drop=True)
