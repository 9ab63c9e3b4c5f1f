"""The daily briefing: the exported figures equal the cockpit's for the same date and
jurisdiction, the files are real XLSX and Word with a chart, and bad input gets one line."""

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from portal.command import briefing, cockpit
from portal.settings import PortalSettings
from queries import registry

SETTINGS = PortalSettings()


def runner(scope):
    return lambda name, **p: registry.run(name, scope, **p)


@pytest.fixture(scope="module")
def span(wh):
    row = registry.run("meta/data_range", "").iloc[0]
    return {"first_day": row["first_day"].date(), "last_day": row["last_day"].date()}


@pytest.mark.parametrize("scope,day", [("", dt.date(2022, 3, 1)), ("", dt.date(2022, 3, 8)),
                                       ("510104", dt.date(2022, 3, 1))])
def test_exported_figures_equal_the_cockpit(wh, span, tmp_path, scope, day):
    b = briefing.for_scope(runner(scope), SETTINGS, day, span, scope)
    figures = cockpit.compute(runner(scope), SETTINGS, scope, day)
    today, prev = figures.total("today"), figures.total("prev")
    paths = briefing.write(b, tmp_path)
    sheet = openpyxl.load_workbook(paths[0])["简报"]
    rows = list(sheet.values)
    assert rows[0][0] == b.title
    exported = {r[1]: (r[3], r[4]) for r in rows[3:]}
    for key, (label, _, _) in [(k, briefing.INDICATORS[k]) for _, keys in briefing.SECTIONS for k in keys]:
        if key == "transfer_24h_rate":
            assert exported[label] == (cockpit.transfer_rate(today), cockpit.transfer_rate(prev))
        else:
            assert exported[label] == (int(today[key]), int(prev[key])), label
    assert len(rows) - 3 == sum(len(keys) for _, keys in briefing.SECTIONS)


def test_the_city_briefing_on_a_pinned_day(wh, span):
    b = briefing.for_scope(runner(""), SETTINGS, dt.date(2022, 3, 2), span, "")
    got = b.figures.set_index("key")
    # pinned for seed 20220220 at tiny (the cockpit test pins the same day)
    assert (got.loc["asymptomatic", "today"], got.loc["cases_to_date", "today"]) == (3, 66)
    assert got.loc["close_identified", "today"] == 10
    new = got.loc["confirmed", "today"] + got.loc["asymptomatic", "today"]
    assert got.loc["cases_to_date", "prev"] == 66 - new
    assert b.place == "成都市" and len(b.districts) == 20


def test_the_word_file_reads_back_with_its_chart(wh, span, tmp_path):
    b = briefing.for_scope(runner("510104"), SETTINGS, dt.date(2022, 3, 1), span, "510104")
    paths = briefing.write(b, tmp_path)
    assert [p.name for p in paths] == ["每日简报_锦江区_20220301.xlsx", "每日简报_锦江区_20220301.docx"]
    doc = Document(paths[1])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "锦江区疫情防控每日简报（2022年03月01日24时）" in text
    under = b.figures.set_index("key").loc["under_control"]
    assert f"在管人员：{int(under['today']):,}人（前一日 {int(under['prev']):,}人" in text
    assert len(doc.inline_shapes) == 1
    assert doc.tables[0].rows[0].cells[1].text == "名称"
    assert len(doc.tables[0].rows) == 1 + len(b.districts)
    assert not list(tmp_path.glob(".briefing-*"))


def test_the_headless_command_writes_both_files(wh, tmp_path, capsys):
    assert briefing.main(["--date", "2022-03-01", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["每日简报_成都市_20220301.xlsx", "每日简报_成都市_20220301.docx"]
    assert all(Path(p).stat().st_size > 10_000 for p in printed)


@pytest.mark.parametrize("args,message", [
    (["--date", "2022-3-1x"], "无法识别"),
    (["--date", "2021-01-01"], "没有数据：请选择 2022-02-10 至 2022-03-20"),
    (["--date", "2022-03-01", "--scope", "5101"], "管辖范围“5101”无效"),
])
def test_bad_headless_input_gets_one_line(wh, tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert briefing.main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists() or not any(out.iterdir())


def test_an_output_folder_that_cannot_be_made_is_refused(wh, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert briefing.main(["--date", "2022-03-01", "--out", str(blocker / "sub")]) == 2
    assert "无法创建输出目录" in capsys.readouterr().err
