"""A 7-day projection of daily cases by a log-linear fit, and its record against what came.

The last `fit_days` days of cases are fitted by Poisson regression with a log link,
E[I_t] = exp(α + r·t) (maximum likelihood by iteratively reweighted least squares), and the
line is carried forward `horizon` days. The interval of a projected day joins two
uncertainties: the fitted line's (α, r by the inverse Fisher information, ±1.96 standard errors
on the log scale) and the day's Poisson count around it — the lower bound is the 2.5% Poisson
quantile of the line's lower end, the upper bound the 97.5% quantile of its upper end. A series
that grows or shrinks exactly exponentially is projected exactly.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd


def _stats():
    """scipy.stats, imported on first use: the import takes seconds, and every page that only
    imports this module (the cockpit, through the alert rules) never needs it."""
    from scipy import stats

    return stats

Z95 = 1.959963984540054


class NoFit(ValueError):
    """The window holds too few cases, or they have no finite fit (all but the last day zero)."""


def fit(counts: np.ndarray, iterations: int = 100) -> tuple[float, float, np.ndarray]:
    """α, r and their covariance for E[counts_t] = exp(α + r·t), t = 0, 1, …"""
    y = np.asarray(counts, dtype=float)
    t = np.arange(len(y), dtype=float)
    x = np.column_stack([np.ones_like(t), t])
    if y.sum() <= 0:
        raise NoFit("no cases in the window")
    beta = np.array([math.log(y.mean()), 0.0])
    for _ in range(iterations):
        mu = np.exp(x @ beta)
        info = x.T @ (mu[:, None] * x)
        step = np.linalg.solve(info, x.T @ (y - mu))
        beta = beta + step
        if not np.all(np.isfinite(beta)) or abs(beta[1]) > 5:
            raise NoFit("the cases have no finite log-linear fit")
        if np.max(np.abs(step)) < 1e-10:
            mu = np.exp(x @ beta)
            return float(beta[0]), float(beta[1]), np.linalg.inv(x.T @ (mu[:, None] * x))
    raise NoFit("the fit did not converge")


def project(daily: pd.Series, horizon: int = 7, fit_days: int = 7, min_cases: int = 5) -> pd.DataFrame:
    """The next `horizon` days after the series' last day: expected cases and a 95% interval
    (columns day, expected_cases, expected_lo, expected_hi), from its last `fit_days` days. Raises NoFit when those days
    hold fewer than `min_cases` cases or cannot be fitted."""
    window = daily.iloc[-fit_days:].to_numpy(dtype=float)
    if len(window) < fit_days or window.sum() < min_cases:
        raise NoFit(f"fewer than {min_cases} cases in the last {fit_days} days")
    alpha, r, cov = fit(window)
    t = np.arange(fit_days, fit_days + horizon, dtype=float)
    x = np.column_stack([np.ones_like(t), t])
    log_mu = alpha + r * t
    se = np.sqrt(np.einsum("ij,jk,ik->i", x, cov, x))
    last = pd.Timestamp(daily.index[-1])
    return pd.DataFrame({
        "day": [last + pd.Timedelta(days=i) for i in range(1, horizon + 1)],
        "expected_cases": np.exp(log_mu),
        "expected_lo": _stats().poisson.ppf(0.025, np.exp(log_mu - Z95 * se)),
        "expected_hi": _stats().poisson.ppf(0.975, np.exp(log_mu + Z95 * se)),
    })


def growth_of_fit(daily: pd.Series, fit_days: int = 7) -> float:
    """The daily growth rate r of the projection's fit."""
    return fit(daily.iloc[-fit_days:].to_numpy(dtype=float))[1]


def backtest(daily: pd.Series, origins: int = 14, horizon: int = 7, fit_days: int = 7,
             min_cases: int = 5) -> pd.DataFrame:
    """The projection made on each of the last `origins` days before the series' last day,
    each from the cases known by 24:00 of that day, against the cases that came on the days
    already passed: one row per origin with the projected and actual totals over those days,
    the mean absolute error per day and how many days fell inside the interval."""
    rows = []
    last = pd.Timestamp(daily.index[-1])
    for k in range(origins, 0, -1):
        origin = last - pd.Timedelta(days=k)
        known = daily[daily.index <= origin]
        row = {"origin_day": origin.date(), "days_passed": min(k, horizon), "projected_cases": np.nan,
               "projected_lo": np.nan, "projected_hi": np.nan, "actual_cases": np.nan, "abs_error": np.nan,
               "inside_days": np.nan}
        try:
            ahead = project(known, horizon, fit_days, min_cases)
        except NoFit:
            rows.append(row)
            continue
        ahead = ahead[ahead["day"] <= last]
        actual = daily.reindex(ahead["day"]).to_numpy(dtype=float)
        row.update(projected_cases=float(ahead["expected_cases"].sum()), projected_lo=float(ahead["expected_lo"].sum()),
                   projected_hi=float(ahead["expected_hi"].sum()), actual_cases=float(actual.sum()),
                   abs_error=float(np.mean(np.abs(actual - ahead["expected_cases"].to_numpy()))),
                   inside_days=int(((actual >= ahead["expected_lo"].to_numpy()) & (actual <= ahead["expected_hi"].to_numpy())).sum()))
        rows.append(row)
    return pd.DataFrame(rows)


def as_dates(frame: pd.DataFrame, column: str = "day") -> pd.DataFrame:
    """The frame with `column` as plain dates (for tables)."""
    return frame.assign(**{column: [dt.date(d.year, d.month, d.day) for d in pd.to_datetime(frame[column])]})
