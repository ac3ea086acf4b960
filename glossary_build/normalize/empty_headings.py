"""Rule: a ``###`` line without a title shows as text, not as an empty heading."""

from __future__ import annotations

from dataclasses import replace

from ..markdown_syntax import EMPTY_HEADING_RE, fenced_lines
from ..types import Diagnostic, Line, RawNote, Section
from .sections import map_sections


def literal_empty_headings(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A `###` line without a title is not a heading (parse.py reports it): show it as text,
    not as the empty heading Markdown would make of it."""

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = tuple(
            Line(ln.number, "\\" + ln.text)
            if ln.number not in fenced and EMPTY_HEADING_RE.match(ln.text)
            else ln
            for ln in section.body
        )
        return replace(section, body=body)

    return map_sections(note, rewrite), ()


__all__ = [
    "literal_empty_headings",
]
