"""The concept graph as data: nodes, cross-links, neighbourhoods, related concepts, its JSON.

Made from what the link stage already found (each entry's link targets), never from a second
read of the notes. Pure: the plugin writes :func:`graph_files` into ``graph/`` (format:
GRAPH-FORMAT.md); emit.py lists :func:`related` on every concept page.

Related concepts are the ones a reader would look at next but that the page does not link
either way: pages that share neighbours with it (co-citation: other pages link to both;
bibliographic coupling: both link to the same pages) or sit in the same group of a note.
A shared neighbour counts less the more links it has: that two pages both mention 张量, which
a hundred pages mention, says little; that they both mention 残差连接 says more.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .emit import plain_title
from .search_terms import page_location
from .types import Entry, PagePath, Slug

FORMAT_VERSION = 1
LOCAL_NODE_CAP = 40
"""Nodes a local graph shows at most (the page's own included): more is unreadable."""
RELATED_LIMIT = 5
GROUP_WEIGHT = 0.4
"""What sharing a group counts: about what two specific shared neighbours count (the link
scores below are 0.2 to 1.5 on the real notes), so strong link evidence can outrank it."""
NEARBY_WEIGHT = 0.2
"""Up to this much more for a group sibling written right beside the concept in its note."""
HUB_DAMPING = 6
"""Added to a candidate's degree before the hub discount: a page of one link that shares it
is one coincidence, not the best match."""
HUB_EXPONENT = 0.75
"""The hub discount is (degree + HUB_DAMPING) ** HUB_EXPONENT. Read on 20 pages of the real
notes: 0.5 left 神经网络/权重/优化 on most lists, 1.0 brought up pages of one shared link."""
COCITED = "共同引用"
"""Reason: other pages link to both (co-citation), with how many."""
COUPLED = "共同链接"
"""Reason: both link to the same pages (bibliographic coupling), with how many."""
SAME_GROUP = "同组"


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
    out_weight: tuple[float, ...] = field(init=False, compare=False, repr=False)
    """What a page that links to both counts for two concepts (see :func:`_weight`)."""
    in_weight: tuple[float, ...] = field(init=False, compare=False, repr=False)
    """What a page both link to counts for two concepts."""
    hubness: tuple[float, ...] = field(init=False, compare=False, repr=False)

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
        object.__setattr__(self, "out_weight", tuple(_weight(len(t)) for t in self.links))
        object.__setattr__(self, "in_weight", tuple(_weight(len(c)) for c in cited_by))
        object.__setattr__(self, "hubness", tuple(_hubness(d) for d in degrees))

    def degree(self, index: int) -> int:
        """Distinct concepts linked with ``index`` either way."""
        return self.degrees[index]

    def edge_count(self) -> int:
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


# --- related concepts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A related concept, how strongly, and the reason shown beside it."""

    index: int
    score: float
    reason: str


def _weight(links: int) -> float:
    """What one shared neighbour with ``links`` links counts: 1 for a neighbour of two (the
    pair itself), less for a hub (Adamic–Adar)."""
    return 1 / math.log2(max(links, 2))


def _hubness(degree: int) -> float:
    """How much a candidate's own links discount what it shares: 神经网络, linked with 66
    pages, shares some neighbour with almost every page, and is not related to all of them."""
    return float((degree + HUB_DAMPING) ** HUB_EXPONENT)


def related(graph: ConceptGraph, index: int, limit: int = RELATED_LIMIT) -> tuple[Suggestion, ...]:
    """Up to ``limit`` concepts related to ``index`` that it neither links to nor is linked
    from, best first (ties by page): by co-citation, bibliographic coupling and shared group.

    The reason is the strongest of the three (`共同引用 3`: three pages link to both;
    `共同链接 2`: both link to two same pages; `同组`)."""
    links, cited_by = graph.links, graph.cited_by
    excluded = graph.neighbours[index] | {index}
    # Weighted sums and plain counts, per candidate (dicts of floats: this is the hot loop).
    cocited: dict[int, float] = {}
    cocited_count: dict[int, int] = {}
    for citing in cited_by[index]:
        weight = graph.out_weight[citing]
        for other in links[citing]:
            if other not in excluded:
                cocited[other] = cocited.get(other, 0.0) + weight
                cocited_count[other] = cocited_count.get(other, 0) + 1
    coupled: dict[int, float] = {}
    coupled_count: dict[int, int] = {}
    for target in links[index]:
        weight = graph.in_weight[target]
        for other in cited_by[target]:
            if other not in excluded:
                coupled[other] = coupled.get(other, 0.0) + weight
                coupled_count[other] = coupled_count.get(other, 0) + 1
    own_groups = graph.nodes[index].groups
    nearby = _group_nearness(graph, index, excluded, limit) if own_groups else {}
    hubness = graph.hubness
    scores: dict[int, float] = {}
    for other in cocited.keys() | coupled.keys():
        scores[other] = (cocited.get(other, 0.0) + coupled.get(other, 0.0)) / hubness[other]
    group_scores: dict[int, float] = {}
    if own_groups:
        own = set(own_groups)
        for other in scores:
            if not own.isdisjoint(graph.nodes[other].groups):
                group_scores[other] = nearby.get(other, GROUP_WEIGHT)
        group_scores.update(nearby)
        for other, score in group_scores.items():
            scores[other] = scores.get(other, 0.0) + score
    page_rank = graph.page_rank
    best = heapq.nsmallest(limit, scores, key=lambda o: (-scores[o], page_rank[o]))
    found = []
    for other in best:
        reasons = [
            (cocited.get(other, 0.0), 2, f"{COCITED} {cocited_count.get(other, 0)}"),
            (coupled.get(other, 0.0), 1, f"{COUPLED} {coupled_count.get(other, 0)}"),
            (group_scores.get(other, 0.0), 0, SAME_GROUP),
        ]
        reason = max(r for r in reasons if r[0] > 0)[2]
        found.append(Suggestion(other, scores[other], reason))
    return tuple(found)


def _group_nearness(
    graph: ConceptGraph, index: int, excluded: frozenset[int], limit: int
) -> dict[int, float]:
    """The group score of the siblings nearest ``index`` in each of its groups (as the note
    orders them), enough of them that no sibling left out could rank above them on group
    alone: a group of 2,000 concepts costs ``limit`` steps, not 2,000."""
    found: dict[int, float] = {}
    node = graph.nodes[index]
    for group, at in zip(node.groups, graph.group_positions[index], strict=True):
        members = graph.groups[group]
        taken = 0
        for distance in range(1, len(members)):
            if taken >= limit:
                break
            for position in (at - distance, at + distance):
                if 0 <= position < len(members) and members[position] not in excluded:
                    other = members[position]
                    score = GROUP_WEIGHT + NEARBY_WEIGHT / distance
                    found[other] = max(found.get(other, 0.0), score)
                    taken += 1
    return found


Related = tuple[tuple[Suggestion, ...], ...]
"""Every concept's related concepts, by index."""


def all_related(
    graph: ConceptGraph, previous: tuple[ConceptGraph, Related] | None = None
) -> Related:
    """:func:`related` of every concept; with ``previous`` (an earlier graph and its lists),
    only the lists a change of links can reach are made again (see :func:`affected`)."""
    redo = affected(previous[0], graph) if previous is not None else None
    if previous is None or redo is None:
        return tuple(related(graph, i) for i in range(len(graph.nodes)))
    before = previous[1]
    return tuple(related(graph, i) if i in redo else before[i] for i in range(len(graph.nodes)))


# --- JSON files ---------------------------------------------------------------------------


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class _Tables:
    """A file's note and group names, each once, numbered in order of first use."""

    notes: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)

    def note(self, name: str) -> int:
        return self.notes.setdefault(name, len(self.notes))

    def group(self, label: str) -> int:
        return self.groups.setdefault(label, len(self.groups)) if label else -1


