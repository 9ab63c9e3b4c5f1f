"""Screening topics: grouping keeps every source record (排重不去重) — hand-made records with
known duplicate groups and the seeded topics checked in pandas — and the progress figures."""

import pandas as pd
import pytest

from bench.suite import naive_sql
from portal.tracing import screening
from queries import registry

TOPIC = 9001  # hand-made topic, far above the seeded 19
BASE = 900_100_000_000  # record ids of the hand-made rows


def _record(n, person_id, raw_id, raw_name, raw_phone, community, dept, primary=0, dispatched=None):
    return {"record_id": BASE + n, "topic_id": TOPIC, "raw_id_number": raw_id, "raw_name": raw_name,
            "raw_phone": raw_phone, "person_id": person_id, "dup_group": BASE + n, "is_primary": primary,
            "district_code": community[:6], "community_code": community,
            "dispatched_at": dispatched, "verified_at": None, "outcome": "pending", "escalated": 0,
            "src_department": dept, "src_category": f"{dept}-01", "batch_id": "test-fixture-9001", "source_row": n}


@pytest.fixture(scope="module")
def fixture_topic(wh):
    """Eight records of four people as departments send them; no upstream match (person_id 0)
    except one, so the groups come from the identity keys themselves."""
    a = wh.query_df("SELECT person_id, id_number, name, phone, community_code FROM epi.person "
                    "WHERE endsWith(id_number, 'X') AND startsWith(community_code, '510104') "
                    "AND substring(id_number, 7, 2) = '19' ORDER BY person_id LIMIT 1").iloc[0]
    b = wh.query_df("SELECT person_id, id_number, name, phone, community_code FROM epi.person "
                    "WHERE startsWith(community_code, '510104') AND person_id != {p:UInt64} "
                    "ORDER BY person_id LIMIT 1", {"p": int(a.person_id)}).iloc[0]
    aid, when = a.id_number, pd.Timestamp("2022-02-21 09:00:00")
    fifteen = aid[:6] + aid[8:17]
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in aid)
    wrong_check = b.id_number[:17] + ("1" if b.id_number[17] != "1" else "2")
    rows = [
        _record(1, 0, aid, a["name"], a.phone, a.community_code, "PSB", 1, when),  # exact
        _record(2, 0, aid.lower(), a["name"], "", a.community_code, "CDC"),  # lower-case x
        _record(3, 0, f"{aid[:6]} {aid[6:14]} {aid[14:]}", "", "", a.community_code, "HEALTH"),  # spaced
        _record(4, 0, fifteen, a["name"], "", a.community_code, "BIGDATA"),  # 15-digit form
        _record(5, 0, full_width, a["name"], "", a.community_code, "AIRPORT"),  # full-width digits
        _record(6, 0, "", b["name"], f"+86 {b.phone[:3]} {b.phone[3:7]} {b.phone[7:]}", b.community_code, "PSB", 1, when),
        _record(7, 0, "", b["name"], f"{b.phone[:3]}-{b.phone[3:7]}-{b.phone[7:]}", b.community_code, "TRANSPORT"),
        # near-misses: B's name with another phone and no ID; B's ID with a wrong check character
        _record(8, 0, "", b["name"], "16600000000", b.community_code, "CDC", 1, when),
        _record(9, 0, wrong_check, "王某", "16611112222", b.community_code, "HEALTH", 1, when),
        # matched upstream to A with nothing else in common
        _record(10, int(a.person_id), "", "", "", a.community_code, "CUSTOMS"),
    ]
    frame = pd.DataFrame(rows)
    for col in ("dispatched_at", "verified_at"):
        frame[col] = pd.to_datetime(frame[col]).dt.tz_localize("Asia/Shanghai")
    wh.insert_df("screening_record", frame)
    wh.command("INSERT INTO epi.screening_topic VALUES ({t:UInt16}, '测试专题', 0, "
               "'2022-02-20 00:00:00', '2022-02-21 00:00:00', '2022-02-21 08:00:00', ['PSB', 'CDC'])", {"t": TOPIC})
    yield {"a": a, "b": b, "rows": frame}
    wh.command("DELETE FROM epi.screening_record WHERE topic_id = {t:UInt16}", {"t": TOPIC})
    wh.command("DELETE FROM epi.screening_topic WHERE topic_id = {t:UInt16}", {"t": TOPIC})
    wh.command("DELETE FROM epi.screening_outcome WHERE topic_id = {t:UInt16}", {"t": TOPIC})


