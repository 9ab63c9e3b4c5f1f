"""轨迹与伴随: one click, all trajectories — the chosen cases' movements on one map, their
stops, the places they shared, and the residents who shared a grid cell with them."""

import pandas as pd
import pydeck as pdk
import streamlit as st

from portal import ui
from portal.data import page_context
from portal.errors import WarehouseError
from portal.people import masking
from portal.tracing import case_picker, tracing
from portal.tracing.topics import TopicError, create_topic
from portal.ui import pickers

identity, settings, span, run = page_context()

st.title("轨迹与时空伴随")
cases = run("trajectories/case_list")
chosen = case_picker.pick(cases, "traj", pickers.session_day() or span["last_day"])

with st.expander("研判参数"):
    c1, c2, c3, c4 = st.columns(4)
    stop_minutes = c1.number_input("停留判定（分钟）", value=settings.stop_minutes, step=5)
    resolution = c2.number_input("网格 H3 分辨率（5–8，8≈800米网格）", value=settings.companion_resolution, step=1)
    overlap = c3.number_input("伴随时长超过（分钟）", value=settings.companion_minutes, step=1)
    window_days = c4.number_input("传染期起点（发病/采样前天数）", value=settings.window_days, step=1)
try:
    tracing.check_range("停留判定", int(stop_minutes), 5, 240)
    tracing.check_range("网格分辨率", int(resolution), 5, 8)
    tracing.check_range("伴随时长", int(overlap), 1, 240)
    tracing.check_range("传染期起点", int(window_days), 0, 14)
except tracing.SelectionError as exc:
    st.error(f"{exc}请调整研判参数。")
    st.stop()

if not chosen:
    st.info("请选择至少一例病例：可按编号、确诊日期、区（市）县或聚集疫情选择。")
    st.stop()
shown, note = tracing.cap(chosen, settings.map_case_cap)
if note:
    st.warning(note)

points = run("trajectories/case_points", case_ids=shown, window_days=int(window_days))
if points.empty:
    st.warning("所选病例在传染期内没有轨迹点。请换选病例或调整传染期起点。")
    st.stop()
colours = tracing.colour_of(shown)
stays = tracing.stops(points, int(stop_minutes), settings.max_dwell_minutes)
places = tracing.shared(points, "place_id")
origin = points["ts"].min().floor("h")
end = points["ts"].max().ceil("h")

st.markdown(f"#### {len(shown)} 例病例传染期轨迹（{origin:%m月%d日} 至 {end:%m月%d日}）")
moment = st.slider("时间（拖动查看轨迹推进）", min_value=origin.to_pydatetime(), max_value=end.to_pydatetime(),
                   value=end.to_pydatetime(), step=pd.Timedelta(hours=1).to_pytimedelta(), format="MM-DD HH:mm")
minutes_now = (pd.Timestamp(moment) - origin).total_seconds() / 60
trip_rows = tracing.trips(points, origin).assign(color=lambda d: d["case_id"].map(colours))
stop_rows = stays.assign(color=stays["case_id"].map(colours),
                         label=stays["place_name"].where(stays["place_name"] != "", "住所附近（基站）"),
                         arrived=stays["ts"].dt.strftime("%m-%d %H:%M"), left=stays["left_at"].dt.strftime("%m-%d %H:%M"))
stop_rows = stop_rows[stop_rows["ts"] <= pd.Timestamp(moment)]
background = ui.polygons(run("geo/unit_outlines", unit="", grain=6)[["unit_code", "outline"]])
layers = [
    ui.background_layer(background, (236, 236, 236)),
    pdk.Layer("PathLayer", trip_rows.assign(faint=trip_rows["color"].map(lambda c: [*c[:3], 70])),
              get_path="path", get_color="faint", width_min_pixels=2),
    pdk.Layer("TripsLayer", trip_rows, get_path="path", get_timestamps="timestamps", get_color="color",
              width_min_pixels=4, trail_length=24 * 60, current_time=minutes_now, rounded=True),
    pdk.Layer("ScatterplotLayer", stop_rows, get_position=["lon", "lat"], get_fill_color="color",
              get_radius=120, radius_min_pixels=4, pickable=True, stroked=True, get_line_color=[255, 255, 255]),
    pdk.Layer("ScatterplotLayer", places, get_position=["lon", "lat"], get_radius=400, radius_min_pixels=10,
              filled=False, stroked=True, get_line_color=[20, 20, 20, 255], line_width_min_pixels=2),
]
view = ui.map_view(points, height=520)
st.pydeck_chart(ui.fast(pdk.Deck(layers=layers, initial_view_state=view, map_style=None,
                                 tooltip={"text": "{case_id} · {label}\n到达 {arrived} 离开 {left}"})), height=520)
