"""预警中心 page for every role (AppTest): the open alerts the page's own check finds, filters,
acknowledgement and handling by an operator within the jurisdiction; the cockpit's count by
severity with its link, and the briefing's day of alerts."""

from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.alerts import center
from portal.auth import audit
from portal.auth.identity import Identity

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "portal" / "app.py")
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510107")]
pytestmark = pytest.mark.usefixtures("own_audit_store")

# the tiny seed at 2022-03-20 24:00 (the last day with data): 5 people missing a protocol test,
# 11 sampling sites whose last report is congested and 4 overdue appeals; 2 (people) and 1 of
# them in 510107
EXPECTED = {"": {"严重": 0, "警告": 16, "提示": 4}, "510107": {"严重": 0, "警告": 2, "提示": 1}}


def page(identity, **state):
    at = AppTest.from_file(str(ROOT / "pages" / "alerts.py"), default_timeout=180)
    put_identity(at, identity)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("role,scope", ROLES)
def test_the_alert_centre_renders_for_every_role(tiny_warehouse, role, scope):
    at = page(Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "预警中心"
    assert metrics(at) == {f"{s}（条）": str(n) for s, n in EXPECTED[scope].items()}
    table = at.dataframe[0].value
    assert len(table) == sum(EXPECTED[scope].values())
    assert set(table["区划代码"].str[:len(scope)]) == {scope}
    assert set(table["状态"]) == {"待确认"}
    acts = [b.label for b in at.button]
    assert ("确认预警" in acts) == (role != "analyst")


def test_filters_narrow_the_list(tiny_warehouse):
    at = page(Identity("测试", "leadership", ""))
    at.multiselect(key="alert-rules").set_value(["appeal_overdue"]).run()
    assert set(at.dataframe[0].value["预警规则"]) == {"诉求超期未办结"}
    at.multiselect(key="alert-rules").set_value([]).run()
    at.multiselect(key="alert-severities").set_value(["警告"]).run()
    assert len(at.dataframe[0].value) == 16
    at.selectbox(key="alert-district").set_value("510107").run()
    assert len(at.dataframe[0].value) == 2
    at.multiselect(key="alert-states").set_value(["cleared"]).run()
    assert "没有符合筛选条件的预警" in at.info[0].value


def test_an_operator_acknowledges_and_handles_within_the_jurisdiction(tiny_warehouse):
    operator = Identity("青羊值班", "district_operator", "510107")
    at = page(operator)
    picked = at.selectbox(key="alert-pick").value
    at.text_area(key=f"alert-note-{picked}").set_value("已联系社区")
    at.button(key="alert-ack").click().run()
    assert not at.exception and not at.error
    row = center.instances("510107").set_index("alert_id").loc[picked]
    assert (row["state"], row["acknowledged_by"], row["acknowledge_note"]) == ("acknowledged", "青羊值班", "已联系社区")
    leader = page(Identity("领导", "leadership", ""))
    table = leader.dataframe[0].value.set_index("预警编号")
    assert table.loc[picked, "状态"] == "已确认" and table.loc[picked, "确认人"] == "青羊值班"
    # handling needs a note
    at = page(operator, **{"alert-pick": picked})
    at.button(key="alert-handle").click().run()
    assert "请填写处置情况" in at.error[0].value
    at.text_area(key=f"alert-note-{picked}").set_value("已上门采样")
    at.button(key="alert-handle").click().run()
    assert center.instances("510107").set_index("alert_id").loc[picked, "state"] == "handled"
    found = audit.search(subject=f"alert:{picked}")
    kinds = found.loc[found["subject"] == f"alert:{picked}", "kind"].tolist()  # not alert:1x
    assert kinds == ["alert_handle", "alert_acknowledge", "alert_new"]
    # the first listed is a 警告 (most severe first); handled, it is no longer open
    assert metrics(page(operator))["警告（条）"] == "1"


def test_the_cockpit_links_to_the_alert_centre_with_the_open_counts(tiny_warehouse):
    at = AppTest.from_file(APP, default_timeout=180)
    put_identity(at, Identity("测试", "district_operator", "510107"))
    at.run()
    assert not at.exception
    links = [e.proto.label for e in at.get("page_link")]
    assert "预警中心 · 未处理预警：严重 0 条 · 警告 2 条 · 提示 1 条" in links


def test_the_briefing_lists_the_days_alerts(tiny_warehouse):
    page(Identity("测试", "leadership", ""))  # the alert centre's check fills the store
    at = AppTest.from_file(str(ROOT / "pages" / "briefing.py"), default_timeout=180)
    put_identity(at, Identity("测试", "leadership", ""))
    at.run()
    assert not at.exception and not at.error
    day = at.dataframe[-1].value
    assert day.values.tolist() == [["管控人员漏检", "警告", 5], ["采样点拥堵", "警告", 11], ["诉求超期未办结", "提示", 4]]
