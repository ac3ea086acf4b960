"""The held-back query set (benchmarks/heldback_queries.tsv) is exactly what
benchmarks/heldback_queries.py generates from the real notes: no row is picked or edited by
hand, every expected title is a concept page, and none is a concept the tuned set names."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult

from .helpers import ROOT
from .test_search_queries import _load

HELDBACK = ROOT / "benchmarks" / "heldback_queries.tsv"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _load("heldback_queries")


@pytest.fixture(scope="module")
def result() -> BuildResult:
    return build(BuildConfig(root=ROOT, url_map=Path("glossary-urls.json")))


def _committed() -> list[tuple[str, str, str]]:
    lines = HELDBACK.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "query\texpected_title\tkind"
    return [(f[0], f[1], f[2]) for f in (line.split("\t") for line in lines[1:])]


def test_the_committed_file_is_the_scripts_output(script: ModuleType, result: BuildResult) -> None:
    generated = script.render(script.heldback_rows(result, seed=7))
    assert HELDBACK.read_text(encoding="utf-8") == generated


def test_expected_titles_are_held_back_concept_pages(
    script: ModuleType, result: BuildResult
) -> None:
    titles = {entry.title for entry in result.entries}
    tuned = script.read_tuned()
    rows = _committed()
    assert [r for r in rows if r[1] not in titles] == []
    assert [r for r in rows if r[1] in tuned.titles or r[0].casefold() in tuned.queries] == []
    kinds = Counter(kind for _, _, kind in rows)
    assert set(kinds) == set(_load("search_quality").KINDS)
    assert kinds["body"] >= 50
