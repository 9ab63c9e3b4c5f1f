"""Runs the seed: reference rows from Python, everything else generated inside ClickHouse."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from seed import geography, story
from seed.scales import Scale
from seed.skeleton import load_districts, skeleton_parameters
from warehouse import Warehouse, WarehouseError
from warehouse.departments import DEPARTMENTS, categories
from warehouse.migrate import ensure_current
from warehouse.rules.policy import POLICY
from warehouse.sqlfile import load_sql

SQL_DIR = Path(__file__).parent / "sql"
WORKING_TABLES = [
    "seed_cell", "seed_spot", "seed_routine", "seed_case", "seed_controlled", "seed_edge", "seed_first_case",
    "seed_community_sites", "seed_risk_person",
]
# The tables the departments' files feed, with the column that dates each row's file (None: a
# register, sent whole with the first day's files); screening records are dated as they are
# written (80_screening.sql), by the day their topic was opened.
FED_TABLES: dict[str, str | None] = {
    "person": None, "compound": None, "place": None, "sampling_site": None, "quarantine_hotel": None,
    "supply_depot": None, "vaccination": "vaccinated_on", "health_code_change": "ts", "trajectory_point": "ts",
    "sample": "sampled_at", "site_status_report": "ts", "case_record": "confirmed_at", "contact_edge": "identified_at",
    "transfer": "dispatched_at", "control_episode": "identified_at", "screening_record": "",
    "appeal": "received_at", "risk_zone": "start_at",
}
# Spread of the outbreak: per-contact infection chances; place-based chances are divided by
# the scale's person fraction so the outbreak has about the same size at every scale. Companions
# share an H3 res-8 cell: with places spread over the units' real outlines a cell holds far fewer
# places than the old discs around each unit's centre did, so a companion's chance is four times
# what it was then, which keeps the outbreak its size (tiny, seed 20220220: 130 cases to 3月11日,
# against 126 before the real outlines; 36 cases to 3月4日 at the old chance).
TRANSMISSION = {
    "p_household": 0.2,
    "p_investigation": 0.0003,
    "p_companion": 0.0004,
    "p_missed": 0.0001,
}


@dataclass
class Step:
    label: str
    table: str
    run: Callable[[], None]


def _data_tables(wh: Warehouse) -> list[str]:
    return [
        r[0]
        for r in wh.rows(
            "SELECT name FROM system.tables WHERE database = 'epi' "
            "AND engine NOT IN ('MaterializedView', 'View') AND name != 'schema_migrations'"
        )
    ]


def existing_dataset(wh: Warehouse) -> dict[str, str]:
    return dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))


def clear(wh: Warehouse) -> None:
    """Empty every data table (keeps the schema); working tables are dropped."""
    for name in WORKING_TABLES:
        wh.command(f"DROP TABLE IF EXISTS epi.{name} SYNC")
    for name in _data_tables(wh):
        wh.command(f"TRUNCATE TABLE IF EXISTS epi.{name}")


def _set_info(wh: Warehouse, **values: str) -> None:
    df = pd.DataFrame({"key": list(values), "value": [str(v) for v in values.values()]})
    wh.insert_df("dataset_info", df)


class Seeder:
    def __init__(self, wh: Warehouse, scale: Scale, seed: int):
        self.wh, self.scale, self.seed = wh, scale, seed
        self.batch_id = f"seed-{scale.name}-{seed}"
        skeleton = skeleton_parameters(scale.person_fraction)
        self.params = {
            **skeleton,
            **TRANSMISSION,
            "seed": seed,
            "fraction": scale.person_fraction,
            "active_share": scale.active_day_share,
            "sites_per_community": scale.sites_per_community,
            "capacity_share": scale.capacity_share,
            "batch_id": self.batch_id,
            "building": story.BUILDING_NAME,
            "data_end": f"{story.STORY_END} 23:59:59",
            "last_case_day": dt.date(2022, 3, 12),
            "cluster": story.CLUSTER_NAME,
            "max_new_cases": 8,
            "pool_size": POLICY.pool_size,
            "backlog_round": 3,
            "close_test_days": list(POLICY.close_test_days),
            "monitoring_test_days": list(POLICY.monitoring_test_days),
            "secondary_test_days": list(POLICY.secondary_test_days),
            "busy_minutes": POLICY.busy_minutes,
            "congested_minutes": POLICY.congested_minutes,
            "high_lift_days": POLICY.zone_lift_days,
            "medium_lift_days": POLICY.zone_lift_days,
            **story.mass_day_parameters(),
            "centralized_days": POLICY.centralized_days,
            "monitoring_days": POLICY.home_monitoring_days,
            "secondary_days": POLICY.secondary_home_days,
            "swabs_per_sampler_hour": POLICY.swabs_per_sampler_hour,
            "story_start": story.STORY_START,
            "story_end": story.STORY_END,
            "window_days": POLICY.window_days,
            "companion_minutes": POLICY.companion_minutes,
        }

    def sql(self, name: str, **extra) -> None:
        params = {**self.params, **extra}
        for statement in load_sql(SQL_DIR / name).statements():
            used = {k: v for k, v in params.items() if "{" + k + ":" in statement}
            self.wh.command(statement, used)

    def reference(self) -> None:
        d = load_districts()
        labels = [geography.label_point(x) for x in d]
        outlines = geography.unit_outlines([x.code for x in d])
        self.wh.insert_df("district", pd.DataFrame({
            "code": [x.code for x in d], "name": [x.name for x in d], "kind": [x.kind for x in d],
            "population_2020": [x.population_2020 for x in d],
            "lon": [p[0] for p in labels], "lat": [p[1] for p in labels],
            "area_km2": [geography.area_km2(geography.outline(x.code)) for x in d],
            "outline": [outlines[x.code] for x in d],
        }))
        self.wh.insert_df("source_department", pd.DataFrame(DEPARTMENTS, columns=["code", "name"]))
        self.wh.insert_df("business_category", pd.DataFrame(
            categories(), columns=["code", "department_code", "name", "target_table"]))

    def steps(self) -> list[Step]:
        steps = [
            Step("参考数据 reference", "district", self.reference),
            Step("街道社区 streets", "community", self.streets),
            Step("人口 persons", "person", lambda: (self.sql("15_working_tables.sql"), self.sql("20_people.sql"))),
            Step("资源 resources", "sampling_site", lambda: self.sql("25_resources.sql")),
            Step("首发病例 index cases", "seed_case", lambda: self.sql("28_index_cases.sql")),
        ]
        for day in story.story_days():
            steps.append(Step(f"{day:%m-%d} 轨迹与流调", "trajectory_point",
                              lambda day=day: self.sql("30_day.sql", day=day)))
        steps += [
            Step("病例与转运 cases", "case_record", lambda: self.sql("40_outbreak.sql")),
            Step("核酸检测 samples", "sample", self.testing),
            Step("采样点状态 sites", "site_status_report", lambda: self.sql("55_site_status.sql")),
            Step("风险区与健康码 zones", "risk_zone", lambda: self.sql("60_zones_codes.sql")),
            Step("诉求 appeals", "appeal", lambda: self.sql("70_appeals.sql")),
            Step("排查专题 screening", "screening_record", lambda: self.sql("80_screening.sql")),
            Step("疫苗接种 vaccination", "vaccination", lambda: self.sql("90_vaccination.sql")),
            Step("数据来源 batches", "ingest_batch", self.provenance),
        ]
        return steps

    def streets(self) -> None:
        """Street and community cells and the spots inside them (seed.geography), loaded into
        working tables that 10_streets.sql and the later steps read."""
        streets, communities, spots = geography.streets_and_communities(
            load_districts(), self.params["d_streets"], self.seed)
        self.wh.command("CREATE TABLE IF NOT EXISTS epi.seed_cell (code String, lon Float64, lat Float64, "
                        "outline String) ENGINE = MergeTree ORDER BY code")
        self.wh.command("CREATE TABLE IF NOT EXISTS epi.seed_spot (community_code String, slot UInt8, "
                        "lon Float64, lat Float64) ENGINE = MergeTree ORDER BY (community_code, slot)")
        cells = streets + communities
        self.wh.insert_df("seed_cell", pd.DataFrame({
            "code": [c.code for c in cells], "lon": [c.lon for c in cells], "lat": [c.lat for c in cells],
            "outline": [c.outline for c in cells]}))
        codes = list(spots)
        xy = [spots[c] for c in codes]
        n = geography.SPOTS_PER_COMMUNITY
        self.wh.insert_df("seed_spot", pd.DataFrame({
            "community_code": [c for c in codes for _ in range(n)],
            "slot": [i for _ in codes for i in range(n)],
            "lon": [float(v) for a in xy for v in a[:, 0]], "lat": [float(v) for a in xy for v in a[:, 1]]}))
        self.sql("10_streets.sql")

    def provenance(self) -> None:
        """Each fed table's rows named by the daily file of their department and category that
        would have brought them, and those files registered as complete batches."""
        for table, event in FED_TABLES.items():
            if event is None:
                self.sql("94_register_rows.sql", table=table)
            elif event:
                self.sql("95_dated_rows.sql", table=table, event=event)
            self.sql("96_batches.sql", table=table)

    def testing(self) -> None:
        for round_id, first_day, days, districts in story.ROUNDS:
            self.sql("50_mass_round.sql", round_id=round_id, round_day=first_day,
                     round_days=days, round_districts=districts or [])
        self.sql("52_other_samples.sql")

    def count(self, table: str) -> int:
        return int(self.wh.scalar(f"SELECT count() FROM epi.{table}") or 0)


class _Silent:
    """A progress bar that shows nothing (tests, scheduled jobs)."""

    def __init__(self, total: int):
        self.total = total

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def set_description(self, _text: str) -> None: ...

    def set_postfix_str(self, _text: str) -> None: ...

    def update(self, _n: int) -> None: ...


def run(wh: Warehouse, scale: Scale, seed: int, *, rebuild: bool, progress=_Silent) -> dict[str, int]:
    """Seed the warehouse; refuses a filled one unless rebuild, resumes nothing half-done."""
    ensure_current(wh)
    info = existing_dataset(wh)
    if info.get("status") == "complete" and not rebuild:
        raise WarehouseError(
            f"仓库已有数据 / the warehouse already holds the {info.get('scale')} seed "
            f"(seed {info.get('seed')}): add --rebuild to replace it."
        )
    clear(wh)
    _set_info(wh, status="seeding", scale=scale.name, seed=seed)
    seeder = Seeder(wh, scale, seed)
    started = time.perf_counter()
    steps = seeder.steps()
    with progress(total=len(steps)) as bar:
        for step in steps:
            bar.set_description(step.label)
            step.run()
            bar.set_postfix_str(f"{step.table} {seeder.count(step.table):,} 行")
            bar.update(1)
    for name in WORKING_TABLES:
        wh.command(f"DROP TABLE IF EXISTS epi.{name} SYNC")
    counts = {t: seeder.count(t) for t in sorted(_data_tables(wh))}
    elapsed = time.perf_counter() - started
    _set_info(wh, status="complete", scale=scale.name, seed=seed,
              person_fraction=scale.person_fraction, seconds=f"{elapsed:.1f}",
              data_version=f"{scale.name}-{seed}-{int(time.time())}",
              last_day=str(story.STORY_END))
    return counts
