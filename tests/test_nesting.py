"""No input crashes the build by nesting (issue 12, row 5): Python-Markdown recursed once or
twice per list, quote or `<div markdown>` level and per nested emphasis, and gave up with a
RecursionError (`'- ' * 500 + 'x'`: no page written). normalize.limit_nesting flattens what
is deeper than it can take, keeps the text and says where."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_build.normalize.nesting import MAX_NESTING
from glossary_build.pipeline import build_from_sources
from glossary_build.types import BuildResult, SourceFile

from .helpers import render_page

NOTE = "concepts/note.md"


def build_note(body: str) -> BuildResult:
    return build_from_sources([SourceFile(NOTE, f"### 张量\n\n{body}\n", frozenset())], "Test")


def rendered(result: BuildResult) -> str:
    page = next(t for p, t in result.pages.items() if p.startswith("concepts/"))
    # MkDocs renders from deeper in the stack than a test does: leave it the same headroom.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit - 150)
    try:
        return render_page(page)
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize(
    "body",
    [
        "- " * 500 + "x",
        "1. " * 500 + "x",
        "+ " * 2000 + "x",
        "- > 1. " * 400 + "x",
        "*" * 3000 + "x" + "*" * 3000,
        "_" * 3000 + "x" + "_" * 3000,
        "<div markdown>\n" * 400 + "x\n" + "</div>\n" * 400,
    ],
    ids=["list", "ordered", "plus", "mixed", "stars", "underscores", "div-markdown"],
)
def test_deep_nesting_renders_with_a_diagnostic(body: str) -> None:
    result = build_note(body)
    html = rendered(result)
    assert "x" in html
    found = [d for d in result.diagnostics if d.code == "nesting-depth"]
    assert found and all(str(d.span).startswith(f"{NOTE}:") for d in found)


def test_list_nested_by_indentation_renders() -> None:
    body = "\n".join(["前言"] * 700 + ["", *("  " * i + "- x" for i in range(600))])
    assert "<li>" in rendered(build_note(body)) or "- x" in rendered(build_note(body))


def test_nesting_the_notes_use_is_left_alone() -> None:
    body = "- a\n  - b\n    - c\n      > d\n      > > e\n\n**粗** *斜* _x_"
    result = build_note(body)
    assert not [d for d in result.diagnostics if d.code == "nesting-depth"]
    assert "<li>c" in rendered(result)


def test_flattened_markers_show_as_typed() -> None:
    html = rendered(build_note("- " * (MAX_NESTING + 5) + "x"))
    assert html.count("<li>") == MAX_NESTING
    assert "- - - - - x" in html


_MARKERS = st.lists(
    st.sampled_from(["- ", "* ", "+ ", "1. ", "> ", ">", "  ", "    ", "*", "_", "**", "\n"]),
    min_size=0,
    max_size=1200,
).map("".join)


@settings(max_examples=30, deadline=None)
@given(_MARKERS)
def test_no_nesting_raises(body: str) -> None:
    rendered(build_note(body + "x"))
