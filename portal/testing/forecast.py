"""Near-term arrivals per sampling site: the same hour's mean over the site's recent days of the
same kind (round days apart from ordinary days; a seasonal naive forecast by hour of day), and
its error on past days (backtest).

The method in one sentence for the page: the arrivals expected at a site at 15:00 are the
average of its arrivals at 15:00 on its last N days of the same kind — round days when the site's
district is in a mass-testing round that day (rounds are announced the day before), ordinary
days otherwise; days without arrivals count as zero.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

METHOD = ("按小时的季节朴素法：某采样点某一小时的预计到检人次 = 该点最近 {days} 个同类日子同一小时到检人次的平均值。"
          "同类日子：该点所在区（市）县开展全员核酸的日子只和以往的全员核酸日比，平常日子只和平常日子比"
          "（全员核酸提前一天公布）；回看 {lookback} 天，无人到检的小时按 0 计。"
          "方法不知道当天的临时变化（如封控、天气），误差见下方回测。")


def round_calendar(rounds: pd.DataFrame) -> dict[dt.date, set[str]]:
    """Each mass-testing day and the districts in its round."""
    days: dict[dt.date, set[str]] = {}
    for r in rounds.itertuples():
        first, last = pd.Timestamp(r.first_day).date(), pd.Timestamp(r.last_day).date()
        for i in range((last - first).days + 1):
            days.setdefault(first + dt.timedelta(days=i), set()).update(r.districts)
    return days


def history_start(day: dt.date, lookback_days: int, backtest_days: int) -> dt.date:
    """First day of arrivals the forecast and its backtest need."""
    return day - dt.timedelta(days=lookback_days + backtest_days)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _cube(arrivals: pd.DataFrame, site_ids: list[int], days: list[dt.date]) -> np.ndarray:
    """Arrivals as an array [site, day, hour], zero where nothing was taken. `days` are
    consecutive; rows of other sites or days are left out. Positions are found with numpy
    (2.6 M site-hours at `full`: one date object per row took 0.7 s)."""
    cube = np.zeros((len(site_ids), len(days), 24))
    if arrivals.empty:
        return cube
    day_ix = (pd.to_datetime(arrivals["day"]).to_numpy().astype("datetime64[D]")
              - np.datetime64(days[0], "D")).astype(np.int64)
    site_ix = pd.Index(site_ids).get_indexer(arrivals["site_id"].to_numpy())
    keep = (site_ix >= 0) & (day_ix >= 0) & (day_ix < len(days))
    cube[site_ix[keep], day_ix[keep], arrivals["hour"].to_numpy(int)[keep]] = arrivals["arrivals"].to_numpy()[keep]
    return cube


def _kinds(sites: pd.DataFrame, days: list[dt.date], calendar: dict[dt.date, set[str]]) -> np.ndarray:
    """[site, day] True where the site's district is in a round that day."""
    district = sites["community_code"].astype(str).str[:6].to_numpy()
    return np.stack([np.isin(district, list(calendar.get(d, ()))) for d in days], axis=1)


def _predict(cube: np.ndarray, kinds: np.ndarray, k: int, history_days: int) -> np.ndarray:
    """Forecast [site, hour] for day index k from the last `history_days` same-kind days before it."""
    same = kinds[:, :k] == kinds[:, k][:, None]
    recent_first = np.cumsum(same[:, ::-1], axis=1)[:, ::-1]  # same-kind days from each day up to k-1
    chosen = same & (recent_first <= history_days)
    count = chosen.sum(axis=1)
    total = (cube[:, :k, :] * chosen[:, :, None]).sum(axis=1)
    return total / np.maximum(count, 1)[:, None]


def expected(arrivals: pd.DataFrame, sites: pd.DataFrame, day: dt.date, hours: list[int], history_days: int,
             lookback_days: int, calendar: dict[dt.date, set[str]]) -> pd.DataFrame:
    """Expected arrivals per site for the given hours of `day`."""
    site_ids = sites["site_id"].astype(int).tolist()
    days = _days(day - dt.timedelta(days=lookback_days), day)
    mean = _predict(_cube(arrivals, site_ids, days), _kinds(sites, days, calendar), len(days) - 1, history_days)
    rows = [(s, h, float(mean[i, h])) for i, s in enumerate(site_ids) for h in hours]
    return pd.DataFrame(rows, columns=["site_id", "hour", "expected"])


def backtest(arrivals: pd.DataFrame, sites: pd.DataFrame, day: dt.date, history_days: int, lookback_days: int,
             backtest_days: int, calendar: dict[dt.date, set[str]]) -> pd.DataFrame:
    """The forecast made for each of the `backtest_days` days before `day`, scored against what
    came, over each site's opening hours: mean absolute error per site-hour, and the mean absolute
    percentage error of the hourly total of all sites shown (hours with arrivals only)."""
    site_ids = sites["site_id"].astype(int).tolist()
    days = _days(day - dt.timedelta(days=lookback_days + backtest_days), day - dt.timedelta(days=1))
    cube, kinds = _cube(arrivals, site_ids, days), _kinds(sites, days, calendar)
    hours = np.arange(24)
    open_mask = (sites["open_hour"].to_numpy()[:, None] <= hours) & (sites["close_hour"].to_numpy()[:, None] > hours)
    rows = []
    for k in range(lookback_days, len(days)):
        predicted = _predict(cube, kinds, k, history_days)
        actual = cube[:, k, :]
        err = np.abs(predicted - actual)[open_mask]
        tot_p, tot_a = (predicted * open_mask).sum(axis=0), (actual * open_mask).sum(axis=0)
        busy = tot_a > 0
        mape = float(np.mean(np.abs(tot_p[busy] - tot_a[busy]) / tot_a[busy]) * 100) if busy.any() else None
        rows.append({"day": days[k], "round_day": bool(kinds[:, k].any()), "actual": int((actual * open_mask).sum()),
                     "predicted": round(float(tot_p.sum()), 1),
                     "mae": round(float(err.mean()), 3) if err.size else None,
                     "mape_pct": round(mape, 1) if mape is not None else None})
    return pd.DataFrame(rows, columns=["day", "round_day", "actual", "predicted", "mae", "mape_pct"])


def by_site(guess: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Expected arrivals per site, one column per hour (`09时`) and their total (`合计`), the
    busiest sites first."""
    wide = guess.pivot(index="site_id", columns="hour", values="expected")
    wide.columns = [f"{h:02d}时" for h in wide.columns]
    wide["合计"] = wide.sum(axis=1)
    return sites.set_index("site_id")[["site_code", "site_name"]].join(wide).sort_values("合计", ascending=False)


def score_table(score: pd.DataFrame) -> pd.DataFrame:
    """The backtest as listed: whether each day was a mass-testing day, in words."""
    kind = score["round_day"].map({True: "全员核酸日", False: "平常日"})
    return score.assign(day_kind=kind)[["day", "day_kind", "actual", "predicted", "mae", "mape_pct"]]
