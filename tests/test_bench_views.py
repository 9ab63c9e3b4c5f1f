"""`python -m bench.views` runs a page in-process for a role, with the shared view caches on and off,
and writes its figures (not timed: the figures depend on the machine)."""

import json
import os

from bench import report, views


def test_bench_views_runs_one_page_on_the_tiny_warehouse(tiny_warehouse, tmp_path):
    out = tmp_path / "views-tiny.json"
    before = os.environ.get("EPI_VIEW_CACHE")
    assert views.main(["--pages", "cockpit-map", "--roles", "district_operator", "--repeat", "1",
                       "--out", str(out)]) == 0
    assert os.environ.get("EPI_VIEW_CACHE") == before
    result = json.loads(out.read_text(encoding="utf-8"))
    [row] = result["rows"]
    assert (row["page"], row["role"], row["scope"], row["interaction"]) == ("cockpit-map", "district_operator",
                                                                            "510104", "map indicator")
    for side in ("on", "off"):
        assert all(row[side][k] > 0 for k in ("first_ms", "warm_ms", "interaction_ms", "cold_first_ms"))
    # the map's indicator is chosen inside a fragment: only the fragment reruns
    assert row["on"]["fragment"] is True and set(row["targets"]) == {"warm", "fragment", "first"}
    assert "| 指挥总览 | district_operator |" in report.views_table(result, out.name)
