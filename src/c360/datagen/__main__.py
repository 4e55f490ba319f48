"""Command line: ``python -m c360.datagen --customers 2000 --out data/sample``."""

from __future__ import annotations

import argparse

from . import GeneratorConfig, generate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360.datagen", description=__doc__)
    parser.add_argument("--customers", type=int, default=2000, help="number of real people")
    parser.add_argument("--out", required=True, help="directory to write the raw files into")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", default="2026-09-30", help="last day of generated history")
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--chunk-size", type=int, default=50_000, help="people per chunk")
    parser.add_argument("--no-truth", action="store_true", help="skip the _truth/ sidecar")
    parser.add_argument("--orders-scale", type=float, default=1.0, help="multiply the mean orders per person")
    args = parser.parse_args(argv)
    cfg = GeneratorConfig(
        customers=args.customers,
        seed=args.seed,
        end_date=args.end_date,
        chunk_size=args.chunk_size,
        orders_scale=args.orders_scale,
    )
    manifest = generate(args.out, cfg, fmt=args.format, truth=not args.no_truth)
    print(f"wrote {args.out} in {manifest['seconds']} s")
    for table, rows in manifest["rows"].items():
        print(f"  {table:28s} {rows:>12,}")


if __name__ == "__main__":
    main()
