"""English names in code, Chinese words in the UI: the one place they meet."""

ROLES = {
    "leadership": "指挥部领导",
    "analyst": "数据分析员",
    "district_operator": "区县工作人员",
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
    "close_identified": ("新增密接", "人", True),
    "secondary_identified": ("新增次密接", "人", True),
    "transfer_24h_rate": ("密接24小时转运率", "%", False),
    "sites_open": ("开放采样点", "个", False),
    "sites_busy": ("繁忙采样点", "个", True),
    "sites_congested": ("拥堵采样点", "个", True),
    "samples_taken": ("当日采样", "人次", False),
    "pending_a": ("超12小时未出结果", "管", True),
    "pending_b": ("超24小时未出结果", "管", True),
    "appeals_received": ("受理诉求", "件", True),
    "appeals_closed": ("办结诉求", "件", False),
    "appeals_overdue": ("超期未办结", "件", True),
    "screening_dispatched": ("排查下发", "人", False),
    "screening_verified": ("核查完成", "人", False),
    "screening_awaiting": ("待核查", "人", True),
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

SITE_STATES = {"clear": "畅通", "busy": "繁忙", "congested": "拥堵", "closed": "关闭", "unreported": "未上报"}

# what a site lead may mark; congested follows from the wait
MARK_STATES = {"clear": "畅通", "busy": "繁忙", "closed": "关闭"}

SITE_KINDS = {"fixed": "固定点", "temporary": "临时点", "mobile": "流动点"}

SAMPLE_PURPOSES = {"mass": "全员核酸", "routine": "常态化自愿检测", "quarantine": "管控人员检测", "resample": "混管阳性复采"}

ZONE_TIERS = {"high": "封控区", "medium": "管控区", "": "其他区域"}

LAB_STAGES = {"awaiting_receipt": "已采样待送达", "in_lab": "已送达待出结果"}