def _groups(df: pd.DataFrame) -> set[frozenset[int]]:
    return {frozenset(int(r) - BASE for r in g["record_id"]) for _, g in df.groupby("group_no")}


def test_hand_made_duplicates_group_and_the_near_misses_stay_apart(tiny_warehouse, fixture_topic):
    shown = screening.group_records(registry.run("screening/topic_records", "", topic_id=TOPIC))
    assert len(shown) == 10 and sorted(shown["record_id"] - BASE) == list(range(1, 11))  # none dropped
    assert _groups(shown) == {frozenset({1, 2, 3, 4, 5, 10}), frozenset({6, 7}), frozenset({8}), frozenset({9})}
    assert shown.set_index("record_id").loc[BASE + 1, "group_size"] == 6
    # completion from the registry for the one record matched upstream
    by_id = shown.set_index("record_id")
    assert by_id.loc[BASE + 10, "id_number"] == fixture_topic["a"].id_number
    # the 15-digit and full-width records are completed from the person their group matched
    a = fixture_topic["a"]
    assert by_id.loc[[BASE + 4, BASE + 5], "id_number"].tolist() == [a.id_number] * 2
    assert by_id.loc[[BASE + n for n in (1, 2, 3, 4, 5, 10)], "group_person_id"].tolist() == [int(a.person_id)] * 6
    assert by_id.loc[[BASE + n for n in (6, 7, 8, 9)], "group_person_id"].tolist() == [0] * 4
    # provenance stays on every row of the view
    view = screening.records_view(shown)
    assert len(view) == 10 and set(view["源行号"]) == set(range(1, 11))
    assert view["重复"].value_counts()["重复"] == 8


def test_rows_shown_follow_the_jurisdiction(tiny_warehouse, fixture_topic):
    assert len(registry.run("screening/topic_records", "510104", topic_id=TOPIC)) == 10
    assert registry.run("screening/topic_records", "510107", topic_id=TOPIC).empty


def test_seeded_topics_keep_every_record_and_match_the_seeded_groups(tiny_warehouse, wh):
    raw = wh.query_df("SELECT record_id, topic_id, dup_group, community_code FROM epi.screening_record "
                      "WHERE topic_id < 1000")
    assert len(raw) > 0
    for scope in ("", "510104"):
        mine = raw[raw["community_code"].str.startswith(scope)]
        for topic, expected in mine.groupby("topic_id"):
            shown = screening.group_records(registry.run("screening/topic_records", scope, topic_id=int(topic)))
            assert sorted(shown["record_id"]) == sorted(expected["record_id"])  # records shown = source rows
            # the groups found from the identity keys are the seeded duplicate groups, one to one
            pairs = shown[["group_no", "dup_group"]].drop_duplicates()
            assert pairs["group_no"].is_unique and pairs["dup_group"].is_unique
            assert shown["group_no"].nunique() == expected["dup_group"].nunique()


def test_topic_list_counts_equal_the_raw_records(tiny_warehouse, wh):
    raw = wh.query_df("SELECT topic_id, src_department, person_id, dispatched_at FROM epi.screening_record "
                      "WHERE topic_id < 1000")
    topics = registry.run("screening/topics", "").set_index("topic_id")
    topics = topics[topics.index < 1000]
    by_topic = raw.groupby("topic_id")
    assert (topics["records"] == by_topic.size().reindex(topics.index, fill_value=0)).all()
    assert (topics["matched"] == by_topic["person_id"].apply(lambda s: (s != 0).sum()).reindex(topics.index,
                                                                                               fill_value=0)).all()
    first = topics.index[0]
    per_dept = raw[raw["topic_id"] == first]["src_department"].value_counts()
    assert topics.loc[first, "by_department"] == ",".join(f"{d}:{per_dept[d]}" for d in sorted(per_dept.index))


