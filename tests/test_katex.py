"""The render cache and the two engines (markdown-katex's binary, npm katex in Node)."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary_build.katex import DEFAULT_NPM_KATEX, KatexRenderer, bundled_katex_binary
from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.types import SourceFile

from .helpers import ROOT

pytestmark = pytest.mark.site  # runs mkdocs, npm's KaTeX or a browser

NPM_KATEX = ROOT / DEFAULT_NPM_KATEX


@pytest.fixture(scope="module")
def corpus_formulas() -> list[tuple[str, bool]]:
    result = build(BuildConfig(ROOT))
    keys = [(f.tex, f.display) for note in result.notes for f in note.formulas]
    assert len(keys) == 117
    return list(dict.fromkeys(keys))


def test_engines_give_byte_identical_html(
    corpus_formulas: list[tuple[str, bool]], tmp_path: Path
) -> None:
    """The node engine may be the default only because its HTML is markdown-katex's."""
    binary = KatexRenderer(tmp_path / "a", engine="markdown-katex")
    node = KatexRenderer(tmp_path / "b", engine="node", npm_katex=NPM_KATEX)
    assert binary.version == node.version
    from_binary = binary.render_many(corpus_formulas)
    from_node = node.render_many(corpus_formulas)
    assert all(r.ok for r in from_binary.values())
    different = [k for k in corpus_formulas if from_binary[k].html != from_node[k].html]
    assert not different
    assert binary.processes_started == len(corpus_formulas)
    assert node.processes_started <= node.jobs


@pytest.mark.parametrize("engine", ["markdown-katex", "node"])
def test_warm_cache_starts_no_process(engine: str, tmp_path: Path) -> None:
    keys = [(r"\frac{1}{1 + e^{-z}}", True), (r"p_t \in [0, 1]", False)]
    cold = KatexRenderer(tmp_path, engine=engine, npm_katex=NPM_KATEX)
    first = cold.render_many(keys)
    assert cold.processes_started >= 1
    warm = KatexRenderer(tmp_path, engine=engine, npm_katex=NPM_KATEX)
    assert warm.render_many(keys) == first
    assert warm.processes_started == 0


def test_cache_does_not_depend_on_where_the_binary_lives(tmp_path: Path) -> None:
    """Moving the virtualenv moves the binary; the cache key is KaTeX's version, not a path."""
    first = KatexRenderer(tmp_path, engine="markdown-katex")
    first.render("x^2", False)
    copy = tmp_path / "elsewhere" / bundled_katex_binary().name
    copy.parent.mkdir()
    copy.symlink_to(bundled_katex_binary())
    moved = KatexRenderer(tmp_path, command=[str(copy)], engine="markdown-katex")
    assert moved.render("x^2", False).ok
    assert moved.processes_started == 0


@pytest.mark.parametrize("engine", ["markdown-katex", "node"])
def test_bad_tex_gives_katex_message(engine: str, tmp_path: Path) -> None:
    renderer = KatexRenderer(tmp_path, engine=engine, npm_katex=NPM_KATEX)
    result = renderer.render(r"\frac{a", False)
    assert result.html is None
    assert result.error is not None
    assert "expected '}'" in result.error
    assert not result.error.startswith("KaTeX parse error")


def test_bad_tex_is_reported_with_path_and_line_and_the_page_still_builds(
    tmp_path: Path,
) -> None:
    note = SourceFile("concepts/n.md", "### 好\n\n$x^2$\n\n### 坏\n\n正文 $\\frac{a$ 继续\n")
    renderer = KatexRenderer(tmp_path, npm_katex=NPM_KATEX)
    result = build_from_sources([note], renderer=renderer)
    problems = [d.format() for d in result.diagnostics if d.code == "katex"]
    assert len(problems) == 1
    assert problems[0].startswith("concepts/n.md:7: warning: KaTeX: ")
    assert [s.formulas_rendered for s in result.stats] == [1]
    assert any("继续" in page for page in result.pages.values())
