"""`mkdocs serve` while the author edits: saving a note updates the page, the index and nav.

Runs a real `mkdocs serve --livereload --dirty` (what README.md runs) on a free port in a temporary copy of the project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from glossary_build import outline, pipeline
from glossary_build.mkdocs_plugin import GlossaryPlugin
from glossary_build.mkdocs_plugin.notices import render_or_show_source
from glossary_build.types import PagePath, Severity, SourceFile, Span

from .helpers import ROOT, site_project
from .local_servers import free_port, mkdocs_serving
from .test_search_browser import search

pytestmark = pytest.mark.site  # runs mkdocs, npm's KaTeX or a browser

BOUND = 180.0  # seconds: a full rebuild of the corpus takes ~20 s on 2 cores


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(check: Callable[[], bool], what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < BOUND:
        if check():
            return time.monotonic() - start
        time.sleep(0.25)
    raise AssertionError(f"gave up after {BOUND:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def served_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = tmp_path_factory.mktemp("project")
    notes = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "concepts").iterdir()}
    site_project(project, notes)
    shutil.copy(ROOT / "glossary-urls.json", project / "glossary-urls.json")
    with mkdocs_serving(project, ROOT / ".cache" / "katex") as base:
        _wait_for(lambda: _get(f"{base}/concepts/tensor/") is not None, "the first build")
        yield project, base


def test_pages_are_served_with_livereload(served_copy: tuple[Path, str]) -> None:
    page = _get(f"{served_copy[1]}/concepts/tensor/")
    assert page is not None
    assert "livereload" in page


def test_saving_a_note_updates_its_page(served_copy: tuple[Path, str]) -> None:
    project, base = served_copy
    note = project / "concepts" / "早期草稿.md"
    marker = f"保存后立即可见的句子 {time.time_ns()}"
    note.write_text(note.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
    _wait_for(lambda: marker in (_get(f"{base}/concepts/qian-yi-xue-xi/") or ""), "the edit")


def test_adding_a_concept_updates_nav_index_and_links(served_copy: tuple[Path, str]) -> None:
    project, base = served_copy
    note = project / "concepts" / "早期草稿.md"
    added = "\n## 可微分架构搜索(Differentiable Architecture Search)\n\n一种张量上的搜索方法。\n"
    note.write_text(note.read_text(encoding="utf-8") + added, encoding="utf-8")
    url = f"{base}/concepts/differentiable-architecture-search/"
    _wait_for(lambda: "可微分架构搜索" in (_get(url) or ""), "the new concept's page")
    page = _get(url) or ""
    assert 'href="../tensor/"' in page
    assert "可微分架构搜索" in (_get(f"{base}/terms/") or "")
    assert "可微分架构搜索" in (_get(f"{base}/notes/zao-qi-cao-gao/") or "")


def test_the_search_box_finds_an_edited_notes_new_text(
    served_copy: tuple[Path, str], browser: Browser
) -> None:
    """A reader's tab is open while the author saves: livereload brings the new page, and the
    search box then finds the new words (the index is rewritten, nothing stale is cached)."""
    project, base = served_copy
    tab = browser.new_page()
    tab.goto(f"{base}/concepts/qian-yi-xue-xi/", wait_until="load")  # livereload polls on
    tab.keyboard.press("/")
    tab.wait_for_selector(".gb-search-result[data-names=ready]", timeout=30_000)
    word = f"zqxsaved{time.time_ns() % 10**6}"
    note = project / "concepts" / "早期草稿.md"
    marker = f"保存以后搜索得到 {word} 这个词。"
    # Into 迁移学习's own body (lines appended at the end go to the note's last concept, which
    # the other tests of this module change).
    text = note.read_text(encoding="utf-8")
    heading = "\n## 迁移学习\n"
    assert heading in text
    note.write_text(text.replace(heading, f"{heading}\n{marker}\n", 1), encoding="utf-8")
    tab.wait_for_function(
        "(marker) => document.querySelector('article')?.textContent.includes(marker) ?? false",
        arg=marker,
        timeout=BOUND * 1000,
    )
    # A save can make more than one rebuild, each reloading the tab: search again until the
    # tab stays (a stale index never finds the word, and the loop then gives up).
    found: list[str] = []
    snippet = ""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            tab.keyboard.press("/")
            tab.wait_for_selector(".gb-search-result[data-names=ready]", timeout=15_000)
            found = search(tab, word)
            snippets = tab.locator(".gb-search-snippet").all_inner_texts()
            snippet = snippets[0] if snippets else ""
        except PlaywrightError:
            continue
        if found[:1] == ["迁移学习"] and word in snippet:
            break
        tab.wait_for_timeout(500)
    assert found[:1] == ["迁移学习"], found
    assert word in snippet, snippet
    tab.close()


# --- the authoring loop never stops for a note (issue 12, row 10) -----------------------------

# A real `mkdocs serve` of a small project whose notes include an unclosed fence (a warning)
# and one that makes the build raise. The raise is injected: a bug a note's text reaches is
# what it stands for, and the real ones get fixed.
_INJECT = """
import sys
import glossary_build.outline as outline
_parse = outline.parse_note
def parse_note(source):
    if "BOOM-CRASH" in source.text:
        raise RuntimeError("injected bug")
    return _parse(source)
