"""Department file loads: a trajectory CSV (PSB-04 base-station points, about 1% bad rows) loaded
with validation at two sizes, each in its own process, timed with its peak memory; beside it a
naive load (pandas reads the whole file, Python checks row by row) measured on a sample in the
same run and compared per row.

`python -m bench.ingestion [--sizes 1000000 4000000] [--naive-rows 200000] [--keep DIR]`
builds a tiny warehouse in a temporary folder (the embedded engine allows one process per
folder, so every step is its own process), and writes bench/results/ingestion-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HEADER = "person_id,ts,lon,lat,source,place_id,community_code\n"
SOURCES = np.array(["base_station", "place_scan", "health_code_scan"])
BAD_EVERY = 97  # one row in 97 carries one defect, in turn: outside Chengdu, unknown community, bad time
FLOOR_ROWS = 1_000  # a file this small shows the process's own memory: interpreter and engine
STORY_START = 1644422400  # 2022-02-10 00:00 Beijing, as epoch seconds of the wall-clock time


def write_trajectory_csv(path: Path, rows: int, communities: list[tuple[str, float, float]], seed: int = 7,
                         block: int = 500_000) -> int:
    """Write `rows` trajectory points deterministically; returns how many rows are bad."""
    rng = np.random.default_rng(seed)
    codes = np.array([c for c, _, _ in communities])
    lons = np.array([x for _, x, _ in communities])
    lats = np.array([y for _, _, y in communities])
    bad = 0
    with open(path, "wb") as out:
        out.write(HEADER.encode())
        for first in range(0, rows, block):
            n = min(block, rows - first)
            idx = rng.integers(0, len(codes), n)
            lon = np.round(lons[idx] + rng.normal(0, 0.004, n), 6)
            lat = np.round(lats[idx] + rng.normal(0, 0.004, n), 6)
            community = codes[idx].astype(object)
            seconds = STORY_START + rng.integers(0, 39 * 86400, n)
            ts = pc.strftime(pa.array(seconds.astype("datetime64[s]")), format="%Y-%m-%d %H:%M:%S")
            ts = np.array(ts.to_pylist(), dtype=object)
            number = np.arange(first, first + n)
            defect = np.where(number % BAD_EVERY == BAD_EVERY - 1, (number // BAD_EVERY) % 3, -1)
            lon = np.where(defect == 0, 110.5, lon)
            community[defect == 1] = "510199000000"
            ts[defect == 2] = "2022-13-45 25:61:00"
            bad += int((defect >= 0).sum())
            columns = [rng.integers(1, 20_000_000, n).astype(str), ts, lon.astype(str), lat.astype(str),
                       SOURCES[rng.integers(0, 3, n)], rng.integers(0, 5000, n).astype(str), community]
            lines = pc.binary_join_element_wise(*[pa.array(c.astype(object), pa.string()) for c in columns], ",")
            out.write(("\n".join(lines.to_pylist()) + "\n").encode())
    return bad


def _env(folder: Path) -> dict:
    return {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}", "PYTHONPATH": str(ROOT)}


def _rss_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _timed(cmd: list[str], env: dict) -> tuple[float, float, str, list[float]]:
    """Run a command: wall seconds, peak resident memory (MiB), output, and RSS sampled every 0.25 s."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    samples: list[float] = []

    def sample() -> None:
        while proc.returncode is None and (rss := _rss_mib(proc.pid)) is not None:
            samples.append(rss)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, out, samples


def prepare(folder: Path, sizes: list[int], naive_rows: int) -> dict:
    """In a child process: read the communities, write the files, time the naive load."""
    from warehouse import get_warehouse

    wh = get_warehouse()
    communities = wh.rows("SELECT code, lon, lat FROM epi.community ORDER BY code")
    files = {}
    for rows in sorted(set(sizes) | {naive_rows, FLOOR_ROWS}):
        path = folder / f"trajectory_{rows}.csv"
        files[rows] = {"path": str(path), "bad": write_trajectory_csv(path, rows, communities),
                       "bytes": 0}
        files[rows]["bytes"] = path.stat().st_size
    return {"files": files}


def naive_load(path: Path) -> dict:
    """The obvious way: read the whole file with pandas, check each row in Python, insert."""
    import datetime as dt

    import pandas as pd

    from warehouse import get_warehouse
    from warehouse.rules.clock import OFFSET_S, now_wall

    wh = get_warehouse()
    known = {r[0] for r in wh.rows("SELECT code FROM epi.community")}
    started = time.perf_counter()
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    good, rejected = [], 0
    low, high = dt.datetime(2019, 12, 1), now_wall()
    for i, row in enumerate(df.itertuples(index=False), start=2):
        try:
            ts = dt.datetime.strptime(row.ts, "%Y-%m-%d %H:%M:%S")
            lon, lat = float(row.lon), float(row.lat)
            ok = (low <= ts <= high and 102.85 <= lon <= 104.95 and 30.03 <= lat <= 31.48
                  and row.community_code in known and row.source in SOURCES)
        except ValueError:
            ok = False
        if ok:
            good.append((int(row.person_id), ts - dt.timedelta(seconds=OFFSET_S), lon, lat, row.source,
                         int(row.place_id), row.community_code, "PSB", "PSB-04", "naive", i))
        else:
            rejected += 1
    out = pd.DataFrame(good, columns=["person_id", "ts", "lon", "lat", "source", "place_id", "community_code",
                                      "src_department", "src_category", "batch_id", "source_row"])
    out["ts"] = out["ts"].dt.tz_localize("UTC")
    wh.insert_df("trajectory_point", out)
    seconds = time.perf_counter() - started
    return {"rows": len(df), "loaded": len(good), "rejected": rejected, "seconds": seconds}