def test_progress_by_topic_and_district_equals_the_raw_primaries(tiny_warehouse, wh):
    raw = wh.query_df("SELECT topic_id, district_code, toString(outcome) AS outcome, escalated, "
                      "dispatched_at IS NOT NULL AS sent FROM epi.screening_record "
                      "WHERE is_primary = 1 AND topic_id < 1000 AND startsWith(community_code, '510104')")
    got = registry.run("screening/progress_by_topic_district", "510104").set_index(["topic_id", "district_code"])
    want = raw.groupby(["topic_id", "district_code"]).agg(
        groups=("sent", "size"), dispatched=("sent", "sum"), verified=("outcome", lambda s: (s == "verified").sum()),
        unreachable=("outcome", lambda s: (s == "unreachable").sum()), escalated=("escalated", "sum"))
    got = got.loc[want.index]
    for col in want.columns:
        assert (got[col].astype(int) == want[col].astype(int)).all(), col
    assert set(got.index.get_level_values("district_code")) == {"510104"}


def test_progress_table_rate_is_done_over_dispatched():
    progress = pd.DataFrame({"topic_id": [1, 1], "topic_name": ["t", "t"], "district_code": ["510104", "510105"],
                             "groups": [10, 3], "dispatched": [8, 0], "verified": [5, 0], "unreachable": [1, 0],
                             "uncooperative": [1, 0], "awaiting": [1, 0], "escalated": [2, 0]})
    out = screening.progress_table(progress, {"510104": "锦江区"})
    assert out["rate"].tolist() == [87.5, 0.0] and out["district"].tolist() == ["锦江区", "510105"]


def test_records_completed_through_the_id_number_projection_equal_the_registry_read_whole(tiny_warehouse, wh,
                                                                                         fixture_topic):
    """The page's statement (people by person id, ID numbers through the projection, 0022) gives
    the rows of the statement reading the registry with one OR over both keys."""
    naive = naive_sql("screening_topic_records_raw")
    topics = [TOPIC, *wh.query_df("SELECT DISTINCT topic_id FROM epi.screening_record WHERE topic_id < 1000 "
                                  "ORDER BY topic_id")["topic_id"].tolist()]
    for scope in ("", "510104"):
        for topic in topics:
            fast = registry.run("screening/topic_records", scope, topic_id=int(topic))
            assert fast.equals(wh.query_df(naive, {"scope": scope, "topic_id": int(topic)}))
    by_id = registry.run("screening/topic_records", "", topic_id=TOPIC).set_index("record_id")
    # exact, lower-case x and spaced match by ID number; the 15-digit and full-width forms do not here
    assert by_id["matched_by"].value_counts().to_dict() == {"id_number": 3, "source": 1, "": 6}


def test_a_remembered_grouping_follows_the_identity_columns_only(tiny_warehouse, fixture_topic):
    """The grouping is remembered by the records' identity columns: a new outcome keeps it, a
    changed ID number regroups."""
    records = registry.run("screening/topic_records", "", topic_id=TOPIC)
    first = screening.group_records(records)
    verified = screening.group_records(records.assign(outcome="verified"))
    assert verified["group_no"].tolist() == first["group_no"].tolist()
    assert (verified["outcome"] == "verified").all()
    # the near-miss with a wrong check character, given A's ID number, joins A's group
    a = fixture_topic["a"]
    moved = records.assign(raw_id_number=records["raw_id_number"].where(records["record_id"] != BASE + 9, a.id_number))
    regrouped = screening.group_records(moved).set_index("record_id")["group_no"]
    before = first.set_index("record_id")["group_no"]
    assert before[BASE + 9] != before[BASE + 1]
    assert regrouped[BASE + 9] == regrouped[BASE + 1]
