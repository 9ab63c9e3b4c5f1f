"""指挥大屏: the command hall's wall display — the figures of the day (the last day with data, as
the cockpit opens on), read for one jurisdiction and drawn as dark panels that rotate on a timer.

Every figure comes from what the other pages already read: the cockpit's indicators
(cockpit.compute, shared with the cockpit's own cache entry), the 社会面/管控内 origin of the
cases (analysis/case_origin_by_unit), the zones in force (zone_plans.in_force), the open alerts
(portal.alerts.center). A `Frame` holds one reading; the page keeps the last good one and draws
it, stale, when the warehouse stops answering. No person is named: alerts are shown by rule and
area, never with their detail (which names people by their numbers)."""

from __future__ import annotations

import datetime as dt
import html
import time
from dataclasses import dataclass

import pandas as pd
import pydeck as pdk

from portal import ui
from portal.alerts import center as alert_center
from portal.alerts import view as alert_view
from portal.alerts.rules import SEVERITIES
from portal.command import cockpit, cockpit_views
from portal.data import QueryRunner, shared
from portal.glossary import ZONE_TIER_SHORT
from portal.settings import PortalSettings
from portal.ui import drill
from portal.zones import zone_map, zone_plans
from warehouse.rules.clock import now_wall

PANELS = {"overview": "总览", "sampling": "核酸采样", "zones": "风险区与管控", "alerts": "预警"}
CURVE_DAYS = 14
LATEST_ALERTS = 8
# the KPI figures a frame keeps (today and the day before), all from cockpit.compute's totals
FIGURES = ("confirmed", "asymptomatic", "community_cases", "in_control_cases", "cases_to_date", "under_control",
           "centralized", "home_quarantine", "home_monitoring", "close_identified", "samples_taken", "sites_total",
           "sites_open", "sites_busy", "sites_congested", "sites_closed", "sites_unreported", "pending_b")


