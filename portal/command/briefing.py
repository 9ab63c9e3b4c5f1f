"""每日简报: the day's figures leadership ask for, cut at 24:00 Beijing time, each against the
day before — cases, contacts and the closed loop, people under control, testing and sites,
appeals, screening — with the districts and a 14-day trend, written as XLSX and Word (.docx).

The figures are the cockpit's own (`portal.command.cockpit.compute` on the same queries), so the
briefing and the cockpit cannot disagree. Files are written to a temporary name in the target
folder and renamed when complete, so a failed export leaves nothing half-written.

Headless: `python -m portal.command.briefing --date 2022-03-01 --out DIR [--scope CODE]`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from portal import exports
from portal.command import cockpit
from portal.errors import EpiError
from portal.glossary import DEFINITIONS, INDICATORS, headed
from portal.settings import PortalSettings
from warehouse.rules.geography import UNIT_CODE

# (section, indicator keys) in the order the briefing reads
SECTIONS = [
    ("病例", ["confirmed", "asymptomatic", "cases_to_date", "community_cases", "in_control_cases"]),
    ("密接与闭环管控", ["close_named", "close_identified", "secondary_identified", "transfer_24h_rate"]),
    ("在管人员", ["under_control", "centralized", "home_quarantine", "home_monitoring"]),
    ("核酸检测与采样点", ["samples_taken", "pending_a", "pending_b", "sites_open", "sites_busy", "sites_congested",
                           "sites_congested_ever"]),
    ("涉疫诉求", ["appeals_received", "appeals_closed", "appeals_overdue"]),
    ("风险排查", ["screening_dispatched", "screening_verified", "screening_awaiting"]),
]
DISTRICT_COLUMNS = ["under_control", "confirmed", "asymptomatic", "community_cases", "in_control_cases",
                    "close_named", "close_identified", "samples_taken", "appeals_received", "screening_awaiting"]
ZERO_COLUMNS = ["community_free_days", "community_zero"]
TREND_DAYS = 14
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC"]


class BriefingError(EpiError, ValueError):
    """A briefing that cannot be made; str() says why and what to do, in Chinese."""


@dataclass(frozen=True)
class Briefing:
    day: dt.date
    place: str  # 全市 or the jurisdiction's name
    figures: pd.DataFrame  # section, key, label, unit, today, prev, change
    districts: pd.DataFrame  # one row per child unit
    trend: pd.DataFrame  # day × metric (last 14 days)
    zero_days: int = 1  # the 社会面清零 days the district table was judged by
    # alerts first seen that day under the jurisdiction, by rule and severity (portal.alerts)
    alerts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["alert_rule", "severity", "alerts"]))

    @property
    def title(self) -> str:
        return f"{self.place}疫情防控每日简报（{self.day:%Y年%m月%d日}24时）"


def make(run, settings: PortalSettings, day: dt.date, span: dict, unit: str, place: str,
         unit_names: dict[str, str]) -> Briefing:
    """The day's figures for `unit` ('' = city) under the runner's jurisdiction."""
    if not span["first_day"] <= day <= span["last_day"]:
        raise BriefingError(f"{day} 没有数据：请选择 {span['first_day']} 至 {span['last_day']} 之间的日期。")
    origin = cockpit.case_origin(run, unit, day)  # read once: the day's figures and 社会面清零
    result = cockpit.compute(run, settings, unit, day, origin=origin)
    today, prev = result.total("today"), result.total("prev")
    rows = []
    for section, keys in SECTIONS:
        for key in keys:
            label, unit_text, _ = INDICATORS[key]
            if key == "transfer_24h_rate":
                now, before = cockpit.transfer_rate(today), cockpit.transfer_rate(prev)
            else:
                now, before = int(today.get(key, 0)), int(prev.get(key, 0))
            change = None if now is None or before is None else round(now - before, 1)
            rows.append({"section": section, "key": key, "label": label, "unit": unit_text,
                         "today": now, "prev": before, "change": change})
    districts = result.today.reindex(columns=DISTRICT_COLUMNS).reset_index()
    districts.insert(1, "name", districts["unit_code"].map(unit_names).fillna(districts["unit_code"]))
    zero = cockpit.community_zero(run, settings, unit, day, origin=origin)[ZERO_COLUMNS]
    districts = districts.merge(zero.reset_index(), on="unit_code", how="left")
    districts["community_zero"] = districts["community_zero"].map({True: "已清零", False: "未清零"}).fillna("已清零")
    start = max(span["first_day"], day - dt.timedelta(days=TREND_DAYS - 1))
    trend = run("cockpit/daily_trend", unit=unit, date_from=start, as_of=day)
    return Briefing(day, place, pd.DataFrame(rows, dtype=object), districts.sort_values("unit_code", ignore_index=True), trend,
                    settings.community_zero_days, day_alerts(unit, day))


def day_alerts(unit: str, day: dt.date) -> pd.DataFrame:
    """The alerts first seen on the day under `unit`, by rule and severity (the alert centre's store)."""
    from portal.alerts import center

    return center.new_on(unit, day)


def alert_lines(b: Briefing) -> list[str]:
    """The day's new alerts as the briefing words them, most severe first."""
    if b.alerts.empty:
        return ["当日无新增预警。"]
    return [f"{r.severity}·{r.alert_rule}：{int(r.alerts):,} 条" for r in b.alerts.itertuples()]


def figure_table(b: Briefing) -> pd.DataFrame:
    """The figures with Chinese headers, as exported: each row with its 口径 from the glossary."""
    return b.figures.assign(definition=b.figures["key"].map(lambda k: DEFINITIONS[k].line()))[
        ["section", "label", "unit", "today", "prev", "change", "definition"]].rename(
        columns={"section": "板块", "label": "指标", "unit": "单位", "today": f"{b.day:%m月%d日}",
                 "prev": f"{b.day - dt.timedelta(days=1):%m月%d日}", "change": "较前一日", "definition": "口径"})


def definition_lines(b: Briefing) -> list[str]:
    """The 口径 of every figure and district column of the briefing, one line each."""
    keys = list(b.figures["key"]) + [k for k in (*DISTRICT_COLUMNS, *ZERO_COLUMNS) if k not in set(b.figures["key"])]
    return [f"{DEFINITIONS[k].label}：{DEFINITIONS[k].line()}" for k in keys]


def zero_line(b: Briefing) -> str:
    """One sentence on 社会面清零 among the units of the district table."""
    if b.districts.empty:
        return "无下辖单位数据。"
    reached = b.districts.loc[b.districts["community_zero"] == "已清零", "name"].tolist()
    pending = b.districts.loc[b.districts["community_zero"] != "已清零", "name"].tolist()
    text = f"社会面清零（连续 {b.zero_days} 天无社会面病例）：{len(reached)} 个已清零"
    return text + (f"，{len(pending)} 个未清零（{'、'.join(pending)}）。" if pending else "，全部清零。")


def district_table(b: Briefing) -> pd.DataFrame:
    """The districts with glossary headers, as shown and exported."""
    return headed(b.districts)


def trend_png(b: Briefing) -> bytes:
    """The 14-day trend of new cases and people under control as a PNG with Chinese labels."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS + plt.rcParams["font.sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    wide = b.trend.assign(day=pd.to_datetime(b.trend["day"])).pivot_table(
        index="day", columns="metric", values="value", aggfunc="sum")
    days = pd.date_range(b.day - dt.timedelta(days=TREND_DAYS - 1), b.day, freq="D")
    wide = wide.reindex(index=days).fillna(0)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), dpi=120)
    cases = [wide.get(k, pd.Series(0, index=days)) for k in ("confirmed", "asymptomatic")]
    left.bar(days, cases[0], label="新增确诊", color="#c0392b")
    left.bar(days, cases[1], bottom=cases[0], label="新增无症状", color="#f39c12")
    left.set_title("新增感染者（例）")
    left.legend(fontsize=8)
    right.plot(days, wide.get("under_control", pd.Series(0, index=days)), marker="o", color="#2c6fbb")
    right.set_title("在管人员（人，24时）")
    for ax in (left, right):
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%-m月%-d日"))  # as the portal's charts
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def xlsx_bytes(b: Briefing) -> bytes:
    from openpyxl.drawing.image import Image

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        figure_table(b).to_excel(writer, sheet_name="简报", index=False, startrow=2)
        sheet = writer.sheets["简报"]
        sheet["A1"] = b.title
        sheet.column_dimensions["G"].width = 90
        district_table(b).to_excel(writer, sheet_name="分区县", index=False)
        headed(b.alerts).to_excel(writer, sheet_name="当日预警", index=False)
        for written in writer.sheets.values():
            exports.text_cells(written)  # a name that reads as a formula stays text
        chart = writer.book.create_sheet("趋势图")
        image = Image(io.BytesIO(trend_png(b)))
        chart.add_image(image, "A1")
    return buf.getvalue()


def docx_bytes(b: Briefing) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Noto Sans CJK SC", Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    doc.add_heading(b.title, level=1)
    for section, group in b.figures.groupby("section", sort=False):
        doc.add_heading(section, level=2)
        for r in group.itertuples():
            doc.add_paragraph(f"{r.label}：{fmt(r.today)}{r.unit}（前一日 {fmt(r.prev)}{r.unit}，{_change(r.change, r.unit)}）",
                              style="List Bullet")
    doc.add_heading("分区县情况", level=2)
    doc.add_paragraph(zero_line(b))
    table = district_table(b)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table.columns):
        cell.text = str(header)
    for values in table.itertuples(index=False):
        for cell, value in zip(grid.add_row().cells, values):
            cell.text = (f"{value:,}" if isinstance(value, (int, np.integer))
                         else "—" if pd.isna(value) else str(value))
    doc.add_heading("当日新增预警", level=2)
    for line in alert_lines(b):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("近14天趋势", level=2)
    doc.add_picture(io.BytesIO(trend_png(b)), width=Inches(6.3))
    doc.add_heading("指标口径", level=2)
    for line in definition_lines(b):
        doc.add_paragraph(line, style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write(b: Briefing, folder: Path) -> list[Path]:
    """Write the XLSX and the Word file into `folder`; each appears only when complete."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BriefingError(f"无法创建输出目录 {folder}（{exc.strerror}）：请换一个可写的目录。") from None
    if not os.access(folder, os.W_OK):
        raise BriefingError(f"输出目录 {folder} 不可写：请换一个可写的目录，或检查权限。")
    stem = f"每日简报_{b.place}_{b.day:%Y%m%d}"
    outputs = [(folder / f"{stem}.xlsx", xlsx_bytes(b)), (folder / f"{stem}.docx", docx_bytes(b))]
    written = []
    for path, data in outputs:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".briefing-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise BriefingError(f"写入 {path.name} 失败（{exc.strerror}）：请检查磁盘空间与权限。") from None
        written.append(path)
    return written


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if isinstance(value, float) else f"{int(value):,}"


def _change(change, unit: str) -> str:
    if change is None:
        return "无可比数据"
    if change == 0:
        return "持平"
    word = "增加" if change > 0 else "减少"
    return f"{word} {fmt(abs(change))}{'个百分点' if unit == '%' else unit}"


def main(argv=None) -> int:
    """Headless briefing for a scheduled job; one line on stderr and exit 2 on bad input."""
    import argparse
    import sys

    from queries import registry, schema

    ap = argparse.ArgumentParser(prog="python -m portal.command.briefing", description="每日简报：导出 XLSX 与 Word")
    ap.add_argument("--date", required=True, help="统计日期 YYYY-MM-DD（截至当日24时，北京时间）")
    ap.add_argument("--out", required=True, help="输出目录")
    ap.add_argument("--scope", default="", help="管辖范围：区（市）县或街道代码，默认全市")
    args = ap.parse_args(argv)
    try:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise BriefingError(f"日期“{args.date}”无法识别：请写成 YYYY-MM-DD，例如 2022-03-01。") from None
        if not UNIT_CODE.match(args.scope):
            raise BriefingError(f"管辖范围“{args.scope}”无效：请写 6 位区（市）县代码或 9 位街道代码，全市留空。")
        schema.ensure_current()

        def run(name, **params):
            return registry.run(name, args.scope, **params)

        span_row = run("meta/data_range").iloc[0]
        span = {"first_day": pd.Timestamp(span_row["first_day"]).date(), "last_day": pd.Timestamp(span_row["last_day"]).date()}
        briefing = for_scope(run, load_settings(), day, span, args.scope)
        for path in write(briefing, Path(args.out)):
            print(path)
    except EpiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def for_scope(run, settings: PortalSettings, day: dt.date, span: dict, scope: str) -> Briefing:
    """The briefing a caller with jurisdiction `scope` may see: the city, or their own unit."""
    grain = cockpit.CHILD_GRAIN[len(scope)]
    children = run("geo/units", unit=scope, grain=grain)
    names = dict(zip(children["unit_code"], children["name"]))
    place = "成都市"
    if scope:
        own = run("geo/units", unit=scope, grain=len(scope))
        place = str(own["name"].iloc[0]) if len(own) else scope
    return make(run, settings, day, span, scope, place, names)


def load_settings() -> PortalSettings:
    from portal.settings import load_portal_settings

    return load_portal_settings()


if __name__ == "__main__":
    raise SystemExit(main())
