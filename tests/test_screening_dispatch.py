"""Dispatching a topic: the command centre sends every primary record not yet dispatched to its
street in one statement; a second dispatch adds nothing; an operator cannot dispatch; records
without a residence are counted and left; progress and the record list see it at once."""

import pandas as pd
import pytest

from portal.auth import audit
from portal.auth.session import Identity
from portal.tracing import screening
from queries import registry

TOPIC = 9002
BASE = 900_200_000_000


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


@pytest.fixture
def new_topic(wh):
    people = wh.query_df("SELECT person_id, name, community_code FROM epi.person "
                         "WHERE startsWith(community_code, '510104') ORDER BY person_id LIMIT 3")
    other = wh.query_df("SELECT person_id, name, community_code FROM epi.person "
                        "WHERE startsWith(community_code, '510105') ORDER BY person_id LIMIT 1")
    rows = []
    for n, p in enumerate(pd.concat([people, other]).itertuples(), start=1):
        rows.append({"record_id": BASE + n, "topic_id": TOPIC, "raw_id_number": "", "raw_name": p.name, "raw_phone": "",
                     "person_id": int(p.person_id), "dup_group": BASE + n, "is_primary": 1,
                     "district_code": p.community_code[:6], "community_code": p.community_code, "dispatched_at": None,
                     "verified_at": None, "outcome": "pending", "escalated": 0, "src_department": "CDC",
                     "src_category": "CDC-10", "batch_id": "test-fixture-9002", "source_row": n})
    # a duplicate of the first (not primary) and one record nobody could place
    rows.append({**rows[0], "record_id": BASE + 10, "is_primary": 0, "source_row": 10})
    rows.append({**rows[0], "record_id": BASE + 11, "dup_group": BASE + 11, "person_id": 0, "district_code": "",
                 "community_code": "", "raw_name": "无名", "source_row": 11})
    frame = pd.DataFrame(rows)
    for col in ("dispatched_at", "verified_at"):
        frame[col] = pd.to_datetime(frame[col]).dt.tz_localize("Asia/Shanghai")
    wh.insert_df("screening_record", frame)
    wh.command("INSERT INTO epi.screening_topic VALUES ({t:UInt16}, '下发测试专题', 0, "
               "'2022-02-20 00:00:00', '2022-02-21 00:00:00', '2022-02-21 08:00:00', ['CDC'])", {"t": TOPIC})
    yield frame
    for table in ("screening_record", "screening_topic", "screening_dispatch"):
        wh.command(f"DELETE FROM epi.{table} WHERE topic_id = {{t:UInt16}}", {"t": TOPIC})


def test_a_topic_is_dispatched_once_to_its_streets(wh, new_topic):
    leader = Identity("指挥长", "leadership", "")
    assert screening.undispatched("", TOPIC) == (4, 1)
    assert screening.undispatched("510104", TOPIC) == (3, 1)
    assert screening.dispatch(leader, TOPIC) == 4
    assert screening.dispatch(leader, TOPIC) == 0  # nothing left: a second click adds nothing
    assert wh.scalar("SELECT count() FROM epi.screening_dispatch WHERE topic_id = {t:UInt16}", {"t": TOPIC}) == 4
    records = registry.run("screening/topic_records", "", topic_id=TOPIC).set_index("record_id")
    assert records["dispatched_at"].notna().sum() == 4
    assert pd.isna(records.loc[BASE + 10, "dispatched_at"]) and pd.isna(records.loc[BASE + 11, "dispatched_at"])
    progress = registry.run("screening/progress_by_topic_district", "").query("topic_id == @TOPIC")
    assert progress.set_index("district_code")["dispatched"].to_dict() == {"": 0, "510104": 3, "510105": 1}
    listed = registry.run("screening/topics", "").set_index("topic_id").loc[TOPIC]
    assert (listed["records"], listed["dispatched"]) == (6, 4)
    events = audit.recent(kind="screening_dispatch")
    assert f"screening_topic:{TOPIC}" in set(events["subject"])


def test_a_district_analyst_dispatches_only_their_district(wh, new_topic):
    assert screening.dispatch(Identity("分析员", "analyst", "510105"), TOPIC) == 1
    assert screening.undispatched("", TOPIC) == (3, 1)


def test_an_operator_cannot_dispatch(wh, new_topic):
    with pytest.raises(screening.DispatchRefused, match="下发由指挥部"):
        screening.dispatch(Identity("值班员", "district_operator", "510104"), TOPIC)
    assert wh.scalar("SELECT count() FROM epi.screening_dispatch WHERE topic_id = {t:UInt16}", {"t": TOPIC}) == 0


def test_the_page_dispatches_with_one_click(tiny_warehouse, wh, new_topic):
    from pathlib import Path

    from signing import put_identity
    from streamlit.testing.v1 import AppTest

    from portal.data import forget_live

    forget_live()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "pages" / "screening.py"), default_timeout=120)
    put_identity(at, Identity("指挥长", "leadership", ""))
    at.session_state["sc-topic"] = TOPIC
    at.run()
    button = at.button(key="sc-dispatch")
    assert button.label == "下发到所在街道核查：4 人（另有 1 人无居住地，无法下发，需先补全）"
    button.click().run()
    assert not at.exception
    assert at.success[0].value == "已下发 4 人到所在街道核查。"
    assert not [b for b in at.button if b.key == "sc-dispatch"]
