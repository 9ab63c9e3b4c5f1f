"""The 自助分析 page (AppTest): who may open it, a filter built row by row previews the hand-
counted figures, a wrong value gets one message, a saved filter opens for another user under
their own scope, and personal fields show masked."""

from pathlib import Path

import pytest
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.adhoc import saved_filters
from portal.auth import audit
from portal.auth.session import Identity

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "pages" / "adhoc.py")


pytestmark = pytest.mark.usefixtures("own_audit_store")  # an audit store of its own per test


def opened(identity):
    at = AppTest.from_file(PAGE, default_timeout=120)
    put_identity(at, identity)
    at.run()
    assert not at.exception
    return at


def preview_frame(at):
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at.dataframe[-1].value


def button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("role,scope", [("analyst", ""), ("leadership", ""), ("district_operator", "510104")])
def test_the_page_opens_for_analysts_leaders_and_operators(tiny_warehouse, role, scope):
    at = opened(Identity("测试", role, scope))
    assert at.title[0].value == "自助分析" and not at.error
    assert at.selectbox(key="ah-table").value == "control_episode"
    assert ("本辖区（510104）" if scope else "查询范围：全市") in at.caption[0].value


def test_an_admin_is_refused_with_a_message(tiny_warehouse):
    at = opened(Identity("管理员", "admin", ""))
    assert at.error[0].value.startswith("自助分析仅供数据分析员、指挥部领导和区县工作人员")
    assert not at.selectbox and not at.dataframe


def test_a_filter_built_on_the_page_previews_the_hand_count(tiny_warehouse, wh):
    at = opened(Identity("测试", "district_operator", "510104"))
    button(at, "＋ 添加条件").click().run()
    at.selectbox(key="ah-f0-field").set_value("identified_day").run()
    at.selectbox(key="ah-f0-op").set_value("between").run()
    at.text_input(key="ah-f0-v").input("2022-02-25")
    at.text_input(key="ah-f0-v2").input("2022-03-01")
    at.multiselect(key="ah-group").set_value(["kind"]).run()
    at.selectbox(key="ah-order").set_value("m0").run()
    at.checkbox(key="ah-desc").check().run()
    button(at, "预览").click().run()
    frame = preview_frame(at)
    hand = wh.rows("SELECT toString(kind), count() AS n FROM epi.control_episode WHERE startsWith(community_code, '510104') "
                   "AND toDate(identified_at, 'Asia/Shanghai') BETWEEN '2022-02-25' AND '2022-03-01' GROUP BY kind "
                   "ORDER BY n DESC, kind")
    words = {"close_contact": "密切接触者", "secondary_contact": "次密切接触者"}
    assert frame.values.tolist() == [[words[k], n] for k, n in hand]
    assert list(frame.columns) == ["管控类别", "计数"]
    assert f"共 {len(hand)} 组。" in [c.value for c in at.caption]
    # a second condition, then removed: the figures come back
    button(at, "＋ 添加条件").click().run()
    at.selectbox(key="ah-f1-field").set_value("hotel_id").run()
    at.text_input(key="ah-f1-v").input("abc").run()
    button(at, "预览").click().run()
    assert [e.value for e in at.error] == ["“abc”不是整数：“集中隔离点编号”需要整数，例如 12。"]
    assert len(at.dataframe) == 1  # only the catalogue: nothing ran
    at.button(key="ah-f1-drop").click().run()
    button(at, "预览").click().run()
    assert preview_frame(at).values.tolist() == [[words[k], n] for k, n in hand]


def test_a_capped_preview_says_so(tiny_warehouse, wh, monkeypatch):
    monkeypatch.setenv("EPI_ADHOC_PREVIEW_ROWS", "25")
    at = opened(Identity("测试", "analyst", ""))
    at.selectbox(key="ah-table").set_value("appeal").run()
    button(at, "预览").click().run()
    frame = preview_frame(at)
    total = wh.scalar("SELECT count() FROM epi.appeal")
    assert len(frame) == 25
    assert at.warning[0].value.startswith(f"共 {total:,} 行，预览只显示前 25 行")


