"""What every rule shares: its type, and rewriting a note one section at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..types import Diagnostic, RawNote, Section

Rule = Callable[[RawNote], tuple[RawNote, tuple[Diagnostic, ...]]]


def map_sections(note: RawNote, rewrite: Callable[[Section], Section]) -> RawNote:
    """The note with ``rewrite`` applied to each of its sections."""
    return replace(note, sections=tuple(rewrite(s) for s in note.sections))


__all__ = [
    "Rule",
    "map_sections",
]
