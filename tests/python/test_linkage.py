"""The probabilistic contact matcher (c360.linkage, Splink), trained without labels
on the test warehouse's contacts: every scored pair explains its weight, and training
is deterministic whatever the order of the contacts."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from c360 import linkage

logging.getLogger("splink").setLevel(logging.ERROR)

COLUMNS = list(linkage.INPUT_COLUMNS)
# contact_id, first name (nickname-resolved key), last name key, birth date, postcode,
# street, city, email, phone
FIXTURE = [
    ("fx-a1", "catherine", "oconnell", "1981-04-17", "SW1A1AA", "12highstreet", "london", None, None),
    ("fx-a2", "catherine", "oconnel", "1981-04-17", "SW1A1AA", "12highstreet", "london", None, None),
    ("fx-b1", "rajesh", "venkataraman", "1975-11-02", "M14AB", "3parkroad", "manchester", None, None),
    ("fx-b2", "venkataraman", "rajesh", "1975-11-02", "M14AB", "3parkrd", "manchester", None, None),
    ("fx-c1", "malgorzata", "wisniewska", "1990-02-28", "B11AA", "77stationroad", "birmingham", None, None),
    ("fx-c2", "malgorzata", "wisniewska", "1990-02-28", None, None, None, None, None),
    # relatives at one address: same surname, street, postcode and city
    ("fx-d1", "theodore", "fairweather", "1952-06-09", "LS27ET", "5millbank", "leeds", None, None),
    ("fx-d2", "penelope", "fairweather", "1984-12-30", "LS27ET", "5millbank", "leeds", None, None),
    # same common name and city, nothing else in common
    ("fx-e1", "james", "smith", "1970-01-01", "E11AA", "1aroad", "london", None, None),
    ("fx-e2", "james", "smith", "1993-08-14", "N19GU", "40bstreet", "london", None, None),
]


@pytest.fixture(scope="module")
def contacts(warehouse) -> pd.DataFrame:
    return warehouse.execute("select * from int_contacts_prepared").df()


@pytest.fixture(scope="module")
def model(contacts) -> dict:
    return linkage.train(contacts)


def _fixture_frame(contacts: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(FIXTURE, columns=COLUMNS)
    rows["date_of_birth"] = pd.to_datetime(rows["date_of_birth"]).dt.date
    return pd.concat([contacts[COLUMNS], rows], ignore_index=True)


def test_every_pair_carries_each_comparisons_contribution(contacts, model):
    """A steward can see why a pair scored as it did: its match weight is the prior's
    plus each comparison's contribution (and term-frequency adjustments), as in
    Splink's waterfall chart."""
    import math

    pairs = linkage.predict(_fixture_frame(contacts), model, threshold=0.5)
    assert len(pairs) > 0
    parts = [f"mw_{c}" for c in linkage.COMPARISONS]
    assert set(parts) <= set(pairs.columns)
    adjustments = [c for c in pairs.columns if c.startswith("mw_tf_adj_")]
    prior = model["probability_two_random_records_match"]
    expected = math.log2(prior / (1 - prior)) + pairs[parts + adjustments].sum(axis=1)
    assert (expected - pairs["match_weight"]).abs().max() < 1e-6


def test_training_twice_gives_the_same_parameters(contacts, model):
    shuffled = contacts.sample(frac=1.0, random_state=5)
    assert linkage.train(shuffled) == model
