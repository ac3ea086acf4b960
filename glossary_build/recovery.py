"""What a note or a page becomes when building it raises: an error and its text, as text.

The other notes still build and `mkdocs serve` keeps serving."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TypeVar

from .codes import Code
from .emit import plain_title
from .text import escape_markdown
from .types import Diagnostic, Entry, Line, NoteOutline, Severity, SourceFile, Span

__all__ = [
    "crash_diagnostic",
    "guarded",
    "plain_entry_page",
    "plain_text_outline",
]

T = TypeVar("T")


def crash_diagnostic(span: Span, exc: BaseException, what: str = "this note") -> Diagnostic:
    """An exception in the build of one note or page, as a problem of that note."""
    return Diagnostic(
        span,
        Severity.ERROR,
        Code.BUILD_CRASH,
        f"building {what} raised {type(exc).__name__}: {str(exc)[:300]}; "
        "its text is shown as plain text",
        "please report this with the note: it is a bug in glossary_build",
    )


def guarded(
    compute: Callable[[], T],
    fallback: Callable[[], T],
    span: Span,
    what: str,
    found: list[Diagnostic],
) -> T:
    """``compute()``, or, if it raises, ``fallback()`` and an error diagnostic at ``span``."""
    try:
        return compute()
    except Exception as exc:  # one page's bug must not stop the others
        found.append(crash_diagnostic(span, exc, what))
        return fallback()


def _code_fence(text: str) -> str:
    """A fence longer than any run of backticks in ``text``, so nothing in it is Markdown."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def plain_text_outline(source: SourceFile) -> NoteOutline:
    """A note whose build failed: no concepts, its whole text shown as code."""
    fence = _code_fence(source.text)
    lines = source.text.split("\n")
    preamble = (
        Line(1, fence + "text"),
        *(Line(number, text) for number, text in enumerate(lines, start=1)),
        Line(len(lines), fence),
    )
    return NoteOutline(source, {}, 3, (), (), preamble)


def plain_entry_page(entry: Entry) -> str:
    """A concept page whose rendering failed: its title and its text as code."""
    concept = entry.parts[0].concept
    text = "\n".join([concept.raw_heading, *(ln.text for ln in concept.all_lines())])
    fence = _code_fence(text)
    title = plain_title(entry.title, entry.parts[0].formulas)
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=True)}\n---\n\n"
        f"# {escape_markdown(title)}\n\n{fence}text\n{text}\n{fence}\n"
    )
