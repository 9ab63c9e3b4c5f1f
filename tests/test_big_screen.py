"""指挥大屏 (pages/big_screen.py) and the display role (显示屏): the figures are the cockpit's for
the same day and jurisdiction, every panel draws, the screen keeps its last figures under a
banner when the warehouse stops answering, and a display account opens nothing else."""

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
import streamlit as st
from signing import put_identity, user_for
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from portal.alerts import center as alert_center
from portal.auth import access, admin, store, users
from portal.auth.session import TOKEN_KEY, Identity
from portal.command import screen
from portal.errors import WarehouseError
from portal.glossary import INDICATORS
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "big_screen.py")
LEADER = Identity("测试", "leadership", "")
SCREEN_CITY = Identity("测试", "display", "")
SCREEN_JINJIANG = Identity("测试", "display", "510104")
OPERATOR = Identity("测试", "district_operator", "510104")
# the cockpit's KPI cards that the screen shows too
SHARED_KPIS = ("confirmed", "asymptomatic", "community_cases", "in_control_cases", "under_control",
               "samples_taken", "sites_open", "sites_congested")


def shown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def figures(at) -> dict[str, str]:
    """The KPI cards drawn: data-key → the figure as shown."""
    return dict(re.findall(r'data-key="(\w+)".*?<span class="v">([^<]*)</span>', shown(at)))


def curve(at) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r'<div class="bs-num">([^<]*)</div>', shown(at))]


def screen_at(identity, monkeypatch, panel="overview"):
    monkeypatch.setattr(screen, "panel_at", lambda moment, rotate_s: panel)
    at = AppTest.from_file(PAGE, default_timeout=180)
    put_identity(at, identity)
    at.run()
    assert not at.exception, at.exception
    return at


def cockpit_figures(identity) -> dict[str, str]:
    """The cockpit's KPI cards for the identity, on the day it opens on (the last day with data)."""
    at = AppTest.from_file(str(ROOT / "pages" / "cockpit.py"), default_timeout=180)
    put_identity(at, identity)
    at.run()
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    return {k: cards[f"{INDICATORS[k][0]}（{INDICATORS[k][1]}）"] for k in SHARED_KPIS}


def test_the_panel_is_chosen_by_the_clock():
    assert [screen.panel_at(t, 20) for t in (0, 19.9, 20, 39, 40, 79, 80)] == [
        "overview", "overview", "sampling", "sampling", "zones", "alerts", "overview"]
    assert screen.panel_at(5, 1) == "sampling" and screen.panel_at(7, 0) == "alerts"


