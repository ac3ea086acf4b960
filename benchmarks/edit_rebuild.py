"""Our step's time when the author saves one note, as `mkdocs serve` sees it.

Usage: .venv/bin/python benchmarks/edit_rebuild.py PROJECT [--runs 5] [--profile OUT]

Builds PROJECT/concepts once with a fresh build cache (what the first build of `mkdocs serve`
does, KaTeX from the render cache), then N times: change one sentence of a concept in the
biggest note (the line count stays, as when a word is fixed) and build again with the same
cache. Prints the first build's time and each rebuild's, split into the pipeline
(``glossary_build.pipeline.build``) and the plugin's page work (``plugin_pages``: the
generated files, search terms and jieba words, as ``on_files`` does them). Not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from glossary_build.incremental import BuildCache, MemoTable  # noqa: E402
from glossary_build.katex import DEFAULT_CACHE_DIR, DEFAULT_NPM_KATEX, KatexRenderer  # noqa: E402
from glossary_build.mkdocs_plugin.search import concept_names  # noqa: E402
from glossary_build.mkdocs_plugin.serving import settle_long_lived_objects  # noqa: E402
from glossary_build.pipeline import BuildConfig, build  # noqa: E402


def edit_one_sentence(note: Path, run: int) -> None:
    lines = note.read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(lines) // 2
    target = next(
        i
        for i in range(middle, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith(("#", "|", "`", "$", ">"))
    )
    lines[target] = lines[target].rstrip("\n") + f" 修改{run}。\n"
    note.write_text("".join(lines), encoding="utf-8")


def timed_build(
    project: Path, cache: BuildCache, records: MemoTable[Any, Any], renderer: KatexRenderer
) -> tuple[float, float]:
    """The pipeline's time, then the plugin's names records (kept as the plugin keeps them)."""
    start = time.perf_counter()
    result = build(BuildConfig(project), renderer, cache)
    middle = time.perf_counter()
    concept_names(result, records)
    return middle - start, time.perf_counter() - middle


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the rebuilds here")
    args = parser.parse_args()
    project: Path = args.project.resolve()
    notes = sorted((project / "concepts").rglob("*.md"), key=lambda p: p.stat().st_size)
    biggest = notes[-1]
    renderer = KatexRenderer(ROOT / DEFAULT_CACHE_DIR, npm_katex=ROOT / DEFAULT_NPM_KATEX)
    cache, records = BuildCache(), MemoTable[Any, Any]()
    first = timed_build(project, cache, records, renderer)
    settle_long_lived_objects()  # as `mkdocs serve` does after its first build
    print(f"first build: pipeline {first[0]:.2f} s, plugin pages {first[1]:.2f} s")
    profiler = cProfile.Profile() if args.profile else None
    totals = []
    for run in range(args.runs):
        edit_one_sentence(biggest, run)
        if profiler:
            profiler.enable()
        pipeline_s, plugin_s = timed_build(project, cache, records, renderer)
        if profiler:
            profiler.disable()
        totals.append(pipeline_s + plugin_s)
        print(
            f"edit {run + 1} ({biggest.name}): pipeline {pipeline_s:.3f} s, "
            f"plugin pages {plugin_s:.3f} s, total {pipeline_s + plugin_s:.3f} s"
        )
    print(f"median of {len(totals)}: {statistics.median(totals):.3f} s")
    if profiler:
        profiler.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