def graph_files(
    graph: ConceptGraph,
    related_of: Sequence[Sequence[Suggestion]],
    pinyin: Mapping[str, Sequence[str]] | None = None,
    use_directory_urls: bool = True,
    previous: tuple[ConceptGraph, Mapping[str, str]] | None = None,
) -> dict[str, str]:
    """Every file of ``graph/`` by its path there: ``graph.json`` (the whole map) and
    ``local/<slug>.json`` for each concept (format: GRAPH-FORMAT.md). ``pinyin``: each page's
    spaced pinyin names by its URL (what the search index's names layer carries), for the
    map's find box. With ``previous`` (an earlier graph and the files made from it with the
    same ``use_directory_urls``), a local file no change of links reaches is reused."""
    redo = affected(previous[0], graph) if previous is not None else None
    pinyin = pinyin or {}

    def url(page: PagePath) -> str:
        return page_location(page, use_directory_urls)

    order = sorted(range(len(graph.nodes)), key=lambda i: url(graph.nodes[i].page))
    position = {index: n for n, index in enumerate(order)}
    tables = _Tables()
    nodes = []
    for index in order:
        node = graph.nodes[index]
        nodes.append(
            [
                url(node.page),
                node.title,
                list(node.aliases),
                tables.note(node.note),
                tables.group(node.group),
                graph.degree(index),
                list(pinyin.get(url(node.page), ())),
            ]
        )
    edges = [
        number
        for index in order
        for target in graph.links[index]
        for number in (position[index], position[target])
    ]
    files = {
        "graph.json": _dumps(
            {
                "version": FORMAT_VERSION,
                "notes": list(tables.notes),
                "groups": list(tables.groups),
                "nodes": nodes,
                "edges": edges,
            }
        )
    }
    # Each node's URL, title and aliases as JSON once: 10,000 files of 40 nodes each.
    prefixes = [_dumps([url(n.page), n.title, list(n.aliases)])[:-1] for n in graph.nodes]
    for index, node in enumerate(graph.nodes):
        name = f"local/{node.slug}.json"
        if previous is not None and redo is not None and index not in redo:
            files[name] = previous[1][name]
            continue
        hood = neighbourhood(graph, index)
        files[name] = local_text(graph, hood, related_of[index], prefixes, url)
    return files


