"""The date, hour, district and street pickers pages share: one label, range and default for
each, the widget key given by the page (tests and links address widgets by key).

One date for the session: the as-of date (and the hour of the testing pages) a reader chooses on
any page, or a link brings, is kept in a session key of its own — Streamlit drops the state of a
widget the page in view does not draw — and seeds every other page's picker. Until the reader
chooses, each page opens on its own default. The day a page shows is written back to the link
(?date=, and ?hour= on the testing pages) and named in the sidebar."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from portal.data import QueryRunner
from portal.glossary import LEVELS
from portal.ui import text

AS_OF_LABEL = "统计日期（截至当日24时）"
HOUR_LABEL = "时刻（截至该小时末）"

DAY_KEY = "session-as-of"  # the as-of date chosen in this session (not a widget's key)
HOUR_KEY = "session-hour"  # the hour chosen on a testing page
SEEN_KEY = "session-pickers-seen"  # what each picker showed when last drawn: a change there is a choice
SLOT_KEY = "session-day-slot"  # the sidebar's line for the date, drawn by portal/app.py
SHOWN_KEY = "session-day-shown"  # (day, hour) the page in view shows, for that line
LINKS_KEY = "session-links-read"  # the link's parameters already read in this session


def day_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def sidebar_line(day: dt.date | None, hour: int | None = None) -> str:
    """The sidebar's words for the date in view: '统计日期 2022年3月1日（截至24时）'."""
    if day is None:
        return "统计日期：未选定（各页按其默认日期显示；在任一页选定后各页通用）"
    if hour is None:
        return f"统计日期 {day_text(day)}（截至24时）"
    return f"统计日期 {day_text(day)} · 时刻 {hour:02d}:59"


def show_in_sidebar(day: dt.date | None, hour: int | None = None) -> None:
    """Name the date in view in the sidebar line portal/app.py drew (nothing when a page runs alone)."""
    slot = st.session_state.get(SLOT_KEY)
    if slot is not None:
        slot.caption(sidebar_line(day, hour))


def link_day(span: dict, wanted: str) -> tuple[dt.date | None, str | None]:
    """The day a link's ?date= names, or None and the sentence saying why it cannot be shown."""
    try:
        chosen = dt.date.fromisoformat(wanted.strip())
    except ValueError:
        return None, f"链接中的日期“{text(wanted)}”无法识别（应为 2022-03-01 这样的格式）"
    if not span["first_day"] <= chosen <= span["last_day"]:
        return None, f"链接中的日期 {chosen} 不在数据范围（{span['first_day']} 至 {span['last_day']}）内"
    return chosen, None


def _from_link(name: str) -> str | None:
    """The link's ?name=, read once a session: a link opens a new session, and later in the
    session the address holds only what the pages wrote back (or what the page left behind)."""
    read = st.session_state.setdefault(LINKS_KEY, set())
    if name in read:
        return None
    read.add(name)
    return st.query_params.get(name)


def _pick(key: str, session_key: str, arrive, draw):
    """Draw a picker seeded from the session: on arrival (no widget state) `arrive()` gives
    (value, whether it is a choice, e.g. a link's); a picker left untouched since it was last drawn
    follows a value chosen meanwhile on another page; a value the reader changes here, or a caller
    set before the page first drew it, becomes the session's."""
    state = st.session_state
    seen = state.setdefault(SEEN_KEY, {})
    if key not in state:
        value, chosen = arrive()
        state[key] = value
        seen[key] = value
        if chosen:
            state[session_key] = value
    elif key in seen and state[key] == seen[key] and state.get(session_key, state[key]) != state[key]:
        state[key] = state[session_key]
    value = draw()
    if key not in seen or seen[key] != value:
        state[session_key] = value
    seen[key] = value
    return value


def as_of(col, span: dict, key: str, label: str = AS_OF_LABEL, value: dt.date | None = None) -> dt.date:
    """A day inside the data range: the link's ?date= on the session's first arrival, else the
    day chosen in this session, else `value` (the page's own default; without it the last day
    with data). A bad or out-of-range link gets one warning and the default. The day is written
    back to the link and named in the sidebar."""
    first, last = span["first_day"], span["last_day"]
    default = value or last

    def arrive() -> tuple[dt.date, bool]:
        kept = st.session_state.get(DAY_KEY)
        fallback = kept if kept is not None and first <= kept <= last else default
        if kept is not None and fallback != kept:
            st.info(f"本会话选定的日期 {kept} 不在本页数据范围（{first} 至 {last}）内，本页显示 {fallback}。")
        wanted = _from_link("date")
        if not wanted:
            return fallback, False
        day, why = link_day(span, wanted)
        if day is None:
            st.warning(f"{why}，已显示 {fallback}。")
            return fallback, False
        return day, True

    day = _pick(key, DAY_KEY, arrive, lambda: col.date_input(label, min_value=first, max_value=last, key=key))
    st.query_params["date"] = day.isoformat()
    st.session_state[SHOWN_KEY] = (day, None)
    show_in_sidebar(day)
    return day


