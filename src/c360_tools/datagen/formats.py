"""Vectorised helpers that turn clean generated values into the messy strings raw
systems actually send: opaque ids, mixed timestamp formats, phone spellings."""

from __future__ import annotations

import zlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Timestamp spellings used by the raw files; staging must parse every one of them.
TS_ISO_Z = "%Y-%m-%dT%H:%M:%SZ"  # 2026-03-01T12:34:56Z (UTC)
TS_SPACE = "%Y-%m-%d %H:%M:%S"  # 2026-03-01 12:34:56 (UTC, no zone)
TS_DMY = "%d/%m/%Y %H:%M"  # 01/03/2026 12:34 (day first, UTC)
DATE_ISO = "%Y-%m-%d"
DATE_DMY = "%d/%m/%Y"  # day first, slash
DATE_MDY = "%m-%d-%Y"  # month first, dash (US systems)
DATE_DMY2 = "%d/%m/%y"  # two-digit year


def opaque_ids(prefix: str, numbers: np.ndarray, width: int = 10) -> np.ndarray:
    """Bijective scramble of non-negative integers into fixed-width hex ids.

    Ids are unique for distinct numbers but carry no visible order, so nothing
    downstream can recover which records belong together from the id alone.
    """
    bits = width * 4
    mask = (1 << bits) - 1
    salt = np.uint64(zlib.crc32(prefix.encode()) & mask)
    n = (numbers.astype(np.uint64) ^ salt) & np.uint64(mask)
    scrambled = (n * np.uint64(0x9E3779B97F4A7C15 & mask | 1)) & np.uint64(mask)
    scrambled ^= scrambled >> np.uint64(bits // 2)
    hexes = np.char.mod(f"%0{width}x", scrambled)
    return np.char.add(prefix, hexes).astype(object)


def strftime(seconds: np.ndarray, fmt: str) -> np.ndarray:
    """Format epoch seconds (UTC) with a strftime pattern, vectorised."""
    arr = pa.array(seconds.astype("int64"), type=pa.timestamp("s"))
    return np.asarray(pc.strftime(arr, format=fmt).to_numpy(zero_copy_only=False), dtype=object)


def mixed_timestamps(rng: np.random.Generator, seconds: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    """Spell each timestamp in one of several formats, drawn with the given weights.

    Keys of ``weights`` are strftime patterns or ``"epoch"`` (integer seconds) or
    ``"offset"`` (ISO with a +01:00 offset: the local clock of a CET system).
    """
    keys = list(weights)
    probs = np.array([weights[k] for k in keys], dtype=float)
    choice = rng.choice(len(keys), size=len(seconds), p=probs / probs.sum())
    out = np.empty(len(seconds), dtype=object)
    for i, key in enumerate(keys):
        mask = choice == i
        if not mask.any():
            continue
        if key == "epoch":
            out[mask] = seconds[mask].astype("int64").astype(str)
        elif key == "offset":
            out[mask] = strftime(seconds[mask] + 3600, "%Y-%m-%dT%H:%M:%S") + "+01:00"
        else:
            out[mask] = strftime(seconds[mask], key)
    return out


def spell(rng: np.random.Generator, canonical: np.ndarray, spellings: dict, clean_share=0.7):
    """Replace canonical category values by one of their raw spellings.

    ``clean_share`` of rows keep the canonical value; the rest get a random
    spelling from ``spellings[value]``.
    """
    out = canonical.astype(object).copy()
    messy = rng.random(len(out)) > clean_share
    for value, options in spellings.items():
        idx = np.flatnonzero(messy & (canonical == value))
        if len(idx):
            out[idx] = np.asarray(options, dtype=object)[rng.integers(0, len(options), len(idx))]
    return out


def format_phone(rng: np.random.Generator, country: str, nsn: str) -> str:
    """One raw spelling of a national significant number for a country."""
    dial = {"GB": "44", "US": "1", "DE": "49", "FR": "33"}[country]
    style = rng.integers(0, 6)
    if country == "US":
        area, mid, last = nsn[:3], nsn[3:6], nsn[6:]
        return [
            f"+1{nsn}",
            f"({area}) {mid}-{last}",
            f"{area}.{mid}.{last}",
            f"+1 {area} {mid} {last}",
            f"{area}-{mid}-{last}",
            f"({area}) {mid}-{last} ext. {rng.integers(10, 999)}",
        ][style]
    national = "0" + nsn
    spaced = f"{national[:5]} {national[5:]}"
    return [
        f"+{dial}{nsn}",
        spaced,
        f"+{dial} {nsn[:4]} {nsn[4:]}",
        f"00{dial}{nsn}",
        f"({national[:5]}) {national[5:]}",
        f"{spaced} x{rng.integers(10, 99)}",
    ][style]
