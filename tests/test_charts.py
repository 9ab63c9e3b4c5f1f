"""Charts in Chinese (portal/ui/charts.py): dates as 2月20日, hours as 14时, glossary names, no
plotly toolbar."""

import datetime as dt

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from portal.ui import charts


class Where:
    """Stands in for st or a column: records what plotly_chart was given."""

    def plotly_chart(self, fig, **kwargs):
        self.fig, self.kwargs = fig, kwargs


def test_a_daily_axis_reads_month_and_day_in_chinese():
    days = pd.DataFrame({"日期": [dt.date(2022, 2, 1) + dt.timedelta(days=i) for i in range(20)], "例": range(20)})
    fig = charts.zh(px.bar(days, x="日期", y="例"))
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.tickformat == "%-m月%-d日"
    assert fig.layout.xaxis.hoverformat == "%-m月%-d日"
    assert fig.layout.xaxis.dtick is None  # twenty days: plotly spaces the ticks itself
    assert fig.layout.yaxis.tickformat is None
    assert (fig.layout.yaxis.exponentformat, fig.layout.yaxis.separatethousands) == ("none", True)  # 10,000, not 10k
    assert fig.layout.xaxis.exponentformat is None
    assert fig.data[0].hovertemplate == "日期=%{x}<br>例=%{y}<extra></extra>"
    assert (fig.layout.legend.orientation, fig.layout.legend.y) == ("h", 1.02)  # above the plot


def test_a_legend_the_page_placed_stays_there():
    frame = pd.DataFrame({"日期": pd.to_datetime(["2022-02-20", "2022-02-21"]), "例": [1, 2], "指标": ["甲", "乙"]})
    fig = charts.zh(px.bar(frame, x="日期", y="例", color="指标").update_layout(legend={"orientation": "v", "y": 0.5}))
    assert (fig.layout.legend.orientation, fig.layout.legend.y) == ("v", 0.5)


def test_an_hourly_axis_reads_hours():
    hours = pd.DataFrame({"at": pd.date_range("2022-02-20 08:00", periods=10, freq="h"), "n": range(10)})
    fig = charts.zh(px.line(hours, x="at", y="n"))
    assert fig.layout.xaxis.tickformat == "%-m月%-d日 %-H时"
    assert fig.layout.xaxis.hoverformat == "%-m月%-d日 %-H时"


def test_a_short_daily_axis_has_one_tick_per_day():
    """Four days: without a fixed tick plotly would also tick the noons, each read 2月20日 twice."""
    fig = charts.zh(go.Figure(go.Bar(x=["2022-02-20", "2022-02-21", "2022-02-22", "2022-02-23"], y=[1, 2, 3, 4])))
    assert (fig.layout.xaxis.tickformat, fig.layout.xaxis.dtick, fig.layout.xaxis.tick0) == (
        "%-m月%-d日", 86_400_000, "2022-02-20")


def test_dates_on_the_y_axis_of_a_second_subplot():
    fig = go.Figure([go.Bar(x=[1, 2], y=[3, 4]),
                     go.Scatter(x=[1, 2], y=pd.to_datetime(["2022-03-01", "2022-03-20"]), xaxis="x2", yaxis="y2")])
    fig.update_layout(xaxis2={"anchor": "y2"}, yaxis2={"anchor": "x2"})
    charts.zh(fig)
    assert fig.layout.yaxis2.tickformat == "%-m月%-d日"
    assert fig.layout.xaxis.tickformat is None and fig.layout.yaxis.tickformat is None


def test_numbers_and_categories_are_not_dates():
    fig = charts.zh(px.bar(pd.DataFrame({"评价": ["1星", "2星"], "件数": [3, 4]}), x="评价", y="件数"))
    assert fig.layout.xaxis.type is None and fig.layout.xaxis.tickformat is None


def test_hours_of_the_day_read_as_hours_and_english_names_from_the_glossary():
    frame = pd.DataFrame({"hour": [8, 9, 10], "samples": [30, 40, 50], "purpose": ["全员核酸", "全员核酸", "管控人员检测"]})
    fig = charts.zh(px.histogram(frame, x="hour", y="samples", color="purpose"), hours="x")
    assert fig.layout.xaxis.ticksuffix == "时"
    # axis titles from the glossary ("hour" → 时, "sum of samples" has no entry and stays)
    assert fig.layout.xaxis.title.text == "时"
    assert fig.layout.yaxis.title.text == "sum of samples"
    assert fig.data[0].hovertemplate == "purpose=全员核酸<br>时=%{x}时<br>sum of samples=%{y}<extra></extra>"
    fig = charts.zh(px.histogram(frame, x="hour", y="samples").update_yaxes(title="人次"))
    assert fig.data[0].hovertemplate == "时=%{x}<br>人次=%{y}<extra></extra>"  # the hover says what the axis says
    fig = charts.zh(px.bar(frame, x="hour", y="samples", color="hour"))
    assert fig.layout.coloraxis.colorbar.title.text == "hour"  # not a legend title; left as it is
    fig = charts.zh(px.bar(frame.assign(day=["2022-02-20"] * 3), x="samples", y="hour", color="day"))
    assert fig.layout.legend.title.text == "日期"


def test_show_renders_without_plotly_toolbar_and_in_chinese_once():
    where = Where()
    fig = px.bar(pd.DataFrame({"day": pd.to_datetime(["2022-02-20", "2022-03-01"]), "n": [1, 2]}), x="day", y="n")
    charts.show(where, fig)
    assert where.fig is fig and fig.layout.meta == charts.DONE
    assert where.kwargs == {"config": {"displayModeBar": False, "displaylogo": False}, "width": "stretch"}
    assert fig.layout.xaxis.title.text == "日期"
    # a figure already in Chinese (built once and shared by sessions) is rendered as it is
    shared = charts.zh(px.bar(pd.DataFrame({"hour": [1, 2], "n": [1, 2]}), x="hour", y="n"))
    charts.show(where, shared, hours="x")
    assert where.fig is shared and shared.layout.xaxis.ticksuffix is None


def test_day_names():
    assert charts.day_names([dt.date(2022, 2, 20), dt.date(2022, 12, 1)]).tolist() == ["2月20日", "12月1日"]
