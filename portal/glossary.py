"""English names in code, Chinese words in the UI: the one place they meet."""

from typing import NamedTuple

# what every figure means (one source: portal/definitions.py, docs/glossary.md)
from portal.definitions import DEFINITIONS, Definition, definition, help_for, help_for_all  # noqa: F401

ROLES = {
    "leadership": "指挥部领导",
    "analyst": "数据分析员",
    "district_operator": "区县工作人员",
    "admin": "系统管理员",
    "display": "显示屏",
}

# audit event kinds as the audit-log page names them (a kind not listed shows as stored)
AUDIT_KINDS = {
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "lockout": "账号锁定",
    "sign_out": "退出登录",
    "user_add": "添加用户",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "user_role": "更改角色",
    "password_reset": "重设密码",
    "unmask_grant": "授予查看完整信息",
    "unmask_revoke": "取消查看完整信息",
    "person_file_view": "查看一人一档",
    "screening_outcome": "核查结果",
    "screening_dispatch": "专题下发",
    "alert_new": "新预警",
    "alert_acknowledge": "确认预警",
    "alert_handle": "处置预警",
    "alert_clear": "预警解除",
    "alert_escalate": "预警升级",
    "export": "导出",
    "audit_export": "导出审计日志",
    "unmask": "查看完整信息",
    "site_mark": "采样点现场标记",
}

# what an audit event is about: the prefix of its subject ("person:12") in words
AUDIT_SUBJECTS = {
    "person": "人员", "user": "用户", "site": "采样点", "adhoc": "自助分析", "alert": "预警",
    "screening_record": "排查记录", "screening_topic": "排查专题", "export": "导出", "batch": "批次",
    "rejects": "拒收行", "audit_log": "审计日志", "chain": "传播链", "companions": "时空伴随者",
    "alerts": "闭环预警名单", "pools": "阳性混管", "hotel": "集中隔离点", "hotel-": "集中隔离人员",
    "appeal": "诉求", "category": "数据源类别", "community_case": "社区病例", "district": "区（市）县",
    "topic": "诉求话题",
}

LEVELS = {0: "全市", 6: "区（市）县", 9: "街道（镇）", 12: "社区（村）"}

CONTROL_KINDS = {
    "centralized": "集中隔离",
    "home_quarantine": "居家隔离",
    "home_monitoring": "居家健康监测",
}

CASE_KINDS = {"confirmed": "确诊病例", "asymptomatic": "无症状感染者"}

TREND_METRICS = {
    "confirmed": "新增确诊",
    "asymptomatic": "新增无症状",
    "under_control": "在管人员",
    "samples_taken": "采样人次",
    "appeals_received": "涉疫诉求",
}

# indicator key → (label, unit, higher is worse)
INDICATORS = {
    "under_control": ("在管人员", "人", True),
    "centralized": ("集中隔离", "人", True),
    "home_quarantine": ("居家隔离", "人", True),
    "home_monitoring": ("居家健康监测", "人", True),
    "confirmed": ("新增确诊", "例", True),
    "asymptomatic": ("新增无症状", "例", True),
    "cases_to_date": ("累计感染者", "例", True),
    "close_named": ("当日判定密接", "人", True),
    "close_identified": ("新增管控密接", "人", True),
    "secondary_identified": ("新增管控次密接", "人", True),
    "transfer_24h_rate": ("密接24小时转运率（前一日判定）", "%", False),
    "sites_open": ("开放采样点", "个", False),
    "sites_busy": ("繁忙采样点", "个", True),
    "sites_congested": ("拥堵采样点", "个", True),
    "sites_congested_ever": ("当日曾拥堵采样点", "个", True),
    "samples_taken": ("当日采样", "人次", False),
    "pending_a": ("超12小时未出结果", "管", True),
    "pending_b": ("超24小时未出结果", "管", True),
    "appeals_received": ("受理诉求", "件", True),
    "appeals_closed": ("当日办结诉求", "件", False),
    "appeals_overdue": ("超期未办结", "件", True),
    "screening_dispatched": ("排查下发", "人", False),
    "screening_verified": ("核查完成", "人", False),
    "screening_awaiting": ("待核查", "人", True),
    "community_cases": ("社会面新增", "例", True),
    "in_control_cases": ("管控内新增", "例", True),
}

CONTROL_OUTCOMES = {
    "released": "已解除管控",
    "in_progress": "管控中",
    "became_case": "转为病例",
    "": "未纳入管控",
}

FOUND_BY = {"household": "同住家庭", "companion": "时空伴随", "investigation": "流调排查"}