def test_leadership_sees_the_city_on_the_last_day_with_the_cockpits_figures(tiny_warehouse, monkeypatch):
    drawn = {}
    for panel in screen.PANELS:
        at = screen_at(LEADER, monkeypatch, panel)
        text = shown(at)
        assert "成都市 疫情防控指挥大屏" in text and "数据日 3月20日" in text and "计算时间 20" in text
        assert f'<span class="on">{screen.PANELS[panel]}</span>' in text
        assert "数仓未响应" not in text
        # cases by day of confirmation in epi.case_record, 3月7日 … 3月20日
        assert curve(at) == [10, 7, 10, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        assert re.findall(r'<div class="bs-date">([^<]*)</div>', text) == ["3月7日", *(f"{d}日" for d in range(8, 21))]
        assert len(at.get("deck_gl_json_chart")) == (1 if panel == "overview" else 0)
        drawn.update(figures(at))
    assert {k: drawn[k] for k in SHARED_KPIS} == cockpit_figures(LEADER)
    assert drawn == {
        "confirmed": "0", "asymptomatic": "0", "community_cases": "0", "in_control_cases": "0",
        "cases_to_date": "130", "under_control": "45", "samples_taken": "312", "sites_open": "1,452",
        "sites_congested": "11", "sites_busy": "5", "pending_b": "0",
        "zones_high": "0", "zones_medium": "0", "zones_low": "0",
        **{f"alerts_{i}": f"{n:,}" for i, n in enumerate(alert_center.open_counts("").values())},
    }


def test_the_map_colours_the_districts_by_the_days_new_cases(tiny_warehouse, monkeypatch):
    at = screen_at(SCREEN_CITY, monkeypatch, "overview")
    chart = at.get("deck_gl_json_chart")[0].proto
    assert json.loads(chart.tooltip)["text"] == "{name}\n新增感染者：{value_text}"
    spec = json.loads(chart.json)
    labels = next(layer["data"] for layer in spec["layers"] if layer["@@type"] == "TextLayer")
    # every district drawn as its outline; those wide enough named with the day's new cases (none
    # on 3月20日 in the tiny seed); the five small central districts are named on hover
    cells = next(layer["data"] for layer in spec["layers"] if layer["@@type"] == "PolygonLayer")
    assert len({row["unit_code"] for row in cells}) == 20
    central = {"510104", "510105", "510106", "510107", "510108"}
    assert {row["unit_code"] for row in labels} == {row["unit_code"] for row in cells} - central
    assert {row["text"] for row in labels} >= {"双流区 0", "简阳市 0", "彭州市 0"}


def test_a_display_account_sees_the_city_or_its_district(tiny_warehouse, monkeypatch):
    city = {}
    for panel in screen.PANELS:
        city.update(figures(screen_at(SCREEN_CITY, monkeypatch, panel)))
    assert {k: city[k] for k in SHARED_KPIS} == cockpit_figures(LEADER)
    district = {}
    for panel in screen.PANELS:
        at = screen_at(SCREEN_JINJIANG, monkeypatch, panel)
        assert "锦江区 疫情防控指挥大屏" in shown(at)
        district.update(figures(at))
    assert {k: district[k] for k in SHARED_KPIS} == cockpit_figures(OPERATOR)
    assert district["samples_taken"] != city["samples_taken"]
    assert district["alerts_1"] == f"{alert_center.open_counts('510104')['警告']:,}"


def test_a_street_screen_shows_its_communities(tiny_warehouse, monkeypatch):
    street = Identity("测试", "display", "510104001")
    drawn = {}
    for panel in screen.PANELS:
        at = screen_at(street, monkeypatch, panel)
        drawn.update(figures(at))
    assert "锦江区 · " in shown(screen_at(street, monkeypatch, "overview"))
    assert {k: drawn[k] for k in SHARED_KPIS} == cockpit_figures(Identity("测试", "district_operator", "510104001"))


def test_alerts_are_shown_by_rule_and_area_never_with_their_detail(tiny_warehouse, monkeypatch):
    text = shown(screen_at(SCREEN_CITY, monkeypatch, "alerts"))
    found = alert_center.instances("", alert_center.OPEN)
    assert not found.empty and "最新未处理预警" in text
    assert text.count('<span class="bs-sev') == min(len(found), screen.LATEST_ALERTS)
    for detail in found["detail"]:
        assert detail not in text
    assert "人员编号" not in text


def test_when_the_warehouse_stops_answering_the_last_figures_stay_under_a_banner(tiny_warehouse, monkeypatch):
    at = screen_at(SCREEN_CITY, monkeypatch, "overview")
    before = figures(at)
    assert before["under_control"] == "45"

    def down(*_args, **_kwargs):
        raise WarehouseError("数据仓库无响应 / the warehouse did not answer")

    monkeypatch.setattr(registry, "fetch", down)
    monkeypatch.setattr(registry, "run", down)
    st.cache_data.clear()
    st.cache_resource.clear()
    key = f"{'big-screen-frame'}:"
    frame = at.session_state[key]
    # the figures were read five minutes ago: older than the refresh interval, so the screen reads again
    at.session_state[key] = dataclasses.replace(frame, read_clock=frame.read_clock - 301)
    at.run()
    assert not at.exception
    text = shown(at)
    assert "数据已 5 分钟未更新：数仓未响应" in text
    assert figures(at) == before and curve(at) == [10, 7, 10, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert len(at.get("deck_gl_json_chart")) == 1


def test_with_nothing_read_yet_the_screen_says_the_warehouse_does_not_answer(tiny_warehouse, monkeypatch):
    def down(*_args, **_kwargs):
        raise WarehouseError("数据仓库无响应 / the warehouse did not answer")

    monkeypatch.setattr(registry, "fetch", down)
    monkeypatch.setattr(registry, "run", down)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = screen_at(SCREEN_JINJIANG, monkeypatch, "sampling")
    assert "数仓未响应：暂时无法读取大屏数据" in shown(at) and figures(at) == {}


def test_a_display_account_may_open_only_the_screen():
    assert access.menu_for(SCREEN_CITY) == {"指挥": [("big_screen.py", "指挥大屏", "tv")]}
    assert access.menu_for(SCREEN_JINJIANG) == {"指挥": [("big_screen.py", "指挥大屏", "tv")]}
    assert [p for p in access.ROLES_OF if access.may_open(SCREEN_CITY, p)] == ["big_screen.py"]
    assert "big_screen.py" in {f for pages in access.menu_for(OPERATOR).values() for f, _, _ in pages}


def test_a_display_account_is_read_only_and_never_unmasked(tiny_warehouse):
    with pytest.raises(users.UserError, match="显示屏账号只显示汇总数字"):
        users.add("screen-unmask", "大屏", "display", "", "Wall-screen-2022", can_unmask=True, scope_exists=None)
    with pytest.raises(users.UserError, match="6 位区县或 9 位街道代码"):
        users.add("screen-bad", "大屏", "display", "51", "Wall-screen-2022", scope_exists=None)
    city = users.add("screen-hall", "指挥大厅", "display", "", "Wall-screen-2022", scope_exists=None)
    district = users.add("screen-jj", "锦江区大屏", "display", "510104", "Wall-screen-2022")
    assert (city.scope, district.scope, city.can_unmask) == ("", "510104", False)
    with pytest.raises(users.UserError, match="显示屏账号"):
        users.set_unmask("screen-hall", True)


def _session_times(token: str, **values) -> None:
    with store.engine().begin() as conn:
        conn.execute(update(store.sessions).where(store.sessions.c.token_sha256 == users._token_hash(token))
                     .values(**values))


def _last_seen(token: str) -> dt.datetime:
    with store.engine().connect() as conn:
        return conn.execute(select(store.sessions.c.last_seen_at)
                            .where(store.sessions.c.token_sha256 == users._token_hash(token))).scalar_one()


def test_a_showing_screen_stays_signed_in_and_a_dark_one_is_signed_out(tiny_warehouse, monkeypatch):
    cfg = users.auth_settings()
    now = users._now()
    long_ago = now - dt.timedelta(hours=cfg.max_hours + 5)
    idle = now - dt.timedelta(minutes=cfg.idle_minutes - 1)
    display = users.open_session(user_for(SCREEN_CITY), "password")
    leader = users.open_session(user_for(LEADER), "password")
    for token in (display, leader):
        _session_times(token, created_at=long_ago, last_seen_at=idle)
    # signed in long ago, the screen kept refreshing: it stays; a leader's session ends at the limit
    assert users.session_user(display, now).user is not None
    assert users.session_user(leader, now).ended == "absolute"
    # the screen's refresh is activity: it moves the idle clock
    _session_times(display, last_seen_at=idle)
    at = AppTest.from_file(PAGE, default_timeout=180)
    at.session_state[TOKEN_KEY] = display
    monkeypatch.setattr(screen, "panel_at", lambda moment, rotate_s: "overview")
    at.run()
    assert not at.exception and "数仓未响应" not in shown(at)
    assert users._utc(_last_seen(display)) > now - dt.timedelta(minutes=1)
    # a screen switched off stops refreshing: the idle limit then ends its session
    _session_times(display, last_seen_at=now - dt.timedelta(minutes=cfg.idle_minutes + 1))
    assert users.session_user(display, now).ended == "idle"


def test_the_admin_cli_and_the_users_page_create_display_accounts(tiny_warehouse, capsys):
    assert admin.main(["add", "hall-wall", "--name", "指挥大厅北墙", "--role", "display", "--generate"]) == 0
    assert "已添加用户 hall-wall（指挥大厅北墙，显示屏）。" in capsys.readouterr().out
    assert admin.main(["add", "wall-unmask", "--name", "大屏", "--role", "display", "--unmask", "--generate"]) == 2
    assert "显示屏账号只显示汇总数字" in capsys.readouterr().err
    at = AppTest.from_file(str(ROOT / "pages" / "users_admin.py"), default_timeout=180)
    put_identity(at, Identity("管理员", "admin", ""))
    at.run()
    at.text_input(key="users-new-name").set_value("jj-wall")
    at.text_input(key="users-new-display").set_value("锦江区指挥中心大屏")
    at.selectbox(key="users-new-role").set_value("display")
    at.text_input(key="users-new-scope").set_value("510104")
    at.button[0].click().run()
    assert at.success[0].value == "jj-wall 的初始密码（只显示这一次，请妥善转交）："
    signed = users.session_user(users.authenticate("jj-wall", at.code[0].value)).user
    assert (signed.role, signed.scope, signed.can_unmask) == ("display", "510104", False)