def session_day() -> dt.date | None:
    """The as-of date chosen in this session (None until a reader or a link chooses one)."""
    return st.session_state.get(DAY_KEY)


def latest_round_day(rounds: pd.DataFrame, last_day: dt.date) -> dt.date:
    """The first day of the latest mass-testing round begun by the last day with data (else that day)."""
    started = [d for d in pd.to_datetime(rounds["first_day"]).dt.date if d <= last_day]
    return started[-1] if started else last_day


def round_note(rounds: pd.DataFrame, day: dt.date) -> str | None:
    """One line when no mass-testing round ran on the day: the page shows that day's routine
    sampling, and the latest round before it is named."""
    if rounds.empty:
        return None
    spans = [(int(r), pd.Timestamp(f).date(), pd.Timestamp(t).date())
             for r, f, t in zip(rounds["round_id"], rounds["first_day"], rounds["last_day"])]
    if any(f <= day <= t for _, f, t in spans):
        return None
    before = [(r, f) for r, f, _ in spans if f <= day]
    latest = (f"最近一轮为第 {before[-1][0]} 轮（{before[-1][1]:%m月%d日}起）" if before
              else f"第一轮于 {spans[0][1]:%m月%d日} 开始")
    return f"{day:%m月%d日} 没有全员核酸检测轮次，本页显示该日的日常采样；{latest}。"


def hour(col, key: str, default: int) -> int:
    """An hour of the day, meaning up to its last minute (10 → 10:59): the link's ?hour= on the
    session's first arrival, else the hour chosen in this session, else the page's default."""

    def arrive() -> tuple[int, bool]:
        kept = st.session_state.get(HOUR_KEY)
        fallback = kept if kept in range(24) else default
        wanted = _from_link("hour")
        if not wanted:
            return fallback, False
        if not (wanted.isdigit() and int(wanted) in range(24)):
            st.warning(f"链接中的时刻“{text(wanted)}”无法识别（应为 0 至 23 的整点），已显示 {fallback:02d}:59。")
            return fallback, False
        return int(wanted), True

    chosen = _pick(key, HOUR_KEY, arrive, lambda: col.selectbox(
        HOUR_LABEL, list(range(24)), format_func=lambda h: f"{h:02d}:59", key=key))
    st.query_params["hour"] = str(chosen)
    day = st.session_state.get(SHOWN_KEY, (None, None))[0]
    st.session_state[SHOWN_KEY] = (day, chosen)
    if day is not None:
        show_in_sidebar(day, chosen)
    return chosen


def districts_in(scope: str) -> dict[str, str]:
    """The districts a jurisdiction reaches (all 20 for the city), code → name."""
    from portal.command.skeleton import district_choices

    return {c: n for c, n in district_choices().items() if c.startswith(scope[:6])}


def district(col, scope: str, key: str | None) -> tuple[str, dict[str, str]]:
    """A district of the jurisdiction ("" = the whole city, offered to city-wide users only),
    and the names of those offered."""
    names = districts_in(scope)
    chosen = col.selectbox(LEVELS[6], ([""] if not scope else []) + list(names),
                           format_func=lambda c: names.get(c, "全市"), key=key)
    return chosen, names


def unit_of(scope: str, district_code: str) -> str:
    """What to show: the chosen district, or the user's own street when that is narrower."""
    return scope if len(scope) > len(district_code) else district_code


def street(col, run: QueryRunner, district_code: str, key: str) -> tuple[str, dict[str, str]]:
    """A street of the chosen district ("" = all of them; disabled until a district is chosen),
    and the street names."""
    streets = run("geo/units", unit=district_code, grain=9) if district_code else pd.DataFrame(
        columns=["unit_code", "name"])
    names = dict(zip(streets["unit_code"], streets["name"]))
    chosen = col.selectbox(LEVELS[9], [""] + list(names), format_func=lambda c: names.get(c, "全部街道"),
                           key=key, disabled=not district_code)
    return chosen, names