CONTACT_KINDS = {"close_contact": "密切接触者", "secondary_contact": "次密切接触者"}

ALERTS = {"not_transferred": "判定后超时未转运", "missing_test": "隔离期应检未检"}

ZONE_TIERS = {"high": "高风险区（封控区）", "medium": "中风险区（管控区）", "low": "低风险区（防范区）", "total": "合计"}
ZONE_TIER_SHORT = {"high": "封控", "medium": "管控", "low": "防范", "total": "合计"}

# zone statistics columns → Chinese headers
ZONE_COUNTS = {
    "area_km2": "面积（km²）",
    "compounds": "小区（个）",
    "households": "户数",
    "residents": "居民（人）",
    "owners": "业主（人）",
    "aged_80_plus": "80岁以上",
    "pregnant": "孕产妇",
    "dialysis": "透析患者",
    "disabled": "残疾人",
    "infant": "婴幼儿",
    "cases": "居住病例",
    "under_control": "在管人员",
}

DEPOT_KINDS = {"food": "生活物资", "medical": "医疗物资", "ppe": "防护物资"}

BATCH_STATUS = {"complete": "已完成", "loading": "载入中或已中断", "failed": "读取失败", "refused": "已拒收"}

FEED_STATES = {"fresh": "正常", "stale": "超时未更新", "never": "未接入文件"}

THEME_TABLES = {
    "person": "人员", "vaccination": "疫苗接种", "health_code_change": "健康码变更",
    "trajectory_point": "轨迹点", "sample": "核酸样本", "site_status_report": "采样点状态",
    "case_record": "病例", "contact_edge": "密接关系", "transfer": "转运", "control_episode": "人员管控",
    "screening_record": "排查记录", "appeal": "涉疫诉求", "risk_zone": "风险区", "compound": "小区院落",
    "place": "场所", "sampling_site": "采样点", "quarantine_hotel": "集中隔离点", "supply_depot": "物资保障点",
    "community": "社区", "lab": "实验室", "ingest_batch": "数据批次",
}
SITE_STATES = {"clear": "畅通", "busy": "繁忙", "congested": "拥堵", "closed": "关闭", "unreported": "未上报"}

# what a site lead may mark; congested follows from the wait
MARK_STATES = {"clear": "畅通", "busy": "繁忙", "closed": "关闭"}

SITE_KINDS = {"fixed": "固定点", "temporary": "临时点", "mobile": "流动点"}

SAMPLE_PURPOSES = {"mass": "全员核酸", "routine": "常态化自愿检测", "quarantine": "管控人员检测", "resample": "混管阳性复采"}

# the zone a community's residents were in during a testing round (its first-round target)
ROUND_ZONES = {"high": "封控区", "medium": "管控区", "": "其他区域"}

LAB_STAGES = {"awaiting_receipt": "已采样待送达", "in_lab": "已送达待出结果"}

APPEAL_TYPES = {"consultation": "咨询", "help": "求助", "complaint": "投诉", "report": "举报", "suggestion": "建议"}
APPEAL_CHANNELS = {"hotline": "12345热线", "web": "网站", "wechat": "微信", "mayor_mailbox": "市长信箱"}
# the closed loop of an appeal, step by step
APPEAL_STEPS = {"received": "受理", "dispatched": "派单", "handled": "办理", "replied": "答复", "closed": "办结",
                "rated": "评价"}
APPEAL_STAGES = {"received": "已受理待派单", "dispatched": "已派单待办理", "handled": "已办理待答复",
                 "replied": "已答复待办结"}

HOTEL_WARNINGS = {"occupancy": "入住率超阈值", "past_release": "超期未解除隔离", "missing_test": "应检未检"}

# screening topics (排查专题) and one person, one file (一人一档)
SCREENING_OUTCOMES = {"pending": "待核查", "verified": "已核实", "unreachable": "无法联系", "uncooperative": "不配合"}
HEALTH_CODES = {"green": "绿码", "yellow": "黄码", "red": "红码", "": "无记录"}
SEARCH_KINDS = {"id_number": "身份证号码", "phone": "手机号码", "name": "姓名"}
SPECIAL_FLAGS = {"aged_80_plus": "80岁以上", "pregnant": "孕产妇", "dialysis": "透析患者", "disabled": "残疾人",
                 "infant": "婴幼儿", "is_owner": "房屋业主"}
TIMELINE_KINDS = {
    "vaccination": "疫苗接种", "health_code": "健康码", "screening": "风险排查", "contact": "密接判定",
    "transfer": "转运", "control": "隔离管控", "sample": "核酸检测", "case": "病例", "trajectory": "行程轨迹",
}
SAMPLE_RESULTS = {"pending": "待出结果", "negative": "阴性", "positive": "阳性"}


