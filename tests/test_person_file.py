"""One person, one file: identity keys and bad search input, masked results, a timeline that
holds every fact of the person, the jurisdiction, and an audit row per view."""

import pandas as pd
import pytest

from portal.auth import audit
from portal.auth.session import Identity
from portal.people import person_file
from portal.people.masking import mask_id, mask_phone
from portal.people.matching import (
    SearchRefused,
    check_character,
    id_problem,
    normalise_id,
    normalise_phone,
    parse_search,
)
from queries import registry

RARE_ID = 900_000_001  # a hand-made person with rare characters in the name


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def run_as(scope):
    return lambda name, row_cap=None, **p: registry.run(name, scope, **({"row_cap": row_cap} if row_cap else {}), **p)


def test_check_character_follows_gb_11643():
    assert check_character("11010519491231002") == "X"
    assert check_character("44052418800101001") == "4"
    assert id_problem("11010519491231002X") is None and id_problem("440524188001010014") is None


def test_the_library_also_checks_the_birth_date_and_the_address_code():
    from stdnum.cn import ric

    feb30 = "51010419900230001"  # 30 February
    nowhere = "99999919900101001"  # no such county code
    for body in (feb30, nowhere):
        assert check_character(body) == ric.calc_check_digit(body + "0")
    assert "“19900230”不是有效的出生日期" in id_problem(feb30 + check_character(feb30))
    assert "“999999”不是已知的行政区划代码" in id_problem(nowhere + check_character(nowhere))
    # a code newer than the birth year is accepted (锦江区 510104 dates from 1990): stdnum's
    # validate() refuses such numbers and the standard's own example
    jinjiang_1949 = "51010419490112002" + check_character("51010419490112002")
    for number in (jinjiang_1949, "440524188001010014"):
        assert id_problem(number) is None and not ric.is_valid(number)


@pytest.mark.parametrize("raw", ["11010519491231002x", " 110105 19491231 002X ", "１１０１０５１９４９１２３１００２Ｘ",
                                 "110105-19491231-002X", "110105491231002"])
def test_id_numbers_in_other_spellings_normalise_to_one(raw):
    assert normalise_id(raw) == "11010519491231002X"
    assert parse_search(raw).value == "11010519491231002X" and parse_search(raw).kind == "id_number"


def test_a_wrong_check_character_names_the_expected_one():
    with pytest.raises(SearchRefused, match="校验位应为“X”，而不是“3”"):
        parse_search("110105194912310023")
    assert "应为 18 位" in id_problem("11010519491231")


@pytest.mark.parametrize("raw", ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000",
                                 "0086 13800138000", "+8613800138000", "８６１３８００１３８０００"])
def test_phones_with_spaces_dashes_and_country_codes(raw):
    assert normalise_phone(raw) == "13800138000"
    assert parse_search(raw).kind == "phone" and parse_search(raw).value == "13800138000"


@pytest.mark.parametrize("raw,words", [("", "请输入"), ("   ", "请输入"), ("12345678", "不是有效的手机号码"),
                                       ("张3", "既不是身份证号码")])
def test_bad_searches_are_refused_with_a_message(raw, words):
    with pytest.raises(SearchRefused, match=words):
        parse_search(raw)


def test_rare_characters_in_names_are_kept_exactly():
    assert parse_search(" 王𠈌 ").value == "王𠈌" and parse_search("刘䶮").value == "刘䶮"


def test_masks():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_phone("+86 138 0013 8000") == "138****8000"


@pytest.fixture(scope="module")
def rare_person(wh):
    row = wh.query_df("SELECT * FROM epi.person WHERE startsWith(community_code, '510104') ORDER BY person_id LIMIT 1")
    row = row.assign(person_id=RARE_ID, name="王𠈌䶮", id_number="51010419900101006X", phone="16612345678",
                     batch_id="test-fixture-person")
    assert id_problem("51010419900101006X") is None
    wh.insert_df("person", row)
    yield row.iloc[0]
    wh.command("DELETE FROM epi.person WHERE person_id = {p:UInt64}", {"p": RARE_ID})


def test_search_by_id_phone_and_rare_name_finds_the_person_masked(tiny_warehouse, rare_person):
    run = run_as("")
    for text in ("51010419900101006x", "510104 19900101 006X", "+86 166 1234 5678", "王𠈌䶮"):
        wanted, found = person_file.search(run, text)
        assert found["person_id"].tolist() == [RARE_ID], text
    shown = person_file.masked(found)
    assert shown.iloc[0][["姓名", "身份证号码", "手机号码"]].tolist() == ["王**", "510104********006X", "166****5678"]
    assert person_file.search(run, "王𠈌")[1].empty  # a prefix of a rare name is another name


