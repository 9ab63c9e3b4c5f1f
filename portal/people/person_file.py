"""One person, one file (一人一档): search by ID number, phone or name with masked results, and
the person's file — basics, residence, flags and one timeline of everything known — each view
written to the audit log."""

from __future__ import annotations

import re

import pandas as pd

from portal.auth import audit
from portal.auth.session import Identity
from portal.glossary import (
    CASE_KINDS,
    CONTACT_KINDS,
    CONTROL_OUTCOMES,
    FOUND_BY,
    HEALTH_CODES,
    SAMPLE_PURPOSES,
    SAMPLE_RESULTS,
    SCREENING_OUTCOMES,
    SPECIAL_FLAGS,
    TIMELINE_KINDS,
)
from portal.people.masking import mask_frame, mask_id, mask_phone
from portal.people.matching import Search, parse_search
from queries.feeds import DEPARTMENTS

DEPARTMENT_NAMES = dict(DEPARTMENTS)

SEARCH_QUERIES = {"id_number": "person/search_by_id_number", "phone": "person/search_by_phone",
                  "name": "person/search_by_name"}
SEARCH_CAP = 50  # most persons listed for one name

# codes the timeline query leaves in its text → the words a person reads
_WORDS = {
    **{f"screening_{k}": v for k, v in SCREENING_OUTCOMES.items()}, **SAMPLE_RESULTS, **SAMPLE_PURPOSES, **FOUND_BY, **CONTACT_KINDS, **CASE_KINDS,
    **{k: v for k, v in CONTROL_OUTCOMES.items() if k}, **HEALTH_CODES,
    "source_of_contact": "其接触者被判定", "hotel": "集中隔离点", "sealed_zone": "居住地封控",
    "confirmed_case": "确诊", "asymptomatic_case": "无症状感染", "zone_lifted": "风险区解除",
    "index": "首发病例", "quarantine_test": "隔离检测发现", "mass_testing": "全员核酸发现",
}
_CODE = re.compile(r"\b[a-z][a-z_0-9]*\b")


def words(text: str) -> str:
    """Replace the codes in a timeline text by their Chinese words (unknown codes kept)."""
    return _CODE.sub(lambda m: _WORDS.get(m.group(0), m.group(0)), str(text))


def search(run, text: str) -> tuple[Search, pd.DataFrame]:
    """Persons found for a search text (SearchRefused for a text that cannot be used)."""
    wanted = parse_search(text)
    param = {"id_number": "id_number", "phone": "phone", "name": "person_name"}[wanted.kind]
    found = run(SEARCH_QUERIES[wanted.kind], row_cap=SEARCH_CAP, **{param: wanted.value})
    return wanted, found


def search_table(found: pd.DataFrame) -> pd.DataFrame:
    """Search results with Chinese headers, in full (portal.ui masks them as it shows them)."""
    return pd.DataFrame({
        "人员编号": found["person_id"].astype("int64"),
        "姓名": found["person_name"],
        "身份证号码": found["id_number"],
        "手机号码": found["phone"],
        "性别": found["sex"].map({"male": "男", "female": "女"}),
        "出生年份": pd.to_datetime(found["birth_date"]).dt.strftime("%Y"),
        "居住社区": found["community_name"],
    })


def masked(found: pd.DataFrame) -> pd.DataFrame:
    """Search results as shown by default: ID first 6 + last 4, phone 3 + 4, name masked."""
    return mask_frame(search_table(found))


def flags(basics: pd.Series) -> list[str]:
    return [label for key, label in SPECIAL_FLAGS.items() if int(basics.get(key, 0) or 0)]


def timeline(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline as shown: time, kind, what, detail, source department."""
    if events.empty:
        return pd.DataFrame(columns=["时间", "类别", "事项", "详情", "来源"])
    return pd.DataFrame({
        "时间": pd.to_datetime(events["ts"]).dt.strftime("%Y-%m-%d %H:%M"),
        "类别": events["kind"].map(TIMELINE_KINDS),
        "事项": events["title"].map(words),
        "详情": events["detail"].map(words),
        "来源": events["source"].map(lambda c: DEPARTMENT_NAMES.get(c, c)),
    })


def counts(events: pd.DataFrame) -> dict[str, int]:
    """Events per kind, in the glossary's order."""
    by_kind = events["kind"].value_counts() if not events.empty else pd.Series(dtype="int64")
    return {label: int(by_kind.get(kind, 0)) for kind, label in TIMELINE_KINDS.items()}


def record_view(identity: Identity, person_id: int, how: str) -> None:
    """Write one person-file view to the audit log."""
    audit.record("person_file_view", identity, subject=f"person:{int(person_id)}", detail=how)


def shown_value(wanted: Search) -> str:
    """The searched value as it may be shown back (ID numbers and phones masked)."""
    if wanted.kind == "id_number":
        return mask_id(wanted.value)
    if wanted.kind == "phone":
        return mask_phone(wanted.value)
    return wanted.value
