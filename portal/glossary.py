"""English names in code, Chinese words in the UI: the one place they meet."""

ROLES = {
    "leadership": "指挥部领导",
    "analyst": "数据分析员",
    "district_operator": "区县工作人员",
    "admin": "系统管理员",
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
