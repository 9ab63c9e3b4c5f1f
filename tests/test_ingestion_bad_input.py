"""Bad department files: each gets a clear message, and where rows can be read the good ones load
and the bad ones are kept with their reasons."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from ingestion_files import FIRST_TEST_PERSON, PERSON_HEADER, forget_loads, person_rows, write_csv

from warehouse.ingest import Loader, UnknownSource, resolve

ROOT = Path(__file__).resolve().parent.parent
PERSON = resolve("PSB", "PSB-01")
TRAJECTORY = resolve("PSB", "PSB-04")


@pytest.fixture(scope="module")
def loader(wh):
    yield Loader(wh, block_bytes=2048)
    forget_loads(wh)


def reasons(wh, batch_id: str) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in wh.rows(
        "SELECT row_number, column_name, reason FROM epi.rejected_row WHERE batch_id = {b:String}", {"b": batch_id})}


def loaded(wh, table: str, batch_id: str) -> int:
    return wh.scalar(f"SELECT count() FROM epi.{table} WHERE batch_id = {{b:String}}", {"b": batch_id})


def test_an_empty_file_is_refused_plainly(wh, loader, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blank.csv").write_bytes(b"\n\r\n  \n")
    for name in ("empty.csv", "blank.csv"):
        report = loader.load(PERSON, tmp_path / name)
        assert report.status == "refused" and "文件为空" in report.line()
        assert (report.read, report.loaded, report.rejected) == (0, 0, 0)
    assert wh.scalar("SELECT status FROM epi.ingest_batch FINAL WHERE file_name = 'empty.csv'") == "refused"


def test_a_header_without_rows_loads_nothing_and_says_so(loader, tmp_path):
    report = loader.load(PERSON, write_csv(tmp_path / "header.csv", PERSON_HEADER, []))
    assert report.status == "complete" and (report.read, report.loaded, report.rejected) == (0, 0, 0)
    assert "只有表头" in report.line()


def test_a_wrong_or_missing_header_is_refused_with_what_is_missing(loader, communities, tmp_path):
    rows = person_rows(5, communities, first=FIRST_TEST_PERSON + 5000)
    wrong = write_csv(tmp_path / "wrong.csv", ["person_id", "id", "name", "sex", "birth", "community_code", "phone"], rows)
    report = loader.load(PERSON, wrong)
    assert report.status == "refused"
    assert "表头缺少必填列 id_number（身份证号）、birth_date（出生日期）" in report.line()
    missing = tmp_path / "missing.csv"
    missing.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    report = loader.load(PERSON, missing)
    assert report.status == "refused" and "缺少表头或表头有误" in report.line()
    assert report.read == 0


def test_a_truncated_last_line_is_rejected_and_the_rest_loads(wh, loader, communities, tmp_path):
    rows = person_rows(30, communities, first=FIRST_TEST_PERSON + 5100)
    path = write_csv(tmp_path / "cut.csv", PERSON_HEADER, rows)
    path.write_bytes(path.read_bytes()[:-26])  # cut inside the last row, no newline at the end
    report = loader.load(PERSON, path)
    assert (report.read, report.loaded, report.rejected) == (30, 29, 1)
    assert reasons(wh, report.batch_id) == {
        31: ("(整行)", "末行不完整（文件被截断？）：应为 7 列，实为 5 列 / truncated last line")}
    assert loaded(wh, "person", report.batch_id) == 29


def test_mixed_encodings_reject_the_lines_that_do_not_decode(wh, loader, communities, tmp_path):
    rows = person_rows(40, communities, first=FIRST_TEST_PERSON + 5200)
    lines = [",".join(PERSON_HEADER).encode()]
    for i, row in enumerate(rows):
        lines.append(",".join(row).encode("gbk" if i in (7, 23) else "utf-8"))
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    report = loader.load(PERSON, path)
    assert (report.read, report.loaded, report.rejected) == (40, 38, 2)
    assert {k: v[0] for k, v in reasons(wh, report.batch_id).items()} == {9: "(整行)", 25: "(整行)"}
    assert all("编码混杂" in r for _, r in reasons(wh, report.batch_id).values())
    assert wh.scalar("SELECT name FROM epi.person WHERE person_id = {p:UInt64}",
                     {"p": FIRST_TEST_PERSON + 5200}) == "测试甲0"


def test_binary_garbage_is_refused(loader, tmp_path):
    garbage = tmp_path / "dump.csv"
    garbage.write_bytes(random.Random(8).randbytes(50_000))
    report = loader.load(PERSON, garbage)
    assert report.status == "refused" and "不是文本文件" in report.line()
    fake = tmp_path / "book.xlsx"
    fake.write_text("姓名,身份证号\n", encoding="utf-8")
    report = loader.load(PERSON, fake)
    assert report.status == "refused" and "不是 XLSX 文件" in report.line()


def test_a_column_of_dates_in_three_formats(wh, loader, communities, tmp_path):
    community = communities[0]
    stamps = ["2022-06-02 08:30:00", "2022/06/02 09:30:00", "02/06/2022 10:30"] * 4
    path = tmp_path / "dates.csv"
    path.write_text("person_id,ts,lon,lat,source,community_code\n" + "".join(  # one person a row: no duplicates
        f"{FIRST_TEST_PERSON + 1 + i},{ts},104.08,30.65,base_station,{community}\n" for i, ts in enumerate(stamps)),
        encoding="utf-8")
    report = loader.load(TRAJECTORY, path)
    assert (report.read, report.loaded, report.rejected) == (12, 8, 4)
    got = reasons(wh, report.batch_id)
    assert sorted(got) == [4, 7, 10, 13]
    assert {v[0] for v in got.values()} == {"ts"}
    assert all(v[1].startswith("时间格式无法识别") for v in got.values())
    hours = wh.rows("SELECT toHour(ts), count() FROM epi.trajectory_point WHERE batch_id = {b:String} "
                    "GROUP BY 1 ORDER BY 1", {"b": report.batch_id})
    assert hours == [(8, 4), (9, 4)]


def test_quoted_fields_and_stray_quotes(wh, loader, communities, tmp_path):
    rows = person_rows(6, communities, first=FIRST_TEST_PERSON + 5300)
    rows[1][2] = '"张,三"'  # a comma inside a quoted field
    rows[3][2] = '"李""四"""'  # doubled quotes
    rows[4][2] = '"王五'  # a quote that never closes
    report = loader.load(PERSON, write_csv(tmp_path / "quotes.csv", PERSON_HEADER, rows))
    assert (report.read, report.loaded, report.rejected) == (6, 5, 1)
    names = {r[0] for r in wh.rows("SELECT name FROM epi.person WHERE batch_id = {b:String}", {"b": report.batch_id})}
    assert {"张,三", '李"四"'} <= names


