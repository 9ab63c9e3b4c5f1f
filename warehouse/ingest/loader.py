"""Loading one department file into its theme table: batch identity from the file's content,
chunked validated inserts with provenance, rejected rows kept with their reasons, and exact
accounting (rows read = rows loaded + rows rejected, for every chunk and every file).

All or nothing, and exactly once:
1. Staging. A batch's chunks go into two tables of its own, `epi.ingest_stage_<key>` (the theme
   table's structure) and `epi.ingest_stage_<key>_rejects` (rejected_row's), plain MergeTree
   tables in row order with no views attached, so nothing a person or a view reads sees them. Each chunk is
   recorded in epi.ingest_chunk after its rows and rejects are staged. A load killed while
   staging resumes: recorded chunks are skipped, whatever an unrecorded chunk staged is deleted
   (exact: no view read it) and the chunk is staged again.
2. Accounting. When the whole file has been read, the staged rows must equal the chunks' loaded
   and rejected counts, and read = loaded + rejected; a file that cannot be read to its end is
   refused: its stage is dropped and nothing reaches any other table.
3. The move. One INSERT … SELECT per table (theme rows ordered by source_row, rejects by
   row_number, one thread, so the same rows always form the same blocks) carries the attempt's
   deduplication token (Warehouse.dedup_settings: `insert_deduplication_token`, deduplication
   forced on for this statement, `deduplicate_blocks_in_dependent_materialized_views = 1`;
   every other write turns it off); migration 0015 gives the theme
   tables, rejected_row and every table a view fills from them a deduplication window. The views
   fire once, during the move. A move killed part-way, run again with the same token, adds only
   the blocks that did not make it, to the theme table and to each view's table alike (the
   engine checks each view's blocks itself when the source block was already there).
4. The batch is recorded `complete`, then its stage is dropped.

The token is drawn when a batch is first staged and kept in epi.ingest_batch.load_token; it is
never reused by a later attempt (a batch removed and loaded again draws a new one), so the
window cannot swallow a reload. Statuses: `loading` (staging or moving), `complete`, `refused`
(the file cannot be read as the category's data: nothing kept), `failed` (an error of the
warehouse or of the checks: the stage is kept and the same command resumes). Loading the same
file again after `complete` adds nothing.

`stop_at` names a step (`started`, `staging:<k>`, `staged:<k>`, `accounted`, `moved:rows`,
`moved`, `recorded`) at which the process ends at once, as a kill would: the crash tests use it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from warehouse.client import Warehouse
from warehouse.errors import EpiError
from warehouse.ingest.categories import Category
from warehouse.ingest.readers import BLOCK_BYTES, TABLE_ROWS, FileRefused, open_source
from warehouse.ingest.validate import KnownCodes, Seen, check_chunk
from warehouse.rules import clock

STOPPED = 86  # the exit code of a load stopped at `stop_at`
stop_at: str | None = None  # crash tests name a step here; the load process ends there at once
STAGE_PREFIX = "ingest_stage_"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def checkpoint(step: str) -> None:
    """A named step of a load. A crash test sets `stop_at` to one of them: the process then ends
    there as a kill would, with no clean-up."""
    if step == stop_at:
        os._exit(STOPPED)


class LoadAccountingError(EpiError, RuntimeError):
    """A chunk's rows do not add up (read != loaded + rejected): a fault in the checks, not in
    the file; the load stops before the chunk is written."""


@dataclass
class LoadReport:
    """What one file's load did; `status` is complete, already_loaded or refused."""

    file: Path
    category: str
    batch_id: str = ""
    status: str = "complete"
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    chunks_skipped: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "refused":
            return f"{self.file.name}: 未载入 / refused — {'; '.join(self.notes)}"
        head = "已载入过，未重复写入 / already loaded, nothing added" if self.status == "already_loaded" else "已载入 / loaded"
        text = (f"{self.file.name} → {self.category} [{self.batch_id}] {head}: 读取 read {self.read:,} = "
                f"载入 loaded {self.loaded:,} + 拒收 rejected {self.rejected:,}")
        if self.status == "complete" and self.seconds:
            text += f" ({self.read / self.seconds:,.0f} rows/s)"
        if self.chunks_skipped:
            text += f"; 续传：跳过已写入的 {self.chunks_skipped} 块 / resumed, {self.chunks_skipped} chunk(s) kept"
        return "\n  ".join([text, *self.notes])


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def batch_identity(category: Category, digest: str) -> str:
    """The same file for the same department and category is always the same batch."""
    key = hashlib.sha256(f"{category.department}|{category.code}|{digest}".encode()).hexdigest()
    return f"{category.code}-{key[:16]}"


