"""集中隔离点: hotels with rooms, people staying, arrivals and releases due in the next 24 h,
and early warnings — occupancy over the threshold, stays past the release date, and missing
tests on protocol days 1, 2, 3, 5, 7."""

import streamlit as st

from portal import ui
from portal.data import page_context
from portal.glossary import HOTEL_WARNINGS
from portal.people import masking
from portal.tracing import quarantine
from portal.ui import drill, pickers

identity, settings, span, run = page_context()

st.title("集中隔离点")
top = st.columns([1, 2])
last_occupied = quarantine.default_day(run, span)
as_of = pickers.as_of(top[0], span, "quarantine_as_of", "统计时点（当日24时）", last_occupied)
if identity.scope:
    unit = identity.scope
    top[1].caption(f"管辖范围：{ui.text(' · '.join(n for _, n in drill.names_of(run, unit)[1:]) or unit)}")
else:
    unit, _ = pickers.district(top[1], "", None)
st.query_params.update({"date": as_of.isoformat()})
if as_of > last_occupied:
    st.caption(f"{as_of:%m月%d日} 24时集中隔离点无人在住；最近有人在住的是 {last_occupied:%m月%d日}。")

hotels = quarantine.hotels(run, settings, unit, as_of)
total = quarantine.totals(hotels)
if span["person_fraction"] and span["person_fraction"] < 1:
    st.caption(f"演示数据：密接人数按 {span['person_fraction']:.1%} 的常住人口生成，隔离点房间数为实际规模，"
               "所以入住率偏低；以下均为数据中的真实数字。")
ui.phone_friendly_kpis()
with st.container(key="kpis"):
    c = st.columns(4)
    c[0].metric("隔离点（个）", ui.fmt(total["hotels"]), border=True, help=f"房间 {ui.fmt(total['rooms'])} 间")
    c[1].metric("在住（人）", ui.fmt(total["staying"]), border=True)
    c[2].metric("入住率（%）", ui.fmt(total["occupancy_pct"], "%"), border=True, help="单人单间：在住人数 ÷ 房间数")
    c[3].metric("待入住（人）", ui.fmt(total["arrivals_24h"]), border=True, help="已判定、已安排本隔离点、当日24时尚未入住")
    w = st.columns(4)
    w[0].metric("24小时内应解除（人）", ui.fmt(total["releases_24h"]), border=True,
                help=f"按集中隔离{settings.centralized_days}天计，24小时内到期的在住人员")
    w[1].metric(f"入住率超{settings.hotel_occupancy_warn_pct}%（个）", ui.fmt(total["over_threshold"]), border=True)
    w[2].metric("超期未解除（人）", ui.fmt(total["past_release"]), border=True,
                help=f"集中隔离满{settings.centralized_days}天仍在住")
    w[3].metric("应检未检（人）", ui.fmt(total["missing_test_people"]), border=True,
                help=f"隔离第{'、'.join(map(str, settings.close_test_days))}天应检，缺 {total['missing_tests']:,} 次")
ui.computed_note(run.computed("quarantine/hotels"))
if total["staying"] == 0:
    st.info(f"{as_of} 24时没有人在集中隔离点。本页默认显示最近一个有人在住的日期。")

full = hotels[hotels["over_threshold"]]
if full.empty:
    st.success(f"没有入住率超过 {settings.hotel_occupancy_warn_pct}% 的隔离点（最高 {ui.fmt(hotels['occupancy_pct'].max(), '%')}）。")
else:
    st.error(f"{len(full)} 个隔离点入住率超过 {settings.hotel_occupancy_warn_pct}%："
             + "、".join(f"{ui.text(r.hotel_name)} {r.occupancy_pct}%" for r in full.itertuples()))

hotel_tab, past_tab, test_tab = st.tabs(["隔离点", HOTEL_WARNINGS["past_release"], HOTEL_WARNINGS["missing_test"]])
with hotel_tab:
    table = quarantine.hotel_table(hotels)
    ui.table(table, hide_index=True, width="stretch", height=ui.fit_height(table, 460))
    ui.download_buttons(table, f"集中隔离点_{as_of}", "hotels")
people = quarantine.warnings(run, settings, unit, as_of)
for tab, kind, empty in ((past_tab, "past_release", "没有超期未解除隔离的人员。"),
                         (test_tab, "missing_test", "没有应检未检的人员。")):
    with tab:
        part = quarantine.person_table(people, kind)
        if part.empty:
            st.success(empty)
        else:
            clear = masking.reveal(identity, f"hotel-{kind}", f"hotel-{kind}:{unit or 'city'}:{as_of}",
                                   f"{HOTEL_WARNINGS[kind]}（{unit or '全市'}，{as_of}）：{len(part):,} 人的姓名")
            st.caption(f"{len(part):,} 人" + ("" if clear else "，姓名已脱敏"))
            ui.table(part, clear, hide_index=True, width="stretch", height=ui.fit_height(part, 460))
            ui.download_buttons(part, f"{HOTEL_WARNINGS[kind]}_{as_of}", kind, clear)
