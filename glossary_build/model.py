"""Stage 4: decide which headings are concepts, groups and sub-sections; split titles/aliases."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .codes import Code
from .headings import parse_heading
from .markdown_syntax import HEADING_ATTRIBUTES_RE
from .math import expand_math, formulas_as_tex
from .sanitize import sanitize_heading
from .types import (
    Concept,
    Diagnostic,
    Formula,
    GroupHeading,
    Line,
    NoteOutline,
    RawNote,
    Section,
    Severity,
    Span,
    SubSection,
)

# A level counts as "the concept level" only if it holds a real share of the headings (and
# at least two): 002 has two stray `#` headings with text among ~400 `###` terms, and they
# are not its level.
SIGNIFICANT_LEVEL_SHARE = 0.05

_GROUP_TITLE_SPLIT_RE = re.compile(r"&|＆|和|与|/")


def concept_level(sections: Sequence[Section]) -> int:
    """The shallowest heading level that owns body text and holds a real share of headings."""
    headings = [s for s in sections if s.level > 0]
    if not headings:
        return 0
    counts = Counter(s.level for s in headings)
    owning = sorted({s.level for s in headings if s.owns_text})
    threshold = max(2, math.ceil(SIGNIFICANT_LEVEL_SHARE * len(headings)))
    significant = [level for level in owning if counts[level] >= threshold]
    if significant:
        return significant[0]
    if owning:
        return owning[0]
    return max(counts)


def to_concepts(note: RawNote) -> tuple[NoteOutline, tuple[Diagnostic, ...]]:
    """Build the note's outline: groups, concepts and their sub-sections, in document order."""
    sections = note.sections
    level = concept_level(sections)
    diagnostics: list[Diagnostic] = []
    preamble: tuple[Line, ...] = ()
    groups: list[_Group] = []
    group_headings: list[GroupHeading] = []
    concepts: list[Concept] = []
    current: _Pending | None = None
    # Inside a fused group heading (`## 多输出分类 & 多输出多分类` with sub-headings), the
    # sub-headings are the concepts: the group's level + 1 acts as the concept level.
    fused_until = 0

    def flush() -> None:
        nonlocal current
        if current is not None:
            concepts.append(current.build(note.source.name, note.formulas))
            diagnostics.extend(current.diagnostics)
            current = None

    for index, section in enumerate(sections):
        if section.level == 0:
            preamble = section.body
            continue
        effective = level + 1 if fused_until and section.level > fused_until else level
        if fused_until and section.level <= fused_until:
            fused_until = 0
            effective = level
        if section.level < effective or (
            section.level == effective and _is_fused_group(sections, index)
        ):
            if section.owns_text and section.level < effective:
                flush()
                diagnostics.append(
                    Diagnostic(
                        section.span,
                        Severity.INFO,
                        Code.HEADING_LEVEL,
                        f"level-{section.level} heading with text in a note whose concepts are "
                        f"level {level}; treated as a concept",
                        f"write it as {'#' * level} if it is a concept",
                    )
                )
                current = _Pending(section, _enclosing(groups, section.level))
                continue
            flush()
            groups = [g for g in groups if g.level < section.level]
            groups.append(_group(section, note.formulas))
            path = tuple(g.title for g in groups)
            written = HEADING_ATTRIBUTES_RE.sub("", section.heading).strip()
            written = expand_math(written, note.formulas, plain=True)
            group_headings.append(GroupHeading(path, written, section.span))
            if section.level == effective:
                fused_until = section.level
            continue
        if section.level == effective or current is None:
            flush()
            current = _Pending(section, _enclosing(groups, section.level))
            continue
        current.subsections.append(section)
    flush()

    for concept in concepts:
        if concept.is_empty:
            diagnostics.append(
                Diagnostic(
                    concept.span,
                    Severity.INFO,
                    Code.EMPTY_CONCEPT,
                    f"concept '{concept.title}' has no text; its page says so",
                    "write a definition under the heading",
                )
            )
    outline = NoteOutline(
        note.source,
        note.front_matter,
        level,
        tuple(concepts),
        tuple(dict.fromkeys(g.path for g in group_headings)),
        preamble,
        note.formulas,
        tuple(group_headings),
    )
    return outline, tuple(diagnostics)


@dataclass(frozen=True, slots=True)
class _Group:
    level: int
    title: str
    aliases: tuple[str, ...]


def _group(section: Section, formulas: Sequence[Formula]) -> _Group:
    heading = parse_heading(section.heading)
    # A group has no page to show its status markers on: keep them in its title.
    title = expand_math(" ".join([heading.title, *heading.status]), formulas, plain=True)
    aliases = tuple(expand_math(a, formulas, plain=True) for a in heading.aliases)
    return _Group(section.level, title, aliases)


def _enclosing(groups: Sequence[_Group], level: int) -> tuple[_Group, ...]:
    return tuple(g for g in groups if g.level < level)


def _is_fused_group(sections: Sequence[Section], index: int) -> bool:
    """An empty heading whose own sub-headings are named in its title is a group of them."""
    section = sections[index]
    if section.owns_text:
        return False
    children: list[str] = []
    # By index: a slice (or islice) of the rest would cost the whole note for every heading.
    for child in (sections[i] for i in range(index + 1, len(sections))):
        if child.level <= section.level:
            break
        if child.level == section.level + 1:
            children.append(parse_heading(child.heading).title)
    title = parse_heading(section.heading).title
    parts = {p.strip() for p in _GROUP_TITLE_SPLIT_RE.split(title) if p.strip()}
    return len(parts) > 1 and any(child in parts for child in children)


class _Pending:
    """A concept being collected: its heading section plus the deeper sections that follow."""

    def __init__(self, section: Section, groups: tuple[_Group, ...]) -> None:
        self.section = section
        self.groups = groups
        self.subsections: list[Section] = []
        self.diagnostics: list[Diagnostic] = []

    def build(self, note_name: str, formulas: Sequence[Formula]) -> Concept:
        level = self.section.level
        subsections = []
        for section in self.subsections:
            # The one heading shown as Markdown (the rest are escaped as text), so the one
            # whose raw HTML is sanitized.
            title, found = sanitize_heading(section.heading, section.span)
            self.diagnostics.extend(found)
            subsections.append(SubSection(section.level - level, title, section.span, section.body))
        heading = parse_heading(self.section.heading)
        # A merged page shows every source's aliases with the first source's formulas: an
        # alias carries its formulas' TeX, not tokens that mean something only in its note.
        aliases = tuple(formulas_as_tex(a, formulas) for a in heading.aliases)
        return Concept(
            heading=replace(heading, aliases=aliases),
            raw_heading=self.section.heading,
            note=note_name,
            groups=tuple(g.title for g in self.groups),
            span=Span(self.section.span.path, self.section.span.line),
            body=self.section.body,
            subsections=tuple(subsections),
            group_aliases=tuple(g.aliases for g in self.groups),
        )


__all__ = [
    "SIGNIFICANT_LEVEL_SHARE",
    "concept_level",
    "to_concepts",
]
