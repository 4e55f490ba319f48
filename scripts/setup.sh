#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install the pinned
# dependencies (requirements.lock) and the project's own Python package.
# Needs only python3 (3.11) and access to the Python package index. Idempotent:
# reinstalls only when requirements.lock changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
    echo "c360 needs Python 3.11 ($PYTHON is $("$PYTHON" --version 2>&1)); set PYTHON=python3.11" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating the virtual environment .venv"
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.c360-requirements.lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp" || ! .venv/bin/python -c 'import c360' 2>/dev/null; then
    echo "setup: installing $(grep -vc '^#' requirements.lock) pinned packages from requirements.lock (a few minutes the first time)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    echo "setup: installing the project's package (src/c360)"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    cp requirements.lock "$stamp"
    echo "setup: done"
else
    echo "setup: .venv is up to date with requirements.lock"
fi
