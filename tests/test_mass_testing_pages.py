"""The mass-testing pages render for every role (AppTest) with the figures the queries give; the
public queue page opens without sign-in and shows no personal data; the mark form answers."""

import datetime as dt
from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.settings import PortalSettings
from portal.testing import marks, sampling
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]
ROUND_4 = dt.date(2022, 3, 8)  # the last round: the pages open on it
LAST_DAY = dt.date(2022, 3, 20)


def page(name, identity=None, **state):
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    if identity is not None:
        put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def no_errors(at) -> bool:
    """No exception, and no error but the overrun alert (marks stored by other tests raise it)."""
    return not at.exception and all(e.value.startswith("排队超限告警") for e in at.error)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_counts(scope: str, day: dt.date, hour: int) -> dict:
    """The page's counts: reports up to the hour, overridden by the live marks made by then
    (other tests store some, all of them after a seeded day's hour)."""
    sites = registry.run("mass/site_states", scope, unit=scope, day=day, hour=hour)
    live = sampling.marks_by(registry.run("mass/live_marks", scope, since=marks.since(PortalSettings())), day, hour)
    return sampling.state_counts(sampling.current_states(sites, live, PortalSettings()))


@pytest.mark.parametrize("role,scope", ROLES)
def test_command_page_renders_for_every_role(tiny_warehouse, role, scope):
    at = page("mass_testing.py", Identity("测试", role, scope))
    assert no_errors(at)
    assert at.title[0].value == "核酸采样调度"
    assert at.date_input(key="mt-day").value == ROUND_4
    counts = expected_counts(scope, ROUND_4, 10)
    shown = metrics(at)
    assert shown["开放采样点（个）"] == f"{counts['open']:,}"
    assert shown["拥堵采样点（个）"] == f"{counts['congested']:,}"
    assert len(at.get("deck_gl_json_chart")) == 1
    assert (len(at.get("form")) == 1) == (role == "district_operator")


def test_command_page_filters_by_district_street_and_state(tiny_warehouse):
    at = page("mass_testing.py", Identity("测试", "analyst", ""), **{"mt-district": "510107", "mt-street": "510107001",
                                                                   "mt-states": ["congested"], "mt-day": dt.date(2022, 3, 1)})
    assert no_errors(at)
    sites = sampling.current_states(registry.run("mass/site_states", "", unit="510107", day=dt.date(2022, 3, 1), hour=10),
                                    None, PortalSettings())
    congested = sites[sites["community_code"].str.startswith("510107001") & (sites["state"] == "congested")]
    assert metrics(at)["拥堵采样点（个）"] == f"{len(congested):,}"
    assert metrics(at)["开放采样点（个）"] == f"{len(congested):,}"


def test_the_mark_form_refuses_a_negative_wait_then_stores_a_good_mark(tiny_warehouse):
    at = page("mass_testing.py", Identity("王站长", "district_operator", "510104"))
    [s for s in at.selectbox if s.label == "采样点"][0].set_value("HS-510104-0010")
    [r for r in at.radio if r.label == "状态"][0].set_value("busy")
    at.number_input[0].set_value(-5)
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value == "排队时长不能为负数（收到 -5 分钟）。"
    at.number_input[0].set_value(30)
    at.button[0].click().run()
    assert no_errors(at)
    assert at.success[0].value.startswith("已标记 HS-510104-0010")
    marks = registry.run("mass/live_marks", "510104", since="2000-01-01 00:00:00")
    assert "王站长" in set(marks.loc[marks["site_code"] == "HS-510104-0010", "operator"])


@pytest.mark.parametrize("role,scope", ROLES)
def test_progress_page_renders_for_every_role(tiny_warehouse, role, scope):
    at = page("testing_progress.py", Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "采样进度与检测"
    pools = registry.run("mass/positive_pools", scope, unit=scope, day_from=dt.date(2022, 2, 10), day=ROUND_4, hour=12)
    if pools.empty:
        assert "没有阳性混管。" in [i.value for i in at.info]
    else:
        assert metrics(at)["阳性混管（管）"] == f"{pools['tube_id'].nunique():,}"
    rounds = registry.run("mass/rounds", scope)
    assert at.selectbox(key="tp-round").value == int(rounds["round_id"].max())


def test_public_queue_opens_without_sign_in_and_shows_no_personal_data(tiny_warehouse):
    at = page("public_queue.py")
    assert not at.exception and not at.error
    assert at.title[0].value == "核酸采样点排队查询"
    sites = registry.run("mass/site_states", "", unit="", day=LAST_DAY, hour=23)
    open_now = sites[sites["state"].isin(["clear", "busy", "congested"])]
    assert int(metrics(at)["开放采样点（个）"].replace(",", "")) == len(at.dataframe[0].value)
    board = at.dataframe[0].value
    assert list(board.columns) == ["采样点", "排队状态", "预计等候（分钟）", "区（市）县", "采样点编码", "类型", "开放时间", "更新时间"]
    assert len(board) >= len(open_now) - 20  # live marks from other tests may open or close a few sites
    text = " ".join(str(v) for v in board.to_numpy().ravel()) + " ".join(m.value for m in at.markdown)
    for personal in ("站长", "张站长", "王站长", "person", "operator", "身份证", "手机"):
        assert personal not in text


def test_the_app_offers_the_public_page_before_sign_in(tiny_warehouse):
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    at.switch_page("../pages/public_queue.py").run()
    assert not at.exception and at.title[0].value == "核酸采样点排队查询"
