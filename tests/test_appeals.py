"""涉疫诉求 figures against the same definitions written out in pandas over the raw appeals,
with the working-day deadline from the calendar module (not from the query's array)."""

import datetime as dt

import pandas as pd
import pytest

from portal.command import appeals, workdays
from portal.settings import PortalSettings
from queries import registry

SETTINGS = PortalSettings()
DAYS = [dt.date(2022, 2, 21), dt.date(2022, 3, 1), dt.date(2022, 3, 14), dt.date(2022, 3, 20)]
STEPS = ["dispatched", "handled", "replied", "closed", "rated"]
PREV = {"dispatched": "received", "handled": "dispatched", "replied": "handled", "closed": "replied",
        "rated": "closed"}


def runner(scope=""):
    return lambda name, **p: registry.run(name, scope, **p)


@pytest.fixture(scope="module")
def raw(wh):
    df = wh.query_df("SELECT appeal_id, toString(type) AS type, topic, channel, is_emergency, community_code, "
                     "received_at, dispatched_at, handled_at, replied_at, closed_at, rated_at, rating FROM epi.appeal")
    df["deadline"] = [workdays.deadline(r.date(), SETTINGS.appeal_limit_days[t])
                      for r, t in zip(df["received_at"], df["type"])]
    return df


def expected(raw: pd.DataFrame, as_of: dt.date, date_from: dt.date, prefix: str = "") -> pd.Series:
    end = pd.Timestamp(as_of + dt.timedelta(days=1))
    ap = raw[raw["community_code"].str.startswith(prefix) & (raw["received_at"] < end)]
    win = ap["received_at"] >= pd.Timestamp(date_from)
    at = {s: ap[f"{s}_at"].notna() & (ap[f"{s}_at"] < end) for s in STEPS}
    out = {"received": win.sum()}
    for s in STEPS:
        out[s] = (win & at[s]).sum()
        took = (ap[f"{s}_at"].dt.floor("min") - ap[f"{PREV[s]}_at"].dt.floor("min")) / pd.Timedelta(minutes=1)
        out[f"minutes_{s}"] = took[win & at[s]].sum()
    closed_day = ap["closed_at"].dt.date
    out["closed_late"] = (win & at["closed"] & (closed_day > ap["deadline"])).sum()
    out["overdue"] = (~at["closed"] & (ap["deadline"] < as_of)).sum()
    out["open_now"] = (~at["closed"]).sum()
    emergency = win & (ap["is_emergency"] == 1)
    limit = ap["received_at"] + pd.Timedelta(hours=SETTINGS.appeal_emergency_hours)
    out["emergencies"] = emergency.sum()
    out["emergencies_late"] = (emergency & (limit < end) & ~(ap["handled_at"].notna() & (ap["handled_at"] <= limit))).sum()
    rated = win & at["rated"]
    out["rating_sum"] = ap.loc[rated, "rating"].sum()
    out["satisfied"] = (rated & (ap["rating"] >= 4)).sum()
    for k in range(1, 6):
        out[f"stars_{k}"] = (rated & (ap["rating"] == k)).sum()
    return pd.Series(out).astype("int64")


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("window", [1, 7])
def test_city_handling_equals_raw_appeals(raw, day, window):
    date_from = day - dt.timedelta(days=window - 1)
    got = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, date_from, day))
    want = expected(raw, day, date_from)
    assert got[want.index].to_dict() == want.to_dict()


def test_district_rows_add_up_and_match_raw(raw):
    day, date_from = dt.date(2022, 3, 1), dt.date(2022, 2, 23)
    rows = appeals.handling(runner(), SETTINGS, "", 6, date_from, day)
    for code, part in rows.groupby("unit_code"):
        want = expected(raw, day, date_from, code)
        assert appeals.totals(part)[want.index].to_dict() == want.to_dict(), code
    streets = appeals.handling(runner(), SETTINGS, "510104", 9, date_from, day)
    assert appeals.totals(streets)["received"] == expected(raw, day, date_from, "510104")["received"]
    assert streets["unit_code"].str.len().eq(9).all()


def test_one_day_pinned(raw):
    """2022-03-01, the 7 days before: the tiny seed's figures, written down once."""
    t = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, dt.date(2022, 2, 23), dt.date(2022, 3, 1)))
    assert {k: int(t[k]) for k in PINNED} == PINNED