def test_unknown_department_or_category_is_named_with_the_choices():
    with pytest.raises(UnknownSource, match="unknown department 'MOON'.*CUSTOMS, BORDER"):
        resolve("MOON", "PSB-01")
    with pytest.raises(UnknownSource, match="PSB-01 常住人口"):
        resolve("PSB", "PSB-99")
    with pytest.raises(UnknownSource, match="unknown category for CDC"):
        resolve("CDC", "PSB-01")  # another department's category
    with pytest.raises(UnknownSource, match="takes no file loads"):
        resolve("GOV", "GOV-01")


def test_the_cli_refuses_unknown_sources_in_one_line(tmp_path):
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{tmp_path / 'unused'}"}
    for args in (["--department", "MOON", "--category", "PSB-01"], ["--department", "PSB", "--category", "X"]):
        done = subprocess.run([sys.executable, "-m", "warehouse", "load", *args, "f.csv"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 2
        assert done.stderr.startswith("错误 / error: ") and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "unused").exists()  # refused before the warehouse was opened


def test_json_lines_without_required_keys_or_objects_are_refused(loader, tmp_path):
    (tmp_path / "keys.jsonl").write_text('{"person_id": "1", "name": "张三"}\n', encoding="utf-8")
    report = loader.load(PERSON, tmp_path / "keys.jsonl")
    assert report.status == "refused" and "表头缺少必填列 id_number（身份证号）" in report.line()
    (tmp_path / "array.jsonl").write_text('["1", "张三"]\n', encoding="utf-8")
    report = loader.load(PERSON, tmp_path / "array.jsonl")
    assert report.status == "refused" and "首行不是 JSON 对象" in report.line()
