"""Stage 3: rewrite each section's body into Markdown that renders what the author meant.

The rules run in the order of :data:`RULES`; each takes a note and returns the rewritten note
plus the problems it found. Every output line keeps the number of the source line it came from.

One module per rule family; :data:`RULES` below is their order.
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping
from dataclasses import replace

from ..math import TOKEN_OPEN, TOKEN_RE, token
from ..types import Diagnostic, Formula, Line, RawNote, Section
from .attributes import consume_attribute_lines, fence_attribute_lists
from .bare_urls import link_bare_urls
from .brackets import escape_unclosable_brackets
from .empty_headings import literal_empty_headings
from .formulas import protect_math
from .glossary_bodies import indented_bodies
from .images import placeholder_missing_images
from .nesting import limit_nesting
from .raw_html import sanitize_html
from .sections import Rule
from .tables import repair_table_rows

__all__ = ["RULES", "NormalizedSection", "Rule", "SectionCache", "normalize", "section_key"]

RULES: tuple[Rule, ...] = (
    protect_math,
    consume_attribute_lines,
    fence_attribute_lists,
    repair_table_rows,
    indented_bodies,
    literal_empty_headings,
    sanitize_html,
    link_bare_urls,
    placeholder_missing_images,
    escape_unclosable_brackets,
    limit_nesting,
)
"""The normalization rules, in the order they run."""


NormalizedSection = tuple[Section, tuple[Formula, ...], tuple[Diagnostic, ...]]
SectionCache = MutableMapping[Hashable, NormalizedSection]
"""Normalized sections of one note by :func:`section_key` (see :func:`normalize`)."""


def normalize(
    note: RawNote, cache: SectionCache | None = None
) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Apply :data:`RULES`, section by section.

    Every rule rewrites one section at a time, seeing only it and what the note says of all of
    them (its path, the images beside it, whether its bodies are indented). So each section is
    normalized on its own, its formulas numbered from 0, then shifted after the formulas of
    the sections before it. With a ``cache`` (``mkdocs serve``: the note was saved), a section
    that did not change is not normalized again; afterwards the cache holds this note's
    sections only.
    """
    previous = dict(cache) if cache is not None else {}
    if cache is not None:
        cache.clear()
    sections: list[Section] = []
    formulas: list[Formula] = []
    diagnostics: list[Diagnostic] = []
    for section in note.sections:
        key = section_key(note, section) if cache is not None else None
        found = previous.get(key) if key is not None else None
        if found is None:
            found = _normalize_section(note, section)
        if cache is not None:
            cache[key] = found
        normalized, own_formulas, own_diagnostics = found
        if own_formulas and formulas:
            normalized = _shift_tokens(normalized, len(formulas))
        sections.append(normalized)
        formulas.extend(own_formulas)
        diagnostics.extend(own_diagnostics)
    return replace(note, sections=tuple(sections), formulas=tuple(formulas)), tuple(diagnostics)


def section_key(note: RawNote, section: Section) -> Hashable:
    """What a section's normalized form is made of (by value: the note was read again)."""
    return (
        note.source.path,
        note.source.assets,
        note.indented_bodies,
        section.level,
        section.heading,
        section.span,
        tuple(line.number for line in section.body),
        "\n".join(line.text for line in section.body),
    )


def _normalize_section(note: RawNote, section: Section) -> NormalizedSection:
    alone = replace(note, sections=(section,), formulas=())
    diagnostics: list[Diagnostic] = []
    for rule in RULES:
        alone, found = rule(alone)
        diagnostics.extend(found)
    return alone.sections[0], alone.formulas, tuple(diagnostics)


def _shift_tokens(section: Section, offset: int) -> Section:
    """The section's formula tokens numbered from ``offset`` instead of 0."""

    def shifted(text: str) -> str:
        if TOKEN_OPEN not in text:
            return text
        return TOKEN_RE.sub(lambda m: token(int(m[1]) + offset), text)

    body = tuple(
        Line(line.number, shifted(line.text)) if TOKEN_OPEN in line.text else line
        for line in section.body
    )
    return replace(section, heading=shifted(section.heading), body=body)
