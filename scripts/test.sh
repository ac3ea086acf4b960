#!/usr/bin/env bash
# Install the project and its test tools into .venv, then run the whole suite:
# ruff, ruff format --check and mypy (tests/test_lint.py), unit and golden tests, and a
# real `mkdocs build --strict` of the notes. Extra arguments go to pytest.
set -euo pipefail
. "$(dirname "$0")/_venv.sh" test
exec .venv/bin/python -m pytest "$@"
