"""Every page renders for every role (AppTest), with the figures the queries give."""

import datetime as dt
from pathlib import Path

import pytest
from signing import TEST_PASSWORD, put_identity, user_for
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.command import cockpit
from portal.settings import PortalSettings
from queries import registry

APP = str(Path(__file__).resolve().parent.parent / "portal" / "app.py")
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]
LAST_DAY = dt.date(2022, 3, 20)


def app_for(identity, **state):
    at = AppTest.from_file(APP, default_timeout=120)
    if identity is not None:
        put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_sign_in_page_shows_when_nobody_is_signed_in(tiny_warehouse):
    at = app_for(None)
    assert not at.exception
    assert at.title[0].value == "成都市疫情防控指挥平台"
    user = user_for(Identity("值班员", "district_operator", "510107"))
    at.text_input[0].set_value(user.username)
    at.text_input[1].set_value(TEST_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "指挥总览"
    assert "**值班员** · 区县工作人员" in [m.value for m in at.sidebar.markdown]


@pytest.mark.parametrize("role,scope", ROLES)
def test_cockpit_renders_for_every_role(tiny_warehouse, role, scope):
    at = app_for(Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "指挥总览"
    run = lambda name, **p: registry.run(name, scope, **p)  # noqa: E731
    total = cockpit.compute(run, PortalSettings(), scope, LAST_DAY).total()
    shown = metrics(at)
    assert shown["在管人员（人）"] == f"{int(total['under_control']):,}"
    assert shown["当日采样（人次）"] == f"{int(total['samples_taken']):,}"


def test_drill_down_to_a_district_shows_its_figures(tiny_warehouse):
    day = dt.date(2022, 3, 1)
    at = app_for(Identity("测试", "leadership", ""), unit="510104", as_of=day)
    assert not at.exception
    total = cockpit.compute(lambda n, **p: registry.run(n, "", **p), PortalSettings(), "510104", day).total()
    assert metrics(at)["集中隔离（人）"] == f"{int(total['centralized']):,}"
    assert any("锦江区" in s.value for s in at.subheader)


def test_unknown_drill_down_code_gets_a_clear_message(tiny_warehouse):
    at = app_for(Identity("测试", "leadership", ""), unit="510199")
    assert not at.exception
    assert "不存在" in at.error[0].value


def test_operator_cannot_drill_outside_the_jurisdiction(tiny_warehouse):
    at = app_for(Identity("测试", "district_operator", "510104"), unit="510107")
    assert not at.exception
    assert "不在您的管辖范围" in at.error[0].value


def test_a_date_outside_the_data_in_a_link_falls_back_with_a_warning(tiny_warehouse):
    at = AppTest.from_file(APP, default_timeout=120)
    put_identity(at, Identity("测试", "leadership", ""))
    at.query_params["date"] = "2021-01-01"
    at.run()
    assert not at.exception
    assert "不在数据范围" in at.warning[0].value
    assert at.session_state["as_of"] == LAST_DAY


def test_a_community_shows_its_own_figures_without_a_map(tiny_warehouse):
    community = registry.run("geo/units", "", unit="510104001", grain=12)["unit_code"].iloc[0]
    at = app_for(Identity("测试", "leadership", ""), unit=community)
    assert not at.exception and not at.error
    total = cockpit.compute(lambda n, **p: registry.run(n, "", **p), PortalSettings(), community, LAST_DAY).total()
    assert metrics(at)["在管人员（人）"] == f"{int(total['under_control']):,}"
    assert len(at.get("deck_gl_json_chart")) == 0


def page_for(name, identity, **state):
    at = AppTest.from_file(str(Path(APP).parent.parent / "pages" / name), default_timeout=120)
    put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("role,scope", ROLES)
@pytest.mark.parametrize("name", ["trajectories.py", "contacts.py"])
def test_tracing_pages_render_for_every_role(tiny_warehouse, name, role, scope):
    at = page_for(name, Identity("测试", role, scope))
    assert not at.exception and not at.error
    at.radio[0].set_value("cluster").run()
    assert not at.exception and not at.error


def test_trajectory_page_bad_input_gets_clear_messages(tiny_warehouse):
    at = page_for("trajectories.py", Identity("测试", "leadership", ""))
    assert "请选择至少一例病例" in at.info[0].value
    at.text_input[0].set_value("CD-0001, CD-9999, 甲乙").run()
    assert not at.exception
    assert "CD-9999、甲乙" in at.warning[0].value
    at.number_input[0].set_value(1).run()
    assert "停留判定应在 5–240 之间，当前为 1" in at.error[0].value


def test_trajectory_page_caps_a_large_selection(tiny_warehouse):
    at = page_for("trajectories.py", Identity("测试", "leadership", ""))
    at.radio[0].set_value("cluster").run()
    total = len(registry.run("trajectories/case_list", ""))
    assert f"共选择 {total} 例，地图一次最多显示 50 例" in at.warning[0].value


@pytest.mark.parametrize("role,scope", [("leadership", ""), ("analyst", ""), ("district_operator", "510107")])
def test_zone_page_renders_and_proposes_for_every_role(tiny_warehouse, role, scope):
    at = page_for("zones.py", Identity("测试", role, scope), **{"zone-as-of": dt.date(2022, 3, 1)})
    assert not at.exception and not at.error
    at.button(key="zone-propose").click().run()
    assert not at.exception and not at.error
    stats = at.dataframe[0].value
    assert list(stats["风险区等级"]) == ["高风险区（封控区）", "中风险区（管控区）", "低风险区（防范区）", "合计"]
    expected = registry.run("zones/compound_profile", scope, as_of=dt.date(2022, 3, 1))
    # the low zone holds the rest of the districts with cases, never more than the jurisdiction
    assert stats.iloc[-1]["居民（人）"] <= int(expected["residents"].sum())


def test_zone_page_draws_saves_and_refuses_bad_input(tiny_warehouse):
    at = page_for("zones.py", Identity("测试", "leadership", ""), **{"zone-as-of": dt.date(2022, 3, 1)})
    at.number_input(key="zone-radius").set_value(0.0).run()
    assert "半径 0 米不可用" in at.error[0].value
    at.number_input(key="zone-radius").set_value(1000.0)
    at.selectbox(key="zone-centre-case").set_value("CD-0001").run()
    assert not at.error
    at.button(key="zone-set").click().run()
    stats = at.dataframe[0].value
    assert stats.iloc[0]["面积（km²）"] == 3.14 and stats.iloc[0]["居民（人）"] == 42  # CD-0001's home, as pinned
    at.radio(key="zone-shape-kind").set_value("geojson").run()
    at.text_area(key="zone-geojson").set_value('{"type": "Polygon", "coordinates": [[[104, 30.6], [104.1, 30.6]]]}').run()
    assert "无法组成多边形" in at.error[0].value
    at.text_input(key="zone-plan-name").set_value("页面测试方案")
    at.button[-1].click().run()
    assert "已保存为方案" in at.success[0].value
    tiny_warehouse["wh"].command("DELETE FROM epi.zone_plan WHERE plan_id > 0")


def test_zone_plans_tab_compares_and_publishes(tiny_warehouse):
    from portal.zones import geometry, zone_plans, zoning

    wh = tiny_warehouse["wh"]
    as_of = dt.date(2022, 3, 1)
    plan = zoning.Plan(high=geometry.circle(104.0804, 30.6628, 300), medium=geometry.circle(104.0804, 30.6628, 900))
    zone_plans.save(plan, "甲方案", "测试", "", as_of)
    zone_plans.save(zoning.Plan(high=geometry.circle(104.05, 30.62, 500)), "乙方案", "测试", "", as_of)
    try:
        at = page_for("zones.py", Identity("测试", "leadership", ""), **{"zone-as-of": as_of})
        compared = at.dataframe[1].value
        assert sorted(set(compared["方案"])) == sorted(f"{i} · {n}" for i, n in
                                                     zip(zone_plans.saved("")["plan_id"], zone_plans.saved("")["plan_name"]))
        publish = next(b for b in at.button if b.label == "发布为现行风险区")
        publish.click().run()
        assert "已发布" in at.success[0].value
        # the newest plan is offered first: 乙方案, one tier, in force from 22:00 of the day
        assert wh.scalar("SELECT count() FROM epi.risk_zone WHERE plan_id > 0") == 1
        zones = at.dataframe[-1].value
        assert zones.loc[zones["来源"].str.startswith("方案"), "风险区"].tolist() == ["乙方案（高风险区（封控区））"]
        assert "已于" in next(c.value for c in at.caption if "该方案已于" in c.value)
    finally:
        from portal.data import forget_recent

        wh.command("DELETE FROM epi.risk_zone WHERE plan_id > 0")
        wh.command("DELETE FROM epi.zone_plan WHERE plan_id > 0")
        forget_recent()  # the zones in force, shared for a few seconds, are read again


@pytest.mark.parametrize("role,scope", ROLES)
def test_briefing_page_shows_the_cockpit_figures_for_every_role(tiny_warehouse, role, scope):
    at = page_for("briefing.py", Identity("测试", role, scope), **{"briefing-day": dt.date(2022, 3, 1)})
    assert not at.exception and not at.error
    run = lambda name, **p: registry.run(name, scope, **p)  # noqa: E731
    total = cockpit.compute(run, PortalSettings(), scope, dt.date(2022, 3, 1)).total()
    shown = metrics(at)
    assert shown["在管人员（人）"] == f"{int(total['under_control']):,}"
    assert shown["新增管控密接（人）"] == f"{int(total['close_identified']):,}"
    assert [b.label for b in at.get("download_button")] == ["下载 XLSX", "下载 Word"]


def test_an_operators_quarantine_page_names_the_jurisdiction(tiny_warehouse):
    at = page_for("quarantine.py", Identity("测试", "district_operator", "510104"))
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert "管辖范围：锦江区" in captions
    assert not any("510104" in c for c in captions)
