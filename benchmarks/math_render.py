"""Time KaTeX rendering of the corpus's formulas: cold (empty cache) and warm.

Usage: .venv/bin/python benchmarks/math_render.py [--jobs N]
Prints distinct formulas, processes started and seconds for each run. Not a test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from glossary_build.katex import DEFAULT_NPM_KATEX, ENGINES, KatexRenderer
from glossary_build.pipeline import BuildConfig, build

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--engine", choices=ENGINES, default="auto")
    args = parser.parse_args()
    result = build(BuildConfig(ROOT))
    keys = [(f.tex, f.display) for note in result.notes for f in note.formulas]
    distinct = list(dict.fromkeys(keys))
    print(f"formulas: {len(keys)}  distinct: {len(distinct)}")
    with tempfile.TemporaryDirectory() as cache:
        for label in ("cold (empty cache)", "warm (same cache, new process state)"):
            renderer = KatexRenderer(
                Path(cache), jobs=args.jobs, engine=args.engine, npm_katex=ROOT / DEFAULT_NPM_KATEX
            )
            start = time.perf_counter()
            rendered = renderer.render_many(distinct)
            seconds = time.perf_counter() - start
            failed = sum(1 for r in rendered.values() if not r.ok)
            print(
                f"{label:<40} {seconds:7.3f} s  katex processes: {renderer.processes_started:4d}"
                f"  engine: {renderer.engine}  jobs: {renderer.jobs}  failed: {failed}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
