"""`python -m seed --scale tiny|demo|city|full [--seed N] [--rebuild]`: a synthetic Chengdu."""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from seed.runner import run
from seed.scales import SCALES
from warehouse import Warehouse, WarehouseError
from warehouse.migrate import migrate


def _seed_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"种子须为非负整数 / --seed must be a whole number ≥ 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"种子须为非负整数 / --seed must be ≥ 0, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seed", description="Generate the synthetic city")
    parser.add_argument("--scale", required=True, choices=list(SCALES),
                        help="tiny (tests), demo (default run), city, full (≈1.5 billion rows)")
    parser.add_argument("--seed", type=_seed_number, default=20220220, help="random seed (default 20220220)")
    parser.add_argument("--rebuild", action="store_true", help="replace data that is already there")
    parser.add_argument("--if-empty", action="store_true", help="do nothing when a seed is already complete")
    args = parser.parse_args(argv)
    try:
        wh = Warehouse()
        migrate(wh, log=lambda _m: None)
        if args.if_empty:
            done = wh.scalar("SELECT countIf(key = 'status' AND value = 'complete') FROM epi.dataset_info FINAL")
            if done:
                print("仓库已有数据，跳过生成 / warehouse already seeded, nothing to do")
                return 0
        counts = run(wh, SCALES[args.scale], args.seed, rebuild=args.rebuild,
                     progress=lambda total: tqdm(total=total, unit="步", file=sys.stderr))
    except WarehouseError as exc:
        print(f"错误 / error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断：下次运行会清空并重新生成 / interrupted: the next run starts over", file=sys.stderr)
        return 130
    total = sum(counts.values())
    print(f"{args.scale} seed {args.seed}: {total:,} rows")
    for table, n in counts.items():
        print(f"  {table:<28} {n:>15,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
