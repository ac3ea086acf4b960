"""The build's figures: per note (concepts, code blocks, images, formulas) and for the graph."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from .codes import Code
from .markdown_syntax import FENCE_LIKE_RE, HTML_IMAGE_RE, MARKDOWN_IMAGE_RE
from .math import is_math_fence
from .types import Diagnostic, Entry, GraphStats, Line, Merge, NoteOutline, NoteStats

__all__ = ["graph_stats", "merges", "note_stats"]

_PLACEHOLDER_RE = re.compile(r'class="gb-missing-image"')


def note_stats(outline: NoteOutline, formulas_rendered: int = 0) -> NoteStats:
    """A note's figures, as the build summary and the CLI report them."""
    lines = _all_lines(outline)
    code_blocks = 0
    fence: str | None = None
    for line in lines:
        match = FENCE_LIKE_RE.match(line.text)
        if fence is None and match:
            fence = match["fence"]
            code_blocks += not is_math_fence(match["info"])
        elif (
            fence is not None
            and match
            and match["fence"].startswith(fence)
            and not match["info"].strip()
        ):
            fence = None
    images = sum(
        len(MARKDOWN_IMAGE_RE.findall(ln.text))
        + len(HTML_IMAGE_RE.findall(ln.text))
        + len(_PLACEHOLDER_RE.findall(ln.text))
        for ln in lines
    )
    return NoteStats(
        note=outline.source.name,
        path=outline.source.path,
        concepts=len(outline.concepts),
        groups=len(outline.groups),
        subsections=sum(len(c.subsections) for c in outline.concepts),
        code_blocks=code_blocks,
        images=images,
        formulas=len(outline.formulas),
        formulas_rendered=formulas_rendered,
        empty_concepts=sum(1 for c in outline.concepts if c.is_empty),
    )


def _all_lines(outline: NoteOutline) -> list[Line]:
    lines = list(outline.preamble)
    for concept in outline.concepts:
        lines.extend(concept.all_lines())
    return lines


def merges(entries: Iterable[Entry]) -> tuple[Merge, ...]:
    """Every concept found in several places, with its sources and which of them repeat."""
    return tuple(
        Merge(
            e.title,
            tuple(p.concept.span for p in e.parts),
            tuple(p.same_as is not None for p in e.parts),
        )
        for e in entries
        if len(e.parts) > 1
    )


def graph_stats(
    entries: Sequence[Entry],
    merged: Sequence[Merge],
    link_problems: Iterable[Diagnostic],
    links: Mapping[int, Sequence[int]],
    referenced_by: Mapping[int, Sequence[int]],
) -> GraphStats:
    """The concept graph's figures: concepts, aliases, merges, cross-links, backlinks."""
    return GraphStats(
        concepts=len(entries),
        aliases=sum(len(e.aliases) for e in entries),
        ambiguous_aliases=sum(d.code == Code.AMBIGUOUS_ALIAS for d in link_problems),
        merges=len(merged),
        cross_links=sum(len(t) for t in links.values()),
        pages_with_backlinks=len(referenced_by),
    )
