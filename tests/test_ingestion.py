"""Department file loads on the tiny warehouse: registry, formats, provenance, exact accounting,
idempotence and resuming an interrupted load. Files are written here, with known bad rows."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingestion_files import (
    FIRST_TEST_PERSON,
    PERSON_HEADER,
    PERSON_HEADER_ZH,
    forget_loads,
    person_rows,
    with_defects,
    write_csv,
)

from warehouse.departments import DEPARTMENTS
from warehouse.ingest import CATEGORIES, Loader, resolve
from warehouse.ingest.layouts import LAYOUTS, PROVENANCE
from warehouse.ingest.loader import stage_tables
from warehouse.ingest.validate import id_check_ok

FACT_TABLES = ["person", "vaccination", "health_code_change", "trajectory_point", "sample", "site_status_report",
               "case_record", "contact_edge", "transfer", "control_episode", "screening_record", "appeal",
               "risk_zone", "compound", "place", "sampling_site", "quarantine_hotel", "supply_depot"]
PERSON = resolve("PSB", "PSB-01")


@pytest.fixture(scope="module")
def loader(wh):
    """A loader with small chunks (4 KiB of text, 50 workbook rows) so small files span many."""
    yield Loader(wh, block_bytes=4096, table_rows=50)
    forget_loads(wh)


def batch_rows(wh, table: str, batch_id: str) -> int:
    return wh.scalar(f"SELECT count() FROM epi.{table} WHERE batch_id = {{b:String}}", {"b": batch_id})


def rejects(wh, batch_id: str) -> dict[int, str]:
    return dict(wh.rows("SELECT row_number, column_name FROM epi.rejected_row WHERE batch_id = {b:String}",
                        {"b": batch_id}))


def test_the_registry_holds_all_96_categories_and_every_fact_table(wh):
    assert len(DEPARTMENTS) == 11 and len(CATEGORIES) == 96
    assert {c.department for c in CATEGORIES.values()} == {code for code, _ in DEPARTMENTS}
    fed = {c.table for c in CATEGORIES.values() if c.layout is not None}
    assert set(FACT_TABLES) <= fed
    for table, layout in LAYOUTS.items():
        columns = {r[0] for r in wh.rows("SELECT name FROM system.columns WHERE database = 'epi' "
                                         "AND table = {t:String}", {"t": table})}
        assert set(layout.columns) | set(PROVENANCE) <= columns, table
    # the community skeleton, labs and the data-exchange ledger are not fed by department files
    assert sorted(c.code for c in CATEGORIES.values() if c.layout is None) == ["BIGDATA-07", "GOV-01", "HEALTH-13"]


def test_the_id_check_matches_the_standard_examples():
    ids = pa.array(["11010519491231002X", "440524188001010014", "11010519491231002x", "110105194912310021",
                    "44052418800101001", "4405241880010100A4", ""])
    assert id_check_ok(ids).tolist() == [True, True, True, False, False, False, False]


def test_the_id_check_refuses_impossible_birth_dates_and_unknown_address_codes():
    from stdnum.cn import ric

    bodies = ["51010419900230001", "99999919900101001", "51010419900228001"]
    ids = pa.array([b + ric.calc_check_digit(b + "0") for b in bodies])
    assert id_check_ok(ids).tolist() == [False, False, True]


def test_a_csv_loads_with_provenance_and_exact_accounting(wh, loader, communities, tmp_path):
    rows, bad = with_defects(person_rows(140, communities), every=10)
    path = write_csv(tmp_path / "常住人口.csv", PERSON_HEADER, rows)
    report = loader.load(PERSON, path)
    assert report.status == "complete"
    assert (report.read, report.loaded, report.rejected) == (140, 126, 14)
    assert report.read == report.loaded + report.rejected
    assert batch_rows(wh, "person", report.batch_id) == 126
    assert rejects(wh, report.batch_id) == bad
    provenance = wh.rows(
        "SELECT DISTINCT src_department, src_category FROM epi.person WHERE batch_id = {b:String}",
        {"b": report.batch_id})
    assert provenance == [("PSB", "PSB-01")]
    # source_row is the line in the file: person i is on line i + 2
    pairs = wh.rows("SELECT person_id, source_row FROM epi.person WHERE batch_id = {b:String}", {"b": report.batch_id})
    assert all(row == pid - FIRST_TEST_PERSON + 2 for pid, row in pairs)
    chunks = wh.rows("SELECT count(), sum(rows_read), sum(rows_loaded), sum(rows_rejected) FROM epi.ingest_chunk "
                     "FINAL WHERE batch_id = {b:String}", {"b": report.batch_id})[0]
    assert chunks[0] > 2 and chunks[1:] == (140, 126, 14)
    batch = wh.rows("SELECT status, rows_read, rows_loaded, rows_rejected, target_table, file_format, encoding "
                    "FROM epi.ingest_batch FINAL WHERE batch_id = {b:String}", {"b": report.batch_id})
    assert batch == [("complete", 140, 126, 14, "person", "csv", "utf-8")]
    first = wh.rows("SELECT name, sex, toString(birth_date), phone FROM epi.person WHERE person_id = {p:UInt64}",
                    {"p": FIRST_TEST_PERSON})
    assert first == [("测试甲0", "female", "1950-01-01", "13900000000")]


def test_loading_the_same_file_again_adds_nothing(wh, loader, communities, tmp_path):
    rows = person_rows(30, communities, first=FIRST_TEST_PERSON + 1000)
    path = write_csv(tmp_path / "a.csv", PERSON_HEADER, rows)
    first = loader.load(PERSON, path)
    again = loader.load(PERSON, path)
    renamed = loader.load(PERSON, write_csv(tmp_path / "renamed.csv", PERSON_HEADER, rows))
    assert first.status == "complete" and again.status == renamed.status == "already_loaded"
    assert again.batch_id == renamed.batch_id == first.batch_id
    assert (again.read, again.loaded, again.rejected) == (30, 30, 0)
    assert batch_rows(wh, "person", first.batch_id) == 30
    assert wh.scalar("SELECT count() FROM epi.person WHERE person_id BETWEEN {a:UInt64} AND {b:UInt64}",
                     {"a": FIRST_TEST_PERSON + 1000, "b": FIRST_TEST_PERSON + 1029}) == 30


@pytest.mark.parametrize("encoding,expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                ("gbk", "gb18030"), ("gb18030", "gb18030")])
def test_government_encodings_and_chinese_headers(wh, loader, communities, tmp_path, encoding, expected):
    first = FIRST_TEST_PERSON + 2000 + 100 * ["utf-8", "utf-8-sig", "gbk", "gb18030"].index(encoding)
    rows, bad = with_defects(person_rows(60, communities, first=first), every=20)
    path = write_csv(tmp_path / f"人口_{encoding}.csv", PERSON_HEADER_ZH, rows, encoding=encoding, newline="\r\n")
    report = loader.load(PERSON, path)
    assert (report.read, report.loaded, report.rejected) == (60, 57, 3)
    assert rejects(wh, report.batch_id) == bad
    names = {r[0] for r in wh.rows("SELECT name FROM epi.person WHERE batch_id = {b:String}", {"b": report.batch_id})}
    assert f"测试甲{0}" in names and f"测试乙{1}" in names
    assert wh.scalar("SELECT encoding FROM epi.ingest_batch FINAL WHERE batch_id = {b:String}",
                     {"b": report.batch_id}) == expected


def test_xlsx_parquet_and_json_lines_load_like_csv(wh, loader, communities, tmp_path):
    from openpyxl import Workbook

    rows, bad = with_defects(person_rows(120, communities, first=FIRST_TEST_PERSON + 3000), every=15)
    book = Workbook()
    sheet = book.active
    sheet.append(PERSON_HEADER_ZH)
    for r in rows:  # numbers and dates as a spreadsheet holds them
        birth = dt.date.fromisoformat(r[4]) if r[4][:4] < "2050" else r[4]
        sheet.append([int(r[0]) if r[0].isdigit() else r[0], r[1], r[2], r[3], birth, r[5], r[6]])
    book.save(tmp_path / "人口.xlsx")
    pq.write_table(pa.table({h: [r[i] for r in rows] for i, h in enumerate(PERSON_HEADER)}), tmp_path / "人口.parquet")
    (tmp_path / "人口.jsonl").write_text(
        "\n".join(json.dumps(dict(zip(PERSON_HEADER, r)), ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    for name, kind in (("人口.xlsx", "xlsx"), ("人口.parquet", "parquet"), ("人口.jsonl", "jsonl")):
        report = loader.load(PERSON, tmp_path / name)
        assert (report.read, report.loaded, report.rejected) == (120, 112, 8), name
        assert wh.scalar("SELECT file_format FROM epi.ingest_batch FINAL WHERE batch_id = {b:String}",
                         {"b": report.batch_id}) == kind
        got = rejects(wh, report.batch_id)
        if kind in ("parquet", "jsonl"):  # no header line: the first record is row 1
            assert got == {line - 1: col for line, col in bad.items()}
        else:
            assert got == bad, name
        assert batch_rows(wh, "person", report.batch_id) == 112


def test_a_load_interrupted_between_chunks_resumes_exactly(wh, loader, communities, tmp_path):
    rows, bad = with_defects(person_rows(400, communities, first=FIRST_TEST_PERSON + 4000), every=25)
    path = write_csv(tmp_path / "big.csv", PERSON_HEADER, rows)

    def crash_after_third(number, _report):
        if number == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        loader.load(PERSON, path, on_chunk=crash_after_third)
    batch_id = wh.scalar(
        "SELECT batch_id FROM epi.ingest_batch FINAL WHERE file_name = 'big.csv'")
    assert wh.scalar("SELECT status FROM epi.ingest_batch FINAL WHERE batch_id = {b:String}", {"b": batch_id}) == "loading"
    # nothing is visible before the whole file is accounted for: the chunks so far are staged
    assert batch_rows(wh, "person", batch_id) == 0
    partial = wh.scalar("SELECT count() FROM epi.{t:Identifier}", {"t": stage_tables(batch_id)[0]})
    assert 0 < partial < 384
    # as if the process died after chunk 2's rows were staged but before it was recorded
    wh.command("DELETE FROM epi.ingest_chunk WHERE batch_id = {b:String} AND chunk = 2", {"b": batch_id})
    report = loader.load(PERSON, path)
    assert report.status == "complete" and report.chunks_skipped == 2
    assert (report.read, report.loaded, report.rejected) == (400, 384, 16)
    assert batch_rows(wh, "person", batch_id) == 384
    assert wh.scalar("SELECT uniqExact(source_row) FROM epi.person WHERE batch_id = {b:String}", {"b": batch_id}) == 384
    assert rejects(wh, batch_id) == bad
    assert wh.scalar("SELECT count() FROM epi.rejected_row WHERE batch_id = {b:String}", {"b": batch_id}) == 16
    assert loader.load(PERSON, path).status == "already_loaded"
    assert wh.scalar("SELECT count() FROM system.tables WHERE database = 'epi' AND name LIKE 'ingest\\_stage\\_%'") == 0


def test_other_tables_take_their_categories(wh, loader, communities, tmp_path):
    """A trajectory feed (times in Beijing, coordinates checked) and a vaccination feed."""
    community = communities[0]
    path = tmp_path / "基站.csv"
    path.write_text(
        "person_id,ts,lon,lat,source,community_code\n"
        f"{FIRST_TEST_PERSON},2022-06-01 08:30:00,104.08,30.65,base_station,{community}\n"
        f"{FIRST_TEST_PERSON},2022/06/01 09:30:00,104.09,30.66,base_station,{community}\n"
        f"{FIRST_TEST_PERSON},2022-06-01 10:30:00,116.40,39.90,base_station,{community}\n"
        f"{FIRST_TEST_PERSON},2018-06-01 10:30:00,104.09,30.66,base_station,{community}\n", encoding="utf-8")
    report = loader.load(resolve("PSB", "PSB-04"), path)
    assert (report.read, report.loaded, report.rejected) == (4, 2, 2)
    assert rejects(wh, report.batch_id) == {4: "lon", 5: "ts"}
    times = wh.rows("SELECT toString(ts), toUnixTimestamp(ts) FROM epi.trajectory_point WHERE batch_id = {b:String} "
                    "ORDER BY ts", {"b": report.batch_id})
    assert times == [("2022-06-01 08:30:00", 1654043400), ("2022-06-01 09:30:00", 1654047000)]
    vacc = tmp_path / "疫苗.csv"
    vacc.write_text("person_id,dose,vaccinated_on,vaccine,community_code\n"
                    f"{FIRST_TEST_PERSON},1,2021-05-01,科兴,{community}\n"
                    f"{FIRST_TEST_PERSON},300,2021-06-01,科兴,{community}\n", encoding="utf-8")
    report = loader.load(resolve("HEALTH", "HEALTH-10"), vacc)
    assert (report.read, report.loaded, report.rejected) == (2, 1, 1)
    assert rejects(wh, report.batch_id) == {3: "dose"}
