#!/usr/bin/env bash
# Install what the site needs into .venv, then preview it live (default) or build it.
#   bash scripts/site.sh          → mkdocs serve on http://127.0.0.1:8000, reloads on edits
#   bash scripts/site.sh build    → mkdocs build --strict into site/ (what GitHub Pages serves)
set -euo pipefail
. "$(dirname "$0")/_venv.sh"
if [ "${1:-serve}" = build ]; then
  exec .venv/bin/mkdocs build --strict
fi
# mkdocs 1.6.1 with Click >= 8.2.2 turns livereload off unless it is asked for explicitly.
# --dirty: a rebuild keeps the pages whose Markdown and nav did not change (the glossary
# plugin makes that exact: glossary_build/page_reuse.py).
exec .venv/bin/mkdocs serve --livereload --dirty --dev-addr 127.0.0.1:8000
