"""Synthetic raw customer data with a ground-truth sidecar.

``generate(out_dir, GeneratorConfig(customers=...), fmt="csv")`` writes one file per
raw table (the raw input contract of the dbt project) and ``_truth/`` files that say
which person is behind every record, the true session of every web event and which
people were given anomalous behaviour.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .generator import (
    ARCHETYPE_NAMES,
    RAW_COLUMNS,
    TRUTH_COLUMNS,
    ChunkGenerator,
    GeneratorConfig,
    bundle_truth,
    make_products,
)

__all__ = ["GeneratorConfig", "generate", "RAW_COLUMNS", "TRUTH_COLUMNS"]


class _TableWriter:
    """Streams chunks of one all-string table to CSV or Parquet."""

    def __init__(self, path: Path, columns: list[str], fmt: str):
        self.schema = pa.schema([(c, pa.string()) for c in columns])
        self.path = path.with_suffix(f".{fmt}")
        self.fmt = fmt
        self.rows = 0
        if fmt == "csv":
            self._w = pacsv.CSVWriter(str(self.path), self.schema)
        else:
            self._w = pq.ParquetWriter(str(self.path), self.schema, compression="zstd")

    def write(self, columns: dict) -> None:
        arrays = [
            pa.array(np.asarray(columns[f.name], dtype=object), type=pa.string(), from_pandas=True)
            for f in self.schema
        ]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        self.rows += table.num_rows
        self._w.write_table(table)

    def close(self) -> None:
        self._w.close()


def generate(
    out_dir: str | Path, cfg: GeneratorConfig, fmt: str = "csv", truth: bool = True, log=print
) -> dict:
    """Write every raw table (and the truth sidecar) for ``cfg`` into ``out_dir``."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth_dir = out / "_truth"
    if truth:
        truth_dir.mkdir(exist_ok=True)
    started = time.time()
    raw = {t: _TableWriter(out / t, cols, fmt) for t, cols in RAW_COLUMNS.items()}
    tw = {t: _TableWriter(truth_dir / t, cols, fmt) for t, cols in TRUTH_COLUMNS.items()} if truth else {}
    products = make_products(cfg)
    raw["products"].write(products["rows"])
    if truth:
        tw["product_bundles"].write(bundle_truth(products))

    for chunk, first in enumerate(range(0, cfg.customers, cfg.chunk_size)):
        n = min(cfg.chunk_size, cfg.customers - first)
        g = ChunkGenerator(cfg, products, chunk, first, n)
        p = g.people()
        contacts, t_contacts, primary = g.contacts(p)
        raw["crm_contacts"].write(contacts)
        plan = g.experiments(p)
        orders, items, t_orders = g.orders(p, primary, plan)
        raw["orders"].write(orders)
        raw["order_items"].write(items)
        pos, t_pos = g.pos(p)
        raw["pos_transactions"].write(pos)
        events, t_events, t_anon = g.web(p, primary)
        raw["web_events"].write(events)
        assignments, t_assignments = g.experiment_rows(p, primary, plan, t_anon)
        raw["experiment_assignments"].write(assignments)
        raw["email_events"].write(g.email(p))
        consent, erasure = g.consent(p)
        raw["consent_records"].write(consent)
        raw["erasure_requests"].write(erasure)
        if truth:
            tw["persons"].write(
                {
                    "person_id": p["person_id"],
                    "archetype": np.asarray(ARCHETYPE_NAMES, dtype=object)[p["arche"]],
                    "is_anomalous": (p["anomaly_type"] != None).astype(str),  # noqa: E711
                    "anomaly_type": p["anomaly_type"],
                    "household_id": p["person_id"][p["household"] - p["idx"][0]],
                    "country": p["country"],
                    "email": p["email"],
                }
            )
            tw["contacts"].write(t_contacts)
            tw["loyalty_ids"].write(
                {
                    "loyalty_id": p["loyalty"][p["loyalty"] != None],  # noqa: E711
                    "person_id": p["person_id"][p["loyalty"] != None],  # noqa: E711
                }
            )
            tw["anonymous_ids"].write(t_anon)
            tw["event_sessions"].write(t_events)
            tw["orders"].write(t_orders)
            tw["pos_transactions"].write(t_pos)
            tw["purchase_rates"].write(g.purchase_truth(p))
            tw["experiment_assignments"].write(t_assignments)
        log(f"chunk {chunk}: {first + n:,}/{cfg.customers:,} customers")

    counts = {}
    for name, w in {**raw, **{f"_truth/{k}": v for k, v in tw.items()}}.items():
        w.close()
        counts[name] = w.rows
    manifest = {
        "generator": "c360_tools.datagen",
        "config": cfg.__dict__,
        "format": fmt,
        "rows": counts,
    }
    (out / "_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return {**manifest, "seconds": round(time.time() - started, 1)}
