"""Personal data masked by default: the masked forms, tables masked by their headers, the
显示完整信息 toggle only for users who may unmask (one audit row per disclosure), forged state
that cannot unmask, and export audit rows."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth import audit
from portal.auth.session import Identity
from portal.people import masking
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
SCOPE = "510104"
OPERATOR = Identity("锦江值班员", "district_operator", SCOPE)
UNMASKER = Identity("锦江流调组长", "district_operator", SCOPE, can_unmask=True)


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def test_masked_forms():
    assert masking.mask_id("510104199603170012") == "510104********0012"
    assert masking.mask_id("11010519491231002x") == "110105********002X"  # normalised, then masked
    assert masking.mask_id("5101 0419 9603 1700 12") == "510104********0012"
    assert masking.mask_id("510104960317001") == "510104********001X"  # 15 digits widened first
    assert masking.mask_phone("13812345678") == "138****5678"
    assert masking.mask_phone("+86 138-1234-5678") == "138****5678"
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_name("欧阳娜娜") == "欧***"
    assert masking.mask_name("𠈌") == "𠈌"
    assert masking.mask_address("锦华苑") == "锦**"
    assert [masking.mask_name(None), masking.mask_id(""), masking.mask_phone(masking.EMPTY)] == ["", "", "（空）"]
    # masking twice changes nothing
    assert masking.mask_id(masking.mask_id("510104199603170012")) == "510104********0012"
    assert masking.mask_phone(masking.mask_phone("13812345678")) == "138****5678"


def test_free_text_loses_its_id_numbers_and_mobiles():
    line = "张伟,510104199603170012,13812345678,510104001001,2022-03-01 08:30:00"
    assert masking.mask_text(line) == "张伟,510104********0012,138****5678,510104001001,2022-03-01 08:30:00"


def test_tables_are_masked_by_their_headers():
    df = pd.DataFrame({"人员编号": [490], "姓名": ["黄昶瑶"], "身份证号码（原始）": ["510104199310080010"],
                       "补全手机号码": ["13912345678"], "居住社区": ["510104008010"], "原始内容": ["x,13912345678"]})
    shown = masking.shown(df)
    assert shown.iloc[0].tolist() == [490, "黄**", "510104********0010", "139****5678", "510104008010", "x,139****5678"]
    assert masking.personal_columns(df) == ["姓名", "身份证号码（原始）", "补全手机号码", "原始内容"]
    assert masking.shown(df, clear=True) is df
    assert df.iloc[0]["姓名"] == "黄昶瑶"  # the caller's frame is left as it was


def test_export_audit_rows_say_what_how_many_and_masked_or_not():
    build = masking.audited_export(OPERATOR, "传播链", "CSV", lambda: b"data", 26, ["姓名"], clear=False)
    assert audit.recent("export").empty  # showing the button exports nothing
    assert build() == b"data"
    masking.audited_export(UNMASKER, "传播链", "XLSX", lambda: b"x", 26, ["姓名"], clear=True)()
    masking.audited_export(OPERATOR, "集中隔离点_2022-03-05", "CSV", lambda: b"x", 150, [], clear=False)()
    rows = audit.recent("export")[["actor", "scope", "subject", "detail"]].values.tolist()
    assert rows == [
        ["锦江值班员", SCOPE, "export:集中隔离点_2022-03-05", "CSV，150 行，不含个人信息"],
        ["锦江流调组长", SCOPE, "export:传播链", "XLSX，26 行，含个人信息（姓名），未脱敏"],
        ["锦江值班员", SCOPE, "export:传播链", "CSV，26 行，含个人信息（姓名），已脱敏"],
    ]


def chain_page(identity, **state):
    at = AppTest.from_file(str(ROOT / "pages" / "contacts.py"), default_timeout=180)
    put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.radio[0].set_value("cluster").run()
    return at


def chain_names(at) -> list[str]:
    return next(df.value for df in at.dataframe if "姓名" in df.value and "层级" in df.value)["姓名"].tolist()


def raw_chain():
    cases = registry.run("trajectories/case_list", SCOPE)
    return registry.run("contacts/chain", SCOPE, case_ids=cases["case_id"].tolist(), as_of=dt.date(2022, 3, 20))


def test_an_operator_sees_the_chain_masked_and_has_no_toggle(tiny_warehouse):
    at = chain_page(OPERATOR)
    assert not at.exception and not at.error
    raw = raw_chain()
    assert len(raw) == 210
    assert chain_names(at) == [n[0] + "*" * (len(n) - 1) for n in raw["person_name"]]
    assert len(at.toggle) == 0
    assert audit.recent("unmask").empty


def test_forged_state_cannot_unmask(tiny_warehouse):
    """A toggle state put into the session, or a link parameter, does nothing for a user who
    may not unmask."""
    at = AppTest.from_file(str(ROOT / "pages" / "contacts.py"), default_timeout=180)
    put_identity(at, OPERATOR)
    at.session_state["unmask-chain"] = True
    at.session_state["unmask-alerts"] = True
    at.query_params["unmask"] = "1"
    at.run()
    at.radio[0].set_value("cluster").run()
    assert not at.exception
    assert all(n[1:].strip("*") == "" for n in chain_names(at))
    assert len(at.toggle) == 0
    assert audit.recent("unmask").empty
    # the same forged flag on the identity's role does not help either: only can_unmask counts
    assert not masking.may_unmask(Identity("领导", "leadership", ""))


def test_the_unmask_toggle_shows_clear_names_and_writes_one_audit_row(tiny_warehouse):
    at = chain_page(UNMASKER)
    toggle = at.toggle(key="unmask-chain")
    assert toggle.label == "显示完整信息" and toggle.value is False
    assert all(n[1:].strip("*") == "" for n in chain_names(at))  # masked until asked
    assert audit.recent("unmask").empty
    toggle.set_value(True).run()
    assert not at.exception
    raw = raw_chain()
    assert chain_names(at) == raw["person_name"].tolist()
    events = audit.recent("unmask")
    assert events[["actor", "scope", "subject", "detail"]].values.tolist() == [
        ["锦江流调组长", SCOPE, "chain:CD-0004、CD-0008、CD-0009、CD-0010、CD-0017、CD-0020、CD-0030、CD-0035、CD-0043、CD",
         "传播链（32 例病例）：164 名密接、次密接的姓名"]]
    at.run()  # a rerun of the same disclosure adds nothing
    assert len(audit.recent("unmask")) == 1
    at.toggle(key="unmask-chain").set_value(False).run()
    assert all(n[1:].strip("*") == "" for n in chain_names(at))
    at.toggle(key="unmask-chain").set_value(True).run()  # on again: a new disclosure
    assert len(audit.recent("unmask")) == 2


def test_the_person_file_toggle_shows_the_full_identity(tiny_warehouse, wh):
    person = wh.query_df("SELECT person_id, name, id_number, phone FROM epi.person WHERE person_id = 490").iloc[0]
    at = AppTest.from_file(str(ROOT / "pages" / "person_file.py"), default_timeout=180)
    put_identity(at, UNMASKER)
    at.run()
    at.text_input(key="pf-text").input(person["id_number"])
    [b for b in at.button if b.label == "查询"][0].click().run()
    text = " ".join(m.value for m in at.markdown)
    assert "510104********0010" in text and person["id_number"] not in text and person["phone"] not in text
    assert at.subheader[0].value == f"{person['name'][0]}\\*\\* 的档案"  # the stars escaped: shown as stars
    at.toggle(key="unmask-person-file").set_value(True).run()
    text = " ".join(m.value for m in at.markdown)
    assert person["id_number"] in text and person["phone"] in text
    assert at.subheader[0].value == f"{person['name']} 的档案"
    events = audit.recent("unmask")
    assert events[["subject", "detail"]].values.tolist() == [
        ["person:490", "一人一档：姓名、身份证号码、手机号码、小区与户号"]]
    assert len(audit.recent("person_file_view")) == 1
