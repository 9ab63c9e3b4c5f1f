"""Department files for the ingestion tests, written deterministically, with known bad rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdnum.cn import ric

PERSON_HEADER = ["person_id", "id_number", "name", "sex", "birth_date", "community_code", "phone"]
PERSON_HEADER_ZH = ["人员编号", "身份证号", "姓名", "性别", "出生日期", "社区代码", "手机号"]
FIRST_TEST_PERSON = 9_000_000_000  # far above any seeded person_id, so tests can find their rows
# the materialized aggregates of the cockpit and the day each is kept by: test files of the tables
# they read (samples, site reports, cases, control episodes, appeals, screening) are dated before
# TEST_YEAR_END, so what the loads added to the aggregates can be taken out again
COCKPIT_AGGREGATES = [("agg_control_daily", "day"), ("agg_cases_daily", "day"), ("agg_contacts_daily", "day"),
                      ("agg_site_state_daily", "day"), ("agg_site_state_hourly", "day"),
                      ("agg_samples_hourly", "sampled_hour"), ("agg_appeals_daily", "received_day"),
                      ("agg_screening_daily", "dispatched_day"), ("agg_mass_round_daily", "day"),
                      ("agg_tubes_hourly", "sampled_hour")]
TEST_YEAR_END = "2021-01-01"


def id_number(district: str, born: dt.date, seq: int) -> str:
    body = f"{district}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def person_rows(n: int, communities: list[str], first: int = FIRST_TEST_PERSON) -> list[list[str]]:
    """n good person rows: valid IDs, Chinese names, known communities."""
    rows = []
    for i in range(n):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=37 * i)
        community = communities[i % len(communities)]
        rows.append([str(first + i), id_number(community[:6], born, 100 + i % 900), f"测试{'甲乙丙丁戊'[i % 5]}{i}",
                     "male" if i % 2 else "female", born.isoformat(), community, f"139{i:08d}"])
    return rows


# (column, bad value, the column the rejection names): one defect per bad row
PERSON_DEFECTS = [
    ("id_number", "510104199001011235", "id_number"),  # check character wrong
    ("name", "", "name"),  # required value missing
    ("community_code", "510199000000", "community_code"),  # unknown community
    ("birth_date", "2099-01-01", "birth_date"),  # implausible date
    ("sex", "unknown", "sex"),  # not an allowed value
    ("phone", "12345", "phone"),  # not a mobile number
    ("person_id", "abc", "person_id"),  # not a whole number
]


def with_defects(rows: list[list[str]], every: int) -> tuple[list[list[str]], dict[int, str]]:
    """Spoil every `every`-th row with the next defect; returns rows and {line number: column}."""
    out, bad = [], {}
    for i, row in enumerate(rows):
        row = list(row)
        if i % every == every - 1:
            column, value, named = PERSON_DEFECTS[(i // every) % len(PERSON_DEFECTS)]
            row[PERSON_HEADER.index(column)] = value
            bad[i + 2] = named  # line 1 is the header
        out.append(row)
    return out, bad


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8",
              newline: str = "\n") -> Path:
    text = newline.join(",".join(r) for r in [header, *rows]) + newline
    path.write_bytes(text.encode(encoding))
    return path


def forget_loads(wh) -> None:
    """Remove every file batch and what it loaded (the seed's own batches stay), so later tests see the seed."""
    for table, batches in wh.rows("SELECT target_table, groupUniqArray(batch_id) FROM epi.ingest_batch "
                                  "WHERE target_table != '' AND status != 'refused' AND file_format != 'seed' "
                                  "GROUP BY target_table"):
        wh.command(f"DELETE FROM epi.{table} WHERE batch_id IN {{b:Array(String)}}", {"b": batches})
    wh.command("DELETE FROM epi.trajectory_by_cell WHERE person_id >= {p:UInt64}", {"p": FIRST_TEST_PERSON})
    # files for the tables the cockpit aggregates are dated in 2020, which the seed never reaches
    for table, day in COCKPIT_AGGREGATES:
        wh.command(f"DELETE FROM epi.{table} WHERE {day} < {{d:Date}}", {"d": TEST_YEAR_END})
    for table in ("ingest_chunk", "rejected_row"):
        wh.command(f"TRUNCATE TABLE epi.{table}")
    if wh.scalar("SELECT count() FROM epi.ingest_batch WHERE file_format != 'seed'"):
        wh.command("DELETE FROM epi.ingest_batch WHERE file_format != 'seed'")
