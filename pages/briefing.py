"""每日简报: the day's figures for the leadership, each against the day before, with the
districts and a 14-day trend, downloadable as XLSX and Word."""

import streamlit as st

from portal import exports, ui
from portal.command import briefing
from portal.data import page_context, shared
from portal.glossary import help_for, help_for_all
from portal.ui import pickers

identity, settings, span, run = page_context()


@shared
def trend_image(run, settings, day, span, scope):
    """The 14-day trend chart (PNG), drawn once per day, jurisdiction and data version for every session."""
    return briefing.trend_png(briefing.for_scope(run, settings, day, span, scope))


st.title("每日简报")
day = pickers.as_of(st, span, "briefing-day", "统计日期（截至当日24时，北京时间）", span["last_day"])
try:
    b = briefing.for_scope(run, settings, day, span, identity.scope)
except briefing.BriefingError as exc:
    st.error(str(exc))
    st.stop()

st.markdown(f"#### {ui.text(b.title)}")
for section, group in b.figures.groupby("section", sort=False):
    st.markdown(f"**{section}**")
    cols = st.columns(len(group))
    for col, r in zip(cols, group.itertuples()):
        delta = None if not r.change else (f"{r.change:+,.1f}" if isinstance(r.change, float) else f"{r.change:+,}")
        col.metric(f"{r.label}（{r.unit}）", briefing.fmt(r.today), delta, delta_color="off", border=True,
                   help=help_for(r.key))
ui.phone_friendly_kpis()
st.image(trend_image(run, settings, day, span, identity.scope), caption="近14天新增感染者与在管人员")
st.markdown("##### 分区县情况" if not identity.scope else "##### 下辖情况")
st.caption(briefing.zero_line(b), help=help_for_all(briefing.ZERO_COLUMNS))
ui.table(b.districts, hide_index=True, width="stretch", helps=True)
st.markdown("##### 当日新增预警")
if b.alerts.empty:
    st.caption("当日无新增预警（详见“预警中心”）。")
else:
    ui.table(b.alerts, hide_index=True, width="stretch", helps={"alerts": "alerts_new"})
stem = f"每日简报_{b.place}_{day:%Y%m%d}"
c1, c2 = st.columns(2)
rows = len(b.figures) + len(b.districts)
exports.download(c1, "下载 XLSX", lambda: briefing.xlsx_bytes(b), f"{stem}.xlsx", "xlsx", "briefing-xlsx",
                 what=stem, rows=rows, identity=identity)
exports.download(c2, "下载 Word", lambda: briefing.docx_bytes(b), f"{stem}.docx", "docx", "briefing-docx",
                 what=stem, rows=rows, identity=identity)
st.caption("数字与“指挥总览”同一口径（同一组查询）；各项口径见指标上的问号，下载的 XLSX 与 Word 中也附有口径。")
