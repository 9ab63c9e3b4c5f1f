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
