"""Screening topics (排查专题): duplicate groups over the records as sent, and the verification
outcomes district operators record.

排重不去重: grouping only labels records. Two records of a topic fall in one group when they were
matched to the same person, carry the same valid ID number in any spelling (spaces, lower-case
x, full-width digits, 15 or 18 digits), or the same name and the same mobile number; every source
record stays a row of its group with its provenance. A record with a name alone (a look-alike
with another phone and no ID) groups with nobody.

An outcome is appended, never updated: the latest outcome of a record wins in the queries, and
a submission carries a key so the same form sent twice is stored once.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import pandas as pd

from portal.auth import audit
from portal.auth.session import Identity
from portal.errors import EpiError
from portal.glossary import SCREENING_OUTCOMES
from portal.people.matching import normalise_name, normalise_phone, valid_id
from queries import registry
from queries.feeds import DEPARTMENTS

OUTCOMES_TO_RECORD = ("verified", "unreachable", "uncooperative")
ESCALATED = ("unreachable", "uncooperative")


class OutcomeRefused(EpiError, ValueError):
    """Why an outcome was not stored, in words for the operator."""


@dataclass(frozen=True)
class OutcomeResult:
    stored: bool  # False when the same submission had already been stored
    message: str


def _keys(person_id, raw_id_number, raw_phone, raw_name) -> list[str]:
    keys = []
    if int(person_id or 0):
        keys.append(f"p:{int(person_id)}")
    number = valid_id(str(raw_id_number or ""))
    if number:
        keys.append(f"i:{number}")
    phone, name = normalise_phone(str(raw_phone or "")), normalise_name(str(raw_name or ""))
    if phone and name:
        keys.append(f"n:{name}|{phone}")
    return keys


IDENTITY = ("topic_id", "person_id", "raw_id_number", "raw_phone", "raw_name")
_groupings: OrderedDict[str, list[int]] = OrderedDict()  # identity columns' digest → each record's group root
_groupings_lock = threading.Lock()


def _roots(records: pd.DataFrame) -> list[int]:
    """Each record's group (the row of its group's first record). The same records group the
    same way whatever their outcomes, so the grouping is remembered by a digest of the identity
    columns (a topic's page reads its records live on every view; 40,920 at `full`)."""
    digest = hashlib.sha1(pd.util.hash_pandas_object(records[list(IDENTITY)], index=False).values.tobytes()).hexdigest()
    with _groupings_lock:
        if digest in _groupings:
            _groupings.move_to_end(digest)
            return _groupings[digest]
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    # the columns as lists (a row tuple per record costs more than the grouping itself)
    rows = list(zip(*(records[c].tolist() for c in IDENTITY)))
    for i, (topic_id, *identity) in enumerate(rows):
        parent[i] = i
        for key in _keys(*identity):
            k = (int(topic_id), key)
            if k in owner:
                a, b = find(owner[k]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[k] = i
    roots = [find(i) for i in range(len(rows))]
    with _groupings_lock:
        _groupings[digest] = roots
        while len(_groupings) > 32:
            _groupings.popitem(last=False)
    return roots


def group_records(records: pd.DataFrame) -> pd.DataFrame:
    """The records with `group_no` (1, 2, … per topic, in record order), `group_size` and the
    person the group matched (`group_person_id`); the rows are the input rows, none dropped,
    none merged."""
    roots = _roots(records)
    out = records.copy()
    out["_root"] = roots
    first = out.groupby("_root").cumcount() == 0
    numbering = out[first].groupby("topic_id").cumcount() + 1
    out["group_no"] = out["_root"].map(dict(zip(out.loc[first, "_root"], numbering))).astype("int64")
    out["group_size"] = out.groupby("_root")["_root"].transform("size").astype("int64")
    # a record the registry did not match itself (a 15-digit or full-width ID) is completed from
    # the person its group matched
    matched = out["person_id"].where(out["person_id"] != 0)
    out["group_person_id"] = matched.groupby(out["_root"]).transform("max").fillna(0).astype("int64")
    for col in ("id_number", "person_name", "phone", "health_code"):
        if col in out:
            known = out[col].where(out[col].notna() & (out[col] != ""))
            out[col] = known.groupby(out["_root"]).transform("first").fillna(out[col])
    return out.drop(columns="_root")


def new_key() -> str:
    """A fresh idempotency key for one outcome form."""
    return uuid.uuid4().hex


def record_outcome(identity: Identity, record_id: int, outcome: str, note: str, key: str,
                   resend_window_s: int = 60) -> OutcomeResult:
    """Check and append one verification outcome; raise OutcomeRefused (nothing written) when
    the operator may not record it. The same outcome, note and operator again within
    resend_window_s is a resend and is not stored twice."""
    if identity.role != "district_operator" or not identity.scope:
        raise OutcomeRefused("只有区县工作人员可以登记本辖区的核查结果。")
    if outcome not in OUTCOMES_TO_RECORD:
        raise OutcomeRefused(f"核查结果“{outcome}”无法识别：请选择已核实、无法联系或不配合。")
    if not key:
        raise OutcomeRefused("核查结果缺少提交编号，请刷新页面后重新提交。")
    note = (note or "").strip()
    if len(note) > 200:
        raise OutcomeRefused("备注不超过 200 字。")
    if registry.run("screening/record_by_id", identity.scope, record_id=int(record_id)).empty:
        # only whether the record exists is read outside the jurisdiction: the refusal names no
        # other district's community
        if registry.run("screening/record_by_id", "", record_id=int(record_id)).empty:
            raise OutcomeRefused(f"排查记录 {record_id} 不存在，请从列表中选择。")
        raise OutcomeRefused(f"排查记录 {record_id} 不在您的管辖范围（{identity.scope}）内，"
                             "不能登记核查结果；请转交所属区县。")
    if registry.run("screening/outcome_by_key", identity.scope, outcome_key=key).shape[0]:
        return OutcomeResult(False, "这条核查结果已经收到，重复提交不会重复记录。")
    # the same outcome sent again under a new key (a second click after the first was saved)
    last = registry.run("screening/outcomes_of_record", identity.scope, record_id=int(record_id)).head(1)
    if not last.empty and last.iloc[0]["age_s"] <= resend_window_s and (
            last.iloc[0][["outcome", "operator", "note"]].tolist() == [outcome, identity.name, note]):
        return OutcomeResult(False, "这条核查结果已经收到，重复提交不会重复记录。")
    escalated = int(outcome in ESCALATED)
    registry.execute("screening/add_outcome", identity.scope, outcome_key=key, record_id=int(record_id),
                     outcome=outcome, escalated=escalated, operator=identity.name,
                     operator_scope=identity.scope, note=note)
    if registry.run("screening/outcome_by_key", identity.scope, outcome_key=key).empty:
        raise OutcomeRefused("核查结果未能保存，请稍后重试。")
    audit.record("screening_outcome", identity, subject=f"screening_record:{int(record_id)}",
                 detail=f"{SCREENING_OUTCOMES[outcome]}{'，转流调组跟进' if escalated else ''}")
    tail = "，已转流调组跟进" if escalated else ""
    return OutcomeResult(True, f"已登记记录 {record_id}：{SCREENING_OUTCOMES[outcome]}{tail}。")


DISPATCHERS = ("leadership", "analyst")


class DispatchRefused(EpiError, ValueError):
    """Why a topic was not dispatched, in words for the command centre."""


def undispatched(scope: str, topic_id: int) -> tuple[int, int]:
    """(records ready to dispatch, records without a residence) of a topic, read fresh."""
    row = registry.run("screening/undispatched", scope, topic_id=int(topic_id)).iloc[0]
    return int(row["ready"]), int(row["no_residence"])


def dispatch(identity: Identity, topic_id: int) -> int:
    """Dispatch every primary record of the topic not yet dispatched to the street of its
    residence, in one statement; returns how many were dispatched (0 when none were left)."""
    if identity.role not in DISPATCHERS:
        raise DispatchRefused("下发由指挥部（领导、数据分析员）进行；区县工作人员登记核查结果。")
    ready, _ = undispatched(identity.scope, topic_id)
    if ready == 0:
        return 0
    registry.execute("screening/dispatch_topic", identity.scope, topic_id=int(topic_id), dispatcher=identity.name)
    left, _ = undispatched(identity.scope, topic_id)
    audit.record("screening_dispatch", identity, subject=f"screening_topic:{int(topic_id)}",
                 detail=f"下发 {ready - left:,} 条")
    return ready - left


def topic_table(topics: pd.DataFrame, departments: dict[str, str]) -> pd.DataFrame:
    """The topics as listed: source departments and records per department in words."""
    def named(codes: str) -> str:
        return "、".join(departments.get(c, c) for c in codes.split("、") if c)

    def per_department(pairs: str) -> str:
        return "，".join(f"{departments.get(c, c)} {n}" for c, n in (x.split(":") for x in pairs.split(",") if x))

    return topics.assign(source_departments=topics["departments"].map(named),
                         records_by_department=topics["by_department"].map(per_department))[
        ["topic_id", "topic_name", "created_at", "source_departments", "records", "matched", "dispatched",
         "records_by_department"]]


def progress_table(progress: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per topic × district: groups dispatched and their state, with the share verified."""
    out = progress.assign(district=progress["district_code"].map(lambda c: names.get(c, c)))
    done = out["verified"] + out["unreachable"] + out["uncooperative"]
    out["rate"] = (done / out["dispatched"].where(out["dispatched"] > 0)).mul(100).round(1).fillna(0.0)
    return out


def records_view(grouped: pd.DataFrame) -> pd.DataFrame:
    """Every source record: its group, identity as sent, the person it was matched to and
    completed from, dispatch, outcome and provenance (personal columns in full; portal.ui masks
    them as it shows and exports them)."""
    from portal.glossary import HEALTH_CODES
    from portal.people.masking import EMPTY

    depts = dict(DEPARTMENTS)
    g = grouped.sort_values(["group_no", "is_primary", "record_id"], ascending=[True, False, True])
    return pd.DataFrame({
        "组号": g["group_no"],
        "组内记录": g["group_size"],
        "重复": g["group_size"].map(lambda n: "重复" if n > 1 else ""),
        "下发记录": g["is_primary"].map({1: "是", 0: ""}),
        "记录编号": g["record_id"].astype("int64"),
        "姓名（原始）": g["raw_name"],
        "身份证号码（原始）": g["raw_id_number"].map(lambda v: v if v else EMPTY),
        "手机号码（原始）": g["raw_phone"].map(lambda v: v if v else EMPTY),
        "匹配人员编号": g["group_person_id"],
        "补全身份证号码": g["id_number"].fillna(""),
        "补全手机号码": g["phone"].fillna(""),
        "健康码": g["health_code"].fillna("").map(HEALTH_CODES),
        "街道": g["street_name"], "社区": g["community_name"],
        "下发时间": g["dispatched_at"], "核查结果": g["outcome"].map(SCREENING_OUTCOMES),
        "转流调": g["escalated"].map({1: "是", 0: ""}), "核查时间": g["verified_at"],
        "来源部门": g["src_department"].map(lambda c: depts.get(c, c)), "业务类别": g["src_category"],
        "批次": g["batch_id"], "源行号": g["source_row"].astype("int64"),
    })


def outcomes_by_topic(progress: pd.DataFrame) -> pd.DataFrame:
    """People dispatched per topic by outcome (all districts together), topics in listed order."""
    return progress.groupby("topic_name", sort=False)[["verified", "unreachable", "uncooperative", "awaiting"]].sum()
