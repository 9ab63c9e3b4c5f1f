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


def board_cards(at) -> list[str]:
    """The public board's cards (HTML), one per site, in the order shown."""
    html = next(m.value for m in at.markdown if 'class="pq-list"' in m.value)
    return html.split('<div class="pq-card"')[1:]


def test_public_queue_opens_without_sign_in_and_shows_no_personal_data(tiny_warehouse):
    at = page("public_queue.py")
    assert not at.exception and not at.error
    assert at.title[0].value == "核酸采样点排队查询"
    sites = registry.run("mass/site_states", "", unit="", day=LAST_DAY, hour=23)
    open_now = sites[sites["state"].isin(["clear", "busy", "congested"])]
    shown = int(metrics(at)["开放采样点（个）"].replace(",", ""))
    assert abs(shown - len(open_now)) <= 20  # live marks from other tests may open or close a few sites
    heading = next(m.value for m in at.markdown if m.value.startswith("##### 开放的采样点"))
    assert heading == f"##### 开放的采样点（{shown:,} 个，等候时间短的在前，显示前 40 个，可输入名称缩小范围）"
    cards = board_cards(at)
    assert len(cards) == 40
    assert all("更新时间 " in c and "预计等候" in c for c in cards) and any("更新时间 03-20" in c for c in cards)
    waits = [int(c.split("预计等候 ")[1].split(" 分钟")[0]) for c in cards]
    assert waits == sorted(waits)
    text = " ".join(cards) + " ".join(m.value for m in at.markdown)
    for personal in ("站长", "张站长", "王站长", "person", "operator", "身份证", "手机"):
        assert personal not in text


def first_open_site():
    sites = registry.run("mass/site_states", "", unit="", day=LAST_DAY, hour=23)
    return sites[sites["state"].isin(["clear", "busy", "congested"])].sort_values("site_code").iloc[0]


def test_public_queue_finds_a_site_by_name_street_or_community(tiny_warehouse):
    site = first_open_site()
    names = {grain: registry.run("geo/units", "", unit="", grain=grain).set_index("unit_code")["name"]
             for grain in (6, 9, 12)}
    district, street, community = (names[n][site["community_code"][:n]] for n in (6, 9, 12))
    # site names repeat across the city (they follow community names): the name finds them all
    at = page("public_queue.py", **{"pq-search": site["site_name"]})
    cards = board_cards(at)
    assert len(cards) > 1 and all(site["site_name"] in c for c in cards)
    # the name with its street finds the one site, with the district, street and community by name
    at = page("public_queue.py", **{"pq-search": f"{street} {site['site_name']}"})
    cards = board_cards(at)
    assert len(cards) == 1 and f'data-site="{site["site_code"]}"' in cards[0]
    assert f"{district} · {street} · {community}" in cards[0] and "更新时间 " in cards[0]
    # a street's name finds every open site of the street; words must all match
    at = page("public_queue.py", **{"pq-search": street})
    assert all(street in c for c in board_cards(at))
    at = page("public_queue.py", **{"pq-search": f"{street} 没有这个词"})
    assert any("没有找到" in i.value for i in at.info)
    # too long, or with a control character: refused in words, the board shows all
    at = page("public_queue.py", **{"pq-search": "春\x00熙"})
    assert at.error[0].value == "搜索内容含有不可见字符，请重新输入。"


def test_public_queue_lists_the_nearest_sites_to_a_community(tiny_warehouse):
    communities = registry.run("geo/units", "", unit="510104", grain=12)
    home = communities.iloc[0]
    at = page("public_queue.py", **{"pq-district": "510104", "pq-street": home["unit_code"][:9],
                                    "pq-order": "离我所在社区近的在前", "pq-community": home["unit_code"]})
    assert not at.exception and not at.error
    cards = board_cards(at)
    metres = [c.split("距离约 ")[1].split("</div>")[0] for c in cards]
    assert all(m.endswith("米") or m.endswith("公里") for m in metres)
    values = [float(m[:-1].replace(",", "")) if m.endswith("米") else float(m[:-2]) * 1000 for m in metres]
    assert values == sorted(values)  # nearest first (metres shown whole, kilometres to one decimal)
    heading = next(m.value for m in at.markdown if m.value.startswith("##### 开放的采样点"))
    assert f"离{home['name']}近的在前" in heading


def test_the_app_offers_the_public_page_before_sign_in(tiny_warehouse):
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    at.switch_page("../pages/public_queue.py").run()
    assert not at.exception and at.title[0].value == "核酸采样点排队查询"
