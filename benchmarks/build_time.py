"""Print how long our step takes per stage and how long a whole `mkdocs build` takes.

Usage: .venv/bin/python benchmarks/build_time.py [--root DIR] [--repeat N]
Not a test: numbers depend on the machine. Best of N runs for the stages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from glossary_build.model import to_concepts
from glossary_build.normalize import normalize
from glossary_build.parse import parse_note
from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.sources import discover

T = TypeVar("T")


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root: Path = args.root

    t_discover, (sources, _) = best_of(args.repeat, lambda: discover(root / "concepts", root))
    t_parse, raws = best_of(args.repeat, lambda: [parse_note(s)[0] for s in sources])
    t_normalize, notes = best_of(args.repeat, lambda: [normalize(r)[0] for r in raws])
    t_model, _ = best_of(args.repeat, lambda: [to_concepts(n)[0] for n in notes])
    t_all, result = best_of(args.repeat, lambda: build(BuildConfig(root)))
    t_pure, _ = best_of(args.repeat, lambda: build_from_sources(sources))
    t_emit = max(0.0, t_pure - t_parse - t_normalize - t_model)

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", out],
            cwd=root,
            check=True,
            capture_output=True,
        )
        t_mkdocs = time.perf_counter() - start

    concepts = sum(s.concepts for s in result.stats)
    print(f"notes: {len(sources)}  concepts: {concepts}  pages: {len(result.pages)}")
    print(f"{'stage':<28}{'seconds':>10}")
    for name, seconds in [
        ("discover (read notes)", t_discover),
        ("parse", t_parse),
        ("normalize", t_normalize),
        ("model", t_model),
        ("slugs + emit", t_emit),
        ("glossary-build total", t_all),
        ("whole mkdocs build --strict", t_mkdocs),
    ]:
        print(f"{name:<28}{seconds:>10.3f}")
    print(f"our share of the build: {100 * t_all / t_mkdocs:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
