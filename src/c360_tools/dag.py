"""The README's architecture diagram, drawn from dbt's manifest so it shows the DAG as
it is: one box per folder (layer and domain) listing its models, one arrow per folder
that reads another. Mermaid, between the README's `dag:start` / `dag:end` markers.

    python -m c360_tools.dag --manifest target/manifest.json --readme README.md          # rewrite
    python -m c360_tools.dag --manifest target/manifest.json --readme README.md --check  # compare

The same nodes `dbt ls --resource-type model snapshot` lists; scripts/test.sh runs --check.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

START, END = "<!-- dag:start (python -m c360_tools.dag; do not edit by hand) -->", "<!-- dag:end -->"
LAYERS = ("staging", "intermediate", "marts", "exports", "snapshots")


def _folder(path: str) -> tuple[str, str]:
    """(layer, folder) of a model or snapshot file: models/marts/customers/x.sql -> (marts, marts/customers)."""
    parts = Path(path).parts
    if parts[0] == "snapshots":
        return "snapshots", "snapshots"
    layer = parts[1]
    return layer, "/".join(parts[1:3]) if len(parts) > 3 else layer


def diagram(manifest: dict) -> str:
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "snapshot")
        and node["package_name"] == manifest["metadata"].get("project_name", node["package_name"])
    }
    members: dict[str, list[str]] = defaultdict(list)
    layer_of: dict[str, str] = {}
    for node in nodes.values():
        layer, folder = _folder(node["original_file_path"])
        members[folder].append(node["name"])
        layer_of[folder] = layer
    edges = set()
    for node in nodes.values():
        _, folder = _folder(node["original_file_path"])
        for parent in node["depends_on"]["nodes"]:
            if parent.startswith("source."):
                edges.add(("raw", folder))
            elif parent in nodes:
                _, parent_folder = _folder(nodes[parent]["original_file_path"])
                if parent_folder != folder:
                    edges.add((parent_folder, folder))

    def ident(folder: str) -> str:
        return folder.replace("/", "_")

    lines = ["```mermaid", "flowchart LR", '    raw[("raw files")]']
    for layer in LAYERS:
        folders = sorted(f for f in members if layer_of[f] == layer)
        if not folders:
            continue
        lines.append(f"    subgraph {layer}")
        for folder in folders:
            label = "<br>".join(sorted(members[folder]))
            lines.append(f'        {ident(folder)}["<b>{folder}</b><br>{label}"]')
        lines.append("    end")
    for parent, child in sorted(edges):
        lines.append(f"    {ident(parent)} --> {ident(child)}")
    lines.append("```")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m c360_tools.dag", description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the README's diagram is out of date"
    )
    args = parser.parse_args(argv)
    try:
        manifest = json.loads(args.manifest.read_text())
        readme = args.readme.read_text()
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if START not in readme or END not in readme:
        print(f"error: {args.readme} has no {START} ... {END} block", file=sys.stderr)
        return 2
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{diagram(manifest)}\n{END}{tail}"
    if args.check:
        if updated != readme:
            print(
                f"error: the diagram in {args.readme} does not match {args.manifest}; run python -m c360_tools.dag",
                file=sys.stderr,
            )
            return 1
        print(f"{args.readme}: diagram matches the manifest")
        return 0
    args.readme.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
