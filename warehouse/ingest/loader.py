"""Loading one department file into its theme table: batch identity from the file's content,
chunked validated inserts with provenance, rejected rows kept with their reasons, and exact
accounting (rows read = rows loaded + rows rejected, for every chunk and every file).

A batch is `loading` while its chunks go in; each chunk is recorded in epi.ingest_chunk after
its rows and rejects are written. Loading the same file again finds the batch `complete` and
adds nothing. A load that was killed is resumed: recorded chunks are skipped, and rows of an
unrecorded chunk that made it in are deleted before the chunk is written again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import queue
import threading
import time
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
            "SELECT status, rows_read, rows_loaded, rows_rejected FROM epi.ingest_batch FINAL "
            "WHERE batch_id = {b:String}", {"b": batch_id})
        if not rows:
            return None
        status, read, loaded, rejected = rows[0]
        return {"status": status, "read": read, "loaded": loaded, "rejected": rejected}

    def load(self, category: Category, path: Path,
             on_chunk: Callable[[int, LoadReport], None] | None = None) -> LoadReport:
        """Load one file; FileRefused problems come back as a refused report, not an exception."""
        report = LoadReport(path, category.code)
        started = time.perf_counter()
        if not path.is_file():
            report.status, report.notes = "refused", [f"文件不存在 / no such file: {path}"]
            return report
        digest = content_hash(path)
        report.batch_id = batch_id = batch_identity(category, digest)
        state = self.batch_state(batch_id)
        if state and state["status"] == "complete":
            report.status = "already_loaded"
            report.read, report.loaded, report.rejected = state["read"], state["loaded"], state["rejected"]
            return report
        resuming = state is not None and state["status"] in ("loading", "failed")
        batch = {
            "batch_id": batch_id, "department_code": category.department, "category_code": category.code,
            "target_table": category.table, "file_name": path.name, "content_hash": digest,
            "started_at": _now(),
        }
        try:
            source = open_source(path, category.layout, self.block_bytes, self.table_rows)
        except FileRefused as exc:
            report.status, report.notes = "refused", [str(exc)]
            self._record(batch, report, "refused", "", "", str(exc))
            return report
        report.notes = list(source.notes)
        self._record(batch, report, "loading", source.file_format, source.encoding, "")
        done = self._recorded_chunks(batch_id) if resuming else {}
        types = self.types(category.table)
        provenance = {"src_department": category.department, "src_category": category.code, "batch_id": batch_id}
        now = _now()
        seen = Seen()  # the file's rows so far, for duplicates across chunks
        # validation (Arrow, this thread) overlaps the inserts (the engine, the writer thread)
        writes: queue.Queue = queue.Queue(maxsize=1)
        failed: list[BaseException] = []
        writer = threading.Thread(target=self._writer, args=(writes, failed, category.table, batch_id, resuming,
                                                              report, on_chunk), daemon=True)
        writer.start()
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
        except (FileRefused, pa.ArrowException, OSError) as exc:
            report.status = "refused"
            report.notes.append(f"读取中断 / reading stopped: {exc}")
            self._record(batch, report, "failed", source.file_format, source.encoding, str(exc))
            return report
        finally:
            writes.put(None)
            writer.join()
        if failed:
            raise failed[0]
        report.seconds = time.perf_counter() - started
        if report.read == 0:
            report.notes.append("文件只有表头，没有数据行 / the file holds a header and no rows")
        self._record(batch, report, "complete", source.file_format, source.encoding, "; ".join(report.notes),
                     finished=True)
        self._bump_data_version(batch_id)
        return report

    def _writer(self, writes: queue.Queue, failed: list, table: str, batch_id: str, resuming: bool,
                report: LoadReport, on_chunk) -> None:
        """Write chunks in order: rows, rejects, then the chunk's record; stop at the first error."""
        while (item := writes.get()) is not None:
            if failed:
                continue
            number, chunk, checked, (read, loaded, rejected) = item
            try:
                if checked is None:
                    report.chunks_skipped += 1
                else:
                    if resuming:
                        self._clear_chunk(table, batch_id, chunk.first_row, chunk.last_row)
                    if loaded:
                        self.wh.insert_arrow(table, checked.good)
                    if rejected:
                        self.wh.insert_arrow("rejected_row", checked.rejects)
                    self._record_chunk(batch_id, number, chunk.first_row, chunk.last_row, read, loaded, rejected)
                report.read += read; report.loaded += loaded; report.rejected += rejected
                if on_chunk:
                    on_chunk(number, report)
            except BaseException as exc:  # re-raised by the reading thread
                failed.append(exc)

    # -- bookkeeping ---------------------------------------------------------------------
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

    def _clear_chunk(self, table: str, batch_id: str, first: int, last: int) -> None:
        """Delete what a killed load wrote of this chunk before its record was kept."""
        where = "batch_id = {b:String} AND {col:Identifier} BETWEEN {lo:UInt64} AND {hi:UInt64}"
        for name, row_col in ((table, "source_row"), ("rejected_row", "row_number")):
            params = {"t": name, "col": row_col, "b": batch_id, "lo": first, "hi": last}
            if self.wh.scalar("SELECT count() FROM epi.{t:Identifier} WHERE " + where, params):
                self.wh.command("DELETE FROM epi.{t:Identifier} WHERE " + where, params)

    def _bump_data_version(self, batch_id: str) -> None:
        """The portal keys its cache on the data version: a load must not be served stale figures."""
        old = self.wh.scalar(
            "SELECT argMax(value, updated_at) FROM epi.dataset_info WHERE key = 'data_version'") or ""
        self.wh.insert_df("dataset_info", pd.DataFrame({"key": ["data_version"],
                                                        "value": [f"{old.split('+')[0]}+{batch_id}"]}))