st.caption("浅色线为各病例传染期全程轨迹，亮色为截至滑块时刻前 24 小时的行程；彩色圆点为停留点，"
           "黑圈为两例及以上病例到过的场所。")
ui.computed_note(run.computed("trajectories/case_points"))

left, right = st.columns([3, 2])
with left:
    st.markdown(f"##### 停留点（停留 ≥ {int(stop_minutes)} 分钟）")
    table = tracing.stop_table(stays)
    ui.table(table, hide_index=True, height=320, width="stretch")
    ui.download_buttons(table, "病例停留点", "stops")
with right:
    st.markdown("##### 多例病例交集（串联成簇的线索）")
    place_tab, cell_tab = st.tabs(["场所", "网格（H3 分辨率 8）"])
    for tab, found_links, what in ((place_tab, places, "场所"), (cell_tab, tracing.shared(points, "cell"), "网格")):
        with tab:
            if found_links.empty:
                st.info(f"所选病例没有共同到过的{what}。")
                continue
            links = tracing.link_table(found_links, "place_name" if what == "场所" else "cell")
            ui.table(links, hide_index=True, height=280, width="stretch")

# -- space-time companions --------------------------------------------------------------------
st.markdown("#### 时空伴随者研判")
st.caption(f"传染期内与病例在同一 H3 网格（分辨率 {int(resolution)}）共同停留超过 {int(overlap)} 分钟的居民。"
           f"每个轨迹点视为停留至下一个点，最长 {settings.max_dwell_minutes} 分钟。")
# control status and known contacts as of 24:00 of a day (the session's date where one was chosen)
status_day = pickers.as_of(st, span, "traj-as-of", "管控状态截至（当日24时）")
searched, note = tracing.cap(shown, settings.companion_case_cap)
if note:
    st.warning(note.replace("地图一次最多显示", "伴随研判一次最多").replace("已显示", "已研判"))
if st.button("开始研判", type="primary"):
    st.session_state["companion_request"] = (tuple(searched), int(resolution), int(overlap), int(window_days))
request = st.session_state.get("companion_request")
if request and request[0] == tuple(searched):
    found = tracing.find_companions(run, list(request[0]), resolution=request[1], min_overlap_minutes=request[2],
                                    window_days=request[3], max_dwell_minutes=settings.max_dwell_minutes,
                                    row_cap=settings.companion_row_cap, as_of=status_day)
    listed = run.latest("trajectories/companions")  # None when the cases had no presence to match
    if listed is not None and listed.truncated:
        st.warning(f"伴随关系超过 {settings.companion_row_cap:,} 条，仅列出伴随时长最长的部分。"
                   "请减少病例或提高伴随时长门槛后再研判。")
    if found.empty:
        st.info("没有找到符合条件的时空伴随者。")
    else:
        known = int(found["known_contact"].sum())
        st.success(f"找到 {found['person_id'].nunique():,} 人（{len(found):,} 条伴随关系），其中 {known:,} 条已是已知密接。")
        view_df = tracing.companion_table(found)
        clear = masking.reveal(identity, "companions", f"companions:{'、'.join(request[0])}",
                               f"时空伴随者（{len(request[0])} 例病例）：{found['person_id'].nunique():,} 人的姓名")
        ui.table(view_df, clear, hide_index=True, height=360, width="stretch")
        ui.download_buttons(view_df, "时空伴随者", "companions", clear)
        with st.form("topic"):
            default = f"{'、'.join(request[0][:3])}{'等' if len(request[0]) > 3 else ''}时空伴随者"
            name = st.text_input("排查专题名称", value=default)
            only_new = st.checkbox("只下发尚未列为密接的人员", value=True)
            if st.form_submit_button("生成排查专题"):
                people = found.loc[~found["known_contact"].astype(bool), "person_id"] if only_new else found["person_id"]
                try:
                    topic = create_topic(identity.scope, name, people.tolist(),
                                         (points["ts"].min().to_pydatetime(), points["ts"].max().to_pydatetime()))
                    st.success(f"已生成排查专题 #{topic}“{ui.text(name.strip())}”，共 {people.nunique():,} 人，待分派核查。")
                except TopicError as exc:
                    st.error(str(exc))
                except WarehouseError as exc:
                    st.error(f"写入失败，名单未保存：{exc}")
        ui.computed_note(run.computed("trajectories/companions"))
