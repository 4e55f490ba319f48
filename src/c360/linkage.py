"""Probabilistic record linkage of CRM contacts with Splink (Fellegi-Sunter, on
DuckDB): one configuration, trained without labels, that scores every candidate pair
with a match weight, a probability and each comparison's contribution.

The Fellegi-Sunter model, its EM training and term-frequency adjustments are
Splink's; this module only says what to compare and how to train, turns the
project's prepared contacts (int_contacts_prepared's columns) into Splink's input and
Splink's output into the project's evidence columns, and applies one rule of its own
(``decide``).

- ``train(contacts)`` -> the trained model as a dict (Splink's JSON): u by random
  sampling (fixed seed), the prior from a deterministic rule, m by EM on two blocking
  rules (same names; same birth date). Not on address: relatives sharing an address
  would teach EM that a shared address with different first names is what a
  duplicate looks like. Deterministic (one DuckDB thread): the same contacts in any
  order give the same parameters.
- ``score(contacts, model, floor)`` -> every candidate pair at or above ``floor``
  (match probability), with each comparison's level and weight.
- ``decide(scored, threshold)`` -> is_probable_match and the veto (if any).

``python -m c360.linkage train --db WAREHOUSE --out MODEL.json [--charts DIR]`` trains
on a built warehouse's int_contacts_prepared, prints every level's parameters and
writes Splink's parameter charts; point the var ``identity_linkage_model`` at the file
to build with it. The model shipped with the package (``MODEL_PATH``) was trained on
the bundled sample.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import math
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
import splink.internals.expectation_maximisation as splink_em
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_level import M_U_CLAMP_MIN

from c360.memory import duckdb_memory_limit

SEED = 42
MAX_U_PAIRS = 1_000_000
M_FLOOR = 1e-3  # the least m a trained level keeps (see _floor_m)
MODEL_PATH = Path(__file__).with_name("contact_linkage_model.json")
# int_contacts_prepared column -> Splink input column (full_name is derived)
INPUT_COLUMNS = {
    "contact_id": "unique_id",
    "first_name_canonical": "first_name",
    "last_name_key": "surname",
    "date_of_birth": "birth_date",
    "postcode_key": "postcode",
    "street_key": "street",
    "city_key": "city",
    "match_email": "email",
    "match_phone": "phone",
}
COMPARISONS = ["names", "birth_date", "postcode", "street", "city", "email", "phone"]
TF_COLUMNS = {"names": "full_name"}  # comparisons whose term frequencies are another column's

NAMES_FIRST_NAMES_DIFFER = "surname alike, first names differ"
NAMES_NOTHING_ALIKE = "names differ"
NAMES_INITIAL_ONLY = "surname alike, first initial agrees"
NAMES_FIRST_NAME_MISSING = "surname alike, a first name missing"
# names levels where the first names contradict one person, or cannot confirm it
FIRST_NAMES_DIFFER = [NAMES_FIRST_NAMES_DIFFER, NAMES_NOTHING_ALIKE]
FIRST_NAMES_UNKNOWN = [NAMES_INITIAL_ONLY, NAMES_FIRST_NAME_MISSING]
BIRTH_DATE_EXACT = "exact birth date"
# birth_date levels further apart than a typo or a swapped day and month
BIRTH_DATES_CONFLICT = ["within 1 year", "within 10 years", "birth dates differ"]
EMAILS_DIFFER = "All other comparisons"  # email level: both present, not equal
# vetoes (c360.linkage.decide), in the order they are checked
VETO = "first_names_not_alike"
VETO_BIRTH_DATES_AND_EMAILS = "birth_dates_and_emails_differ"
VETOES = [VETO, VETO_BIRTH_DATES_AND_EMAILS]


def _names() -> cl.CustomComparison:
    """First name and surname together: exact (term frequencies of the full name, so a
    shared common name counts for less), swapped (exactly or alike), alike (Jaro-Winkler
    or, for short names where Jaro-Winkler is harsh, one edit), a first initial, and
    what is left when one part is missing or differs."""

    def alike(left: str, right: str | None = None) -> str:
        """``left`` on the left record alike ``right`` (default: the same column) on the right."""
        a, b = f"{left}_l", f"{right or left}_r"
        return f"(jaro_winkler_similarity({a}, {b}) >= 0.88 or {within_edits(a, b, 1)})"

    def within_edits(a: str, b: str, n: int) -> str:
        """Damerau-Levenshtein distance at most ``n``, the lengths compared first: the
        same result, and most unlike names never reach the quadratic distance (the
        matcher 15% faster at 1,000,000 contacts)."""
        return f"(abs(length({a}) - length({b})) <= {n} and damerau_levenshtein({a}, {b}) <= {n})"

    f, s = "first_name", "surname"
    initial = f"((length({f}_l) = 1 or length({f}_r) = 1) and left({f}_l, 1) = left({f}_r, 1))"
    return cl.CustomComparison(
        output_column_name="names",
        comparison_levels=[
            cll.And(cll.NullLevel(f), cll.NullLevel(s)),
            cll.ExactMatchLevel("full_name")
            .configure(tf_adjustment_column="full_name")
            .configure(label_for_charts="exact first name and surname"),
            cll.ColumnsReversedLevel(f, s, symmetrical=True).configure(
                label_for_charts="first name and surname swapped"
            ),
            cll.And(cll.JaroWinklerLevel(f, 0.92), cll.JaroWinklerLevel(s, 0.92)).configure(
                label_for_charts="both Jaro-Winkler >= 0.92"
            ),
            cll.CustomLevel(f"{alike(f)} and {alike(s)}", "both alike"),
            cll.CustomLevel(f"{alike(f, s)} and {alike(s, f)}", "swapped and alike"),
            cll.CustomLevel(
                f"jaro_winkler_similarity({f}_l, {f}_r) >= 0.8 and {within_edits(f'{f}_l', f'{f}_r', 2)}"
                f" and jaro_winkler_similarity({s}_l, {s}_r) >= 0.8",
                "both Jaro-Winkler >= 0.8, first names within two edits",
            ),
            cll.CustomLevel(f"{initial} and {alike(s)}", NAMES_INITIAL_ONLY),
            cll.CustomLevel(
                f"({f}_l is null or {f}_r is null) and {alike(s)}", "surname alike, a first name missing"
            ),
            cll.CustomLevel(
                f"({s}_l is null or {s}_r is null) and {alike(f)}", "first name alike, a surname missing"
            ),
            cll.CustomLevel(alike(s), NAMES_FIRST_NAMES_DIFFER),
            cll.CustomLevel(alike(f), "first name alike, surnames differ"),
            cll.ElseLevel().configure(label_for_charts=NAMES_NOTHING_ALIKE),
        ],
    )


def _birth_date() -> cl.CustomComparison:
    """Birth dates (ISO text): exact, day and month swapped, one typo
    (Damerau-Levenshtein 1, so two adjacent digits swapped count), then within a month /
    a year / ten years."""
    b = "birth_date"
    swapped = (
        f"substr({b}_l, 1, 4) = substr({b}_r, 1, 4) and substr({b}_l, 6, 2) = substr({b}_r, 9, 2)"
        f" and substr({b}_l, 9, 2) = substr({b}_r, 6, 2)"
    )
    within = [
        cll.AbsoluteDateDifferenceLevel(b, threshold=n, metric=unit, input_is_string=True).configure(
            label_for_charts=f"within {n} {unit}{'s' if n > 1 else ''}"
        )
        for n, unit in ((1, "month"), (1, "year"), (10, "year"))
    ]
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel(b),
            cll.ExactMatchLevel(b).configure(label_for_charts=BIRTH_DATE_EXACT),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.DamerauLevenshteinLevel(b, 1).configure(label_for_charts="one typo"),
            *within,
            cll.ElseLevel().configure(label_for_charts="birth dates differ"),
        ],
    )


def settings() -> SettingsCreator:
    """The one configuration used for every dataset (no per-dataset tuning)."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            _names(),
            _birth_date(),
            cl.LevenshteinAtThresholds("postcode", [1]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("street", [1, 3]),
            cl.JaroWinklerAtThresholds("city", [0.9]).configure(term_frequency_adjustments=True),
            cl.ExactMatch("email").configure(term_frequency_adjustments=True),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
        ],
        # Candidate pairs. A birth date alone would pair every contact with the ~40
        # others born that day per million contacts (20 million pairs); with a first or
        # last initial, a postcode or a city beside it, it keeps what it finds on FEBRL
        # (records whose names are both corrupted) at a fraction of the pairs.
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname", "city"),
            block_on("first_name", "surname", "substr(birth_date, 1, 4)"),
            block_on("first_name", "surname", "substr(postcode, 1, 2)"),
            block_on("birth_date", "substr(first_name, 1, 1)"),
            block_on("birth_date", "substr(surname, 1, 1)"),
            block_on("birth_date", "postcode"),
            block_on("birth_date", "city"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("street", "city"),
            block_on("street", "substr(postcode, 1, 2)"),
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
    text = {name: frame[name].astype("str").where(frame[name].notna(), None) for name in frame.columns}
    text["full_name"] = (text["first_name"] + " " + text["surname"]).where(
        text["first_name"].notna() & text["surname"].notna(), None
    )
    return pa.table({name: pa.array(values, pa.string()) for name, values in text.items()})


def _connection() -> duckdb.DuckDBPyConnection:
    """Splink's own in-memory DuckDB. Under a memory budget (C360_MEMORY_LIMIT) it takes
    the warehouse's cap (c360.memory): it runs in the dbt process, beside the
    warehouse's buffers, and would otherwise grow towards DuckDB's default of 80% of
    the machine's memory."""
    con = duckdb.connect()
    limit = duckdb_memory_limit()
    if limit:
        con.execute(f"set memory_limit = '{limit}'")
    return con


def _linker(contacts: pd.DataFrame, model: dict | SettingsCreator, single_thread: bool = False) -> Linker:
    logging.getLogger("splink").setLevel(logging.ERROR)
    con = _connection()
    if single_thread:
        # training: DuckDB's sampling and float sums give the same result every run
        con.execute("set threads = 1")
    db_api = DuckDBAPI(con)
    return Linker(db_api.register(splink_input(contacts)), model)


@contextlib.contextmanager
def _em_zero_floor():
    """Splink 5.0.0 clamps an m or u of exactly 0 to 1e-300 when it computes weights,
    but its EM maximisation step raises on an exact 0 that EM itself produced (a level
    seen in the training block only among non-matches, e.g. streets one letter apart
    when duplicates' streets are equal or far apart). Within training, give EM's
    zeros that same floor (Splink's M_U_CLAMP_MIN) instead of failing; restored after."""
    original = splink_em.populate_m_u_from_lookup

    def floored(fixed, level, name, lookup):
        for record in lookup.get(name, {}).values():
            for key in ("m_probability", "u_probability"):
                if record.get(key) == 0.0:
                    record[key] = M_U_CLAMP_MIN
        original(fixed, level, name, lookup)

    splink_em.populate_m_u_from_lookup = floored
    try:
        yield
    finally:
        splink_em.populate_m_u_from_lookup = original


def train(contacts: pd.DataFrame) -> dict:
    with _em_zero_floor():
        return _train(contacts)


def _train(contacts: pd.DataFrame) -> dict:
    linker = _linker(contacts, settings(), single_thread=True)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "birth_date")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=MAX_U_PAIRS, seed=SEED)
    for rule in (block_on("first_name", "surname"), block_on("birth_date")):
        training.estimate_parameters_using_expectation_maximisation(rule, fix_u_probabilities=True)
    model = linker.misc.save_model_to_json()
    model.pop("linker_uid", None)  # a random name for the linker's tables, not a parameter
    return _floor_u(_floor_m(model))


