"""涉疫诉求: the appeals page's figures — volumes, the handling funnel with time per step,
overdue against working-day limits, rising topics and satisfaction — from the appeals queries."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from portal.command import workdays
from portal.glossary import APPEAL_STEPS, APPEAL_TYPES
from portal.settings import PortalSettings

STEP_ORDER = list(APPEAL_STEPS)


def limit_params(settings: PortalSettings, as_of: dt.date) -> dict:
    """The time-limit and working-day calendar parameters the appeals queries take."""
    limits = settings.appeal_limit_days
    return {"types": list(limits), "limit_days": list(limits.values()), **workdays.calendar_params(as_of)}


def handling(run, settings: PortalSettings, unit: str, grain: int, date_from: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Rows per child unit × type from appeals/handling_by_unit."""
    return run("appeals/handling_by_unit", unit=unit, grain=grain, date_from=date_from, as_of=as_of,
               emergency_hours=settings.appeal_emergency_hours, **limit_params(settings, as_of))


def totals(rows: pd.DataFrame) -> pd.Series:
    """Sum of every count column (units and types add up)."""
    return rows.drop(columns=["unit_code", "type"]).sum(numeric_only=True).astype("int64")


def funnel(total: pd.Series) -> pd.DataFrame:
    """The closed loop: appeals that reached each step, their share of those received, and the
    mean hours the step took after the one before."""
    received = int(total.get("received", 0))
    rows = []
    for step in STEP_ORDER:
        n = int(total.get(step, 0))
        minutes = total.get(f"minutes_{step}")
        rows.append({
            "环节": APPEAL_STEPS[step],
            "件数": n,
            "占受理（%）": round(100.0 * n / received, 1) if received else None,
            "本环节平均用时（小时）": f"{minutes / n / 60:.1f}" if step != "received" and n else "—",
        })
    return pd.DataFrame(rows)


def by_type(rows: pd.DataFrame, settings: PortalSettings) -> pd.DataFrame:
    """Per appeal type: received, closed, overdue open, closed late and the limit."""
    counts = ["received", "closed", "open_now", "overdue", "closed_late"]
    if rows.empty:
        return pd.DataFrame(columns=["type", "limit_days", *counts])
    t = rows.groupby("type")[counts].sum()
    t = t.reindex(list(APPEAL_TYPES), fill_value=0)
    return pd.DataFrame({
        "type": [APPEAL_TYPES[k] for k in t.index],
        "limit_days": [settings.appeal_limit_days.get(k) for k in t.index],
        **{c: t[c].values for c in counts},
    })


def by_unit(rows: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per child unit: received, of them closed, open, overdue, emergencies late, the
    satisfaction rate and the number of ratings it rests on."""
    cols = ["received", "closed", "open_now", "overdue", "emergencies_late", "rated", "rating_sum", "satisfied"]
    u = rows.groupby("unit_code")[cols].sum() if not rows.empty else pd.DataFrame(columns=cols)
    u = u.reindex(list(names), fill_value=0)
    return pd.DataFrame({
        "unit_code": u.index, "name": [names[c] for c in u.index],
        **{c: u[c].astype(int).values for c in ["received", "closed", "open_now", "overdue", "emergencies_late"]},
        "satisfied_pct": [f"{100.0 * s / r:.1f}" if r else "—" for s, r in zip(u["satisfied"], u["rated"])],
        "rated": u["rated"].astype(int).values,  # the ratings the rate rests on, beside it
    })


def satisfaction(total: pd.Series) -> tuple[float | None, float | None, pd.DataFrame]:
    """Mean rating, share rated 4–5 stars, and the count at each star."""
    rated = int(total.get("rated", 0))
    mean = round(total["rating_sum"] / rated, 2) if rated else None
    share = round(100.0 * total["satisfied"] / rated, 1) if rated else None
    stars = pd.DataFrame({"评价": [f"{k}星" for k in range(1, 6)],
                          "件数": [int(total.get(f"stars_{k}", 0)) for k in range(1, 6)]})
    return mean, share, stars


def rising_topics(volume: pd.DataFrame, as_of: dt.date, settings: PortalSettings) -> pd.DataFrame:
    """Topics whose count on the as-of day is at least `appeal_rising_ratio` × their daily mean
    over the `appeal_rising_days` days before, with at least `appeal_rising_min` appeals today."""
    days = settings.appeal_rising_days
    cols = ["话题", "当日（件）", f"前{days}日日均（件）", "倍数"]
    if volume.empty:
        return pd.DataFrame(columns=cols)
    v = volume.assign(day=pd.to_datetime(volume["day"]).dt.date)
    today = v[v["day"] == as_of].groupby("topic")["appeals"].sum()
    before = v[(v["day"] < as_of) & (v["day"] >= as_of - dt.timedelta(days=days))].groupby("topic")["appeals"].sum() / days
    out = pd.DataFrame({"today": today}).join(before.rename("mean"), how="left").fillna(0.0)
    out = out[(out["today"] >= settings.appeal_rising_min)
              & (out["today"] >= settings.appeal_rising_ratio * out["mean"])]
    out = out.assign(ratio=[round(t / m, 1) if m else None for t, m in zip(out["today"], out["mean"])])
    out = out.sort_values(["today", "mean"], ascending=[False, True]).reset_index()
    return pd.DataFrame({cols[0]: out["topic"], cols[1]: out["today"].astype(int),
                         cols[2]: out["mean"].round(1), cols[3]: out["ratio"]}, columns=cols)


def volume_by(volume: pd.DataFrame, column: str, labels: dict | None = None) -> pd.DataFrame:
    """Appeals per value of one column (channel, type or topic), largest first."""
    if volume.empty:
        return pd.DataFrame(columns=[column, "件数"])
    s = volume.groupby(column)["appeals"].sum().sort_values(ascending=False)
    return pd.DataFrame({column: [labels.get(k, k) if labels else k for k in s.index], "件数": s.values.astype(int)})
