"""Schema migrations, the seed's skeleton and determinism, and clear messages on bad input."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from stdnum.cn import ric

from seed.skeleton import load_districts

ROOT = Path(__file__).resolve().parent.parent


def check_char(body: str) -> str:
    return ric.calc_check_digit(body + "0")


def test_check_character_matches_the_standard_examples():
    assert check_char("11010519491231002") == "X"
    assert check_char("44052418800101001") == "4"


def test_migrating_twice_changes_nothing(wh):
    from warehouse.migrate import latest_version, migrate

    assert migrate(wh, log=lambda _m: None) == []
    assert wh.scalar("SELECT max(version) FROM epi.schema_migrations") == latest_version()


def test_cluster_rendering_shards_facts_and_replicates_dimensions():
    from warehouse.migrate import render_cluster

    ddl = render_cluster("epi_cluster")
    assert "CREATE TABLE IF NOT EXISTS epi.person_local ON CLUSTER epi_cluster" in ddl
    assert "ENGINE = Distributed(epi_cluster, epi, person_local, cityHash64(person_id))" in ddl
    assert "ReplicatedMergeTree('/clickhouse/tables/epi/district', '{replica}')" in ddl
    assert "TO epi.agg_cases_daily_local" in ddl and "FROM epi.case_record_local" in ddl
    assert "ALTER TABLE epi.trajectory_by_cell_local ON CLUSTER epi_cluster" in ddl
    assert "DROP VIEW IF EXISTS epi.trajectory_by_cell_mv ON CLUSTER epi_cluster" in ddl
    assert "ALTER TABLE epi.zone_plan ON CLUSTER epi_cluster" in ddl
    with pytest.raises(ValueError):
        render_cluster("bad name;")


def test_cluster_ddl_parses_in_the_engine(wh):
    from warehouse.migrate import render_cluster, split_statements

    statements = split_statements(render_cluster("epi_cluster"))
    # 0015 adds 30: a column, and 29 tables' deduplication windows; 0016 adds 5: a local and a
    # distributed table, its view, its back-fill and its deduplication window; 0017 adds 2: the
    # registry's name-ordered projection and its materialization; 0018 adds 4 columns to 3
    # replicated dimensions; 0019 and 0020 add 5 each, as 0016 (quarantine tests in person order,
    # arrivals by site and hour); 0021 adds 3: the sample table's setting for deletes, its
    # round-ordered projection and its materialization; 0022 adds 2: the registry's
    # ID-number-ordered projection and its materialization; 0023 adds 3: the registry's compound
    # projection with households as a bitmap, its materialization, and dropping 0013's
    assert len(statements) == 158
    for statement in statements:
        wh.rows("EXPLAIN AST " + statement)


def test_a_schema_behind_the_code_is_named_in_one_line(wh):
    from warehouse import SchemaOutdated
    from warehouse.migrate import ensure_current, latest_version, migrate

    last = latest_version()
    wh.command("DELETE FROM epi.schema_migrations WHERE version = {v:UInt32}", {"v": last})
    with pytest.raises(SchemaOutdated, match=f"the code needs {last:04d}: run `python -m warehouse migrate`"):
        ensure_current(wh)
    assert migrate(wh, log=lambda _m: None) == [last]
    ensure_current(wh)


def test_residents_per_unit_follow_the_census_within_one_percent(wh):
    counts = dict(wh.rows("SELECT substring(community_code, 1, 6), count() FROM epi.person GROUP BY 1"))
    for d in load_districts():
        expected = d.population_2020 * 0.001
        assert abs(counts[d.code] - expected) / expected < 0.01, d.name
    assert sum(counts.values()) == 20938 - 1  # census 20,937,757 at 1/1000, rounded per unit


def test_skeleton_sizes(wh):
    assert wh.scalar("SELECT count() FROM epi.district") == 20
    assert wh.scalar("SELECT count() FROM epi.street") == 261
    assert wh.scalar("SELECT count() FROM epi.community") == 3132
    assert wh.scalar("SELECT count() FROM epi.place WHERE name = '棕榈泉大厦'") == 1
    assert wh.scalar("SELECT count() FROM epi.quarantine_hotel") == 150


def test_id_numbers_and_phones_are_valid_and_unique(wh):
    people = wh.query_df("SELECT id_number, phone, sex, toString(birth_date) AS born, aged_80_plus FROM epi.person")
    assert (people["id_number"].str[6:14] == people["born"].str.replace("-", "")).all()
    assert people["born"].min() >= "1925-01-01" and people["born"].max() <= "2022-02-10"
    assert 0.015 < people["aged_80_plus"].mean() < 0.035
    assert people["id_number"].is_unique and people["phone"].is_unique
    assert all(check_char(i[:17]) == i[17] for i in people["id_number"])
    from warehouse.rules.resident_id import problem

    assert not any(problem(i) for i in people["id_number"])  # birth dates real, address codes known
    odd = people["id_number"].str[16].astype(int) % 2 == 1
    assert ((people["sex"] == "male") == odd).all()
    assert people["phone"].str.fullmatch(r"1\d{10}").all()


def test_storyline_starts_at_the_building(wh):
    index = wh.query_df(
        "SELECT c.case_id, r.place_id FROM epi.case_record AS c "
        "INNER JOIN epi.trajectory_point AS r ON r.person_id = c.person_id "
        "WHERE c.generation = 0 AND r.place_id = 1")
    assert set(index["case_id"]) == {"CD-0001", "CD-0002", "CD-0003"}
    first = wh.query_df("SELECT case_id, found_by FROM epi.case_record ORDER BY confirmed_at, case_id LIMIT 3")
    assert first["found_by"].tolist() == ["index", "index", "index"]
    assert wh.scalar("SELECT count() FROM epi.contact_edge WHERE hop = 2") > 0


def _fingerprint(wh) -> pd.DataFrame:
    tables = ["person", "trajectory_point", "case_record", "contact_edge", "control_episode",
              "sample", "site_status_report", "risk_zone", "health_code_change"]
    rows = []
    for t in tables:
        n, h = wh.rows(f"SELECT count(), groupBitXor(cityHash64(*)) FROM epi.{t}")[0]
        rows.append((t, n, h))
    return pd.DataFrame(rows, columns=["table", "rows", "hash"])


def test_second_seed_refuses_then_rebuild_gives_the_same_database(wh):
    from conftest import TEST_SEED

    from seed.runner import run
    from seed.scales import SCALES
    from warehouse import WarehouseError

    before = _fingerprint(wh)

    with pytest.raises(WarehouseError, match="--rebuild"):
        run(wh, SCALES["tiny"], TEST_SEED, rebuild=False)
    run(wh, SCALES["tiny"], TEST_SEED, rebuild=True)
    pd.testing.assert_frame_equal(before, _fingerprint(wh))


def _cli(*args, url=None):
    env = dict(os.environ)
    if url is not None:
        env["EPI_WAREHOUSE_URL"] = url
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_unknown_scale_and_bad_seed_are_refused_plainly():
    out = _cli("-m", "seed", "--scale", "huge", url="chdb:///nonexistent")
    assert out.returncode == 2 and "invalid choice: 'huge'" in out.stderr
    out = _cli("-m", "seed", "--scale", "tiny", "--seed", "-3", url="chdb:///nonexistent")
    assert out.returncode == 2 and "--seed must be ≥ 0" in out.stderr
    out = _cli("-m", "seed", "--scale", "tiny", "--seed", "abc", url="chdb:///nonexistent")
    assert out.returncode == 2 and "whole number" in out.stderr


def test_unwritable_folder_and_unreachable_server_get_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = _cli("-m", "warehouse", "migrate", url=f"chdb://{blocker}/data")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "cannot be created" in out.stderr
    out = _cli("-m", "warehouse", "migrate", url="http://default:@127.0.0.1:1/epi")
    assert out.returncode == 2 and "cannot reach the ClickHouse server at 127.0.0.1:1" in out.stderr


def test_a_held_data_folder_is_named_plainly(tiny_warehouse):
    out = _cli("-m", "warehouse", "migrate", url=f"chdb://{tiny_warehouse['folder']}")
    assert out.returncode == 2 and "held by another process" in out.stderr


def _guide_rows(marker: str) -> list[list[str]]:
    """The rows of the table after `marker` in warehouse/CLUSTER.md, cells without backticks."""
    text = (Path(__file__).resolve().parent.parent / "warehouse" / "CLUSTER.md").read_text(encoding="utf-8")
    lines = text[text.index(marker):].splitlines()[1:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if not set(cells[0]) <= {"-"} and cells[0] not in ("fact table", "view"):
            rows.append(cells)
    return rows


def test_the_cluster_guide_says_what_the_rendering_does():
    """warehouse/CLUSTER.md's tables of sharding keys, views and replicated dimensions hold for
    the rendered DDL, and name every sharded table, view and dimension it renders."""
    import re

    from warehouse.migrate import render_cluster, split_statements

    statements = split_statements(render_cluster("epi"))
    distributed = dict(re.findall(r"ENGINE = Distributed\(epi, epi, (\w+)_local, (.+)\)", "\n".join(statements)))
    facts = {row[0]: row[1] for row in _guide_rows("<!-- cluster-facts")}
    assert facts == distributed
    for name in facts:
        local = next(s for s in statements if f"CREATE TABLE IF NOT EXISTS epi.{name}_local ON CLUSTER epi" in s)
        assert re.search(rf"ENGINE = Replicated\w*MergeTree\('/clickhouse/tables/{{shard}}/epi/{name}_local', "
                         r"'\{replica\}'", local), name

    views = {}
    for s in statements:
        view = re.search(r"CREATE MATERIALIZED VIEW IF NOT EXISTS epi\.(\w+) ON CLUSTER epi TO epi\.(\w+)", s)
        if view:
            views[view.group(1)] = (sorted(set(re.findall(r"FROM epi\.(\w+)", s))), view.group(2))
    assert {row[0]: ([row[1]], row[2]) for row in _guide_rows("<!-- cluster-views")} == views

    text = (Path(__file__).resolve().parent.parent / "warehouse" / "CLUSTER.md").read_text(encoding="utf-8")
    block = text[text.index("<!-- cluster-dimensions"):].split("\n\n")[0]
    dimensions = set(re.findall(r"`(\w+)`", block))
    rendered = {name for name, path in re.findall(
        r"CREATE TABLE IF NOT EXISTS epi\.(\w+) ON CLUSTER epi\n.*?ENGINE = Replicated\w*MergeTree\('([^']+)'",
        "\n".join(statements), re.S) if "{shard}" not in path}
    assert dimensions == rendered
    for name in dimensions:
        assert f"'/clickhouse/tables/epi/{name}', '{{replica}}'" in "\n".join(statements), name

    # everything runs ON CLUSTER except the six statements the guide names
    once = [s for s in statements if "ON CLUSTER" not in s]
    assert len(once) == 6
    assert once[0].rstrip().endswith("CREATE DATABASE IF NOT EXISTS epi")
    assert "INSERT INTO epi.agg_site_state_hourly" in once[1] and "= 0" in once[1]
    assert "INSERT INTO epi.agg_mass_round_daily" in once[2] and "= 0" in once[2]
    assert "INSERT INTO epi.agg_tubes_hourly" in once[3] and "= 0" in once[3]
    assert "INSERT INTO epi.quarantine_test" in once[4] and "= 0" in once[4]
    assert "INSERT INTO epi.agg_site_arrivals_hourly" in once[5] and "= 0" in once[5]