def test_search_outside_the_jurisdiction_finds_nobody(tiny_warehouse, rare_person):
    assert person_file.search(run_as("510107"), "51010419900101006X")[1].empty
    assert registry.run("person/basics", "510107", person_id=RARE_ID).empty
    assert registry.run("person/timeline", "510107", person_id=RARE_ID).empty


@pytest.fixture(scope="module")
def busy_person(wh):
    """A close contact of the cluster: the person with the most kinds of facts."""
    return int(wh.scalar("SELECT to_person_id FROM epi.contact_edge WHERE hop = 1 AND to_person_id IN "
                         "(SELECT person_id FROM epi.transfer) AND to_person_id IN (SELECT person_id FROM epi.screening_record) "
                         "ORDER BY to_person_id LIMIT 1"))


def test_the_timeline_holds_every_fact_of_the_person(tiny_warehouse, wh, busy_person):
    events = registry.run("person/timeline", "", person_id=busy_person)
    counts = events["kind"].value_counts()
    p = {"p": busy_person}
    expected = {
        "vaccination": wh.scalar("SELECT count() FROM epi.vaccination WHERE person_id = {p:UInt64}", p),
        "health_code": wh.scalar("SELECT count() FROM epi.health_code_change WHERE person_id = {p:UInt64}", p),
        "screening": wh.scalar("SELECT count() FROM epi.screening_record WHERE person_id = {p:UInt64}", p),
        "contact": wh.scalar("SELECT count() FROM epi.contact_edge WHERE to_person_id = {p:UInt64} "
                             "OR from_person_id = {p:UInt64}", p),
        "transfer": wh.scalar("SELECT count() FROM epi.transfer WHERE person_id = {p:UInt64}", p),
        "control": wh.scalar("SELECT count() FROM epi.control_episode WHERE person_id = {p:UInt64}", p),
        "sample": wh.scalar("SELECT count() FROM epi.sample WHERE person_id = {p:UInt64}", p),
        "case": wh.scalar("SELECT count() FROM epi.case_record WHERE person_id = {p:UInt64}", p),
        "trajectory": wh.scalar("SELECT uniqExact(toDate(ts, 'Asia/Shanghai')) FROM epi.trajectory_point "
                                "WHERE person_id = {p:UInt64}", p),
    }
    assert {k: int(counts.get(k, 0)) for k in expected} == {k: int(v) for k, v in expected.items()}
    assert expected["screening"] > 0 and expected["transfer"] > 0 and expected["contact"] > 0
    assert events["ts"].is_monotonic_increasing
    shown = person_file.timeline(events)
    assert len(shown) == len(events) and not shown["类别"].isna().any()
    assert not shown["事项"].str.fullmatch(r"[a-z_]+").any()  # codes become words


def test_every_view_is_audited(tiny_warehouse, busy_person):
    who = Identity("分析员", "analyst", "")
    person_file.record_view(who, busy_person, "search by phone")
    person_file.record_view(who, busy_person, "search by name")
    rows = audit.recent("person_file_view", subject=f"person:{busy_person}")
    assert rows["detail"].tolist() == ["search by name", "search by phone"]
    assert set(rows["actor"]) == {"分析员"} and set(rows["role"]) == {"analyst"}
    assert pd.to_datetime(rows["at"]).notna().all()


def test_a_valid_id_is_what_id_problem_accepts_normalised(wh):
    """valid_id (normalised once, remembered per text) accepts exactly the texts id_problem
    finds nothing wrong with, and gives their 18-character form."""
    from portal.people.matching import id_problem, normalise_id, valid_id

    numbers = wh.query_df("SELECT id_number FROM epi.person ORDER BY person_id LIMIT 300")["id_number"].tolist()
    texts = ["", "  ", "abc", "11010519491231002x", "110105491231002", "１１０１０５１９４９１２３１００２Ｘ",
             "110105 19491231 002X", "110105-19491231-0021", "999999194912310028", "110105194913310023"]
    for n in numbers:
        texts += [n, n.lower(), f" {n[:6]} {n[6:14]} {n[14:]} ", n[:6] + n[8:17], n[:17] + ("1" if n[17] != "1" else "2")]
    accepted = 0
    for text in texts:
        expected = normalise_id(text) if id_problem(text) is None else ""
        assert valid_id(text) == expected, text
        accepted += expected != ""
    assert accepted >= 4 * len(numbers)
