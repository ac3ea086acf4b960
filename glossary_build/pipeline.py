"""The one orchestrator: sources → outline → math → places → links → graph → pages.

The outline is parse → normalize → model per note; the build cache that `mkdocs serve`
keeps between rebuilds is in incremental.py."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from . import emit, index_page, urls
from .graph import ConceptGraph, concept_graph
from .groups import GroupPage, GroupSlugs, group_pages
from .incremental import BuildCache, entry_inputs, names_digest
from .link import backlinks, link_entry, linker_for
from .math import render_keys
from .math_render import MathRenderer, render_note_formulas
from .nav import build_nav
from .outline import outline_notes
from .places import place_concepts, place_notes
from .recovery import guarded, plain_entry_page, plain_text_outline
from .related import Related, Suggestion, all_related
from .sources import discover
from .stats import graph_stats, merges, note_stats
from .types import (
    BuildResult,
    Diagnostic,
    Entry,
    NoteOutline,
    PagePath,
    SourceFile,
    Span,
    UrlMap,
)

__all__ = [
    "DEFAULT_SITE_NAME",
    "STAGES",
    "BuildConfig",
    "StageDone",
    "build",
    "build_from_sources",
]

DEFAULT_SITE_NAME = "深度学习概念笔记"

STAGES = ("outline", "math", "places", "links", "graph", "pages")
"""The stages of :func:`build_from_sources`, in order (what ``on_stage_done`` is told)."""

StageDone = Callable[[str], None]
"""Told each stage's name as it ends (benchmarks/scale.py times the stages by it)."""


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """Where the notes are and what the site is called: what :func:`build` reads."""

    root: Path
    concepts_dir: Path = Path("concepts")
    site_name: str = DEFAULT_SITE_NAME
    url_map: Path | None = None
    """The URL map to keep URLs by (relative to ``root``; see urls.py). None: no map, every
    page gets the slug its names give it. The build reads it; adapters write it."""

    @property
    def notes_path(self) -> Path:
        """The folder of notes, as an absolute path or relative to the working directory."""
        return (
            self.concepts_dir if self.concepts_dir.is_absolute() else self.root / self.concepts_dir
        )


def build(
    config: BuildConfig,
    renderer: MathRenderer | None = None,
    cache: BuildCache | None = None,
) -> BuildResult:
    """Read the notes from disk and build every generated page.

    With a ``renderer``, every formula is rendered now (in parallel, from the cache when it
    can), so that each one KaTeX rejects is reported with its note and line. With a
    ``cache`` (kept by ``mkdocs serve`` across rebuilds), only notes whose text changed are
    parsed again and only pages whose inputs changed are rendered again.
    """
    sources, problems = discover(config.notes_path, config.root)
    url_map = None
    if config.url_map is not None:
        path = config.root / config.url_map
        url_map, map_problems = urls.load(path, _shown(path, config.root))
        problems += map_problems
    result = build_from_sources(sources, config.site_name, renderer, cache, url_map)
    diagnostics = sorted(problems + result.diagnostics, key=lambda d: (d.span.path, d.span.line))
    return replace(result, diagnostics=tuple(diagnostics))


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _nothing(stage: str) -> None:
    pass


