"""采样点排队查询 (public, no sign-in): open sampling sites, their queue state and estimated
wait, found by name, street or community and ordered by wait or by distance from a chosen
community. Sites and waits only — no person, operator or report author is shown."""

import pandas as pd
import streamlit as st

from portal import ui
from portal.data import public_context
from portal.testing import marks, public_board, sampling
from portal.ui import pickers

settings, span, run = public_context()
st.title("核酸采样点排队查询")
day = span["last_day"]
st.caption(f"显示 {day:%Y年%m月%d日} 最近一次上报的排队情况；采样点负责人的现场标记到达后立即更新。"
           f"畅通：排队不足 {settings.busy_minutes} 分钟；繁忙：{settings.busy_minutes} 分钟以上；"
           f"拥堵：{settings.congested_minutes} 分钟以上。")

typed = st.text_input("搜索采样点", max_chars=public_board.SEARCH_MAX, key="pq-search",
                      placeholder="输入采样点、街道或社区名称，如 春熙")
try:
    terms = public_board.search_terms(typed)
except public_board.SearchRefused as refused:
    st.error(str(refused))
    terms = []

c1, c2 = st.columns(2)
district, districts = pickers.district(c1, "", "pq-district")  # the public sees the whole city
street, street_names = pickers.street(c2, run, district, "pq-street")
by_distance = st.radio("排序", ["等候时间短的在前", "离我所在社区近的在前"], horizontal=True, key="pq-order") != "等候时间短的在前"
home = None
if by_distance:
    if not street:
        st.info("请先选择区（市）县和街道，再选择所在社区。")
    else:
        homes = run("geo/units", unit=street, grain=12)
        names = dict(zip(homes["unit_code"], homes["name"]))
        code = st.selectbox("所在社区", list(names), format_func=names.get, key="pq-community")
        if code:
            home = homes.set_index("unit_code").loc[code]

ui.phone_friendly_kpis()


@st.fragment(run_every=settings.live_refresh_s * 5)
def queue_board():
    # nearest: every site of the district (or the city), not only the chosen street's
    unit = district if home is not None else (street or district)
    sites = run("mass/site_states", unit=unit, day=day, hour=23)
    live = run.live("mass/live_marks", since=marks.since(settings))
    states = sampling.current_states(sites, live[live["community_code"].str.startswith(unit)], settings)
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
    board = public_board.named(open_sites.assign(updated=pd.to_datetime(open_sites["reported_at"]).dt.strftime(
        "%m-%d %H:%M")), districts, run("geo/units", unit=unit, grain=9), run("geo/units", unit=unit, grain=12))
    board = public_board.matching(board, terms)
    if home is not None:
        board = public_board.with_distance(board, float(home["lon"]), float(home["lat"]))
    board = public_board.ordered(board, home is not None)
    if board.empty:
        st.info(f"没有找到名称、街道或社区含“{' '.join(terms)}”的开放采样点，请换个说法或清空搜索。")
        return
    order = f"离{home['name']}近的在前" if home is not None else "等候时间短的在前"
    more = f"，显示前 {public_board.SHOWN} 个，可输入名称缩小范围" if len(board) > public_board.SHOWN else ""
    st.markdown(f"##### 开放的采样点（{len(board):,} 个，{order}{more}）")
    st.markdown(public_board.cards(board.head(public_board.SHOWN)), unsafe_allow_html=True)


queue_board()
