"""The probabilistic contact matcher (c360.linkage, Splink): the shipped model on a
small labelled fixture (pairs that must match, pairs that must not, relatives at one
address among them), the waterfall sum behind every pair's weight, and training that
is deterministic whatever the order of the contacts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from c360 import linkage

COLUMNS = list(linkage.INPUT_COLUMNS)
# contact_id, first name (nickname-resolved key), last name key, birth date, postcode,
# street, city, email, phone
FIXTURE = [
    # one person: a surname typo
    ("fx-a1", "catherine", "oconnell", "1981-04-17", "SW1A1AA", "12highst", "london", None, None),
    ("fx-a2", "catherine", "oconnel", "1981-04-17", "SW1A1AA", "12highst", "london", None, None),
    # one person: first and last names swapped
    ("fx-b1", "rajesh", "venkataraman", "1975-11-02", "M14AB", "3parkroad", "manchester", None, None),
    ("fx-b2", "venkataraman", "rajesh", "1975-11-02", "M14AB", "3parkrd", "manchester", None, None),
    # one person: moved house, same email
    (
        "fx-c1",
        "malgorzata",
        "wisniewska",
        "1990-02-28",
        "B11AA",
        "77stationroad",
        "birmingham",
        "mwis@example.org",
        None,
    ),
    (
        "fx-c2",
        "malgorzata",
        "wisniewska",
        "1990-02-28",
        "LS16AB",
        "4hydepark",
        "leeds",
        "mwis@example.org",
        None,
    ),
    # one person: day and month of birth swapped, a short first name mistyped
    ("fx-g1", "mia", "kowalczyk", "1968-02-09", "CF101AA", "9queenst", "cardiff", None, "+442920000001"),
    ("fx-g2", "mua", "kowalczyk", "1968-09-02", "CF101AA", "9queenst", "cardiff", None, "+442920000001"),
    # relatives at one address: same surname, street, postcode, city and landline
    ("fx-d1", "theodore", "fairweather", "1952-06-09", "LS27ET", "5millbank", "leeds", None, "+441130000002"),
    ("fx-d2", "penelope", "fairweather", "1984-12-30", "LS27ET", "5millbank", "leeds", None, "+441130000002"),
    # a parent and child of one name at one address, birth dates decades apart
    ("fx-f1", "arthur", "pemberton", "1949-03-03", "YO11AA", "2minster", "york", None, None),
    ("fx-f2", None, "pemberton", "1981-07-21", "YO11AA", "2minster", "york", None, None),
    # twins: one birth date, address and landline, their own first names and emails
    (
        "fx-h1",
        "rosalind",
        "achterberg",
        "1996-05-12",
        "BS14ND",
        "8parkst",
        "bristol",
        "rosalind.a@example.org",
        "+441170000003",
    ),
    (
        "fx-h2",
        "leopold",
        "achterberg",
        "1996-05-12",
        "BS14ND",
        "8parkst",
        "bristol",
        "leo.achterberg@example.net",
        "+441170000003",
    ),
    # father and son of one name at one address, each with his own email
    (
        "fx-i1",
        "bartholomew",
        "quennell",
        "1958-10-01",
        "OX13BG",
        "14holywellst",
        "oxford",
        "bart.quennell@example.org",
        "+441865000004",
    ),
    (
        "fx-i2",
        "bartholomew",
        "quennell",
        "1989-02-17",
        "OX13BG",
        "14holywellst",
        "oxford",
        "bq89@example.net",
        "+441865000004",
    ),
    # same common name and city, nothing else in common
    ("fx-e1", "james", "smith", "1970-01-01", "E11AA", "1aroad", "london", None, None),
    ("fx-e2", "james", "smith", "1993-08-14", "N19GU", "40bstreet", "london", None, None),
]
MUST_MATCH = ["fx-a1|fx-a2", "fx-b1|fx-b2", "fx-c1|fx-c2", "fx-g1|fx-g2"]
MUST_NOT_MATCH = ["fx-d1|fx-d2", "fx-f1|fx-f2", "fx-e1|fx-e2", "fx-h1|fx-h2", "fx-i1|fx-i2"]


@pytest.fixture(scope="module")
def contacts(warehouse) -> pd.DataFrame:
    return warehouse.execute("select * from int_contacts_prepared").df()


@pytest.fixture(scope="module")
def shipped() -> dict:
    return linkage.load_model()


def _with_fixture(contacts: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(FIXTURE, columns=COLUMNS)
    rows["date_of_birth"] = pd.to_datetime(rows["date_of_birth"]).dt.date
    return pd.concat([contacts[COLUMNS], rows], ignore_index=True)


@pytest.fixture(scope="module")
def decided(contacts, shipped) -> pd.DataFrame:
    scored = linkage.score(_with_fixture(contacts), shipped, floor=0.01)
    return linkage.decide(scored, threshold=0.9).set_index("contact_pair_id")


def test_known_pairs_match_and_relatives_do_not(decided):
    matched = set(decided.index[decided["is_probable_match"]])
    assert set(MUST_MATCH) <= matched, decided.loc[decided.index.intersection(MUST_MATCH)].T
    assert not set(MUST_NOT_MATCH) & matched
    # the relatives score high on the shared address and phone: the veto keeps them apart
    relatives = decided.loc["fx-d1|fx-d2"]
    assert relatives["match_probability"] > 0.9
    assert relatives["veto"] == linkage.VETO
    # twins agree on everything but first name and email; father and son on all but
    # birth date and email
    assert decided.loc["fx-h1|fx-h2", "match_probability"] > 0.9
    assert decided.loc["fx-h1|fx-h2", "veto"] == linkage.VETO
    assert decided.loc["fx-i1|fx-i2", "match_probability"] > 0.9
    assert decided.loc["fx-i1|fx-i2", "veto"] == linkage.VETO_BIRTH_DATES_AND_EMAILS


def test_every_pair_carries_each_comparisons_contribution(decided, shipped):
    """A steward can see why a pair scored as it did: its match weight is the prior's
    plus each comparison's contribution (term-frequency adjustments included), as in
    Splink's waterfall chart, and every level has a label."""
    weights = [f"{c}_weight" for c in linkage.COMPARISONS]
    prior = shipped["probability_two_random_records_match"]
    assert (decided["prior_weight"] - math.log2(prior / (1 - prior))).abs().max() < 1e-9
    expected = decided["prior_weight"] + decided[weights].sum(axis=1)
    assert (expected - decided["match_weight"]).abs().max() < 1e-6
    levels = decided[[f"{c}_level" for c in linkage.COMPARISONS]]
    assert levels.notna().all().all()
    assert decided.loc["fx-b1|fx-b2", "names_level"] == "first name and surname swapped"
    assert decided.loc["fx-g1|fx-g2", "birth_date_level"] == "day and month swapped"
    assert decided.loc["fx-a1|fx-a2", "birth_date_level"] == linkage.BIRTH_DATE_EXACT


def test_tiny_input_gives_an_empty_typed_frame(shipped):
    one = pd.DataFrame([FIXTURE[0]], columns=COLUMNS)
    out = linkage.decide(linkage.score(one, shipped, floor=0.5), threshold=0.9)
    assert out.empty
    assert list(out.columns[: len(linkage.SCORED_COLUMNS)]) == linkage.SCORED_COLUMNS
    assert out["match_probability"].dtype == "float64"


def test_training_twice_gives_the_same_parameters(contacts):
    model = linkage.train(contacts)
    shuffled = contacts.sample(frac=1.0, random_state=5)
    assert linkage.train(shuffled) == model
