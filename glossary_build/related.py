"""Related concepts: the pages a reader would look at next, with the reason shown beside each.

They are the pages a concept's page does not link either way that share neighbours with it in
the concept graph (co-citation: other pages link to both; bibliographic coupling: both link
to the same pages) or sit in the same group of a note. emit.py lists them on every concept
page; graph_json.py writes them into each concept's local graph file.

A shared neighbour counts less the more links it has: that two pages both mention 张量, which
a hundred pages mention, says little; that they both mention 残差连接 says more.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from .graph import ConceptGraph, affected

__all__ = [
    "COCITED",
    "COUPLED",
    "GROUP_WEIGHT",
    "HUB_DAMPING",
    "HUB_EXPONENT",
    "NEARBY_WEIGHT",
    "RELATED_LIMIT",
    "SAME_GROUP",
    "LinkWeights",
    "Related",
    "Suggestion",
    "all_related",
    "hubness",
    "link_weights",
    "related",
    "shared_weight",
]

RELATED_LIMIT = 5
"""Related concepts a page lists at most."""
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
"""Reason: both are in one group of a note."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A related concept, how strongly, and the reason shown beside it."""

    index: int
    score: float
    reason: str


Related = tuple[tuple[Suggestion, ...], ...]
"""Every concept's related concepts, by index."""


def shared_weight(links: int) -> float:
    """What one shared neighbour with ``links`` links counts: 1 for a neighbour of two (the
    pair itself), less for a hub (Adamic–Adar)."""
    return 1 / math.log2(max(links, 2))


def hubness(degree: int) -> float:
    """How much a candidate's own links discount what it shares: 神经网络, linked with 66
    pages, shares some neighbour with almost every page, and is not related to all of them."""
    return float((degree + HUB_DAMPING) ** HUB_EXPONENT)


@dataclass(frozen=True, slots=True)
class LinkWeights:
    """What each concept counts as a shared neighbour and as a candidate, by index: made once
    per graph (:func:`link_weights`), read for every concept's list."""

    out_weight: tuple[float, ...]
    """What a page that links to both counts for two concepts (see :func:`shared_weight`)."""
    in_weight: tuple[float, ...]
    """What a page both link to counts for two concepts."""
    hubness: tuple[float, ...]
    """Each concept's hub discount (see :func:`hubness`)."""


def link_weights(graph: ConceptGraph) -> LinkWeights:
    """The weights of ``graph``'s concepts (what :func:`related` reads)."""
    return LinkWeights(
        out_weight=tuple(shared_weight(len(t)) for t in graph.links),
        in_weight=tuple(shared_weight(len(c)) for c in graph.cited_by),
        hubness=tuple(hubness(d) for d in graph.degrees),
    )


def related(
    graph: ConceptGraph,
    index: int,
    limit: int = RELATED_LIMIT,
    weights: LinkWeights | None = None,
) -> tuple[Suggestion, ...]:
    """Up to ``limit`` concepts related to ``index`` that it neither links to nor is linked
    from, best first (ties by page): by co-citation, bibliographic coupling and shared group.
    ``weights``: :func:`link_weights` of ``graph``, made here when not given.

    The reason is the strongest of the three (`共同引用 3`: three pages link to both;
    `共同链接 2`: both link to two same pages; `同组`)."""
    if weights is None:
        weights = link_weights(graph)
    links, cited_by = graph.links, graph.cited_by
    excluded = graph.neighbours[index] | {index}
    # Weighted sums and plain counts, per candidate (dicts of floats: this is the hot loop).
    cocited: dict[int, float] = {}
    cocited_count: dict[int, int] = {}
    for citing in cited_by[index]:
        weight = weights.out_weight[citing]
        for other in links[citing]:
            if other not in excluded:
                cocited[other] = cocited.get(other, 0.0) + weight
                cocited_count[other] = cocited_count.get(other, 0) + 1
    coupled: dict[int, float] = {}
    coupled_count: dict[int, int] = {}
    for target in links[index]:
        weight = weights.in_weight[target]
        for other in cited_by[target]:
            if other not in excluded:
                coupled[other] = coupled.get(other, 0.0) + weight
                coupled_count[other] = coupled_count.get(other, 0) + 1
    own_groups = graph.nodes[index].groups
    nearby = _group_nearness(graph, index, excluded, limit) if own_groups else {}
    discount = weights.hubness
    scores: dict[int, float] = {}
    for other in cocited.keys() | coupled.keys():
        scores[other] = (cocited.get(other, 0.0) + coupled.get(other, 0.0)) / discount[other]
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


def all_related(
    graph: ConceptGraph, previous: tuple[ConceptGraph, Related] | None = None
) -> Related:
    """:func:`related` of every concept; with ``previous`` (an earlier graph and its lists),
    only the lists a change of links can reach are made again (see
    :func:`glossary_build.graph.affected`)."""
    weights = link_weights(graph)
    redo = affected(previous[0], graph) if previous is not None else None
    if previous is None or redo is None:
        return tuple(related(graph, i, weights=weights) for i in range(len(graph.nodes)))
    before = previous[1]
    return tuple(
        related(graph, i, weights=weights) if i in redo else before[i]
        for i in range(len(graph.nodes))
    )