# -- column glossary ---------------------------------------------------------------------------
# One meaning, one header: the query's (or a portal function's) English column name → the
# header every table and export shows, and how its values are formatted. portal.ui applies it,
# so a page hands over the frame as the query returned it. Formats: "id" codes and numbers
# shown as they are (no thousands separators), "count" whole numbers, "number" decimals,
# "pct" percentages, "text", "time", "date". A column not listed here keeps its name.
class Column(NamedTuple):
    label: str
    fmt: str = "text"


def _indicator_columns() -> dict[str, Column]:
    return {k: Column(label, "pct" if unit == "%" else "count") for k, (label, unit, _) in INDICATORS.items()}


COLUMNS: dict[str, Column] = {
    # places and units
    "unit_code": Column("代码", "id"), "name": Column("名称"),
    "district_code": Column("区（市）县代码", "id"), "district": Column("区（市）县"),
    "district_name": Column("区（市）县"),
    "street_code": Column("街道代码", "id"), "street_name": Column("街道（镇）"),
    "community_code": Column("社区代码", "id"), "community_name": Column("社区"),
    "home_community_code": Column("居住社区", "id"),
    "compound_id": Column("小区编号", "id"), "compound_name": Column("小区"),
    "lon": Column("经度", "number"), "lat": Column("纬度", "number"), "cell": Column("网格", "id"),
    "place_name": Column("接触场所"), "population": Column("常住人口", "count"),
    "density": Column("人口密度（人/km²）", "count"),
    "residents": Column("居民（人）", "count"),
    # people
    "person_id": Column("人员编号", "id"), "person_name": Column("姓名"), "to_person_id": Column("人员编号", "id"),
    # personal columns under their query names: the Chinese header is what masks them
    "id_number": Column("身份证号码", "id"), "phone": Column("手机号码", "id"),
    "raw_name": Column("姓名（原始）"), "raw_id_number": Column("身份证号码（原始）", "id"),
    "raw_phone": Column("手机号码（原始）", "id"),
    # cases, contacts and transfers
    "case_id": Column("病例", "id"), "hop": Column("层级"), "found_by": Column("发现方式"),
    "outcome": Column("管控状态"), "control_outcome": Column("管控状态"),
    "exposure_at": Column("接触时间", "time"), "identified_at": Column("判定时间", "time"),
    "alert": Column("预警"), "alert_note": Column("说明"),
    "identified": Column("判定", "count"), "notified": Column("告知", "count"),
    "transferred": Column("转运", "count"), "quarantined": Column("隔离", "count"),
    "monitored": Column("健康监测", "count"), "released": Column("解除", "count"),
    "became_case": Column("转为病例", "count"),
    "h_notify": Column("判定→告知（时）", "number"), "h_transfer": Column("告知→转运（时）", "number"),
    "h_to_quarantine": Column("判定→隔离（时）", "number"),
    "d_quarantine": Column("隔离（天）", "number"), "d_monitoring": Column("健康监测（天）", "number"),
    "kind": Column("类型"), "confirmed_at": Column("确诊", "time"), "dispatched_at": Column("120派车", "time"),
    "arrived_at": Column("到达", "time"), "min_to_dispatch": Column("确诊→派车（分）", "count"),
    "min_on_the_way": Column("途中（分）", "count"), "min_total": Column("合计（分）", "count"),
    "vehicle": Column("车辆"), "destination": Column("去向"),
    # trajectories and companions
    "place": Column("场所"), "ts": Column("时间", "time"), "left_at": Column("离开", "time"),
    "dwell_minutes": Column("停留（分钟）", "count"), "case_ids": Column("病例"), "times": Column("到访时间"),
    "overlap_minutes": Column("伴随时长（分钟）", "number"), "first_at": Column("首次伴随", "time"),
    "companion_place": Column("地点"), "known_contact": Column("已知密接"), "same_household": Column("同户"),
    "companion_community": Column("伴随所在社区"), "home_community": Column("居住社区"),
    # sampling sites, marks and dispatch
    "site_code": Column("采样点编码", "id"), "site_name": Column("采样点"),
    "state": Column("排队状态"), "queue_minutes": Column("预计等候（分钟）", "count"),
    "open_hours": Column("开放时间"), "updated": Column("更新时间"), "report_source": Column("来源"),
    "marked_at": Column("标记时间", "time"), "operator": Column("标记人"),
    "samplers": Column("现有采样员", "count"), "samplers_to_add": Column("建议增派采样员", "count"),
    "alternatives": Column("可分流至"), "sites": Column("采样点", "count"),
    "samplers_needed": Column("应配采样员", "count"), "shortfall": Column("缺口（人）", "count"),
    # testing progress and labs
    "hour": Column("时", "id"), "samples": Column("采样（人次）", "count"),
    "capacity": Column("产能（人次，折算）", "number"),
    "samples_sum": Column("当日采样（人次）", "count"), "samples_peak": Column("高峰小时采样（人次）", "count"),
    "peak_capacity": Column("高峰小时产能（人次，折算）", "count"), "use_pct": Column("高峰负荷（%）", "pct"),
    "zone": Column("区域"), "target_hours": Column("时限（小时）", "count"),
    "sampled_in_target": Column("时限内已采样（人）", "count"), "sampled": Column("本轮已采样（人）", "count"),
    "share_pct": Column("时限内覆盖率（%）", "pct"), "people_per_site": Column("每点服务人口", "count"),
    "sites_missing": Column("缺少采样点", "count"), "farthest_m": Column("最远小区距离（米）", "count"),
    "compounds_outside": Column("圈外小区", "count"),
    "lab_name": Column("实验室"), "capacity_per_day": Column("日检测能力（管）", "count"),
    "tubes": Column("待检（管）", "count"), "under_6h": Column("采样不足6小时", "count"),
    "h6_12": Column("6–12小时", "count"), "h12_24": Column("12–24小时", "count"),
    "over_24h": Column("超过24小时", "count"),
    "tube_id": Column("混管编号", "id"), "round_id": Column("轮次", "id"), "sampled_at": Column("采样时间", "time"),
    "pool_result_at": Column("混管阳性时间", "time"), "resampled_at": Column("复采时间", "time"),
    "resample_status": Column("复采状态"),
    "day": Column("日期", "date"), "day_kind": Column("类别"), "actual": Column("实际到检（人次）", "number"),
    "predicted": Column("预测到检（人次）", "number"), "mae": Column("平均绝对误差（人次/点·时）", "number"),
    "mape_pct": Column("逐时合计平均百分比误差（%）", "pct"), "expected_total": Column("合计", "number"),
    # appeals
    "appeal_id": Column("诉求编号", "id"), "type": Column("类型"), "topic": Column("话题"), "channel": Column("渠道"),
    "received_at": Column("受理时间", "time"), "stage": Column("环节"),
    "worked_days": Column("已用工作日", "count"), "limit_days": Column("时限（工作日）", "count"),
    "appeals": Column("件", "count"),
    "received": Column("受理", "count"), "closed": Column("其中已办结", "count"), "open_now": Column("在办", "count"),
    "overdue": Column("超期未办结", "count"), "closed_late": Column("超期办结", "count"),
    "emergencies_late": Column("紧急超时", "count"), "satisfied_pct": Column("满意率（%）", "pct"),
    "rated": Column("评价（条）", "count"),
    # screening
    "topic_id": Column("专题编号", "id"), "topic_name": Column("专题"), "created_at": Column("建立时间", "time"),
    "source_departments": Column("来源部门"), "records": Column("来源记录（条）", "count"),
    "matched": Column("已匹配人员（条）", "count"), "dispatched": Column("已下发（人）", "count"),
    "records_by_department": Column("各部门记录"),
    "verified": Column("已核实", "count"), "unreachable": Column("无法联系", "count"),
    "uncooperative": Column("不配合", "count"), "awaiting": Column("待核查", "count"),
    "escalated": Column("转流调", "count"), "rate": Column("完成率（%）", "pct"),
    # data sources
    "department": Column("部门"), "department_code": Column("部门代码", "id"), "categories": Column("业务类别", "count"),
    "fed": Column("已接入", "count"), "stale": Column("超时未更新", "count"), "batches": Column("批次", "count"),
    "rows_read": Column("读取行数", "count"), "rows_loaded": Column("载入行数", "count"),
    "rows_rejected": Column("拒收行数", "count"), "last_loaded_at": Column("最近载入"),
    "category_code": Column("类别代码", "id"), "category": Column("业务类别"), "target_table": Column("写入主题表"),
    "feed_state": Column("状态"), "age_hours": Column("距今（小时）"),
    "batch_id": Column("批次编号", "id"), "file_name": Column("文件"), "file_format": Column("格式"),
    "encoding": Column("编码"), "status": Column("状态"), "finished_at": Column("完成时间"), "message": Column("说明"),
    "row_number": Column("行号", "id"), "column_name": Column("字段"), "reason": Column("原因"), "raw": Column("原始内容"),
    # audit log
    "event_id": Column("编号", "id"), "at": Column("时间", "time"), "event": Column("事件"), "actor": Column("操作人"),
    "role": Column("角色"), "scope": Column("管辖范围", "id"), "subject": Column("对象"), "detail": Column("说明"),
    # zones, hotels and depots
    "tier": Column("风险区等级"), "tier_label": Column("等级"), "zone_name": Column("风险区"),
    "start_at": Column("生效时间", "time"), "last_case": Column("最近病例确诊日", "date"),
    "days_since": Column("无新增天数", "count"), "suggested_lift": Column("建议解除日期", "date"),
    "zone_source": Column("来源"), "reasons": Column("涉及病例"),
    "plan": Column("方案"), "plan_id": Column("方案编号", "id"), "plan_name": Column("方案名称"),
    "author": Column("制定人"), "as_of": Column("依据日期", "date"), "plan_status": Column("状态"),
    "published_at": Column("生效时间", "time"),
    "hotel_id": Column("编号", "id"), "hotel_name": Column("隔离点"), "rooms": Column("房间", "count"),
    "staying": Column("在住（人）", "count"), "occupancy_pct": Column("入住率（%）", "pct"),
    "arrivals_24h": Column("待入住", "count"), "releases_24h": Column("24小时内应解除", "count"),
    "past_release": Column("超期未解除", "count"), "missing_test_people": Column("应检未检（人）", "count"),
    "quarantine_start": Column("隔离开始", "time"), "release_due": Column("应解除时间", "time"),
    "missed_days": Column("未检的隔离日（第几天）"), "in_use": Column("在住", "count"),
    "free": Column("空余", "count"), "distance_km": Column("距离（km）", "number"),
    "depot_name": Column("保障点"), "depot_kind": Column("类别"), "reserve_t": Column("储备（吨）", "number"),
    **{k: Column(v, "number" if k == "area_km2" else "count") for k, v in ZONE_COUNTS.items()},
    # 社会面清零 and the outlook (疫情研判): Rt, growth, the projection and its record
    "last_community_day": Column("最近社会面病例日", "date"),
    "community_free_days": Column("无社会面病例天数", "count"), "community_zero": Column("社会面清零"),
    "unit_name": Column("区域"), "recent_cases": Column("近7日病例（例）", "count"),
    "window_cases": Column("窗口内病例（例）", "count"), "rt_mean": Column("Rt（后验均值）", "number"),
    "rt_lo": Column("Rt 95%可信区间下限", "number"), "rt_hi": Column("Rt 95%可信区间上限", "number"),
    "rt_day": Column("Rt 所在日", "date"), "growth_rate": Column("日增长率", "number"),
    "doubling_days": Column("倍增时间（天）", "number"), "halving_days": Column("减半时间（天）", "number"),
    "expected_cases": Column("预测病例（例）", "number"), "expected_lo": Column("预测区间下限（例）", "count"),
    "expected_hi": Column("预测区间上限（例）", "count"), "origin_day": Column("预测所在日", "date"),
    "days_passed": Column("已到天数", "count"), "projected_cases": Column("预测合计（例）", "number"),
    "projected_lo": Column("预测区间下限合计（例）", "count"), "projected_hi": Column("预测区间上限合计（例）", "count"),
    "actual_cases": Column("实际合计（例）", "count"), "abs_error": Column("日均绝对误差（例）", "number"),
    "inside_days": Column("落在区间内天数", "count"),
    # alert centre (portal.alerts)
    "alert_id": Column("预警编号", "id"), "severity": Column("级别"), "alert_rule": Column("预警规则"),
    "area_code": Column("区划代码", "id"), "alert_detail": Column("预警内容"), "alert_value": Column("当前值", "number"),
    "alert_state": Column("状态"), "alert_escalation": Column("升级"), "first_seen": Column("首次发现", "time"),
    "last_seen": Column("最近发现", "time"), "acknowledged_by": Column("确认人"), "handled_by": Column("处置人"),
    "alert_rules": Column("预警规则"), "alerts": Column("预警（条）", "count"),
    # indicators (cockpit, briefing): the cockpit's own words
    **_indicator_columns(),
}


def label(name: str) -> str:
    """The header of a column: its glossary label, or the name itself when not listed."""
    col = COLUMNS.get(name)
    return col.label if col else name


def fmt_of(name: str) -> str | None:
    col = COLUMNS.get(name)
    return col.fmt if col else None


def headed(df):
    """The frame with glossary headers (columns not in the glossary keep their names)."""
    named = {c: COLUMNS[c].label for c in df.columns if isinstance(c, str) and c in COLUMNS}
    return df.rename(columns=named) if named else df
