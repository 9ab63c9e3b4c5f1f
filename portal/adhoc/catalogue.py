"""The catalogue: the tables and daily views analysts may query ad hoc, their fields in Chinese.

The catalogue is the only source of identifiers in an ad-hoc query: a table's relation, a
field's SQL expression and the field that carries the jurisdiction all come from here, never
from what a user sends. Each field has a kind (which decides the operators offered and how a
value is read), and personal fields (names, ID numbers, phones) say which mask they take.
"""

from __future__ import annotations

from portal.glossary import (
    APPEAL_CHANNELS,
    APPEAL_TYPES,
    CASE_KINDS,
    CONTACT_KINDS,
    CONTROL_KINDS,
    CONTROL_OUTCOMES,
    FOUND_BY,
    SAMPLE_PURPOSES,
    SAMPLE_RESULTS,
    SCREENING_OUTCOMES,
    SITE_KINDS,
    SITE_STATES,
)
from queries.adhoc import DATE, DATETIME, ENUM, FLAG, FLOAT, INT, STRING, Field, Table
from warehouse.rules.clock import BEIJING_NAME

KIND_LABELS = {INT: "整数", FLOAT: "数值", STRING: "文本", ENUM: "类别", FLAG: "是/否", DATE: "日期", DATETIME: "时间"}


def _units(code: str = "community_code") -> tuple[Field, ...]:
    """The community a row belongs to, with its street and district derived from the code."""
    return (Field("district", "区县代码", STRING, f"substring({code}, 1, 6)", unit=6),
            Field("street", "街道代码", STRING, f"substring({code}, 1, 9)", unit=9),
            Field(code, "社区代码", STRING, unit=12))


def _day(name: str, label: str, of: str) -> Field:
    return Field(name, label, DATE, f"toDate({of}, '{BEIJING_NAME}')")


def _enum(name: str, label: str, choices: dict, expr: str = "") -> Field:
    return Field(name, label, ENUM, expr or f"toString({name})", choices={k: v for k, v in choices.items() if k})


