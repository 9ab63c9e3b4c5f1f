"""The 一人一档 page renders for every role (AppTest): a search shows masked results and the
file, a bad search a clear message, and each view an audit row."""

from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth import audit
from portal.auth.session import Identity

ROOT = Path(__file__).resolve().parent.parent
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def search(identity, text):
    at = AppTest.from_file(str(ROOT / "pages" / "person_file.py"), default_timeout=120)
    put_identity(at, identity)
    at.run()
    at.text_input(key="pf-text").input(text)
    [b for b in at.button if b.label == "查询"][0].click().run()
    return at


@pytest.mark.parametrize("role,scope", ROLES)
def test_person_file_renders_for_every_role(tiny_warehouse, wh, role, scope):
    person = wh.query_df("SELECT person_id, id_number, phone FROM epi.person WHERE startsWith(community_code, '510104') "
                         "AND person_id IN (SELECT person_id FROM epi.screening_record) ORDER BY person_id LIMIT 1").iloc[0]
    at = search(Identity("测试", role, scope), person.id_number.lower())
    assert not at.exception and not at.error
    assert at.title[0].value == "一人一档"
    assert at.subheader[0].value.endswith("的档案")
    text = " ".join(m.value for m in at.markdown)
    assert person.id_number[:6] + "********" + person.id_number[-4:] in text
    assert person.id_number not in text and person.phone not in text  # masked
    rows = audit.recent("person_file_view")
    assert rows[["subject", "actor", "role", "scope"]].values.tolist() == [[f"person:{person.person_id}", "测试", role, scope]]


def test_an_empty_search_and_a_wrong_check_character_get_a_message(tiny_warehouse):
    at = search(Identity("测试", "analyst", ""), "  ")
    assert not at.exception and at.error[0].value == "请输入身份证号码、手机号码或姓名后再查询。"
    at = search(Identity("测试", "analyst", ""), "110105194912310023")
    assert "校验位应为“X”" in at.error[0].value
    assert audit.recent("person_file_view").empty


def test_an_operator_does_not_find_a_person_of_another_district(tiny_warehouse, wh):
    other = wh.scalar("SELECT id_number FROM epi.person WHERE startsWith(community_code, '510107') "
                      "ORDER BY person_id LIMIT 1")
    at = search(Identity("测试", "district_operator", "510104"), other)
    assert not at.exception
    assert "您的管辖范围内没有身份证号码为" in at.warning[0].value
    assert audit.recent("person_file_view").empty


def test_a_filter_adds_no_audit_row_and_a_new_search_does(tiny_warehouse, wh):
    number = wh.scalar("SELECT id_number FROM epi.person WHERE startsWith(community_code, '510104') "
                       "ORDER BY person_id LIMIT 1")
    at = search(Identity("测试", "analyst", ""), number)
    at.multiselect(key="pf-kinds").set_value(["vaccination"]).run()
    assert not at.exception and len(audit.recent("person_file_view")) == 1
    [b for b in at.button if b.label == "查询"][0].click().run()
    assert len(audit.recent("person_file_view")) == 2


EVIL_NAME = "![x](http://example.invalid/a.png)**粗**$x$"


def literal(markdown: str) -> str:
    """What a Markdown source shows as text when every active character in it is escaped: the
    source with CommonMark's backslash escapes resolved."""
    import re

    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def test_a_name_that_is_markdown_shows_literally(tiny_warehouse, wh, monkeypatch):
    """A person named like an image link with bold and LaTeX: the heading shows the name as
    written (no image fetched, nothing bold, no formula), masked and unmasked."""
    import re

    from portal.data import QueryRunner

    asked = QueryRunner.__call__

    def with_evil_name(self, name, **params):
        frame = asked(self, name, **params)
        return frame.assign(person_name=EVIL_NAME) if name == "person/basics" else frame

    monkeypatch.setattr(QueryRunner, "__call__", with_evil_name)
    person = wh.query_df("SELECT id_number FROM epi.person WHERE person_id = 490").iloc[0]
    at = search(Identity("锦江流调组长", "district_operator", "510104", can_unmask=True), person.id_number)
    assert not at.exception
    heading = at.subheader[0].value
    assert literal(heading) == "!" + "*" * (len(EVIL_NAME) - 1) + " 的档案"  # masked: the first character
    at.toggle(key="unmask-person-file").set_value(True).run()
    heading = at.subheader[0].value
    assert literal(heading) == EVIL_NAME + " 的档案"
    # no character that Markdown or Streamlit's LaTeX would act on is left bare
    assert re.findall(r"(?<!\\)[!\[\]*$_#<`]", heading) == []