def _floor_m(model: dict) -> dict:
    """Give every trained m at least ``M_FLOOR`` (and renormalise each comparison's m to
    sum to 1). EM over a few thousand duplicates cannot tell a share below one in a
    thousand from zero, yet an m of zero (or 1e-300) turns its level into a veto worth
    hundreds of bits: one birth date off by a few months would outweigh every other
    agreement. Splink has no prior on m, so the floor is applied here."""
    for comparison in model["comparisons"]:
        levels = [
            lv
            for lv in comparison["comparison_levels"]
            if not lv.get("is_null_level") and isinstance(lv.get("m_probability"), float | int)
        ]
        if not levels:
            continue
        floored = [max(float(lv["m_probability"]), M_FLOOR) for lv in levels]
        total = sum(floored)
        for level, m in zip(levels, floored, strict=True):
            level["m_probability"] = m / total
    return model


def _floor_u(model: dict) -> dict:
    """Give a level that random sampling never reached (no u, or 0) the u of one pair
    in ``MAX_U_PAIRS``: the sampling cannot tell anything rarer. Splink would otherwise
    predict with a default u for that level and warn that it is untrained."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if not level.get("u_probability"):
                level["u_probability"] = 1.0 / MAX_U_PAIRS
    return model


def load_model(path: str | Path | None = None) -> dict:
    """The trained model at ``path``, or the one shipped with the package."""
    path = Path(path) if path else MODEL_PATH
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot read the linkage model {path}: {error}") from error


SCORED_COLUMNS = [
    "contact_pair_id",
    "contact_id_a",
    "contact_id_b",
    "match_weight",
    "match_probability",
    "prior_weight",
] + [f"{c}_{part}" for c in COMPARISONS for part in ("level", "weight")]
# text columns are pandas strings, so that an empty or all-null one is still text in DuckDB
TEXT_COLUMNS = ["contact_pair_id", "contact_id_a", "contact_id_b"] + [f"{c}_level" for c in COMPARISONS]
SCORED_DTYPES = {c: "string" if c in TEXT_COLUMNS else "float64" for c in SCORED_COLUMNS}
# decide's columns and their types: a stored table read back (c360.reuse) is typed as these
DECIDED_COLUMNS = SCORED_DTYPES | {"veto": "string", "is_probable_match": "bool"}
# the libraries whose versions can change the scores, beside c360.reuse's
LIBRARIES = ("splink", "pyarrow")


def _empty_scored() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=dtype) for c, dtype in SCORED_DTYPES.items()})


def _level_labels(model: dict) -> dict[str, dict[int, str]]:
    """Per comparison, Splink's comparison vector value (gamma) -> level label: the
    null level is -1, the others count down from the first to 0 for the last."""
    labels = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        labels[comparison["output_column_name"]] = {
            len(levels) - 1 - i: lv["label_for_charts"] for i, lv in enumerate(levels)
        } | {-1: "missing"}
    return labels


def score(contacts: pd.DataFrame, model: dict, floor: float) -> pd.DataFrame:
    """Candidate pairs scoring at least ``floor`` (match probability), lower id first,
    with each comparison's level and weight (its term-frequency adjustment included):
    ``match_weight = prior_weight + sum of <comparison>_weight``."""
    if len(contacts) < 2:
        return _empty_scored()
    linker = _linker(contacts, model)
    pairs = linker.inference.predict(threshold_match_probability=floor).as_pandas_dataframe()
    if pairs.empty:
        return _empty_scored()
    prior = model["probability_two_random_records_match"]
    out = pd.DataFrame(
        {
            "contact_pair_id": pairs["unique_id_l"].astype(str) + "|" + pairs["unique_id_r"].astype(str),
            "contact_id_a": pairs["unique_id_l"].astype(str),
            "contact_id_b": pairs["unique_id_r"].astype(str),
            "match_weight": pairs["match_weight"].astype("float64"),
            "match_probability": pairs["match_probability"].astype("float64"),
            "prior_weight": math.log2(prior / (1 - prior)),
        }
    )
    labels = _level_labels(model)
    for c in COMPARISONS:
        out[f"{c}_level"] = pairs[f"gamma_{c}"].map(labels[c])
        # a comparison's term-frequency adjustment, named after it or its TF column
        tf = [f"mw_tf_adj_{name}" for name in dict.fromkeys([c, TF_COLUMNS.get(c, c)])]
        out[f"{c}_weight"] = pairs[f"mw_{c}"].astype("float64") + sum(
            (pairs[col].fillna(0.0).astype("float64") for col in tf if col in pairs.columns),
            np.float64(0.0),
        )
    out = out.astype({c: "string" for c in TEXT_COLUMNS})
    return out.sort_values(["contact_id_a", "contact_id_b"], kind="mergesort").reset_index(drop=True)


def decide(scored: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Adds ``is_probable_match`` (probability at least ``threshold`` and no veto) and
    ``veto``, the first that applies of:

    - ``first_names_not_alike``: the first names differ and either the birth dates are
      not exactly equal or both emails are given and differ; or one first name is
      missing or only an initial and the birth dates conflict (further apart than a
      typo);
    - ``birth_dates_and_emails_differ``: the birth dates conflict and both emails are
      given and differ.

    A Fellegi-Sunter model adds the evidence of a shared surname, street, postcode, city
    and phone as if independent; for relatives at one address (twins too) it is one
    fact, a household, and outweighs everything personal. A veto needs the personal
    fields to contradict each other twice (a different first name or birth date, and a
    different email or birth date), so one mistyped field never splits a person. Its
    cost is measured in the README (FEBRL's corruption replaces whole first names)."""
    names, birth_dates = scored["names_level"], scored["birth_date_level"]
    emails_differ = scored["email_level"] == EMAILS_DIFFER
    birth_dates_conflict = birth_dates.isin(BIRTH_DATES_CONFLICT)
    first_names = (names.isin(FIRST_NAMES_DIFFER) & ((birth_dates != BIRTH_DATE_EXACT) | emails_differ)) | (
        names.isin(FIRST_NAMES_UNKNOWN) & birth_dates_conflict
    )
    birth_dates_and_emails = birth_dates_conflict & emails_differ
    veto = np.select([first_names, birth_dates_and_emails], VETOES, default=None)
    out = scored.copy()
    out["veto"] = pd.Series(veto, index=out.index, dtype="string")
    out["is_probable_match"] = (out["match_probability"] >= threshold) & out["veto"].isna()
    return out


