"""What keeps the pages fast at `full` gives exactly what the raw tables give on the tiny seed:
the registry's per-compound projection (migration 0013), the mass rounds by day (0014), the
quarantine tests in person order (0019), the arrivals by site and hour (0020) and their
backfills, the companion search matched per cell and cut to its longest pairs, the contact
chain reading only its contacts; and `python -m bench` itself."""

import datetime as dt
import json
import os

import pandas as pd
import pytest

from bench.suite import naive_sql, on_samples
from portal.settings import PortalSettings
from portal.tracing import tracing
from queries import registry
from warehouse.migrate import MIGRATIONS_DIR, split_statements

S = PortalSettings()


def raw(wh, name: str, **params) -> pd.DataFrame:
    sql = naive_sql(name)
    return wh.query_df(sql, {k: v for k, v in params.items() if "{" + k + ":" in sql})


@pytest.mark.parametrize("day", [dt.date(2022, 2, 20), dt.date(2022, 3, 2)])
@pytest.mark.parametrize("scope", ["", "510104", "510104001"])
def test_compound_profile_equals_the_registry_scan(wh, day, scope):
    fast = registry.run("zones/compound_profile", scope, as_of=day)
    assert fast.equals(raw(wh, "compound_profile_raw", scope=scope, as_of=day))


def test_compound_profile_figures(wh):
    profile = registry.run("zones/compound_profile", "", as_of=dt.date(2022, 3, 2))
    columns = ["residents", "households", "owners", "aged_80_plus", "pregnant", "dialysis", "disabled", "infant",
               "cases", "under_control"]
    assert profile[columns].sum().tolist() == [20_937, 8_056, 4_385, 481, 109, 33, 416, 258, 66, 336]
    district = registry.run("zones/compound_profile", "510104", as_of=dt.date(2022, 3, 2))
    assert district[["residents", "households", "cases", "under_control"]].sum().tolist() == [903, 347, 16, 51]


def test_residents_are_read_from_the_projection(wh):
    """Grouping the registry by compound reads the projection's rows, not one row per resident."""
    selected = "SELECT value FROM system.events WHERE event = 'SelectedRows'"
    sql = ("SELECT compound_id, count(), groupBitmap(household_id) FROM epi.person "
           "WHERE startsWith(community_code, {scope:String}) GROUP BY compound_id")
    before = wh.scalar(selected)
    wh.query_df(sql, {"scope": ""})
    with_projection = wh.scalar(selected) - before
    before = wh.scalar(selected)
    wh.query_df(sql + " SETTINGS optimize_use_projections = 0", {"scope": ""})
    without = wh.scalar(selected) - before
    assert without >= 20_937 and with_projection < 20_937 // 2


def test_a_removed_resident_leaves_the_counts(wh):
    """Deletes rebuild the projection: a resident registered and removed again is not counted."""
    row = wh.query_df("SELECT * FROM epi.person ORDER BY person_id LIMIT 1")
    compound, day = int(row["compound_id"].iloc[0]), dt.date(2022, 3, 2)

    def residents() -> int:
        return int(registry.run("zones/compound_profile", "", as_of=day).set_index("compound_id").loc[compound, "residents"])

    before = residents()
    wh.insert_df("person", row.assign(person_id=8_800_000_001, household_id=8_800_000_001))
    try:
        assert residents() == before + 1
    finally:
        wh.command("DELETE FROM epi.person WHERE person_id = 8800000001")
    assert residents() == before
    assert int(registry.run("zones/compound_profile", "", as_of=day)["residents"].sum()) == 20_937


@pytest.mark.parametrize("scope", ["", "510104", "510104001"])
def test_rounds_and_coverage_equal_the_raw_scans(wh, scope):
    assert registry.run("mass/rounds", scope).equals(raw(wh, "mass_rounds", scope=scope))
    coverage = registry.run("mass/coverage_by_community", scope, unit=scope, walk_m=S.walk_circle_m)
    every_row = registry.run("mass/coverage_by_community", scope, settings={"optimize_use_projections": 0},
                             unit=scope, walk_m=S.walk_circle_m)
    assert coverage.equals(every_row)


def test_rounds_figures(wh):
    rounds = registry.run("mass/rounds", "510104")
    assert rounds["samples"].tolist() == [776, 760, 714, 712]
    assert [str(d)[:10] for d in rounds["first_day"]] == ["2022-02-21", "2022-02-24", "2022-03-01", "2022-03-08"]
    assert [str(d)[:10] for d in rounds["last_day"]] == ["2022-02-21", "2022-02-24", "2022-03-02", "2022-03-08"]


