"""Versioned schema migrations: applied in order, recorded, idempotent; optionally rendered
for a ClickHouse cluster (ON CLUSTER, Replicated*MergeTree, Distributed by a person key)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from warehouse.client import Warehouse
from warehouse.errors import SchemaOutdated
from warehouse.sqlfile import load_sql, split_statements  # noqa: F401 (split_statements: the callers of migrate use it)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

_LEDGER_DDL = """
CREATE TABLE IF NOT EXISTS epi.schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime('Asia/Shanghai') DEFAULT now()
)
ENGINE = ReplacingMergeTree ORDER BY version
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def text(self) -> str:
        return load_sql(self.path).text

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()[:16]

    def statements(self) -> list[str]:
        return load_sql(self.path).statements()


def discover() -> list[Migration]:
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version, _, name = path.stem.partition("_")
        found.append(Migration(int(version), name, path))
    return found


def latest_version() -> int:
    return max(m.version for m in discover())


def applied_versions(wh: Warehouse) -> set[int]:
    exists = wh.scalar(
        "SELECT count() FROM system.tables WHERE database = 'epi' AND name = 'schema_migrations'"
    )
    if not exists:
        return set()
    return {row[0] for row in wh.rows("SELECT version FROM epi.schema_migrations FINAL")}


def migrate(wh: Warehouse, log=print) -> list[int]:
    """Apply every migration not yet recorded; return the versions applied now."""
    wh.command("CREATE DATABASE IF NOT EXISTS epi")
    wh.command(_LEDGER_DDL)
    done = applied_versions(wh)
    applied = []
    for mig in discover():
        if mig.version in done:
            continue
        for statement in mig.statements():
            wh.command(statement)
        wh.command(
            "INSERT INTO epi.schema_migrations (version, name, checksum) "
            "VALUES ({v:UInt32}, {n:String}, {c:String})",
            {"v": mig.version, "n": mig.name, "c": mig.checksum},
        )
        log(f"applied {mig.version:04d} {mig.name}")
        applied.append(mig.version)
    return applied


def ensure_current(wh: Warehouse) -> None:
    """Raise SchemaOutdated with one line when the database is behind the code."""
    done = applied_versions(wh)
    missing = [m.version for m in discover() if m.version not in done]
    if missing:
        have = max(done) if done else 0
        raise SchemaOutdated(
            f"数据库结构过旧 / schema is at version {have:04d}, the code needs "
            f"{latest_version():04d}: run `python -m warehouse migrate`."
        )


# -- cluster rendering -------------------------------------------------------------------
_CREATE_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS epi\.(\w+)")
_CREATE_MV = re.compile(r"CREATE MATERIALIZED VIEW IF NOT EXISTS epi\.(\w+) TO epi\.(\w+)")
_ENGINE = re.compile(r"ENGINE = (\w*MergeTree)(\([^)]*\))?")
_SHARD = re.compile(r"^-- shard: (.+)$", re.MULTILINE)
_ALTER = re.compile(r"ALTER TABLE epi\.(\w+)")
_DROP_VIEW = re.compile(r"DROP VIEW IF EXISTS epi\.(\w+)")
# changes to how a table stores its parts (projections, table settings) apply to the shards'
# local tables only: a Distributed table holds no parts
_STORAGE_ONLY = re.compile(r"\b(PROJECTION|MODIFY SETTING)\b")


def render_cluster(cluster: str) -> str:
    """The whole schema as DDL for a cluster: sharded facts, replicated dimensions."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", cluster):
        raise ValueError(f"cluster name {cluster!r}: use letters, digits and underscores")
    out = [f"CREATE DATABASE IF NOT EXISTS epi ON CLUSTER {cluster};"]
    sharded: set[str] = set()
    for mig in discover():
        out.append(f"\n-- {mig.version:04d} {mig.name}")
        for stmt in mig.statements():
            if stmt.lstrip().startswith("CREATE DATABASE") and "\n" not in stmt.strip():
                continue
            out.extend(_render_statement(stmt, cluster, sharded))
    return "\n\n".join(out) + "\n"


def _replicated_engine(kind: str, args: str, zk_path: str) -> str:
    params = [f"'{zk_path}'", "'{replica}'"] + ([args] if args else [])
    return f"ENGINE = Replicated{kind}({', '.join(params)})"


def _render_statement(stmt: str, cluster: str, sharded: set[str]) -> list[str]:
    table = _CREATE_TABLE.search(stmt)
    if table:
        name = table.group(1)
        key_match = _SHARD.search(stmt)
        key = key_match.group(1).strip() if key_match else "none"
        engine = _ENGINE.search(stmt)
        kind, args = engine.group(1), (engine.group(2) or "()")[1:-1]
        if key == "none":
            replicated = _replicated_engine(kind, args, f"/clickhouse/tables/epi/{name}")
            body = stmt.replace(table.group(0), f"CREATE TABLE IF NOT EXISTS epi.{name} ON CLUSTER {cluster}")
            return [_ENGINE.sub(replicated, body, count=1) + ";"]
        sharded.add(name)
        replicated = _replicated_engine(kind, args, f"/clickhouse/tables/{{shard}}/epi/{name}_local")
        local = stmt.replace(
            table.group(0), f"CREATE TABLE IF NOT EXISTS epi.{name}_local ON CLUSTER {cluster}"
        )
        local = _ENGINE.sub(replicated, local, count=1)
        dist = (
            f"CREATE TABLE IF NOT EXISTS epi.{name} ON CLUSTER {cluster} AS epi.{name}_local\n"
            f"ENGINE = Distributed({cluster}, epi, {name}_local, {key})"
        )
        return [local + ";", dist + ";"]
    alter = _ALTER.search(stmt)
    if alter:
        name = alter.group(1)
        targets = ([f"{name}_local"] if _STORAGE_ONLY.search(stmt) else [f"{name}_local", name]) if name in sharded else [name]
        return [stmt.replace(alter.group(0), f"ALTER TABLE epi.{t} ON CLUSTER {cluster}") + ";" for t in targets]
    dropped = _DROP_VIEW.search(stmt)
    if dropped:
        return [stmt.replace(dropped.group(0), f"{dropped.group(0)} ON CLUSTER {cluster}") + ";"]
    view = _CREATE_MV.search(stmt)
    if view:
        mv, target = view.group(1), view.group(2)
        body = stmt.replace(
            view.group(0),
            f"CREATE MATERIALIZED VIEW IF NOT EXISTS epi.{mv} ON CLUSTER {cluster} TO epi.{target}_local",
        )
        # a view reads the shard's local rows, so each shard aggregates its own facts
        for src in sharded:
            body = re.sub(rf"FROM epi\.{src}\b", f"FROM epi.{src}_local", body)
        return [body + ";"]
    return [stmt + ";"]