def describe(model: dict) -> list[str]:
    """One line per comparison level: its label and m, u and match weight."""
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
                f"  {level['label_for_charts'][:48]:<48} m={m or 0:.4f} u={u or 0:.6f} weight={weight:+.2f}"
            )
    return lines


def write_charts(contacts: pd.DataFrame, model: dict, directory: Path) -> list[Path]:
    """Splink's own charts of a trained model (match weights; m and u per level) as
    HTML files (Altair/Vega-Lite)."""
    directory.mkdir(parents=True, exist_ok=True)
    linker = _linker(contacts, model)
    written = []
    for name, chart in (
        ("match_weights", linker.visualisations.match_weights_chart()),
        ("m_u_parameters", linker.visualisations.m_u_parameters_chart()),
    ):
        path = directory / f"{name}.html"
        chart.save(str(path))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360.linkage", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["train"])
    parser.add_argument("--db", required=True, help="built warehouse holding int_contacts_prepared")
    parser.add_argument("--out", required=True, help="where to write the trained model (JSON)")
    parser.add_argument("--charts", help="directory for Splink's parameter charts (HTML)")
    args = parser.parse_args(argv)
    if not Path(args.db).is_file():
        sys.exit(f"error: no warehouse at {args.db}")
    try:
        con = duckdb.connect(args.db, read_only=True)
        contacts = con.sql("select * from int_contacts_prepared").df()
    except duckdb.Error as error:
        sys.exit(
            f"error: cannot read int_contacts_prepared from {args.db} (build the project first): "
            f"{str(error).splitlines()[0]}"
        )
    if len(contacts) < 2:
        sys.exit("error: fewer than two contacts to train on")
    model = train(contacts)
    Path(args.out).write_text(json.dumps(model, indent=2, sort_keys=True) + "\n")
    print("\n".join(describe(model)))
    print(f"trained on {len(contacts):,} contacts; model written to {args.out}")
    if args.charts:
        for path in write_charts(contacts, model, Path(args.charts)):
            print(f"chart: {path}")


if __name__ == "__main__":
    main()