def test_the_round_backfill_fills_an_empty_table_once(wh):
    """Samples loaded before migration 0014 are filled in by it, and applying it again adds nothing."""
    expected = registry.run("mass/rounds", "")
    statements = split_statements((MIGRATIONS_DIR / "0014_mass_round_days.sql").read_text(encoding="utf-8"))
    wh.command("TRUNCATE TABLE epi.agg_mass_round_daily")
    try:
        assert registry.run("mass/rounds", "").empty
        for statement in statements:
            wh.command(statement)
        assert registry.run("mass/rounds", "").equals(expected)
        for statement in statements:
            wh.command(statement)
        assert registry.run("mass/rounds", "").equals(expected)
    finally:
        if registry.run("mass/rounds", "").empty:
            for statement in statements:
                wh.command(statement)


def test_quarantine_tests_in_person_order_are_the_samples_quarantine_tests(wh):
    copy = wh.query_df("SELECT person_id, protocol_day, sampled_at, site_id, hotel_id FROM epi.quarantine_test "
                       "ORDER BY ALL")
    samples = wh.query_df("SELECT person_id, protocol_day, sampled_at, site_id, hotel_id FROM epi.sample "
                          "WHERE purpose = 'quarantine' AND protocol_day > 0 ORDER BY ALL")
    assert len(copy) == 3_279 and copy.equals(samples)


ALERT_DAYS = dict(transfer_limit_hours=S.transfer_limit_hours, close_test_days=list(S.close_test_days),
                  secondary_test_days=list(S.secondary_test_days))


@pytest.mark.parametrize("day", [dt.date(2022, 2, 26), dt.date(2022, 3, 2), dt.date(2022, 3, 12)])
@pytest.mark.parametrize("scope", ["", "510104"])
def test_closed_loop_alerts_equal_the_sample_scan(wh, day, scope):
    fast = registry.run("contacts/alerts", scope, unit="", as_of=day, with_names=1, **ALERT_DAYS)
    params = dict(scope=scope, unit="", as_of=day, **ALERT_DAYS)
    assert fast.equals(wh.query_df(on_samples("contacts/alerts"), {**params, "with_names": 1}))
    # the tuple NOT IN over every sample, as before the anti join and the person-ordered copy
    assert fast.equals(wh.query_df(naive_sql("contacts_alerts_raw"), params))
    assert (fast["alert"] == "missing_test").any() or day < dt.date(2022, 3, 1)
    # the alert rules' read: the same rows with no name
    nameless = registry.run("contacts/alerts", scope, unit="", as_of=day, with_names=0, **ALERT_DAYS)
    assert nameless.drop(columns="person_name").equals(fast.drop(columns="person_name"))
    assert (nameless["person_name"] == "").all() and (fast["person_name"] != "").all()


def test_closed_loop_alert_figures(wh):
    alerts = registry.run("contacts/alerts", "", unit="", as_of=dt.date(2022, 3, 2), with_names=1, **ALERT_DAYS)
    assert alerts.groupby("alert").size().to_dict() == {"missing_test": 20, "not_transferred": 2}


@pytest.mark.parametrize("day", [dt.date(2022, 3, 2), dt.date(2022, 3, 12)])
@pytest.mark.parametrize("name", ["hotels", "warnings"])
def test_hotel_warnings_equal_the_sample_scan(wh, day, name):
    params = dict(unit="", as_of=day, centralized_days=S.centralized_days, test_days=list(S.close_test_days))
    fast = registry.run(f"quarantine/{name}", "", **params)
    assert len(fast) > 0
    assert fast.equals(wh.query_df(on_samples(f"quarantine/{name}"), dict(scope="", **params)))
    assert fast.equals(wh.query_df(naive_sql(f"quarantine_{name}_raw"), dict(scope="", **params)))


@pytest.mark.parametrize("migration, table, figure", [("0019_quarantine_tests.sql", "quarantine_test", "count()"),
                                                      ("0020_site_arrivals_hourly.sql", "agg_site_arrivals_hourly",
                                                       "sum(arrivals)")])
def test_a_copy_kept_by_a_view_is_filled_once_by_its_migration(wh, migration, table, figure):
    """Samples loaded before the migration are copied in by it, and applying it again adds nothing."""
    count = f"SELECT {figure} FROM epi.{table}"
    expected = wh.scalar(count)
    statements = split_statements((MIGRATIONS_DIR / migration).read_text(encoding="utf-8"))
    wh.command(f"TRUNCATE TABLE epi.{table}")
    try:
        for _ in range(2):
            for statement in statements:
                wh.command(statement)
            assert wh.scalar(count) == expected > 0
    finally:
        if wh.scalar(count) == 0:
            for statement in statements:
                wh.command(statement)


@pytest.mark.parametrize("unit", ["", "510104"])
def test_arrivals_by_site_hour_equal_the_raw_samples(wh, unit):
    params = dict(unit=unit, day_from=dt.date(2022, 2, 20), day=dt.date(2022, 3, 8))
    fast = registry.run("mass/arrivals_by_site_hour", "", **params)
    assert int(fast["arrivals"].sum()) > 0
    assert fast.equals(raw(wh, "mass_arrivals_raw", scope="", **params))


