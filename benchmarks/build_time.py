"""Print our step's time per stage and the whole `mkdocs build` time, cold and warm.

Usage: .venv/bin/python benchmarks/build_time.py [--repeat N]
Not a test: numbers depend on the machine. Stage times are the best of N runs; the mkdocs
builds run once each: cold (empty KaTeX cache) then warm (same cache).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from glossary_build.katex import DEFAULT_CACHE_DIR, DEFAULT_NPM_KATEX, KatexRenderer
from glossary_build.model import to_concepts
from glossary_build.normalize import normalize
from glossary_build.parse import parse_note
from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.sources import discover

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def mkdocs_build(root: Path, cache: Path) -> tuple[float, str]:
    env = {**os.environ, "GLOSSARY_KATEX_CACHE": str(cache)}
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", out],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
    match = re.search(r"KaTeX: .*", proc.stderr)
    return seconds, match.group(0) if match else "(no KaTeX line in the log)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root: Path = args.root

    t_discover, (sources, _) = best_of(args.repeat, lambda: discover(root / "concepts", root))
    t_parse, raws = best_of(args.repeat, lambda: [parse_note(s)[0] for s in sources])
    t_normalize, notes = best_of(args.repeat, lambda: [normalize(r)[0] for r in raws])
    t_model, _ = best_of(args.repeat, lambda: [to_concepts(n)[0] for n in notes])
    t_pure, _ = best_of(args.repeat, lambda: build_from_sources(sources))
    t_emit = max(0.0, t_pure - t_parse - t_normalize - t_model)
    renderer = KatexRenderer(root / DEFAULT_CACHE_DIR, npm_katex=root / DEFAULT_NPM_KATEX)
    t_all, result = best_of(args.repeat, lambda: build(BuildConfig(root), renderer))
    t_math = max(0.0, t_all - t_pure - t_discover)

    with tempfile.TemporaryDirectory() as cache:
        t_cold, cold_log = mkdocs_build(root, Path(cache))
        t_warm, warm_log = mkdocs_build(root, Path(cache))

    concepts = sum(s.concepts for s in result.stats)
    print(f"notes: {len(sources)}  concepts: {concepts}  pages: {len(result.pages)}")
    print(f"{'stage':<34}{'seconds':>10}")
    for name, seconds in [
        ("discover (read notes)", t_discover),
        ("parse", t_parse),
        ("normalize", t_normalize),
        ("model", t_model),
        ("slugs + emit", t_emit),
        ("math (warm render cache)", t_math),
        ("glossary-build total (warm)", t_all),
        ("mkdocs build --strict, cold cache", t_cold),
        ("mkdocs build --strict, warm cache", t_warm),
    ]:
        print(f"{name:<34}{seconds:>10.3f}")
    print(f"our share of the warm build: {100 * t_all / t_warm:.1f}%")
    print(f"cold build: {cold_log}")
    print(f"warm build: {warm_log}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
