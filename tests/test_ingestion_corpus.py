"""A corpus of damaged files: every category of the registry gets a file of good rows dressed as
departments send them (Chinese or English headers, columns reordered, an extra column, a BOM,
CRLF, quotes, spaces) with one row for each kind of damage its layout can suffer, and the files
a load must refuse. Reading and checking run for all 93 categories without the warehouse
writing; one category of each of the 18 tables is then loaded for real, so the counts in the
tables and in epi.rejected_row are checked too, and a refused batch is seen to leave no row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

import pytest
from ingestion_files import FIRST_TEST_PERSON, forget_loads, id_number

from warehouse.ingest import CATEGORIES, FileRefused, Loader
from warehouse.ingest.layouts import LABELS, LAYOUTS, Layout
from warehouse.ingest.readers import open_source
from warehouse.ingest.validate import WHOLE_ROW, Seen, check_chunk

FED = sorted(code for code, c in CATEGORIES.items() if c.layout is not None)
ONE_PER_TABLE = sorted({c.table: code for code in reversed(FED) for c in [CATEGORIES[code]]}.values())
GOOD_ROWS = 6
BASE = FIRST_TEST_PERSON + 100_000  # whole numbers of 64 bits; narrower ones count from 100


@pytest.fixture(scope="module")
def loader(wh):
    yield Loader(wh, block_bytes=4096)
    forget_loads(wh)


@pytest.fixture(scope="module")
def community(communities):
    return communities[0]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None, microsecond=0)


def _kind(ch_type: str) -> str:
    inner = ch_type.removeprefix("Nullable(").removeprefix("LowCardinality(")
    for prefix, kind in (("Enum8", "enum"), ("DateTime", "time"), ("Date", "date"), ("Array", "list"),
                         ("Float", "float"), ("UInt", "int"), ("Int", "int"), ("String", "text")):
        if inner.startswith(prefix):
            return kind
    raise AssertionError(ch_type)


def good_value(layout: Layout, types: dict[str, str], column: str, i: int, community: str) -> str:
    """A value the column accepts; whole numbers and codes differ from row to row."""
    domain, kind = layout.domain(column), _kind(types[column])
    if domain.rule == "id_number":
        return id_number(community[:6], dt.date(1960, 1, 1) + dt.timedelta(days=50 * i), 100 + i)
    if domain.rule == "phone":
        return f"138{i:08d}"
    if domain.rule == "community":
        return community
    if domain.rule == "district":
        return community[:6]
    if domain.rule in ("lon", "lat"):
        return "104.06" if domain.rule == "lon" else "30.67"
    if domain.values:
        return str(domain.values[i % len(domain.values)])
    if kind == "enum":
        return types[column].split("'")[1]
    if kind == "int":
        if domain.high is not None:
            return str(int(domain.low or 0) + i % int(domain.high - (domain.low or 0) + 1))
        return str(BASE + i if "Int64" in types[column] else 100 + i)
    # times in 2020, which the seed never reaches: forget_loads clears them from the cockpit's aggregates
    if kind == "time":
        return f"2020-06-0{1 + i % 9} 08:{i % 60:02d}:00"
    if kind == "date":
        return {"birth_date": "1980-05-05", "vaccinated_on": "2021-05-05"}.get(column, f"2020-06-0{1 + i % 9}")
    if kind == "list":
        return f"CD-{i};CD-{i + 1}"
    if domain.pattern:
        return f"X-{i}"
    return f"测试{i}"


def _first(layout: Layout, types: dict[str, str], test) -> str | None:
    return next((c for c in layout.columns if test(c, layout.domain(c), _kind(types[c]))), None)


def damages(layout: Layout, types: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(damage, column, bad value, the column the reject names) for each damage the layout can suffer."""
    out = []

    def add(name, column, value, named=None):
        if column is not None:
            out.append((name, column, value, named or column))

    text = _first(layout, types, lambda c, d, k: k == "text" and not d.rule and not d.values and not d.pattern)
    add("missing", layout.required[-1], "")
    add("not_a_number", _first(layout, types, lambda c, d, k: k == "int"), "12x")
    add("not_a_float", _first(layout, types, lambda c, d, k: k == "float"), "东经104")
    add("too_long", text, "长" * (layout.domain(text).max_length + 1) if text else "")
    add("very_long_line", text, "长" * 200_000)
    add("control", text, "甲\x01乙")
    add("bom_inside", text, "甲\ufeff乙")
    add("no_such_day", _first(layout, types, lambda c, d, k: k == "time"), "2022-02-30 08:00:00")
    add("second_60", _first(layout, types, lambda c, d, k: k == "time"), "2022-03-01 23:59:60")
    add("no_such_date", _first(layout, types, lambda c, d, k: k == "date"), "2021-04-31")
    add("future", _first(layout, types, lambda c, d, k: k == "time" and d.days_ahead is None),
        f"{_now() + dt.timedelta(days=2):%Y-%m-%d %H:%M:%S}")
    add("too_old", _first(layout, types, lambda c, d, k: k == "time"), "2018-01-01 08:00:00")
    add("unknown_community", "community_code" if "community_code" in layout.columns else None, "510199000000")
    add("enum", _first(layout, types, lambda c, d, k: k == "enum" or (k == "text" and bool(d.values))), "nonsense")
    ranged = _first(layout, types, lambda c, d, k: k == "int" and (d.high is not None or bool(d.values)))
    if ranged:
        domain = layout.domain(ranged)
        add("out_of_domain", ranged, str(int(domain.high) + 1 if domain.high is not None else 255))
    add("pattern", _first(layout, types, lambda c, d, k: k == "text" and bool(d.pattern)), "含 空格")
    add("outside_chengdu", "lon" if "lon" in layout.columns else None, "116.40")
    add("id_number", _first(layout, types, lambda c, d, k: d.rule == "id_number"), "510104199002300011")
    add("phone", _first(layout, types, lambda c, d, k: d.rule == "phone"), "12345")
    return out


