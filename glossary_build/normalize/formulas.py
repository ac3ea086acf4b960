"""Rule: formulas in any of the four notations become opaque tokens before any other rule runs."""

from __future__ import annotations

from dataclasses import replace

from ..math import MathProtector
from ..types import Diagnostic, RawNote


def protect_math(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Replace every formula by a token before any other rule can touch its TeX."""
    protector = MathProtector(note.source.path)
    sections = tuple(
        replace(
            s,
            heading=protector.protect_heading(s.heading, s.span.line),
            body=protector.protect_lines(s.body),
        )
        for s in note.sections
    )
    note = replace(note, sections=sections, formulas=tuple(protector.formulas))
    return note, tuple(protector.diagnostics)


__all__ = [
    "protect_math",
]
