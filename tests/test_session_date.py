"""One date for the session (AppTest): a date chosen on one page is the date of every other page,
the sidebar names it, and a link's ?date= opens each page on that day (a bad one gets one
message and the page's default)."""

import datetime as dt
from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.ui import pickers

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "portal" / "app.py")
LEADER = Identity("测试", "leadership", "")
LAST_DAY = dt.date(2022, 3, 20)
CHOSEN = dt.date(2022, 3, 5)  # no mass-testing round ran that day in the tiny city
# every page with a date picker, and the picker's key
DATE_PAGES = {"cockpit.py": "as_of", "briefing.py": "briefing-day", "outlook.py": "outlook-day",
              "contacts.py": "loop-as-of", "zones.py": "zone-as-of", "quarantine.py": "quarantine_as_of",
              "appeals.py": "appeals_as_of", "mass_testing.py": "mt-day", "testing_progress.py": "tp-day"}
# pages whose picker appears only once cases are chosen (the companions' status day)
LATER_PICKERS = {"trajectories.py": "traj-as-of"}


def sidebar_captions(at) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def test_every_page_with_a_date_picker_uses_the_shared_picker():
    for name, key in DATE_PAGES.items():
        source = (ROOT / "pages" / name).read_text(encoding="utf-8")
        assert 'pickers.as_of(' in source and f'"{key}"' in source, name
        assert "date_input(" not in source, name
    drawn = {p.name for p in (ROOT / "pages").glob("*.py") if "pickers.as_of(" in p.read_text(encoding="utf-8")}
    for name, key in LATER_PICKERS.items():
        assert f'"{key}"' in (ROOT / "pages" / name).read_text(encoding="utf-8"), name
    assert drawn == set(DATE_PAGES) | set(LATER_PICKERS)


def test_a_date_chosen_on_the_cockpit_is_the_date_of_every_other_page(tiny_warehouse):
    at = AppTest.from_file(APP, default_timeout=180)
    put_identity(at, LEADER)
    at.run()
    assert at.date_input(key="as_of").value == LAST_DAY
    assert "统计日期 2022年3月20日（截至24时）" in sidebar_captions(at)
    at.date_input(key="as_of").set_value(CHOSEN).run()
    assert not at.exception
    assert at.session_state[pickers.DAY_KEY] == CHOSEN
    for name, key in DATE_PAGES.items():
        at.switch_page(f"../pages/{name}").run()
        assert not at.exception, name
        assert at.date_input(key=key).value == CHOSEN, name
        assert at.query_params["date"] == "2022-03-05", name
        wanted = "统计日期 2022年3月5日 · 时刻" if name in ("mass_testing.py", "testing_progress.py") \
            else "统计日期 2022年3月5日（截至24时）"
        assert any(c.startswith(wanted) for c in sidebar_captions(at)), name
    # the testing pages say the day had no mass-testing round
    assert any("03月05日 没有全员核酸检测轮次" in c.value for c in at.caption)
    # the companions' page also picks cases confirmed that day
    at.switch_page("../pages/trajectories.py").run()
    at.radio(key="traj-mode").set_value("date").run()
    assert at.date_input(key="traj-day").value == CHOSEN


def test_a_date_changed_on_another_page_is_followed_back_on_the_cockpit(tiny_warehouse):
    at = AppTest.from_file(APP, default_timeout=180)
    put_identity(at, LEADER)
    at.run()
    at.switch_page("../pages/appeals.py").run()
    assert at.date_input(key="appeals_as_of").value == LAST_DAY
    at.date_input(key="appeals_as_of").set_value(dt.date(2022, 3, 1)).run()
    at.switch_page("../pages/cockpit.py").run()
    assert at.date_input(key="as_of").value == dt.date(2022, 3, 1)
    assert any("2022年03月01日" in s.value for s in at.subheader)


def test_the_testing_pages_share_the_hour_and_keep_their_own_default_until_a_date_is_chosen(tiny_warehouse):
    at = AppTest.from_file(APP, default_timeout=180)
    put_identity(at, LEADER)
    at.run()
    at.switch_page("../pages/mass_testing.py").run()
    # no date chosen yet: the latest round's first day, as before
    assert at.date_input(key="mt-day").value == dt.date(2022, 3, 8)
    assert at.selectbox(key="mt-hour").value == 10
    at.selectbox(key="mt-hour").set_value(15).run()
    assert pickers.DAY_KEY not in at.session_state
    at.switch_page("../pages/testing_progress.py").run()
    assert at.selectbox(key="tp-hour").value == 15
    assert at.query_params["hour"] == "15"
    assert "统计日期 2022年3月8日 · 时刻 15:59" in sidebar_captions(at)


def page_with_link(name: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
    put_identity(at, LEADER)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("name", list(DATE_PAGES))
def test_a_link_opens_the_page_on_its_date(tiny_warehouse, name):
    at = page_with_link(name, date="2022-03-01")
    assert not at.exception and not any("链接" in w.value for w in at.warning), name
    assert at.date_input(key=DATE_PAGES[name]).value == dt.date(2022, 3, 1)
    assert at.session_state[pickers.DAY_KEY] == dt.date(2022, 3, 1)
    assert at.query_params["date"] == "2022-03-01"


@pytest.mark.parametrize("wanted,why", [("2022-13-45", "无法识别"), ("2021-01-01", "不在数据范围"), ("昨天", "无法识别")])
def test_a_bad_link_gets_one_message_and_the_default(tiny_warehouse, wanted, why):
    at = page_with_link("appeals.py", date=wanted)
    assert not at.exception
    assert len(at.warning) == 1 and why in at.warning[0].value and "已显示 2022-03-20" in at.warning[0].value
    assert at.date_input(key="appeals_as_of").value == LAST_DAY
    assert pickers.DAY_KEY not in at.session_state
    assert at.query_params["date"] == "2022-03-20"


def test_a_bad_link_on_a_testing_page_falls_back_to_its_own_default(tiny_warehouse):
    at = page_with_link("mass_testing.py", date="2022-02-30", hour="25")
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "链接中的日期“2022-02-30”无法识别（应为 2022-03-01 这样的格式），已显示 2022-03-08。",
        "链接中的时刻“25”无法识别（应为 0 至 23 的整点），已显示 10:59。"]
    assert at.date_input(key="mt-day").value == dt.date(2022, 3, 8)
    at = page_with_link("mass_testing.py", date="2022-03-01", hour="7")
    assert not at.warning and at.selectbox(key="mt-hour").value == 7


def test_the_quarantine_page_says_when_nobody_stayed_on_the_session_date(tiny_warehouse):
    at = page_with_link("quarantine.py", date="2022-03-20")
    assert not at.exception
    assert at.date_input(key="quarantine_as_of").value == LAST_DAY
    assert "03月20日 24时集中隔离点无人在住；最近有人在住的是 03月19日。" in [c.value for c in at.caption]
    at = page_with_link("quarantine.py")
    assert at.date_input(key="quarantine_as_of").value == dt.date(2022, 3, 19)
    assert not any("无人在住" in c.value for c in at.caption)
