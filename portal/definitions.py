"""What every figure means: the one glossary of definitions the queries, the pages, the daily
briefing and docs/glossary.md share (re-exported by portal.glossary).

A definition says what is counted (people, people-times, samples, tubes, appeals, sites …), the
window, the cut and the unit, and one plain Chinese sentence; each is written from the query
that computes the figure (named in `source`). Pages show it as the help of a KPI card or a
table header; the briefing's XLSX and Word carry it as 口径; docs/glossary.md is generated from
it (`glossary_markdown`, checked by a test). Keys are the figure's English name in code: an
indicator key (portal.glossary.INDICATORS) or a column name (portal.glossary.COLUMNS).
"""

from __future__ import annotations

from typing import NamedTuple


class Definition(NamedTuple):
    label: str  # the word on the page
    counts: str  # what is counted: 人 / 人次 / 份样本 / 管 / 件 / 个 / 例 …
    window: str  # which events fall in the figure
    cut: str  # the moment the figure is taken at
    unit: str
    text: str  # one plain sentence
    source: str = ""  # the query or function that computes it

    def help(self) -> str:
        """The hover text of a card or a header: the sentence, then the four parts."""
        return (f"{self.text}\n\n统计对象：{self.counts}；时间范围：{self.window}；"
                f"截止：{self.cut}；单位：{self.unit}")

    def line(self) -> str:
        """The 口径 of one row of the briefing's XLSX and Word, in one line."""
        return f"{self.text}（统计对象：{self.counts}；时间范围：{self.window}；截止：{self.cut}）"


DAY = "当日0时至24时（北京时间）"
AT_24 = "截至当日24时（北京时间）"
_EPISODE = "管控记录（每人一条）"


def _d(label, counts, window, cut, unit, text, source=""):
    return Definition(label, counts, window, cut, unit, text, source)


