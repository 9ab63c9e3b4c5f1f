"""Nothing wrong gets in (appeal and sample files are dated 2020: see ingestion_files.forget_loads): impossible dates are refused rather than shifted, ID numbers whose
birth date or region cannot be, values outside their column's declared domain, duplicate rows
within a file, and files in mixed or UTF-16 encodings read line by line."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ingestion_files import FIRST_TEST_PERSON, PERSON_HEADER, forget_loads, person_rows, write_csv
from stdnum.cn import ric

from warehouse.ingest import Loader, resolve

PERSON = resolve("PSB", "PSB-01")
TRAJECTORY = resolve("PSB", "PSB-04")
VACCINATION = resolve("HEALTH", "HEALTH-10")
APPEAL_HEADER = "appeal_id,channel,type,topic,received_at,community_code,rated_at,rating"
SAMPLE_HEADER = "sample_id,person_id,tube_id,pool_size,purpose,sampled_at,result,community_code"
FIRST = FIRST_TEST_PERSON + 20_000


@pytest.fixture(scope="module")
def loader(wh):
    yield Loader(wh, block_bytes=2048)
    forget_loads(wh)


def category_of(table: str):
    from warehouse.ingest import CATEGORIES

    return next(c for c in CATEGORIES.values() if c.table == table and c.layout is not None)


def rejected(wh, batch_id: str) -> dict[int, tuple[str, str]]:
    return {r[0]: (r[1], r[2]) for r in wh.rows(
        "SELECT row_number, column_name, reason FROM epi.rejected_row WHERE batch_id = {b:String}", {"b": batch_id})}


def counts(report) -> tuple[int, int, int]:
    return report.read, report.loaded, report.rejected


def trajectory(path, community: str, stamps: list[str]):
    path.write_text("person_id,ts,lon,lat,source,community_code\n" + "".join(
        f"{FIRST},{ts},104.08,30.65,base_station,{community}\n" for ts in stamps), encoding="utf-8")
    return path


# -- 1. impossible dates are refused, not shifted ----------------------------------------------
def test_impossible_times_are_rejected_not_shifted(wh, loader, communities, tmp_path):
    stamps = ["2022-02-28 08:00:00", "2022-02-30 08:00:00", "2022-04-31 08:00:00", "2022-03-01 23:59:60",
              "20220230080000", "2022-03-01 24:00:00", "2022-3-1 8:30:00"]
    report = loader.load(TRAJECTORY, trajectory(tmp_path / "days.csv", communities[0], stamps))
    assert counts(report) == (7, 2, 5)
    got = rejected(wh, report.batch_id)
    assert sorted(got) == [3, 4, 5, 6, 7]
    assert {column for column, _ in got.values()} == {"ts"}
    assert all("不存在" in reason or "无法识别" in reason for _, reason in got.values())
    kept = wh.rows("SELECT toString(ts) FROM epi.trajectory_point WHERE batch_id = {b:String} ORDER BY ts",
                   {"b": report.batch_id})
    assert kept == [("2022-02-28 08:00:00",), ("2022-03-01 08:30:00",)]


def test_impossible_dates_are_rejected_not_shifted(wh, loader, communities, tmp_path):
    path = tmp_path / "doses.csv"
    path.write_text("person_id,dose,vaccinated_on,vaccine,community_code\n" + "".join(
        f"{FIRST},1,{day},科兴,{communities[0]}\n" for day in ["2021-04-30", "2022-04-31", "2021-02-29", "20210230"]),
        encoding="utf-8")
    report = loader.load(VACCINATION, path)
    assert counts(report) == (4, 1, 3)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {3: "vaccinated_on", 4: "vaccinated_on",
                                                                           5: "vaccinated_on"}
    rows = person_rows(3, communities, first=FIRST + 100)
    rows[1][4] = "1990-02-30"
    report = loader.load(PERSON, write_csv(tmp_path / "born.csv", PERSON_HEADER, rows))
    assert counts(report) == (3, 2, 1)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {3: "birth_date"}
    assert wh.scalar("SELECT count() FROM epi.person WHERE batch_id = {b:String} AND birth_date = '1990-03-02'",
                     {"b": report.batch_id}) == 0


# -- 2. ID numbers with a right check character and an impossible birth date or region -----------
@pytest.mark.parametrize("body", ["51010419900230001", "51010420990101001", "51010419901301001",
                                  "51010419900100001", "00000019900101001"],
                         ids=["30-feb", "born-2099", "month-13", "day-00", "region-000000"])
def test_id_numbers_with_an_impossible_birth_date_or_region_are_refused(wh, loader, communities, tmp_path, body):
    rows = person_rows(2, communities, first=FIRST + 200 + 10 * int(body[8:10]) + int(body[:1]))
    rows[1][1] = body + ric.calc_check_digit(body + "0")
    report = loader.load(PERSON, write_csv(tmp_path / f"id_{body}.csv", PERSON_HEADER, rows))
    assert counts(report) == (2, 1, 1)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {3: "id_number"}


# -- 3. values outside their domain --------------------------------------------------------------
def test_ratings_outside_one_to_five_are_rejected(wh, loader, communities, tmp_path):
    path = tmp_path / "ratings.csv"
    ratings = ["5", "0", "9", "200", "1", ""]
    path.write_text(APPEAL_HEADER + "\n" + "".join(
        f"{700_000 + i},hotline,help,物资,2020-06-01 08:00:00,{communities[0]},"
        f"{'2020-06-02 08:00:00' if r else ''},{r}\n" for i, r in enumerate(ratings)), encoding="utf-8")
    report = loader.load(category_of("appeal"), path)
    assert counts(report) == (6, 3, 3)
    got = rejected(wh, report.batch_id)
    assert {k: v[0] for k, v in got.items()} == {3: "rating", 4: "rating", 5: "rating"}
    assert all("1–5" in reason for _, reason in got.values())


def test_pool_sizes_outside_the_policy_are_rejected(wh, loader, communities, tmp_path):
    path = tmp_path / "pools.csv"
    path.write_text(SAMPLE_HEADER + "\n" + "".join(
        f"{800_000 + i},{FIRST},{900_000 + i},{size},mass,2020-06-01 08:00:00,negative,{communities[0]}\n"
        for i, size in enumerate(["10", "0", "255", "1", "7"])), encoding="utf-8")
    report = loader.load(category_of("sample"), path)
    assert counts(report) == (5, 2, 3)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {3: "pool_size", 4: "pool_size",
                                                                           6: "pool_size"}


def test_a_five_megabyte_name_is_rejected(wh, communities, tmp_path):
    rows = person_rows(3, communities, first=FIRST + 300)
    rows[1][2] = "张" * ((5 << 20) // 3)
    report = Loader(wh).load(PERSON, write_csv(tmp_path / "long.csv", PERSON_HEADER, rows))
    assert counts(report) == (3, 2, 1)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {3: "name"}
    assert wh.scalar("SELECT max(length(name)) FROM epi.person WHERE batch_id = {b:String}",
                     {"b": report.batch_id}) < 100


def test_a_nested_json_value_is_rejected(wh, loader, communities, tmp_path):
    rows = person_rows(3, communities, first=FIRST + 400)
    records = [dict(zip(PERSON_HEADER, r)) for r in rows]
    records[1]["name"] = {"family": "张", "given": "三"}
    records[2]["phone"] = ["13900000001", "13900000002"]
    path = tmp_path / "nested.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    report = loader.load(PERSON, path)
    assert counts(report) == (3, 1, 2)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {2: "name", 3: "phone"}


def test_control_characters_inside_values_are_rejected(wh, loader, communities, tmp_path):
    rows = person_rows(5, communities, first=FIRST + 500)
    rows[1][2] = "张\ufeff三"
    rows[2][2] = "李\x07四"
    rows[3][6] = "139\x7f0000001"
    report = loader.load(PERSON, write_csv(tmp_path / "control.csv", PERSON_HEADER, rows, encoding="utf-8-sig"))
    assert counts(report) == (5, 2, 3)
    got = rejected(wh, report.batch_id)
    assert {k: v[0] for k, v in got.items()} == {3: "name", 4: "name", 5: "phone"}
    assert all("控制字符" in reason for _, reason in got.values())
    assert got and wh.scalar("SELECT raw FROM epi.rejected_row WHERE batch_id = {b:String} AND row_number = 3",
                             {"b": report.batch_id}).count("\ufeff") == 1


def test_a_nul_byte_after_the_first_64_kib_is_rejected(wh, loader, communities, tmp_path):
    rows = person_rows(700, communities, first=FIRST + 1000)
    for row in rows:
        row[2] += "某" * 12
    rows[650][2] = "王\x00五"
    path = write_csv(tmp_path / "nul.csv", PERSON_HEADER, rows)
    assert path.read_bytes().index(b"\x00") > 64 << 10
    report = loader.load(PERSON, path)
    assert counts(report) == (700, 699, 1)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {652: "name"}


def test_times_after_the_load_beyond_the_stated_skew_are_rejected(wh, loader, communities, tmp_path):
    from warehouse.rules.policy import POLICY

    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None, microsecond=0)
    skew = dt.timedelta(minutes=POLICY.ingest_clock_skew_minutes)
    stamps = [now - dt.timedelta(hours=1), now + skew / 2, now + skew + dt.timedelta(minutes=5),
              now + dt.timedelta(hours=23)]
    report = loader.load(TRAJECTORY, trajectory(tmp_path / "future.csv", communities[0],
                                                [f"{t:%Y-%m-%d %H:%M:%S}" for t in stamps]))
    assert counts(report) == (4, 2, 2)
    assert {k: v[0] for k, v in rejected(wh, report.batch_id).items()} == {4: "ts", 5: "ts"}


def test_a_file_whose_every_row_appears_twice_loads_each_once(wh, loader, communities, tmp_path):
    lines = [f"{710_000 + i},web,consultation,核酸,2020-06-0{1 + i % 9} 08:00:00,{communities[i % 5]},,\n"
             for i in range(40)]
    path = tmp_path / "twice.csv"
    path.write_text(APPEAL_HEADER + "\n" + "".join(lines + lines), encoding="utf-8")
    report = loader.load(category_of("appeal"), path)
    assert counts(report) == (80, 40, 40)
    got = rejected(wh, report.batch_id)
    assert sorted(got) == list(range(42, 82))
    assert got[42] == ("appeal_id", "重复行，首次出现于第 2 行 / duplicate row, first seen on line 2")
    assert got[81][1].startswith("重复行，首次出现于第 41 行")
    assert wh.scalar("SELECT count(), uniqExact(appeal_id) FROM epi.appeal WHERE batch_id = {b:String}",
                     {"b": report.batch_id}) == 40


# -- 4. mixed encodings and UTF-16 ---------------------------------------------------------------
def test_a_gbk_file_with_a_few_utf8_lines_rejects_only_those(wh, loader, communities, tmp_path):
    rows = person_rows(40, communities, first=FIRST + 3000)
    lines = [",".join(PERSON_HEADER).encode()]
    for i, row in enumerate(rows):
        lines.append(",".join(row).encode("utf-8" if i in (4, 30) else "gbk"))
    path = tmp_path / "mostly_gbk.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    report = loader.load(PERSON, path)
    assert report.status == "complete", report.line()
    assert counts(report) == (40, 38, 2)
    got = rejected(wh, report.batch_id)
    assert sorted(got) == [6, 32] and all("编码混杂" in r for _, r in got.values())
    assert wh.scalar("SELECT name FROM epi.person WHERE person_id = {p:UInt64}", {"p": FIRST + 3000}) == "测试甲0"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-16-le no BOM"])
def test_utf16_files_are_read(wh, loader, communities, tmp_path, encoding):
    first = FIRST + 4000 + 100 * ["utf-16", "utf-16-le", "utf-16-be", "utf-16-le no BOM"].index(encoding)
    rows = person_rows(60, communities, first=first)
    text = "\r\n".join(",".join(r) for r in [["人员编号", "身份证号", "姓名", "性别", "出生日期", "社区代码", "手机号"],
                                            *rows]) + "\r\n"
    data = text.encode(encoding.split()[0])
    if encoding in ("utf-16-le", "utf-16-be"):  # the BOM the codec leaves out
        data = ("\ufeff".encode(encoding)) + data
    path = tmp_path / f"u16_{encoding.replace(' ', '_')}.csv"
    path.write_bytes(data)
    report = loader.load(PERSON, path)
    assert report.status == "complete", report.line()
    assert counts(report) == (60, 60, 0)
    assert wh.scalar("SELECT name FROM epi.person WHERE person_id = {p:UInt64}", {"p": first + 59}) == "测试戊59"


def test_a_duplicate_of_a_row_in_a_chunk_a_resumed_load_skips_is_still_rejected(wh, communities, tmp_path):
    rows = person_rows(120, communities, first=FIRST + 5000)
    rows.append(list(rows[3]))  # line 122 repeats line 5, several chunks later
    path = write_csv(tmp_path / "resumed.csv", PERSON_HEADER, rows)
    small = Loader(wh, block_bytes=2048)

    def stop_after_first(number, _report):
        if number == 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        small.load(PERSON, path, on_chunk=stop_after_first)
    report = small.load(PERSON, path)
    assert report.chunks_skipped == 1
    assert counts(report) == (121, 120, 1)
    assert rejected(wh, report.batch_id) == {
        122: ("person_id", "重复行，首次出现于第 5 行 / duplicate row, first seen on line 5")}
