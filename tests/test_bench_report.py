"""bench/README.md's tables are what `python -m bench.report` writes from bench/results/*.json."""

from __future__ import annotations

import json

import pytest

from bench import report


def test_readme_tables_are_generated_from_the_committed_results():
    text = report.README.read_text(encoding="utf-8")
    assert text.count(report.START) == 1 and text.count(report.END) == 1
    assert report.splice(text, report.render()) == text, "bench/README.md is stale: run python -m bench.report"
    assert report.main(["--check"]) == 0


def test_every_result_file_has_its_table():
    tables = report.render()
    names = sorted(p.name for p in report.RESULTS.glob("*.json"))
    assert names, "no results to report"
    for name in names:
        assert f"(`bench/results/{name}`)" in tables


def test_a_changed_figure_makes_the_readme_stale(tmp_path, monkeypatch):
    for path in report.RESULTS.glob("*.json"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    full = json.loads((tmp_path / "bench-full.json").read_text(encoding="utf-8"))
    row = next(r for r in full["rows"] if r["query"] == "control_now_by_unit")
    assert "| cockpit | control_now_by_unit | 32,757 | 7.8 (8) | 3,642,160 | 80.3 | 10.3× | 500 | yes | yes |" \
        in report.render(tmp_path)
    row["fast_ms"] = 99.9
    (tmp_path / "bench-full.json").write_text(json.dumps(full), encoding="utf-8")
    assert "| cockpit | control_now_by_unit | 32,757 | 99.9 (8) |" in report.render(tmp_path)
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    assert report.main(["--check"]) == 1


def test_a_readme_without_markers_is_refused():
    with pytest.raises(ValueError, match="marker"):
        report.splice("# Benchmarks\n", "| a |")
