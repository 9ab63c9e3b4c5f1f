"""Choosing cases: by number, by confirmation date, by district or by cluster."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from portal import ui
from portal.command.skeleton import district_choices
from portal.glossary import LEVELS
from portal.tracing.tracing import parse_case_numbers

MODES = {"number": "按病例编号", "date": "按确诊日期", "district": "按区（市）县", "cluster": "按聚集疫情"}
KINDS = {"confirmed": "确诊", "asymptomatic": "无症状"}


def pick(cases: pd.DataFrame, key: str, default_date: dt.date) -> list[str]:
    """Render the picker; returns the chosen case numbers in order of confirmation."""
    if cases.empty:
        st.info("当前管辖范围内没有病例。")
        return []
    cases = cases.assign(confirmed_day=pd.to_datetime(cases["confirmed_at"]).dt.date)
    mode = st.radio("选择病例", list(MODES), format_func=MODES.get, horizontal=True, key=f"{key}-mode")
    chosen: list[str] = []
    if mode == "number":
        labels = {r.case_id: f"{r.case_id}（{KINDS.get(r.kind, r.kind)}，{r.confirmed_at:%m-%d}确诊）"
                  for r in cases.itertuples()}
        chosen = st.multiselect("病例编号", list(labels), format_func=labels.get, key=f"{key}-ids",
                                placeholder="输入或选择病例编号，如 CD-0001")
        pasted = st.text_input("或粘贴一组编号（逗号、空格或换行分隔）", key=f"{key}-paste")
        if pasted.strip():
            found, unknown = parse_case_numbers(pasted, set(labels))
            if unknown:
                st.warning(f"以下编号不存在或不在您的管辖范围：{ui.text('、'.join(unknown))}。请核对后重新输入。")
            chosen = list(dict.fromkeys(chosen + found))
    elif mode == "date":
        days = sorted(cases["confirmed_day"].unique())
        day = st.date_input("确诊日期", value=min(max(default_date, days[0]), days[-1]),
                            min_value=days[0], max_value=days[-1], key=f"{key}-day")
        chosen = cases.loc[cases["confirmed_day"] == day, "case_id"].tolist()
        if not chosen:
            st.info(f"{day:%m月%d日} 没有确诊病例，请换一天。")
        else:
            st.caption(f"{day:%m月%d日} 确诊 {len(chosen)} 例：{ui.text('、'.join(chosen))}")
    elif mode == "district":
        names = district_choices()
        present = [c for c in names if c in set(cases["district_code"])]
        district = st.selectbox(LEVELS[6], present, format_func=names.get, key=f"{key}-district")
        chosen = cases.loc[cases["district_code"] == district, "case_id"].tolist()
        st.caption(f"{ui.text(names[district])} 共 {len(chosen)} 例")
    else:
        cluster = st.selectbox("聚集疫情", sorted(cases["cluster"].unique()), key=f"{key}-cluster")
        chosen = cases.loc[cases["cluster"] == cluster, "case_id"].tolist()
        st.caption(f"{ui.text(cluster)} 共 {len(chosen)} 例")
    order = {c: i for i, c in enumerate(cases["case_id"])}
    return sorted(chosen, key=order.get)
