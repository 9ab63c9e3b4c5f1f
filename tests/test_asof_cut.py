"""As of means as of: every figure for day D uses only facts with an event time at or before
D 24:00 (or the chosen hour's end on the testing pages). Each figure is pinned against raw SQL
over the fact tables with the cut written out, and against its literal on the tiny seed."""

import datetime as dt

import pytest

from portal.command import cockpit
from portal.settings import PortalSettings
from queries import registry

SETTINGS = PortalSettings()
DAY = dt.date(2022, 3, 1)


def runner(scope=""):
    return lambda name, **p: registry.run(name, scope, **p)


def one(wh, sql: str, **params) -> dict:
    return wh.query_df(sql, parameters=params).iloc[0].to_dict()


# -- 密接24小时转运率: the cohort identified the day before -------------------------------------

TRANSFER_SQL = """
SELECT countIf(toDate(identified_at, 'Asia/Shanghai') = {day:Date} - 1) AS cohort,
       countIf(toDate(identified_at, 'Asia/Shanghai') = {day:Date} - 1 AND transferred_at IS NOT NULL
               AND transferred_at <= identified_at + INTERVAL 24 HOUR
               AND transferred_at < toDateTime({day:Date} + 1, 'Asia/Shanghai')) AS moved
FROM epi.control_episode
WHERE kind = 'close_contact' AND startsWith(community_code, {prefix:String})
"""


@pytest.mark.parametrize("scope", ["", "510104"])
@pytest.mark.parametrize("day", [dt.date(2022, 2, 25), DAY, dt.date(2022, 3, 2)])
def test_transfer_rate_is_for_the_cohort_whose_window_has_closed(wh, scope, day):
    figures = cockpit.compute(runner(scope), SETTINGS, scope, day)
    for frame, d in (("today", day), ("prev", day - dt.timedelta(days=1))):
        raw = one(wh, TRANSFER_SQL, day=d, prefix=scope)
        total = figures.total(frame)
        assert (int(total["close_cohort_24h"]), int(total["close_transferred_24h"])) == (raw["cohort"], raw["moved"])
        want = round(100.0 * raw["moved"] / raw["cohort"], 1) if raw["cohort"] else None
        assert cockpit.transfer_rate(total) == want


def test_transfer_rate_pinned(wh):
    total = cockpit.compute(runner(), SETTINGS, "", DAY).total()
    # 30 close contacts identified on 02-28, 21 of them transferred within 24 h; the 41
    # identified on 03-01 wait for 03-02 (counting them would need transfers made after 24:00)
    assert (int(total["close_cohort_24h"]), int(total["close_transferred_24h"])) == (30, 21)
    assert cockpit.transfer_rate(total) == 70.0
    assert int(total["close_identified"]) == 41


def test_the_district_table_takes_each_districts_cohort(wh):
    figures = cockpit.compute(runner(), SETTINGS, "", DAY)
    units = registry.run("geo/units", "", unit="", grain=6)
    table = cockpit.unit_table(units, figures.today, "transfer_24h_rate").set_index("unit_code")
    for code in table.index:
        raw = one(wh, TRANSFER_SQL, day=DAY, prefix=code)
        want = round(100.0 * raw["moved"] / raw["cohort"], 1) if raw["cohort"] else 0.0
        assert table.loc[code, "transfer_24h_rate"] == want, code
