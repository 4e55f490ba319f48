"""Product recommendations and their offline evaluation, out of time.

Methods, all on implicit feedback (purchases weighted above carts above views, each
interaction decayed by its age with a half-life):
- ``item_cf``: item-item collaborative filtering. Cosine similarity between the
  products' columns of the customer x product matrix, the ``neighbours`` most similar
  kept per product; a customer's score for a product is the sum over the products they
  interacted with of their weight times the similarity. Reason: "bought together with X"
  (the product of their history contributing most).
- ``content``: the same scoring over content similarity, cosine of TF-IDF vectors of each
  product's name, description, category and brand (scikit-learn). Reason: "similar to X".
- ``hybrid``: ``hybrid_cf_share`` x item_cf + the rest x content, each scaled to its
  customer's best score; its reason is the larger part's.
- ``popularity``: the products most bought (decayed) by the customer's segment, else by
  everyone: the cold-start fallback of every method and the baseline. Reason: "popular
  with <segment>".

Every method leaves out what the customer already bought and unavailable products, and
keeps at most ``max_category_share`` of a list in one category (greedy, in score
order). Scores are computed in batches of customers, side by side on the machine's cores
(c360.parallel; the rows do not depend on the batch size or the worker count): memory
grows with the batch and the workers, never with customers x products.

Deterministic: inputs are sorted by key, ties broken by product id.
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from c360.parallel import side_by_side
from c360.settings import at_least, checked, sample_positions

SETTINGS = {
    "top_n": (int, "products recommended per customer"),
    "purchase_weight": (float, "weight of a purchase of the product"),
    "cart_weight": (float, "weight of adding it to a cart"),
    "view_weight": (float, "weight of viewing it"),
    "half_life_days": (float, "an interaction this many days old counts half"),
    "neighbours": (int, "most similar products kept per product"),
    "hybrid_cf_share": (float, "share of the collaborative score in the hybrid (the rest: content)"),
    "max_category_share": (float, "largest share of a list from one category"),
    "holdout_days": (int, "evaluation: purchases in this many days before the as-of date are held out"),
    "evaluation_k": (int, "evaluation: length of the lists scored"),
    "evaluation_sample_size": (
        int,
        "evaluation: at most this many of the customers who bought something new in the holdout are scored"
        " (a seeded random sample)",
    ),
    "batch_size": (int, "customers scored at a time by each worker (c360.parallel)"),
    "shipped_method": (
        str,
        "the method whose lists customer_recommendations publishes, or auto: the best on NDCG out of time",
    ),
}
METHODS = ("popularity", "item_cf", "content", "hybrid")
# shipped_method: auto ships the method with the highest NDCG out of time (ties: METHODS
# order; popularity when nothing could be evaluated)
AUTO = "auto"
DENSE_REASONS_MAX = 4000
# the seed of the evaluation's customer sample (evaluation_sample_size)
EVALUATION_SEED = 0
# what the dbt Python models read of stg_shop__products and int_segment_inputs_joined
# (see _warehouse_frames)
WAREHOUSE_PRODUCT_COLUMNS = "product_id, product_name, category, brand, product_description, list_price"
WAREHOUSE_CUSTOMER_COLUMNS = "customer_id, persona, as_of_date"
KINDS = ("purchase", "cart", "view")
# the grain of a decayed interaction weight (_matrices): 2**-32, about 2.3e-10. With
# weights up to a few units, a customer's sum for one product stays exact (below 2**53
# units) up to some 700,000 interactions with it
WEIGHT_UNIT = 2.0**-32
# _picks' lists as numbers (narrow types: ten million rows at 1,000,000 customers)
PICK_COLUMNS = {
    "row": "int32",
    "rank": "int16",
    "product": "int32",
    "score": "float64",
    "from_fill": "bool",
    "by_content": "bool",
    "reason": "int32",
}
RECOMMENDATION_COLUMNS = {
    "customer_id": "str",
    "recommendation_rank": "int64",
    "product_id": "str",
    "score": "float64",
    "method": "str",
    "reason_type": "str",
    "reason_product_id": "str",
    "reason_segment": "str",
}


def settings(config: dict | None) -> dict:
    """The ``recommendations`` var, checked (c360.settings)."""
    cfg = checked(config, SETTINGS, "recommendations")
    at_least(
        cfg,
        ("top_n", "neighbours", "holdout_days", "evaluation_k", "evaluation_sample_size", "batch_size"),
        1,
        "recommendations",
    )
    for key in ("purchase_weight", "cart_weight", "view_weight", "half_life_days"):
        if not cfg[key] > 0:
            raise ValueError(f"recommendations settings: {key} must be positive, not {cfg[key]}")
    if cfg["shipped_method"] not in (*METHODS, AUTO):
        raise ValueError(
            f"recommendations settings: shipped_method must be one of {', '.join((*METHODS, AUTO))},"
            f" not {cfg['shipped_method']!r}"
        )
    for key in ("hybrid_cf_share", "max_category_share"):
        if not 0 <= cfg[key] <= 1:
            raise ValueError(f"recommendations settings: {key} must be between 0 and 1, not {cfg[key]}")
    return cfg


class Catalogue:
    """Products in a fixed order (by id), their categories, availability and the two
    item-item similarity matrices (sparse, ``neighbours`` per row, no diagonal)."""

    def __init__(self, products: pd.DataFrame, neighbours: int):
        products = products.sort_values("product_id", kind="stable").reset_index(drop=True)
        self.ids = products["product_id"].astype(str).to_numpy()
        self.index = {p: i for i, p in enumerate(self.ids)}
        self.category = products["category"].fillna("unknown").astype(str).to_numpy()
        self.codes = pd.factorize(self.category, sort=True)[0].astype(np.int64)
        self.available = products["is_available"].fillna(False).astype(bool).to_numpy()
        self.neighbours = neighbours
        text = (
            products[["name", "description", "category", "brand"]]
            .fillna("")
            .astype(str)
            .agg(" ".join, axis=1)
            .to_numpy()
        )
        self.tfidf = None
        self.content = sparse.csr_matrix((len(products), len(products)))
        try:
            self.tfidf = TfidfVectorizer(token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b").fit_transform(text)
            self.content = self._top_k(self.tfidf @ self.tfidf.T)
        except ValueError:  # no products, or no word in any of their texts: no content similarity
            self.tfidf = None

    def _top_k(self, similarity) -> sparse.csr_matrix:
        """Each row's ``neighbours`` largest entries (ties: lower product index), no diagonal."""
        dense = similarity.toarray() if sparse.issparse(similarity) else np.asarray(similarity)
        np.fill_diagonal(dense, 0.0)
        k = min(self.neighbours, max(dense.shape[1] - 1, 0))
        if k == 0:
            return sparse.csr_matrix(dense.shape)
        # stable sort on the negated values keeps the lower index first among ties
        order = np.argsort(-dense, axis=1, kind="stable")[:, :k]
        rows = np.repeat(np.arange(dense.shape[0]), k)
        values = dense[rows, order.ravel()]
        keep = values > 0
        return sparse.csr_matrix((values[keep], (rows[keep], order.ravel()[keep])), shape=dense.shape)

    def collaborative(self, matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """Item-item cosine over the columns of the customer x product ``matrix``."""
        if matrix.nnz == 0:
            return sparse.csr_matrix((len(self.ids), len(self.ids)))
        columns = normalize(matrix.tocsc(), axis=0)
        return self._top_k(columns.T @ columns)


def _relation(interactions, con):
    """The interactions as a DuckDB relation with columns customer_id, product_id, kind,
    interacted_at, and its connection: a relation is used as it is (``con``, its
    connection, must be given), a pandas frame is read through a new in-memory one."""
    if isinstance(interactions, pd.DataFrame):
        con = duckdb.connect()
        frame = con.from_df(interactions[["customer_id", "product_id", "kind", "interacted_at"]])
        # typed, so that an empty frame's columns (no type) still join and compare
        return con, frame.project(
            "cast(customer_id as varchar) as customer_id, cast(product_id as varchar) as product_id,"
            " cast(kind as varchar) as kind, cast(interacted_at as timestamp) as interacted_at"
        )
    if con is None:
        raise ValueError("interactions given as a DuckDB relation need its connection (con)")
    return con, interactions


def coded_interactions(
    interactions, customers: np.ndarray, catalogue: Catalogue, con=None, before=None
) -> dict:
    """The interactions of known customers with catalogue products as numpy arrays:
    ``row`` (index into ``customers``), ``column`` (into the catalogue), ``kind`` (index
    into KINDS; len(KINDS) for any other) and ``at_us`` (microseconds since the
    epoch), optionally only those before ``before`` (a timestamp). Joined and filtered
    by DuckDB, so that only numbers reach Python: at
    1,000,000 customers the interactions are tens of millions of rows, too many to hold
    as text in pandas. The arrays come in no fixed order: _matrices sums the weights
    in whole units, so the order they arrive in cannot change a score (at 1,000,000
    customers, 26.3 M rows: 3.3 s to fetch instead of 7.1 s sorted by DuckDB)."""
    con, relation = _relation(interactions, con)
    people = con.from_df(
        pd.DataFrame({"customer_id": customers, "c360_row": np.arange(len(customers))})
    ).project("cast(customer_id as varchar) as customer_id, cast(c360_row as bigint) as c360_row")
    items = con.from_df(
        pd.DataFrame({"product_id": catalogue.ids, "c360_column": np.arange(len(catalogue.ids))})
    ).project("cast(product_id as varchar) as product_id, cast(c360_column as bigint) as c360_column")
    joined = relation.join(people, "customer_id").join(items, "product_id")
    if before is not None:
        joined = joined.filter(f"interacted_at < timestamp '{pd.Timestamp(before).isoformat(sep=' ')}'")
    kind = " ".join(f"when '{k}' then {i}" for i, k in enumerate(KINDS))
    arrays = joined.project(
        f"c360_row as row, c360_column as column_, coalesce(case kind {kind} end, {len(KINDS)}) as kind,"
        " epoch_us(interacted_at) as at_us"
    ).fetchnumpy()
    return {
        "row": np.asarray(arrays["row"], dtype=np.int64),
        "column": np.asarray(arrays["column_"], dtype=np.int64),
        "kind": np.asarray(arrays["kind"], dtype=np.int64),
        "at_us": np.asarray(arrays["at_us"], dtype=np.int64),
    }


def interaction_matrix(
    interactions,
    customers: np.ndarray,
    catalogue: Catalogue,
    as_of: pd.Timestamp,
    cfg: dict,
    con=None,
    before=None,
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Customers x products: decayed weighted interactions, and purchases (0/1), from
    the interactions (a pandas frame, or a DuckDB relation with its connection ``con``)
    before ``before`` when given."""
    coded = coded_interactions(interactions, customers, catalogue, con, before=before)
    return _matrices(coded, (len(customers), len(catalogue.ids)), as_of, cfg)


def _matrices(
    coded: dict, shape: tuple[int, int], as_of, cfg: dict
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """interaction_matrix's two matrices from coded_interactions' arrays, in any row
    order: each decayed weight is rounded to whole units of WEIGHT_UNIT before a
    customer's weights for a product are summed, and sums of whole numbers (below 2**53)
    are exact in any order, so the matrix does not depend on the order the rows came
    in (same data, same scores)."""
    weights = np.array([cfg[f"{k}_weight"] for k in KINDS] + [0.0])[coded["kind"]]
    as_of_us = pd.Timestamp(as_of).value // 1000
    age = (as_of_us - coded["at_us"]) / 86_400_000_000
    decay = np.power(0.5, np.clip(age, 0, None) / cfg["half_life_days"])
    r, c = coded["row"], coded["column"]
    matrix = sparse.csr_matrix((np.round(weights * decay / WEIGHT_UNIT), (r, c)), shape=shape)
    matrix.sum_duplicates()  # sorted column indices: later products sum each row in one order
    matrix.data *= WEIGHT_UNIT  # a power of two: exact
    bought = coded["kind"] == 0
    purchases = sparse.csr_matrix((np.ones(int(bought.sum())), (r[bought], c[bought])), shape=shape)
    purchases.data[:] = 1.0
    return matrix, purchases


def popularity(matrix: sparse.csr_matrix, purchases: sparse.csr_matrix, segments: np.ndarray) -> dict:
    """Decayed purchase weight per product, per segment and overall ("everyone")."""
    bought = matrix.multiply(purchases > 0).tocsr()
    out = {"everyone": np.asarray(bought.sum(axis=0)).ravel()}
    known = np.array([pd.notna(s) for s in segments], dtype=bool)
    for segment in sorted({str(s) for s in segments[known]}):
        rows = np.flatnonzero(known & (segments.astype(str) == segment))
        out[segment] = np.asarray(bought[rows].sum(axis=0)).ravel()
    return out


def _pick(
    scores: np.ndarray,
    blocked: np.ndarray,
    codes: np.ndarray,
    n: int,
    share: float,
    taken: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The top products of each row of ``scores`` (customers x products) with a positive
    score, ``blocked`` ones and those in ``taken`` (customers x t product indices, -1
    for none) out, at most ``share`` of ``n`` (at least one) from any one category
    (``codes``: each product's category number), counting the taken ones, until each
    row holds ``n``. Ties: lower product index first.

    Returns (rows, products), in row order and then pick order. Vectorised form of the
    greedy walk down each row's sorted scores (score descending, then product index),
    which takes a product when its category has room: the walk never takes more of a
    category than its first (cap - taken) allowed products, so the picks are the first
    ``n`` of those candidates merged in walk order. Each category's candidates come from
    a partition of its columns, not a sort of the whole catalogue; a row whose partition
    cuts through tied scores is sorted in that category (the lower product index wins)."""
    rows_n, products_n = scores.shape
    cap = max(1, math.floor(n * share))
    categories = int(codes.max()) + 1 if products_n else 0
    counts = np.zeros((rows_n, categories), dtype=np.int64)
    excluded = blocked.copy()
    room = np.full(rows_n, n, dtype=np.int64)
    if taken is not None and taken.size:
        r, k = np.nonzero(taken >= 0)
        excluded[r, taken[r, k]] = True
        np.add.at(counts, (r, codes[taken[r, k]]), 1)
        room -= (taken >= 0).sum(axis=1)
    masked = np.where((scores > 0) & ~excluded, scores, -np.inf)
    products, values, valid = [], [], []
    for c in range(categories):
        columns = np.flatnonzero(codes == c)
        if not len(columns) or not rows_n:
            continue
        block = masked[:, columns]
        width = min(cap, len(columns))
        if width < len(columns):
            part = np.argpartition(-block, width - 1, axis=1)[:, :width]
            part_scores = np.take_along_axis(block, part, axis=1)
            lowest = part_scores.min(axis=1, keepdims=True)
            ties = np.flatnonzero(
                np.isfinite(lowest[:, 0])
                & ((block == lowest).sum(axis=1) > (part_scores == lowest).sum(axis=1))
            )
            if len(ties):
                # a stable sort of the negated scores keeps the lower product index first
                part[ties] = np.argsort(-block[ties], axis=1, kind="stable")[:, :width]
                part_scores[ties] = np.take_along_axis(block[ties], part[ties], axis=1)
        else:
            part = np.tile(np.arange(width), (rows_n, 1))
            part_scores = block
        # the category's candidates in walk order: score descending, then product index
        inside = np.take_along_axis(part, np.lexsort((part, -part_scores)), axis=1)
        ordered = np.take_along_axis(block, inside, axis=1)
        products.append(columns[inside])
        values.append(ordered)
        valid.append(np.isfinite(ordered) & (np.arange(width) < cap - counts[:, [c]]))
    if not products:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    products, values, valid = np.hstack(products), np.hstack(values), np.hstack(valid)
    order = np.lexsort((products, -values))
    products = np.take_along_axis(products, order, axis=1)
    valid = np.take_along_axis(valid, order, axis=1)
    keep = valid & (np.cumsum(valid, axis=1) <= room[:, None])
    r, at = np.nonzero(keep)
    return r, products[r, at]


def _reasons(
    block: sparse.csr_matrix, rows: np.ndarray, products: np.ndarray, by_content: np.ndarray, lookup: dict
) -> np.ndarray:
    """For each recommended (row, product), the product of the row's history that
    contributes most to its score (history weight x similarity, content or
    collaborative as ``by_content`` says; ties: first in the history), -1 without
    history. Vectorised over every (pair, history product)."""
    out = np.full(len(rows), -1, dtype=np.int64)
    lengths = np.diff(block.indptr)[rows]
    has = np.flatnonzero(lengths > 0)
    if not len(has):
        return out
    lengths = lengths[has]
    pair = np.repeat(np.arange(len(has)), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    local = np.arange(int(lengths.sum())) - starts[pair]
    at = block.indptr[rows[has]][pair] + local
    history, target = block.indices[at], products[has][pair]
    similarity = np.zeros(len(at))
    content = by_content[has][pair]
    for use_content, name in ((True, "content"), (False, "cf")):
        pick = content == use_content
        if pick.any() and lookup[name] is not None:
            similarity[pick] = np.asarray(lookup[name][history[pick], target[pick]]).ravel()
    contribution = block.data[at] * similarity
    best = np.maximum.reduceat(contribution, starts)
    first = np.minimum.reduceat(np.where(contribution == best[pair], local, np.iinfo(np.int64).max), starts)
    out[has] = block.indices[block.indptr[rows[has]] + first]
    return out


def _dense(product) -> np.ndarray:
    """A matrix product as a dense array (it is one already when the right side was)."""
    return product.toarray() if sparse.issparse(product) else np.asarray(product)


def _scaled(block: np.ndarray) -> np.ndarray:
    """Each row divided by its largest value (rows of zeros stay zero)."""
    if not block.size:
        return block
    top = block.max(axis=1, keepdims=True)
    # a row without a positive value divides by infinity: zeros
    return block / np.where(top > 0, top, np.inf)


def recommend(
    matrix: sparse.csr_matrix,
    purchases: sparse.csr_matrix,
    customers: np.ndarray,
    segments: np.ndarray,
    catalogue: Catalogue,
    popular: dict,
    method: str,
    cfg: dict,
    n: int,
    collaborative: sparse.csr_matrix | None = None,
    reasons: bool = True,
) -> pd.DataFrame:
    """``n`` products for each customer (row of ``matrix``) by ``method``; a list the
    method cannot fill (no history, no neighbours) is completed from the customer's
    segment's popular products (``popular``, from ``popularity``). Rows: customer by
    customer, in rank order (``lists`` on an in-memory DuckDB, as a pandas frame).
    Without ``reasons`` no history product is looked up (reason_product_id is empty)."""
    picks, segment_names = _picks(
        matrix, purchases, segments, catalogue, popular, method, cfg, n, collaborative, reasons
    )
    return _frame(picks, customers, segment_names, catalogue, method)


def _frame(picks, customers, segment_names, catalogue, method) -> pd.DataFrame:
    """``lists`` on an in-memory DuckDB, as a typed pandas frame."""
    con = duckdb.connect()
    try:
        frame = lists(con, picks, customers, segment_names, catalogue, method).df()
    finally:
        con.close()
    return frame.astype(RECOMMENDATION_COLUMNS).reset_index(drop=True)


def _picks(
    matrix: sparse.csr_matrix,
    purchases: sparse.csr_matrix,
    segments: np.ndarray,
    catalogue: Catalogue,
    popular: dict,
    method: str,
    cfg: dict,
    n: int,
    collaborative: sparse.csr_matrix | None,
    reasons: bool = True,
) -> tuple[pd.DataFrame, np.ndarray]:
    """recommend's lists as numbers, sorted by row and rank: ``row`` (of ``matrix``),
    ``rank`` (from 0), ``product`` (catalogue index), ``score``, ``from_fill`` (from the
    popularity fill), ``by_content`` (the hybrid's larger part was content) and
    ``reason`` (catalogue index of the history product behind it, -1 for none or
    without ``reasons``); and each row's popularity segment name."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    if collaborative is None and method in ("item_cf", "hybrid"):
        collaborative = catalogue.collaborative(matrix)
    share = cfg["hybrid_cf_share"]
    # the similarities the scores multiply and the reasons look up (one per recommended
    # product and history product): dense for catalogues that fit (DENSE_REASONS_MAX
    # products: 4,000 x 4,000 doubles is 128 MB), else sparse
    dense = len(catalogue.ids) <= DENSE_REASONS_MAX
    lookup = {
        "content": catalogue.content.toarray() if dense else catalogue.content.tocsr(),
        "cf": None
        if collaborative is None
        else (collaborative.toarray() if dense else collaborative.tocsr()),
    }
    names = sorted(popular)
    fill_scores = np.vstack([popular[name] for name in names]) if names else np.zeros((0, len(catalogue.ids)))
    segment_names = np.array(
        [str(s) if pd.notna(s) and str(s) in popular else "everyone" for s in segments], dtype=object
    )
    known = {name: i for i, name in enumerate(names)}
    segment_index = np.array([known[name] for name in segment_names], dtype=np.int64)
    share_cap = cfg["max_category_share"]

    def batch(start: int) -> pd.DataFrame:
        """The picks of the customers from row ``start``, ``batch_size`` of them."""
        stop = min(start + cfg["batch_size"], matrix.shape[0])
        block = matrix[start:stop]
        # sparse history x similarity: against the dense lookup when the catalogue fits
        # (the same sums in the same order, without building a sparse product first)
        cf = _dense(block @ lookup["cf"]) if method in ("item_cf", "hybrid") else None
        content = _dense(block @ lookup["content"]) if method in ("content", "hybrid") else None
        if method == "hybrid":
            cf, content = share * _scaled(cf), (1 - share) * _scaled(content)
            scores = cf + content
        elif method == "popularity":
            scores = np.zeros((stop - start, len(catalogue.ids)))
        else:
            scores = cf if method == "item_cf" else content
        blocked = (purchases[start:stop] > 0).toarray() | ~catalogue.available
        rows, picked = _pick(scores, blocked, catalogue.codes, n, share_cap)
        by_content = np.full(len(rows), method == "content")
        if method == "hybrid":
            by_content = content[rows, picked] > cf[rows, picked]
        reason = (
            _reasons(block, rows, picked, by_content, lookup)
            if reasons
            else np.full(len(rows), -1, dtype=np.int64)
        )
        got = np.bincount(rows, minlength=stop - start)
        place = _within(rows)
        # the picks as each row's first columns (-1 beyond), for the fill to count
        taken = np.full((stop - start, n), -1, dtype=np.int64)
        taken[rows, place] = picked
        short = np.flatnonzero(got < n)
        segment_block = segment_index[start:stop]
        fill_rows, fill = _pick(
            fill_scores[segment_block[short]],
            blocked[short],
            catalogue.codes,
            n,
            share_cap,
            taken[short],
        )
        fill_rows = short[fill_rows]
        row = np.concatenate([rows, fill_rows]) + start
        rank = np.concatenate([place, got[fill_rows] + _within(fill_rows)])
        order = np.lexsort((rank, row))
        return pd.DataFrame(
            {
                "row": row[order],
                "rank": rank[order],
                "product": np.concatenate([picked, fill])[order],
                "score": np.concatenate([scores[rows, picked], fill_scores[segment_block[fill_rows], fill]])[
                    order
                ],
                "from_fill": np.concatenate([np.zeros(len(rows), bool), np.ones(len(fill_rows), bool)])[
                    order
                ],
                "by_content": np.concatenate([by_content, np.zeros(len(fill_rows), bool)])[order],
                "reason": np.concatenate([reason, np.full(len(fill_rows), -1)])[order],
            }
        ).astype(PICK_COLUMNS)

    # the batches share only read-only inputs: side by side (c360.parallel)
    parts = side_by_side(batch, range(0, matrix.shape[0], cfg["batch_size"]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in PICK_COLUMNS.items()}), segment_names
    return pd.concat(parts, ignore_index=True), segment_names


def lists(
    con,
    picks: pd.DataFrame,
    customers: np.ndarray,
    segment_names: np.ndarray,
    catalogue: Catalogue,
    method: str,
):
    """_picks' numbers as recommendation rows (RECOMMENDATION_COLUMNS), a DuckDB relation
    on ``con`` in customer and rank order: the ids and the reason texts are joined in by
    DuckDB, so that at 1,000,000 customers ten million rows of text are never built as
    Python objects (the lists' peak memory was in that step)."""
    # every column name distinct, so that the joins need no table aliases
    people = con.from_df(
        pd.DataFrame(
            {
                "people_row": np.arange(len(customers), dtype=np.int32),
                "customer_id": pd.Series(np.asarray(customers, dtype=object), dtype="str"),
                "segment": pd.Series(segment_names, dtype="str"),
            }
        )
    )
    ids = pd.Series(catalogue.ids, dtype="str")
    positions = np.arange(len(catalogue.ids), dtype=np.int32)
    recommended = con.from_df(pd.DataFrame({"recommended": positions, "product_id": ids}))
    because = con.from_df(pd.DataFrame({"because": positions, "reason_product_id": ids}))
    quoted = method.replace("'", "''")
    return (
        con.from_df(picks)
        .join(people, "row = people_row")
        .join(recommended, "product = recommended")
        .join(because, "reason = because", how="left")
        .order("row, rank")
        .project(
            "cast(customer_id as varchar) as customer_id,"
            " cast(rank as bigint) + 1 as recommendation_rank,"
            " cast(product_id as varchar) as product_id,"
            " cast(score as double) as score,"
            f" case when from_fill then 'popularity' else '{quoted}' end as method,"
            " case when from_fill then 'popular_with'"
            " when by_content then 'similar_to' else 'bought_together_with' end as reason_type,"
            " cast(reason_product_id as varchar) as reason_product_id,"
            " case when from_fill then cast(segment as varchar) end as reason_segment"
        )
    )


def _within(rows: np.ndarray) -> np.ndarray:
    """Each element's position among the equal values before it (``rows`` sorted)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    return np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))


def _list_metrics(
    recs: pd.DataFrame, customers: np.ndarray, wanted: sparse.csr_matrix, catalogue: Catalogue, unit, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per evaluated customer (``customers``, rows of ``wanted``: the products they
    bought new in the holdout), from their lists (``recs``, in rank order): precision,
    recall and NDCG at ``k``, and per list of two or more the intra-list diversity,
    1 - the mean content cosine over its ordered pairs (``unit``: L2-normalised TF-IDF
    rows; none without it). A short list counts its missing places as misses.
    Vectorised over all lists: the sum of a list's pairwise cosines is the squared norm
    of the sum of its vectors less their own squared norms."""
    row = pd.Index(customers).get_indexer(recs["customer_id"])
    column = pd.Index(catalogue.ids).get_indexer(recs["product_id"])
    place = recs["recommendation_rank"].to_numpy(dtype=np.int64) - 1
    hit = np.asarray(wanted[row, column]).ravel() > 0 if len(recs) else np.zeros(0, dtype=bool)
    relevant = np.diff(wanted.indptr)
    hits = np.bincount(row, weights=hit, minlength=len(customers))
    gains = 1 / np.log2(np.arange(2, k + 2))
    ideal = np.cumsum(gains)[np.minimum(relevant, k) - 1]
    dcg = np.bincount(row, weights=hit * gains[np.minimum(place, k - 1)], minlength=len(customers))
    diversity = np.zeros(0)
    if unit is not None and len(recs):
        lists = sparse.csr_matrix(
            (np.ones(len(recs)), (row, column)), shape=(len(customers), len(catalogue.ids))
        )
        length = np.diff(lists.indptr)
        summed = lists @ unit
        own = lists @ np.asarray(unit.multiply(unit).sum(axis=1)).ravel()
        pairs = np.asarray(summed.multiply(summed).sum(axis=1)).ravel() - own
        several = length > 1
        diversity = 1 - pairs[several] / (length[several] * (length[several] - 1))
    return hits / k, hits / relevant, dcg / ideal, diversity


def evaluate(
    interactions, products: pd.DataFrame, customers: pd.DataFrame, as_of, config: dict, con=None
) -> list[dict]:
    """Out-of-time evaluation: every method fitted on the interactions before the
    cutoff (``holdout_days`` before the day after ``as_of``) recommends ``evaluation_k``
    products to each customer who bought something new in the holdout; precision,
    recall and NDCG at k against those purchases, catalogue coverage and intra-list
    diversity (mean pairwise 1 - content cosine). Records in the model_evaluations
    layout (target ``recommendations``). ``interactions``: a pandas frame, or a DuckDB
    relation with its connection ``con``."""
    cfg = settings(config)
    k = cfg["evaluation_k"]
    cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1) - pd.Timedelta(days=cfg["holdout_days"])
    catalogue = Catalogue(products, cfg["neighbours"])
    people = customers.sort_values("customer_id", kind="stable")
    ids = people["customer_id"].astype(str).to_numpy()
    segments = people["segment"].to_numpy(dtype=object)
    # one read, split at the cutoff
    coded = coded_interactions(interactions, ids, catalogue, con)
    cut = coded["at_us"] < pd.Timestamp(cutoff).value // 1000
    matrix, purchases = _matrices(
        {k: v[cut] for k, v in coded.items()}, (len(ids), len(catalogue.ids)), cutoff, cfg
    )
    bought_later = ~cut & (coded["kind"] == 0)
    r, c = coded["row"][bought_later], coded["column"][bought_later]
    # a purchase in the holdout counts when the customer had not bought the product before
    new = np.asarray(purchases[r, c]).ravel() == 0 if len(r) else np.zeros(0, dtype=bool)
    holdout = sparse.csr_matrix(
        (np.ones(int(new.sum())), (r[new], c[new])), shape=(len(ids), len(catalogue.ids))
    )
    holdout.data[:] = 1.0  # a product bought twice in the holdout counts once
    rows = np.flatnonzero(np.diff(holdout.indptr) > 0)
    # the list metrics are means over customers: a sample of fixed size measures them
    # as well at any scale (its standard error does not grow with the base), while
    # scoring every eligible customer grew with it (323,210 at 1,000,000)
    rows = rows[
        sample_positions(len(rows), cfg["evaluation_sample_size"], np.random.default_rng(EVALUATION_SEED))
    ]
    wanted = holdout[rows]
    base = {
        "target": "recommendations",
        "bucket": None,
        "feature": None,
        "is_chosen": False,
        "training_rows": int((np.diff(matrix.indptr) > 0).sum()),
        "validation_rows": len(rows),
        "validation_cutoff": str(cutoff.date()),
        "hyperparameters": None,
        "warning": None,
    }
    if not len(rows):
        return [
            {
                **base,
                "method": m,
                "metric": "skipped",
                "value": None,
                "warning": "no customer bought a new product in the holdout: nothing evaluated",
            }
            for m in METHODS
        ]
    popular = popularity(matrix, purchases, segments)
    collaborative = catalogue.collaborative(matrix)
    unit = normalize(catalogue.tfidf) if catalogue.tfidf is not None else None
    evaluated = (matrix[rows], purchases[rows], ids[rows], segments[rows])
    available = int(catalogue.available.sum())

    def measured(method: str) -> list[dict]:
        recs = recommend(
            *evaluated,
            catalogue,
            popular,
            method,
            cfg,
            k,
            collaborative,
            # the metrics read the products, not why they were picked
            reasons=False,
        )
        precision, recall, ndcg, diversity = _list_metrics(recs, ids[rows], wanted, catalogue, unit, k)
        metrics = {
            f"precision_at_{k}": float(np.mean(precision)),
            f"recall_at_{k}": float(np.mean(recall)),
            f"ndcg_at_{k}": float(np.mean(ndcg)),
            "catalogue_coverage": recs["product_id"].nunique() / available if available else None,
            "intra_list_diversity": float(np.mean(diversity)) if len(diversity) else None,
            "share_from_popularity_fill": float((recs["method"] == "popularity").mean())
            if len(recs)
            else None,
        }
        return [{**base, "method": method, "metric": name, "value": value} for name, value in metrics.items()]

    # the methods share only read-only inputs: side by side (c360.parallel)
    records = [record for method_records in side_by_side(measured, METHODS) for record in method_records]
    return records


def _warehouse_frames(interactions, products: pd.DataFrame, customers: pd.DataFrame):
    """The warehouse's column names to this module's: interactions
    (int_product_interactions_listed, a pandas frame or a DuckDB relation), products
    (stg_shop__products: a product without a valid list price is not offered),
    customers (int_segment_inputs_joined: the persona is the popularity segment) and
    the as-of date."""
    if isinstance(interactions, pd.DataFrame):
        interactions = interactions.rename(columns={"interaction_kind": "kind"})
    else:
        interactions = interactions.project(
            "customer_id, product_id, interaction_kind as kind, interacted_at"
        )
    products = products.rename(columns={"product_name": "name", "product_description": "description"}).assign(
        is_available=products["list_price"].notna() & (pd.to_numeric(products["list_price"]) > 0)
    )
    as_of = (
        pd.to_datetime(customers["as_of_date"]).max() if len(customers) else pd.Timestamp.today().normalize()
    )
    customers = customers.rename(columns={"persona": "segment"})[["customer_id", "segment"]]
    return interactions, products, customers, as_of


def rank(
    interactions,
    products: pd.DataFrame,
    customers: pd.DataFrame,
    config: dict,
    con=None,
    method: str | None = None,
):
    """``top_n`` products for every customer by ``method`` (default: the configured
    ``shipped_method``; the dbt model passes the evaluation's choice, shipped_method_of),
    from the warehouse's frames (see _warehouse_frames; the interactions may be a DuckDB
    relation with its connection ``con``); interactions up to the end of the as-of date.
    A pandas frame; with ``con``, a DuckDB relation on it (lists: the ids are joined in
    by DuckDB)."""
    cfg = settings(config)
    method = method or cfg["shipped_method"]
    if method == AUTO:
        raise ValueError("shipped_method auto: the method comes from the evaluation (shipped_method_of)")
    interactions, products, customers, as_of = _warehouse_frames(interactions, products, customers)
    people = customers.sort_values("customer_id", kind="stable")
    ids = people["customer_id"].astype(str).to_numpy()
    segments = people["segment"].to_numpy(dtype=object)
    catalogue = Catalogue(products, cfg["neighbours"])
    end = as_of.normalize() + pd.Timedelta(days=1)
    matrix, purchases = interaction_matrix(interactions, ids, catalogue, end, cfg, con=con, before=end)
    popular = popularity(matrix, purchases, segments)
    picks, segment_names = _picks(
        matrix, purchases, segments, catalogue, popular, method, cfg, cfg["top_n"], None
    )
    del matrix, purchases
    if con is None:
        return _frame(picks, ids, segment_names, catalogue, method)
    return lists(con, picks, ids, segment_names, catalogue, method)


def shipped_method_of(evaluations: pd.DataFrame, config: dict) -> str:
    """The method evaluate_frame marked chosen (``is_chosen``): the configured one, or
    with ``auto`` the best out of time. The one fact both models share, so the ranking
    ships what the evaluation reports on."""
    cfg = settings(config)
    chosen = evaluations.loc[evaluations["is_chosen"].astype(bool), "method"].unique()
    if len(chosen) == 1:
        return str(chosen[0])
    if len(chosen) > 1:
        raise ValueError(f"the recommendation evaluation chose {len(chosen)} methods: {', '.join(chosen)}")
    return "popularity" if cfg["shipped_method"] == AUTO else cfg["shipped_method"]


def evaluate_frame(
    interactions, products: pd.DataFrame, customers: pd.DataFrame, config: dict, con=None
) -> pd.DataFrame:
    """``evaluate`` on the warehouse's frames, as a typed model_evaluations frame; the
    shipped method's rows (``shipped_method``, or with ``auto`` the highest NDCG) carry
    ``is_chosen``, and a warning when it does not beat popularity on NDCG."""
    from c360.predictions import evaluation_frame

    cfg = settings(config)
    interactions, products, customers, as_of = _warehouse_frames(interactions, products, customers)
    records = evaluate(interactions, products, customers, as_of, cfg, con=con)
    ndcg = {r["method"]: r["value"] for r in records if r["metric"] == f"ndcg_at_{cfg['evaluation_k']}"}
    shipped = cfg["shipped_method"]
    if shipped == AUTO:
        # the highest NDCG, the first in METHODS among ties; popularity when none was measured
        measured = [m for m in METHODS if ndcg.get(m) is not None]
        shipped = max(measured, key=lambda m: ndcg[m]) if measured else "popularity"
    if shipped != "popularity" and ndcg and ndcg.get(shipped, 0) <= ndcg.get("popularity", 0):
        warning = f"{shipped} does not beat the popularity baseline on NDCG@{cfg['evaluation_k']} out of time"
        for record in records:
            if record["method"] == shipped:
                record["warning"] = record["warning"] or warning
    for record in records:
        record["is_chosen"] = record["method"] == shipped
    return evaluation_frame(records)
