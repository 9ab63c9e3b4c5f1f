"""The 11 source departments and the 96 business categories that feed the theme database."""

from __future__ import annotations

DEPARTMENTS = [
    ("CUSTOMS", "成都海关"),
    ("BORDER", "成都边检总站"),
    ("AIRPORT", "双流、天府国际机场"),
    ("HEALTH", "市卫生健康委"),
    ("CDC", "市疾控中心"),
    ("PSB", "市公安局"),
    ("GOV", "市委社治委"),
    ("BIGDATA", "市大数据中心"),
    ("TRANSPORT", "市交通运输局"),
    ("COMMERCE", "市商务局"),
    ("HOTLINE", "市网络理政办（12345）"),
]

# (department, name, target table); codes are DEPARTMENT-NN in this order.
_CATEGORIES = {
    "CUSTOMS": [("入境人员申报", "screening_record"), ("进口冷链货物", "screening_record"),
                ("入境航班旅客名单", "screening_record"), ("口岸核酸检测", "sample"),
                ("国际邮件快件", "screening_record"), ("入境货车司机", "screening_record"),
                ("海关监管场所人员", "person")],
    "BORDER": [("出入境证件查验", "screening_record"), ("入境航班机组", "screening_record"),
               ("口岸工作人员", "person"), ("边检通道闸机", "trajectory_point"),
               ("入境人员行程", "trajectory_point"), ("边检协查名单", "screening_record")],
    "AIRPORT": [("国内航班旅客", "screening_record"), ("航班机组", "screening_record"),
                ("航站楼场所码", "trajectory_point"), ("机场工作人员", "person"),
                ("机场核酸采样", "sample"), ("行李与货运", "screening_record"),
                ("航班信息", "screening_record")],
    "HEALTH": [("确诊病例", "case_record"), ("无症状感染者", "case_record"),
               ("核酸采样点", "sampling_site"), ("采样点人员排班", "sampling_site"),
               ("核酸检测结果", "sample"), ("发热门诊就诊", "screening_record"),
               ("集中隔离点", "quarantine_hotel"), ("集中隔离人员", "control_episode"),
               ("居家健康监测", "control_episode"), ("疫苗接种", "vaccination"),
               ("120转运", "transfer"), ("定点医院收治", "transfer"), ("实验室", "lab"),
               ("核酸采样点状态", "site_status_report"), ("药店购药登记", "screening_record")],
    "CDC": [("流调报告", "case_record"), ("密切接触者", "contact_edge"),
            ("次密切接触者", "contact_edge"), ("病例轨迹", "trajectory_point"),
            ("风险区域划定", "risk_zone"), ("聚集性疫情", "case_record"),
            ("时空伴随者", "contact_edge"), ("溯源调查", "case_record"),
            ("重点人群采样", "sample"), ("风险人员排查", "screening_record")],
    "PSB": [("常住人口", "person"), ("流动人口", "person"), ("户籍信息", "person"),
            ("基站信令", "trajectory_point"), ("场所码扫码", "place"),
            ("旅馆住宿登记", "screening_record"), ("卡口过车", "trajectory_point"),
            ("视频追踪", "trajectory_point"), ("协查推送", "screening_record"),
            ("重点人员", "screening_record"), ("网吧上网", "trajectory_point")],
    "GOV": [("社区网格", "community"), ("小区院落", "compound"), ("楼栋单元", "compound"),
            ("网格员走访", "screening_record"), ("特殊人群", "person"), ("独居老人", "person"),
            ("封控区物资需求", "appeal"), ("社区核酸组织", "sample"), ("志愿者", "person")],
    "BIGDATA": [("健康码赋码", "health_code_change"), ("健康码扫码", "trajectory_point"),
                ("场所码", "place"), ("核酸检测信息汇聚", "sample"), ("行程卡", "trajectory_point"),
                ("天府健康通申诉", "appeal"), ("数据共享交换", "ingest_batch"),
                ("电子证照", "person")],
    "TRANSPORT": [("铁路旅客", "screening_record"), ("长途客运", "screening_record"),
                  ("网约车订单", "trajectory_point"), ("地铁刷卡", "trajectory_point"),
                  ("公交刷卡", "trajectory_point"), ("出租车", "trajectory_point"),
                  ("货运司机", "screening_record")],
    "COMMERCE": [("物资保障点", "supply_depot"), ("商超经营", "place"), ("农贸市场", "place"),
                 ("冷链仓储", "screening_record"), ("保供企业", "supply_depot"),
                 ("餐饮场所", "place"), ("物资配送", "supply_depot")],
    "HOTLINE": [("12345热线工单", "appeal"), ("网络理政留言", "appeal"), ("市长信箱", "appeal"),
                ("微信诉求", "appeal"), ("回访评价", "appeal"), ("督办件", "appeal"),
                ("紧急诉求", "appeal"), ("舆情线索", "appeal"), ("政务服务评价", "appeal")],
}


def categories() -> list[tuple[str, str, str, str]]:
    """(code, department code, name, target table) for all 96 categories."""
    rows = []
    for dept, items in _CATEGORIES.items():
        for n, (name, table) in enumerate(items, start=1):
            rows.append((f"{dept}-{n:02d}", dept, name, table))
    return rows