def local_text(
    graph: ConceptGraph,
    hood: Neighbourhood,
    suggestions: Sequence[Suggestion],
    prefixes: Sequence[str],
    url: Callable[[PagePath], str],
) -> str:
    """One concept's ``local/<slug>.json``, written as ``json.dumps`` would write it (compact,
    not ASCII-escaped) from ``prefixes`` (each node's ``[url,title,[aliases]`` as JSON).
    Related concepts not among its nodes follow them (hop 3, no edge leads there): the list
    names nodes of the file."""
    tables = _Tables()
    rows: list[str] = []
    number: dict[int, int] = {}
    nodes, degrees = graph.nodes, graph.degrees

    def add(index: int, hop: int) -> None:
        node = nodes[index]
        number[index] = len(rows)
        note, group = tables.note(node.note), tables.group(node.group)
        rows.append(f"{prefixes[index]},{note},{group},{degrees[index]},{hop}]")

    for index, hop in hood.concepts:
        add(index, hop)
    # Merge nodes right after the concepts: the edges number them so.
    for source in hood.sources:
        rows.append(_dumps([url(source.page), source.note, [], tables.note(source.note), -1, 0, 1]))
    for suggestion in suggestions:
        if suggestion.index not in number:
            add(suggestion.index, 3)
    edges = ",".join(f'[{s},{t},"{kind}"]' for s, t, kind in hood.edges)
    related = ",".join(f"[{number[s.index]},{_dumps(s.reason)}]" for s in suggestions)
    return (
        f'{{"version":{FORMAT_VERSION},"center":0,"depth":{hood.depth},'
        f'"capped":{"true" if hood.capped else "false"},"total":{hood.total},'
        f'"notes":{_dumps(list(tables.notes))},"groups":{_dumps(list(tables.groups))},'
        f'"nodes":[{",".join(rows)}],"edges":[{edges}],"related":[{related}]}}'
    )


__all__ = [
    "INFLUENCE_RADIUS",
    "LOCAL_NODE_CAP",
    "RELATED_LIMIT",
    "ConceptGraph",
    "Neighbourhood",
    "Node",
    "Related",
    "SourceNote",
    "Suggestion",
    "affected",
    "all_related",
    "concept_graph",
    "graph_files",
    "graph_nodes",
    "group_label",
    "local_text",
    "neighbourhood",
    "related",
    "siblings",
]
