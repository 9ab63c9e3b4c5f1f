"""Jurisdiction everywhere, as a person sees it: every signed-in page rendered (AppTest) for a
锦江区 (510104) operator — with its lists opened: cases chosen, companions searched, a person
found, zones proposed — shows no other district's code or name in any text, table, chart, map,
graph or option."""

import datetime as dt
import re
from pathlib import Path

import pytest
from google.protobuf import text_format
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from seed.skeleton import load_districts

ROOT = Path(__file__).resolve().parent.parent
SCOPE = "510104"
OPERATOR = Identity("锦江值班员", "district_operator", SCOPE)
# the public queue opens without sign-in and shows the whole city to anyone: nothing to hide
ADMIN_PAGES = ("users_admin.py", "audit_log.py")
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name not in ("sign_in.py", "public_queue.py"))
OTHERS = {d.code: d.name for d in load_districts() if d.code != SCOPE}
_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def everything_shown(at) -> str:
    """All a page shows: each element's message (texts, options, chart and map specs, graph
    sources) and each table's cells."""
    parts = []

    def walk(node):
        if getattr(node, "type", "") == "arrow_data_frame":
            parts.append(node.value.to_csv(index=False))
        elif getattr(node, "proto", None) is not None:
            parts.append(text_format.MessageToString(node.proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return _UNICODE.sub(lambda m: chr(int(m.group(1), 16)), "\n".join(parts))


def other_districts_in(text: str) -> list[str]:
    """Other districts' names, and their codes as whole area codes (6, 9 or 12 digits, also
    inside a site code such as HS-510107-0001); the first 6 digits of a masked ID number
    (birthplace, not residence) are not an area shown."""
    found = [name for name in OTHERS.values() if name in text]
    found += [m.group(0) for m in re.finditer(r"(?<!\d)(\d{6})(\d{3}){0,2}(?![\d*])", text) if m.group(1) in OTHERS]
    return sorted(set(found))


# pages opened on a day with 锦江区's cases in view (its three cases were confirmed on 2月21–22日)
STATE = {"zones.py": {"zone-as-of": dt.date(2022, 2, 25)}}


def open_lists(at, name: str, wh):
    """Open what a page shows only after a choice, so its lists are checked too."""
    if name in ("trajectories.py", "contacts.py"):
        at.radio[0].set_value("cluster").run()
    if name == "trajectories.py":
        [b for b in at.button if b.label == "开始研判"][0].click().run()
    if name == "person_file.py":
        person = wh.query_df("SELECT name FROM epi.person WHERE startsWith(community_code, {s:String}) "
                             "AND person_id IN (SELECT to_person_id FROM epi.contact_edge) ORDER BY person_id LIMIT 1",
                             {"s": SCOPE}).iloc[0]
        at.text_input(key="pf-text").input(person["name"])
        [b for b in at.button if b.label == "查询"][0].click().run()
    if name == "zones.py":
        at.button(key="zone-propose").click().run()
    return at


@pytest.mark.parametrize("name", PAGES)
def test_a_district_operator_sees_no_other_district(tiny_warehouse, wh, name):
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=180)
    put_identity(at, OPERATOR)
    for key, value in STATE.get(name, {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    open_lists(at, name, wh)
    assert not at.exception
    text = everything_shown(at)
    if name == "sources.py":  # city-level roles only: the page says so and shows nothing else
        assert "仅市级角色" in text and len(at.dataframe) == 0
    elif name in ADMIN_PAGES:  # administrators only: refused, nothing else drawn
        assert [e.value for e in at.error] == ["“区县工作人员”角色无权打开此页面。"] and len(at.dataframe) == 0
    else:
        assert len(text) > 2_000  # the page drew its content
    assert other_districts_in(text) == []


def test_the_same_walk_finds_other_districts_on_a_city_page(tiny_warehouse):
    """The walk sees what a page draws: the cockpit of a city-level user names the districts."""
    at = AppTest.from_file(str(ROOT / "pages" / "cockpit.py"), default_timeout=180)
    put_identity(at, Identity("领导", "leadership", ""))
    at.run()
    found = other_districts_in(everything_shown(at))
    assert {"武侯区", "青羊区", "510107"} <= set(found)


def test_the_portal_shell_shows_only_the_jurisdiction(tiny_warehouse):
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=180)
    put_identity(at, OPERATOR)
    at.run()
    assert not at.exception
    assert other_districts_in(everything_shown(at)) == []


def test_the_check_would_see_another_district():
    """The detector itself: names, codes, street codes and site codes of another district are
    found; 锦江区 and a masked birthplace code are not."""
    assert other_districts_in("武侯区 12 人") == ["武侯区"]
    assert other_districts_in("社区 510107001002") == ["510107001002"]
    assert other_districts_in("HS-510105-0001 排队") == ["510105"]
    assert other_districts_in("锦江区 510104001 510105********1234 人员编号 51010700") == []


@pytest.mark.parametrize("page", ["cockpit.py", "appeals.py"])
def test_a_link_above_a_street_operators_scope_shows_their_street(tiny_warehouse, wh, page):
    """A street operator opening a link with their district's code sees their own street, by
    its own name, over their street's figures."""
    street, name = wh.rows("SELECT code, name FROM epi.street WHERE startsWith(code, {s:String}) ORDER BY code LIMIT 1",
                           {"s": SCOPE})[0]
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=180)
    put_identity(at, Identity("街道值班员", "district_operator", street))
    at.query_params["unit"] = SCOPE
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith(f"{name} · ")
    assert street in str(at.query_params["unit"])
    assert "锦江区" not in at.subheader[0].value  # the district's name is not over the street's figures
