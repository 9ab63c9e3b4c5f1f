"""Vectorised validation of a chunk: text → the target table's types, with a reason for every
row that cannot be loaded. Checks: required values, types, times in a plausible range,
coordinates inside Chengdu, resident ID numbers (warehouse/rules/resident_id.py), phone numbers, and codes the
warehouse knows (districts, communities). A row is rejected for its first failing column."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.ingest.readers import Chunk
from warehouse.rules import clock, resident_id
from warehouse.rules.geography import code_pattern

# Chengdu spans 102°54′–104°53′ E and 30°05′–31°26′ N; a little margin for points on the border
LON_RANGE = (102.85, 104.95)
LAT_RANGE = (30.03, 31.48)
FIRST_DAY = dt.datetime(2019, 12, 1)  # nothing epidemic-related is older
FIRST_BIRTH = dt.datetime(1900, 1, 1)
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%d%H%M%S",
                "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
ID_COLUMNS = {"id_number", "raw_id_number"}
PHONE_COLUMNS = {"phone", "raw_phone"}
_INT = re.compile(r"^(Nullable\()?U?Int(8|16|32|64)\)?$")
_ENUM = re.compile(r"'((?:[^'\\]|\\.)*)'\s*=")
_ARROW_INT = {("U", 8): pa.uint8(), ("U", 16): pa.uint16(), ("U", 32): pa.uint32(), ("U", 64): pa.uint64(),
              ("", 8): pa.int8(), ("", 16): pa.int16(), ("", 32): pa.int32(), ("", 64): pa.int64()}

R_MISSING = "必填字段为空 / required value missing"
R_ENCODING = "含无法解码的字符（编码混杂？）/ undecodable bytes (mixed encodings?)"


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


def id_check_ok(text: pa.Array) -> np.ndarray:
    """Whether each value is a valid resident ID number by warehouse/rules/resident_id.py: 17 digits
    and the check character stdnum computes, a real birth date, an address code stdnum knows.
    Birth dates and address codes repeat, so each distinct one is judged once; only the check
    character costs a call per row."""
    upper = pc.utf8_upper(text)
    shaped = _np(pc.match_substring_regex(upper, r"^\d{17}[\dX]$"))
    ok = np.zeros(len(text), dtype=bool)
    if not shaped.any():
        return ok
    picked = upper.filter(pa.array(shaped))
    check = np.array([n[17] == resident_id.check_character(n[:17]) for n in picked.to_pylist()], dtype=bool)
    born = _each_distinct(pc.utf8_slice_codeunits(picked, 6, 14), resident_id.birth_digits_valid)
    region = _each_distinct(pc.utf8_slice_codeunits(picked, 0, 6), resident_id.region_known)
    ok[shaped] = check & born & region
    return ok


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


def _convert(column: str, ch_type: str, text: pa.Array, required: bool, fails: _Failures,
             now: dt.datetime) -> pa.Array:
    """The column in the target's Arrow type; failing rows get a placeholder and a reason."""
    inner, nullable = _base(ch_type)
    empty = _np(pc.equal(pc.utf8_length(text), 0))
    if required:
        fails.add(column, R_MISSING, empty)
    null_mask = pa.array(empty) if nullable else None

    if inner == "String":
        return text
    if inner.startswith("Enum8("):
        allowed = _ENUM.findall(inner)
        ok = _np(pc.is_in(text, value_set=pa.array(allowed)))
        fails.add(column, f"取值应为 {'/'.join(allowed)} / not an allowed value", ~ok & ~empty)
        placeholder = pa.scalar(allowed[0])
        out = pc.if_else(pa.array(ok), text, placeholder)
        return pc.if_else(null_mask, pa.scalar(None, pa.string()), out) if nullable else out
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
        if bits < 64:
            limit = (1 << bits) - 1 if unsigned else (1 << (bits - 1)) - 1
            over = _np(pc.greater(values, limit))
            fails.add(column, f"超出范围（最大 {limit}）/ out of range", over & shaped)
            values = pc.if_else(pa.array(over), pa.scalar(0, values.type), values)
        out = pc.cast(values, _ARROW_INT[("U" if unsigned else "", bits)])
        return pc.if_else(null_mask, pa.scalar(None, out.type), out) if nullable else out
    if inner == "Float64":
        values = _cast_all(text, pa.float64())
        if values is not None:
            return values
        shaped = _np(pc.match_substring_regex(text, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"))
        fails.add(column, "不是数字 / not a number", ~shaped & ~empty)
        return pc.cast(pc.if_else(pa.array(shaped), text, "0"), pa.float64())
    if inner.startswith("DateTime"):
        parsed = _parse_times(text, TIME_FORMATS)
        known = _np(pc.is_valid(parsed))
        fails.add(column, "时间格式无法识别（可用 2022-03-01 08:30:00、2022/03/01 08:30:00、"
                          "20220301083000）/ unrecognised time", ~known & ~empty)
        seconds = pc.fill_null(pc.cast(parsed, pa.int64()), 0)
        low, high = _epoch(FIRST_DAY), _epoch(now + dt.timedelta(days=1))
        outside = known & (_np(pc.less(seconds, low)) | _np(pc.greater(seconds, high)))
        fails.add(column, f"时间不在合理范围（{FIRST_DAY:%Y-%m-%d} 至今）/ implausible time", outside)
        utc = pc.cast(pc.subtract(seconds, clock.OFFSET_S), pa.timestamp("s", tz="UTC"))
        return pc.if_else(null_mask, pa.scalar(None, utc.type), utc) if nullable else utc
    if inner.startswith("Date"):
        # spreadsheets hold dates as midnight datetimes
        parsed = _parse_times(pc.replace_substring_regex(text, r"[ T]00:00(:00)?$", ""), DATE_FORMATS)
        known = _np(pc.is_valid(parsed))
        fails.add(column, "日期格式无法识别（可用 2022-03-01、2022/03/01、20220301）/ unrecognised date",
                  ~known & ~empty)
        seconds = pc.fill_null(pc.cast(parsed, pa.int64()), 0)
        first = FIRST_BIRTH if column == "birth_date" else FIRST_DAY
        outside = known & (_np(pc.less(seconds, _epoch(first))) | _np(pc.greater(seconds, _epoch(now))))
        fails.add(column, f"日期不在合理范围（{first:%Y-%m-%d} 至今）/ implausible date", outside)
        days = pc.cast(pc.divide(seconds, 86400), pa.int32()).cast(pa.date32())
        return pc.if_else(null_mask, pa.scalar(None, pa.date32()), days) if nullable else days
    if inner == "Array(String)":
        parts = pc.split_pattern(text, ";")
        return pc.if_else(pa.array(empty), pa.scalar([], pa.list_(pa.string())), parts)
    raise ValueError(f"column {column}: type {ch_type} has no file conversion")


def _epoch(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.timezone.utc).timestamp())


def _domain_checks(column: str, text: pa.Array, values: pa.Array, fails: _Failures, known: KnownCodes) -> None:
    present = ~_np(pc.equal(pc.utf8_length(text), 0))
    if column in ID_COLUMNS:
        fails.add(column, "身份证号格式、校验位、出生日期或地址码错误（GB 11643）/ ID number invalid",
                  present & ~id_check_ok(text))
    elif column in PHONE_COLUMNS:
        fails.add(column, "手机号应为 1 开头的 11 位数字 / not a mobile number",
                  present & ~_np(pc.match_substring_regex(text, r"^1\d{10}$")))
    elif column in ("lon", "lat"):
        low, high = LON_RANGE if column == "lon" else LAT_RANGE
        inside = _np(pc.and_(pc.greater_equal(values, low), pc.less_equal(values, high)))
        fails.add(column, "坐标不在成都市范围内 / outside Chengdu", present & ~inside)
    elif column == "community_code":
        fails.add(column, "未知的社区代码 / unknown community code",
                  present & ~is_known(text, 12, known.communities))
    elif column == "district_code":
        fails.add(column, "未知的区县代码 / unknown district code",
                  present & ~is_known(text, 6, known.districts))


def check_chunk(chunk: Chunk, types: dict[str, str], required: tuple[str, ...], known: KnownCodes,
                provenance: dict[str, str], file_name: str, now: dt.datetime) -> Checked:
    """Validate and convert one chunk; every row ends up in exactly one of good / rejects."""
    n = len(chunk.rows)
    fails = _Failures(n)
    if n:
        fails.add("(整行)", R_ENCODING, _np(pc.match_substring(chunk.raw, "\ufffd")))
    columns: dict[str, pa.Array] = {}
    for column, values in chunk.values.items():
        text = pc.utf8_trim_whitespace(values)
        converted = _convert(column, types[column], text, column in required, fails, now)
        _domain_checks(column, text, converted, fails, known)
        columns[column] = converted
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
    broken_rows = [r for r, _, _ in chunk.broken]
    rejects = pa.table({
        "batch_id": pa.array([provenance["batch_id"]] * (int(bad.sum()) + len(broken_rows)), pa.string()),
        "file_name": pa.array([file_name] * (int(bad.sum()) + len(broken_rows)), pa.string()),
        "row_number": pa.array(np.concatenate([chunk.rows[bad], np.array(broken_rows, dtype=np.int64)])
                               .astype(np.uint64)),
        "column_name": pa.array(list(labels[picked]) + ["(整行)"] * len(broken_rows), pa.string()),
        "reason": pa.array(list(reasons[picked]) + [r for _, r, _ in chunk.broken], pa.string()),
        "raw": pa.concat_arrays([chunk.raw.filter(pa.array(bad)) if n else pa.array([], pa.string()),
                                 pa.array([t for _, _, t in chunk.broken], pa.string())]),
    })
    return Checked(pa.table(good), rejects)
