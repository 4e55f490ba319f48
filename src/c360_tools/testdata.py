"""Assemble the test raw-data directory: a raw directory (the bundled sample) with
the hand-written garbage rows of ``tests/data/garbage`` appended to each table:
``<table>.csv`` rows (matched by column name), then ``<table>.malformed`` lines
verbatim (lines no CSV reader can make a row of); ``<table>.<part>.csv`` files are
copied byte for byte as extra raw files (a byte-order mark, CRLF line endings).

``python -m c360_tools.testdata --raw data/sample --garbage tests/data/garbage --out DIR``
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

from .datagen import RAW_COLUMNS


def assemble(raw_dir: str | Path, garbage_dir: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Copy every raw CSV of ``raw_dir`` to ``out_dir``, append the garbage rows and
    malformed lines of the same table and copy its garbage part files. Returns the
    garbage records per table (rows, malformed lines and part-file records)."""
    raw, garbage, out = Path(raw_dir), Path(garbage_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    appended = {}
    for table in RAW_COLUMNS:
        target = out / f"{table}.csv"
        shutil.copyfile(raw / f"{table}.csv", target)
        appended[table] = 0
        for part in sorted(garbage.glob(f"{table}.*.csv")):
            shutil.copyfile(part, out / part.name)
            with open(part, newline="", encoding="utf-8-sig") as fh:
                appended[table] += sum(1 for _ in csv.reader(fh)) - 1
        extra = garbage / f"{table}.csv"
        malformed = garbage / f"{table}.malformed"
        if not extra.exists():
            continue
        with open(target, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        with open(extra, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        with open(target, "a", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            for row in rows:
                writer.writerow([row.get(column, "") for column in header])
        appended[table] += len(rows)
        if malformed.exists():
            lines = malformed.read_bytes()
            with open(target, "ab") as fh:
                fh.write(lines)
            appended[table] += lines.count(b"\n")
    return appended


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360_tools.testdata", description=__doc__)
    parser.add_argument("--raw", required=True)
    parser.add_argument("--garbage", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    for flag, folder in (("--raw", args.raw), ("--garbage", args.garbage)):
        if not Path(folder).is_dir():
            raise SystemExit(f"error: {flag} {folder} is not a directory")
    try:
        counts = assemble(args.raw, args.garbage, args.out)
    except OSError as error:
        raise SystemExit(f"error: {error.strerror or error}: {error.filename}") from None
    print(f"assembled {args.out}: " + ", ".join(f"{t} +{n}" for t, n in counts.items()))


if __name__ == "__main__":
    main()
