"""Rule: nesting Python-Markdown cannot take (lists, quotes, HTML, emphasis) is flattened."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from ..codes import Code
from ..markdown_syntax import fenced_lines
from ..text import code_spans
from ..types import Diagnostic, Line, RawNote, Section, Severity, Span
from .sections import map_sections

# --- nesting Python-Markdown cannot take --------------------------------------------------

MAX_NESTING = 40
"""Container levels one line may open (list items, quotes, two columns of indentation each).
Python-Markdown recurses once or twice per level: `- ` 496 times on one line raised
RecursionError and no page was written. The real notes nest 4 deep at most."""
MAX_MARKDOWN_HTML_NESTING = 40
"""Nested raw HTML elements whose content is Markdown (`<div markdown>`): 331 raised."""
MAX_EMPHASIS_DELIMITERS = 200
"""Unescaped `*` and `_` in one line, outside code: 1,987 of each side nested too deep."""

_CONTAINER_MARKER_RE = re.compile(r"[ \t]*+(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")
_MARKDOWN_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*+)([^<>]*+)>")
_MARKDOWN_ATTRIBUTE_RE = re.compile(r"""\s+markdown(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?""")
_EMPHASIS_RE = re.compile(r"(?<!\\)[*_]")


def limit_nesting(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Nesting deeper than Python-Markdown can render is flattened, its text kept.

    List and quote markers past :data:`MAX_NESTING` on a line are escaped (shown as typed),
    indentation past it is cut to it; a `markdown` attribute past
    :data:`MAX_MARKDOWN_HTML_NESTING` nested elements is dropped (their text is then shown as
    it is); a line with more than :data:`MAX_EMPHASIS_DELIMITERS` `*`/`_` has them escaped.
    """
    diagnostics: list[Diagnostic] = []

    def report(line: Line, what: str) -> None:
        diagnostics.append(
            Diagnostic(
                Span(note.source.path, line.number),
                Severity.WARNING,
                Code.NESTING_DEPTH,
                f"{what}; flattened, its text shown as typed",
                "Markdown cannot render nesting this deep: write it flatter",
            )
        )

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        open_markdown: list[str] = []
        body = list(section.body)
        for index, line in enumerate(body):
            if line.number in fenced:
                continue
            text = _flatten_containers(line, report)
            text = _limit_markdown_html(text, open_markdown, line, report)
            text = _limit_emphasis(text, line, report)
            if text != line.text:
                body[index] = Line(line.number, text)
        return replace(section, body=tuple(body))

    return map_sections(note, rewrite), tuple(diagnostics)


def _flatten_containers(line: Line, report: Callable[[Line, str], None]) -> str:
    text = line.text
    if not text[:1].isspace() and not _CONTAINER_MARKER_RE.match(text):
        return text
    stripped = text.lstrip(" \t")
    indent = len(text[: len(text) - len(stripped)].expandtabs(4))
    markers: list[re.Match[str]] = []
    pos = 0
    while len(markers) <= MAX_NESTING and (marker := _CONTAINER_MARKER_RE.match(text, pos)):
        if marker.end() == pos:
            break
        markers.append(marker)
        pos = marker.end()
    if indent // 2 + len(markers) <= MAX_NESTING:
        return text
    while marker := _CONTAINER_MARKER_RE.match(text, pos):  # the rest, only now
        if marker.end() == pos:
            break
        markers.append(marker)
        pos = marker.end()
    report(line, f"{len(markers)} nested list or quote markers, {indent} columns of indentation")
    allowed = max(0, MAX_NESTING - min(indent, 2 * MAX_NESTING) // 2)
    pieces: list[str] = []
    last = 0
    for marker in markers[allowed:]:
        at = marker.start() + len(marker[0]) - len(marker[0].lstrip(" \t"))
        if text[at].isdigit():
            at = marker.start() + len(marker[0].rstrip(" \t")) - 1  # `1.` → `1\.`
        pieces += [text[last:at], "\\"]
        last = at
    pieces.append(text[last:])
    flattened = "".join(pieces)
    if indent > 2 * MAX_NESTING:
        flattened = " " * (2 * MAX_NESTING) + flattened.lstrip(" \t")
    return flattened


def _limit_markdown_html(
    text: str, open_markdown: list[str], line: Line, report: Callable[[Line, str], None]
) -> str:
    if "<" not in text:
        return text

    def tag(match: re.Match[str]) -> str:
        closing, name = match[1], match[2].lower()
        if closing:
            if open_markdown and open_markdown[-1] == name:
                open_markdown.pop()
            return match[0]
        if not _MARKDOWN_ATTRIBUTE_RE.search(match[3]):
            return match[0]
        if len(open_markdown) >= MAX_MARKDOWN_HTML_NESTING:
            report(line, f"<{name} markdown> nested more than {MAX_MARKDOWN_HTML_NESTING} deep")
            return f"<{match[2]}{_MARKDOWN_ATTRIBUTE_RE.sub('', match[3])}>"
        open_markdown.append(name)
        return match[0]

    return _MARKDOWN_TAG_RE.sub(tag, text)


def _limit_emphasis(text: str, line: Line, report: Callable[[Line, str], None]) -> str:
    if text.count("*") + text.count("_") <= MAX_EMPHASIS_DELIMITERS:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in [*code_spans(text), (len(text), len(text))]:
        pieces += [_EMPHASIS_RE.sub(r"\\\g<0>", text[pos:start]), text[start:end]]
        pos = end
    escaped = "".join(pieces)
    if escaped.count("\\") - text.count("\\") > MAX_EMPHASIS_DELIMITERS:
        report(line, f"more than {MAX_EMPHASIS_DELIMITERS} emphasis marks (`*`, `_`) on one line")
        return escaped
    return text


__all__ = [
    "MAX_EMPHASIS_DELIMITERS",
    "MAX_MARKDOWN_HTML_NESTING",
    "MAX_NESTING",
    "limit_nesting",
]
