"""采样点排队查询 (public, no sign-in): open sampling sites, their queue state and estimated
wait. Sites and waits only — no person, operator or report author is shown."""

import pandas as pd
import streamlit as st

from portal import ui
from portal.data import public_context
from portal.glossary import SITE_KINDS, SITE_STATES
from portal.testing import marks, sampling
from portal.ui import pickers

settings, span, run = public_context()
st.title("核酸采样点排队查询")
day = span["last_day"]
st.caption(f"显示 {day:%Y年%m月%d日} 最近一次上报的排队情况；采样点负责人的现场标记到达后立即更新。"
           f"畅通：排队不足 {settings.busy_minutes} 分钟；繁忙：{settings.busy_minutes} 分钟以上；"
           f"拥堵：{settings.congested_minutes} 分钟以上。")

c1, c2 = st.columns(2)
district, districts = pickers.district(c1, "", "pq-district")  # the public sees the whole city
street, street_names = pickers.street(c2, run, district, "pq-street")


ui.phone_friendly_kpis()


@st.fragment(run_every=settings.live_refresh_s * 5)
def queue_board():
    sites = run("mass/site_states", unit=street or district, day=day, hour=23)
    live = run.live("mass/live_marks", since=marks.since(settings))
    states = sampling.current_states(sites, live[live["community_code"].str.startswith(street or district)], settings)
    open_sites = states[states["state"].isin(["clear", "busy", "congested"])]
    counts = sampling.state_counts(open_sites)
    with st.container(key="kpis"):
        k = st.columns(3)
        k[0].metric("开放采样点（个）", f"{counts['open']:,}", border=True)
        k[1].metric("畅通（个）", f"{counts['clear']:,}", border=True)
        k[2].metric("繁忙或拥堵（个）", f"{counts['busy'] + counts['congested']:,}", border=True)
    if open_sites.empty:
        st.info("所选范围内目前没有开放的采样点。")
        return
    board = open_sites.sort_values(["queue_minutes", "site_code"]).assign(
        state=open_sites["state"].map(SITE_STATES), kind=open_sites["kind"].map(SITE_KINDS),
        open_hours=open_sites["open_hour"].astype(str) + ":00–" + open_sites["close_hour"].astype(str) + ":00",
        updated=pd.to_datetime(open_sites["reported_at"]).dt.strftime("%m-%d %H:%M"),
        district=open_sites["community_code"].str[:6].map(districts))
    # what a person on a phone needs first: the site, its state and the wait
    view = board[["site_name", "state", "queue_minutes", "district", "site_code", "kind", "open_hours", "updated"]]
    st.markdown(f"##### 开放的采样点（{len(view):,} 个，等候时间短的在前）")
    ui.table(view, hide_index=True, width="stretch", height=520)


queue_board()
