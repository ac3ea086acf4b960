# Sourced by the other scripts: make .venv (Python >= 3.11) and install the project into it.
# Usage: . scripts/_venv.sh [extra]   e.g. extra=test installs '.[test]'.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python_bin=${PYTHON:-}
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      python_bin=$candidate
      break
    fi
  done
fi
if [ -z "$python_bin" ]; then
  echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
extra=${1:-}
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"

# Browser libraries the site serves itself (no CDN), kept out of git, from the npm registry, all
# in one `npm install` (a second one into the same prefix would remove what the first put there):
# - KaTeX's CSS and fonts, of the version markdown-katex's bundled katex renders with;
# - force-graph, the concept graph's renderer (chosen by benchmarks/graph_render.py spike),
#   pinned exactly: glossary_build/mkdocs_plugin.py serves its dist/force-graph.min.js.
katex_version=$(.venv/bin/python -c 'from glossary_build.katex import KatexRenderer; print(KatexRenderer().version)')
force_graph_version=$(.venv/bin/python -c 'from glossary_build.mkdocs_plugin import FORCE_GRAPH_VERSION; print(FORCE_GRAPH_VERSION)')
npm_packages=("katex@$katex_version" "force-graph@$force_graph_version")
npm_missing=false
for package in "${npm_packages[@]}"; do
  manifest=".cache/npm/node_modules/${package%@*}/package.json"
  if [ ! -f "$manifest" ] || ! grep -q "\"version\": \"${package##*@}\"" "$manifest"; then
    npm_missing=true
  fi
done
if [ "$npm_missing" = true ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm "${npm_packages[@]}"
fi
