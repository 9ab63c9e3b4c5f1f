"""The effective reproduction number Rt by the renewal method of Cori et al. (2013).

Daily incidence I_t (cases by day of confirmation) is taken to come from the infectiousness
Λ_t = Σ_{s≥1} I_{t−s} w_s of the cases before it, w the serial interval distribution. With a
gamma prior on R (shape a, scale b) held constant over a sliding window of τ days ending on day
t, the posterior of R_t is a gamma with shape a + Σ I and scale 1 / (1/b + Σ Λ), both sums over
the window. Its coefficient of variation is 1/√shape; Rt is reported only where it is at most
`max_cv` (0.3 in Cori et al., about a dozen cases in the window).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def _stats():
    """scipy.stats, imported on first use: the import takes seconds, and every page that only
    imports this module (the cockpit, through the alert rules) never needs it."""
    from scipy import stats

    return stats


def gamma_shape_scale(mean: float, sd: float) -> tuple[float, float]:
    """A gamma's shape and scale from its mean and standard deviation."""
    if mean <= 0 or sd <= 0:
        raise ValueError("gamma mean and standard deviation must be positive")
    return (mean / sd) ** 2, sd * sd / mean


def serial_interval(mean: float, sd: float, coverage: float = 0.999) -> np.ndarray:
    """The serial interval as daily weights w[s], s = 0, 1, … (w[0] = 0): a gamma with this mean
    and SD (days) discretised to whole days, day s holding the mass of (s − ½, s + ½] and day 1
    also that of (0, ½]; cut where `coverage` of the mass is reached, then rescaled to sum to 1."""
    shape, scale = gamma_shape_scale(mean, sd)
    last = max(2, int(math.ceil(_stats().gamma.ppf(coverage, shape, scale=scale))) + 1)
    edges = np.concatenate([[0.0], np.arange(1, last + 1) + 0.5])
    w = np.diff(_stats().gamma.cdf(edges, shape, scale=scale))
    return np.concatenate([[0.0], w / w.sum()])


def infectiousness(incidence: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Λ_t = Σ_{s=1}^{t} I_{t−s} w_s for every day t of the series (Λ_0 = 0)."""
    incidence = np.asarray(incidence, dtype=float)
    lam = np.zeros(len(incidence))
    for t in range(1, len(incidence)):
        s = np.arange(1, min(t, len(w) - 1) + 1)
        lam[t] = float(np.dot(incidence[t - s], w[s]))
    return lam


def estimate(daily: pd.Series, si_mean: float, si_sd: float, window: int = 7, prior_mean: float = 5.0,
             prior_sd: float = 5.0, max_cv: float = 0.3) -> pd.DataFrame:
    """Rt for each day of `daily` (cases indexed by consecutive days) whose window lies inside
    the series: posterior mean, median and 95% credible interval (2.5% and 97.5% gamma
    quantiles), the window's cases, its coefficient of variation, and `reported` (CV ≤ max_cv
    and some infectiousness in the window). Values are NaN where not reported."""
    incidence = daily.to_numpy(dtype=float)
    w = serial_interval(si_mean, si_sd)
    lam = infectiousness(incidence, w)
    a, b = gamma_shape_scale(prior_mean, prior_sd)
    rows = []
    for t in range(len(incidence)):
        first = t - window + 1
        if first < 1:  # the first day has no infectiousness before it
            rows.append({"window_cases": np.nan, "rt_mean": np.nan, "rt_median": np.nan, "rt_lo": np.nan,
                         "rt_hi": np.nan, "cv": np.nan, "reported": False})
            continue
        cases, pressure = incidence[first:t + 1].sum(), lam[first:t + 1].sum()
        shape, scale = a + cases, 1.0 / (1.0 / b + pressure)
        cv = 1.0 / math.sqrt(shape)
        ok = pressure > 0 and cv <= max_cv
        lo, med, hi = _stats().gamma.ppf([0.025, 0.5, 0.975], shape, scale=scale)
        rows.append({"window_cases": cases, "rt_mean": shape * scale if ok else np.nan,
                     "rt_median": med if ok else np.nan, "rt_lo": lo if ok else np.nan,
                     "rt_hi": hi if ok else np.nan, "cv": cv, "reported": bool(ok)})
    out = pd.DataFrame(rows, index=daily.index)
    out.insert(0, "cases", incidence)
    return out


def growth(daily: pd.Series, window: int = 7) -> pd.DataFrame:
    """The growth rate r per day from the cases of the last `window` days against the `window`
    days before (r = ln(this / before) / window), and the doubling time ln 2 / r when growing
    or the halving time ln 2 / −r when falling (NaN where either sum is zero or r is 0)."""
    sums = daily.astype(float).rolling(window, min_periods=window).sum()
    before = sums.shift(window)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.log(sums / before) / window
    r = r.where((sums > 0) & (before > 0))
    doubling = (math.log(2) / r).where(r > 0)
    halving = (math.log(2) / -r).where(r < 0)
    return pd.DataFrame({"growth_rate": r, "doubling_days": doubling, "halving_days": halving})


def complete_days(cases: pd.DataFrame, first, last) -> pd.Series:
    """A day × unit long frame (day, cases) of one unit as a series over every day from first to
    last (zero where a day has no row)."""
    days = pd.date_range(first, last, freq="D")
    if cases.empty:
        return pd.Series(0, index=days, dtype="int64")
    s = cases.assign(day=pd.to_datetime(cases["day"])).groupby("day")["cases"].sum()
    return s.reindex(days, fill_value=0).astype("int64")
