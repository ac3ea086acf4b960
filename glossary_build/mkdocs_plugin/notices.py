"""What the author sees of the notes' problems while writing: in the pages `mkdocs serve` shows."""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable, Collection
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..types import BuildResult, Diagnostic, PagePath, Severity
from .material import render_failure_notice

__all__ = [
    "render_or_show_source",
    "shown_problems",
    "with_notice",
]

log = get_plugin_logger("glossary_build.mkdocs_plugin")


def shown_problems(result: BuildResult, quiet: Collection[str]) -> dict[PagePath, list[Diagnostic]]:
    """The problems each generated page shows under `mkdocs serve`: a note's page, all of
    its note's; a concept's page, those of the lines it was made from (its heading up to the
    next concept of that note). INFO and ``quiet`` codes are left to the terminal."""
    starts: dict[str, list[int]] = {}
    for outline in result.notes:
        starts[outline.source.path] = sorted(c.span.line for c in outline.concepts)
    pages_of_concept: dict[tuple[str, int], PagePath] = {
        (p.concept.span.path, p.concept.span.line): e.path for e in result.entries for p in e.parts
    }
    shown: dict[PagePath, list[Diagnostic]] = {}
    for problem in result.diagnostics:
        if problem.severity is Severity.INFO or problem.code in quiet:
            continue
        path = problem.span.path
        note_page = result.note_pages.get(path)
        if note_page is not None:
            shown.setdefault(note_page, []).append(problem)
        lines = starts.get(path, [])
        at = bisect.bisect_right(lines, problem.span.line) - 1
        if at >= 0:
            page = pages_of_concept.get((path, lines[at]))
            if page is not None:
                shown.setdefault(page, []).append(problem)
    return shown


def with_notice(markdown: str, notice: str) -> str:
    """``markdown`` (a generated page) with ``notice`` after its front matter and title."""
    start = 0
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        start = end + 5 if end >= 0 else 0
    title = markdown.find("\n# ", start - 1)
    if title >= 0:
        line_end = markdown.find("\n", title + 1)
        start = len(markdown) if line_end < 0 else line_end + 1
    return f"{markdown[:start]}\n{notice}\n{markdown[start:]}"


def render_or_show_source(render: Callable[[MkDocsConfig, Files], None], page: Page) -> Any:
    """``page.render`` that, if Markdown raises on the page, shows its Markdown as text with
    the error (and logs it) instead of failing the whole build."""

    def guarded(config: MkDocsConfig, files: Files) -> None:
        try:
            render(config, files)
        except Exception as exc:  # one page's Markdown must not stop the site
            log.error(
                "%s: rendering the page raised %s: %s; its Markdown is shown as text",
                page.file.src_uri,
                type(exc).__name__,
                str(exc)[:300],
            )
            notice = render_failure_notice(exc)
            page.content = f"{notice}<pre>{html.escape(page.markdown or '')}</pre>"
            page.toc = get_toc([])
            page.present_anchor_ids = set()

    return guarded