@pytest.mark.parametrize("unit", ["", "510104"])
def test_round_progress_from_the_projection_equals_the_sample_scan(wh, unit):
    from portal.testing import sampling

    selected = "SELECT value FROM system.events WHERE event = 'SelectedRows'"
    for _, r in registry.run("mass/rounds", "").iterrows():
        params = dict(unit=unit, round_id=int(r["round_id"]), start_day=pd.Timestamp(r["first_day"]).date(),
                      day=pd.Timestamp(r["first_day"]).date() + dt.timedelta(days=1), hour=11,
                      **sampling.round_progress_params(S))
        before = wh.scalar(selected)
        fast = registry.run("mass/round_progress_by_community", "", **params)
        fast_rows = wh.scalar(selected) - before
        before = wh.scalar(selected)
        scan = registry.run("mass/round_progress_by_community", "", settings={"optimize_use_projections": 0}, **params)
        assert fast.equals(scan) and fast["sampled"].sum() > 0
        assert fast_rows < wh.scalar(selected) - before


def companion_pairs(df: pd.DataFrame) -> set:
    return set(zip(df["case_id"], df["person_id"].astype(int)))


def test_companions_equal_the_naive_self_join(wh):
    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()[:10]
    params = dict(window_days=S.window_days, resolution=S.companion_resolution,
                  min_overlap_minutes=S.companion_minutes, max_dwell_minutes=S.max_dwell_minutes)
    fast = tracing.find_companions(lambda name, **p: registry.run(name, "", **p), cases, row_cap=10_000, **params)
    naive = raw(wh, "companions", case_ids=cases, scope="", **params)
    assert len(fast) == len(naive) == 320
    assert companion_pairs(fast) == companion_pairs(naive)
    overlap = naive.assign(minutes=(naive["overlap_s"] / 60).round(1)).set_index(["case_id", "person_id"])["minutes"]
    assert fast.set_index(["case_id", "person_id"])["overlap_minutes"].sort_index().equals(
        overlap.sort_index().rename("overlap_minutes"))


def test_a_capped_companion_list_is_the_longest_pairs(wh):
    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()[:10]
    params = dict(window_days=S.window_days, resolution=S.companion_resolution,
                  min_overlap_minutes=S.companion_minutes, max_dwell_minutes=S.max_dwell_minutes)

    def run(name, **p):
        return registry.run(name, "", **p)

    whole = tracing.find_companions(run, cases, row_cap=10_000, **params)
    top = tracing.find_companions(run, cases, row_cap=100, **params)
    assert len(top) == 100
    assert top.reset_index(drop=True).equals(whole.head(100).reset_index(drop=True))


def test_a_district_sees_its_own_residents_among_the_companions(wh):
    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()[:10]
    params = dict(window_days=S.window_days, resolution=S.companion_resolution,
                  min_overlap_minutes=S.companion_minutes, max_dwell_minutes=S.max_dwell_minutes)
    city = tracing.find_companions(lambda name, **p: registry.run(name, "", **p), cases, row_cap=10_000, **params)
    mine = tracing.find_companions(lambda name, **p: registry.run(name, "510104", **p), cases, row_cap=10_000, **params)
    # a district sees its own cases only, and of their companions its own residents
    own_cases = set(registry.run("trajectories/case_list", "510104")["case_id"])
    expected = city[city["home_community_code"].str.startswith("510104") & city["case_id"].isin(own_cases)]
    assert len(mine) == 75 and mine["home_community_code"].str.startswith("510104").all()
    assert mine.reset_index(drop=True).equals(expected.reset_index(drop=True))


@pytest.mark.parametrize("scope", ["", "510104"])
def test_the_chain_equals_the_whole_registry_join(wh, scope):
    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()
    day = dt.date(2022, 3, 1)
    fast = registry.run("contacts/chain", scope, case_ids=cases, as_of=day)
    assert len(fast) > 0
    assert fast.equals(raw(wh, "contacts_chain_raw", scope=scope, case_ids=cases, as_of=day))


