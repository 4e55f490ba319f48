"""The segmentation plots render from a built warehouse, with labelled axes."""

from __future__ import annotations

from c360_tools import plots


def test_plots_render_with_labelled_axes(warehouse_path, tmp_path):
    written = plots.render(str(warehouse_path), tmp_path)
    assert sorted(p.name for p in written) == [
        "index.html",
        "model_selection.svg",
        "pca_scatter.svg",
        "profile_heatmap.svg",
    ]
    svg = {p.name: p.read_text() for p in written if p.suffix == ".svg"}
    assert "number of clusters k" in svg["model_selection.svg"] and "silhouette" in svg["model_selection.svg"]
    assert "principal component 1" in svg["pca_scatter.svg"] and "persona" in svg["pca_scatter.svg"]
    assert "model input" in svg["profile_heatmap.svg"] and "z-difference" in svg["profile_heatmap.svg"]
