"""Command line: `python -m warehouse migrate [--cluster NAME --print]` and `status`."""

from __future__ import annotations

import argparse
import sys

from warehouse.client import Warehouse
from warehouse.errors import WarehouseError
from warehouse.migrate import applied_versions, latest_version, migrate, render_cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Theme warehouse tools")
    sub = parser.add_subparsers(dest="command", required=True)
    mig = sub.add_parser("migrate", help="create or update the theme database schema")
    mig.add_argument("--cluster", help="render for this ClickHouse cluster name")
    mig.add_argument("--print", action="store_true", help="print the DDL instead of applying it")
    sub.add_parser("status", help="schema version and row counts")
    args = parser.parse_args(argv)

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
        wh = Warehouse()
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


if __name__ == "__main__":
    sys.exit(main())
