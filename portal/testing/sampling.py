"""Mass testing by the rules in DOMAIN.md: site states from reports and live marks, throughput
against capacity, round progress against the 24 h / 48 h targets, 15-minute-circle gaps,
sampler shortfall (population ÷ 360) and dispatch suggestions for congested sites."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from portal.settings import PortalSettings

STATE_ORDER = ["congested", "busy", "clear", "closed", "unreported"]
STATE_COLOURS = {
    "clear": (26, 152, 80), "busy": (245, 166, 35), "congested": (215, 25, 28),
    "closed": (110, 110, 110), "unreported": (190, 190, 200),
}
EARTH_M = 6_371_000.0


def classify(queue: pd.Series, settings: PortalSettings) -> pd.Series:
    """Queue state from the wait in minutes, with the thresholds of the settings."""
    q = queue.astype(float)
    return pd.Series(np.where(q >= settings.congested_minutes, "congested",
                              np.where(q >= settings.busy_minutes, "busy", "clear")), index=queue.index)


def current_states(sites: pd.DataFrame, marks: pd.DataFrame, settings: PortalSettings) -> pd.DataFrame:
    """Each site's state: its last report (re-read against the wait thresholds; closed stays
    closed, no report is unreported), replaced by a site lead's live mark where there is one."""
    out = sites.copy()
    reported = out["state"].fillna("").astype(str)
    out["queue_minutes"] = out["queue_minutes"].fillna(0).astype(int)
    out["state"] = np.where(reported == "", "unreported",
                            np.where(reported == "closed", "closed", classify(out["queue_minutes"], settings)))
    out["source"] = np.where(reported == "", "", "report")
    # reports carry seconds, marks milliseconds: one resolution for both
    out["reported_at"] = pd.to_datetime(out["reported_at"]).astype("datetime64[ns]").where(reported != "")
    if marks is not None and not marks.empty:
        latest = marks.sort_values("marked_at").groupby("site_id").tail(1).set_index("site_id")
        hit = out["site_id"].isin(latest.index)
        ids = out.loc[hit, "site_id"]
        out.loc[hit, "state"] = ids.map(latest["state"]).values
        out.loc[hit, "queue_minutes"] = ids.map(latest["queue_minutes"]).astype(int).values
        out.loc[hit, "reported_at"] = pd.to_datetime(ids.map(latest["marked_at"])).astype("datetime64[ns]").values
        out.loc[hit, "source"] = "mark"
    return out


def marks_by(marks: pd.DataFrame, day, hour: int) -> pd.DataFrame:
    """The live marks made by the end of `hour` on `day`: a state as of that moment takes no
    mark made later (for a past moment, none of the live marks)."""
    if marks is None or marks.empty:
        return marks
    cut = pd.Timestamp(day) + pd.Timedelta(hours=hour + 1)
    at = pd.to_datetime(marks["marked_at"])
    if at.dt.tz is not None:  # Beijing wall clock, as the day and hour are
        at = at.dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    return marks[at < cut]


def congested_ever(states: pd.DataFrame, settings: PortalSettings) -> int:
    """Sites congested at some point of the day up to the moment: a report up to then reached
    the congested line, or the site is congested now (by its last report or a mark)."""
    reached = pd.to_numeric(states.get("max_queue"), errors="coerce").fillna(0) >= settings.congested_minutes
    return int((reached | (states["state"] == "congested")).sum())


def state_counts(states: pd.DataFrame) -> dict[str, int]:
    """Sites per state, plus open (clear + busy + congested) and all."""
    counts = {s: int((states["state"] == s).sum()) for s in STATE_ORDER}
    counts["open"] = counts["clear"] + counts["busy"] + counts["congested"]
    counts["all"] = len(states)
    return counts


def open_wait(states: pd.DataFrame) -> tuple[float | None, int | None]:
    """Mean and longest queue (minutes) over open sites."""
    waits = states.loc[states["state"].isin(["clear", "busy", "congested"]), "queue_minutes"]
    if waits.empty:
        return None, None
    return round(float(waits.mean()), 1), int(waits.max())


def filter_sites(states: pd.DataFrame, street: str = "", kinds: list | None = None,
                 wanted: list | None = None) -> pd.DataFrame:
    shown = states
    if street:
        shown = shown[shown["community_code"].str.startswith(street)]
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if wanted:
        shown = shown[shown["state"].isin(wanted)]
    return shown


