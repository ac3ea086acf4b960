"""A rebuild that reuses the previous build's work (`mkdocs serve`) equals a fresh build.

Copies the notes to a temporary directory, builds with a ``BuildCache``, edits the notes the
way an author does, builds again with the same cache and compares everything the build
returns with a build from nothing.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from glossary_build.incremental import BuildCache
from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult

from .helpers import CONCEPTS

GLOSSARY = "深度学习术语表.md"
QA = "HandsOnML-第11章问答.md"


def _edit_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _change_a_sentence(notes: Path) -> None:
    _edit_line(notes / GLOSSARY, "\n    张量", "\n    张量（改过的一句）")


def _insert_a_line(notes: Path) -> None:
    _edit_line(notes / GLOSSARY, "\n### ", "\n补充的一行。\n\n### ")


def _rename_a_concept(notes: Path) -> None:
    path = notes / GLOSSARY
    heading = re.search(r"^### .+$", path.read_text(encoding="utf-8"), re.M)
    assert heading
    _edit_line(path, heading[0], heading[0] + " 新名字")


def _add_a_concept_that_links(notes: Path) -> None:
    with (notes / GLOSSARY).open("a", encoding="utf-8") as out:
        out.write("\n### 增量测试概念 (Incremental Check)\n\n    和张量、梯度下降有关。\n")


def _change_a_formula(notes: Path) -> None:
    _edit_line(notes / QA, "`KaTeX:fan_{avg}`", "`KaTeX:fan_{avg} + 1`")


def _remove_a_note(notes: Path) -> None:
    (notes / "早期草稿.md").unlink()


def _add_a_note(notes: Path) -> None:
    (notes / "新笔记.md").write_text("## 新笔记里的概念\n\n提到 Dropout 和张量。\n", "utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "sentence changed": _change_a_sentence,
    "line inserted": _insert_a_line,
    "concept renamed": _rename_a_concept,
    "concept added": _add_a_concept_that_links,
    "formula changed": _change_a_formula,
    "note removed": _remove_a_note,
    "note added": _add_a_note,
}


def _comparable(result: BuildResult) -> tuple[object, ...]:
    return (
        result.pages,
        result.nav,
        result.diagnostics,
        result.stats,
        result.entries,
        result.merges,
        result.graph,
    )


@pytest.mark.parametrize("edit", list(EDITS))
def test_rebuild_with_cache_equals_fresh_build(tmp_path: Path, edit: str) -> None:
    shutil.copytree(CONCEPTS, tmp_path / "concepts")
    config = BuildConfig(tmp_path)
    cache = BuildCache()
    first = build(config, cache=cache)
    EDITS[edit](tmp_path / "concepts")
    rebuilt = build(config, cache=cache)
    fresh = build(config)
    assert _comparable(rebuilt) == _comparable(fresh)
    assert rebuilt.pages != first.pages


def test_unchanged_concepts_of_a_saved_note_are_not_linked_again(tmp_path: Path) -> None:
    shutil.copytree(CONCEPTS, tmp_path / "concepts")
    config = BuildConfig(tmp_path)
    cache = BuildCache()
    build(config, cache=cache)
    _change_a_sentence(tmp_path / "concepts")
    calls: list[str] = []
    import glossary_build.pipeline as pipeline

    original = pipeline.link_entry

    def counting_link_entry(*args: object) -> object:
        calls.append("link")
        return original(*args)  # type: ignore[arg-type]

    pipeline.link_entry = counting_link_entry  # type: ignore[assignment]
    try:
        build(config, cache=cache)
    finally:
        pipeline.link_entry = original
    assert 1 <= len(calls) <= 2