PINNED = {"received": 49, "closed": 31, "rated": 16, "closed_late": 0, "overdue": 2, "open_now": 20,
          "emergencies": 2, "emergencies_late": 0, "satisfied": 13, "rating_sum": 68}


def test_overdue_follows_working_days_every_day_and_differs_from_calendar_days(raw):
    """On every day of the story the overdue count follows the working-day deadline; on some
    days (after weekends) counting calendar days would give a different figure."""
    differs = []
    for day in pd.date_range("2022-02-11", "2022-03-20").date:
        end = pd.Timestamp(day + dt.timedelta(days=1))
        ap = raw[raw["received_at"] < end]
        open_ = ap["closed_at"].isna() | (ap["closed_at"] >= end)
        calendar = pd.Series([r.date() + dt.timedelta(days=SETTINGS.appeal_limit_days[t]) < day
                              for r, t in zip(ap["received_at"], ap["type"])], index=ap.index, dtype=bool)
        got = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, day, day))["overdue"]
        assert got == (open_ & (ap["deadline"] < day)).sum(), day
        if got != (open_ & calendar).sum():
            differs.append(day)
    assert differs


def test_overdue_list_is_the_overdue_count_with_its_step(raw):
    day = dt.date(2022, 3, 14)
    late = registry.run("appeals/overdue_list", "", unit="", as_of=day, **appeals.limit_params(SETTINGS, day))
    total = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, day, day))
    assert len(late) == total["overdue"] > 0
    assert set(late["stage"]) <= {"received", "dispatched", "handled", "replied"}
    first = raw.set_index("appeal_id").loc[late["appeal_id"]]
    assert (first["deadline"] < day).all()
    assert (late["worked_days"] > late["limit_days"]).all()


def test_volumes_match_raw_and_the_scope_hides_other_districts(raw):
    day = dt.date(2022, 3, 1)
    volume = registry.run("appeals/volume_by_day", "", unit="", date_from=dt.date(2022, 2, 10), as_of=day)
    mine = raw[raw["received_at"] < pd.Timestamp(day + dt.timedelta(days=1))]
    assert volume["appeals"].sum() == len(mine)
    by_channel = appeals.volume_by(volume, "channel").set_index("channel")["件数"].to_dict()
    assert by_channel == mine["channel"].value_counts().to_dict()
    scoped = registry.run("appeals/volume_by_day", "510104", unit="", date_from=dt.date(2022, 2, 10), as_of=day)
    assert scoped["appeals"].sum() == mine["community_code"].str.startswith("510104").sum()


def test_rising_topics_on_hand_made_counts():
    day = dt.date(2022, 3, 10)
    rows = []
    for i in range(1, 8):  # the 7 days before: 3 a day of A, 1 a day of B, none of C or D
        rows += [(day - dt.timedelta(days=i), "A", 3), (day - dt.timedelta(days=i), "B", 1)]
    rows += [(day - dt.timedelta(days=8), "C", 50)]  # outside the 7 days
    rows += [(day, "A", 4), (day, "B", 3), (day, "C", 2), (day, "D", 4)]
    volume = pd.DataFrame(rows, columns=["day", "topic", "appeals"])
    out = appeals.rising_topics(volume, day, SETTINGS)
    # A: 4 < 1.5 × 3; B: 3 ≥ 1.5 × 1; C: fewer than 3 today; D: new, 4 today
    assert out["话题"].tolist() == ["D", "B"]
    assert out["倍数"].tolist()[1] == 3.0


def test_funnel_and_satisfaction_shapes():
    total = pd.Series({"received": 10, "dispatched": 10, "handled": 8, "replied": 8, "closed": 6, "rated": 4,
                       "minutes_dispatched": 600, "minutes_handled": 960, "minutes_replied": 480,
                       "minutes_closed": 360, "minutes_rated": 240, "rating_sum": 17, "satisfied": 3,
                       "stars_1": 0, "stars_2": 0, "stars_3": 1, "stars_4": 1, "stars_5": 2})
    steps = appeals.funnel(total)
    assert steps["件数"].tolist() == [10, 10, 8, 8, 6, 4]
    assert steps["本环节平均用时（小时）"].tolist() == ["—", "1.0", "2.0", "1.0", "1.0", "1.0"]
    mean, share, stars = appeals.satisfaction(total)
    assert (mean, share, stars["件数"].sum()) == (4.25, 75.0, 4)

