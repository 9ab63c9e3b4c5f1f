"""The outlook page's figures: daily cases of the jurisdiction and of each district, their Rt,
growth, the 7-day projection and its record, from one query under the caller's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from portal.analysis import projection, rt
from portal.settings import PortalSettings

Runner = Callable[..., pd.DataFrame]
DISTRICT = 6


@dataclass(frozen=True)
class Series:
    """One area's daily cases with its Rt and growth by day."""

    code: str
    name: str
    daily: pd.Series  # cases on every day from the first to the as-of day
    rt: pd.DataFrame  # rt.estimate, indexed by day
    growth: pd.DataFrame  # rt.growth, indexed by day

    @property
    def estimable(self) -> bool:
        """Whether Rt could be reported on some day."""
        return bool(self.rt["reported"].any())


def areas(run: Runner, settings: PortalSettings, scope: str, names: dict[str, str], first: dt.date,
          as_of: dt.date) -> list[Series]:
    """The jurisdiction as a whole (the city for city-wide roles), then each district in it
    that had a case, each with its Rt and growth (districts whose Rt is never reportable
    included; the page says so)."""
    cases = run("analysis/daily_cases", unit="", grain=DISTRICT, date_from=first, as_of=as_of)
    out = [_series(settings, scope, names.get(scope, "成都市" if not scope else scope), cases, first, as_of)]
    if len(scope) < DISTRICT:
        for code in sorted(cases["unit_code"].unique()) if not cases.empty else []:
            out.append(_series(settings, code, names.get(code, code), cases[cases["unit_code"] == code], first, as_of))
    return out


def _series(settings: PortalSettings, code: str, name: str, cases: pd.DataFrame, first: dt.date,
            as_of: dt.date) -> Series:
    daily = rt.complete_days(cases, first, as_of)
    estimate = rt.estimate(daily, settings.serial_interval_mean, settings.serial_interval_sd,
                           settings.rt_window_days, settings.rt_prior_mean, settings.rt_prior_sd, settings.rt_max_cv)
    return Series(code, name, daily, estimate, rt.growth(daily, settings.rt_window_days))


def summary(series: list[Series], window: int = 7) -> pd.DataFrame:
    """One row per area on the as-of day: cases of the last `window` days, the latest reported
    Rt with its day and interval, the growth rate and doubling or halving time."""
    rows = []
    for s in series:
        reported = s.rt[s.rt["reported"]]
        latest = reported.iloc[-1] if not reported.empty else None
        g = s.growth.iloc[-1]
        rows.append({
            "unit_code": s.code, "unit_name": s.name, "recent_cases": int(s.daily.iloc[-window:].sum()),
            "rt_day": reported.index[-1].date() if latest is not None else None,
            "rt_mean": _round(latest["rt_mean"]) if latest is not None else None,
            "rt_lo": _round(latest["rt_lo"]) if latest is not None else None,
            "rt_hi": _round(latest["rt_hi"]) if latest is not None else None,
            "growth_rate": _round(g["growth_rate"], 3), "doubling_days": _round(g["doubling_days"], 1),
            "halving_days": _round(g["halving_days"], 1),
        })
    return pd.DataFrame(rows)


def _round(value, digits: int = 2):
    return None if value is None or pd.isna(value) else round(float(value), digits)


def rt_frame(s: Series) -> pd.DataFrame:
    """Rt by day where reported, for a chart and table: day, rt_mean, rt_lo, rt_hi, window_cases."""
    shown = s.rt[s.rt["reported"]]
    return pd.DataFrame({"day": shown.index.date, "rt_mean": shown["rt_mean"].round(2),
                         "rt_lo": shown["rt_lo"].round(2), "rt_hi": shown["rt_hi"].round(2),
                         "window_cases": shown["window_cases"].astype(int)})


def outlook(s: Series, settings: PortalSettings) -> tuple[pd.DataFrame | None, str | None, pd.DataFrame]:
    """The projection from the as-of day (or None with the reason in Chinese) and its record on
    each of the previous days."""
    try:
        ahead = projection.project(s.daily, settings.projection_days, settings.projection_fit_days,
                                   settings.projection_min_cases)
        ahead = projection.as_dates(ahead).assign(expected_cases=lambda d: d["expected_cases"].round(1))
        reason = None
    except projection.NoFit:
        ahead = None
        reason = (f"最近{settings.projection_fit_days}天病例少于{settings.projection_min_cases}例"
                  "或无法拟合，不作预测。")
    record = projection.backtest(s.daily, settings.projection_backtest_days, settings.projection_days,
                                 settings.projection_fit_days, settings.projection_min_cases)
    for col in ("projected_cases", "abs_error"):
        record[col] = record[col].round(1)
    return ahead, reason, record


def coverage(record: pd.DataFrame) -> tuple[int, int]:
    """Days that fell inside the projection interval, and days compared, over the record."""
    done = record.dropna(subset=["inside_days"])
    return int(done["inside_days"].sum()), int(done["days_passed"].sum()) if not done.empty else 0

