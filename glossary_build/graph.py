"""The concept graph as data: concept pages as nodes, their cross-links, neighbourhoods.

Made from what the link stage already found (each entry's link targets), never from a second
read of the notes. Pure: related.py scores related concepts over it, graph_json.py writes it
as the files of ``graph/`` (format: GRAPH-FORMAT.md).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .emit import plain_title
from .types import Entry, PagePath, Slug

__all__ = [
    "INFLUENCE_RADIUS",
    "LOCAL_NODE_CAP",
    "ConceptGraph",
    "Neighbourhood",
    "Node",
    "SourceNote",
    "affected",
    "concept_graph",
    "graph_nodes",
    "group_label",
    "neighbourhood",
    "siblings",
]

LOCAL_NODE_CAP = 40
"""Nodes a local graph shows at most (the page's own included): more is unreadable."""


@dataclass(frozen=True, slots=True)
class SourceNote:
    """A note an entry was merged from besides its first one: a node of its local graph."""

    note: str
    page: PagePath


@dataclass(frozen=True, slots=True)
class Node:
    """A concept page as the graph sees it (names as the page shows them)."""

    slug: Slug
    page: PagePath
    title: str
    aliases: tuple[str, ...]
    note: str
    """The name of the note its first text is in."""
    group: str
    """Its first group, as ``note / group / subgroup``; empty when it has none."""
    groups: tuple[str, ...]
    """Every group its sources file it under (a merged entry may have several)."""
    sources: tuple[SourceNote, ...] = ()
    """The other notes it was merged from (one each, not the first note)."""


@dataclass(frozen=True, slots=True)
class ConceptGraph:
    """Concept pages and the cross-links between them, by index (the entries' order)."""

    nodes: tuple[Node, ...]
    links: tuple[tuple[int, ...], ...]
    """Each node's link targets in order of first mention, each once, never itself."""
    cited_by: tuple[tuple[int, ...], ...] = field(init=False, compare=False, repr=False)
    neighbours: tuple[frozenset[int], ...] = field(init=False, compare=False, repr=False)
    """Linked either way."""
    groups: Mapping[str, tuple[int, ...]] = field(init=False, compare=False, repr=False)
    """Each group's members in entry (document) order."""
    group_positions: tuple[tuple[int, ...], ...] = field(init=False, compare=False, repr=False)
    """Where each node is in each of its groups (aligned with ``Node.groups``)."""
    degrees: tuple[int, ...] = field(init=False, compare=False, repr=False)
    page_rank: tuple[int, ...] = field(init=False, compare=False, repr=False)
    """Each node's place in page order: how ties are broken."""
    degree_rank: tuple[int, ...] = field(init=False, compare=False, repr=False)
    """Each node's place by degree (most first), then page: how neighbours are chosen."""

    def __post_init__(self) -> None:
        cited_by: list[list[int]] = [[] for _ in self.nodes]
        for source, targets in enumerate(self.links):
            for target in targets:
                cited_by[target].append(source)
        members: dict[str, list[int]] = {}
        for index, node in enumerate(self.nodes):
            for group in node.groups:
                members.setdefault(group, []).append(index)
        object.__setattr__(self, "cited_by", tuple(tuple(c) for c in cited_by))
        object.__setattr__(
            self,
            "neighbours",
            tuple(
                frozenset(out).union(into) for out, into in zip(self.links, cited_by, strict=True)
            ),
        )
        object.__setattr__(self, "groups", {g: tuple(m) for g, m in members.items()})
        where: dict[tuple[str, int], int] = {
            (group, member): at for group, m in members.items() for at, member in enumerate(m)
        }
        object.__setattr__(
            self,
            "group_positions",
            tuple(tuple(where[(g, i)] for g in node.groups) for i, node in enumerate(self.nodes)),
        )
        degrees = tuple(len(n) for n in self.neighbours)
        object.__setattr__(self, "degrees", degrees)
        by_page = sorted(range(len(self.nodes)), key=lambda i: self.nodes[i].page)
        page_rank = [0] * len(self.nodes)
        for rank, i in enumerate(by_page):
            page_rank[i] = rank
        object.__setattr__(self, "page_rank", tuple(page_rank))
        by_degree = sorted(range(len(self.nodes)), key=lambda i: (-degrees[i], page_rank[i]))
        degree_rank = [0] * len(self.nodes)
        for rank, i in enumerate(by_degree):
            degree_rank[i] = rank
        object.__setattr__(self, "degree_rank", tuple(degree_rank))

    def degree(self, index: int) -> int:
        """Distinct concepts linked with ``index`` either way."""
        return self.degrees[index]

    def edge_count(self) -> int:
        """Cross-links in the graph (each source → target once)."""
        return sum(len(targets) for targets in self.links)


def group_label(note: str, groups: Sequence[str]) -> str:
    """How the map names a group: the note, then the group headings (`术语表 / 激活函数`)."""
    return " / ".join((note, *groups)) if groups else ""


def concept_graph(
    entries: Sequence[Entry],
    links: Mapping[int, Iterable[int]],
    note_pages: Mapping[str, PagePath],
    previous: ConceptGraph | None = None,
) -> ConceptGraph:
    """The graph of ``entries`` (as the link stage returns them) and their ``links``
    (entry index → targets, as :func:`glossary_build.link.link_entry` found them). With
    ``previous``, a graph of the same entries' names (only links changed), its nodes."""
    nodes = previous.nodes if previous is not None else graph_nodes(entries, note_pages)
    targets = tuple(
        tuple(t for t in dict.fromkeys(links.get(i, ())) if t != i and 0 <= t < len(entries))
        for i in range(len(entries))
    )
    return ConceptGraph(nodes, targets)


def graph_nodes(entries: Sequence[Entry], note_pages: Mapping[str, PagePath]) -> tuple[Node, ...]:
    """Each entry as a node: its names as its page shows them, its note, groups, sources."""
    nodes = []
    for entry in entries:
        formulas = entry.title_part.formulas
        labels = [
            group_label(p.concept.note, p.concept.groups) for p in entry.parts if p.concept.groups
        ]
        first_note = entry.primary.span.path
        sources = {
            p.concept.span.path: SourceNote(p.concept.note, note_pages[p.concept.span.path])
            for p in entry.parts[1:]
            if p.concept.span.path != first_note and p.concept.span.path in note_pages
        }
        nodes.append(
            Node(
                slug=entry.slug,
                page=entry.path,
                title=plain_title(entry.title, formulas),
                aliases=tuple(plain_title(a, entry.parts[0].formulas) for a in entry.aliases),
                note=entry.primary.note,
                group=labels[0] if labels and entry.primary.groups else "",
                groups=tuple(dict.fromkeys(labels)),
                sources=tuple(sources.values()),
            )
        )
    return tuple(nodes)


INFLUENCE_RADIUS = 2
"""How far a change of links reaches: a concept's related list and local file are made of
what lies within two steps of it (their degrees included)."""


def affected(before: ConceptGraph, after: ConceptGraph) -> frozenset[int] | None:
    """The concepts whose related list and local file may differ between two graphs of the
    same nodes: those within :data:`INFLUENCE_RADIUS` steps (a link in either graph, or a
    shared group) of a concept whose links changed or of a concept it gained or lost a link
    to. None when the nodes differ (everything is made again)."""
    if before.nodes is not after.nodes and before.nodes != after.nodes:
        return None
    changed: set[int] = set()
    for index, (old, new) in enumerate(zip(before.links, after.links, strict=True)):
        if old != new:
            changed.add(index)
            changed.update(set(old).symmetric_difference(new))
    reached, frontier = set(changed), changed
    for _ in range(INFLUENCE_RADIUS):
        step: set[int] = set()
        for index in frontier:
            step.update(before.neighbours[index], after.neighbours[index])
            # A local graph's first ring holds its group siblings too, and the second ring
            # what they link with.
            for group in after.nodes[index].groups:
                step.update(after.groups[group])
        frontier = step - reached
        reached |= frontier
    return frozenset(reached)


# --- neighbourhood ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """What a concept's local graph shows: concepts by hop, merged-from notes, edges."""

    center: int
    depth: int
    """2, or 1 when the concept's own neighbours leave no room for theirs."""
    capped: bool
    total: int
    """Nodes at ``depth`` before the cap."""
    concepts: tuple[tuple[int, int], ...]
    """(concept index, hop), the center first."""
    sources: tuple[SourceNote, ...]
    edges: tuple[tuple[int, int, str], ...]
    """(from, to, kind) over local node numbers: the concepts in order, then the sources."""


def _ranked(graph: ConceptGraph, indices: Iterable[int], limit: int | None = None) -> list[int]:
    """Most linked first, then by page (so the same on every build); the first ``limit``."""
    rank = graph.degree_rank.__getitem__
    if limit is None:
        return sorted(indices, key=rank)
    return heapq.nsmallest(limit, indices, key=rank)


def siblings(graph: ConceptGraph, index: int) -> set[int]:
    """The other concepts of every group ``index`` is in."""
    found: set[int] = set()
    for group in graph.nodes[index].groups:
        found.update(graph.groups[group])
    found.discard(index)
    return found


def neighbourhood(graph: ConceptGraph, center: int, cap: int = LOCAL_NODE_CAP) -> Neighbourhood:
    """The concept, what it links to and what links to it, its group siblings and the notes
    it was merged from (hop 1), and the concepts those are linked with (hop 2), at most
    ``cap`` nodes: hop 1 first (linked concepts before group siblings), each by degree then
    page, then hop 2 likewise. Depth 1 when hop 1 fills the cap by itself."""
    sources = graph.nodes[center].sources
    group_mates = siblings(graph, center)
    ring = graph.neighbours[center] | group_mates
    fixed = 1 + len(sources)
    room = max(0, cap - fixed)
    # Linked concepts before siblings that are only siblings: a group can be a whole note.
    linked = graph.neighbours[center]
    kept1 = _ranked(graph, linked, room)
    kept1 += _ranked(graph, group_mates - linked, room - len(kept1))
    kept2: list[int] = []
    if len(ring) < room:
        # Only linked concepts lead further: a sibling's siblings are the center's own.
        reached = {n for i in ring for n in graph.neighbours[i]} - ring - {center}
        kept2 = _ranked(graph, reached, room - len(kept1))
        depth, total = 2, fixed + len(ring) + len(reached)
    else:
        depth, total = 1, fixed + len(ring)
    concepts = ((center, 0), *((i, 1) for i in kept1), *((i, 2) for i in kept2))
    number = {index: n for n, (index, _) in enumerate(concepts)}
    edges: list[tuple[int, int, str]] = []
    for index, _ in concepts:
        for target in graph.links[index]:
            if target in number:
                edges.append((number[index], number[target], "link"))
    for index in kept1:
        if index in group_mates and index not in graph.neighbours[center]:
            edges.append((0, number[index], "group"))
    edges.extend((0, len(concepts) + n, "merge") for n in range(len(sources)))
    return Neighbourhood(
        center=center,
        depth=depth,
        capped=total > len(concepts) + len(sources),
        total=total,
        concepts=concepts,
        sources=sources,
        edges=tuple(edges),
    )