def panel_at(moment: float, rotate_s: int) -> str:
    """The panel showing at a moment (seconds since the epoch): the clock chooses, no state."""
    names = list(PANELS)
    return names[int(moment // max(1, rotate_s)) % len(names)]


@dataclass(frozen=True)
class Frame:
    """One reading of the screen's figures for a jurisdiction."""

    place: str  # 成都市, 锦江区, 锦江区 · 春熙路街道
    as_of: dt.date
    today: dict[str, int]
    before: dict[str, int]
    curve: pd.DataFrame  # day, community, in_control: the last CURVE_DAYS days up to as_of
    deck: pdk.Deck | None  # the units one level down coloured by the day's new cases
    zones: dict[str, int]  # tier → zones in force (as the cockpit counts them)
    alerts: dict[str, int]  # severity → open alerts
    latest: list[tuple[str, str, str, str]]  # severity, rule, area, first seen (newest open alerts)
    computed: str | None  # when the figures' queries were computed (Beijing)
    read_at: dt.datetime  # when this frame was read (Beijing wall clock)
    read_clock: float  # the same moment, seconds since the epoch (how old the figures are)

    @property
    def clear_sites(self) -> int:
        return self.today["sites_open"] - self.today["sites_busy"] - self.today["sites_congested"]


@shared
def _day_view(run, settings, unit, as_of):
    """The warehouse's part of a frame, built once per (jurisdiction, unit, day, data version):
    the totals of today and the day before, the 14-day curve and the map."""
    figures = cockpit_views.figures_of(run, settings, unit, as_of)  # the cockpit's own cache entry
    total, before = figures.total("today"), figures.total("prev")
    today = {k: int(total.get(k, 0)) for k in FIGURES}
    prev = {k: int(before.get(k, 0)) for k in FIGURES}
    grain = cockpit.CHILD_GRAIN[len(unit)]
    first = as_of - dt.timedelta(days=CURVE_DAYS - 1)
    origin = run("analysis/case_origin_by_unit", unit=unit, grain=grain, date_from=first, as_of=as_of)
    days = pd.date_range(first, as_of, freq="D")
    if origin.empty:
        curve = pd.DataFrame({"community": 0, "in_control": 0}, index=days)
    else:
        curve = origin.assign(day=pd.to_datetime(origin["day"])).groupby("day")[["community", "in_control"]].sum()
        curve = curve.reindex(days, fill_value=0)
    curve = curve.astype(int).rename_axis("day").reset_index()
    deck = None
    kids = drill.children(run, unit, grain)
    if len(unit) < 12 and not kids.empty:
        table = cockpit.unit_table(kids, figures.today, "confirmed")
        table["new_cases"] = table["confirmed"] + table["asymptomatic"]
        outlines = run("geo/unit_outlines", unit=unit, grain=grain)
        deck = ui.frozen(ui.unit_map(outlines, table, "new_cases", "新增感染者", "例", True))
    place = " · ".join(name for _, name in drill.names_of(run, unit)[1:]) or "成都市"
    return place, today, prev, curve, deck


def _area_names(run: QueryRunner, codes: list[str]) -> dict[str, str]:
    """Names of alert areas (district or street codes; '' is the city)."""
    names = {"": "全市"}
    found = drill.children(run, "", 6)
    districts = dict(zip(found["unit_code"], found["name"]))
    for code in codes:
        name = districts.get(code[:6], code[:6])
        if len(code) >= 9:
            streets = drill.children(run, code[:6], 9)
            name += " · " + dict(zip(streets["unit_code"], streets["name"])).get(code[:9], code[:9])
        names[code] = name if code else "全市"
    return names


def read(run: QueryRunner, settings: PortalSettings, span: dict, scope: str) -> Frame:
    """The screen's figures now, for the jurisdiction `scope` on the last day with data."""
    as_of = span["last_day"]
    place, today, prev, curve, deck = _day_view(run, settings, scope, as_of)
    outlines = zone_map.zones_in_force(zone_plans.in_force(run, as_of), scope)
    tiers = outlines.drop_duplicates("label")["tier"].value_counts() if not outlines.empty else pd.Series(dtype=int)
    zones = {t: int(tiers.get(t, 0)) for t in ("high", "medium", "low")}
    alert_view.checked(span)
    alerts = alert_center.open_counts(scope)
    # the newest of each severity: the store orders and cuts them (tens of thousands are open at `full`)
    found = pd.concat([alert_center.instances(scope, alert_center.OPEN, severities=(s,), limit=LATEST_ALERTS,
                                              by_first_seen=True) for s in SEVERITIES], ignore_index=True)
    latest = []
    if not found.empty:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        top = found.assign(order=found["severity"].map(order)).sort_values(
            ["order", "first_seen", "alert_id"], ascending=[True, False, False]).head(LATEST_ALERTS)
        names = _area_names(run, sorted(set(top["area_code"])))
        rules = {r.id: r.name for r in alert_center.RULES.values()}
        latest = [(r.severity, rules.get(r.rule_id, r.rule_id), names.get(r.area_code, r.area_code),
                   f"{pd.Timestamp(r.first_seen):%m月%d日 %H:%M}") for r in top.itertuples()]
    return Frame(place, as_of, today, prev, curve, deck, zones, alerts, latest, run.computed(),
                 now_wall(), time.time())


# -- drawing: constant CSS, and HTML built from escaped values ----------------------------------

CSS = """
<style>
/* 指挥大屏: the whole page dark, no sidebar, no toolbar, no header; sized by the viewport so that
   1920×1080 and 3840×2160 read alike from five metres */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #07111f !important; color: #e6edf7; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.2vh 1.6vw 0.8vh 1.6vw !important; }
[data-testid="stMain"] { overflow: hidden !important; }
/* a refresh replaces the figures in place: no fading of the elements while it runs */
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; }
.bs { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; color: #e6edf7; }
.bs-head { display: flex; align-items: baseline; justify-content: space-between; gap: 2vw;
           border-bottom: 2px solid #1f3b63; padding-bottom: 0.6vh; margin-bottom: 1vh; }
.bs-title { font-size: clamp(26px, 2.1vw, 96px); font-weight: 700; letter-spacing: 0.08em; color: #f5f8fc; }
.bs-tabs span { font-size: clamp(16px, 1.1vw, 52px); margin: 0 0.6vw; color: #6f86a6; }
.bs-tabs span.on { color: #ffd666; font-weight: 700; border-bottom: 3px solid #ffd666; }
.bs-stamp { font-size: clamp(14px, 0.95vw, 44px); color: #9fb3cf; text-align: right; line-height: 1.4; }
.bs-stale { background: #8a1c1c; color: #fff; font-size: clamp(18px, 1.3vw, 60px); font-weight: 700;
            padding: 0.8vh 1vw; border-radius: 6px; margin-bottom: 1vh; }
.bs-kpis { display: grid; grid-template-columns: repeat(var(--n), 1fr); gap: 1vw; margin-bottom: 1.2vh; }
.bs-kpi { background: #0d1d33; border: 1px solid #1f3b63; border-radius: 8px; padding: 1vh 1vw; }
.bs-label { font-size: clamp(16px, 1.15vw, 54px); color: #9fb3cf; }
.bs-value { font-size: clamp(40px, 3.3vw, 150px); font-weight: 700; line-height: 1.15; color: #ffffff;
            font-variant-numeric: tabular-nums; }
.bs-value small { font-size: 0.4em; font-weight: 400; color: #9fb3cf; margin-left: 0.2em; }
.bs-delta { font-size: clamp(15px, 1.05vw, 48px); color: #9fb3cf; }
.bs-delta.up { color: #ff6b6b; } .bs-delta.down { color: #4cd97b; }
.bs-box { background: #0d1d33; border: 1px solid #1f3b63; border-radius: 8px; padding: 1vh 1vw; }
.bs-h { font-size: clamp(18px, 1.3vw, 60px); color: #e6edf7; margin: 0 0 0.8vh 0; font-weight: 600; }
.bs-curve { display: flex; align-items: flex-end; gap: 0.5vw; height: 36vh; }
.bs-curve.tall { height: 44vh; }
.bs-day { flex: 1; min-width: 0; display: flex; flex-direction: column; align-items: center; justify-content: flex-end; height: 100%; }
.bs-bar { width: 70%; display: flex; flex-direction: column-reverse; }
.bs-bar .ic { background: #e6a23c; } .bs-bar .cm { background: #e5484d; }
.bs-num { font-size: clamp(14px, 0.95vw, 44px); color: #e6edf7; }
.bs-date { font-size: clamp(12px, 0.8vw, 38px); color: #9fb3cf; margin-top: 0.4vh; white-space: nowrap; }
.bs-key { font-size: clamp(14px, 0.95vw, 44px); color: #9fb3cf; }
.bs-key i { display: inline-block; width: 0.9em; height: 0.9em; margin: 0 0.3em 0 1em; vertical-align: middle; }
.bs-split { display: flex; height: 5vh; border-radius: 6px; overflow: hidden; margin: 1vh 0; }
.bs-split div { display: flex; align-items: center; justify-content: center; color: #fff; font-weight: 700;
                font-size: clamp(16px, 1.2vw, 56px); min-width: 7vw; white-space: nowrap; overflow: hidden; padding: 0 0.4vw; }
.bs-list { width: 100%; border-collapse: collapse; font-size: clamp(16px, 1.15vw, 54px); }
.bs-list, .bs-list tr, .bs-list td { border: none !important; background: transparent !important; }
.bs-list td { padding: 0.7vh 0.6vw; border-bottom: 1px solid #1f3b63 !important; color: #e6edf7; }
.bs-sev { font-weight: 700; padding: 0.1em 0.5em; border-radius: 4px; color: #fff; white-space: nowrap; }
.bs-sev.s0 { background: #c0392b; } .bs-sev.s1 { background: #d68910; } .bs-sev.s2 { background: #2e6da4; }
.bs-pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1vw; align-items: start; }
.bs-note { font-size: clamp(13px, 0.85vw, 40px); color: #6f86a6; margin-top: 0.6vh; }
.st-key-screen-map [data-testid="stDeckGlJsonChart"], .st-key-screen-map [data-testid="stDeckGlJsonChart"] > div {
  height: 58vh !important; }
/* the map's labels and zoom are drawn for a desktop screen: on a 4K wall everything is drawn twice as large */
@media (min-width: 2800px) {
  .st-key-screen-map [data-testid="stDeckGlJsonChart"] { zoom: 2; }
  .st-key-screen-map [data-testid="stDeckGlJsonChart"], .st-key-screen-map [data-testid="stDeckGlJsonChart"] > div {
    height: 29vh !important; }
}
</style>
"""

TIER_COLOURS = {"high": "#c0392b", "medium": "#d68910", "low": "#b7950b"}


def _e(value) -> str:
    return html.escape(str(value))


def _n(value) -> str:
    return ui.fmt(value)


def _delta(now: int, prev: int, worse_up: bool = True) -> str:
    diff = now - prev
    if diff == 0:
        return '<div class="bs-delta">与前日持平</div>'
    worse = (diff > 0) == worse_up
    arrow = "▲" if diff > 0 else "▼"
    return f'<div class="bs-delta {"up" if worse else "down"}">{arrow} {diff:+,} 较前日</div>'


def kpi(frame: Frame, key: str, label: str, unit: str, worse_up: bool = True) -> str:
    now, prev = frame.today[key], frame.before[key]
    return (f'<div class="bs-kpi" data-key="{key}"><div class="bs-label">{_e(label)}</div>'
            f'<div class="bs-value"><span class="v">{_n(now)}</span><small>{_e(unit)}</small></div>'
            f'{_delta(now, prev, worse_up)}</div>')


def kpi_row(cards: list[str]) -> str:
    return f'<div class="bs-kpis" style="--n:{len(cards)}">{"".join(cards)}</div>'


def header(frame: Frame | None, panel: str) -> str:
    """The title, the panels with the one showing marked, the day and when the figures were read."""
    tabs = "".join(f'<span class="{"on" if key == panel else ""}">{_e(name)}</span>' for key, name in PANELS.items())
    place = _e(frame.place) if frame else ""
    stamp = ""
    if frame is not None:
        stamp = (f"数据日 {frame.as_of.month}月{frame.as_of.day}日 · 计算时间 {_e(frame.computed or '—')}（北京时间）<br>"
                 f'<span class="bs-refreshed">刷新于 {frame.read_at:%H:%M:%S}</span>')
    return (f'<div class="bs bs-head"><div class="bs-title">{place} 疫情防控指挥大屏</div>'
            f'<div class="bs-tabs">{tabs}</div><div class="bs-stamp">{stamp}</div></div>')


def stale_banner(minutes: int, first: bool = False) -> str:
    if first:
        text = "数仓未响应：暂时无法读取大屏数据，将自动重试。"
    elif minutes < 1:
        text = "数据已不足 1 分钟未更新：数仓未响应，显示的是最近一次读到的数字，将自动重试。"
    else:
        text = f"数据已 {minutes} 分钟未更新：数仓未响应，显示的是最近一次读到的数字，将自动重试。"
    return f'<div class="bs bs-stale" data-testid="screen-stale">{_e(text)}</div>'


def curve(frame: Frame, tall: bool = False) -> str:
    """The last 14 days' new cases, 社会面 over 管控内, as stacked bars with their dates (the
    month named on the first day and on the first of a month)."""
    top = max(int((frame.curve["community"] + frame.curve["in_control"]).max()), 1)
    days = []
    for i, row in enumerate(frame.curve.itertuples()):
        date = f"{row.day.month}月{row.day.day}日" if i == 0 or row.day.day == 1 else f"{row.day.day}日"
        total = row.community + row.in_control
        cm, ic = 100 * row.community / top, 100 * row.in_control / top
        days.append(f'<div class="bs-day"><div class="bs-num">{_n(total)}</div>'
                    f'<div class="bs-bar" style="height:{cm + ic:.1f}%">'
                    f'<div class="ic" style="flex:{row.in_control}"></div><div class="cm" style="flex:{row.community}"></div>'
                    f'</div><div class="bs-date">{date}</div></div>')
    key = ('<span class="bs-key"><i style="background:#e5484d"></i>社会面<i style="background:#e6a23c"></i>管控内'
           "</span>")
    return (f'<div class="bs bs-box" data-part="curve"><div class="bs-h">近{CURVE_DAYS}天新增感染者（例）{key}</div>'
            f'<div class="bs-curve{" tall" if tall else ""}">{"".join(days)}</div></div>')


def overview(frame: Frame) -> str:
    return kpi_row([
        kpi(frame, "confirmed", "新增确诊", "例"), kpi(frame, "asymptomatic", "新增无症状", "例"),
        kpi(frame, "community_cases", "社会面", "例"), kpi(frame, "in_control_cases", "管控内", "例"),
        kpi(frame, "cases_to_date", "累计感染者", "例"), kpi(frame, "under_control", "在管人员", "人"),
    ])


def sampling(frame: Frame) -> str:
    t = frame.today
    cards = kpi_row([
        kpi(frame, "samples_taken", "当日采样", "人次", worse_up=False), kpi(frame, "sites_open", "开放采样点", "个", False),
        kpi(frame, "sites_congested", "拥堵", "个"), kpi(frame, "sites_busy", "繁忙", "个"),
        kpi(frame, "pending_b", "超24小时未出结果", "管"),
    ])
    parts = [("拥堵", t["sites_congested"], "#c0392b"), ("繁忙", t["sites_busy"], "#d68910"),
             ("畅通", frame.clear_sites, "#1e8449"), ("关闭", t["sites_closed"], "#4d5b6e"),
             ("未上报", t["sites_unreported"], "#2c3e57")]
    bar = "".join(f'<div style="flex:{n};background:{c}" data-state="{_e(name)}">{_e(name)} {_n(n)}</div>'
                  for name, n, c in parts if n)
    return (cards + f'<div class="bs bs-box" data-part="sites" style="margin-bottom:1.2vh"><div class="bs-h">采样点状态（共 {_n(t["sites_total"])} 个）</div>'
            f'<div class="bs-split">{bar}</div></div>' + curve(frame, tall=True))


def zones(frame: Frame) -> str:
    t = frame.today
    cards = "".join(
        f'<div class="bs-kpi" data-key="zones_{tier}"><div class="bs-label">{_e(ZONE_TIER_SHORT[tier])}区（现行）</div>'
        f'<div class="bs-value" style="color:{TIER_COLOURS[tier]}"><span class="v">{_n(n)}</span><small>个</small></div></div>'
        for tier, n in frame.zones.items())
    cm, ic = t["community_cases"], t["in_control_cases"]
    split = "".join(f'<div style="flex:{n};background:{c}">{_e(name)} {_n(n)} 例</div>'
                    for name, n, c in (("社会面", cm, "#e5484d"), ("管控内", ic, "#e6a23c")) if n)
    split = split or '<div style="flex:1;background:#1f3b63">当日无新增感染者</div>'
    return (f'<div class="bs-kpis" style="--n:{len(frame.zones) + 1}">{cards}'
            + kpi(frame, "under_control", "在管人员（24时）", "人") + "</div>"
            + f'<div class="bs bs-box" data-part="split" style="margin-bottom:1.2vh"><div class="bs-h">当日新增感染者：社会面 / 管控内</div><div class="bs-split">{split}</div>'
            + f'<div class="bs-note">在管：集中隔离 {_n(t["centralized"])} 人 · 居家隔离 {_n(t["home_quarantine"])} 人 · '
            + f'居家健康监测 {_n(t["home_monitoring"])} 人 · 当日新增管控密接 {_n(t["close_identified"])} 人</div></div>'
            + curve(frame))


def alerts(frame: Frame) -> str:
    cards = "".join(
        f'<div class="bs-kpi" data-key="alerts_{i}"><div class="bs-label">{_e(s)}预警（未处理）</div>'
        f'<div class="bs-value"><span class="v">{_n(n)}</span><small>条</small></div></div>'
        for i, (s, n) in enumerate(frame.alerts.items()))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rows = "".join(f'<tr><td><span class="bs-sev s{order.get(s, 2)}">{_e(s)}</span></td><td>{_e(rule)}</td>'
                   f'<td>{_e(area)}</td><td>{_e(seen)}</td></tr>' for s, rule, area, seen in frame.latest)
    rows = rows or '<tr><td>没有未处理的预警。</td></tr>'
    return (f'<div class="bs-kpis" style="--n:{len(frame.alerts)}">{cards}</div><div class="bs-pair">'
            f'<div class="bs bs-box" data-part="alerts"><div class="bs-h">最新未处理预警</div><table class="bs-list">{rows}</table>'
            f'<div class="bs-note">详情见“预警中心”（大屏不显示个人信息）。</div></div>{curve(frame)}</div>')


DRAW = {"overview": overview, "sampling": sampling, "zones": zones, "alerts": alerts}
