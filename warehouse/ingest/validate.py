"""Vectorised validation of a chunk: text → the target table's types, with a reason for every
row that cannot be loaded. Each column is judged by its type (from the warehouse schema) and its
domain (declared once in warehouse/ingest/layouts.py): no control characters, a longest text,
required values, calendar-valid dates and times (read strictly, never shifted), times not after
the load (plus the policy's clock skew), ranges, enumerations, patterns, coordinates inside
Chengdu, resident ID numbers (warehouse/rules/resident_id.py), phone numbers, and codes the
warehouse knows (districts, communities). A row is rejected for its first failing column. A row
whose business key appeared on an earlier line of the same file (for a table without a key: the
same line again) is rejected as a duplicate of that line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.ingest.layouts import Domain, Layout
from warehouse.ingest.readers import Chunk
from warehouse.rules import clock, resident_id
from warehouse.rules.geography import code_pattern
from warehouse.rules.policy import POLICY

# Chengdu spans 102°54′–104°53′ E and 30°05′–31°26′ N; a little margin for points on the border.
# Coordinates are GCJ-02, the datum of the warehouse (README, Geography and coordinates).
LON_RANGE = (102.85, 104.95)
LAT_RANGE = (30.03, 31.48)
FIRST_DAY = dt.datetime(2019, 12, 1)  # nothing epidemic-related is older
FIRST_BIRTH = dt.datetime(1900, 1, 1)
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%d%H%M%S",
                "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
# control characters (C0, DEL, C1), a byte-order mark inside a value, line and paragraph separators
CONTROL = r"[\x00-\x1F\x7F-\x9F\x{FEFF}\x{2028}\x{2029}]"
# a raw line that may hold one: the characters themselves, or a JSON escape that decodes to one
MAY_HOLD_CONTROL = r"[\x00-\x1F\x7F-\x9F\x{FEFF}\x{2028}\x{2029}]|\\[ubfnrt]"
# Chinese phone numbers: mobiles (+86 / 0086 / 86 prefix, groups split by spaces or hyphens) and
# landlines with their area code (028-8765 4321, (028)87654321, 010-6512 3456-801)
MOBILE = r"^(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}$"
LANDLINE = r"^(?:\(0\d{2,3}\)|0\d{2,3})[ -]?[2-9]\d{2,3}[ -]?\d{4}(?:[-#]\d{1,6})?$"
_INT = re.compile(r"^(Nullable\()?U?Int(8|16|32|64)\)?$")
_ENUM = re.compile(r"'((?:[^'\\]|\\.)*)'\s*=")
_ARROW_INT = {("U", 8): pa.uint8(), ("U", 16): pa.uint16(), ("U", 32): pa.uint32(), ("U", 64): pa.uint64(),
              ("", 8): pa.int8(), ("", 16): pa.int16(), ("", 32): pa.int32(), ("", 64): pa.int64()}

R_MISSING = "必填字段为空 / required value missing"
R_ENCODING = "含无法解码的字符（编码混杂？）/ undecodable bytes (mixed encodings?)"
R_CONTROL = "含控制字符（NUL、BOM、换行等）/ control character inside the value"
R_NO_SUCH_TIME = "日期或时间不存在（如 2月30日、24:00、第 60 秒）/ no such calendar date or time"
WHOLE_ROW = "(整行)"


@dataclass(frozen=True)
class KnownCodes:
    """Codes the warehouse holds (all digits), to check references against."""

    districts: np.ndarray  # sorted int64
    communities: np.ndarray

    @classmethod
    def of(cls, districts: list[str], communities: list[str]) -> KnownCodes:
        as_ints = lambda codes: np.unique(np.array([int(c) for c in codes if c.isdigit()], dtype=np.int64))  # noqa: E731
        return cls(as_ints(districts), as_ints(communities))


def is_known(text: pa.Array, digits: int, known: np.ndarray) -> np.ndarray:
    """Whether each value is one of the known codes: numbers looked up in a sorted array."""
    shaped = _np(pc.match_substring_regex(text, code_pattern((digits,), city=False).pattern))
    numbers = np.asarray(pc.cast(pc.if_else(pa.array(shaped), text, "0"), pa.int64()))
    if len(known) == 0:
        return np.zeros(len(text), dtype=bool)
    at = np.minimum(np.searchsorted(known, numbers), len(known) - 1)
    return shaped & (known[at] == numbers)


@dataclass
class Checked:
    good: pa.Table  # rows to load, in the target's types, with provenance
    rejects: pa.Table  # row_number, column_name, reason, raw


class _Failures:
    """The first failing column and reason of each row."""

    def __init__(self, n: int):
        self.code = np.full(n, -1, dtype=np.int32)
        self.reasons: list[tuple[str, str]] = []

    def add(self, column: str, reason: str, mask) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        hit = mask & (self.code < 0)
        if hit.any():
            self.reasons.append((column, reason))
            self.code[hit] = len(self.reasons) - 1

    def add_each(self, column: str, reasons: list[str], rows: np.ndarray) -> None:
        """A reason of its own for each of `rows` (indices) not failed yet."""
        for row, reason in zip(rows, reasons):
            if self.code[row] < 0:
                self.reasons.append((column, reason))
                self.code[row] = len(self.reasons) - 1

    @property
    def ok(self) -> np.ndarray:
        return self.code < 0


def _base(ch_type: str) -> tuple[str, bool]:
    nullable = ch_type.startswith("Nullable(")
    inner = ch_type[len("Nullable("):-1] if nullable else ch_type
    if inner.startswith("LowCardinality("):
        inner = inner[len("LowCardinality("):-1]
    return inner, nullable


def _parse_times(text: pa.Array, formats: tuple[str, ...]) -> pa.Array:
    """Each value in the first format that reads it; later formats only see what is left."""
    parsed = pc.strptime(text, format=formats[0], unit="s", error_is_null=True)
    for fmt in formats[1:]:
        left = pc.and_(pc.is_null(parsed), pc.greater(pc.utf8_length(text), 0))
        if not pc.any(left).as_py():
            break
        retry = pc.strptime(text.filter(left), format=fmt, unit="s", error_is_null=True)
        parsed = pc.replace_with_mask(parsed, left, retry)
    return parsed


def _np(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, False))


def id_check_ok(text: pa.Array, today: dt.date | None = None) -> np.ndarray:
    """Whether each value is a valid resident ID number by warehouse/rules/resident_id.py: 17 digits
    and the check character stdnum computes, a real birth date no later than `today` (default:
    the date now), an address code stdnum knows. Birth dates and address codes repeat, so each
    distinct one is judged once; only the check character costs a call per row."""
    last_day = f"{today or dt.date.today():%Y%m%d}"
    upper = pc.utf8_upper(text)
    shaped = _np(pc.match_substring_regex(upper, r"^\d{17}[\dX]$"))
    ok = np.zeros(len(text), dtype=bool)
    if not shaped.any():
        return ok
    picked = upper.filter(pa.array(shaped))
    check = np.array([n[17] == resident_id.check_character(n[:17]) for n in picked.to_pylist()], dtype=bool)
    born = _each_distinct(pc.utf8_slice_codeunits(picked, 6, 14),
                          lambda d: d <= last_day and resident_id.birth_digits_valid(d))
    region = _each_distinct(pc.utf8_slice_codeunits(picked, 0, 6), resident_id.region_known)
    ok[shaped] = check & born & region
    return ok


def phone_ok(text: pa.Array) -> np.ndarray:
    """Whether each value is a Chinese mobile or landline number in one of its usual forms."""
    return _np(pc.match_substring_regex(text, MOBILE)) | _np(pc.match_substring_regex(text, LANDLINE))


def _each_distinct(values: pa.Array, test) -> np.ndarray:
    """test(value) for every value, calling it once per distinct value."""
    passing = [v for v in pc.unique(values).to_pylist() if test(v)]
    return _np(pc.is_in(values, value_set=pa.array(passing, pa.string())))


def _cast_all(text: pa.Array, kind: pa.DataType) -> pa.Array | None:
    """The whole column cast at once (the common case), or None when some value does not cast."""
    try:
        return pc.cast(text, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _no_such_time(text: pa.Array, parsed: pa.Array, known: np.ndarray) -> np.ndarray:
    """Rows whose reading does not show the fields written: Arrow's parser rolls 30 February
    over to 2 March, 24:00 and second 60 into the next day or minute. The fields written
    (year, month, day, hour, minute, second) are compared with those of the moment read; zero
    padded values are cut at fixed places, others (2022-3-1 8:30) split into digit groups."""
    out = np.zeros(len(text), dtype=bool)
    if not known.any():
        return out
    seconds = np.asarray(pc.fill_null(pc.cast(parsed, pa.int64()), 0))
    days, clock = np.divmod(seconds, 86400)
    day64 = days.astype("datetime64[D]")
    month64 = day64.astype("datetime64[M]")
    day = (day64 - month64).astype(np.int64) + 1
    # a value rolled over lands on day 1–3 of the next month (31 April, 30 February) or on the
    # first second or minute of the next minute or hour (second 60 or 61, minute 60)
    at = np.flatnonzero(known & ((day <= 3) | (clock % 60 <= 1) | (clock % 3600 // 60 <= 1)))
    if not len(at):
        return out
    written = text.take(pa.array(at))
    day64, month64, clock = day64[at], month64[at], clock[at]
    read = np.stack([day64.astype("datetime64[Y]").astype(np.int64) + 1970, month64.astype(np.int64) % 12 + 1,
                     day[at], clock // 3600, clock % 3600 // 60, clock % 60], axis=1)
    wrong = np.zeros(len(at), dtype=bool)
    done = np.zeros(len(at), dtype=bool)
    wide = written.cast(pa.large_string())  # one kind of offsets to read the bytes by
    offsets = np.frombuffer(wide.buffers()[1], dtype=np.int64)[wide.offset: wide.offset + len(wide) + 1]
    data = np.frombuffer(wide.buffers()[2], dtype=np.uint8) if wide.buffers()[2] else np.zeros(0, np.uint8)
    lengths = np.diff(offsets)
    for width, digits, separators in _PADDED:
        rows = np.flatnonzero((lengths == width) & ~done)
        if not len(rows):
            continue
        chars = data[offsets[rows][:, None] + np.arange(width)].astype(np.int64) - 48  # '0' is 48
        numeric = (chars >= 0) & (chars <= 9)
        shaped = numeric[:, digits].all(axis=1) & ~numeric[:, separators].any(axis=1)
        rows, chars = rows[shaped], chars[shaped][:, digits]
        fields = np.zeros((len(rows), 6), dtype=np.int64)
        fields[:, 0] = chars[:, 0] * 1000 + chars[:, 1] * 100 + chars[:, 2] * 10 + chars[:, 3]
        for f in range(1, (len(digits) - 4) // 2 + 1):
            fields[:, f] = chars[:, 2 * f + 2] * 10 + chars[:, 2 * f + 3]
        wrong[rows] = (fields != read[rows]).any(axis=1)
        done[rows] = True
    if not done.all():
        loose = np.flatnonzero(~done)
        wrong[loose] = _fields_differ(written.take(pa.array(loose)), read[loose])
    out[at] = wrong
    return out


# zero-padded values of each length: where the digits are, where a separator is
_PADDED = [(19, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18], [4, 7, 10, 13, 16]),
           (16, [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15], [4, 7, 10, 13]),
           (10, [0, 1, 2, 3, 5, 6, 8, 9], [4, 7]),
           (14, list(range(14)), []),
           (8, list(range(8)), [])]


def _fields_differ(written: pa.Array, read: np.ndarray) -> np.ndarray:
    """Whether the digit groups written (year, month, day, hour, minute, second) differ from the
    fields read."""
    padded = pc.binary_join_element_wise(written, "0 0 0 0 0 0", " ")  # fields not written are 0
    groups = pc.list_slice(pc.split_pattern_regex(padded, r"[^0-9]+"), 0, 6)
    fields = np.asarray(pc.cast(pc.list_flatten(groups), pa.int64())).reshape(-1, 6)
    return (fields != read).any(axis=1)


def _latest(domain: Domain, now: dt.datetime) -> tuple[dt.datetime, str]:
    """The latest time a column accepts, and how a reason says it."""
    if domain.days_ahead is not None:
        return now + dt.timedelta(days=domain.days_ahead), f"载入后 {domain.days_ahead} 天"
    skew = POLICY.ingest_clock_skew_minutes
    return now + dt.timedelta(minutes=skew), f"载入时刻后 {skew} 分钟"


def _convert(column: str, ch_type: str, domain: Domain, text: pa.Array, required: bool, fails: _Failures,
             now: dt.datetime) -> tuple[pa.Array, np.ndarray]:
    """The column in the target's Arrow type, and which rows hold a value of that type (present
    and read); failing rows get a placeholder and a reason."""
    inner, nullable = _base(ch_type)
    empty = _np(pc.equal(pc.utf8_length(text), 0))
    if required:
        fails.add(column, R_MISSING, empty)
    null_mask = pa.array(empty) if nullable else None

    if inner == "String":
        return text, ~empty
    if inner.startswith("Enum8("):
        allowed = _ENUM.findall(inner)
        ok = _np(pc.is_in(text, value_set=pa.array(allowed)))
        fails.add(column, f"取值应为 {'/'.join(allowed)} / not an allowed value", ~ok & ~empty)
        placeholder = pa.scalar(allowed[0])
        out = pc.if_else(pa.array(ok), text, placeholder)
        return (pc.if_else(null_mask, pa.scalar(None, pa.string()), out) if nullable else out), ok
    match = _INT.match(inner)
    if match:
        unsigned = not inner.startswith("Int")
        bits = int(match.group(2))
        wide = pa.uint64() if unsigned else pa.int64()
        values = _cast_all(text, wide)
        if values is None:  # some values are not numbers: find them, cast the rest
            pattern = r"^\d+$" if unsigned else r"^[+-]?\d+$"
            shaped = _np(pc.match_substring_regex(text, pattern)) & (np.asarray(pc.utf8_length(text)) <= 19)
            fails.add(column, "不是整数 / not a whole number", ~shaped & ~empty)
            values = pc.cast(pc.if_else(pa.array(shaped), text, "0"), wide)
        else:
            shaped = np.ones(len(text), dtype=bool)
        shaped &= ~empty
        if bits < 64:
            limit = (1 << bits) - 1 if unsigned else (1 << (bits - 1)) - 1
            over = _np(pc.greater(values, limit))
            fails.add(column, f"超出范围（最大 {limit}）/ out of range", over & shaped)
            values = pc.if_else(pa.array(over), pa.scalar(0, values.type), values)
            shaped &= ~over
        out = pc.cast(values, _ARROW_INT[("U" if unsigned else "", bits)])
        return (pc.if_else(null_mask, pa.scalar(None, out.type), out) if nullable else out), shaped
    if inner == "Float64":
        values = _cast_all(text, pa.float64())
        if values is not None:
            return values, ~empty
        shaped = _np(pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"))
        fails.add(column, "不是数字 / not a number", ~shaped & ~empty)
        return pc.cast(pc.if_else(pa.array(shaped), text, "0"), pa.float64()), shaped
    if inner.startswith("DateTime"):
        parsed = _parse_times(text, TIME_FORMATS)
        known = _np(pc.is_valid(parsed))
        fails.add(column, "时间格式无法识别（可用 2022-03-01 08:30:00、2022/03/01 08:30:00、"
                          "20220301083000）/ unrecognised time", ~known & ~empty)
        shifted = _no_such_time(text, parsed, known)
        fails.add(column, R_NO_SUCH_TIME, shifted)
        known &= ~shifted
        seconds = pc.fill_null(pc.cast(parsed, pa.int64()), 0)
        first = dt.datetime.fromisoformat(domain.earliest) if domain.earliest else FIRST_DAY
        last, last_text = _latest(domain, now)
        outside = known & (_np(pc.less(seconds, _epoch(first))) | _np(pc.greater(seconds, _epoch(last))))
        fails.add(column, f"时间不在合理范围（{first:%Y-%m-%d} 至{last_text}）/ implausible time", outside)
        utc = pc.cast(pc.subtract(seconds, clock.OFFSET_S), pa.timestamp("s", tz="UTC"))
        return (pc.if_else(null_mask, pa.scalar(None, utc.type), utc) if nullable else utc), known & ~outside
    if inner.startswith("Date"):
        # spreadsheets hold dates as midnight datetimes
        day_text = pc.replace_substring_regex(text, r"[ T]00:00(:00)?$", "")
        parsed = _parse_times(day_text, DATE_FORMATS)
        known = _np(pc.is_valid(parsed))
        fails.add(column, "日期格式无法识别（可用 2022-03-01、2022/03/01、20220301）/ unrecognised date",
                  ~known & ~empty)
        shifted = _no_such_time(day_text, parsed, known)
        fails.add(column, R_NO_SUCH_TIME, shifted)
        known &= ~shifted
        seconds = pc.fill_null(pc.cast(parsed, pa.int64()), 0)
        first = dt.datetime.fromisoformat(domain.earliest) if domain.earliest else FIRST_DAY
        last, last_text = _latest(domain, now)
        last_day = dt.datetime.combine(last.date(), dt.time())
        outside = known & (_np(pc.less(seconds, _epoch(first))) | _np(pc.greater(seconds, _epoch(last_day))))
        last_text = "今" if domain.days_ahead is None else last_text
        fails.add(column, f"日期不在合理范围（{first:%Y-%m-%d} 至{last_text}）/ implausible date", outside)
        days = pc.cast(pc.divide(seconds, 86400), pa.int32()).cast(pa.date32())
        return (pc.if_else(null_mask, pa.scalar(None, pa.date32()), days) if nullable else days), known & ~outside
    if inner == "Array(String)":
        parts = pc.split_pattern(text, ";")
        return pc.if_else(pa.array(empty), pa.scalar([], pa.list_(pa.string())), parts), ~empty
    raise ValueError(f"column {column}: type {ch_type} has no file conversion")


def _epoch(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.timezone.utc).timestamp())


def _text_checks(column: str, domain: Domain, text: pa.Array, fails: _Failures, suspect: np.ndarray) -> None:
    """What every value must be, whatever its type: free of control characters (looked for in
    the rows whose raw line may hold one), not too long."""
    if suspect.any():
        control = np.zeros(len(text), dtype=bool)
        control[suspect] = _np(pc.match_substring_regex(text.filter(pa.array(suspect)), CONTROL))
        fails.add(column, R_CONTROL, control)
    fails.add(column, f"超过最大长度 {domain.max_length} 个字符 / longer than {domain.max_length} characters",
              np.asarray(pc.utf8_length(text)) > domain.max_length)


def _domain_checks(column: str, domain: Domain, text: pa.Array, values: pa.Array, present: np.ndarray,
                   fails: _Failures, known: KnownCodes, today: dt.date) -> None:
    """The column's declared domain, over the rows that hold a value of its type."""
    if not present.any():
        return
    outside = f"超出取值范围（{domain.explain}）/ outside the column's domain"
    if domain.values:
        value_set = pa.array(domain.values).cast(values.type) if pa.types.is_integer(values.type) \
            else pa.array(domain.values, pa.string())
        fails.add(column, f"取值应为 {domain.explain} / not an allowed value",
                  present & ~_np(pc.is_in(values, value_set=value_set)))
    if domain.low is not None and domain.rule is None:
        fails.add(column, outside, present & _np(pc.less(values, domain.low)))
    if domain.high is not None and domain.rule is None:
        fails.add(column, outside, present & _np(pc.greater(values, domain.high)))
    if domain.pattern:
        fails.add(column, f"格式不符（{domain.explain}）/ does not match the column's pattern",
                  present & ~_np(pc.match_substring_regex(text, domain.pattern)))
    if domain.rule == "id_number":
        fails.add(column, "身份证号格式、校验位、出生日期或地址码错误（GB 11643）/ ID number invalid",
                  present & ~id_check_ok(text, today))
    elif domain.rule == "phone":
        fails.add(column, "电话号码应为手机号（11 位，1 开头）或带区号的固话 / not a mobile or landline number",
                  present & ~phone_ok(text))
    elif domain.rule in ("lon", "lat"):
        low, high = LON_RANGE if domain.rule == "lon" else LAT_RANGE
        inside = _np(pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high)))
        fails.add(column, "坐标不在成都市范围内 / outside Chengdu", present & ~inside)
    elif domain.rule == "community":
        fails.add(column, "未知的社区代码 / unknown community code", present & ~is_known(text, 12, known.communities))
    elif domain.rule == "district":
        fails.add(column, "未知的区县代码 / unknown district code", present & ~is_known(text, 6, known.districts))


