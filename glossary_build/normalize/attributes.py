"""Rules: the cheatsheet theme's attribute lines, and code fences' attribute lists."""

from __future__ import annotations

import re
from dataclasses import replace

from ..codes import Code
from ..markdown_syntax import (
    fence_attributes_from_notes,
    fenced_lines,
    scan_fences,
)
from ..types import Diagnostic, Line, RawNote, Section, Severity, Span
from .sections import map_sections

# `{.marker-none}`, `{.show-header .left-text}`: attribute lines of the cheatsheet theme.
ATTRIBUTE_LINE_RE = re.compile(r"^[ \t]*\{[ \t]*[.#][^{}]*\}[ \t]*$")


def consume_attribute_lines(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Drop theme attribute lines such as ``{.marker-none}`` (outside code)."""

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = tuple(
            ln for ln in section.body if ln.number in fenced or not ATTRIBUTE_LINE_RE.match(ln.text)
        )
        return replace(section, body=body)

    return map_sections(note, rewrite), ()


def fence_attribute_lists(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A fence's attribute list keeps only the language and highlight's options: an id or
    any other attribute from a note would reach the page (see
    :func:`~glossary_build.markdown_syntax.fence_attributes_from_notes`)."""
    diagnostics: list[Diagnostic] = []

    def rewrite(section: Section) -> Section:
        body = list(section.body)
        for fence in scan_fences([line.text for line in body]):
            if fence.end is None:
                continue  # never opened: its line is text
            line = body[fence.start]
            text, dropped = fence_attributes_from_notes(line.text)
            if not dropped:
                continue
            body[fence.start] = Line(line.number, text)
            diagnostics.append(
                Diagnostic(
                    Span(note.source.path, line.number),
                    Severity.WARNING,
                    Code.FENCE_ATTRIBUTES,
                    f"the code fence's attribute list sets {' '.join(dropped)}; left out",
                    "a fence may name its language ({.python}) and highlight options only",
                )
            )
        return replace(section, body=tuple(body))

    return map_sections(note, rewrite), tuple(diagnostics)


__all__ = [
    "ATTRIBUTE_LINE_RE",
    "consume_attribute_lines",
    "fence_attribute_lists",
]
