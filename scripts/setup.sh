#!/usr/bin/env bash
# Create the project's virtual environments and install their pinned packages:
# .venv (requirements.lock: dbt, DuckDB, the ML stack, tests, and the project's own
# Python packages) and .venv-tools (requirements-tools.lock: dbt-bouncer, whose pins
# must not choose the runtime's DuckDB).
# Needs only python3 (3.11) and access to the Python package index. Idempotent:
# reinstalls an environment only when its lock file changed since the last install.
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
if [ ! -x .venv-tools/bin/python ]; then
    echo "setup: creating the tools environment .venv-tools"
    "$PYTHON" -m venv .venv-tools
fi
tools_stamp=.venv-tools/.c360-requirements-tools.lock
if [ ! -f "$tools_stamp" ] || ! cmp -s requirements-tools.lock "$tools_stamp"; then
    echo "setup: installing $(grep -vc '^#' requirements-tools.lock) pinned packages from requirements-tools.lock"
    .venv-tools/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-tools.lock
    cp requirements-tools.lock "$tools_stamp"
else
    echo "setup: .venv-tools is up to date with requirements-tools.lock"
fi
