"""Probabilistic record linkage of CRM contacts with Splink (Fellegi-Sunter, on
DuckDB): one configuration, trained without labels, that scores every candidate pair
with a match weight, a probability and each comparison's contribution.

The Fellegi-Sunter model, its EM training and term-frequency adjustments are
Splink's; this module only says what to compare and how to train, and turns the
project's prepared contacts (int_contacts_prepared's columns) into Splink's input.

- ``train(contacts)`` -> the trained model as a dict (Splink's JSON): u by random
  sampling (fixed seed), the prior from a deterministic rule, m by EM over three
  blocking rules (names, birth date, street; EM on postcode after another session
  drove an m to exactly 0, which Splink 5.0.0 then refuses, on the generated sample).
  Deterministic (one DuckDB thread): the same contacts in any order give the same
  parameters.
- ``predict(contacts, model, threshold)`` -> one row per candidate pair scoring at or
  above ``threshold`` (match probability), with ``mw_<comparison>`` contributions.

``python -m c360.linkage train --db WAREHOUSE --out MODEL.json`` trains on a built
warehouse's int_contacts_prepared and prints the parameters.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

SEED = 42
MAX_U_PAIRS = 1_000_000
# int_contacts_prepared column -> Splink input column
INPUT_COLUMNS = {
    "contact_id": "unique_id",
    "first_name_canonical": "first_name",
    "last_name_key": "surname",
    "date_of_birth": "dob",
    "postcode_key": "postcode",
    "street_key": "street",
    "city_key": "city",
    "match_email": "email",
    "match_phone": "phone",
}
COMPARISONS = ["first_name_surname", "dob", "postcode", "street", "city", "email", "phone"]


def settings() -> SettingsCreator:
    """The one configuration used for every dataset (no per-dataset tuning)."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            # exact, swapped first and last names, then Jaro-Winkler levels; term
            # frequencies so that a shared common name counts for less
            cl.ForenameSurnameComparison("first_name", "surname").configure(term_frequency_adjustments=True),
            # exact, one typo (Damerau-Levenshtein 1), then within a month / year / ten years
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.LevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("street", [1, 3]),
            cl.JaroWinklerAtThresholds("city", [0.9]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("email").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("street"),
            block_on("surname", "city"),
            block_on("email"),
            block_on("phone"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def splink_input(contacts: pd.DataFrame) -> pa.Table:
    """int_contacts_prepared's columns as Splink's input, sorted by id, every column
    typed as text (an all-null column must not arrive as integers)."""
    frame = contacts[list(INPUT_COLUMNS)].rename(columns=INPUT_COLUMNS)
    frame = frame.sort_values("unique_id", kind="mergesort").reset_index(drop=True)
    return pa.table(
        {
            name: pa.array(frame[name].astype("str").where(frame[name].notna()), pa.string())
            for name in frame.columns
        }
    )


def _linker(contacts: pd.DataFrame, model: dict | SettingsCreator, single_thread: bool = False) -> Linker:
    con = duckdb.connect()
    if single_thread:
        # training: DuckDB's sampling and float sums give the same result every run
        con.execute("set threads = 1")
    db_api = DuckDBAPI(con)
    return Linker(db_api.register(splink_input(contacts)), model)


def train(contacts: pd.DataFrame) -> dict:
    linker = _linker(contacts, settings(), single_thread=True)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=MAX_U_PAIRS, seed=SEED)
    for rule in (block_on("first_name", "surname"), block_on("dob"), block_on("street")):
        training.estimate_parameters_using_expectation_maximisation(rule, fix_u_probabilities=True)
    model = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)  # a random name for the linker's tables, not a parameter
    return model


def predict(contacts: pd.DataFrame, model: dict, threshold: float) -> pd.DataFrame:
    """Pairs scoring at least ``threshold`` (match probability), lower id first."""
    if len(contacts) < 2:
        return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_weight", "match_probability"])
    linker = _linker(contacts, model)
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return pairs.sort_values(["unique_id_l", "unique_id_r"], kind="mergesort").reset_index(drop=True)


def describe(model: dict) -> list[str]:
    """One line per comparison level: its label and m, u and match weight."""
    import math

    lines = [
        f"prior: probability two random contacts match = {model['probability_two_random_records_match']:.3g}"
    ]
    for comparison in model["comparisons"]:
        lines.append(comparison["output_column_name"])
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else float("nan")
            lines.append(
                f"  {level['label_for_charts']:<48} m={m or 0:.4f} u={u or 0:.6f} weight={weight:+.2f}"
            )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360.linkage", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["train"])
    parser.add_argument("--db", required=True, help="built warehouse holding int_contacts_prepared")
    parser.add_argument("--out", required=True, help="where to write the trained model (JSON)")
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        sys.exit(f"error: no warehouse at {args.db}")
    con = duckdb.connect(args.db, read_only=True)
    try:
        contacts = con.sql("select * from int_contacts_prepared").df()
    except duckdb.Error:
        sys.exit(f"error: {args.db} has no int_contacts_prepared (build the project first)")
    if len(contacts) < 2:
        sys.exit("error: fewer than two contacts to train on")
    model = train(contacts)
    Path(args.out).write_text(json.dumps(model, indent=2, sort_keys=True) + "\n")
    print("\n".join(describe(model)))
    print(f"trained on {len(contacts):,} contacts; model written to {args.out}")


if __name__ == "__main__":
    main()