@dataclass
class Seen:
    """The rows of one file that passed so far, as a hash of their business key (or of their
    line) and the line they are on; what lets a later line be named as a duplicate."""

    hashes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))  # sorted
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def first_lines(self, hashes: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """For each row, the earlier line holding the same hash (0: none), remembering the new ones."""
        order = np.argsort(rows, kind="stable")
        h, r = hashes[order], rows[order]
        unique, first, inverse = np.unique(h, return_index=True, return_inverse=True)
        first_row = r[first][inverse]
        earlier = np.where(first_row < r, first_row, 0)
        if len(self.hashes):
            at = np.minimum(np.searchsorted(self.hashes, h), len(self.hashes) - 1)
            hit = self.hashes[at] == h
            earlier = np.where(hit, self.lines[at], earlier)
            fresh = ~np.isin(unique, self.hashes)
        else:
            fresh = np.ones(len(unique), dtype=bool)
        at = np.searchsorted(self.hashes, unique[fresh])  # `unique` is sorted: insert, never re-sort
        self.hashes = np.insert(self.hashes, at, unique[fresh])
        self.lines = np.insert(self.lines, at, r[first][fresh])
        out = np.empty(len(rows), dtype=np.int64)
        out[order] = earlier
        return out


def _duplicates(layout: Layout, chunk: Chunk, columns: dict[str, pa.Array], fails: _Failures, seen: Seen) -> None:
    """Reject rows whose business key (without one: whose line) is on an earlier line."""
    passing = np.flatnonzero(fails.ok)
    if not len(passing):
        return
    take = pa.array(passing)
    if layout.key:
        parts = [columns[c].take(take) for c in layout.key]
        label = "+".join(layout.key)
        if len(parts) == 1 and pa.types.is_unsigned_integer(parts[0].type):
            hashes = np.asarray(parts[0]).astype(np.uint64)  # a whole number is its own hash
        else:
            joined = pc.binary_join_element_wise(*[pc.fill_null(pc.cast(p, pa.string()), "") for p in parts], "\x1f")
            hashes = pd.util.hash_array(joined.to_numpy(zero_copy_only=False), categorize=False)
    else:  # the same line again
        label = WHOLE_ROW
        hashes = pd.util.hash_array(chunk.raw.take(take).to_numpy(zero_copy_only=False), categorize=False)
    earlier = seen.first_lines(hashes, chunk.rows[passing])
    twice = earlier > 0
    fails.add_each(label, [f"重复行，首次出现于第 {n} 行 / duplicate row, first seen on line {n}"
                           for n in earlier[twice]], passing[twice])


def check_chunk(chunk: Chunk, types: dict[str, str], layout: Layout, known: KnownCodes,
                provenance: dict[str, str], file_name: str, now: dt.datetime, seen: Seen | None = None) -> Checked:
    """Validate and convert one chunk; every row ends up in exactly one of good / rejects.
    `seen` carries the file's rows from chunk to chunk, so a duplicate in a later chunk is found."""
    n = len(chunk.rows)
    fails = _Failures(n)
    if n:
        fails.add(WHOLE_ROW, R_ENCODING, _np(pc.match_substring(chunk.raw, "\ufffd")))
    columns: dict[str, pa.Array] = {}
    suspect = _np(pc.match_substring_regex(chunk.raw, MAY_HOLD_CONTROL)) if n else np.zeros(0, dtype=bool)
    today = (now + dt.timedelta(minutes=POLICY.ingest_clock_skew_minutes)).date()
    for column, values in chunk.values.items():
        domain = layout.domain(column)
        text = pc.utf8_trim_whitespace(values)
        _text_checks(column, domain, text, fails, suspect)
        converted, present = _convert(column, types[column], domain, text, column in layout.required, fails, now)
        _domain_checks(column, domain, text, converted, present, fails, known, today)
        columns[column] = converted
    if n:
        _duplicates(layout, chunk, columns, fails, seen if seen is not None else Seen())
    bad = fails.code >= 0
    keep = pa.array(~bad)
    good = {name: arr.filter(keep) for name, arr in columns.items()}
    n_good = int((~bad).sum())
    for name in ("src_department", "src_category", "batch_id"):
        good[name] = pa.repeat(pa.scalar(provenance[name], pa.string()), n_good)
    good["source_row"] = pa.array(chunk.rows[~bad].astype(np.uint64))

    labels = np.array([c for c, _ in fails.reasons] + [""], dtype=object)
    reasons = np.array([r for _, r in fails.reasons] + [""], dtype=object)
    picked = fails.code[bad]
    broken = chunk.broken
    n_rejects = int(bad.sum()) + len(broken)
    rejects = pa.table({
        "batch_id": pa.array([provenance["batch_id"]] * n_rejects, pa.string()),
        "file_name": pa.array([file_name] * n_rejects, pa.string()),
        "row_number": pa.array(np.concatenate([chunk.rows[bad], np.array([b[0] for b in broken], dtype=np.int64)])
                               .astype(np.uint64)),
        "column_name": pa.array(list(labels[picked]) + [b[3] if len(b) > 3 else WHOLE_ROW for b in broken],
                                pa.string()),
        "reason": pa.array(list(reasons[picked]) + [b[1] for b in broken], pa.string()),
        "raw": pa.concat_arrays([chunk.raw.filter(pa.array(bad)) if n else pa.array([], pa.string()),
                                 pa.array([b[2] for b in broken], pa.string())]),
    })
    return Checked(pa.table(good), rejects)