# -- 指挥总览 and 每日简报: the cockpit's indicators (portal.command.cockpit.compute) -----------
INDICATOR_DEFINITIONS: dict[str, Definition] = {
    "under_control": _d(
        "在管人员", f"{_EPISODE}中的人", "当日24时这一刻", AT_24, "人",
        "当日24时仍在集中隔离、居家隔离或居家健康监测中的人数，即下面三项之和。",
        "cockpit/control_now_by_unit"),
    "centralized": _d(
        "集中隔离", f"密切接触者的{_EPISODE}", "当日24时这一刻", AT_24, "人",
        "密切接触者中，集中隔离已开始、当日24时尚未结束的人数。", "cockpit/control_now_by_unit"),
    "home_quarantine": _d(
        "居家隔离", f"次密切接触者的{_EPISODE}", "当日24时这一刻", AT_24, "人",
        "次密切接触者中，居家隔离已开始、当日24时尚未结束的人数。", "cockpit/control_now_by_unit"),
    "home_monitoring": _d(
        "居家健康监测", f"密切接触者的{_EPISODE}", "当日24时这一刻", AT_24, "人",
        "密切接触者集中隔离结束后转入居家健康监测、当日24时尚未结束的人数。", "cockpit/control_now_by_unit"),
    "confirmed": _d(
        "新增确诊", "病例记录中的确诊病例（每例一条）", f"确诊时间在{DAY}", AT_24, "例",
        "确诊时间在当日的确诊病例数（不含无症状感染者）。", "cockpit/cases_by_unit"),
    "asymptomatic": _d(
        "新增无症状", "病例记录中的无症状感染者（每例一条）", f"确诊时间在{DAY}", AT_24, "例",
        "确诊时间在当日的无症状感染者数。", "cockpit/cases_by_unit"),
    "cases_to_date": _d(
        "累计感染者", "病例记录（确诊病例与无症状感染者，每例一条）", "数据起始日至当日24时", AT_24, "例",
        "截至当日24时确诊的全部感染者（确诊病例加无症状感染者）。", "cockpit/cases_by_unit"),
    "community_cases": _d(
        "社会面新增", "当日新增感染者（每例一条）", f"确诊时间在{DAY}", "按确诊那一刻的管控状态与生效风险区", "例",
        "当日新增感染者中，确诊时既不在集中隔离、居家隔离、居家健康监测中，也不住在生效中的封控区、管控区的。",
        "analysis/case_origin_by_unit"),
    "in_control_cases": _d(
        "管控内新增", "当日新增感染者（每例一条）", f"确诊时间在{DAY}", "按确诊那一刻的管控状态与生效风险区", "例",
        "当日新增感染者中，确诊时已在管控中或住在生效中的封控区、管控区的；与社会面新增之和为当日新增感染者。",
        "analysis/case_origin_by_unit"),
    "close_named": _d(
        "当日判定密接", "密接关系中被判定为密切接触者的人（同一人当日被多个病例关联只算一次）", f"判定时间在{DAY}",
        AT_24, "人",
        "当日被流调判定为密切接触者的人数，含此前已在管控或已解除管控、这次再次被判定的人。",
        "cockpit/named_contacts_by_unit"),
    "close_identified": _d(
        "新增管控密接", f"密切接触者的{_EPISODE}", f"判定时间在{DAY}", AT_24, "人",
        "当日判定并新纳入管控的密切接触者人数；此前已有管控记录的人再次被判定时不再计入。",
        "cockpit/contacts_by_unit"),
    "secondary_identified": _d(
        "新增管控次密接", f"次密切接触者的{_EPISODE}", f"判定时间在{DAY}", AT_24, "人",
        "当日判定并新纳入管控（居家隔离）的次密切接触者人数。", "cockpit/contacts_by_unit"),
    "transfer_24h_rate": _d(
        "密接24小时转运率（前一日判定）", "前一日（D−1）判定的新增管控密接（人）", "D−1日0时至24时判定，判定后24小时内转运",
        "D日24时（该批次的24小时窗口已全部结束）", "%",
        "前一日（D−1）判定的密接中，判定后24小时内完成转运的比例（该批次24小时窗口已于D日24时前结束）。",
        "cockpit/contacts_by_unit"),
    "samples_taken": _d(
        "当日采样", "核酸样本记录（每人每采一次一条，混管中每人各一条）", f"采样时间在{DAY}", AT_24, "人次",
        "当日采集的核酸样本人次，含全员核酸、常态化检测、管控人员检测与复采。", "cockpit/samples_by_unit"),
    "pending_a": _d(
        "超12小时未出结果", "核酸检测管（混管算一管）", "采样时间早于当日24时前12小时",
        AT_24, "管",
        "截至当日24时仍没有检测结果、且采样已超过12小时的管数。", "cockpit/samples_by_unit"),
    "pending_b": _d(
        "超24小时未出结果", "核酸检测管（混管算一管）", "采样时间早于当日24时前24小时",
        AT_24, "管",
        "截至当日24时仍没有检测结果、且采样已超过24小时的管数。", "cockpit/samples_by_unit"),
    "sites_open": _d(
        "开放采样点", "编码采样点（每点一个）", f"按{DAY}的最后一次状态上报", AT_24, "个",
        "当日最后一次上报状态为畅通、繁忙或拥堵（即未关闭）的采样点数。", "cockpit/sites_by_unit"),
    "sites_busy": _d(
        "繁忙采样点", "编码采样点（每点一个）", f"按{DAY}的最后一次状态上报", AT_24, "个",
        "当日最后一次上报状态为繁忙（排队约25–50分钟）的采样点数。", "cockpit/sites_by_unit"),
    "sites_congested": _d(
        "拥堵采样点", "编码采样点（每点一个）", "截至当日24时的最后一次状态上报", AT_24, "个",
        "截至当日24时最后一次上报为拥堵（排队约50分钟以上）的采样点数；当日曾拥堵过的另计。",
        "cockpit/sites_by_unit"),
    "sites_congested_ever": _d(
        "当日曾拥堵采样点", "编码采样点（每点一个）", f"{DAY}的全部状态上报", AT_24, "个",
        "当日24时前任一次上报的排队达到拥堵线（默认50分钟）的采样点数；与只看最后一次上报的“拥堵采样点”并列。",
        "cockpit/sites_by_unit"),
    "sites_unreported": _d(
        "未上报状态的采样点", "编码采样点（每点一个）", DAY, AT_24, "个",
        "当日没有任何状态上报的采样点数。", "cockpit/sites_by_unit"),
    "appeals_received": _d(
        "受理诉求", "涉疫诉求（每件一条）", f"受理时间在{DAY}", AT_24, "件",
        "当日受理的涉疫诉求件数。", "cockpit/appeals_by_unit"),
    "appeals_closed": _d(
        "当日办结诉求", "涉疫诉求（每件一条）", f"办结时间在{DAY}，不论哪天受理", AT_24, "件",
        "当日办结的涉疫诉求件数，不论是哪天受理的；“涉疫诉求”页的“其中已办结”是另一口径（所选区间受理的诉求中已办结的）。",
        "cockpit/appeals_by_unit"),
    "appeals_overdue": _d(
        "超期未办结", "涉疫诉求（每件一条）", "当日及以前受理，不限受理日期", AT_24, "件",
        "截至当日24时仍未办结、且已超过其类型办理时限（按工作日计，自受理次一工作日起算）的诉求件数。",
        "cockpit/appeals_by_unit"),
    "screening_dispatched": _d(
        "排查下发", "排查记录的主记录（每人一条）", f"下发时间在{DAY}", AT_24, "人",
        "当日下发给社区核查的排查人数（同一人的重复记录只算一次）。", "cockpit/screening_by_unit"),
    "screening_verified": _d(
        "核查完成", "排查记录的主记录（每人一条）", f"核实时间在{DAY}", AT_24, "人",
        "当日完成核查的排查人数。", "cockpit/screening_by_unit"),
    "screening_awaiting": _d(
        "待核查", "排查记录的主记录（每人一条）", "当日及以前下发", AT_24, "人",
        "截至当日24时已下发、尚未核查完成的排查人数。", "cockpit/screening_by_unit"),
}