def build_from_sources(
    sources: Sequence[SourceFile],
    site_name: str = DEFAULT_SITE_NAME,
    renderer: MathRenderer | None = None,
    cache: BuildCache | None = None,
    url_map: UrlMap | None = None,
    on_stage_done: StageDone = _nothing,
) -> BuildResult:
    """Notes in, pages and diagnostics out (pure, apart from what ``renderer`` does).

    With a ``url_map`` (the map as read; see urls.py), every page published before keeps its
    URL, new ones take none of them, and the result has the updated map and redirects."""
    cache = cache if cache is not None else BuildCache()
    found: list[Diagnostic] = []

    outlines = _outline(sources, cache, found)
    on_stage_done("outline")
    rendered = _render_math(outlines, renderer, cache, found)
    on_stage_done("math")
    notes = place_notes(outlines, url_map)
    concepts = place_concepts(outlines, notes, url_map, cache.text_digests)
    names = _names(concepts.entries, notes.pages, url_map, cache)
    on_stage_done("places")
    linked = _link(concepts.entries, names, cache, found)
    on_stage_done("links")
    # The graph is made of the names and the links: an edit that changes neither (most do
    # not) reuses it, and so do the related lists and the plugin's graph files.
    graph, related = _graph_and_related(cache, names, linked.entries, linked.links, notes.pages)
    on_stage_done("graph")
    pages, groups, groups_map = _pages(
        site_name, outlines, notes.pages, linked, graph, related, names, url_map, cache, found
    )
    merged = merges(linked.entries)
    found.sort(key=lambda d: (d.span.path, d.span.line))
    nav = cache.nav.get(
        names,
        lambda: build_nav(
            [(o, notes.pages[o.source.path]) for o in outlines],
            linked.entries,
            [(group.title, group.path) for group in groups],
        ),
    )
    on_stage_done("pages")

    new_map, redirects, url_changes = urls.updated(
        url_map, UrlMap(concepts.published, notes.published, groups_map), notes.pages
    )
    stats = tuple(
        cache.stats.get(
            o.source.path,
            (o, rendered.get(o.source.path, 0)),
            partial(note_stats, o, rendered.get(o.source.path, 0)),
        )
        for o in outlines
    )
    cache.next_build()
    return BuildResult(
        pages=pages,
        nav=nav,
        diagnostics=tuple(found),
        stats=stats,
        notes=tuple(outlines),
        entries=tuple(linked.entries),
        merges=merged,
        graph=graph_stats(
            linked.entries, merged, linked.problems, linked.links, linked.referenced_by
        ),
        note_pages=notes.pages,
        concept_graph=graph,
        related=related,
        url_map=new_map,
        url_changes=url_changes,
        redirects=redirects,
    )


def _outline(
    sources: Sequence[SourceFile], cache: BuildCache, found: list[Diagnostic]
) -> list[NoteOutline]:
    """parse → normalize → model for every note whose text changed."""
    outlines = []
    for outline, problems in outline_notes(sources, cache.notes, cache.sections):
        outlines.append(outline)
        found.extend(problems)
    return outlines


def _render_math(
    outlines: Sequence[NoteOutline],
    renderer: MathRenderer | None,
    cache: BuildCache,
    found: list[Diagnostic],
) -> dict[str, int]:
    """Every formula of every note not rendered before; each note's rendered count."""
    rendered: dict[str, int] = {}
    if renderer is None:
        return rendered
    # One batch for every note not rendered before (KaTeX starts once, in parallel).
    renderer.render_many(
        key
        for outline in outlines
        if not cache.math.has(outline.source.path, (outline,))
        for formula in outline.formulas
        for key in render_keys(formula)
    )
    for outline in outlines:
        problems, count = cache.math.get(
            outline.source.path, (outline,), partial(render_note_formulas, outline, renderer)
        )
        found.extend(problems)
        rendered[outline.source.path] = count
    return rendered


def _names(
    entries: Sequence[Entry],
    note_pages: Mapping[str, PagePath],
    url_map: UrlMap | None,
    cache: BuildCache,
) -> str:
    """The digest that everything made of all the names is kept by (see incremental.py)."""
    names = names_digest(entries, note_pages, cache.names_of)
    if url_map is not None:
        # Group slugs come from the map too.
        names += hashlib.blake2b(repr(url_map.groups).encode(), digest_size=8).hexdigest()
    return names


@dataclass(frozen=True, slots=True)
class _Linked:
    entries: list[Entry]
    links: dict[int, list[int]]
    """The entries each entry links to, by index."""
    referenced_by: dict[int, list[int]]
    problems: list[Diagnostic]
    """The linker's own diagnostics (ambiguous and conflicting names)."""


