"""The appeals and quarantine pages render for every role (AppTest) with the figures the
queries give; drill-down, and each bad input gets one clear message."""

import datetime as dt
from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.command import appeals
from portal.settings import PortalSettings
from portal.tracing import quarantine
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]
LAST_DAY = dt.date(2022, 3, 20)
SETTINGS = PortalSettings()


def page(name, identity, query=None, **state):
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def appeal_totals(scope: str, unit: str, day: dt.date = LAST_DAY, window: int = 7):
    run = lambda name, **p: registry.run(name, scope, **p)  # noqa: E731
    grain = {0: 6, 6: 9, 9: 12, 12: 12}[len(unit)]
    return appeals.totals(appeals.handling(run, SETTINGS, unit, grain, day - dt.timedelta(days=window - 1), day))


@pytest.mark.parametrize("role,scope", ROLES)
def test_appeals_page_renders_for_every_role(tiny_warehouse, role, scope):
    at = page("appeals.py", Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "涉疫诉求"
    assert at.date_input(key="appeals_as_of").value == LAST_DAY  # the last day with data
    total = appeal_totals(scope, scope)
    shown = metrics(at)
    assert shown["近7日受理（件）"] == f"{int(total['received']):,}"
    assert shown["超期未办结（件）"] == f"{int(total['overdue']):,}"
    assert len(at.tabs) == 4


def test_appeals_drill_down_to_a_district_and_a_street(tiny_warehouse):
    at = page("appeals.py", Identity("测试", "leadership", ""))
    at.selectbox(key="appeals-drill-").set_value("510104").run()
    assert not at.exception and not at.error
    assert at.subheader[0].value.startswith("锦江区")
    assert metrics(at)["近7日受理（件）"] == f"{int(appeal_totals('', '510104')['received']):,}"
    streets = registry.run("geo/units", "", unit="510104", grain=9)
    street = streets["unit_code"].iloc[0]
    at.selectbox(key="appeals-drill-510104").set_value(street).run()
    assert at.subheader[0].value.startswith(streets["name"].iloc[0])
    assert metrics(at)["其中已办结（件）"] == f"{int(appeal_totals('', street)['closed']):,}"
    # the breadcrumb goes back to the city
    at.button(key="appeals_unit-crumb-").click().run()
    assert at.subheader[0].value.startswith("成都市")


def test_appeals_unknown_drill_down_code(tiny_warehouse):
    at = page("appeals.py", Identity("测试", "leadership", ""), appeals_unit="510199")
    assert not at.exception
    assert len(at.error) == 1 and "不存在" in at.error[0].value
    assert at.subheader[0].value.startswith("成都市")


def test_appeals_operator_cannot_drill_outside_the_jurisdiction(tiny_warehouse):
    at = page("appeals.py", Identity("测试", "district_operator", "510104"), query={"unit": "510107"})
    assert not at.exception
    assert len(at.error) == 1 and "不在您的管辖范围" in at.error[0].value
    assert at.subheader[0].value.startswith("锦江区")


def test_appeals_date_outside_the_data(tiny_warehouse):
    at = page("appeals.py", Identity("测试", "leadership", ""), query={"date": "2021-06-01"})
    assert not at.exception
    assert len(at.warning) == 1 and "不在数据范围" in at.warning[0].value
    assert at.date_input(key="appeals_as_of").value == LAST_DAY


def test_appeals_limits_that_cannot_be_parsed(tiny_warehouse, monkeypatch):
    monkeypatch.setenv("EPI_APPEAL_LIMITS", "help=five")
    at = page("appeals.py", Identity("测试", "leadership", ""))
    assert not at.exception
    assert len(at.error) == 1 and "EPI_APPEAL_LIMITS" in at.error[0].value and "help" in at.error[0].value
    assert not at.metric


@pytest.mark.parametrize("role,scope", ROLES)
def test_quarantine_page_renders_for_every_role(tiny_warehouse, role, scope):
    at = page("quarantine.py", Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "集中隔离点"
    day = at.date_input(key="quarantine_as_of").value
    run = lambda name, **p: registry.run(name, scope, **p)  # noqa: E731
    total = quarantine.totals(quarantine.hotels(run, SETTINGS, scope, day))
    assert total["staying"] > 0  # it opens on the last day someone stayed
    shown = metrics(at)
    assert shown["在住（人）"] == f"{total['staying']:,}"
    assert shown["应检未检（人）"] == f"{total['missing_test_people']:,}"
    # no full name on the page: every name cell is masked
    for df in at.dataframe:
        if "姓名" in df.value:
            assert df.value["姓名"].str[1:].str.strip("*").eq("").all()


def test_quarantine_page_on_a_chosen_day_and_a_date_outside_the_data(tiny_warehouse):
    day = dt.date(2022, 3, 5)
    at = page("quarantine.py", Identity("测试", "leadership", ""), quarantine_as_of=day)
    assert not at.exception
    assert metrics(at)["在住（人）"] == "92"
    at = page("quarantine.py", Identity("测试", "leadership", ""), query={"date": "2023-01-01"})
    assert not at.exception
    assert len(at.warning) == 1 and "不在数据范围" in at.warning[0].value


def test_cockpit_names_limits_that_cannot_be_parsed(tiny_warehouse, monkeypatch):
    monkeypatch.setenv("EPI_APPEAL_LIMITS", "complaint=")
    at = page("cockpit.py", Identity("测试", "leadership", ""))
    assert not at.exception and not at.error
    assert any("EPI_APPEAL_LIMITS" in w.value and "默认时限" in w.value for w in at.warning)