# -- the unit tables of 指挥总览 and 每日简报, and the briefing's alerts -----------------------
UNIT_DEFINITIONS: dict[str, Definition] = {
    "community_free_days": _d(
        "无社会面病例天数", "下辖单位（每个一行）", "统计日前一年内", AT_24, "天",
        "距该单位最近一例社会面病例的天数（0 为当日有社会面病例；空白为一年内没有）。",
        "analysis/case_origin_by_unit"),
    "community_zero": _d(
        "社会面清零", "下辖单位（每个一行）", "截至统计日的连续若干天（默认1天）", AT_24, "是 / 否",
        "连续规定天数（含当日）没有社会面病例的单位为“已清零”，否则“未清零”。", "analysis/case_origin_by_unit"),
    "population": _d(
        "常住人口", "区（市）县（每个一行）", "第七次全国人口普查（2020年）", "普查标准时点", "人",
        "第七次全国人口普查的常住人口；街道、社区无此项。", "geo/unit_outlines"),
    "area_km2": _d(
        "面积", "区（市）县（每个一行）", "—", "—", "km²",
        "区（市）县行政区划边界（高德地图发布，与仓库坐标同为火星坐标系）围成的椭球面面积。", "geo/unit_outlines"),
    "density": _d(
        "人口密度", "区（市）县（每个一行）", "第七次全国人口普查（2020年）", "普查标准时点", "人/km²",
        "常住人口除以面积，四舍五入到整数。", "geo/unit_outlines"),
    "alert_rule": _d(
        "预警规则", "预警中心的规则", "—", "—", "—", "触发预警的规则名称，见“预警中心”。", "portal.alerts.rules"),
    "severity": _d(
        "级别", "预警", "—", "—", "—", "预警的严重程度：严重、警告、提示。", "portal.alerts.rules"),
    "alerts_new": _d(
        "预警（条）", "预警（同一规则、同一对象一条）", "首次发现时间在当日0时后至24时（含24时那次检查）", AT_24, "条",
        "当日首次发现的预警条数，按规则与级别分列。", "portal.alerts.center.new_on"),
    "open_alerts": _d(
        "未处理预警", "预警（同一规则、同一对象一条）", "不限发现日期", "打开页面的此刻（不随统计日期变化）", "条",
        "此刻仍待确认或已确认、尚未处置或解除的预警条数，按严重、警告、提示分列。", "portal.alerts.center.open_counts"),
}

