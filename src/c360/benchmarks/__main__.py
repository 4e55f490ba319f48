"""Command line: ``python -m c360.benchmarks quality --db c360.duckdb --truth data/sample/_truth``.

Prints the quality figures of a built warehouse against the generator's ground
truth and writes them as JSON (``--out``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from . import behaviour, identity, segments


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360.benchmarks", description=__doc__)
    parser.add_argument("command", choices=["quality"])
    parser.add_argument("--db", default="c360.duckdb", help="built DuckDB warehouse")
    parser.add_argument("--truth", default="data/sample/_truth", help="the generator's _truth directory")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args(argv)
    con = duckdb.connect(args.db, read_only=True)
    report = {
        "warehouse": args.db,
        "truth": args.truth,
        "identity": identity.evaluate(con, Path(args.truth)),
        "behaviour": behaviour.evaluate(con, Path(args.truth)),
        "segments": segments.evaluate(con, Path(args.truth)),
    }
    print("identity resolution (pairwise over identifiers with a known true person)")
    print(f"  {'records':>32} {'precision':>9} {'recall':>7} {'f1':>7} {'split':>6} {'merged':>6}")
    for name, m in report["identity"].items():
        print(
            f"  {name:>18} {m['records']:>13,} {m['precision']:>9.4f} {m['recall']:>7.4f} {m['f1']:>7.4f}"
            f" {m['persons_split']:>6,} {m['customers_wrongly_merged']:>6,}"
        )
    print("sessionisation and order attribution")
    for key, value in report["behaviour"].items():
        print(f"  {key:>34} {value}")
    print("segmentation")
    for key, value in report["segments"].items():
        print(f"  {key:>34} {value}")
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
