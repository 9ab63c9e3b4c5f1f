"""One glossary of definitions: every figure of 指挥总览, 每日简报 and 涉疫诉求 is defined in
portal/definitions.py, shown on hover, carried into the briefing's files, and listed in
docs/glossary.md; one word is one number."""

import ast
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document

from portal import glossary
from portal.command import appeals, briefing, cockpit
from portal.definitions import DEFINITIONS, glossary_markdown
from portal.settings import PortalSettings
from queries import registry

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = PortalSettings()
PARTS = ("label", "counts", "window", "cut", "unit", "text")


def cockpit_keys() -> set[str]:
    """Every figure key pages/cockpit.py shows: its cards (row(...) lists), the figures in its
    notes (total['…']) and the columns of its unit table."""
    tree = ast.parse((ROOT / "pages" / "cockpit.py").read_text(encoding="utf-8"))
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "row":
            for arg in node.args[1:2]:
                keys |= {e.value for e in arg.elts}
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "total" \
                and isinstance(node.slice, ast.Constant):
            keys.add(node.slice.value)
    text = (ROOT / "pages" / "cockpit.py").read_text(encoding="utf-8")
    # the unit table's columns: `shown = table…[["name", "unit_code", …]]`
    shown = re.search(r'shown = table.*?\[\s*\[("name".*?)\]\]', text, re.S).group(1)
    keys |= set(re.findall(r'"(\w+)"', shown)) - {"name", "unit_code"}
    return keys


def briefing_keys() -> set[str]:
    return {k for _, keys in briefing.SECTIONS for k in keys} | set(briefing.DISTRICT_COLUMNS) | set(briefing.ZERO_COLUMNS)


def test_the_cockpit_page_is_read_right():
    keys = cockpit_keys()
    assert {"under_control", "transfer_24h_rate", "pending_a", "screening_awaiting", "community_zero"} <= keys
    assert len(keys) >= 25


def test_every_cockpit_briefing_and_appeals_figure_is_defined():
    appeal_columns = set(appeals.by_unit(pd.DataFrame(columns=["unit_code", "type", "received", "closed", "open_now",
                                                               "overdue", "emergencies_late", "rated", "rating_sum",
                                                               "satisfied"]), {}).columns)
    appeal_columns |= set(appeals.by_type(pd.DataFrame(), SETTINGS).columns)
    appeal_kpis = {"received", "closed", "overdue", "emergencies_late", "emergencies", "satisfied_pct", "rated"}
    wanted = cockpit_keys() | briefing_keys() | appeal_kpis | (appeal_columns - {"unit_code", "name", "type"})
    assert sorted(wanted - set(DEFINITIONS)) == []
    assert set(glossary.INDICATORS) <= set(DEFINITIONS)


def test_every_definition_is_whole_and_speaks_chinese():
    for key, d in DEFINITIONS.items():
        assert all(getattr(d, part).strip() for part in PARTS), key
        assert re.search(r"[\u4e00-\u9fff]", d.text) and d.text.endswith("。"), key
        # no English on a leader's page: the hover text holds no code words
        assert not re.search(r"[A-Za-z_]{3,}", d.help()), key


def test_an_indicator_has_one_word_everywhere():
    for key, (label, unit, _) in glossary.INDICATORS.items():
        assert DEFINITIONS[key].label == label, key
        assert DEFINITIONS[key].unit == unit, key
        assert glossary.COLUMNS[key].label == label, key
    # the cockpit's 当日办结诉求 and the appeals page's 其中已办结 count different things: different words
    assert glossary.INDICATORS["appeals_closed"][0] != glossary.COLUMNS["closed"].label
    # 新增密接 was two numbers: now 当日判定密接 (named) and 新增管控密接 (put under control)
    labels = [label for label, _, _ in glossary.INDICATORS.values()]
    assert "新增密接" not in labels and len(labels) == len(set(labels))


def test_the_glossary_doc_is_generated_from_the_definitions():
    doc = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert doc == glossary_markdown(), "docs/glossary.md is stale: python -m portal.definitions > docs/glossary.md"
    for key, d in DEFINITIONS.items():
        assert f"{d.label}（`{key}`）" in doc


def runner(scope=""):
    return lambda name, **p: registry.run(name, scope, **p)


@pytest.fixture(scope="module")
def city_briefing(wh):
    row = registry.run("meta/data_range", "").iloc[0]
    span = {"first_day": row["first_day"].date(), "last_day": row["last_day"].date()}
    return briefing.for_scope(runner(), SETTINGS, dt.date(2022, 3, 1), span, "")


