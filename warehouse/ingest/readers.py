"""Reading department files in chunks: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16), XLSX,
Parquet and JSON lines. Every reader yields the same thing: the file's values as text, one column per
layout column, with each row's number in the file and its raw text, so a rejected row can be
found again. Nothing reads a whole file into memory.

Row numbers: for CSV and JSON lines, the line in the file (the header is line 1); for XLSX, the
sheet row; for Parquet, the record (1 = first). Blank lines are not rows. CSV holds one record
per line: a quoted field may hold commas and quotes, not line breaks.

Text is decoded line by line: a line that is not in the file's encoding (a GBK line in a UTF-8
file, a UTF-8 line in a GBK file, bytes no encoding reads) is rejected with its number and the
rest of the file loads. UTF-16 files are read when they carry a byte-order mark, or when their
NUL bytes show it plainly.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from warehouse.errors import EpiError
from warehouse.ingest.layouts import LABELS, Layout
from warehouse.rules import clock

BLOCK_BYTES = 8 << 20  # CSV / JSON lines read per chunk (about 100,000 rows of 80 bytes)
TABLE_ROWS = 100_000  # XLSX / Parquet rows per chunk
SNIFF_BYTES = 64 << 10
FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".parquet": "parquet",
           ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}


class FileRefused(EpiError, ValueError):
    """The file cannot be read as the category's data; str() says why and what to do."""


@dataclass
class Chunk:
    """Some consecutive rows of a file, as text, aligned with their row numbers and raw text."""

    first_row: int
    last_row: int
    values: dict[str, pa.Array]  # layout column → text values of the readable rows
    rows: np.ndarray  # row numbers of the readable rows
    raw: pa.Array  # raw text of the readable rows
    # (row, reason, raw) of rows that could not be split into values, or (row, reason, raw, column)
    broken: list[tuple] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.rows) + len(self.broken)


@dataclass
class Source:
    path: Path
    file_format: str
    encoding: str
    columns: list[str | None]  # the file's columns in order, as layout names (None = not used)
    notes: list[str]
    chunks: Iterator[Chunk]


def _header_map(header: list[str], layout: Layout) -> tuple[list[str | None], list[str]]:
    by_name = {}
    for col in layout.columns:
        by_name[col.lower()] = col
        by_name[LABELS.get(col, col)] = col
    mapped = [by_name.get(h.strip().lstrip("\ufeff").strip().lower()) for h in header]
    missing = [c for c in layout.required if c not in mapped]
    if missing:
        wanted = "、".join(f"{c}（{LABELS.get(c, c)}）" for c in missing)
        first = ",".join(header)[:120]
        raise FileRefused(
            f"表头缺少必填列 {wanted}；文件首行为“{first}”（缺少表头或表头有误？）/ "
            f"the header lacks required columns {', '.join(missing)}: is the header missing or wrong?"
        )
    notes = []
    ignored = [h for h, m in zip(header, mapped) if m is None and h.strip()]
    if ignored:
        notes.append(f"未使用的列 / columns not used: {'、'.join(ignored[:10])}")
    doubled = {m for m in mapped if m is not None and mapped.count(m) > 1}
    if doubled:
        raise FileRefused(f"表头列重复 / the header names a column twice: {'、'.join(sorted(doubled))}")
    return mapped, notes


