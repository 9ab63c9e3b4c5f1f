"""The seed's rows registered as the departments' daily files: 数据来源 tells the same story as
the figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from portal.command import sources
from portal.data import QueryRunner
from portal.settings import PortalSettings
from queries import registry

FED = ["person", "compound", "place", "sampling_site", "quarantine_hotel", "supply_depot", "vaccination",
       "health_code_change", "trajectory_point", "sample", "site_status_report", "case_record", "contact_edge",
       "transfer", "control_episode", "screening_record", "appeal", "risk_zone"]
LAST_DAY = dt.date(2022, 3, 20)


def seeded_batches(wh) -> pd.DataFrame:
    return wh.query_df("SELECT batch_id, department_code, category_code, target_table, rows_read, rows_loaded, "
                       "rows_rejected, status, started_at, finished_at FROM epi.ingest_batch FINAL "
                       "WHERE file_format = 'seed'")


def test_each_categorys_batches_hold_exactly_the_rows_of_the_fact_tables(wh):
    batches = seeded_batches(wh)
    facts = pd.concat([wh.query_df(
        "SELECT {t:String} AS target_table, src_category AS category_code, batch_id, count() AS rows "
        "FROM epi.{t:Identifier} WHERE startsWith(batch_id, 'seed-') GROUP BY category_code, batch_id",
        {"t": t}) for t in FED])
    # every seeded row names a registered batch of its own table and category, and back
    per_batch = batches.merge(facts, on=["batch_id", "target_table", "category_code"], how="left")
    assert (per_batch["rows"].fillna(0) == per_batch["rows_loaded"]).all()
    assert set(facts["batch_id"]) <= set(batches["batch_id"])
    assert (batches["status"] == "complete").all() and (batches["rows_rejected"] == 0).all()
    assert (batches["rows_read"] == batches["rows_loaded"]).all()
    by_category = batches.groupby("category_code").agg(batches=("batch_id", "size"), rows=("rows_loaded", "sum"))
    assert by_category["rows"].to_dict() == facts.groupby("category_code")["rows"].sum().to_dict()
    # the tiny seed: 30 categories of 10 departments, 1,113 daily files (no resident of the tiny
    # city is on the inbound flights' lists this time, so customs sends nothing)
    assert (len(by_category), batches["department_code"].nunique(), len(batches)) == (30, 10, 1113)
    assert by_category.loc["PSB-01"].tolist() == [39, wh.scalar("SELECT count() FROM epi.person")] == [39, 20937]
    assert by_category.loc["HEALTH-05"].tolist() == [39, 48957]  # sample records
    assert by_category.loc["HEALTH-14"].tolist() == [39, wh.scalar("SELECT count() FROM epi.site_status_report")]
    assert by_category.loc["HEALTH-01"].tolist() == [29, wh.scalar(
        "SELECT count() FROM epi.case_record WHERE kind = 'confirmed'")]
    # departments as the registry names them: the category's own
    registry_departments = dict(wh.rows("SELECT code, department_code FROM epi.business_category"))
    assert (batches["department_code"] == batches["category_code"].map(registry_departments)).all()


def test_a_dated_row_comes_with_the_file_of_its_day(wh):
    """Cases by the day confirmed, samples by the day sampled; each category files every day from
    its first file to the last day with data, and the day's file arrives by 24:00."""
    off = wh.scalar("SELECT count() FROM epi.case_record WHERE startsWith(batch_id, 'seed-') AND right(batch_id, 8) "
                    "!= formatDateTime(toDate(confirmed_at), '%Y%m%d')")
    assert off == 0
    batches = seeded_batches(wh)
    days = batches.assign(day=pd.to_datetime(batches["batch_id"].str[-8:]).dt.date)
    span = days.groupby(["category_code", "target_table"])["day"].agg(["min", "max", "size"])
    assert (span["max"] == LAST_DAY).all()
    assert (span["size"] == span.apply(lambda r: (r["max"] - r["min"]).days + 1, axis=1)).all()
    finished = pd.to_datetime(batches["finished_at"]).dt.tz_localize(None)
    assert (finished.dt.strftime("%H:%M:%S") == "23:59:59").all()
    assert finished.max() == pd.Timestamp("2022-03-20 23:59:59")


def test_the_seeded_feeds_are_current_as_of_the_last_day(wh):
    run = lambda name, **p: registry.run(name, "", **p)  # noqa: E731
    settings = PortalSettings()
    fresh = sources.freshness(run, settings)
    seeded = set(seeded_batches(wh)["category_code"])
    assert set(fresh.loc[fresh["state"] == "fresh", "category_code"]) == seeded
    assert set(fresh.loc[fresh["state"] == "never", "category_code"]) == set(fresh["category_code"]) - seeded
    assert sources.stale_line(QueryRunner("", "seed-provenance"), settings) is None  # a page's runner
    # two days after the story's end the same files are two days old
    later = sources.freshness(run, settings, now=pd.Timestamp("2022-03-23 00:00"))
    assert (later.loc[later["category_code"].isin(seeded), "age_hours"].round(3) == 48.0).all()
