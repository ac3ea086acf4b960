"""The concept graph's files: ``graph.json`` (the map) and one local graph file per concept.

Their format is GRAPH-FORMAT.md; the plugin writes them into ``graph/``. A local file holds
the concept's neighbourhood (graph.py) and its related concepts (related.py); written here,
apart from both, so that each of them keeps one job and neither imports the other's types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .graph import ConceptGraph, Neighbourhood, affected, neighbourhood
from .related import Suggestion
from .search_terms import page_location
from .types import PagePath

__all__ = ["FORMAT_VERSION", "graph_files", "local_text"]

FORMAT_VERSION = 1
"""The ``version`` every file carries (GRAPH-FORMAT.md); a change of format changes it."""


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
