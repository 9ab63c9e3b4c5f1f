"""Loads that end unclearly today end in one line each, exit 2: a folder given as the file, a
workbook whose sheet XML is cut off, a corrupt Parquet file (each refused, nothing kept), and the
second of two loads started together on one embedded folder (the folder is held, nothing else)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_ingestion_atomic import ROOT, appeal_rows, env_for, state, write_appeals_csv


@pytest.fixture
def communities(wh) -> list[str]:
    return [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 20")]


# -- unclear endings become one line each ----------------------------------------------------------
def truncated_workbook(path: Path, rows: list[dict]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    whole = path.with_suffix(".whole.xlsx")
    book.save(whole)
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML is cut off mid-way
            out.writestr(item, data)
    whole.unlink()
    return path


def corrupt_parquet(path: Path, rows: list[dict]) -> Path:
    pq.write_table(pa.table({k: [r[k] for r in rows] for k in rows[0]}), path, row_group_size=100,
                   compression="snappy")
    data = path.read_bytes()
    third = len(data) // 3
    path.write_bytes(data[:third] + bytes(200) + data[third + 200:])  # pages zeroed: not decompressible
    return path


def test_a_folder_a_cut_workbook_and_a_corrupt_parquet_each_end_in_one_line(communities, own_warehouse, tmp_path):
    rows = appeal_rows(300, communities, first=970_000_000)
    folder = tmp_path / "诉求.csv"
    folder.mkdir()
    book = truncated_workbook(tmp_path / "诉求_截断.xlsx", rows)
    parquet = corrupt_parquet(tmp_path / "诉求_损坏.parquet", rows)
    env = env_for(own_warehouse)
    before = state(env)
    done = subprocess.run([sys.executable, "-m", "warehouse", "load", "--department", "HOTLINE", "--category", "HOTLINE-01",
                           str(folder), str(book), str(parquet)], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 3, done.stderr
    assert lines[0].startswith("诉求.csv: 未载入 / refused") and "文件夹" in lines[0]
    assert lines[1].startswith("诉求_截断.xlsx: 未载入 / refused")
    assert lines[2].startswith("诉求_损坏.parquet: 未载入 / refused")
    after = state(env)
    seeded = before.pop("batches")  # the seed's own daily files
    # the folder has no content to name
    assert [b[1] for b in after.pop("batches") if b not in seeded] == ["refused", "refused"]
    assert after == before


def test_the_second_of_two_loads_started_together_says_only_that_the_folder_is_held(communities, own_warehouse,
                                                                                    tmp_path):
    env = env_for(own_warehouse)
    command = [sys.executable, "-m", "warehouse", "load", "--department", "HOTLINE", "--category", "HOTLINE-01"]
    outcomes = []
    for attempt in range(4):
        path = write_appeals_csv(tmp_path / f"诉求_{attempt}.csv", appeal_rows(50, communities, first=960_000_000 + 100 * attempt))
        procs = [subprocess.Popen([*command, str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        ends = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in procs]
        for p in procs:
            p.stdout.close(); p.stderr.close()
        codes = sorted(code for code, _, _ in ends)
        assert 0 in codes, ends
        for code, out, err in ends:
            assert "DB::Exception" not in out + err and "Traceback" not in err, err
            if code != 0:
                assert code == 2 and err.count("\n") == 1 and "数据目录被占用" in err, err
        outcomes.append(codes)
    assert [0, 2] in outcomes  # at least once the two really met
