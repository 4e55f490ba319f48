"""Command line: ``python -m c360_tools.datagen --customers 2000 --out data/sample``."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from . import GeneratorConfig, generate


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date as YYYY-MM-DD, not {text!r}") from None
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360_tools.datagen", description=__doc__)
    parser.add_argument("--customers", type=_positive_int, default=2000, help="number of real people")
    parser.add_argument("--out", required=True, help="directory to write the raw files into")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end-date", type=_iso_date, default="2026-09-30", help="last day of generated history"
    )
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--chunk-size", type=_positive_int, default=50_000, help="people per chunk")
    parser.add_argument("--no-truth", action="store_true", help="skip the _truth/ sidecar")
    parser.add_argument(
        "--orders-scale", type=_positive_float, default=1.0, help="multiply the mean orders per person"
    )
    args = parser.parse_args(argv)
    cfg = GeneratorConfig(
        customers=args.customers,
        seed=args.seed,
        end_date=args.end_date,
        chunk_size=args.chunk_size,
        orders_scale=args.orders_scale,
    )
    try:
        manifest = generate(args.out, cfg, fmt=args.format, truth=not args.no_truth)
    except OSError as error:
        print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"wrote {args.out} in {manifest['seconds']} s")
    for table, rows in manifest["rows"].items():
        print(f"  {table:28s} {rows:>12,}")


if __name__ == "__main__":
    main()
