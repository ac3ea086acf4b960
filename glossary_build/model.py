"""Stage 4: decide which headings are concepts, groups and sub-sections; split titles/aliases."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from .headings import parse_heading
from .math import expand_math
from .types import (
    Concept,
    Diagnostic,
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

_GROUP_TITLE_SPLIT_RE = re.compile(r"\s*(?:&|＆|和|与|/)\s*")


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
    groups: list[tuple[int, str]] = []
    all_groups: list[tuple[str, ...]] = []
    concepts: list[Concept] = []
    current: _Pending | None = None
    # Inside a fused group heading (`## 多输出分类 & 多输出多分类` with sub-headings), the
    # sub-headings are the concepts: the group's level + 1 acts as the concept level.
    fused_until = 0

    def flush() -> None:
        nonlocal current
        if current is not None:
            concepts.append(current.build(note.source.name))
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
                        "heading-level",
                        f"level-{section.level} heading with text in a note whose concepts are "
                        f"level {level}; treated as a concept",
                        f"write it as {'#' * level} if it is a concept",
                    )
                )
                current = _Pending(section, _group_titles(groups, section.level))
                continue
            flush()
            groups = [g for g in groups if g[0] < section.level]
            group = parse_heading(section.heading)
            # A group has no page to show its status markers on: keep them in its title.
            title = " ".join([group.title, *group.status])
            title = expand_math(title, note.formulas, plain=True)
            groups.append((section.level, title))
            all_groups.append(tuple(t for _, t in groups))
            if section.level == effective:
                fused_until = section.level
            continue
        if section.level == effective or current is None:
            flush()
            current = _Pending(section, _group_titles(groups, section.level))
            continue
        current.subsections.append(section)
    flush()

    for concept in concepts:
        if concept.is_empty:
            diagnostics.append(
                Diagnostic(
                    concept.span,
                    Severity.INFO,
                    "empty-concept",
                    f"concept '{concept.title}' has no text; its page says so",
                    "write a definition under the heading",
                )
            )
    outline = NoteOutline(
        note.source,
        note.front_matter,
        level,
        tuple(concepts),
        tuple(dict.fromkeys(all_groups)),
        preamble,
        note.formulas,
    )
    return outline, tuple(diagnostics)


def _group_titles(groups: list[tuple[int, str]], level: int) -> tuple[str, ...]:
    return tuple(title for group_level, title in groups if group_level < level)


def _is_fused_group(sections: Sequence[Section], index: int) -> bool:
    """An empty heading whose own sub-headings are named in its title is a group of them."""
    section = sections[index]
    if section.owns_text:
        return False
    children: list[str] = []
    for child in sections[index + 1 :]:
        if child.level <= section.level:
            break
        if child.level == section.level + 1:
            children.append(parse_heading(child.heading).title)
    parts = {p for p in _GROUP_TITLE_SPLIT_RE.split(parse_heading(section.heading).title) if p}
    return len(parts) > 1 and any(child in parts for child in children)


class _Pending:
    """A concept being collected: its heading section plus the deeper sections that follow."""

    def __init__(self, section: Section, groups: tuple[str, ...]) -> None:
        self.section = section
        self.groups = groups
        self.subsections: list[Section] = []

    def build(self, note_name: str) -> Concept:
        level = self.section.level
        subsections = tuple(
            SubSection(s.level - level, s.heading, s.span, s.body) for s in self.subsections
        )
        return Concept(
            heading=parse_heading(self.section.heading),
            raw_heading=self.section.heading,
            note=note_name,
            groups=self.groups,
            span=Span(self.section.span.path, self.section.span.line),
            body=self.section.body,
            subsections=subsections,
        )