def capacity_by_hour(states: pd.DataFrame, person_fraction: float) -> pd.DataFrame:
    """Swabs per hour the sites not closed can take at each hour of their opening times, by
    district, scaled to the data (the synthetic city holds person_fraction of the residents)."""
    live = states[states["state"] != "closed"]
    rows = []
    for hour in range(24):
        at = live[(live["open_hour"] <= hour) & (live["close_hour"] > hour)]
        per = at.groupby(at["community_code"].str[:6])["capacity_per_hour"].sum()
        rows += [(d, hour, float(c) * person_fraction) for d, c in per.items()]
    return pd.DataFrame(rows, columns=["district_code", "hour", "capacity"])


def round_progress_params(settings: PortalSettings) -> dict:
    """The first-round targets the round-progress query counts within."""
    return {"sealed_hours": settings.sealed_target_hours, "controlled_hours": settings.controlled_target_hours}

def hourly_flow(hourly: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
    """Samples taken and capacity at each of the 24 hours (zero where there is none)."""
    hours = range(24)
    return pd.DataFrame({
        "hour": list(hours),
        "samples": hourly.groupby("hour")["samples"].sum().reindex(hours, fill_value=0).to_numpy(),
        "capacity": capacity.groupby("hour")["capacity"].sum().reindex(hours, fill_value=0).to_numpy(),
    })


def district_flow(hourly: pd.DataFrame, capacity: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per district: the day's samples, the busiest hour's samples, the peak hourly capacity
    (scaled) and the busiest hour's samples as a share of that peak."""
    per = hourly.groupby("district_code")["samples"].agg(["sum", "max"]).reset_index()
    per = per.rename(columns={"sum": "samples_sum", "max": "samples_peak"})
    peak = capacity.groupby("district_code")["capacity"].max().rename("peak_capacity").reset_index()
    per = per.merge(peak, on="district_code", how="left").fillna(0)
    per["peak_capacity"] = per["peak_capacity"].round().astype(int)
    per["use_pct"] = (100 * per["samples_peak"] / per["peak_capacity"].where(per["peak_capacity"] > 0)).round(1)
    per["district_name"] = per["district_code"].map(names)
    return per[["district_name", "district_code", "samples_sum", "samples_peak", "peak_capacity", "use_pct"]]


def round_progress(progress: pd.DataFrame, round_days: int, settings: PortalSettings) -> pd.DataFrame:
    """Share of residents sampled within each community's target: the sealed zone's (24 h) in
    a sealed zone, the controlled zone's (48 h) in a controlled zone, the round's own length
    elsewhere (counted by the nearer of the two windows the query counts)."""
    out = progress.copy()
    default = 24 * max(1, round_days)
    out["target_hours"] = np.where(out["zone_tier"] == "high", settings.sealed_target_hours,
                                   np.where(out["zone_tier"] == "medium", settings.controlled_target_hours, default))
    within = np.where(out["target_hours"] <= settings.sealed_target_hours, out["sampled_sealed_target"],
                      out["sampled_controlled_target"])
    out["sampled_in_target"] = within
    out["share_pct"] = np.where(out["residents"] > 0, (100.0 * within / out["residents"].clip(lower=1)).round(1), 0.0)
    return out


def coverage_gaps(coverage: pd.DataFrame, person_fraction: float, settings: PortalSettings) -> pd.DataFrame:
    """Communities outside the 15-minute circle: more residents per site than the norm (at
    census scale), or compounds farther than a 15-minute walk from every site of their street."""
    out = coverage.copy()
    out["population"] = (out["residents"] / person_fraction).round().astype(int)
    out["people_per_site"] = (out["population"] / out["sites"].where(out["sites"] > 0)).round().astype("Int64")
    out["sites_needed"] = np.ceil(out["population"] / settings.people_per_site_max).astype(int)
    out["sites_missing"] = (out["sites_needed"] - out["sites"]).clip(lower=0).astype(int)
    gap = (out["sites_missing"] > 0) | (out["compounds_outside"] > 0)
    return out[gap].sort_values(["sites_missing", "compounds_outside"], ascending=False)


def sampler_shortfall(coverage: pd.DataFrame, person_fraction: float, settings: PortalSettings) -> pd.DataFrame:
    """Samplers needed by street (census population ÷ 360, one round in 24 h) against the
    samplers of its sites; streets short of samplers first."""
    street = coverage.groupby(["street_code", "street_name"], as_index=False)[["residents", "samplers", "sites"]].sum()
    street["population"] = (street["residents"] / person_fraction).round().astype(int)
    street["samplers_needed"] = np.ceil(street["population"] / settings.people_per_sampler).astype(int)
    street["shortfall"] = street["samplers_needed"] - street["samplers"]
    return street.sort_values(["shortfall", "street_code"], ascending=[False, True]).reset_index(drop=True)


def samplers_to_add(queue_minutes: int, capacity: int, samplers: int, settings: PortalSettings) -> int:
    """Samplers a congested site needs to bring its queue under the busy line. The wait gives the
    arrivals: a queue of q minutes at capacity c means about c × (1 + q/60) arrivals an hour."""
    arrivals = capacity * (1 + queue_minutes / 60)
    needed = math.ceil(arrivals / (1 + settings.busy_minutes / 60) / settings.swabs_per_sampler_hour)
    return max(0, needed - int(samplers))


def _haversine_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    lat1, lat2 = np.radians(lat1), np.radians(lat2)
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * np.arcsin(np.sqrt(a))


def _nearest_within(congested: pd.DataFrame, spare: pd.DataFrame, k: int, radius_m: float) -> list[list[tuple]]:
    """For each congested site, up to k (spare index, metres) of the nearest spare sites within
    the radius, nearest first. The candidates come from a k-d tree on a local flat projection
    (searched 2% wider than the radius, more than the projection's error over the city); the
    great-circle distance then decides, as for every distance on the page."""
    from scipy.spatial import cKDTree

    if not len(congested) or not len(spare) or k <= 0:
        return [[] for _ in range(len(congested))]
    lat0 = math.radians(float(np.mean(spare["lat"].to_numpy())))

    def flat(df):
        return np.column_stack([np.radians(df["lon"].to_numpy()) * math.cos(lat0) * EARTH_M,
                                np.radians(df["lat"].to_numpy()) * EARTH_M])

    tree = cKDTree(flat(spare))
    slon, slat = spare["lon"].to_numpy(), spare["lat"].to_numpy()
    out = []
    for (lon, lat), found in zip(congested[["lon", "lat"]].to_numpy(), tree.query_ball_point(flat(congested),
                                                                                               radius_m * 1.02)):
        found = np.sort(np.asarray(found, dtype=int))
        d = _haversine_m(lon, lat, slon[found], slat[found])
        keep = d <= radius_m
        found, d = found[keep], d[keep]
        order = np.argsort(d, kind="stable")[:k]
        out.append([(int(found[j]), float(d[j])) for j in order])
    return out


def dispatch(states: pd.DataFrame, settings: PortalSettings) -> pd.DataFrame:
    """For each congested site, the nearest clear sites within the radius (people can be sent
    there) and the samplers to add; longest queues first."""
    congested = states[states["state"] == "congested"].sort_values(["queue_minutes", "site_id"], ascending=[False, True])
    spare = states[states["state"] == "clear"].sort_values("site_id")
    nearest = _nearest_within(congested, spare, settings.dispatch_alternatives, settings.dispatch_radius_m)
    codes, names, waits = (spare[c].to_numpy() for c in ("site_code", "site_name", "queue_minutes"))
    rows = []
    for site, near in zip(congested.itertuples(), nearest):
        rows.append({
            "site_id": site.site_id, "site_code": site.site_code, "site_name": site.site_name,
            "community_code": site.community_code, "queue_minutes": int(site.queue_minutes),
            "samplers": int(site.samplers), "samplers_to_add": samplers_to_add(
                int(site.queue_minutes), int(site.capacity_per_hour), int(site.samplers), settings),
            "alternatives": "；".join(f"{codes[j]} {names[j]}（{d:,.0f} 米，排队 {waits[j]} 分钟）"
                                     for j, d in near) or "半径内没有畅通的采样点",
            "alternative_codes": [codes[j] for j, _ in near],
        })
    return pd.DataFrame(rows, columns=["site_id", "site_code", "site_name", "community_code", "queue_minutes",
                                       "samplers", "samplers_to_add", "alternatives", "alternative_codes"])


def turnaround_shares(turnaround: pd.DataFrame, settings: PortalSettings) -> pd.DataFrame:
    """Per purpose: samples, results within the purpose's target, later, still pending."""
    rows = []
    for purpose, part in turnaround.groupby("purpose"):
        target = settings.turnaround_target_hours.get(purpose, 24)
        done = part[part["hours"].notna()]
        within = int(done.loc[done["hours"] < target, "samples"].sum())
        total = int(part["samples"].sum())
        rows.append({"purpose": purpose, "target_hours": target, "samples": total, "within": within,
                     "late": int(done["samples"].sum()) - within, "pending": total - int(done["samples"].sum()),
                     "within_pct": round(100.0 * within / total, 1) if total else None})
    return pd.DataFrame(rows, columns=["purpose", "target_hours", "samples", "within", "late", "pending", "within_pct"])
