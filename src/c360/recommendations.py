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
order). Scores are computed in batches of customers: memory grows with the batch, never
with customers x products.

Deterministic: inputs are sorted by key, ties broken by product id.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from c360.settings import at_least, checked

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
    "batch_size": (int, "customers scored at a time"),
    "shipped_method": (str, "the method whose lists customer_recommendations publishes"),
}
METHODS = ("popularity", "item_cf", "content", "hybrid")
DENSE_REASONS_MAX = 4000
# what the dbt Python models read of stg_shop__products and int_segment_inputs_joined
# (see _warehouse_frames)
WAREHOUSE_PRODUCT_COLUMNS = "product_id, product_name, category, brand, product_description, list_price"
WAREHOUSE_CUSTOMER_COLUMNS = "customer_id, persona, as_of_date"
KINDS = ("purchase", "cart", "view")
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
    at_least(cfg, ("top_n", "neighbours", "holdout_days", "evaluation_k", "batch_size"), 1, "recommendations")
    for key in ("purchase_weight", "cart_weight", "view_weight", "half_life_days"):
        if not cfg[key] > 0:
            raise ValueError(f"recommendations settings: {key} must be positive, not {cfg[key]}")
    if cfg["shipped_method"] not in METHODS:
        raise ValueError(
            f"recommendations settings: shipped_method must be one of {', '.join(METHODS)}, not {cfg['shipped_method']!r}"
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


def interaction_matrix(
    interactions: pd.DataFrame, customers: np.ndarray, catalogue: Catalogue, as_of: pd.Timestamp, cfg: dict
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Customers x products: decayed weighted interactions, and purchases (0/1)."""
    rows = interactions[interactions["product_id"].isin(catalogue.index)]
    customer_index = {c: i for i, c in enumerate(customers)}
    rows = rows[rows["customer_id"].isin(customer_index)]
    weight = rows["kind"].map({k: cfg[f"{k}_weight"] for k in KINDS}).fillna(0.0).to_numpy(dtype=float)
    age = (as_of - pd.to_datetime(rows["interacted_at"])).dt.total_seconds().to_numpy(dtype=float) / 86_400
    decay = np.power(0.5, np.clip(age, 0, None) / cfg["half_life_days"])
    r = rows["customer_id"].map(customer_index).to_numpy(dtype=np.int64)
    c = rows["product_id"].map(catalogue.index).to_numpy(dtype=np.int64)
    shape = (len(customers), len(catalogue.ids))
    matrix = sparse.csr_matrix((weight * decay, (r, c)), shape=shape)
    bought = rows["kind"].to_numpy() == "purchase"
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
    greedy walk down each row's sorted scores: a product is kept when it is allowed and
    fewer than the cap of its category's allowed products came before it, and the first
    ``n`` minus the taken of those kept are the picks."""
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
    # a stable sort of the negated scores keeps the lower product index first among ties
    order = np.argsort(-scores, axis=1, kind="stable")
    allowed = (np.take_along_axis(scores, order, axis=1) > 0) & ~np.take_along_axis(excluded, order, axis=1)
    sorted_codes = codes[order]
    keep = np.zeros_like(allowed)
    for c in range(categories):
        in_category = allowed & (sorted_codes == c)
        keep |= in_category & (np.cumsum(in_category, axis=1) + counts[:, [c]] <= cap)
    keep &= np.cumsum(keep, axis=1) <= room[:, None]
    r, at = np.nonzero(keep)
    return r, order[r, at]


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


def _scaled(block: np.ndarray) -> np.ndarray:
    """Each row divided by its largest value (rows of zeros stay zero)."""
    top = block.max(axis=1, keepdims=True) if block.size else block
    return np.divide(block, top, out=np.zeros_like(block), where=top > 0)


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
) -> pd.DataFrame:
    """``n`` products for each customer (row of ``matrix``) by ``method``; a list the
    method cannot fill (no history, no neighbours) is completed from the customer's
    segment's popular products (``popular``, from ``popularity``). Rows: customer by
    customer, in rank order."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    if collaborative is None and method in ("item_cf", "hybrid"):
        collaborative = catalogue.collaborative(matrix)
    share = cfg["hybrid_cf_share"]
    # the reasons look up one similarity per (recommended product, history product):
    # dense for catalogues that fit (DENSE_REASONS_MAX products: 4,000 x 4,000 doubles is
    # 128 MB), else sparse
    dense = len(catalogue.ids) <= DENSE_REASONS_MAX
    lookup = {
        "content": catalogue.content.toarray() if dense else catalogue.content.tocsr(),
        "cf": None
        if collaborative is None
        else (collaborative.toarray() if dense else collaborative.tocsr()),
    }
    names = sorted(popular)
    fill_scores = np.vstack([popular[name] for name in names]) if names else np.zeros((0, len(catalogue.ids)))
    known = {name: i for i, name in enumerate(names)}
    segment_names = np.array(
        [str(s) if pd.notna(s) and str(s) in popular else "everyone" for s in segments], dtype=object
    )
    share_cap = cfg["max_category_share"]
    parts = []
    for start in range(0, len(customers), cfg["batch_size"]):
        stop = min(start + cfg["batch_size"], len(customers))
        block = matrix[start:stop]
        cf = (block @ collaborative).toarray() if method in ("item_cf", "hybrid") else None
        content = (block @ catalogue.content).toarray() if method in ("content", "hybrid") else None
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
        reason = _reasons(block, rows, picked, by_content, lookup)
        got = np.bincount(rows, minlength=stop - start)
        place = _within(rows)
        # the picks as each row's first columns (-1 beyond), for the fill to count
        taken = np.full((stop - start, n), -1, dtype=np.int64)
        taken[rows, place] = picked
        short = np.flatnonzero(got < n)
        segment_block = segment_names[start:stop]
        fill_rows, fill = _pick(
            fill_scores[np.array([known[name] for name in segment_block[short]], dtype=np.int64)],
            blocked[short],
            catalogue.codes,
            n,
            share_cap,
            taken[short],
        )
        fill_rows = short[fill_rows]
        parts.append(
            pd.DataFrame(
                {
                    "row": np.concatenate([rows, fill_rows]) + start,
                    "rank": np.concatenate([place, got[fill_rows] + _within(fill_rows)]),
                    "product": np.concatenate([picked, fill]),
                    "score": np.concatenate(
                        [
                            scores[rows, picked],
                            fill_scores[np.array([known[s] for s in segment_block[fill_rows]], dtype=np.int64), fill],
                        ]
                    ),
                    "from_fill": np.concatenate([np.zeros(len(rows), bool), np.ones(len(fill_rows), bool)]),
                    "by_content": np.concatenate([by_content, np.zeros(len(fill_rows), bool)]),
                    "reason": np.concatenate([reason, np.full(len(fill_rows), -1)]),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in RECOMMENDATION_COLUMNS.items()})
    picks = pd.concat(parts, ignore_index=True).sort_values(["row", "rank"], kind="stable")
    fill_row = picks["from_fill"].to_numpy()
    reason = picks["reason"].to_numpy()
    ids = np.asarray(catalogue.ids, dtype=object)
    frame = pd.DataFrame(
        {
            "customer_id": np.asarray(customers, dtype=object)[picks["row"].to_numpy()],
            "recommendation_rank": picks["rank"].to_numpy() + 1,
            "product_id": ids[picks["product"].to_numpy()],
            "score": picks["score"].to_numpy(dtype=float),
            "method": np.where(fill_row, "popularity", method),
            "reason_type": np.where(
                fill_row,
                "popular_with",
                np.where(picks["by_content"].to_numpy(), "similar_to", "bought_together_with"),
            ),
            "reason_product_id": np.where(reason >= 0, ids[np.maximum(reason, 0)], None),
            "reason_segment": np.where(fill_row, segment_names[picks["row"].to_numpy()], None),
        }
    )
    return frame.astype(RECOMMENDATION_COLUMNS).reset_index(drop=True)


def _within(rows: np.ndarray) -> np.ndarray:
    """Each element's position among the equal values before it (``rows`` sorted)."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    return np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))


def _ndcg(hits: np.ndarray, relevant: int) -> float:
    gains = 1 / np.log2(np.arange(2, len(hits) + 2))
    ideal = gains[: min(relevant, len(hits))].sum()
    return float((gains * hits).sum() / ideal) if ideal else 0.0


def evaluate(
    interactions: pd.DataFrame, products: pd.DataFrame, customers: pd.DataFrame, as_of, config: dict
) -> list[dict]:
    """Out-of-time evaluation: every method fitted on the interactions before the
    cutoff (``holdout_days`` before the day after ``as_of``) recommends ``evaluation_k``
    products to each customer who bought something new in the holdout; precision,
    recall and NDCG at k against those purchases, catalogue coverage and intra-list
    diversity (mean pairwise 1 - content cosine). Records in the model_evaluations
    layout (target ``recommendations``)."""
    cfg = settings(config)
    k = cfg["evaluation_k"]
    cutoff = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1) - pd.Timedelta(days=cfg["holdout_days"])
    interactions = interactions.sort_values(["customer_id", "interacted_at", "product_id"], kind="stable")
    at = pd.to_datetime(interactions["interacted_at"])
    train, test = (
        interactions[at < cutoff],
        interactions[(at >= cutoff) & (interactions["kind"] == "purchase")],
    )
    catalogue = Catalogue(products, cfg["neighbours"])
    people = customers.sort_values("customer_id", kind="stable")
    ids = people["customer_id"].astype(str).to_numpy()
    segments = people["segment"].to_numpy(dtype=object)
    matrix, purchases = interaction_matrix(train, ids, catalogue, cutoff, cfg)
    before = set(
        zip(
            train.loc[train["kind"] == "purchase", "customer_id"],
            train.loc[train["kind"] == "purchase", "product_id"],
        )
    )
    relevant: dict = {}
    for customer, product in zip(test["customer_id"], test["product_id"]):
        if (customer, product) not in before and product in catalogue.index:
            relevant.setdefault(customer, set()).add(product)
    rows = np.flatnonzero([customer in relevant for customer in ids])
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
    # all pairwise content cosines at once when the catalogue fits (as for the reasons)
    cosines = (
        (unit @ unit.T).toarray() if unit is not None and len(catalogue.ids) <= DENSE_REASONS_MAX else None
    )
    records = []
    for method in METHODS:
        recs = recommend(
            matrix[rows],
            purchases[rows],
            ids[rows],
            segments[rows],
            catalogue,
            popular,
            method,
            cfg,
            k,
            collaborative,
        )
        lists = recs.groupby("customer_id", sort=True)["product_id"].apply(list).to_dict()
        precision, recall, ndcg, diversity = [], [], [], []
        for customer in ids[rows]:
            got = lists.get(customer, [])
            want = relevant[customer]
            hits = np.array([p in want for p in got] + [False] * (k - len(got)), dtype=float)
            precision.append(hits.sum() / k)
            recall.append(hits.sum() / len(want))
            ndcg.append(_ndcg(hits, len(want)))
            if unit is not None and len(got) > 1:
                at = [catalogue.index[p] for p in got]
                cosine = cosines[np.ix_(at, at)] if cosines is not None else (unit[at] @ unit[at].T).toarray()
                pairs = len(got) * (len(got) - 1)
                diversity.append(1 - (cosine.sum() - np.trace(cosine)) / pairs)
        available = int(catalogue.available.sum())
        metrics = {
            f"precision_at_{k}": float(np.mean(precision)),
            f"recall_at_{k}": float(np.mean(recall)),
            f"ndcg_at_{k}": float(np.mean(ndcg)),
            "catalogue_coverage": recs["product_id"].nunique() / available if available else None,
            "intra_list_diversity": float(np.mean(diversity)) if diversity else None,
            "share_from_popularity_fill": float((recs["method"] == "popularity").mean())
            if len(recs)
            else None,
        }
        records += [
            {**base, "method": method, "metric": name, "value": value} for name, value in metrics.items()
        ]
    return records


