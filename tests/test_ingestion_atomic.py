"""A department file loads all or nothing, and exactly once: a refused file leaves no row in any
table (theme table, rejected rows, the tables materialized views fill), and a load killed at any
step and run again ends with the same rows everywhere as one clean load.

The crash tests run each load in its own process on a copy of the session's warehouse; the
loader ends the process at a named step (`warehouse.ingest.loader.stop_at`), as a kill would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingestion_files import FIRST_TEST_PERSON, forget_loads

from bench.ingestion import write_trajectory_csv
from warehouse.ingest import Loader, resolve
from warehouse.ingest.loader import STOPPED

ROOT = Path(__file__).resolve().parent.parent
TRAJECTORY = resolve("PSB", "PSB-04")
APPEALS = resolve("HOTLINE", "HOTLINE-01")
PERSON = resolve("PSB", "PSB-01")

# a load in its own process: `stop_at block_bytes dept:cat:path…`; prints one JSON line per file
LOAD = """
import json, sys
from pathlib import Path
import warehouse.ingest.loader as loader
from warehouse import get_warehouse
from warehouse.ingest import Loader, resolve
loader.stop_at = sys.argv[1] or None
load = Loader(get_warehouse(), block_bytes=int(sys.argv[2]), table_rows=40)
for spec in sys.argv[3:]:
    dept, cat, path = spec.split(":", 2)
    r = load.load(resolve(dept, cat), Path(path))
    print(json.dumps({"status": r.status, "read": r.read, "loaded": r.loaded, "rejected": r.rejected,
                      "batch": r.batch_id, "skipped": r.chunks_skipped}), flush=True)
"""

# every table a load can write, directly or through a view, as (rows, content hash); ingest
# bookkeeping as the batches' outcome; and any table left behind by a load
STATE = """
import json
from warehouse import get_warehouse
wh = get_warehouse()
out = {}
for name, engine in wh.rows("SELECT name, engine FROM system.tables WHERE database = 'epi' "
                            "AND engine LIKE '%MergeTree' ORDER BY name"):
    if name in ("ingest_batch", "ingest_chunk", "dataset_info", "schema_migrations"):
        continue
    cols = [c for c, d in wh.rows("SELECT name, default_expression FROM system.columns WHERE database = 'epi' "
                                  "AND table = {t:String} ORDER BY position", {"t": name}) if "now" not in d]
    final = "" if engine == "MergeTree" else "FINAL"
    expr = ", ".join(f"`{c}`" for c in cols)
    out[name] = list(wh.rows(f"SELECT count(), sum(cityHash64({expr})) FROM epi.`{name}` {final}")[0])
out["batches"] = sorted(list(r) for r in wh.rows(
    "SELECT batch_id, status, rows_read, rows_loaded, rows_rejected FROM epi.ingest_batch FINAL"))