def test_the_briefing_files_carry_each_rows_definition(city_briefing):
    b = city_briefing
    rows = list(openpyxl.load_workbook(io.BytesIO(briefing.xlsx_bytes(b)))["简报"].values)
    assert rows[2][-1] == "口径"
    by_label = {r[1]: r[-1] for r in rows[3:]}
    for key in b.figures["key"]:
        assert by_label[DEFINITIONS[key].label] == DEFINITIONS[key].line()
    text = "\n".join(p.text for p in Document(io.BytesIO(briefing.docx_bytes(b))).paragraphs)
    assert "指标口径" in text
    for key in briefing_keys():
        assert f"{DEFINITIONS[key].label}：{DEFINITIONS[key].line()}" in text


def test_close_contacts_named_and_put_under_control_on_a_pinned_day(wh, city_briefing):
    """2022-03-01 at tiny: 36 people named close contacts, 17 of them newly put under control
    (the other 19 had a control record before), counted from the raw tables."""
    got = city_briefing.figures.set_index("key")["today"]
    named = wh.scalar("SELECT uniqExact(to_person_id) FROM epi.contact_edge WHERE hop = 1 "
                      "AND toDate(identified_at, 'Asia/Shanghai') = '2022-03-01'")
    put = wh.scalar("SELECT count() FROM epi.control_episode WHERE kind = 'close_contact' "
                    "AND toDate(identified_at, 'Asia/Shanghai') = '2022-03-01'")
    before = wh.scalar("SELECT count() FROM epi.control_episode WHERE identified_at < toDateTime('2022-03-01', "
                       "'Asia/Shanghai') AND person_id IN (SELECT to_person_id FROM epi.contact_edge WHERE hop = 1 "
                       "AND toDate(identified_at, 'Asia/Shanghai') = '2022-03-01')")
    assert (int(got["close_named"]), int(got["close_identified"])) == (named, put) == (36, 17)
    assert named - put == before == 19


def test_the_appeals_page_says_what_each_card_counts(tiny_warehouse):
    """Every card has its definition on hover; the received card names the window, the closed
    card says 其中 (of those received), and the satisfaction rate shows the ratings beneath it."""
    from signing import put_identity
    from streamlit.testing.v1 import AppTest

    from portal.auth.session import Identity

    at = AppTest.from_file(str(ROOT / "pages" / "appeals.py"), default_timeout=120)
    put_identity(at, Identity("测试", "leadership", ""))
    at.run()
    assert not at.exception and not at.error
    cards = {m.label: m for m in at.metric}
    assert list(cards) == ["近7日受理（件）", "其中已办结（件）", "超期未办结（件）", "紧急超时（件）", "满意率（%）"]
    assert all(m.proto.help for m in at.metric)
    last = dt.date(2022, 3, 20)
    total = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, last - dt.timedelta(days=6), last))
    assert cards["满意率（%）"].proto.delta == f"{int(total['rated']):,} 条评价"
    assert cards["紧急超时（件）"].proto.delta == f"紧急诉求 {int(total['emergencies']):,} 件"


def test_closed_and_rated_appeals_pinned_against_raw_rows(wh):
    """2022-03-01 at tiny: 8 appeals were closed that day (the cockpit's 当日办结诉求), 2 of that
    day's appeals were closed by 24:00 (the appeals page's 其中已办结, window 当日) — two words;
    the 7 days to 2022-03-20: the satisfaction rate 83.3% rests on 18 ratings."""
    day = dt.date(2022, 3, 1)
    raw = wh.query_df("SELECT received_at, closed_at, rated_at, rating FROM epi.appeal")
    end = pd.Timestamp(day + dt.timedelta(days=1))
    closed_that_day = int((raw["closed_at"].dt.date == day).sum())
    received_and_closed = int(((raw["received_at"].dt.date == day) & (raw["closed_at"] < end)).sum())
    cockpit_total = cockpit.compute(runner(), SETTINGS, "", day).total()
    page_total = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, day, day))
    assert (int(cockpit_total["appeals_closed"]), int(page_total["closed"])) == (closed_that_day, received_and_closed) \
        == (8, 2)

    last = dt.date(2022, 3, 20)
    start, stop = pd.Timestamp(last - dt.timedelta(days=6)), pd.Timestamp(last + dt.timedelta(days=1))
    rated = raw[(raw["received_at"] >= start) & (raw["received_at"] < stop) & (raw["rated_at"] < stop)]
    total = appeals.totals(appeals.handling(runner(), SETTINGS, "", 6, last - dt.timedelta(days=6), last))
    _, share, _ = appeals.satisfaction(total)
    assert (int(total["rated"]), share) == (len(rated), round(100.0 * (rated["rating"] >= 4).mean(), 1)) == (18, 83.3)
