"""The 排查专题 page renders for every role (AppTest) with the counts the raw records give, and a
district operator records an outcome through its form."""

from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest
from test_screening import BASE, TOPIC, fixture_topic  # noqa: F401  (the hand-made topic)

from portal.auth import audit
from portal.auth.session import Identity
from portal.data import forget_live

ROOT = Path(__file__).resolve().parent.parent
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def page(identity, **state):
    at = AppTest.from_file(str(ROOT / "pages" / "screening.py"), default_timeout=120)
    put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("role,scope", ROLES)
def test_screening_page_renders_for_every_role(tiny_warehouse, wh, role, scope):
    at = page(Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "排查专题"
    raw = wh.query_df("SELECT dup_group FROM epi.screening_record WHERE topic_id = 1 "
                      "AND startsWith(community_code, {s:String})", {"s": scope})
    shown = {m.label: m.value for m in at.metric}
    assert shown["来源记录（条，全部保留）"] == f"{len(raw):,}"
    assert shown["排重后人员（组）"] == f"{raw['dup_group'].nunique():,}"
    verify_form = [b for b in at.button if b.label == "登记核查结果"]
    assert bool(verify_form) == (role == "district_operator")


def test_an_operator_records_an_outcome_through_the_form(tiny_warehouse, wh, fixture_topic):  # noqa: F811
    forget_live()  # the topic list is a live read (1 s): the hand-made topic was written just now
    at = page(Identity("核查员丙", "district_operator", "510104"))
    assert not at.exception
    at.selectbox(key="sc-v-topic").set_value(TOPIC).run()
    [s for s in at.selectbox if s.key == "sc-record"][0].set_value(BASE + 9)
    [r for r in at.radio if r.key == "sc-outcome"][0].set_value("uncooperative")
    [b for b in at.button if b.label == "登记核查结果"][0].click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == f"已登记记录 {BASE + 9}：不配合，已转流调组跟进。"
    assert wh.scalar("SELECT count() FROM epi.screening_outcome WHERE record_id = {r:UInt64} "
                     "AND operator = '核查员丙'", {"r": BASE + 9}) == 1
    assert audit.recent("screening_outcome")["subject"].tolist() == [f"screening_record:{BASE + 9}"]
