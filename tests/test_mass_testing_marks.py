"""A site lead's mark: stored once with who and when, seen by the live read at once; every bad
input refused with one clear sentence and nothing written."""

import pytest

from portal.auth import audit
from portal.auth.session import Identity
from portal.data import QueryRunner, forget_live
from portal.settings import PortalSettings
from portal.testing import marks
from queries import registry

S = PortalSettings()
OPERATOR = Identity("张站长", "district_operator", "510104")
JINJIANG_SITE = "HS-510104-0003"
WUHOU_SITE = "HS-510107-0001"


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def stored_marks(wh) -> int:
    return wh.scalar("SELECT count() FROM epi.site_mark FINAL")


def test_a_mark_is_stored_with_who_and_when_and_congested_follows_from_the_wait(wh):
    before = stored_marks(wh)
    result = marks.submit(OPERATOR, " hs-510104-0003 ", "busy", 65, marks.new_key(), S)
    assert result.stored and result.state == "congested" and result.queue_minutes == 65
    assert "已按拥堵记录" in result.message
    row = registry.run("mass/live_marks", "510104", since=marks.since(S)).iloc[0]
    assert (row["site_code"], row["state"], row["queue_minutes"], row["operator"], row["operator_scope"]) == (
        JINJIANG_SITE, "congested", 65, "张站长", "510104")
    assert stored_marks(wh) == before + 1
    events = audit.recent("site_mark")
    assert events[["actor", "role", "scope", "subject", "detail"]].values.tolist() == [
        ["张站长", "district_operator", "510104", "site:HS-510104-0003", "拥堵 65 分钟"]]


def test_busy_under_the_congested_line_stays_busy_and_closed_has_no_queue(wh):
    busy = marks.submit(OPERATOR, "HS-510104-0004", "busy", 30, marks.new_key(), S)
    closed = marks.submit(OPERATOR, "HS-510104-0005", "closed", 15, marks.new_key(), S)
    assert (busy.state, busy.queue_minutes) == ("busy", 30)
    assert (closed.state, closed.queue_minutes) == ("closed", 0)


def test_the_same_mark_sent_twice_is_stored_once(wh):
    key = marks.new_key()
    first = marks.submit(OPERATOR, "HS-510104-0006", "clear", 10, key, S)
    again = marks.submit(OPERATOR, "HS-510104-0006", "clear", 10, key, S)
    assert first.stored and not again.stored
    assert "重复提交不会重复记录" in again.message
    assert wh.scalar("SELECT count() FROM epi.site_mark FINAL WHERE mark_key = {k:String}", {"k": key}) == 1
    assert audit.recent("site_mark")["subject"].tolist() == ["site:HS-510104-0006"]  # audited once


def test_a_second_click_under_a_new_key_is_harmless_too(wh):
    first = marks.submit(OPERATOR, "HS-510104-0007", "busy", 40, marks.new_key(), S)
    again = marks.submit(OPERATOR, "HS-510104-0007", "busy", 40, marks.new_key(), S)
    assert first.stored and not again.stored
    later = marks.submit(OPERATOR, "HS-510104-0007", "busy", 45, marks.new_key(), S)  # a new wait is a new mark
    assert later.stored
    assert wh.scalar("SELECT count() FROM epi.site_mark FINAL WHERE site_id = 7") == 2


@pytest.mark.parametrize("who,code,state,wait,message", [
    (OPERATOR, "HS-510104-9999", "busy", 30, "采样点编码“HS-510104-9999”不存在：请从列表中选择，或核对编码（形如 HS-510104-0001）。"),
    (OPERATOR, "", "busy", 30, "请选择或填写采样点编码。"),
    (OPERATOR, JINJIANG_SITE, "busy", -5, "排队时长不能为负数（收到 -5 分钟）。"),
    (OPERATOR, JINJIANG_SITE, "busy", 9000, "排队时长 9,000 分钟不合理：应在 0–480 分钟之间，请核对后重新提交。"),
    (OPERATOR, JINJIANG_SITE, "busy", 30.5, "排队时长请填整数分钟（收到 30.5）。"),
    (OPERATOR, JINJIANG_SITE, "busy", None, "请填写排队时长（分钟，整数）。"),
    (OPERATOR, JINJIANG_SITE, "busy", "30", "请填写排队时长（分钟，整数）。"),
    (OPERATOR, JINJIANG_SITE, "clear", 60,
     "标记为畅通，但排队 60 分钟（达到 25 分钟即为繁忙）：请改选繁忙，或核对排队时长。"),
    (OPERATOR, JINJIANG_SITE, "busy", 10,
     "标记为繁忙，但排队只有 10 分钟（不足 25 分钟为畅通）：请改选畅通，或核对排队时长。"),
    (OPERATOR, JINJIANG_SITE, "jammed", 30, "状态“jammed”无法识别：请选择畅通、繁忙或关闭。"),
    (OPERATOR, WUHOU_SITE, "busy", 30,
     "采样点 HS-510107-0001 不在您的管辖范围（510104）内，不能标记；请联系该采样点所在区县。"),
    (Identity("领导", "leadership", ""), JINJIANG_SITE, "busy", 30, "只有区县工作人员可以标记本辖区采样点的状态。"),
])
def test_bad_marks_are_refused_with_one_sentence_and_nothing_written(wh, who, code, state, wait, message):
    before = stored_marks(wh)
    with pytest.raises(marks.MarkRefused) as refused:
        marks.submit(who, code, state, wait, marks.new_key(), S)
    assert str(refused.value) == message
    assert stored_marks(wh) == before
    assert audit.recent("site_mark").empty


def test_a_mark_without_a_key_is_refused(wh):
    with pytest.raises(marks.MarkRefused, match="缺少提交编号"):
        marks.submit(OPERATOR, JINJIANG_SITE, "busy", 30, "", S)


def test_the_live_read_sees_a_new_mark_at_once_while_cached_figures_keep_their_version(wh):
    run = QueryRunner("510104", "v-test")
    since = marks.since(S)
    seen = len(run.live("mass/live_marks", since=since))
    marks.submit(OPERATOR, "HS-510104-0008", "busy", 35, marks.new_key(), S)
    forget_live()  # what the page does after a write
    fresh = run.live("mass/live_marks", since=since)
    assert len(fresh) == seen + 1 and fresh.iloc[0]["site_code"] == "HS-510104-0008"  # newest first


def test_the_wuhou_operator_cannot_see_jinjiang_marks(wh):
    assert registry.run("mass/live_marks", "510107", since=marks.since(S)).empty
