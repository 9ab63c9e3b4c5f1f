"""The data-sources page for every role, and the cockpit's one-line warning for a stale feed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from ingestion_files import (
    FIRST_TEST_PERSON,
    PERSON_HEADER,
    forget_loads,
    person_rows,
    with_defects,
    write_csv,
)
from signing import put_identity
from streamlit.testing.v1 import AppTest

from portal.auth.session import Identity
from portal.command import sources
from portal.settings import PortalSettings
from queries import registry
from warehouse.ingest import Loader, resolve

ROOT = Path(__file__).resolve().parent.parent
ROLES = [("leadership", ""), ("analyst", ""), ("district_operator", "510104")]


@pytest.fixture(scope="module")
def loaded(wh, tmp_path_factory):
    """Two person files loaded (one with bad rows), then forgotten after the module."""
    folder = tmp_path_factory.mktemp("files")
    communities = [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 10")]
    rows, bad = with_defects(person_rows(50, communities, first=FIRST_TEST_PERSON + 7000), every=10)
    loader = Loader(wh)
    first = loader.load(resolve("PSB", "PSB-01"), write_csv(folder / "常住人口.csv", PERSON_HEADER, rows))
    second = loader.load(resolve("GOV", "GOV-05"),
                         write_csv(folder / "特殊人群.csv", PERSON_HEADER,
                                   person_rows(8, communities, first=FIRST_TEST_PERSON + 7100)))
    # the portal re-reads the data version every 30 s; a module run right after another one's
    # loads must not be served that module's cached figures
    st.cache_data.clear()
    yield first, second, bad
    forget_loads(wh)
    st.cache_data.clear()


def page(identity: Identity, name: str = "sources.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=120)
    put_identity(at, identity)
    return at.run()


@pytest.mark.parametrize("role,scope", ROLES)
def test_data_sources_page_renders_for_every_role(wh, loaded, role, scope):
    at = page(Identity("测试", role, scope))
    assert not at.exception and not at.error
    assert at.title[0].value == "数据来源"
    if scope:
        assert "仅市级角色" in at.info[0].value
        assert len(at.dataframe) == 0
        return
    shown = {m.label: m.value for m in at.metric}
    assert shown["报送部门（个）"] == "11" and shown["业务类别（类）"] == "96"
    # the seed's daily files (see test_seed_provenance) and the two loaded here
    seeded, seeded_rows = wh.rows("SELECT count(), sum(rows_loaded) FROM epi.ingest_batch FINAL "
                                  "WHERE file_format = 'seed'")[0]
    assert shown["数据批次（批）"] == f"{seeded + 2:,}"
    assert shown["载入行数（行）"] == f"{seeded_rows + 53:,}" and shown["拒收行数（行）"] == "5"
    batches = at.dataframe[2].value
    assert set(batches["文件"].head(2)) == {"常住人口.csv", "特殊人群.csv"}  # newest first
    assert (batches["读取行数"] == batches["载入行数"] + batches["拒收行数"]).all()
    rejects = at.dataframe[3].value
    assert sorted(rejects["行号"]) == sorted(loaded[2])
    assert set(rejects["字段"]) == {sources.column_label(c) for c in loaded[2].values()}
    assert "身份证号（id_number）" in set(rejects["字段"])



def test_rejected_rows_show_no_names_id_numbers_or_phones(loaded):
    """A user who may not unmask sees each rejected line with its name (where the person layout
    puts it), ID number and phone masked."""
    at = page(Identity("测试", "analyst", ""))
    assert not at.exception
    raws = at.dataframe[3].value["原始内容"].tolist()
    assert len(raws) == 5
    for raw in raws:
        fields = raw.split(",")
        assert fields[2][1:].strip("*") == "", raw  # 测试甲9 → 测***
        assert fields[1][6:-4].strip("*") == "" or fields[1] == "", raw
        assert "*" in fields[6] or len(fields[6]) < 7, raw


def test_a_rejects_table_masks_its_raw_text_by_the_category_layout():
    rejects = pd.DataFrame({"row_number": [2], "column_name": ["sex"], "reason": ["x"],
                            "raw": ["7,510104960317001,欧阳娜娜,unknown,1950-01-01,510104001001,+86 139-1234-5678"]})
    shown = sources.reject_table(rejects, "PSB-01")
    assert shown["raw"].tolist() == ["7,510104********001X,欧***,unknown,1950-01-01,510104001001,139****5678"]
    assert sources.reject_table(rejects, "PSB-01", clear=True)["raw"].tolist() == rejects["raw"].tolist()

def test_categories_show_their_freshness(wh, loaded):
    at = page(Identity("测试", "leadership", ""))
    cats = at.dataframe[1].value.set_index("类别代码")
    # PSB-01: the seeded residents' daily files and the file loaded here, every row of the registry
    assert cats.loc["PSB-01", "状态"] == "正常"
    assert cats.loc["PSB-01", "载入行数"] == wh.scalar("SELECT count() FROM epi.person WHERE src_category = 'PSB-01'")
    assert cats.loc["GOV-05", "状态"] == "正常" and cats.loc["GOV-05", "载入行数"] == 8
    seeded = {r[0] for r in wh.rows("SELECT DISTINCT category_code FROM epi.ingest_batch WHERE file_format = 'seed'")}
    assert (cats.loc[sorted(seeded), "状态"] == "正常").all()  # current as of the last day with data
    assert (cats.drop(index=sorted(seeded | {"GOV-05"}))["状态"] == "未接入文件").all()
    at.selectbox[0].set_value("GOV").run()
    assert set(at.dataframe[1].value["类别代码"]) == {f"GOV-{n:02d}" for n in range(1, 10)}


def test_a_feed_quiet_past_the_threshold_is_stale(wh, loaded):
    run = lambda name, **p: registry.run(name, "", **p)  # noqa: E731
    later = pd.Timestamp(dt.datetime.now() + dt.timedelta(hours=30))
    fresh = sources.freshness(run, PortalSettings(feed_stale_hours=24), now=later).set_index("category_code")
    assert fresh.loc["PSB-01", "state"] == "stale" and fresh.loc["GOV-05", "state"] == "stale"
    assert fresh.loc["PSB-02", "state"] == "never"
    assert sources.freshness(run, PortalSettings(feed_stale_hours=48), now=later).set_index(
        "category_code").loc["PSB-01", "state"] == "fresh"


def test_the_cockpit_warns_in_one_line_when_a_feed_is_stale(wh, loaded, monkeypatch):
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    put_identity(at, Identity("测试", "leadership", ""))
    at.run()
    assert not at.exception and not [w for w in at.warning if "数据源提醒" in w.value]
    monkeypatch.setenv("EPI_FEED_STALE_HOURS", "0")  # every fed category is now past the threshold
    at = AppTest.from_file(str(ROOT / "portal" / "app.py"), default_timeout=120)
    put_identity(at, Identity("测试", "leadership", ""))
    at.run()
    assert not at.exception
    warnings = [w.value for w in at.warning if "数据源提醒" in w.value]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    # a generated dataset's feeds are judged at 24:00 of its last day: each seeded category's last
    # file came a second before, so at 0 hours every one is late except those a file reached since
    seeded = {r[0] for r in wh.rows("SELECT DISTINCT category_code FROM epi.ingest_batch WHERE file_format = 'seed'")}
    late = seeded - {"PSB-01"}
    assert f"等 {len(late)} 类已超过 0 小时没有新批次" in warnings[0]
    assert "市公安局·常住人口" not in warnings[0] and "市委社治委·特殊人群" not in warnings[0]
