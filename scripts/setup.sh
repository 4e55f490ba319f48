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
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.c360-requirements.lock
if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp" || ! .venv/bin/python -c 'import c360' 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
    cp requirements.lock "$stamp"
fi