_COUNTS = re.compile(r"read ([\d,]+) = 载入 loaded ([\d,]+) \+ 拒收 rejected ([\d,]+) \(([\d,]+) rows/s\)")


def _load(folder: Path, path: str) -> dict:
    cmd = [sys.executable, "-m", "warehouse", "load", "--department", "PSB", "--category", "PSB-04", path]
    seconds, rss, out, samples = _timed(cmd, _env(folder))
    read, loaded, rejected, rate = (int(x.replace(",", "")) for x in _COUNTS.search(out).groups())
    # the middle half of the run, once the engine is up: flat memory shows as the same level
    # at every size, whatever the file's length
    middle = sorted(samples[len(samples) // 4: 3 * len(samples) // 4]) or [rss]
    # rows_per_s: the load itself (hash, read, validate, insert); process_rows_per_s adds start-up
    return {"read": read, "loaded": loaded, "rejected": rejected, "process_seconds": round(seconds, 2),
            "rows_per_s": rate, "process_rows_per_s": round(read / seconds), "peak_rss_mib": round(rss),
            "median_rss_mib_mid_run": round(middle[len(middle) // 2])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ingestion", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000_000, 4_000_000])
    parser.add_argument("--naive-rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--child", choices=["prepare", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "prepare":
        print(json.dumps(prepare(Path(args.path), args.sizes, args.naive_rows)))
        return 0
    if args.child == "naive":
        print(json.dumps(naive_load(Path(args.path))))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-ingestion-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "warehouse"
    try:
        print(f"tiny warehouse in {folder} …", flush=True)
        _timed([sys.executable, "-m", "seed", "--scale", "tiny", "--if-empty"], _env(folder))
        _, _, out, _ = _timed([sys.executable, "-m", "bench.ingestion", "--child", "prepare", "--path", str(work),
                            "--sizes", *map(str, args.sizes), "--naive-rows", str(args.naive_rows)], _env(folder))
        prepared = json.loads(out.strip().splitlines()[-1])
        files = {int(k): v for k, v in prepared["files"].items()}
        result = {"machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()}, "loads": {}, "naive": {}}
        floor = _load(folder, files[FLOOR_ROWS]["path"])
        result["floor"] = floor
        print(f"CSV {FLOOR_ROWS:>10,} rows: peak RSS {floor['peak_rss_mib']:,} MiB (interpreter and engine)")
        for rows in args.sizes:
            info = files[rows]
            load = _load(folder, info["path"])
            load.update(file_mib=round(info["bytes"] / 2**20, 1), expected_rejected=info["bad"])
            assert load["read"] == rows and load["rejected"] == info["bad"], load
            result["loads"][f"{rows}"] = load
            print(f"CSV {rows:>10,} rows ({load['file_mib']} MiB): {load['rows_per_s']:>9,} rows/s "
                  f"({load['process_rows_per_s']:,} rows/s with process start-up), "
                  f"peak RSS {load['peak_rss_mib']:,} MiB (median mid-run {load['median_rss_mib_mid_run']:,}), "
                  f"rejected {load['rejected']:,}", flush=True)
        seconds, rss, out, _ = _timed([sys.executable, "-m", "bench.ingestion", "--child", "naive", "--path",
                                    files[args.naive_rows]["path"]], _env(folder))
        naive = json.loads(out.strip().splitlines()[-1])
        naive.update(rows_per_s=round(naive["rows"] / naive["seconds"]), peak_rss_mib=round(rss))
        result["naive"] = naive
        big = result["loads"][f"{max(args.sizes)}"]
        per_row = naive["rows_per_s"]
        result["ratio"] = {size: round(v["rows_per_s"] / per_row, 1) for size, v in result["loads"].items()}
        result["machine"]["load_average_after"] = os.getloadavg()
        print(f"naive (pandas whole file + row-by-row checks) on {naive['rows']:,} rows: {per_row:,} rows/s, "
              f"peak RSS {naive['peak_rss_mib']:,} MiB → chunked loader {result['ratio'][str(max(args.sizes))]}× "
              f"faster at {max(args.sizes):,} rows ({big['rows_per_s']:,} rows/s)")
        RESULTS.mkdir(parents=True, exist_ok=True)
        target = RESULTS / f"ingestion-{time.strftime('%Y%m%d-%H%M%S')}.json"
        target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written {target.relative_to(ROOT)}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