outline.parse_note = parse_note
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", *sys.argv[1:]]
cli()
"""
_GOOD = "### 张量 (Tensor)\n\n张量是多维数组。\n"
_FENCE = "### 轴 (Axis)\n\n轴的正文。\n\n```python\nprint('never closed')\n"
_CRASH = "### 崩溃 (Crash)\n\nBOOM-CRASH 这段正文仍然可见。\n"


@pytest.fixture(scope="module")
def broken_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    notes = {"good.md": _GOOD, "fence.md": _FENCE, "crash.md": _CRASH}
    project = site_project(tmp_path_factory.mktemp("broken"), notes)
    port = free_port()
    env = {
        **os.environ,
        "SITE_URL": f"http://127.0.0.1:{port}/",
        "GLOSSARY_KATEX_CACHE": str(ROOT / ".cache" / "katex"),
    }
    log = project / "serve.log"
    address = f"127.0.0.1:{port}"
    with log.open("wb") as out:
        # What scripts/site.sh runs (no --strict: mkdocs.yml no longer sets it).
        server = subprocess.Popen(
            [sys.executable, "-c", _INJECT, "serve", "--livereload", "--dirty", "-a", address],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:

            def started() -> bool:
                assert server.poll() is None, log.read_text(encoding="utf-8")[-2000:]
                return _get(f"{base}/concepts/tensor/") is not None

            _wait_for(started, "the first build with broken notes")
            yield project, base, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_mkdocs_yml_does_not_set_strict() -> None:
    assert not re.search(r"^strict:", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert "--strict" in (ROOT / "scripts" / "site.sh").read_text(encoding="utf-8")


def test_serve_starts_with_broken_notes_and_shows_their_problems(
    broken_served: tuple[Path, str, Path],
) -> None:
    _, base, log = broken_served
    fence = _get(f"{base}/notes/fence/") or ""
    assert "gb-problems" in fence and "concepts/fence.md:5" in fence
    axis = _get(f"{base}/concepts/axis/") or ""
    assert "gb-problems" in axis and "轴的正文" in axis
    crash = _get(f"{base}/notes/crash/") or ""
    assert "gb-problems" in crash and "RuntimeError: injected bug" in crash
    assert "这段正文仍然可见" in crash  # the note's text, as plain text
    assert "gb-problems" not in (_get(f"{base}/concepts/tensor/") or "x gb-problems")
    printed = log.read_text(encoding="utf-8", errors="replace")
    assert "concepts/crash.md:1: error: building this note raised RuntimeError" in printed


def test_a_rebuild_that_meets_broken_notes_still_serves_every_page(
    broken_served: tuple[Path, str, Path],
) -> None:
    project, base, _ = broken_served
    concepts = project / "concepts"
    (concepts / "crash2.md").write_text(_CRASH.replace("崩溃", "又崩溃"), encoding="utf-8")
    (concepts / "fence2.md").write_text("### 面 (Face)\n\n~~~\n没有结束\n", encoding="utf-8")
    marker = f"保存后的新句子 {time.time_ns()}"
    (concepts / "good.md").write_text(_GOOD + f"\n{marker}\n", encoding="utf-8")
    _wait_for(lambda: marker in (_get(f"{base}/concepts/tensor/") or ""), "the rebuild")
    assert "gb-problems" in (_get(f"{base}/notes/crash2/") or "")
    assert "gb-problems" in (_get(f"{base}/notes/fence2/") or "")
    assert "轴的正文" in (_get(f"{base}/concepts/axis/") or "")
    assert _get(f"{base}/terms/") is not None


def test_a_bug_in_one_note_stops_only_that_note(monkeypatch: pytest.MonkeyPatch) -> None:
    parse = outline.parse_note

    def parse_note(source: SourceFile) -> Any:
        if "BOOM-CRASH" in source.text:
            raise RecursionError("maximum recursion depth exceeded")
        return parse(source)

    monkeypatch.setattr(outline, "parse_note", parse_note)
    result = pipeline.build_from_sources(
        [SourceFile("concepts/crash.md", _CRASH + "````\n"), SourceFile("concepts/good.md", _GOOD)]
    )
    assert PagePath("concepts/tensor.md") in result.pages
    [problem] = [d for d in result.diagnostics if d.code == "build-crash"]
    assert problem.span == Span("concepts/crash.md", 1) and problem.severity is Severity.ERROR
    page = result.pages[result.note_pages["concepts/crash.md"]]
    # The whole text, inside a fence longer than the note's own backtick runs.
    assert "`````text\n### 崩溃 (Crash)\n\nBOOM-CRASH 这段正文仍然可见。\n````\n" in page


def test_a_page_markdown_cannot_render_shows_its_text_and_the_error() -> None:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="concepts/x.md"), markdown="# <b>标题</b>")

    def render(config: Any, files: Any) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    render_or_show_source(render, page)(None, None)  # type: ignore[arg-type]
    assert "RecursionError" in page.content and "gb-problems" in page.content
    assert "&lt;b&gt;标题&lt;/b&gt;" in page.content


def test_serve_watches_note_folders_without_following_links(tmp_path: Path) -> None:
    """MkDocs' polling observer follows links: watching concepts/ recursively with a link
    to /etc in it scanned all of /etc every second."""
    concepts = tmp_path / "concepts"
    (concepts / "sub" / "deeper").mkdir(parents=True)
    (concepts / ".obsidian").mkdir()
    (concepts / "etc").symlink_to("/etc")
    (concepts / "loop").symlink_to("..")
    watched: list[tuple[str, bool]] = []

    class Server:
        def watch(self, path: str, *, recursive: bool = True) -> None:
            watched.append((path, recursive))

    plugin = GlossaryPlugin()
    plugin.load_config({"concepts_dir": "concepts"})
    config = SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"))
    plugin.on_serve(Server(), config=config, builder=None)  # type: ignore[arg-type]
    assert watched == [
        (str(concepts), False),
        (str(concepts / "sub"), False),
        (str(concepts / "sub" / "deeper"), False),
    ]