def stage_tables(batch_id: str) -> tuple[str, str]:
    """The batch's staging tables: its rows, and its rejected rows."""
    key = batch_id.rsplit("-", 1)[-1]
    name = f"{STAGE_PREFIX}{batch_id.rsplit('-', 1)[0].lower().replace('-', '_')}_{key}"
    return name, f"{name}_rejects"


def _now() -> dt.datetime:
    return clock.now_wall()


class Loader:
    """Loads files for one warehouse; the known codes are read once."""

    def __init__(self, wh: Warehouse, block_bytes: int = BLOCK_BYTES, table_rows: int = TABLE_ROWS):
        self.wh, self.block_bytes, self.table_rows = wh, block_bytes, table_rows
        self.known = KnownCodes.of([r[0] for r in wh.rows("SELECT code FROM epi.district")],
                                   [r[0] for r in wh.rows("SELECT code FROM epi.community")])
        self._types: dict[str, dict[str, str]] = {}

    def types(self, table: str) -> dict[str, str]:
        if table not in self._types:
            self._types[table] = dict(self.wh.rows(
                "SELECT name, type FROM system.columns WHERE database = 'epi' AND table = {t:String}", {"t": table}))
        return self._types[table]

    def batch_state(self, batch_id: str) -> dict | None:
        rows = self.wh.rows(
            "SELECT status, rows_read, rows_loaded, rows_rejected, load_token FROM epi.ingest_batch FINAL "
            "WHERE batch_id = {b:String}", {"b": batch_id})
        if not rows:
            return None
        status, read, loaded, rejected, token = rows[0]
        return {"status": status, "read": read, "loaded": loaded, "rejected": rejected, "token": token}

    def load(self, category: Category, path: Path,
             on_chunk: Callable[[int, LoadReport], None] | None = None) -> LoadReport:
        """Load one file; FileRefused problems come back as a refused report, not an exception."""
        report = LoadReport(path, category.code)
        started = time.perf_counter()
        if path.is_dir():
            report.status, report.notes = "refused", [
                f"这是文件夹，不是文件 / {path} is a folder: give the files in it, not the folder"]
            return report
        if not path.is_file():
            report.status, report.notes = "refused", [f"文件不存在 / no such file: {path}"]
            return report
        digest = content_hash(path)
        report.batch_id = batch_id = batch_identity(category, digest)
        state = self.batch_state(batch_id)
        if state and state["status"] == "complete":
            self._drop_stage(batch_id)  # left behind when a load ended right after its record
            report.status = "already_loaded"
            report.read, report.loaded, report.rejected = state["read"], state["loaded"], state["rejected"]
            return report
        resuming = (state is not None and state["status"] in ("loading", "failed") and bool(state["token"])
                    and self._stage_exists(batch_id))
        batch = {
            "batch_id": batch_id, "department_code": category.department, "category_code": category.code,
            "target_table": category.table, "file_name": path.name, "content_hash": digest,
            "started_at": _now(), "load_token": state["token"] if resuming else uuid.uuid4().hex,
        }
        try:
            source = open_source(path, category.layout, self.block_bytes, self.table_rows)
        except FileRefused as exc:
            return self._refuse(batch, report, "", "", str(exc))
        report.notes = list(source.notes)
        if not resuming:
            self._start_afresh(batch_id, category.table)
        self._record(batch, report, "loading", source.file_format, source.encoding, "")
        checkpoint("started")
        done = self._recorded_chunks(batch_id) if resuming else {}
        types = self.types(category.table)
        provenance = {"src_department": category.department, "src_category": category.code, "batch_id": batch_id}
        now = _now()
        seen = Seen()  # the file's rows so far, for duplicates across chunks
        # validation (Arrow, this thread) overlaps the staging inserts (the engine, the writer thread)
        writes: queue.Queue = queue.Queue(maxsize=1)
        failed: list[BaseException] = []
        writer = threading.Thread(target=self._writer, args=(writes, failed, batch_id, resuming, report, on_chunk),
                                  daemon=True)
        writer.start()
        try:
            try:
                for number, chunk in enumerate(source.chunks):
                    if failed:
                        break
                    checked = check_chunk(chunk, types, category.layout, self.known, provenance, path.name, now, seen)
                    if number in done:  # checked all the same: a later duplicate of its rows is one
                        writes.put((number, chunk, None, done[number]))
                        continue
                    counts = (chunk.read, checked.good.num_rows, checked.rejects.num_rows)
                    if counts[0] != counts[1] + counts[2]:
                        raise LoadAccountingError(f"第 {number} 块行数对不上 / chunk {number}: read {counts[0]} != "
                                                  f"loaded {counts[1]} + rejected {counts[2]}")
                    writes.put((number, chunk, checked, counts))
            finally:
                writes.put(None)
                writer.join()
        except (FileRefused, pa.ArrowException, OSError) as exc:
            return self._refuse(batch, report, source.file_format, source.encoding,
                                f"读取中断 / reading stopped: {exc}")
        except Exception as exc:
            self._fail(batch, report, source, exc)
            raise
        try:
            if failed:
                raise failed[0]
            self._account(batch_id, report)
            checkpoint("accounted")
            self._move(batch, category.table)
        except Exception as exc:
            self._fail(batch, report, source, exc)
            raise
        report.seconds = time.perf_counter() - started
        if report.read == 0:
            report.notes.append("文件只有表头，没有数据行 / the file holds a header and no rows")
        self._record(batch, report, "complete", source.file_format, source.encoding, "; ".join(report.notes),
                     finished=True)
        checkpoint("recorded")
        self._drop_stage(batch_id)
        self._bump_data_version(batch_id)
        return report

    def _writer(self, writes: queue.Queue, failed: list, batch_id: str, resuming: bool, report: LoadReport,
                on_chunk) -> None:
        """Stage chunks in order: rows, rejects, then the chunk's record; stop at the first error."""
        rows_stage, rejects_stage = stage_tables(batch_id)
        while (item := writes.get()) is not None:
            if failed:
                continue
            number, chunk, checked, (read, loaded, rejected) = item
            try:
                if checked is None:
                    report.chunks_skipped += 1
                else:
                    if resuming:
                        self._clear_chunk(batch_id, chunk.first_row, chunk.last_row)
                    if loaded:
                        self.wh.insert_arrow(rows_stage, checked.good)
                    checkpoint(f"staging:{number}")
                    if rejected:
                        self.wh.insert_arrow(rejects_stage, checked.rejects)
                    self._record_chunk(batch_id, number, chunk.first_row, chunk.last_row, read, loaded, rejected)
                    checkpoint(f"staged:{number}")
                report.read += read; report.loaded += loaded; report.rejected += rejected
                if on_chunk:
                    on_chunk(number, report)
            except BaseException as exc:  # re-raised by the reading thread
                failed.append(exc)

    # -- staging and the move ------------------------------------------------------------
    def _stage_exists(self, batch_id: str) -> bool:
        return self.wh.scalar("SELECT count() FROM system.tables WHERE database = 'epi' AND name IN {n:Array(String)}",
                              {"n": list(stage_tables(batch_id))}) == 2

    def _drop_stage(self, batch_id: str) -> None:
        for name in stage_tables(batch_id):
            self.wh.command("DROP TABLE IF EXISTS epi.{t:Identifier}", {"t": name})

    def _start_afresh(self, batch_id: str, table: str) -> None:
        """A new attempt: empty stage tables, no chunk records, and no row of this batch anywhere
        (a load made before staging existed could leave some in the theme table)."""
        self._drop_stage(batch_id)
        rows_stage, rejects_stage = stage_tables(batch_id)
        for stage, source, order in ((rows_stage, table, "source_row"), (rejects_stage, "rejected_row", "row_number")):
            # the engine binds no parameter after AS: the names are checked, then written in. Kept
            # in row order, the move reads the stage in order instead of sorting it whole.
            assert _NAME.fullmatch(stage) and _NAME.fullmatch(source), (stage, source)
            self.wh.command(f"CREATE TABLE epi.`{stage}` AS epi.`{source}` ENGINE = MergeTree ORDER BY {order} "
                            "SETTINGS lightweight_mutation_projection_mode = 'rebuild'")
        for name in ("ingest_chunk", table, "rejected_row"):
            params = {"t": name, "b": batch_id}
            if self.wh.scalar("SELECT count() FROM epi.{t:Identifier} WHERE batch_id = {b:String}", params):
                self.wh.command("DELETE FROM epi.{t:Identifier} WHERE batch_id = {b:String}", params)

    def _clear_chunk(self, batch_id: str, first: int, last: int) -> None:
        """Delete what a killed load staged of this chunk before its record was kept."""
        where = "{col:Identifier} BETWEEN {lo:UInt64} AND {hi:UInt64}"
        for name, row_col in zip(stage_tables(batch_id), ("source_row", "row_number")):
            params = {"t": name, "col": row_col, "lo": first, "hi": last}
            if self.wh.scalar("SELECT count() FROM epi.{t:Identifier} WHERE " + where, params):
                self.wh.command("DELETE FROM epi.{t:Identifier} WHERE " + where, params)

    def _account(self, batch_id: str, report: LoadReport) -> None:
        """The whole file is in the stage, and it adds up: read = loaded + rejected, and the staged
        rows are exactly the chunks' loaded and rejected rows."""
        rows_stage, rejects_stage = stage_tables(batch_id)
        staged = [self.wh.scalar("SELECT count() FROM epi.{t:Identifier}", {"t": t}) for t in (rows_stage, rejects_stage)]
        if report.read != report.loaded + report.rejected or staged != [report.loaded, report.rejected]:
            raise LoadAccountingError(
                f"批次行数对不上 / the batch does not add up: read {report.read} = loaded {report.loaded} + rejected "
                f"{report.rejected}, staged {staged[0]} rows and {staged[1]} rejects")

    def _move(self, batch: dict, table: str) -> None:
        """Staged rows into the theme table and rejected_row, once each, views firing once."""
        rows_stage, rejects_stage = stage_tables(batch["batch_id"])
        settings = {**self.wh.dedup_settings(batch["load_token"]), "max_threads": 1, "max_insert_threads": 1}
        moves = ((table, rows_stage, "source_row", "moved:rows"), ("rejected_row", rejects_stage, "row_number", "moved"))
        for target, stage, order, step in moves:
            self.wh.command("INSERT INTO epi.{t:Identifier} SELECT * FROM epi.{s:Identifier} ORDER BY {o:Identifier}",
                            {"t": target, "s": stage, "o": order}, **settings)
            checkpoint(step)

    # -- bookkeeping ---------------------------------------------------------------------
    def _refuse(self, batch: dict, report: LoadReport, file_format: str, encoding: str, reason: str) -> LoadReport:
        """Nothing of a refused file is kept: its stage goes, and the batch says why."""
        self._drop_stage(batch["batch_id"])
        report.status, report.read, report.loaded, report.rejected = "refused", 0, 0, 0
        report.notes.append(reason)
        self._record(batch, report, "refused", file_format, encoding, reason)
        return report

    def _fail(self, batch: dict, report: LoadReport, source, exc: BaseException) -> None:
        """An error of the warehouse or of the checks: the stage stays for the next run."""
        try:
            self._record(batch, report, "failed", source.file_format, source.encoding, str(exc))
        except Exception:  # the warehouse itself failed: the batch stays `loading`, which resumes too
            pass

    def _record(self, batch: dict, report: LoadReport, status: str, file_format: str, encoding: str,
                message: str, finished: bool = False) -> None:
        row = {**batch, "file_format": file_format, "encoding": encoding, "rows_read": report.read,
               "rows_loaded": report.loaded, "rows_rejected": report.rejected,
               "finished_at": _now() if finished or status == "refused" else None,
               "status": status, "message": message[:2000]}
        df = pd.DataFrame([row])
        df["started_at"] = clock.zoned(pd.to_datetime(df["started_at"]))
        df["finished_at"] = clock.zoned(pd.to_datetime(df["finished_at"]))
        self.wh.insert_df("ingest_batch", df)

    def _recorded_chunks(self, batch_id: str) -> dict[int, tuple[int, int, int]]:
        return {chunk: (read, loaded, rejected) for chunk, read, loaded, rejected in self.wh.rows(
            "SELECT chunk, rows_read, rows_loaded, rows_rejected FROM epi.ingest_chunk FINAL "
            "WHERE batch_id = {b:String}", {"b": batch_id})}

    def _record_chunk(self, batch_id: str, number: int, first: int, last: int, read: int, loaded: int,
                      rejected: int) -> None:
        self.wh.command(
            "INSERT INTO epi.ingest_chunk (batch_id, chunk, first_row, last_row, rows_read, rows_loaded, "
            "rows_rejected) VALUES ({b:String}, {c:UInt32}, {f:UInt64}, {l:UInt64}, {r:UInt64}, {g:UInt64}, "
            "{j:UInt64})", {"b": batch_id, "c": number, "f": first, "l": last, "r": read, "g": loaded, "j": rejected})

    def _bump_data_version(self, batch_id: str) -> None:
        """The portal keys its cache on the data version: a load must not be served stale figures."""
        old = self.wh.scalar(
            "SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version'") or ""
        self.wh.insert_df("dataset_info", pd.DataFrame({"key": ["data_version"],
                                                        "value": [f"{old.split('+')[0]}+{batch_id}"]}))