HOP = {"1": "密切接触者（一跳）", "2": "次密切接触者（二跳）"}
CASE_FOUND_BY = {"index": "首发病例", "quarantine_test": "隔离检测发现", "mass_testing": "全员核酸发现"}
RESULT_DAY_NOTE = "无结果的样本计在 2149-06-06"

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("control_episode", "人员管控（密接、次密接）", "epi.control_episode", (
        Field("person_id", "人员编号", INT),
        _enum("kind", "管控类别", CONTACT_KINDS),
        Field("case_id", "关联病例", STRING),
        Field("identified_at", "判定时间", DATETIME),
        _day("identified_day", "判定日期", "identified_at"),
        Field("notified_at", "告知时间", DATETIME),
        Field("transferred_at", "转运时间", DATETIME, nullable=True),
        Field("quarantine_start", "隔离开始", DATETIME),
        Field("quarantine_end", "隔离结束", DATETIME),
        Field("monitoring_end", "健康监测结束", DATETIME, nullable=True),
        Field("released_at", "解除管控时间", DATETIME, nullable=True),
        _enum("outcome", "管控结果", CONTROL_OUTCOMES),
        Field("hotel_id", "集中隔离点编号", INT),
        *_units()), order=("identified_at", "person_id")),
    Table("case_record", "病例", "epi.case_record", (
        Field("case_id", "病例编号", STRING),
        Field("person_id", "人员编号", INT),
        _enum("kind", "病例类别", CASE_KINDS),
        Field("generation", "传播代际", INT),
        Field("cluster", "聚集性疫情", STRING),
        _enum("found_by", "发现途径", CASE_FOUND_BY, "toString(found_by)"),
        Field("infector_case", "传染来源病例", STRING),
        Field("onset_date", "发病日期", DATE, nullable=True),
        Field("sampled_at", "采样时间", DATETIME),
        Field("confirmed_at", "确诊时间", DATETIME),
        _day("confirmed_day", "确诊日期", "confirmed_at"),
        Field("isolated_at", "隔离时间", DATETIME),
        *_units()), order=("confirmed_at", "case_id")),
    Table("contact_edge", "密接关系", "epi.contact_edge", (
        Field("case_id", "链条源头病例", STRING),
        Field("from_person_id", "传出人员编号", INT),
        Field("to_person_id", "接触者人员编号", INT),
        _enum("hop", "接触层级", HOP),
        _enum("found_by", "发现方式", FOUND_BY),
        Field("place_id", "接触场所编号", INT),
        Field("exposure_at", "暴露时间", DATETIME),
        Field("identified_at", "判定时间", DATETIME),
        _day("identified_day", "判定日期", "identified_at"),
        *_units()), order=("case_id", "hop", "to_person_id"), note="社区为接触者的居住地"),
    Table("sample", "核酸样本与结果", "epi.sample", (
        Field("sample_id", "样本编号", INT),
        Field("person_id", "人员编号", INT),
        Field("site_id", "采样点编号", INT),
        Field("hotel_id", "集中隔离点编号", INT),
        Field("lab_id", "检测机构编号", INT),
        Field("tube_id", "试管编号", INT),
        Field("pool_size", "混采人数", INT),
        _enum("purpose", "检测类别", SAMPLE_PURPOSES),
        Field("round_id", "全员核酸轮次", INT),
        Field("protocol_day", "隔离第几天检测", INT),
        Field("sampled_at", "采样时间", DATETIME),
        _day("sampled_day", "采样日期", "sampled_at"),
        Field("received_at", "送达时间", DATETIME, nullable=True),
        Field("result_at", "出结果时间", DATETIME, nullable=True),
        _enum("result", "检测结果", SAMPLE_RESULTS),
        *_units()), order=("sampled_at", "sample_id"), note="社区为受检人的居住地；隔离点内采样的采样点编号为 0"),
    Table("sampling_site", "核酸采样点", "epi.sampling_site", (
        Field("site_id", "采样点编号", INT),
        Field("site_code", "采样点统一编码", STRING),
        Field("name", "采样点名称", STRING),
        _enum("kind", "采样点类型", SITE_KINDS),
        Field("samplers", "采样人员数", INT),
        Field("capacity_per_hour", "每小时采样能力", INT),
        Field("open_hour", "开放时刻", INT),
        Field("close_hour", "关闭时刻", INT),
        Field("lon", "经度", FLOAT),
        Field("lat", "纬度", FLOAT),
        *_units()), order=("site_id",)),
    Table("site_status_report", "采样点状态报告", "epi.site_status_report", (
        Field("site_id", "采样点编号", INT),
        Field("ts", "报告时间", DATETIME),
        _day("report_day", "报告日期", "ts"),
        _enum("state", "排队状态", SITE_STATES),
        Field("queue_minutes", "排队时长（分钟）", INT),
        Field("reported_by", "报告人", STRING),
        _enum("channel", "报告渠道", {"mini_program": "小程序", "command": "指挥部", "auto": "自动"}),
        *_units()), order=("ts", "site_id")),
    Table("appeal", "涉疫诉求", "epi.appeal", (
        Field("appeal_id", "诉求编号", INT),
        _enum("channel", "受理渠道", APPEAL_CHANNELS),
        _enum("type", "诉求类型", APPEAL_TYPES),
        Field("topic", "诉求主题", STRING),
        Field("is_emergency", "紧急诉求", FLAG),
        Field("received_at", "受理时间", DATETIME),
        _day("received_day", "受理日期", "received_at"),
        Field("dispatched_at", "派单时间", DATETIME, nullable=True),
        Field("handled_at", "办理时间", DATETIME, nullable=True),
        Field("replied_at", "答复时间", DATETIME, nullable=True),
        Field("closed_at", "办结时间", DATETIME, nullable=True),
        Field("rated_at", "评价时间", DATETIME, nullable=True),
        Field("rating", "评价星级", INT, nullable=True),
        *_units()), order=("received_at", "appeal_id")),
    Table("screening_record", "排查记录", "query:analysis/screening_records_current", (
        Field("record_id", "记录编号", INT),
        Field("topic_id", "专题编号", INT),
        Field("raw_name", "姓名", STRING, personal="name"),
        Field("raw_id_number", "身份证号码", STRING, personal="id_number"),
        Field("raw_phone", "手机号码", STRING, personal="phone"),
        Field("person_id", "匹配人员编号", INT),
        Field("dup_group", "重复组", INT),
        Field("is_primary", "下发记录", FLAG),
        Field("dispatched_at", "下发时间", DATETIME, nullable=True),
        Field("verified_at", "核查时间", DATETIME, nullable=True),
        _enum("outcome", "核查结果", SCREENING_OUTCOMES, "outcome"),
        Field("escalated", "已移交流调", FLAG),
        Field("src_department", "来源部门", STRING),
        *_units()), order=("record_id",), note="每条来源记录都保留（排重不去重）；核查结果为平台登记的最新结果"),
    Table("quarantine_hotel", "集中隔离点", "epi.quarantine_hotel", (
        Field("hotel_id", "隔离点编号", INT),
        Field("name", "隔离点名称", STRING),
        Field("rooms", "房间数", INT),
        Field("lon", "经度", FLOAT),
        Field("lat", "纬度", FLOAT),
        *_units()), order=("hotel_id",)),
    Table("agg_control_daily", "管控人员进出（按日）", "epi.agg_control_daily FINAL", (
        Field("day", "日期", DATE),
        _enum("kind", "管控方式", CONTROL_KINDS, "kind"),
        Field("delta", "进出人数", INT),
        *_units()), order=("day", "community_code", "kind"), additive=("delta",),
        note="每人进入管控方式记 +1、离开记 −1：某日 24 时在管人数 = 截至该日的进出人数合计"),
    Table("agg_cases_daily", "新增感染者（按日）", "epi.agg_cases_daily FINAL", (
        Field("day", "确诊日期", DATE),
        _enum("kind", "病例类别", CASE_KINDS, "kind"),
        Field("cases", "新增例数", INT),
        *_units()), order=("day", "community_code", "kind"), additive=("cases",)),
    Table("agg_contacts_daily", "新增管控密接与次密接（按日）", "epi.agg_contacts_daily FINAL", (
        Field("day", "判定日期", DATE),
        _enum("kind", "管控类别", CONTACT_KINDS, "kind"),
        Field("identified", "新纳入管控人数", INT),
        Field("transferred_24h", "24小时内转运人数", INT),
        *_units()), order=("day", "community_code", "kind"), additive=("identified", "transferred_24h")),
    Table("agg_samples_hourly", "采样量（按小时）", "epi.agg_samples_hourly FINAL", (
        Field("sampled_hour", "采样时段", DATETIME),
        _day("sampled_day", "采样日期", "sampled_hour"),
        Field("result_day", "出结果日期", DATE),
        _enum("purpose", "检测类别", SAMPLE_PURPOSES, "purpose"),
        Field("samples", "样本数", INT),
        Field("positives", "阳性数", INT),
        *_units()), order=("sampled_hour", "community_code", "purpose", "result_day"),
        additive=("samples", "positives"), note=RESULT_DAY_NOTE),
    Table("agg_appeals_daily", "涉疫诉求（按日）", "epi.agg_appeals_daily FINAL", (
        Field("received_day", "受理日期", DATE),
        Field("closed_day", "办结日期", DATE),
        _enum("type", "诉求类型", APPEAL_TYPES, "type"),
        Field("appeals", "诉求件数", INT),
        Field("rated", "已评价件数", INT),
        Field("rating_sum", "评价星级合计", INT),
        *_units()), order=("received_day", "community_code", "type", "closed_day"),
        additive=("appeals", "rated", "rating_sum"), note="未办结的诉求计在办结日期 2149-06-06"),
    Table("agg_screening_daily", "排查核查（按日）", "epi.agg_screening_daily FINAL", (
        Field("dispatched_day", "下发日期", DATE),
        Field("verified_day", "核查日期", DATE),
        _enum("outcome", "核查结果", SCREENING_OUTCOMES, "outcome"),
        Field("persons", "人数", INT),
        *_units()), order=("dispatched_day", "community_code", "outcome", "verified_day"), additive=("persons",),
        note="按人员（重复组）计；未核查的计在核查日期 2149-06-06；不含平台上登记的核查结果"),
)}


def table(name: str) -> Table | None:
    return TABLES.get(name) if isinstance(name, str) else None
