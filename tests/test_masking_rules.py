"""One masking rule for all personal text: ID numbers of 15 and 18 digits in any spelling, phones
with country prefixes and separators, landlines with their area code, and the names inside a
rejected row's raw text where the category's layout puts a name."""

import pandas as pd
import pytest

from portal.people import masking

PERSON_FIELDS = ("person_id", "id_number", "name", "sex", "birth_date", "community_code", "phone")


@pytest.mark.parametrize("spelled", [
    "510104199603170012",
    "5101 0419 9603 1700 12",
    "510104-19960317-0012",
    "５１０１０４１９９６０３１７００１２",
])
def test_an_id_number_in_any_spelling_is_masked_in_text(spelled):
    assert masking.mask_text(f"证件 {spelled} 已登记") == "证件 510104********0012 已登记"


def test_a_lower_case_x_and_a_15_digit_number_are_masked_in_text():
    assert masking.mask_text("号码11010519491231002x。") == "号码110105********002X。"
    assert masking.mask_text("旧证510104960317001，") == "旧证510104********001X，"


@pytest.mark.parametrize("spelled", [
    "13912345678", "139-1234-5678", "139 1234 5678", "+86 139-1234-5678", "+8613912345678",
    "0086 13912345678", "86-139-1234-5678", "１３９１２３４５６７８",
])
def test_a_mobile_in_any_spelling_is_masked_in_text(spelled):
    assert masking.mask_text(f"电话:{spelled};") == "电话:139****5678;"


@pytest.mark.parametrize("spelled,masked", [
    ("028-85123456", "028-****3456"),
    ("028 8512 3456", "028-****3456"),
    ("0832-2123456", "0832-***3456"),
])
def test_a_landline_keeps_its_area_code_and_last_four_digits(spelled, masked):
    assert masking.mask_text(f"座机 {spelled}") == f"座机 {masked}"
    assert masking.mask_phone(spelled) == masked


def test_codes_times_and_counts_in_text_are_left_alone():
    line = "510104001001,2022-03-01 08:30:00,9000000007,1,12.5"
    assert masking.mask_text(line) == line


def test_a_table_masks_a_15_digit_id_and_a_prefixed_phone():
    df = pd.DataFrame({"身份证号码": ["510104960317001"], "手机号码": ["+86 139-1234-5678"],
                       "联系电话": ["028-85123456"]})
    assert masking.shown(df).iloc[0].tolist() == ["510104********001X", "139****5678", "028-****3456"]


def test_a_rejected_row_loses_the_names_its_layout_places():
    raw = "9000007009,51010419500101110X,张三丰,男,1950-01-01,510104001001,+86 139-1234-5678"
    assert masking.mask_raw(raw, PERSON_FIELDS) == (
        "9000007009,510104********110X,张**,男,1950-01-01,510104001001,139****5678")
    # a tab-separated line and a JSON record hide the name as well
    assert masking.mask_raw("1\t510104960317001\t欧阳娜娜\t女", PERSON_FIELDS) == (
        "1\t510104********001X\t欧***\t女")
    assert masking.mask_raw('{"person_id": "1", "姓名": "张三丰", "phone": "13912345678"}', PERSON_FIELDS) == (
        '{"person_id": "1", "姓名": "张**", "phone": "139****5678"}')
    # a place's name is not a person's: a layout without ID numbers keeps its names
    assert masking.mask_raw("1,锦华苑,510104001001", ("compound_id", "name", "community_code")) == (
        "1,锦华苑,510104001001")
    assert masking.mask_raw(None, PERSON_FIELDS) == ""


def test_personal_columns_under_their_query_names_are_masked_through_the_glossary():
    df = pd.DataFrame({"person_name": ["张三丰"], "id_number": ["510104199603170012"], "phone": ["+86 13912345678"],
                       "raw_name": ["欧阳娜娜"], "raw_id_number": ["510104960317001"], "raw_phone": ["028-85123456"]})
    assert masking.shown(df).iloc[0].tolist() == [
        "张**", "510104********0012", "139****5678", "欧***", "510104********001X", "028-****3456"]


SPELLINGS = ["510104199603170012", "51010419960317001x", "510104960317001", "5101 0419 9603 1700 12",
             "５１０１０４１９９６０３１７００１２", " 510104199603170012", "5101041996031700", "13912345678",
             "１３９１２３４５６７８", "+86 139-1234-5678", "0086 13912345678", "139-1234-5678", "028-85123456",
             "（028）85123456", "张三丰", "欧阳娜娜 ", masking.EMPTY, "", "abc", None, float("nan"), pd.NA, 13912345678]


@pytest.mark.parametrize("rule", [masking.mask_id, masking.mask_phone, masking.mask_name, masking.mask_address,
                                  masking.mask_text])
def test_a_column_is_masked_as_its_values_are_one_by_one(rule):
    """The whole-column masking (plain ID numbers and mobiles at once) gives, value for value,
    what the rule gives each value: in every spelling, in a column of text and of numbers."""
    for column in (pd.Series(SPELLINGS, dtype=object, index=range(100, 100 + len(SPELLINGS))),
                   pd.Series(SPELLINGS, dtype=object, index=[7] * len(SPELLINGS)),  # one label for every row
                   pd.Series([510104199603170012, 13912345678]), pd.Series([], dtype=object)):
        assert masking.mask_column(column, rule).tolist() == column.map(rule).tolist()
    # plain values are masked without the rule, the rest with it
    assert masking.mask_column(pd.Series(["510104199603170012", "51010419960317001x"]), masking.mask_id).tolist() == [
        "510104********0012", "510104********001X"]


def test_a_seeded_screening_list_is_masked_as_its_values_are_one_by_one(tiny_warehouse):
    """Every personal column of a seeded topic's list (ID numbers and phones as departments sent
    them, in every spelling the seed writes): the same as masking value by value."""
    from portal import glossary
    from portal.tracing import screening
    from queries import registry

    table = glossary.headed(screening.records_view(screening.group_records(
        registry.run("screening/topic_records", "", topic_id=1))))
    personal = masking.personal_columns(table)
    assert len(personal) == 5 and len(table) == 49
    by_value = table.copy()
    for col in personal:
        by_value[col] = table[col].map(masking.rule_for(col))
    pd.testing.assert_frame_equal(masking.mask_frame(table), by_value)
    # the raw numbers come in more than the plain spelling, so both ways are exercised: of the 49
    # ID numbers 41 are plain (a lower-case x, spaces, none given are not); of the phones 36
    plain_ids = table["身份证号码（原始）"].str.fullmatch(r"[0-9]{17}[0-9X]")
    plain_phones = table["手机号码（原始）"].str.fullmatch(r"1[3-9][0-9]{9}")
    assert (int(plain_ids.sum()), int(plain_phones.sum())) == (41, 36)