def _csv_line(values: list[str], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(values)
    return out.getvalue()


def corpus(code: str, types: dict[str, str], community: str, folder: Path) -> tuple[Path, dict[int, str], int]:
    """The damaged CSV of a category: (path, {line: column the reject names}, rows read)."""
    layout = CATEGORIES[code].layout
    index = FED.index(code)
    columns = list(reversed(layout.columns)) if index % 2 else list(layout.columns)  # reordered in odd ones
    header = [LABELS.get(c, c) if index % 3 == 0 else c for c in columns] + ["备注"]  # an extra column
    good = [{c: good_value(layout, types, c, i, community) for c in layout.columns} for i in range(GOOD_ROWS)]

    lines, expected = [], {}
    for i, row in enumerate(good):
        values = [row[c] for c in columns] + ["附注"]
        if i == 1:
            values = [f"  {v}  " for v in values]  # spaces around values are trimmed
        lines.append(_csv_line(values))
    if text := _first(layout, types, lambda c, d, k: k == "text" and not d.rule and not d.values and not d.pattern):
        row = {c: good_value(layout, types, c, GOOD_ROWS, community) for c in layout.columns}
        row[text] = '张,"三"'  # a quoted value with a comma and quotes inside loads
        lines.append(_csv_line([row[c] for c in columns] + [""]))
    for n, (_name, column, value, named) in enumerate(damages(layout, types)):
        row = {c: good_value(layout, types, c, 100 + n, community) for c in layout.columns}
        row[column] = value
        lines.append(_csv_line([row[c] for c in columns] + [""]))
        expected[len(lines) + 1] = named
    lines.append(lines[0])  # the first row again
    expected[len(lines) + 1] = "+".join(layout.key) if layout.key else WHOLE_ROW
    lines.append(lines[2] + ",多余")  # a field too many
    expected[len(lines) + 1] = WHOLE_ROW
    lines.append(lines[3].replace(",", ',"', 1))  # a quote that never closes
    expected[len(lines) + 1] = WHOLE_ROW
    lines.append(lines[4][: len(lines[4]) // 2])  # a truncated last line
    expected[len(lines) + 1] = WHOLE_ROW
    text = "\ufeff" + "\r\n".join([",".join(header), *lines[:-1]]) + "\r\n" + lines[-1]  # BOM, CRLF, no end
    path = folder / f"{code}.csv"
    path.write_bytes(text.encode("utf-8"))
    return path, expected, len(lines)


def check_file(loader: Loader, code: str, path: Path) -> tuple[int, int, dict[int, str]]:
    """Read and check a file as a load does, without writing: (read, good, {line: column})."""
    category = CATEGORIES[code]
    source = open_source(path, category.layout, block_bytes=4096)
    read, good, rejected, seen = 0, 0, {}, Seen()
    provenance = {"src_department": category.department, "src_category": code, "batch_id": "corpus"}
    for chunk in source.chunks:
        checked = check_chunk(chunk, loader.types(category.table), category.layout, loader.known, provenance,
                              path.name, _now(), seen)
        assert chunk.read == checked.good.num_rows + checked.rejects.num_rows
        read, good = read + chunk.read, good + checked.good.num_rows
        rejected.update(zip(checked.rejects.column("row_number").to_pylist(),
                            checked.rejects.column("column_name").to_pylist()))
    return read, good, rejected


REFUSED = {
    "empty": b"",
    "blank_lines": b"\r\n\n   \n",
    "binary": random.Random(3).randbytes(4096),
    "not_text_nul": b"a,b\x00\x00\x00\x00c\n" * 50,
}


def refused_files(code: str, folder: Path) -> dict[str, Path]:
    layout = CATEGORIES[code].layout
    files = {name: folder / f"{code}_{name}.csv" for name in REFUSED}
    for name, data in REFUSED.items():
        files[name].write_bytes(data)
    header = list(layout.columns)
    files["missing_column"] = folder / f"{code}_missing.csv"
    files["missing_column"].write_text(",".join(header[1:]) + "\n" + ",".join("1" for _ in header[1:]) + "\n",
                                       encoding="utf-8")
    files["doubled_column"] = folder / f"{code}_doubled.csv"
    files["doubled_column"].write_text(",".join(header + [LABELS.get(header[0], header[0])]) + "\n",
                                       encoding="utf-8")
    files["no_header"] = folder / f"{code}_noheader.csv"
    files["no_header"].write_text(",".join("1" for _ in header) + "\n", encoding="utf-8")
    files["semicolons"] = folder / f"{code}_semicolons.csv"
    files["semicolons"].write_text(";".join(header) + "\n", encoding="utf-8")
    files["json_array"] = folder / f"{code}_array.jsonl"
    files["json_array"].write_text(json.dumps(header) + "\n", encoding="utf-8")
    files["unknown_type"] = folder / f"{code}.doc"
    files["unknown_type"].write_text(",".join(header) + "\n", encoding="utf-8")
    files["fake_xlsx"] = folder / f"{code}.xlsx"
    files["fake_xlsx"].write_text(",".join(header) + "\n", encoding="utf-8")
    files["fake_parquet"] = folder / f"{code}.parquet"
    files["fake_parquet"].write_text(",".join(header) + "\n", encoding="utf-8")
    return files


@pytest.mark.parametrize("code", FED)
def test_every_category_checks_every_kind_of_damage(wh, loader, community, tmp_path, code):
    category = CATEGORIES[code]
    types = loader.types(category.table)
    path, expected, rows = corpus(code, types, community, tmp_path)
    read, good, rejected = check_file(loader, code, path)
    assert read == rows == good + len(rejected)
    assert rejected == expected
    assert good == rows - len(expected)

    # the same rows as JSON lines, with a nested value in one of them
    layout = category.layout
    records = [{c: good_value(layout, types, c, i, community) for c in layout.columns} for i in range(3)]
    records[1][layout.columns[-1]] = {"nested": [1, 2]}
    jsonl = tmp_path / f"{code}.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    assert check_file(loader, code, jsonl) == (3, 2, {2: layout.columns[-1]})

    header_only = tmp_path / f"{code}_header.csv"
    header_only.write_text(",".join(layout.columns) + "\r\n", encoding="utf-8")
    assert check_file(loader, code, header_only) == (0, 0, {})
    for name, refused in refused_files(code, tmp_path).items():
        with pytest.raises(FileRefused):
            list(open_source(refused, layout).chunks)
            pytest.fail(f"{name} was not refused")


@pytest.mark.parametrize("code", ONE_PER_TABLE)
def test_one_category_of_every_table_loads_its_corpus(wh, loader, community, tmp_path, code):
    category = CATEGORIES[code]
    path, expected, rows = corpus(code, loader.types(category.table), community, tmp_path)
    report = loader.load(category, path)
    assert report.status == "complete", report.line()
    assert (report.read, report.loaded, report.rejected) == (rows, rows - len(expected), len(expected))
    assert wh.scalar(f"SELECT count() FROM epi.{category.table} WHERE batch_id = {{b:String}}",
                     {"b": report.batch_id}) == report.loaded
    assert dict(wh.rows("SELECT row_number, column_name FROM epi.rejected_row WHERE batch_id = {b:String}",
                        {"b": report.batch_id})) == expected
    for name, refused in refused_files(code, tmp_path).items():
        report = loader.load(category, refused)
        assert report.status == "refused", name
        assert (report.read, report.loaded, report.rejected) == (0, 0, 0), name
        if report.batch_id:
            for table, column in ((category.table, "batch_id"), ("rejected_row", "batch_id")):
                assert wh.scalar(f"SELECT count() FROM epi.{table} WHERE {column} = {{b:String}}",
                                 {"b": report.batch_id}) == 0, name


def test_the_corpus_covers_every_table_and_category():
    assert len(FED) == 93 and len(ONE_PER_TABLE) == len(LAYOUTS) == 18
    assert {CATEGORIES[c].table for c in ONE_PER_TABLE} == set(LAYOUTS)


def test_every_column_of_every_layout_declares_its_domain():
    for layout in LAYOUTS.values():
        for column in layout.columns:
            layout.domain(column)  # KeyError for a column declared nowhere
        assert set(layout.key) <= set(layout.required), layout.table
        assert set(layout.own) <= set(layout.columns), layout.table
