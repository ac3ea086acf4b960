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

# KaTeX's CSS and fonts, of the version markdown-katex's bundled katex renders with; the site
# serves them itself (no CDN). Kept out of git, fetched from the npm registry.
katex_version=$(.venv/bin/python -c 'from glossary_build.katex import KatexRenderer; print(KatexRenderer().version)')
if [ ! -f ".cache/npm/node_modules/katex/package.json" ] ||
  ! grep -q "\"version\": \"$katex_version\"" .cache/npm/node_modules/katex/package.json; then
  npm install --silent --no-save --no-audit --no-fund --prefix .cache/npm "katex@$katex_version"
fi
