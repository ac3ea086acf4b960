#!/usr/bin/env bash
# Install the project and its test tools into .venv, then run the whole suite:
# ruff, ruff format --check and mypy (tests/test_lint.py), unit and golden tests, a real
# `mkdocs build --strict` of the notes and browser tests against it (Debian's Chromium).
# Extra arguments go to pytest.
set -euo pipefail
. "$(dirname "$0")/_venv.sh" test
# Browser tests use Debian's Chromium through Playwright (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  fi
fi
# Property tests run 2,000 examples each (tests/conftest.py).
export HYPOTHESIS_PROFILE=ci
exec .venv/bin/python -m pytest "$@"