print(json.dumps(out, default=str))
"""


def run(env: dict, script: str, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def state(env: dict) -> dict:
    done = run(env, STATE)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def env_for(folder: Path) -> dict:
    return {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}"}


def appeal_rows(n: int, communities: list[str], first: int) -> list[dict]:
    return [{"appeal_id": str(first + i), "channel": "hotline", "type": "consultation", "topic": f"测试诉求{i}",
             "received_at": f"2022-03-0{1 + i % 5} 0{i % 10}:15:00", "community_code": communities[i % len(communities)],
             "closed_at": f"2022-03-0{1 + i % 5} 1{i % 10}:15:00"} for i in range(n)]


def write_appeals_csv(path: Path, rows: list[dict]) -> Path:
    header = list(rows[0])
    path.write_text("\n".join([",".join(header), *(",".join(r[h] for h in header) for r in rows)]) + "\n",
                    encoding="utf-8")
    return path


# -- a refused file leaves nothing -----------------------------------------------------------------
@pytest.fixture(scope="module")
def loader(wh):
    yield Loader(wh, table_rows=100)
    forget_loads(wh)


def totals(wh) -> dict[str, int]:
    """Row counts of the tables a load may touch, including what views fill."""
    names = ["person", "trajectory_point", "trajectory_by_cell", "appeal", "agg_appeals_daily", "sample",
             "agg_samples_hourly", "agg_mass_round_daily", "rejected_row"]
    return {n: wh.scalar(f"SELECT count() FROM epi.{n}") for n in names}


def bad_utf8_in_second_batch(path: Path, columns: dict[str, list[str]], text_column: str) -> Path:
    """A Parquet file of 250 rows in record batches of 100 whose `text_column` is bytes: valid
    UTF-8 in the first 100 rows, one invalid byte sequence at row 150."""
    n = len(next(iter(columns.values())))
    table = {k: pa.array(v, pa.string()) for k, v in columns.items() if k != text_column}
    raw = [v.encode() for v in columns[text_column]]
    raw[149] = b"\xff\xfe bad"
    table[text_column] = pa.array(raw, pa.binary())
    pq.write_table(pa.table(table), path, row_group_size=100)
    assert n == 250
    return path


@pytest.mark.parametrize("kind", ["appeal", "trajectory", "person"])
def test_a_file_refused_in_its_second_chunk_leaves_no_row_anywhere(wh, loader, communities, kind, tmp_path):
    if kind == "appeal":
        rows = appeal_rows(250, communities, first=990_000_000)
        columns = {k: [r[k] for r in rows] for k in rows[0]}
        category, text = APPEALS, "topic"
    elif kind == "trajectory":
        codes = wh.rows("SELECT code, lon, lat FROM epi.community ORDER BY code LIMIT 20")
        columns = {"person_id": [str(FIRST_TEST_PERSON + 700 + i) for i in range(250)],
                   "ts": [f"2022-03-01 08:{i % 60:02d}:00" for i in range(250)],
                   "lon": [str(codes[i % 20][1]) for i in range(250)], "lat": [str(codes[i % 20][2]) for i in range(250)],
                   "source": ["base_station"] * 250, "community_code": [codes[i % 20][0] for i in range(250)]}
        category, text = TRAJECTORY, "source"
    else:
        from ingestion_files import PERSON_HEADER, person_rows

        rows = person_rows(250, communities, first=FIRST_TEST_PERSON + 60_000)
        columns = {h: [r[i] for r in rows] for i, h in enumerate(PERSON_HEADER)}
        category, text = PERSON, "name"
    path = bad_utf8_in_second_batch(tmp_path / f"{kind}.parquet", columns, text)
    before = totals(wh)
    for _attempt in range(2):  # and run again: refused the same way, still nothing kept
        report = loader.load(category, path)
        assert report.status == "refused", report.line()
        assert "Invalid UTF8" in report.line()
        assert totals(wh) == before
        assert wh.rows("SELECT status, rows_loaded, message != '' FROM epi.ingest_batch FINAL "
                       "WHERE batch_id = {b:String}", {"b": report.batch_id}) == [("refused", 0, 1)]
    assert wh.scalar("SELECT count() FROM system.tables WHERE database = 'epi' AND name LIKE 'ingest\\_stage\\_%'") == 0


@pytest.fixture
def communities(wh) -> list[str]:
    return [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 20")]


# -- killed at any step, run again: exactly one clean load's rows ----------------------------------
STEPS = ["started", "staging:0", "staged:0", "staging:2", "staged:2", "accounted", "moved:rows", "moved",
         "recorded"]


@pytest.fixture(scope="module")
def crash_files(wh, tmp_path_factory) -> dict[str, Path]:
    """For each step, a small trajectory file (bad rows every 97th) and an appeals file of its own."""
    folder = tmp_path_factory.mktemp("crash-files")
    codes = wh.rows("SELECT code, lon, lat FROM epi.community ORDER BY code")
    communities = [c for c, _, _ in codes[:20]]
    files = {}
    for k, step in enumerate(STEPS):
        files[f"traj-{step}"] = folder / f"轨迹_{k}.csv"
        write_trajectory_csv(files[f"traj-{step}"], 300, codes, seed=100 + k)
        files[f"appeal-{step}"] = write_appeals_csv(folder / f"诉求_{k}.csv",
                                                    appeal_rows(120, communities, first=980_000_000 + 1000 * k))
    return files


def specs(files: dict[str, Path], step: str) -> list[str]:
    return [f"PSB:PSB-04:{files['traj-' + step]}", f"HOTLINE:HOTLINE-01:{files['appeal-' + step]}"]


@pytest.mark.slow
def test_a_load_killed_at_any_step_and_run_again_equals_one_clean_load(tiny_warehouse, tmp_path_factory,
                                                                       crash_files):
    from conftest import warehouse_copy

    clean, crashed = (env_for(warehouse_copy(tiny_warehouse, tmp_path_factory, name)) for name in ("clean", "crashed"))
    block = "4096"  # trajectory files of about 12 KiB: three or four chunks each
    everything = [s for step in STEPS for s in specs(crash_files, step)]
    once = run(clean, LOAD, "", block, *everything)
    assert once.returncode == 0, once.stderr
    reports = [json.loads(line) for line in once.stdout.splitlines()]
    assert all(r["status"] == "complete" and r["read"] == r["loaded"] + r["rejected"] for r in reports)
    assert sum(r["rejected"] for r in reports) > 0

    for step in STEPS:
        for spec in specs(crash_files, step):
            killed = run(crashed, LOAD, step, block, spec)
            assert killed.returncode == STOPPED, f"{step} {spec}: {killed.returncode} {killed.stderr[-2000:]}"
            again = run(crashed, LOAD, "", block, spec)
            assert again.returncode == 0, again.stderr
            assert json.loads(again.stdout)["status"] in ("complete", "already_loaded"), again.stdout
    expected, got = state(clean), state(crashed)
    assert got["batches"] == expected["batches"]
    assert {k: v for k, v in got.items() if k != "batches"} == {k: v for k, v in expected.items() if k != "batches"}
    assert not [name for name in got if name.startswith("ingest_stage_")]


def test_every_table_a_load_writes_keeps_a_deduplication_window(wh):
    """The move is exactly once only where the engine remembers the blocks it took: the theme
    tables fed by files, rejected_row, and every table a view fills from one of them."""
    import re

    from warehouse.ingest.layouts import LAYOUTS

    written = set(LAYOUTS) | {"rejected_row"}
    for query, in wh.rows("SELECT create_table_query FROM system.tables WHERE database = 'epi' "
                          "AND engine = 'MaterializedView'"):
        target = re.search(r"\bTO epi\.(\w+)", query).group(1)
        if {s for s in re.findall(r"\bFROM epi\.(\w+)", query)} & set(LAYOUTS):
            written.add(target)
    assert {"trajectory_by_cell", "agg_appeals_daily", "agg_samples_hourly"} <= written
    windows = dict(wh.rows("SELECT name, extract(create_table_query, 'non_replicated_deduplication_window = (\\\\d+)') "
                           "FROM system.tables WHERE database = 'epi' AND name IN {n:Array(String)}",
                           {"n": sorted(written)}))
    assert {t: windows.get(t) for t in written if not windows.get(t) or int(windows[t]) < 1000} == {}


def test_a_batch_removed_by_hand_and_loaded_again_loads_again(wh, loader, communities, tmp_path):
    """Each attempt draws its own token, so the deduplication window does not take a reload for a
    repeat; and plain writes do not deduplicate, so the same rows written again are written."""
    path = write_appeals_csv(tmp_path / "诉求_重载.csv", appeal_rows(30, communities, first=950_000_000))
    first = loader.load(APPEALS, path)
    assert (first.status, first.loaded) == ("complete", 30)
    for table in ("appeal", "ingest_batch", "ingest_chunk"):
        wh.command(f"DELETE FROM epi.{table} WHERE batch_id = {{b:String}}", {"b": first.batch_id})
    again = loader.load(APPEALS, path)
    assert (again.status, again.loaded, again.batch_id) == ("complete", 30, first.batch_id)
    assert wh.scalar("SELECT count() FROM epi.appeal WHERE batch_id = {b:String}", {"b": first.batch_id}) == 30
    for _ in range(2):  # the same row, written twice by a plain insert (as a page's write would)
        wh.command("INSERT INTO epi.appeal (appeal_id, channel, type, topic, community_code, received_at, batch_id, "
                   "source_row) VALUES (949999999, 'hotline', 'help', '重复写入', {c:String}, '2022-03-01 08:00:00', "
                   "'test-plain-write', 1)", {"c": communities[0]})
    assert wh.scalar("SELECT count() FROM epi.appeal WHERE batch_id = 'test-plain-write'") == 2
    wh.command("DELETE FROM epi.appeal WHERE batch_id = 'test-plain-write'")
