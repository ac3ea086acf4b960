"""What the URL map costs a build: the pipeline without a map and with one, alternating.

Usage: .venv/bin/python benchmarks/url_map.py [--runs N] [--synthetic N]

Builds the real notes (no KaTeX: the map does not touch formulas) without a map and with the
committed map, then a synthetic corpus of N concepts with a map made by its first build; also
times reading and writing the map. Prints medians in milliseconds. Never writes the
repository's map (the synthetic one lives in a temporary directory). Not a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from glossary_build import urls
from glossary_build.pipeline import BuildConfig, build

ROOT = Path(__file__).resolve().parent.parent


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def compare(root: Path, map_path: Path, runs: int, label: str) -> None:
    without = BuildConfig(root=root)
    with_map = BuildConfig(root=root, url_map=map_path)
    build(without)  # warm: jieba, pypinyin, caches of slugify
    plain: list[float] = []
    mapped: list[float] = []
    for run in range(runs):
        # Alternate which goes first, and collect the previous build's garbage untimed.
        order = [(plain, without), (mapped, with_map)]
        for times, config in order if run % 2 == 0 else order[::-1]:
            gc.collect()
            times.append(median_ms(partial(build, config), 1))
    result = build(with_map)
    assert result.url_map is not None
    text = urls.dumps(result.url_map)
    load = median_ms(lambda: urls.load(root / map_path, "map"), runs)
    dump = median_ms(lambda: urls.dumps(result.url_map), runs)  # type: ignore[arg-type]
    print(
        f"{label}: {len(result.entries)} concepts; build without map "
        f"{statistics.median(plain):.0f} ms, with map {statistics.median(mapped):.0f} ms "
        f"(×{statistics.median(mapped) / statistics.median(plain):.3f}); "
        f"map {len(text.encode()) / 1024:.0f} KB, read {load:.1f} ms, written {dump:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=2000)
    args = parser.parse_args()
    compare(ROOT, Path("glossary-urls.json"), args.runs, "real notes")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        (root / "concepts").mkdir()
        text = "".join(
            f"## 组{i // 50}\n\n### 概念{i} (Concept {i})\n\n第 {i} 个概念的正文。\n\n"
            for i in range(args.synthetic)
        )
        (root / "concepts" / "synthetic.md").write_text(text, encoding="utf-8")
        first = build(BuildConfig(root=root, url_map=Path("map.json")))
        assert first.url_map is not None
        (root / "map.json").write_text(urls.dumps(first.url_map), encoding="utf-8")
        compare(root, Path("map.json"), args.runs, "synthetic")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
