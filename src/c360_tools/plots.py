"""Render the segmentation plots of a built warehouse with Altair: SVG files and one
HTML page.

``python -m c360_tools.plots --db c360.duckdb --out reports/segments``

Writes ``model_selection.svg`` (silhouette by number of clusters for K-Means and
Gaussian mixtures, the chosen candidate marked; K-Means inertia, the elbow),
``pca_scatter.svg`` (customers on the first two principal components, coloured by
persona; a fixed sample of at most 3,000), ``profile_heatmap.svg`` (each cluster's mean
z-difference per model input) and ``index.html`` holding all three (interactive).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd

SAMPLE = 3_000


def _frames(db: str) -> dict[str, pd.DataFrame]:
    if not Path(db).is_file():
        raise FileNotFoundError(f"no warehouse at {db}: build it first (scripts/build.sh)")
    con = duckdb.connect(db, read_only=True)
    try:
        runs = con.execute(
            "select algorithm, k, silhouette, inertia, is_chosen from model_runs"
            " where step = 'clustering' and k is not null order by algorithm, k"
        ).df()
        profiles = con.execute("select * from cluster_profiles order by cluster_id").df()
        points = con.execute(
            "select c.pca_x, c.pca_y, c.cluster_id, c.is_outlier_assigned, p.persona"
            " from customer_clusters as c left join cluster_profiles as p using (cluster_id)"
            f" order by hash(c.customer_id), c.customer_id limit {SAMPLE}"
        ).df()
    finally:
        con.close()
    zdiff = [c for c in profiles.columns if c.startswith("zdiff_")]
    heat = profiles.melt(
        id_vars=["cluster_id", "persona"], value_vars=zdiff, var_name="model_input", value_name="z"
    )
    heat["model_input"] = heat["model_input"].str.removeprefix("zdiff_")
    heat["cluster"] = heat["cluster_id"].astype(str) + " " + heat["persona"].astype(str)
    return {"runs": runs, "points": points, "heat": heat}


def model_selection(runs: pd.DataFrame) -> alt.HConcatChart:
    runs = runs[runs["algorithm"].isin(["kmeans", "gmm"])]  # DBSCAN has no k to choose
    silhouette = (
        alt.Chart(runs, title="Silhouette by number of clusters (chosen: large point)")
        .mark_line(point=True)
        .encode(
            x=alt.X("k:O", title="number of clusters k"),
            y=alt.Y("silhouette:Q", title="silhouette (higher is better)"),
            color=alt.Color("algorithm:N", title="algorithm"),
        )
    )
    chosen = (
        alt.Chart(runs[runs["is_chosen"].fillna(False).astype(bool)])
        .mark_point(size=250, filled=True, color="black")
        .encode(x="k:O", y="silhouette:Q")
    )
    kmeans = runs[runs["algorithm"] == "kmeans"]
    elbow = (
        alt.Chart(kmeans, title="K-Means inertia (the elbow)")
        .mark_line(point=True)
        .encode(x=alt.X("k:O", title="number of clusters k"), y=alt.Y("inertia:Q", title="inertia"))
    )
    return alt.hconcat(
        (silhouette + chosen).properties(width=320, height=240), elbow.properties(width=320, height=240)
    ).resolve_scale(color="independent")


def pca_scatter(points: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(points, title=f"Customers on the first two principal components (sample of {SAMPLE:,})")
        .mark_circle(size=18, opacity=0.6)
        .encode(
            x=alt.X("pca_x:Q", title="principal component 1"),
            y=alt.Y("pca_y:Q", title="principal component 2"),
            color=alt.Color("persona:N", title="persona"),
            shape=alt.Shape("is_outlier_assigned:N", title="outlier, assigned"),
        )
        .properties(width=520, height=380)
    )


def profile_heatmap(heat: pd.DataFrame) -> alt.LayerChart:
    base = alt.Chart(heat, title="Cluster profiles: mean z-difference from all customers").encode(
        x=alt.X("model_input:N", title="model input"),
        y=alt.Y("cluster:N", title="cluster and persona"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "z:Q", title="z-difference", scale=alt.Scale(scheme="redblue", domainMid=0, reverse=True)
        )
    )
    labels = base.mark_text(fontSize=9).encode(text=alt.Text("z:Q", format="+.1f"))
    return (cells + labels).properties(width=560, height=220)


def render(db: str, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = _frames(db)
    charts = {
        "model_selection.svg": model_selection(data["runs"]),
        "pca_scatter.svg": pca_scatter(data["points"]),
        "profile_heatmap.svg": profile_heatmap(data["heat"]),
    }
    written = []
    for name, chart in charts.items():
        chart.save(str(out / name))
        written.append(out / name)
    alt.vconcat(*charts.values()).save(str(out / "index.html"))
    written.append(out / "index.html")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m c360_tools.plots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="c360.duckdb")
    parser.add_argument("--out", default="reports/segments")
    args = parser.parse_args(argv)
    try:
        paths = render(args.db, args.out)
    except (OSError, ValueError, duckdb.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
