"""Near-term arrivals per sampling site: the same hour's mean over the past days (a seasonal
naive forecast by hour of day), and its error on past days (backtest).

The method in one sentence for the page: the arrivals expected at a site at 15:00 are the
average of its arrivals at 15:00 on each of the previous N days (days without arrivals count
as zero). It knows nothing of a round announced for tomorrow, so it errs on round days.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

METHOD = ("按小时的季节朴素法：某采样点某一小时的预计到检人次 = 该点此前 {days} 天同一小时到检人次的平均值"
          "（无人到检的日子按 0 计）。方法不知道将要开展的全员核酸，所以在全员核酸当天及次日误差最大。")


def _cube(arrivals: pd.DataFrame, site_ids: list[int], days: list[dt.date]) -> np.ndarray:
    """Arrivals as an array [site, day, hour], zero where nothing was taken."""
    cube = np.zeros((len(site_ids), len(days), 24))
    if arrivals.empty:
        return cube
    s_idx = {s: i for i, s in enumerate(site_ids)}
    d_idx = {d: i for i, d in enumerate(days)}
    a = arrivals.assign(day=pd.to_datetime(arrivals["day"]).dt.date)
    a = a[a["site_id"].isin(s_idx) & a["day"].isin(d_idx)]
    cube[a["site_id"].map(s_idx).to_numpy(), a["day"].map(d_idx).to_numpy(), a["hour"].to_numpy(int)] = a["arrivals"]
    return cube


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def history_start(day: dt.date, history_days: int, backtest_days: int) -> dt.date:
    """First day of arrivals the forecast and its backtest need."""
    return day - dt.timedelta(days=history_days + backtest_days)


def expected(arrivals: pd.DataFrame, site_ids: list[int], day: dt.date, hours: list[int],
             history_days: int) -> pd.DataFrame:
    """Expected arrivals per site for the given hours of `day`: the mean of the same hour over the
    `history_days` days before it."""
    days = _days(day - dt.timedelta(days=history_days), day - dt.timedelta(days=1))
    cube = _cube(arrivals, site_ids, days)
    mean = cube.mean(axis=1)  # [site, hour]
    rows = [(s, h, float(mean[i, h])) for i, s in enumerate(site_ids) for h in hours]
    return pd.DataFrame(rows, columns=["site_id", "hour", "expected"])


def backtest(arrivals: pd.DataFrame, sites: pd.DataFrame, day: dt.date, history_days: int,
             backtest_days: int) -> pd.DataFrame:
    """The forecast made for each of the `backtest_days` days before `day`, scored against what
    came, over each site's opening hours: mean absolute error per site-hour, and the mean absolute
    percentage error of the hourly total of all sites shown (hours with arrivals only)."""
    site_ids = sites["site_id"].astype(int).tolist()
    first = day - dt.timedelta(days=history_days + backtest_days)
    days = _days(first, day - dt.timedelta(days=1))
    cube = _cube(arrivals, site_ids, days)
    hours = np.arange(24)
    open_mask = ((sites["open_hour"].to_numpy()[:, None] <= hours) & (sites["close_hour"].to_numpy()[:, None] > hours))
    rows = []
    for k in range(history_days, len(days)):
        predicted = cube[:, k - history_days:k, :].mean(axis=1)
        actual = cube[:, k, :]
        err = np.abs(predicted - actual)[open_mask]
        tot_p, tot_a = (predicted * open_mask).sum(axis=0), (actual * open_mask).sum(axis=0)
        busy = tot_a > 0
        mape = float(np.mean(np.abs(tot_p[busy] - tot_a[busy]) / tot_a[busy]) * 100) if busy.any() else None
        rows.append({"day": days[k], "actual": int(actual.sum()), "predicted": round(float(predicted.sum()), 1),
                     "mae": round(float(err.mean()), 3) if err.size else None,
                     "mape_pct": round(mape, 1) if mape is not None else None})
    return pd.DataFrame(rows, columns=["day", "actual", "predicted", "mae", "mape_pct"])