def open_source(path: Path, layout: Layout, block_bytes: int = BLOCK_BYTES, table_rows: int = TABLE_ROWS) -> Source:
    """Open `path` for `layout`, or FileRefused when it is empty, binary or has a wrong header.

    A chunk is `block_bytes` of text or `table_rows` rows of a workbook or Parquet file."""
    if not path.is_file():
        raise FileRefused(f"文件不存在 / no such file: {path}")
    if path.stat().st_size == 0:
        raise FileRefused(f"文件为空 / the file {path.name} is empty (0 bytes)")
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise FileRefused(
            f"无法识别的文件类型 {path.suffix or '（无扩展名）'} / unknown file type: use .csv, .xlsx, .parquet or .jsonl"
        )
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if kind == "xlsx":
        if not head.startswith(b"PK\x03\x04"):
            raise FileRefused(f"{path.name} 不是 XLSX 文件（内容损坏？）/ not an XLSX workbook")
        return _open_xlsx(path, layout, table_rows)
    if kind == "parquet":
        if not head.startswith(b"PAR1"):
            raise FileRefused(f"{path.name} 不是 Parquet 文件（内容损坏？）/ not a Parquet file")
        return _open_parquet(path, layout, table_rows)
    encoding = sniff_encoding(head)
    text = head.decode(encoding, errors="replace")
    nul = b"\x00" in head and not encoding.startswith("utf-16")
    if nul or text.count("\ufffd") > max(8, len(text) // 20):
        raise FileRefused(
            f"{path.name} 不是文本文件（二进制或已损坏）/ the file is not text (binary garbage?): "
            "export it again as CSV, XLSX, Parquet or JSON lines"
        )
    if not text.strip():
        raise FileRefused(f"文件为空 / the file {path.name} holds only blank lines")
    return _open_text(path, layout, kind, encoding, block_bytes)


def sniff_encoding(head: bytes) -> str:
    """UTF-16 with a byte-order mark, or without one when NUL bytes fill every other place;
    otherwise UTF-8 (with or without BOM) unless most non-ASCII lines only make sense as GB18030."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and head[:4] != codecs.BOM_UTF32_LE:
        return "utf-16"
    if len(head) >= 16 and b"\x00" in head:
        even, odd = head[0::2].count(0) / len(head[0::2]), head[1::2].count(0) / len(head[1::2])
        for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if zeros >= 0.2 and other <= 0.01:
                try:
                    head[: len(head) // 2 * 2].decode(codec)
                except UnicodeDecodeError:
                    continue
                return codec
    lines = [line for line in head.split(b"\n")[:-1] or [head] if not line.isascii()]
    if not lines:
        return "utf-8"
    bad = [line for line in lines if not _decodes(line, "utf-8")]
    if len(bad) * 2 <= len(lines):
        return "utf-8"  # a few lines in another encoding: those rows are rejected, the rest load
    if sum(_decodes(line, "gb18030") for line in bad) * 2 <= len(bad):
        return "utf-8"
    return "gb18030"  # a few UTF-8 lines among them are rejected, the rest load


def _decodes(line: bytes, codec: str) -> bool:
    try:
        line.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


# -- text: CSV and JSON lines ---------------------------------------------------------------
def _byte_blocks(path: Path, encoding: str, block_bytes: int) -> Iterator[bytes]:
    """The file's bytes after any byte-order mark; a UTF-16 file's already as UTF-8, with
    U+FFFD for what does not decode."""
    with open(path, "rb") as handle:
        if encoding == "utf-8-sig":
            handle.read(len(codecs.BOM_UTF8))
        if not encoding.startswith("utf-16"):
            while block := handle.read(block_bytes):
                yield block
            return
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        while block := handle.read(block_bytes):
            yield decoder.decode(block).encode("utf-8")
        if tail := decoder.decode(b"", final=True):
            yield tail.encode("utf-8")


def _text_blocks(path: Path, encoding: str, block_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(first line number, UTF-8 bytes of whole lines) blocks; undecodable bytes become U+FFFD."""
    codec = "gb18030" if encoding == "gb18030" else "utf-8"
    line_no = 1
    carry = b""
    for block in _byte_blocks(path, encoding, block_bytes):
        data = carry + block
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        data, carry = data[: cut + 1], data[cut + 1:]
        yield line_no, _utf8(data, codec)
        line_no += data.count(b"\n")
    if carry:
        yield line_no, _utf8(carry + b"\n", codec)


def _utf8(data: bytes, codec: str) -> bytes:
    """Whole lines of the file as UTF-8; each line decoded on its own, with U+FFFD where a line
    does not decode, so that line alone is rejected."""
    if codec == "utf-8":
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            return data.decode("utf-8", errors="replace").encode("utf-8")  # UTF-8 resynchronises per line
    lines = data.split(b"\n")
    foreign = [i for i, line in enumerate(lines) if not line.isascii() and _utf8_chinese(line)]
    if not foreign:
        return data.decode(codec, errors="replace").encode("utf-8")
    for i in foreign:  # a UTF-8 line in a GB18030 file: marked, so it is rejected, with its text readable
        lines[i] = "\ufffd".encode() + lines[i]
    return b"\n".join(line if i in foreign else line.decode(codec, errors="replace").encode("utf-8")
                      for i, line in enumerate(lines))


_CHINESE_UTF8 = re.compile(r"[\x00-\x7f\u00b7\u2000-\u206f\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]*")


def _utf8_chinese(line: bytes) -> bool:
    """Whether a line is UTF-8 holding Chinese: GBK text is rarely valid UTF-8, and when it is,
    it reads as Latin or Cyrillic letters, not as Chinese."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(_CHINESE_UTF8.fullmatch(text)) and any("\u3000" <= ch <= "\u9fff" for ch in text)


def _lines(data: bytes) -> pa.Array:
    """The lines of a block (each ending in a newline) as one Arrow string array, without copying."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + 1
    offsets = np.concatenate([[0], ends]).astype(np.int32)
    arr = pa.StringArray.from_buffers(len(ends), pa.py_buffer(offsets), pa.py_buffer(data))
    return pc.utf8_rtrim(arr, characters="\r\n")


def _open_text(path: Path, layout: Layout, kind: str, encoding: str, block_bytes: int) -> Source:
    blocks = _text_blocks(path, encoding, block_bytes)
    first_line_no, first = next(blocks)
    lines = _lines(first)
    header_line = lines[0].as_py()
    if kind == "jsonl":
        try:
            record = json.loads(header_line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            raise FileRefused(f"{path.name} 首行不是 JSON 对象 / the first line is not a JSON object")
        _, notes = _header_map([str(k) for k in record], layout)  # the first record names the columns
        return Source(path, kind, encoding, list(layout.columns), notes,
                      _json_chunks(layout, [(first_line_no, first)], blocks))
    delimiter = "\t" if "\t" in header_line and "," not in header_line else ","
    header = next(csv.reader([header_line], delimiter=delimiter))
    mapped, notes = _header_map(header, layout)
    body = first[first.index(b"\n") + 1:]
    return Source(path, kind, encoding, mapped, notes,
                  _csv_chunks(mapped, delimiter, (first_line_no + 1, body), blocks))


def _csv_chunks(mapped: list[str | None], delimiter: str, first: tuple[int, bytes],
                blocks: Iterator[tuple[int, bytes]]) -> Iterator[Chunk]:
    pending = first
    for block in blocks:
        chunk = _csv_chunk(*pending, mapped, delimiter, last=False)
        pending = block
        if chunk is not None:
            yield chunk
    chunk = _csv_chunk(*pending, mapped, delimiter, last=True)
    if chunk is not None:
        yield chunk


def _csv_chunk(start: int, data: bytes, mapped: list[str | None], delimiter: str, last: bool) -> Chunk | None:
    """The rows of a block of whole lines: Arrow's CSV parser when no field is quoted, else line by line."""
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(bytes_ == 10)
    if len(ends) == 0:
        return None
    end = start + len(ends) - 1
    numbers = np.arange(start, end + 1, dtype=np.int64)
    lines = _lines(data)
    lengths = np.asarray(pc.utf8_length(lines))
    width = len(mapped)
    if b'"' not in data:
        fields = np.bincount(np.searchsorted(ends, np.flatnonzero(bytes_ == ord(delimiter))),
                             minlength=len(ends))[: len(ends)] + 1
        good = (fields == width) & (lengths > 0)
        parsed = _parse_plain(data, mapped, delimiter)
        if parsed is not None and parsed.num_rows == int(good.sum()):
            broken_mask = ~good & (lengths > 0)
            broken = [(int(r), _width_reason(int(f), width, last and r == end), t) for r, f, t in zip(
                numbers[broken_mask], fields[broken_mask], lines.filter(pa.array(broken_mask)).to_pylist())]
            values = {name: parsed.column(f"c{i}").combine_chunks() for i, name in enumerate(mapped) if name}
            return Chunk(start, end, values, numbers[good], lines.filter(pa.array(good)), broken)
    keep = lengths > 0
    lines, numbers = lines.filter(pa.array(keep)), numbers[keep]
    quoted = np.asarray(pc.match_substring(lines, '"'))
    plain = lines.filter(pa.array(~quoted))
    parts = pc.split_pattern(plain, delimiter)
    counts = np.asarray(pc.list_value_length(parts))
    good = counts == width
    values = {}
    flat = pc.list_flatten(parts.filter(pa.array(good)))
    n_good = int(good.sum())
    for i, name in enumerate(mapped):
        if name is not None:
            values[name] = flat.take(pa.array(np.arange(i, n_good * width, width, dtype=np.int64)))
    plain_numbers = numbers[~quoted]
    rows, raw = plain_numbers[good], plain.filter(pa.array(good))
    broken = [(int(r), _width_reason(int(c), width, last and r == end), str(t))
              for r, c, t in zip(plain_numbers[~good], counts[~good], plain.filter(pa.array(~good)).to_pylist())]
    if quoted.any():
        q_rows, q_raw, q_values = [], [], []
        for number, text in zip(numbers[quoted], lines.filter(pa.array(quoted)).to_pylist()):
            try:
                fields = next(csv.reader([text], delimiter=delimiter, strict=True))
            except csv.Error:
                broken.append((int(number), "引号不成对 / unbalanced quotes", text))
                continue
            if len(fields) != width:
                broken.append((int(number), _width_reason(len(fields), width, last and number == end), text))
                continue
            q_rows.append(int(number)); q_raw.append(text); q_values.append(fields)
        if q_rows:
            for i, name in enumerate(mapped):
                if name is not None:
                    values[name] = pa.concat_arrays([values[name], pa.array([f[i] for f in q_values], pa.string())])
            rows = np.concatenate([rows, np.array(q_rows, dtype=np.int64)])
            raw = pa.concat_arrays([raw, pa.array(q_raw, pa.string())])
    return Chunk(start, end, values, rows, raw, broken)


def _parse_plain(data: bytes, mapped: list[str | None], delimiter: str) -> pa.Table | None:
    """Arrow's CSV parser over a block without quotes; lines of the wrong width are skipped."""
    names = [f"c{i}" for i in range(len(mapped))]
    try:
        return pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=True,
                                             invalid_row_handler=lambda _row: "skip"),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                include_columns=[n for n, m in zip(names, mapped) if m], quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None


def _width_reason(found: int, width: int, last_line: bool) -> str:
    if last_line and found < width:
        return f"末行不完整（文件被截断？）：应为 {width} 列，实为 {found} 列 / truncated last line"
    return f"列数不符：应为 {width} 列，实为 {found} 列 / wrong number of fields"


def _json_chunks(layout: Layout, first: list[tuple[int, bytes]],
                 blocks: Iterator[tuple[int, bytes]]) -> Iterator[Chunk]:
    columns = layout.columns
    for start, data in [*first, *blocks]:
        texts = _lines(data).to_pylist()
        rows, raw, broken = [], [], []
        values: dict[str, list[str]] = {c: [] for c in columns}
        for offset, text in enumerate(texts):
            number = start + offset
            if not text.strip():
                continue
            try:
                record = json.loads(text)
                if not isinstance(record, dict):
                    raise ValueError
            except ValueError:
                broken.append((number, "不是有效的 JSON 对象 / not a JSON object", text))
                continue
            keyed = {str(k).strip().lower(): v for k, v in record.items()}
            found = {col: keyed.get(col, record.get(LABELS.get(col, col))) for col in columns}
            nested = next((col for col, v in found.items() if not _scalar(v)), None)
            if nested is not None:
                broken.append((number, "值应为单个文本或数字，不能是嵌套的 JSON 对象或数组 / "
                                       "a nested JSON object or array, not a single value", text, nested))
                continue
            for col, value in found.items():
                values[col].append(_text(value))
            rows.append(number); raw.append(text)
        if texts:
            yield Chunk(start, start + len(texts) - 1, {c: pa.array(v, pa.string()) for c, v in values.items()},
                        np.array(rows, dtype=np.int64), pa.array(raw, pa.string()), broken)


def _scalar(value) -> bool:
    """Whether a JSON value is one value: a list of scalars counts (it fills an array column,
    or is joined with ';' and judged as text)."""
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return not isinstance(value, dict)


def _text(value) -> str:
    """A cell or JSON value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(_text(v) for v in value)
    return str(value)


# -- XLSX and Parquet -------------------------------------------------------------------------
def _open_xlsx(path: Path, layout: Layout, table_rows: int) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRefused(f"{path.name} 无法作为 XLSX 打开 / cannot open the workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows, None)
    except Exception as exc:  # the sheet's XML breaks off before its first row ends
        raise _cut_sheet(path, 1, exc) from None
    if header is None:
        raise FileRefused(f"文件为空 / the first sheet of {path.name} is empty")
    mapped, notes = _header_map([_text(h) for h in header], layout)
    if len(book.worksheets) > 1:
        notes.append(f"只读取第一个工作表“{sheet.title}” / only the first sheet was read")
    return Source(path, "xlsx", "", mapped, notes, _table_chunks(mapped, _numbered(rows, 2, path), table_rows, book.close))


def _numbered(rows, first: int, path: Path):
    number = first
    try:
        for number, row in enumerate(rows, start=first):
            yield number, [_text(v) for v in row]
    except Exception as exc:  # openpyxl passes on the XML parser's error for a sheet cut off
        raise _cut_sheet(path, number, exc) from None


def _cut_sheet(path: Path, row: int, exc: Exception) -> FileRefused:
    return FileRefused(f"{path.name} 的工作表在第 {row} 行附近中断（文件被截断或已损坏）/ the sheet breaks off "
                       f"near row {row}: the workbook is cut short or damaged ({type(exc).__name__})")


def _table_chunks(mapped: list[str | None], rows, table_rows: int, close=None) -> Iterator[Chunk]:
    width = len(mapped)
    batch: list[tuple[int, list[str]]] = []

    def flush() -> Chunk:
        keep = [(n, r) for n, r in batch if any(v.strip() for v in r)]
        values = {name: pa.array([(r + [""] * width)[i] for _, r in keep], pa.string())
                  for i, name in enumerate(mapped) if name is not None}
        return Chunk(batch[0][0], batch[-1][0], values, np.array([n for n, _ in keep], dtype=np.int64),
                     pa.array([",".join(r) for _, r in keep], pa.string()))

    for number, row in rows:
        batch.append((number, row))
        if len(batch) >= table_rows:
            yield flush()
            batch = []
    if batch:
        yield flush()
    if close:
        close()


def _open_parquet(path: Path, layout: Layout, table_rows: int) -> Source:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileRefused(f"{path.name} 无法作为 Parquet 读取 / cannot read the Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    mapped, notes = _header_map(names, layout)
    return Source(path, "parquet", "", mapped, notes, _parquet_chunks(parquet, mapped, table_rows))


def _parquet_chunks(parquet, mapped: list[str | None], table_rows: int) -> Iterator[Chunk]:
    first = 1
    for batch in parquet.iter_batches(batch_size=table_rows):
        n = batch.num_rows
        values = {name: _as_text(batch.column(i)) for i, name in enumerate(mapped) if name is not None}
        raw = pc.binary_join_element_wise(*[pc.fill_null(_as_text(c), "") for c in batch.columns], ",")
        yield Chunk(first, first + n - 1, {k: pc.fill_null(v, "") for k, v in values.items()},
                    np.arange(first, first + n, dtype=np.int64), raw)
        first += n


def _as_text(column: pa.Array) -> pa.Array:
    """A Parquet column as CSV-like text; zoned times are shown in Beijing time."""
    kind = column.type
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            column = pc.local_timestamp(column.cast(pa.timestamp(kind.unit, clock.BEIJING_NAME)))
        return pc.strftime(column.cast(pa.timestamp("s"), safe=False), format="%Y-%m-%d %H:%M:%S")
    if pa.types.is_list(kind):
        return pc.binary_join(column, ";")
    return column.cast(pa.string())