def test_bench_runs_its_areas_and_both_ways_agree(wh, tmp_path, capsys):
    """`python -m bench` on the session's warehouse: a table, rows read from the engine, JSON."""
    from bench.__main__ import main

    out = tmp_path / "bench.json"
    code = main(["--runs", "1", "--naive-runs", "1", "--out", str(out), "--only", "cockpit,zones,mass,contacts"])
    printed = capsys.readouterr().out
    assert code == 0, printed[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {r["area"] for r in result["rows"]} == {"cockpit", "zones", "mass", "contacts"}
    compared = [r for r in result["rows"] if r["agree"] is not None]
    assert [r["query"] for r in result["rows"] if r["agree"] is None] == []  # every row has its naive side
    assert [r["query"] for r in compared if not r["agree"]] == []
    # rows read come from the engine: the views' rows for the cockpit, none for the zone statistics
    # (computed in memory from the cached profile), more for a naive side than for the profile
    assert all(r["rows_read"] > 0 for r in result["rows"] if r["area"] == "cockpit")
    assert [r["rows_read"] for r in result["rows"] if r["query"].startswith("statistics")] == [0, 0]
    profile = next(r for r in result["rows"] if r["query"].startswith("compound profile"))
    assert profile["naive_rows_read"] > 20_937
    assert "rows read" in printed and "ratio" in printed


def test_bench_trajectory_and_person_rows_have_agreeing_naive_sides(wh, tmp_path, capsys):
    """The trajectories by full scan, the companions by the self-join (compared with the page's
    uncapped search) and the person file with no key, index, projection or cache."""
    from bench.__main__ import main

    out = tmp_path / "bench.json"
    code = main(["--runs", "1", "--naive-runs", "1", "--out", str(out), "--only", "trajectory,person"])
    printed = capsys.readouterr().out
    assert code == 0, printed[-3000:]
    rows = {r["query"]: r for r in json.loads(out.read_text(encoding="utf-8"))["rows"]}
    assert [q for q, r in rows.items() if r["agree"] is not True] == []
    person_file = rows["person file (basics + timeline)"]
    points = wh.scalar("SELECT count() FROM epi.trajectory_point")
    assert person_file["rows_read"] < points <= person_file["naive_rows_read"]  # every point, not the person's
    companions = next(r for q, r in rows.items() if q.startswith("companions"))
    assert companions["figure"][0] > 0 and companions["naive_rows_read"] > companions["rows_read"]
    assert "How the naive side was run" in report_for(out)


def report_for(path) -> str:
    from bench import report

    return report.bench_table(json.loads(path.read_text(encoding="utf-8")), path.name)


def test_bench_refuses_an_unknown_area():
    from bench.__main__ import main

    with pytest.raises(SystemExit, match="unknown area nowhere"):
        main(["--only", "cockpit,nowhere"])


def test_bench_alert_rules_and_outlook_agree_with_their_naive_sides(wh, tmp_path, capsys):
    """预警中心 and 疫情研判 in `python -m bench`: one row per rule, the whole check, the outlook;
    every naive side gives the same subjects (count, sum of values) or the same Rt."""
    from bench.__main__ import main
    from portal.alerts.rules import RULES

    out = tmp_path / "bench.json"
    store_before = os.environ.get("EPI_PORTAL_DB")
    code = main(["--runs", "1", "--naive-runs", "1", "--out", str(out), "--only", "alerts,outlook", "--date", "2022-03-01"])
    printed = capsys.readouterr().out
    assert code == 0, printed[-3000:]
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert os.environ.get("EPI_PORTAL_DB") == store_before  # the bench's own alert store is gone again
    assert [r["area"] for r in rows] == ["alerts"] * (len(RULES) + 2) + ["outlook"]
    page = rows.pop(len(RULES))  # the page's own view: the alert store, beside checking on view
    assert page["query"].startswith("page: open alerts") and page["agree"] is True
    assert page["figure"] == {"严重": 7, "警告": 801, "提示": 4}  # 3 + 4; 17 + 783 + 1; 2 + 2 from the rules below
    # every rule and the whole check have a naive side that finds the same subjects
    compared = {r["query"].split()[1]: r for r in rows[:len(RULES) + 1] if r["agree"] is not None}
    assert set(compared) == set(RULES) | {"all"} and rows[-1]["agree"] is True  # and the outlook
    assert [q for q, r in compared.items() if not r["agree"]] == []
    assert all(r["naive_rows_read"] > 0 for r in compared.values())
    check = rows[len(RULES)]["figure"]
    assert set(check) == set(RULES) and min(check.values()) >= 0  # no rule failed
    by_rule = {r["query"].split()[1]: r["figure"] for r in rows[:len(RULES)]}
    assert all(check[rid] == by_rule[rid][0] for rid in RULES)
    assert {sev: sum(by_rule[rid][0] for rid, rule in RULES.items() if rule.severity == sev)
            for sev in ("严重", "警告", "提示")} == page["figure"]
    # tiny, 2022-03-01 24:00: both ways
    assert by_rule["contact_not_transferred"] == [3, 47.0] and by_rule["quarantine_test_missed"] == [17, 17.0]
    assert by_rule["community_case"] == [4, 4.0] and by_rule["rt_above_one"] == [1, 1.2]
    assert rows[-1]["figure"]["city"] == [50, 1.61] and rows[-1]["figure"]["510107"] == [29, 1.75]