# -- 涉疫诉求: the appeals page (appeals/handling_by_unit over the chosen window) ---------------
_WINDOW = "受理时间在所选统计区间（当日或近7、14、30日）内"
APPEAL_DEFINITIONS: dict[str, Definition] = {
    "received": _d(
        "受理", "涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理的诉求件数；区间为“当日”时与“指挥总览”的受理诉求相同。", "appeals/handling_by_unit"),
    "closed": _d(
        "其中已办结", "涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理的诉求中，截至统计日24时已办结的件数；与“指挥总览”的“当日办结诉求”（当日办结、不论哪天受理）不同。",
        "appeals/handling_by_unit"),
    "open_now": _d(
        "在办", "涉疫诉求（每件一条）", "统计日及以前受理，不限受理日期", AT_24, "件",
        "截至统计日24时尚未办结的诉求件数，不限受理日期。", "appeals/handling_by_unit"),
    "overdue": _d(
        "超期未办结", "涉疫诉求（每件一条）", "统计日及以前受理，不限受理日期", AT_24, "件",
        "截至统计日24时仍未办结、已超过类型时限（按工作日计）的诉求件数，不限受理日期，与“指挥总览”同一口径。",
        "appeals/handling_by_unit"),
    "closed_late": _d(
        "超期办结", "涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理、已办结但办结时已超过类型时限的诉求件数。", "appeals/handling_by_unit"),
    "limit_days": _d(
        "时限（工作日）", "诉求类型", "—", "—", "工作日",
        "该类型诉求的办理时限，按工作日计，自受理次一工作日起算。", "portal.settings"),
    "worked_days": _d(
        "已用工作日", "超期未办结的诉求（每件一条）", "受理次一工作日至统计日前一日", AT_24, "工作日",
        "自受理次一工作日起到统计日前一日已过的工作日数。", "appeals/overdue_list"),
    "emergencies": _d(
        "紧急诉求", "标为紧急的涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理的紧急诉求件数。", "appeals/handling_by_unit"),
    "emergencies_late": _d(
        "紧急超时", "标为紧急的涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理的紧急诉求中，未在规定时限（默认2小时）内处置的件数。", "appeals/handling_by_unit"),
    "rated": _d(
        "评价（条）", "已评价的诉求（每件至多一条评价）", _WINDOW, AT_24, "条",
        "所选区间内受理、截至统计日24时已有群众评价的诉求条数，满意率即以此为分母。", "appeals/handling_by_unit"),
    "satisfied_pct": _d(
        "满意率（%）", "已评价的诉求（每件一条评价）", _WINDOW, AT_24, "%",
        "已评价的诉求中评价为4星或5星的比例；评价条数少时比例不稳定，须与评价条数一起看。",
        "appeals/handling_by_unit"),
    "rating_mean": _d(
        "平均评价", "已评价的诉求（每件一条评价）", _WINDOW, AT_24, "星",
        "已评价诉求的平均星级（1–5星）。", "appeals/handling_by_unit"),
    "step_appeals": _d(
        "各环节件数", "涉疫诉求（每件一条）", _WINDOW, AT_24, "件",
        "所选区间内受理的诉求中，截至统计日24时已到达该环节（派单、办理、答复、办结、评价）的件数。",
        "appeals/handling_by_unit"),
    "step_share": _d(
        "占受理（%）", "涉疫诉求（每件一条）", _WINDOW, AT_24, "%",
        "已到达该环节的件数占区间内受理件数的比例。", "appeals/handling_by_unit"),
    "step_hours": _d(
        "本环节平均用时（小时）", "已到达该环节的诉求", _WINDOW, AT_24, "小时",
        "从上一环节到本环节的平均小时数，只计截至统计日24时已到达本环节的诉求。", "appeals/handling_by_unit"),
    "appeals": _d(
        "件", "涉疫诉求（每件一条）", "受理时间在所示日期或区间内", AT_24, "件",
        "按受理日期（北京时间）或按渠道、类型、话题统计的受理件数。", "appeals/volume_by_day"),
    "rising_topics": _d(
        "当日上升话题", "话题", "统计日与此前7日", AT_24, "件",
        "当日受理件数不少于3件、且不少于此前7日日均1.5倍的话题（均为默认值）。", "portal.command.appeals"),
}

DEFINITIONS: dict[str, Definition] = {**INDICATOR_DEFINITIONS, **UNIT_DEFINITIONS, **APPEAL_DEFINITIONS}


def definition(key: str) -> Definition | None:
    return DEFINITIONS.get(key)


def help_for(key: str) -> str | None:
    """The hover text of figure `key`, or None when it has no definition."""
    d = DEFINITIONS.get(key)
    return d.help() if d else None


def help_for_all(keys) -> str | None:
    """The hover text of a line naming several figures: each one's label and help."""
    parts = [f"**{DEFINITIONS[k].label}**：{DEFINITIONS[k].help()}" for k in keys if k in DEFINITIONS]
    return "\n\n".join(parts) or None


# the pages whose every figure is defined here, in the order docs/glossary.md lists them
SECTIONS = [
    ("指挥总览与每日简报", INDICATOR_DEFINITIONS),
    ("下辖单位表与当日预警", UNIT_DEFINITIONS),
    ("涉疫诉求", APPEAL_DEFINITIONS),
]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def glossary_markdown() -> str:
    """docs/glossary.md, generated from the definitions (a test checks the file is current)."""
    lines = [
        "# 指标口径（术语表）",
        "",
        "本页由 `portal/definitions.py` 生成（`python -m portal.definitions > docs/glossary.md`），"
        "与页面指标卡、表头的悬停说明以及每日简报 XLSX / Word 中的“口径”是同一份文字；改口径请改代码后重新生成。",
        "",
        "“当日”指北京时间 0 时至 24 时；“截至当日24时”指只计当日 24 时以前发生的事实。"
        "同一个词在不同页面是同一个数；口径不同的数用不同的词。",
        "",
    ]
    for title, group in SECTIONS:
        lines += [f"## {title}", "", "| 指标 | 定义 | 统计对象 | 时间范围 | 截止 | 单位 | 计算 |",
                  "|---|---|---|---|---|---|---|"]
        for key, d in group.items():
            lines.append("| " + " | ".join(_cell(x) for x in (
                f"{d.label}（`{key}`）", d.text, d.counts, d.window, d.cut, d.unit,
                f"`{d.source}`" if d.source else "—")) + " |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(glossary_markdown(), end="")
