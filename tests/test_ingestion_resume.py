"""A load killed half-way (SIGKILL, in its own process and a copy of the session's warehouse)
and run again ends with exactly the right rows: chunks already written are kept, none is
written twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.ingestion import BAD_EVERY, write_trajectory_csv

ROOT = Path(__file__).resolve().parent.parent
ROWS = 800_000  # about eight 8 MiB chunks
pytestmark = pytest.mark.slow

COUNTS = (
    "import sys; from warehouse import get_warehouse; wh = get_warehouse(); b = sys.argv[1]; "
    "print(*wh.rows(\"SELECT (SELECT count() FROM epi.trajectory_point WHERE batch_id = {b:String}), "
    "(SELECT uniqExact(source_row) FROM epi.trajectory_point WHERE batch_id = {b:String}), "
    "(SELECT count() FROM epi.rejected_row WHERE batch_id = {b:String}), "
    "(SELECT status FROM epi.ingest_batch FINAL WHERE batch_id = {b:String})\", {'b': b})[0])"
)


def test_a_killed_load_run_again_ends_with_exactly_the_right_rows(wh, own_warehouse, tmp_path):
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{own_warehouse}"}
    communities = wh.rows("SELECT code, lon, lat FROM epi.community ORDER BY code")  # the same seed's
    path = tmp_path / "基站信令.csv"
    bad = write_trajectory_csv(path, ROWS, communities, seed=11)
    assert bad == ROWS // BAD_EVERY
    load = [sys.executable, "-m", "warehouse", "load", "--department", "PSB", "--category", "PSB-04", str(path)]

    proc = subprocess.Popen(load, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()
    assert first.startswith("  块 chunk 1: "), first + proc.stderr.read()
    proc.send_signal(signal.SIGKILL)  # no clean-up: the process dies between or inside chunk writes
    proc.wait(timeout=30)

    def counts(batch: str) -> list[str]:
        out = subprocess.run([sys.executable, "-c", COUNTS, batch], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=120).stdout
        return out.split()

    again = subprocess.run(load, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"读取 read {ROWS:,} = 载入 loaded {ROWS - bad:,} + 拒收 rejected {bad:,}" in again.stdout
    assert "续传" in again.stdout  # the chunks the killed run finished were kept
    batch = again.stdout.split("[", 1)[1].split("]", 1)[0]
    assert counts(batch) == [str(ROWS - bad), str(ROWS - bad), str(bad), "complete"]
    third = subprocess.run(load, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "already loaded, nothing added" in third.stdout
    assert counts(batch) == [str(ROWS - bad), str(ROWS - bad), str(bad), "complete"]
