"""The convention checks fail on what they forbid: an intermediate model that reads a
mart (edges run one way) makes dbt-bouncer fail, naming the model."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml
from dbt_runner import PROJECT_DIR, SEGMENTATION_SETTINGS, TOOLS_BIN, dbt


def _bouncer(tmp_path: Path, manifest: dict) -> subprocess.CompletedProcess:
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "manifest.json").write_text(json.dumps(manifest))
    config = yaml.safe_load((PROJECT_DIR / "dbt-bouncer.yml").read_text())
    config["dbt_artifacts_dir"] = str(artifacts)
    config_path = tmp_path / "dbt-bouncer.yml"
    config_path.write_text(yaml.safe_dump(config))
    exe = TOOLS_BIN / "dbt-bouncer"
    return subprocess.run(
        [
            str(exe),
            "run",
            "--config-file",
            str(config_path),
            "--output-file",
            str(tmp_path / "results.json"),
            "--output-format",
            "json",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_an_intermediate_model_reading_a_mart_fails_the_conventions(tmp_path):
    parsed = dbt(
        ["parse", "--quiet"], PROJECT_DIR / "data" / "sample", tmp_path / "lint.duckdb", tmp_path / "target"
    )
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    reader = "model.c360.int_customer_features_assembled"
    manifest["nodes"][reader]["depends_on"]["nodes"].append("model.c360.customer_features")
    result = _bouncer(tmp_path, manifest)
    assert result.returncode != 0
    failures = [r for r in json.loads((tmp_path / "results.json").read_text()) if r["outcome"] != "success"]
    assert [(f["check_run_id"].split(":")[0], f["unique_id"]) for f in failures] == [
        ("check_lineage_permitted_upstream_models", reader)
    ]


def test_cluster_profile_contract_follows_the_model_inputs():
    """cluster_profiles publishes a mean_ and a zdiff_ column per model input: its
    contract (the one column list, read by published_copy) must follow the
    segmentation var's features, in that order."""
    features = SEGMENTATION_SETTINGS["features"]
    marts = yaml.safe_load(
        (PROJECT_DIR / "models" / "marts" / "segments" / "_segments__models.yml").read_text()
    )
    profiles = next(m for m in marts["models"] if m["name"] == "cluster_profiles")
    derived = [c["name"] for c in profiles["columns"] if c["name"].startswith(("mean_", "zdiff_"))]
    assert derived == [f"{kind}_{feature}" for feature in features for kind in ("mean", "zdiff")]
