"""Verification outcomes: stored once per submission, the latest one wins, refused outside the
operator's jurisdiction and for other roles, and written to the audit log."""

import pytest
from test_screening import BASE, TOPIC, fixture_topic  # noqa: F401  (the hand-made topic)

from portal.auth import audit
from portal.auth.session import Identity
from portal.tracing import screening
from queries import registry

OPERATOR = Identity("核查员甲", "district_operator", "510104")


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def _current(record_id):
    rows = registry.run("screening/topic_records", "", topic_id=TOPIC).set_index("record_id")
    return rows.loc[record_id]


def test_an_outcome_is_stored_once_and_a_second_identical_submit_is_harmless(tiny_warehouse, wh, fixture_topic):  # noqa: F811
    key = screening.new_key()
    first = screening.record_outcome(OPERATOR, BASE + 6, "unreachable", "三次未接通", key)
    again = screening.record_outcome(OPERATOR, BASE + 6, "unreachable", "三次未接通", key)
    assert first.stored and "无法联系" in first.message and "转流调" in first.message
    assert not again.stored and "重复提交不会重复记录" in again.message
    assert wh.scalar("SELECT count() FROM epi.screening_outcome WHERE outcome_key = {k:String}", {"k": key}) == 1
    row = _current(BASE + 6)
    assert row["outcome"] == "unreachable" and row["escalated"] == 1 and row["recorded_by"] == "核查员甲"
    events = audit.recent("screening_outcome")
    assert len(events) == 1
    assert events.iloc[0][["actor", "role", "scope", "subject", "detail"]].tolist() == [
        "核查员甲", "district_operator", "510104", f"screening_record:{BASE + 6}", "无法联系，转流调组跟进"]


def test_the_latest_outcome_wins(tiny_warehouse, fixture_topic):  # noqa: F811
    screening.record_outcome(OPERATOR, BASE + 8, "uncooperative", "", screening.new_key())
    screening.record_outcome(OPERATOR, BASE + 8, "verified", "复核已联系上", screening.new_key())
    row = _current(BASE + 8)
    assert row["outcome"] == "verified" and row["escalated"] == 0
    progress = registry.run("screening/progress_by_topic_district", "510104").set_index("topic_id").loc[TOPIC]
    assert int(progress["verified"]) >= 1


@pytest.mark.parametrize("identity,record,outcome,words", [
    (Identity("核查员乙", "district_operator", "510107"), BASE + 1, "verified", "不在您的管辖范围（510107）内"),
    (Identity("领导", "leadership", ""), BASE + 1, "verified", "只有区县工作人员"),
    (OPERATOR, BASE + 99, "verified", "不存在"),
    (OPERATOR, BASE + 1, "deleted", "无法识别"),
])
def test_refusals_write_nothing(tiny_warehouse, wh, fixture_topic, identity, record, outcome, words):  # noqa: F811
    before = wh.scalar("SELECT count() FROM epi.screening_outcome")
    with pytest.raises(screening.OutcomeRefused, match=words.replace("（", "\\（").replace("）", "\\）")):
        screening.record_outcome(identity, record, outcome, "", screening.new_key())
    assert wh.scalar("SELECT count() FROM epi.screening_outcome") == before
    assert audit.recent("screening_outcome").empty


def test_a_note_too_long_or_a_missing_key_is_refused(tiny_warehouse, fixture_topic):  # noqa: F811
    with pytest.raises(screening.OutcomeRefused, match="200"):
        screening.record_outcome(OPERATOR, BASE + 1, "verified", "长" * 201, screening.new_key())
    with pytest.raises(screening.OutcomeRefused, match="提交编号"):
        screening.record_outcome(OPERATOR, BASE + 1, "verified", "", "")


def test_the_same_outcome_sent_again_under_a_new_key_is_a_resend(tiny_warehouse, wh, fixture_topic):  # noqa: F811
    first = screening.record_outcome(OPERATOR, BASE + 7, "verified", "已电话确认", screening.new_key())
    again = screening.record_outcome(OPERATOR, BASE + 7, "verified", "已电话确认", screening.new_key())
    assert first.stored and not again.stored
    assert wh.scalar("SELECT count() FROM epi.screening_outcome WHERE record_id = {r:UInt64}", {"r": BASE + 7}) == 1
    # outside the resend window the same words are a new outcome
    later = screening.record_outcome(OPERATOR, BASE + 7, "verified", "已电话确认", screening.new_key(), resend_window_s=-1)
    assert later.stored
    assert wh.scalar("SELECT count() FROM epi.screening_outcome WHERE record_id = {r:UInt64}", {"r": BASE + 7}) == 2