def test_a_shared_filter_opens_for_an_operator_under_their_scope(tiny_warehouse, wh):
    at = opened(Identity("分析员甲", "analyst", ""))
    at.selectbox(key="ah-table").set_value("case_record").run()
    at.multiselect(key="ah-group").set_value(["district"]).run()
    at.text_input(key="ah-save-name").input("各区病例")
    at.checkbox(key="ah-save-shared").check()
    button(at, "保存当前条件").click().run()
    assert at.success[0].value == "已保存“各区病例”并共享。"
    button(at, "保存当前条件").click().run()
    assert at.error[0].value == "您已有名为“各区病例”的筛选：请换一个名称，或先删除原有的。"
    at.run()
    button(at, "取消共享").click().run()
    assert saved_filters.listed(Identity("分析员乙", "analyst", "")).empty
    button(at, "共享").click().run()

    operator = Identity("锦江区值班员", "district_operator", "510104")
    op = opened(operator)
    [filter_id] = saved_filters.listed(operator)["filter_id"].tolist()
    op.selectbox(key="ah-saved").set_value(filter_id).run()
    button(op, "打开").click().run()
    assert op.selectbox(key="ah-table").value == "case_record"
    frame = preview_frame(op)
    mine = wh.scalar("SELECT count() FROM epi.case_record WHERE startsWith(community_code, '510104')")
    assert frame.values.tolist() == [["510104", "锦江区", mine]]


def test_personal_fields_show_masked_and_unmasking_is_audited(tiny_warehouse, wh):
    first = wh.query_df("SELECT record_id, raw_name, raw_id_number FROM epi.screening_record WHERE raw_id_number != '' "
                        "ORDER BY record_id LIMIT 1").iloc[0]
    at = opened(Identity("测试", "analyst", ""))
    at.selectbox(key="ah-table").set_value("screening_record").run()
    at.multiselect(key="ah-cols").set_value(["record_id", "raw_name", "raw_id_number"]).run()
    button(at, "预览").click().run()
    row = preview_frame(at).set_index("记录编号").loc[first.record_id]
    assert row["身份证号码"] == first.raw_id_number[:6] + "********" + first.raw_id_number[-4:]
    assert row["姓名"] == first.raw_name[0] + "*" * (len(first.raw_name) - 1)
    assert "ah-unmask" not in [c.key for c in at.checkbox]

    boss = opened(Identity("测试", "analyst", "", can_unmask=True))
    boss.selectbox(key="ah-table").set_value("screening_record").run()
    boss.multiselect(key="ah-cols").set_value(["record_id", "raw_id_number"]).run()
    boss.checkbox(key="ah-unmask").check().run()
    button(boss, "预览").click().run()
    assert preview_frame(boss).set_index("记录编号").loc[first.record_id, "身份证号码"] == first.raw_id_number
    boss.run()
    assert audit.recent("unmask")["subject"].tolist() == ["adhoc:screening_record"]  # once per preview, not per rerun


def test_a_saved_filter_with_every_kind_of_value_opens_into_the_form(tiny_warehouse, wh):
    definition = {"table": "appeal", "group_by": ["type"], "filters": [
        {"field": "is_emergency", "op": "eq", "value": "否"},
        {"field": "type", "op": "in", "value": ["咨询", "help"]},
        {"field": "rating", "op": "between", "value": [2, "5"]},
        {"field": "topic", "op": "in", "value": ["隔离政策咨询", "集中隔离点"]},
        {"field": "received_at", "op": "ge", "value": "2022-02-20 08:00"}]}
    analyst = Identity("分析员甲", "analyst", "")
    saved_filters.save(analyst, "各类诉求", definition, shared=True)
    at = opened(analyst)
    button(at, "打开").click().run()
    assert at.selectbox(key="ah-f0-field").value == "is_emergency" and at.selectbox(key="ah-f0-v").value == "否"
    assert at.multiselect(key="ah-f1-v").value == ["consultation", "help"]
    assert (at.text_input(key="ah-f2-v").value, at.text_input(key="ah-f2-v2").value) == ("2", "5")
    assert at.text_area(key="ah-f3-v").value == "隔离政策咨询\n集中隔离点"
    hand = wh.rows("SELECT toString(type), count() FROM epi.appeal WHERE is_emergency = 0 AND type IN ('consultation', 'help') "
                   "AND rating BETWEEN 2 AND 5 AND topic IN ('隔离政策咨询', '集中隔离点') "
                   "AND received_at >= toDateTime('2022-02-20 08:00:00', 'Asia/Shanghai') GROUP BY 1 ORDER BY 1")
    assert hand
    words = {"consultation": "咨询", "help": "求助"}
    assert preview_frame(at).values.tolist() == [[words[k], n] for k, n in hand]
    button(at, "预览").click().run()  # the form, read back, asks the same
    assert preview_frame(at).values.tolist() == [[words[k], n] for k, n in hand]
