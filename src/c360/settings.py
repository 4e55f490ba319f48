"""Checking a block of model settings (a dbt var the Python models receive as config)
against its specification: every key present, no other, each of its kind. Shared by
c360.segmentation, c360.predictions and c360.recommendations; each adds its own range
checks. Also the seeded sample their ``*_sample_size`` settings bound."""

from __future__ import annotations

import numpy as np

# A kind is int, float, str, list (of column names) or a tuple (list, int | float): a
# non-empty list of numbers.
Spec = dict[str, tuple[object, str]]


def _convert(value, kind):
    if kind is list:
        if isinstance(value, str) or not all(isinstance(item, str) for item in value):
            raise TypeError
        return list(value)
    if isinstance(kind, tuple):
        if isinstance(value, str) or not len(value):
            raise TypeError
        return [_convert(item, kind[1]) for item in value]
    if kind is str:
        if not isinstance(value, str):
            raise TypeError
        return value
    if kind is int:
        if isinstance(value, bool) or float(value) != int(float(value)):
            raise ValueError
        return int(float(value))
    if isinstance(value, bool):
        raise TypeError
    return float(value)


def _kind_name(kind) -> str:
    if kind is list:
        return "a list of column names"
    if isinstance(kind, tuple):
        return f"a non-empty list of {kind[1].__name__}"
    return kind.__name__


def checked(config: dict | None, spec: Spec, block: str) -> dict:
    """``config`` with every key of ``spec`` converted to its kind; a ValueError
    starting with ``<block> settings:`` names the first key that is unknown,
    missing or of the wrong kind."""
    config = dict(config or {})
    unknown = sorted(set(config) - set(spec))
    if unknown:
        raise ValueError(
            f"{block} settings: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(spec))}"
        )
    missing = sorted(key for key in spec if config.get(key) is None)
    if missing:
        raise ValueError(
            f"{block} settings: missing key(s) {', '.join(missing)} (set them in the {block} var)"
        )
    out = {}
    for key, (kind, _) in spec.items():
        try:
            out[key] = _convert(config[key], kind)
        except (TypeError, ValueError):
            raise ValueError(
                f"{block} settings: {key} must be {_kind_name(kind)}, not {config[key]!r}"
            ) from None
    return out


def at_least(cfg: dict, keys, minimum: int, block: str) -> None:
    """A ValueError naming the first of ``keys`` whose value is below ``minimum``."""
    for key in keys:
        if cfg[key] < minimum:
            raise ValueError(f"{block} settings: {key} must be at least {minimum}, got {cfg[key]}")


def sample_positions(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of ``size`` of ``n`` rows drawn without replacement by ``rng``, sorted
    (rows keep their order), or all ``n`` positions when there are no more than ``size``."""
    return np.sort(rng.choice(n, size=size, replace=False)) if n > size else np.arange(n)