def _warehouse_frames(interactions: pd.DataFrame, products: pd.DataFrame, customers: pd.DataFrame):
    """The warehouse's column names to this module's: interactions
    (int_product_interactions_listed), products (stg_shop__products: a product without
    a valid list price is not offered), customers (int_segment_inputs_joined: the
    persona is the popularity segment) and the as-of date."""
    interactions = interactions.rename(columns={"interaction_kind": "kind"})
    products = products.rename(columns={"product_name": "name", "product_description": "description"}).assign(
        is_available=products["list_price"].notna() & (pd.to_numeric(products["list_price"]) > 0)
    )
    as_of = (
        pd.to_datetime(customers["as_of_date"]).max() if len(customers) else pd.Timestamp.today().normalize()
    )
    customers = customers.rename(columns={"persona": "segment"})[["customer_id", "segment"]]
    return interactions, products, customers, as_of


def rank(
    interactions: pd.DataFrame, products: pd.DataFrame, customers: pd.DataFrame, config: dict
) -> pd.DataFrame:
    """``top_n`` products for every customer by the shipped method, from the warehouse's
    frames (see _warehouse_frames); interactions up to the end of the as-of date."""
    cfg = settings(config)
    interactions, products, customers, as_of = _warehouse_frames(interactions, products, customers)
    people = customers.sort_values("customer_id", kind="stable")
    ids = people["customer_id"].astype(str).to_numpy()
    segments = people["segment"].to_numpy(dtype=object)
    catalogue = Catalogue(products, cfg["neighbours"])
    end = as_of.normalize() + pd.Timedelta(days=1)
    history = interactions[pd.to_datetime(interactions["interacted_at"]) < end]
    matrix, purchases = interaction_matrix(history, ids, catalogue, end, cfg)
    popular = popularity(matrix, purchases, segments)
    return recommend(
        matrix, purchases, ids, segments, catalogue, popular, cfg["shipped_method"], cfg, cfg["top_n"]
    )


def evaluate_frame(
    interactions: pd.DataFrame, products: pd.DataFrame, customers: pd.DataFrame, config: dict
) -> pd.DataFrame:
    """``evaluate`` on the warehouse's frames, as a typed model_evaluations frame; the
    shipped method's rows carry a warning when it does not beat popularity on NDCG."""
    from c360.predictions import evaluation_frame

    cfg = settings(config)
    interactions, products, customers, as_of = _warehouse_frames(interactions, products, customers)
    records = evaluate(interactions, products, customers, as_of, cfg)
    ndcg = {r["method"]: r["value"] for r in records if r["metric"] == f"ndcg_at_{cfg['evaluation_k']}"}
    shipped = cfg["shipped_method"]
    if shipped != "popularity" and ndcg and ndcg.get(shipped, 0) <= ndcg.get("popularity", 0):
        warning = f"{shipped} does not beat the popularity baseline on NDCG@{cfg['evaluation_k']} out of time"
        for record in records:
            if record["method"] == shipped:
                record["warning"] = record["warning"] or warning
    for record in records:
        record["is_chosen"] = record["method"] == shipped
    return evaluation_frame(records)
