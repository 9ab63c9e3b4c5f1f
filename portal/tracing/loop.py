"""The contact chain and the closed loop: shaping query results for the contacts page."""

from __future__ import annotations

import pandas as pd

from portal.glossary import ALERTS, CONTROL_OUTCOMES, FOUND_BY
from portal.ui import dot_text

STAGES = [("identified", "判定"), ("notified", "告知"), ("transferred", "转运"), ("quarantined", "集中/居家隔离"),
          ("monitored", "居家健康监测"), ("released", "解除管控")]
NOW = [("now_identified", "已判定待告知"), ("now_awaiting_transfer", "待转运/待落实隔离"),
       ("now_quarantine", "隔离中"), ("now_monitoring", "居家健康监测中"), ("now_released", "已解除"),
       ("now_ended_other", "转为病例等")]


def hop_counts(chain: pd.DataFrame) -> pd.DataFrame:
    """People per hop (distinct persons) by how they were found."""
    if chain.empty:
        return pd.DataFrame(columns=["层级", *FOUND_BY.values(), "合计"])
    people = chain.drop_duplicates(["hop", "to_person_id"])
    table = people.pivot_table(index="hop", columns="found_by", values="to_person_id", aggfunc="count", fill_value=0)
    table = table.reindex(columns=list(FOUND_BY), fill_value=0).rename(columns=FOUND_BY)
    table["合计"] = table.sum(axis=1)
    table.index = table.index.map({1: "密切接触者", 2: "次密切接触者"})
    return table.rename_axis("层级").reset_index()


def chain_dot(chain: pd.DataFrame, names: dict[int, str], case_person: dict[str, int], detail_limit: int) -> str:
    """Graphviz DOT of case → close → secondary. Up to `detail_limit` edges every person is a
    node; beyond that each case shows its close and secondary contacts as counted groups. Every
    case number and name goes in escaped (ui.dot_text): it can end no string and add no attribute."""
    lines = ['digraph chain {', 'rankdir=LR; size="14,9"; ratio=compress; nodesep=0.15; ranksep=0.6;',
             'node [fontname="Noto Sans CJK SC", fontsize=11, style=filled, shape=box];',
             'edge [fontname="Noto Sans CJK SC", fontsize=9, color="#888888"];']
    for case_id, person in case_person.items():
        lines.append(f'"p{person}" [label="{dot_text(case_id)}", shape=doubleoctagon, fillcolor="#f4b6b6"];')
    if len(chain) <= detail_limit:
        colour = {1: "#fde2c6", 2: "#e3ecf7"}
        for row in chain.itertuples():
            if row.to_person_id not in case_person.values():
                lines.append(f'"p{row.to_person_id}" [label="{dot_text(names.get(row.to_person_id, ""))}", '
                             f'fillcolor="{colour.get(row.hop, "#eeeeee")}"];')
            lines.append(f'"p{row.from_person_id}" -> "p{row.to_person_id}" '
                         f'[label="{dot_text(FOUND_BY.get(row.found_by, ""))}"];')
    else:
        for case_id, person in case_person.items():
            mine = chain[chain["case_id"] == case_id]
            close = mine[mine["hop"] == 1].drop_duplicates("to_person_id")
            second = mine[mine["hop"] == 2].drop_duplicates("to_person_id")
            if close.empty:
                continue
            node = dot_text(case_id)
            how = "，".join(f"{FOUND_BY.get(k, k)} {v}" for k, v in close["found_by"].value_counts().items())
            lines.append(f'"c{node}" [label="密接 {len(close)} 人\\n{dot_text(how)}", fillcolor="#fde2c6"];')
            lines.append(f'"p{person}" -> "c{node}";')
            if not second.empty:
                lines.append(f'"s{node}" [label="次密接 {len(second)} 人", fillcolor="#e3ecf7"];')
                lines.append(f'"c{node}" -> "s{node}";')
    lines.append("}")
    return "\n".join(lines)


def funnel_total(funnel: pd.DataFrame) -> pd.Series:
    return funnel.drop(columns=["unit_code", "kind"]).sum(numeric_only=True) if not funnel.empty else pd.Series(dtype=float)


def chain_table(chain: pd.DataFrame) -> pd.DataFrame:
    """The chain as listed, one row per edge: hop, how found and where each stands in words."""
    return chain.assign(hop=chain["hop"].map({1: "密接", 2: "次密接"}), found_by=chain["found_by"].map(FOUND_BY),
                        outcome=chain["outcome"].map(CONTROL_OUTCOMES))[
        ["case_id", "hop", "person_name", "to_person_id", "found_by", "place_name", "exposure_at", "identified_at",
         "home_community_code", "outcome"]]


UNIT_COLUMNS = ["name", "unit_code", "identified", "notified", "transferred", "quarantined", "monitored", "released",
                "became_case", "h_notify", "h_transfer", "h_to_quarantine", "d_quarantine", "d_monitoring"]


def unit_table(funnel: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The closed loop by unit, its name first."""
    return funnel.assign(name=funnel["unit_code"].map(names))[UNIT_COLUMNS]


def alert_note(alert: str, detail) -> str:
    return f"已 {detail} 小时未转运" if alert == "not_transferred" else f"隔离第 {detail} 天未检测"


def alert_table(alerts: pd.DataFrame) -> pd.DataFrame:
    """The alerts as listed: what is wrong in words, and how long or which day."""
    return alerts.assign(alert=alerts["alert"].map(ALERTS),
                         alert_note=[alert_note(a, d) for a, d in zip(alerts["alert"], alerts["detail"])])[
        ["alert", "person_name", "person_id", "home_community_code", "case_id", "identified_at", "alert_note"]]


def transfer_minutes_by_day(moves: pd.DataFrame) -> pd.DataFrame:
    """Per day of confirmation: the mean and longest minutes from confirmed to arrived, and the cases."""
    return moves.assign(日期=pd.to_datetime(moves["confirmed_at"]).dt.normalize()).groupby("日期").agg(
        平均=("min_total", "mean"), 最长=("min_total", "max"), 例数=("case_id", "count")).reset_index()
