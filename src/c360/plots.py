"""Render the segmentation plots of a built warehouse as SVG files and one HTML page.

``python -m c360.plots --db c360.duckdb --out reports/segments``

Writes ``model_selection.svg`` (silhouette by k for K-Means and Gaussian mixtures,
K-Means inertia: the elbow), ``pca_scatter.svg`` (customers on the first two
principal components, coloured by cluster; a fixed sample of at most 3,000),
``profile_heatmap.svg`` (each cluster's z-difference per model input) and
``index.html`` holding all three. Plain SVG: no plotting library needed.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

import duckdb
import numpy as np

PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">{html.escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _scale(values, lo, hi, out_lo, out_hi):
    span = (hi - lo) or 1.0
    return [out_lo + (v - lo) / span * (out_hi - out_lo) for v in values]


def model_selection_svg(runs: list[tuple]) -> str:
    """runs: (algorithm, k, silhouette, inertia, is_chosen)."""
    w, h, left, right, top, bottom = 760, 360, 60, 360, 40, 310
    body = []
    ks = sorted({r[1] for r in runs if r[0] != "dbscan"})
    sil = [r[2] for r in runs if r[0] != "dbscan" and r[2] is not None]
    lo, hi = min(sil + [0.0]), max(sil)
    xs = dict(zip(ks, _scale(ks, ks[0], ks[-1], left, right), strict=True))
    body.append(f'<text x="{(left + right) / 2}" y="{h - 5}" text-anchor="middle">k</text>')
    body.append(
        f'<text x="15" y="{(top + bottom) / 2}" transform="rotate(-90 15 {(top + bottom) / 2})" '
        f'text-anchor="middle">silhouette (sample)</text>'
    )
    for k, x in xs.items():
        body.append(f'<text x="{x}" y="{bottom + 16}" text-anchor="middle">{k}</text>')
    for tick in np.linspace(lo, hi, 5):
        y = _scale([tick], lo, hi, bottom, top)[0]
        body.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{tick:.2f}</text>')
        body.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="#eee"/>')
    for algorithm, colour in (("kmeans", PALETTE[0]), ("gmm", PALETTE[1])):
        pts = sorted((r[1], r[2], r[4]) for r in runs if r[0] == algorithm)
        coords = [(xs[k], _scale([s], lo, hi, bottom, top)[0], chosen) for k, s, chosen in pts]
        body.append(
            '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
                colour, " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
            )
        )
        for x, y, chosen in coords:
            r = 7 if chosen else 3
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{colour}"/>')
        body.append(
            f'<text x="{right + 10}" y="{top + 20 + (0 if algorithm == "kmeans" else 16)}" '
            f'fill="{colour}">{algorithm}</text>'
        )
    # elbow: inertia on the right-hand panel
    left2, right2 = 450, 740
    inertia = sorted((r[1], r[3]) for r in runs if r[0] == "kmeans" and r[3] is not None)
    if inertia:
        ilo, ihi = min(v for _, v in inertia), max(v for _, v in inertia)
        xs2 = _scale([k for k, _ in inertia], inertia[0][0], inertia[-1][0], left2, right2)
        ys2 = _scale([v for _, v in inertia], ilo, ihi, bottom, top)
        body.append(
            '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>'.format(
                PALETTE[2], " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs2, ys2, strict=True))
            )
        )
        for (k, _), x in zip(inertia, xs2, strict=True):
            body.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle">{k}</text>')
        body.append(
            f'<text x="{(left2 + right2) / 2}" y="{top}" text-anchor="middle" fill="{PALETTE[2]}">'
            "K-Means inertia (elbow)</text>"
        )
    return _svg(w, h, body, "Model selection: silhouette by k (large dot = chosen) and the elbow")


def pca_svg(points: list[tuple], personas: dict[int, str]) -> str:
    """points: (pca_x, pca_y, cluster_id, is_outlier_assigned)."""
    w, h, left, right, top, bottom = 760, 520, 40, 560, 40, 500
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    px = _scale(xs, min(xs), max(xs), left, right)
    py = _scale(ys, min(ys), max(ys), bottom, top)
    body = []
    for (_, _, cluster, outlier), x, y in zip(points, px, py, strict=True):
        colour = PALETTE[(int(cluster) - 1) % len(PALETTE)]
        if outlier:
            body.append(
                f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="none" stroke="black"/>'
            )
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{colour}" fill-opacity="0.6"/>')
    for i, (cluster, persona) in enumerate(sorted(personas.items())):
        colour = PALETTE[(cluster - 1) % len(PALETTE)]
        body.append(f'<circle cx="{right + 20}" cy="{top + 18 * i}" r="5" fill="{colour}"/>')
        body.append(f'<text x="{right + 30}" y="{top + 4 + 18 * i}">{cluster}: {html.escape(persona)}</text>')
    body.append(
        f'<rect x="{right + 15}" y="{top + 18 * len(personas) - 3}" width="6" height="6" fill="none" '
        'stroke="black"/>'
    )
    body.append(f'<text x="{right + 30}" y="{top + 4 + 18 * len(personas)}">outlier (nearest cluster)</text>')
    return _svg(w, h, body, "Customers on the first two principal components, by cluster")


def heatmap_svg(clusters: list[tuple], features: list[str], values: np.ndarray) -> str:
    """clusters: (cluster_id, persona); values: clusters x features z-differences."""
    cell_w, cell_h, left, top = 62, 30, 200, 150
    w = left + cell_w * len(features) + 90
    h = top + cell_h * len(clusters) + 20
    body = []
    for j, feature in enumerate(features):
        x = left + j * cell_w + cell_w / 2
        body.append(f'<text x="{x}" y="{top - 8}" transform="rotate(-45 {x} {top - 8})">{feature}</text>')
    for i, (cluster, persona) in enumerate(clusters):
        y = top + i * cell_h
        body.append(
            f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">'
            f"{cluster}: {html.escape(persona)}</text>"
        )
        for j in range(len(features)):
            v = float(values[i, j])
            t = max(-1.0, min(1.0, v / 2))
            colour = (
                f"rgb(255,{int(255 * (1 - t))},{int(255 * (1 - t))})"
                if t > 0
                else f"rgb({int(255 * (1 + t))},{int(255 * (1 + t))},255)"
            )
            x = left + j * cell_w
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{colour}" stroke="white"/>'
            )
            body.append(
                f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" '
                f'font-size="10">{v:+.1f}</text>'
            )
    return _svg(w, h, body, "Cluster profiles: mean z-difference from the population")


def render(db: str, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(db, read_only=True)
    runs = con.execute(
        "select algorithm, k, silhouette, inertia, is_chosen from model_runs where step = 'clustering'"
    ).fetchall()
    points = con.execute(
        "select pca_x, pca_y, cluster_id, is_outlier_assigned from customer_clusters"
        " order by hash(customer_id) limit 3000"
    ).fetchall()
    profiles = con.execute("select * from cluster_profiles order by cluster_id").df()
    features = [c.removeprefix("zdiff_") for c in profiles.columns if c.startswith("zdiff_")]
    values = profiles[[f"zdiff_{f}" for f in features]].to_numpy()
    personas = dict(zip(profiles["cluster_id"].astype(int), profiles["persona"], strict=True))
    files = {
        "model_selection.svg": model_selection_svg(runs),
        "pca_scatter.svg": pca_svg(points, personas),
        "profile_heatmap.svg": heatmap_svg(list(personas.items()), features, values),
    }
    written = []
    for name, svg in files.items():
        (out / name).write_text(svg)
        written.append(out / name)
    page = (
        "<html><head><meta charset='utf-8'><title>c360 segments</title></head><body>"
        + "".join(f"<div>{svg}</div>" for svg in files.values())
        + "</body></html>"
    )
    (out / "index.html").write_text(page)
    written.append(out / "index.html")
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m c360.plots", description=__doc__)
    parser.add_argument("--db", default="c360.duckdb")
    parser.add_argument("--out", default="reports/segments")
    args = parser.parse_args(argv)
    for path in render(args.db, args.out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
