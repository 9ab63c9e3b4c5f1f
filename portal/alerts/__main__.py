"""The scheduled alert check: `python -m portal.alerts check [--as-of YYYY-MM-DD[THH:MM]]`.

Evaluates every rule at the as-of moment (default: now, or 24:00 of the last day with data if
that is earlier) and brings the alert store in line; running it twice for the same moment
creates nothing new. Prints one line per new or escalated alert and a summary on stderr.

Exit codes: 0 every rule ran; 1 some rule failed (named on stderr; the others still ran) or the
warehouse could not be read; 2 bad input (an unknown command, an as-of that cannot be read).
"""

from __future__ import annotations

import argparse
import sys

from portal.alerts import center
from portal.alerts.rules import When
from portal.errors import EpiError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m portal.alerts", description="预警中心：按规则检查并更新预警")
    sub = ap.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="按全部规则检查一次（可重复运行，不会重复生成预警）")
    chk.add_argument("--as-of", default="", help="检查时刻：YYYY-MM-DD（当日24时）或 YYYY-MM-DDTHH:MM，北京时间；"
                                                 "默认为现在（不晚于数据最后一天24时）")
    args = ap.parse_args(argv)
    when = None
    if args.as_of:
        try:
            when = When.parse(args.as_of)
        except ValueError:
            print(f"error: 检查时刻“{args.as_of}”无法识别：请写成 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，"
                  "例如 2022-03-01 或 2022-03-01T14:00。", file=sys.stderr)
            return 2
    from portal.settings import load_portal_settings
    from queries import registry, schema

    try:
        schema.ensure_current()
        span = registry.run("meta/data_range", "").iloc[0]
        if when is None:
            when = center.default_when(span["last_day"])
        report = center.check(lambda name, **p: registry.run(name, "", **p), load_portal_settings(), when,
                              data_version=str(span["data_version"] or ""))
    except EpiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in report.new + report.escalated:
        print(line)
    print(f"{when.label}：新增 {len(report.new)}，升级 {len(report.escalated)}，更新 {report.updated}，"
          f"解除 {report.cleared}，规则失败 {len(report.failed)}", file=sys.stderr)
    for rule_id, error in report.failed.items():
        print(f"error: 规则 {rule_id} 未能执行：{error}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