def _link(
    entries: Sequence[Entry], names: str, cache: BuildCache, found: list[Diagnostic]
) -> _Linked:
    """Every entry's text with its cross-links, and the backlinks."""
    linker, problems = cache.linker.get(names, lambda: linker_for(entries))
    found.extend(problems)
    linked: list[Entry] = []
    links: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        linked_entry, links[index] = guarded(
            partial(
                cache.links.get,
                (names, index),
                entry_inputs(entry),
                partial(link_entry, entry, index, linker),
            ),
            partial(_unlinked, entry),
            entry.parts[0].concept.span,
            "the links of this concept",
            found,
        )
        linked.append(linked_entry)
    return _Linked(linked, links, backlinks(links), problems)


def _unlinked(entry: Entry) -> tuple[Entry, list[int]]:
    return entry, []


def _graph_and_related(
    cache: BuildCache,
    names: str,
    entries: Sequence[Entry],
    links: Mapping[int, Sequence[int]],
    note_pages: Mapping[str, PagePath],
) -> tuple[ConceptGraph, Related]:
    """The concept graph and every related list: the previous build's while the names and
    the links are the same; while only links changed, its nodes, and its related lists
    where no changed link reaches (graph.affected)."""
    found = cache.graph.kept()
    if found is None or found[0] != names:
        graph = concept_graph(entries, links, note_pages)
        made = (graph, all_related(graph))
    else:
        before = found[1]
        graph = concept_graph(entries, links, note_pages, previous=before[0])
        made = before if graph.links == before[0].links else (graph, all_related(graph, before))
    cache.graph.keep(names, made)
    return made


def _pages(
    site_name: str,
    outlines: Sequence[NoteOutline],
    note_pages: Mapping[str, PagePath],
    linked: _Linked,
    graph: ConceptGraph,
    related: Related,
    names: str,
    url_map: UrlMap | None,
    cache: BuildCache,
    found: list[Diagnostic],
) -> tuple[dict[PagePath, str], list[GroupPage], GroupSlugs]:
    """Every generated page's Markdown: home, index, graph, notes, concepts, groups."""
    entries = linked.entries
    pages: dict[PagePath, str] = {}
    pages[emit.HOME_PAGE] = emit.render_home(
        site_name, [(o, note_pages[o.source.path]) for o in outlines], len(entries)
    )
    pages[emit.INDEX_PAGE] = cache.index.get(names, lambda: index_page.render_index(entries))
    pages[emit.GRAPH_PAGE] = emit.render_graph_page(len(entries), graph.edge_count())
    by_concept = {(p.concept.span.path, p.concept.span.line): e for e in entries for p in e.parts}
    for outline in outlines:
        page = note_pages[outline.source.path]
        pages[page] = guarded(
            partial(
                cache.note_pages.get,
                (names, outline.source.path),
                (outline,),
                partial(emit.render_note, outline, page, by_concept),
            ),
            partial(emit.render_note, plain_text_outline(outline.source), page, {}),
            Span(outline.source.path, 1),
            "this note's page",
            found,
        )
    for index, entry in enumerate(entries):
        citing = tuple(linked.referenced_by.get(index, ()))
        suggested = tuple((s.index, s.reason) for s in related[index])
        pages[entry.path] = guarded(
            partial(
                cache.concept_pages.get,
                (names, entry.slug, citing, suggested),
                (entry,),
                partial(_render_entry, entry, note_pages, entries, citing, related[index]),
            ),
            partial(plain_entry_page, entry),
            entry.parts[0].concept.span,
            "this concept's page",
            found,
        )
    groups, groups_map = cache.groups.get(names, lambda: group_pages(entries, url_map))
    pages.update(
        cache.group_pages.get(
            names,
            lambda: {g.path: emit.render_group(g.title, g.path, g.members) for g in groups},
        )
    )
    return pages, groups, groups_map


def _render_entry(
    entry: Entry,
    note_pages: Mapping[str, PagePath],
    entries: Sequence[Entry],
    citing: Sequence[int],
    suggestions: Sequence[Suggestion] = (),
) -> str:
    return emit.render_entry(
        entry,
        note_pages,
        [entries[i] for i in citing],
        [(entries[s.index], s.reason) for s in suggestions],
    )
