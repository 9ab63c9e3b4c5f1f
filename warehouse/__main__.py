"""Command line: `python -m warehouse migrate [--cluster NAME --print]`, `status`, and
`load --department D --category C FILE…` for department files."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from warehouse.client import Warehouse
from warehouse.errors import WarehouseError
from warehouse.migrate import applied_versions, ensure_current, latest_version, migrate, render_cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Theme warehouse tools")
    sub = parser.add_subparsers(dest="command", required=True)
    mig = sub.add_parser("migrate", help="create or update the theme database schema")
    mig.add_argument("--cluster", help="render for this ClickHouse cluster name")
    mig.add_argument("--print", action="store_true", help="print the DDL instead of applying it")
    sub.add_parser("status", help="schema version and row counts")
    load = sub.add_parser("load", help="load department files (CSV, XLSX, Parquet, JSON lines)")
    load.add_argument("--department", required=True, help="department code, e.g. PSB")
    load.add_argument("--category", required=True, help="business category code, e.g. PSB-04")
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    if args.command == "load":
        return _load(args)

    if args.command == "migrate" and args.print:
        if not args.cluster:
            parser.error("--print renders the cluster DDL: give --cluster NAME")
        try:
            sys.stdout.write(render_cluster(args.cluster))
        except ValueError as exc:
            parser.error(str(exc))
        return 0
    if args.command == "migrate" and args.cluster:
        parser.error("applying ON CLUSTER DDL is done by the cluster's operator: add --print")
    try:
        wh = _open()
        if args.command == "migrate":
            done = migrate(wh)
            print(f"schema at version {latest_version():04d} ({len(done)} migration(s) applied now)")
        else:
            have = applied_versions(wh)
            print(f"schema version {max(have) if have else 0:04d} of {latest_version():04d}")
            for name, rows in wh.rows(
                "SELECT name, total_rows FROM system.tables WHERE database = 'epi' "
                "AND engine NOT IN ('MaterializedView') ORDER BY name"
            ):
                print(f"  {name:<28} {rows or 0:>15,}")
    except WarehouseError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    return 0


def _open() -> Warehouse:
    """The warehouse, or the one-line WarehouseError. The embedded engine writes its own start-up
    failure (e.g. `DB::Exception: Cannot lock file …` when another process took the folder a
    moment before) straight to the process's stderr before the error reaches Python: that output
    is held back while the engine starts, and shown only if it starts."""
    with _held_stderr() as held:
        wh = Warehouse()
    if held.getvalue():
        sys.stderr.write(held.getvalue())
    return wh


class _Held:
    def __init__(self) -> None:
        self.text = ""

    def getvalue(self) -> str:
        return self.text


@contextlib.contextmanager
def _held_stderr():
    """Send file descriptor 2 to a temporary file for the block; the text is kept on `held`."""
    held = _Held()
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as spool:
        os.dup2(spool.fileno(), 2)
        try:
            yield held
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            spool.seek(0)
            held.text = spool.read().decode("utf-8", errors="replace")


def _progress(number: int, report) -> None:
    print(f"  块 chunk {number + 1}: 读取 read {report.read:,} = 载入 loaded {report.loaded:,} + "
          f"拒收 rejected {report.rejected:,}", file=sys.stderr, flush=True)


def _load(args) -> int:
    from warehouse.ingest import Loader, UnknownSource, resolve

    try:
        category = resolve(args.department, args.category)
    except UnknownSource as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    try:
        wh = _open()
        ensure_current(wh)
        loader = Loader(wh)
        reports = []
        for path in args.files:
            report = loader.load(category, path, on_chunk=_progress)
            reports.append(report)
            print(report.line(), file=sys.stderr if report.status == "refused" else sys.stdout, flush=True)
    except WarehouseError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断：再次运行同一命令会续传 / interrupted: run the same command again to resume", file=sys.stderr)
        return 130
    if len(reports) > 1:
        read, loaded, rejected = (sum(getattr(r, k) for r in reports) for k in ("read", "loaded", "rejected"))
        print(f"合计 / total: {len(reports)} files, read {read:,} = loaded {loaded:,} + rejected {rejected:,}")
    return 2 if any(r.status == "refused" for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
