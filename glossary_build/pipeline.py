"""The one orchestrator: sources → parse → normalize → model → slugs → emit."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import emit, urls
from .graph import ConceptGraph, Related, Suggestion, all_related, concept_graph
from .katex import MathKey, Rendered
from .link import backlinks, link_entry, linker_for, merge
from .markdown_syntax import FENCE_LIKE_RE, HTML_IMAGE_RE, MARKDOWN_IMAGE_RE
from .math import is_math_fence, render_keys
from .model import to_concepts
from .normalize import SectionCache, normalize
from .parse import parse_note
from .slugs import assign_slugs, slugify, unique_slugs
from .sources import discover
from .text import escape_markdown
from .types import (
    BuildResult,
    Concept,
    Diagnostic,
    Entry,
    GraphStats,
    Line,
    Merge,
    NoteOutline,
    NoteStats,
    PagePath,
    Published,
    Redirect,
    Severity,
    Slug,
    SourceFile,
    Span,
    UrlMap,
)

DEFAULT_SITE_NAME = "深度学习概念笔记"


@dataclass(frozen=True, slots=True)
class BuildConfig:
    root: Path
    concepts_dir: Path = Path("concepts")
    site_name: str = DEFAULT_SITE_NAME
    url_map: Path | None = None
    """The URL map to keep URLs by (relative to ``root``; see urls.py). None: no map, every
    page gets the slug its names give it. The build reads it; adapters write it."""

    @property
    def notes_path(self) -> Path:
        return (
            self.concepts_dir if self.concepts_dir.is_absolute() else self.root / self.concepts_dir
        )


class MathRenderer(Protocol):
    def render_many(self, keys: Iterable[MathKey]) -> Mapping[MathKey, Rendered]: ...


NoteCache = MutableMapping[str, tuple[SourceFile, NoteOutline, tuple[Diagnostic, ...]]]
"""parse → normalize → model results by path, with the note (text, assets) they came from."""

T = TypeVar("T")


class Memo:
    """Results of the previous build and this one, by key, with the inputs they came from.

    A result is reused when its inputs are the same objects (a note whose text did not
    change keeps its outline, ``BuildCache.notes``) or equal ones (the other concepts of a
    note that was saved). Results a build does not ask for are dropped at its end, so memory
    follows the current notes."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, tuple[tuple[object, ...], Any]] = {}
        self._current: dict[Hashable, tuple[tuple[object, ...], Any]] = {}

    def _find(self, key: Hashable, inputs: tuple[object, ...]) -> tuple[bool, Any]:
        found = self._current.get(key) or self._previous.get(key)
        if found is None or len(found[0]) != len(inputs):
            return False, None
        # A loop, not all(<generator>): tens of thousands of lookups a build.
        for before, now in zip(found[0], inputs, strict=True):
            if before is not now and before != now:
                return False, None
        return True, found[1]

    def get(self, key: Hashable, inputs: tuple[object, ...], compute: Callable[[], T]) -> T:
        hit, value = self._find(key, inputs)
        if not hit:
            value = compute()
        self._current[key] = (inputs, value)
        result: T = value
        return result

    def has(self, key: Hashable, inputs: tuple[object, ...]) -> bool:
        return self._find(key, inputs)[0]

    def next_build(self) -> None:
        self._previous, self._current = self._current, {}


@dataclass
class BuildCache:
    """What `mkdocs serve` keeps between rebuilds, so that saving one note costs about what
    that note costs: its outline is made again, the other notes' outlines are reused, and
    each page is rendered again only if its inputs changed (see :class:`Memo`)."""

    notes: NoteCache = field(default_factory=dict)
    sections: dict[str, SectionCache] = field(default_factory=dict)
    """Each note's normalized sections (by path): a saved note is normalized again only
    where it changed."""
    memo: Memo = field(default_factory=Memo)
    names: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Results that depend on every concept's name: by a digest of all names."""
    graph: tuple[str, tuple[ConceptGraph, Related]] | None = None
    """The last concept graph and related lists, with the names digest they were made for."""


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


def outline_notes(
    sources: Sequence[SourceFile],
    cache: NoteCache | None = None,
    sections: dict[str, SectionCache] | None = None,
) -> list[tuple[NoteOutline, tuple[Diagnostic, ...]]]:
    """Outline every note, reusing the cached outline of notes that did not change (and the
    normalized sections of those that did); the caches keep exactly the current notes
    afterwards."""
    if cache is None:
        return [outline_note(source) for source in sources]
    results = []
    for source in sources:
        cached = cache.get(source.path)
        # Compared, not hashed: equal texts are one memcmp; a changed one differs early.
        if cached is not None and cached[0] == source:
            results.append(cached[1:])
            continue
        own_sections = sections.setdefault(source.path, {}) if sections is not None else None
        outline, problems = outline_note(source, own_sections)
        if cached is not None:
            outline = _keep_unchanged_objects(outline, cached[1])
        results.append((outline, problems))
    cache.clear()
    cache.update(
        (source.path, (source, *result)) for source, result in zip(sources, results, strict=True)
    )
    if sections is not None:
        for gone in sections.keys() - {source.path for source in sources}:
            del sections[gone]
    return results


def _keep_unchanged_objects(outline: NoteOutline, before: NoteOutline) -> NoteOutline:
    """The note was saved: where its formulas and concepts equal the previous outline's,
    use the previous objects, so that everything made from them is found by identity."""
    formulas = before.formulas if outline.formulas == before.formulas else outline.formulas
    earlier = {(c.span.line, c.raw_heading): c for c in before.concepts}
    concepts = tuple(
        old if (old := earlier.get((c.span.line, c.raw_heading))) == c else c
        for c in outline.concepts
    )
    return replace(outline, formulas=formulas, concepts=concepts)


def outline_note(
    source: SourceFile, sections: SectionCache | None = None
) -> tuple[NoteOutline, tuple[Diagnostic, ...]]:
    """parse → normalize → model for one note (``sections``: see :func:`normalize`).

    An exception in any of them (a bug that a note's text reaches) stops only this note:
    it becomes an error diagnostic, and the note's page shows its text as plain text, so
    the other notes build and `mkdocs serve` keeps serving."""
    try:
        raw, parse_problems = parse_note(source)
        normalized, normalize_problems = normalize(raw, sections)
        outline, model_problems = to_concepts(normalized)
    except Exception as exc:  # any bug a note's text reaches (see above)
        if sections is not None:
            sections.clear()
        return plain_text_outline(source), (crash_diagnostic(Span(source.path, 1), exc),)
    return outline, parse_problems + normalize_problems + model_problems


def crash_diagnostic(span: Span, exc: BaseException, what: str = "this note") -> Diagnostic:
    """An exception in the build of one note or page, as a problem of that note."""
    return Diagnostic(
        span,
        Severity.ERROR,
        "build-crash",
        f"building {what} raised {type(exc).__name__}: {str(exc)[:300]}; "
        "its text is shown as plain text",
        "please report this with the note: it is a bug in glossary_build",
    )


def plain_text_outline(source: SourceFile) -> NoteOutline:
    """A note whose build failed: no concepts, its whole text shown as code (a fence longer
    than any run of backticks in it, so nothing in it is Markdown)."""
    longest = max((len(run) for run in re.findall(r"`+", source.text)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = source.text.split("\n")
    preamble = (
        Line(1, fence + "text"),
        *(Line(number, text) for number, text in enumerate(lines, start=1)),
        Line(len(lines), fence),
    )
    return NoteOutline(source, {}, 3, (), (), preamble)


def _guarded(
    compute: Callable[[], T],
    fallback: Callable[[], T],
    span: Span,
    what: str,
    found: list[Diagnostic],
) -> T:
    """``compute()``, or, if it raises, ``fallback()`` and an error diagnostic at ``span``."""
    try:
        return compute()
    except Exception as exc:  # one page's bug must not stop the others
        found.append(crash_diagnostic(span, exc, what))
        return fallback()


def build_from_sources(
    sources: Sequence[SourceFile],
    site_name: str = DEFAULT_SITE_NAME,
    renderer: MathRenderer | None = None,
    cache: BuildCache | None = None,
    url_map: UrlMap | None = None,
) -> BuildResult:
    """Notes in, pages and diagnostics out (pure, apart from what ``renderer`` does).

    With a ``url_map`` (the map as read; see urls.py), every page published before keeps its
    URL, new ones take none of them, and the result has the updated map and redirects."""
    cache = cache if cache is not None else BuildCache()
    memo = cache.memo
    diagnostics: list[Diagnostic] = []
    outlines: list[NoteOutline] = []
    for outline, problems in outline_notes(sources, cache.notes, cache.sections):
        outlines.append(outline)
        diagnostics.extend(problems)
    rendered_ok: dict[str, int] = {}
    if renderer is not None:
        # One batch for every note not rendered before (KaTeX starts once, in parallel).
        renderer.render_many(
            key
            for outline in outlines
            if not memo.has(("math", outline.source.path), (outline,))
            for formula in outline.formulas
            for key in render_keys(formula)
        )
        for outline in outlines:
            math_problems, count = memo.get(
                ("math", outline.source.path),
                (outline,),
                partial(render_note_formulas, outline, renderer),
            )
            diagnostics.extend(math_problems)
            rendered_ok[outline.source.path] = count

    note_slugs = unique_slugs([(slugify(o.source.name) or Slug("note"), "note") for o in outlines])
    notes_map: dict[Slug, tuple[str, bool]] = {}
    if url_map is not None:
        note_slugs, notes_map = urls.keyed_slugs(
            [o.source.path for o in outlines], note_slugs, url_map.notes
        )
    note_pages = {
        o.source.path: emit.note_path(slug) for o, slug in zip(outlines, note_slugs, strict=True)
    }
    merged = merge(outlines)
    slugs = assign_slugs(
        [min(parts, key=lambda p: len(p.concept.title)).concept.heading for parts in merged]
    )
    entries = [
        Entry(slug, emit.concept_path(slug), parts)
        for slug, parts in zip(slugs, merged, strict=True)
    ]
    concepts_map: dict[Slug, Published] = {}
    if url_map is not None:
        by_path = dict(zip((o.source.path for o in outlines), note_slugs, strict=True))
        digests = {
            (o.source.path, line): digest
            for o in outlines
            for line, digest in memo.get(
                ("text digests", o.source.path), (o,), partial(urls.text_digests, o)
            ).items()
        }
        kept, concepts_map = urls.concept_slugs(entries, slugs, by_path, url_map, digests)
        entries = [
            e if e.slug == slug else Entry(slug, emit.concept_path(slug), e.parts)
            for e, slug in zip(entries, kept, strict=True)
        ]
    # Everything below that depends on all the names is reused while no name changes.
    names = _names_digest(entries, note_pages, memo)
    if url_map is not None:
        # Group slugs come from the map too.
        names += hashlib.blake2b(repr(url_map.groups).encode(), digest_size=8).hexdigest()
    linker, link_problems = _by_names(cache, "linker", names, lambda: linker_for(entries))
    diagnostics.extend(link_problems)
    linked_entries: list[Entry] = []
    links: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        linked, links[index] = _guarded(
            partial(
                memo.get,
                ("link", names, index),
                _entry_inputs(entry),
                partial(link_entry, entry, index, linker),
            ),
            partial(_unlinked, entry),
            entry.parts[0].concept.span,
            "the links of this concept",
            diagnostics,
        )
        linked_entries.append(linked)
    entries = linked_entries
    referenced_by = backlinks(links)
    # The graph is made of the names and the links: an edit that changes neither (most do
    # not) reuses it, and so do the related lists and the plugin's graph files.
    concepts_graph, related = _graph_and_related(cache, names, entries, links, note_pages)

    pages: dict[PagePath, str] = {}
    pages[emit.HOME_PAGE] = emit.render_home(
        site_name, [(o, note_pages[o.source.path]) for o in outlines], len(entries)
    )
    pages[emit.INDEX_PAGE] = _by_names(cache, "index", names, lambda: emit.render_index(entries))
    pages[emit.GRAPH_PAGE] = emit.render_graph_page(len(entries), concepts_graph.edge_count())
    by_concept = {(p.concept.span.path, p.concept.span.line): e for e in entries for p in e.parts}
    for outline in outlines:
        page = note_pages[outline.source.path]
        pages[page] = _guarded(
            partial(
                memo.get,
                ("note", names, outline.source.path),
                (outline,),
                partial(emit.render_note, outline, page, by_concept),
            ),
            partial(emit.render_note, plain_text_outline(outline.source), page, {}),
            Span(outline.source.path, 1),
            "this note's page",
            diagnostics,
        )
    for index, entry in enumerate(entries):
        citing = tuple(referenced_by.get(index, ()))
        suggested = tuple((s.index, s.reason) for s in related[index])
        pages[entry.path] = _guarded(
            partial(
                memo.get,
                ("entry", names, entry.slug, citing, suggested),
                (entry,),
                partial(_render_entry, entry, note_pages, entries, citing, related[index]),
            ),
            partial(_plain_entry_page, entry),
            entry.parts[0].concept.span,
            "this concept's page",
            diagnostics,
        )
    group_pages, groups_map = _by_names(
        cache, "groups", names, lambda: _group_pages(entries, url_map)
    )
    group_html = _by_names(
        cache,
        "group pages",
        names,
        lambda: {page: emit.render_group(t, page, members) for t, page, members in group_pages},
    )
    pages.update(group_html)

    merges = tuple(
        Merge(
            e.title,
            tuple(p.concept.span for p in e.parts),
            tuple(p.same_as is not None for p in e.parts),
        )
        for e in entries
        if len(e.parts) > 1
    )
    graph = GraphStats(
        concepts=len(entries),
        aliases=sum(len(e.aliases) for e in entries),
        ambiguous_aliases=sum(d.code == "ambiguous-alias" for d in link_problems),
        merges=len(merges),
        cross_links=sum(len(t) for t in links.values()),
        pages_with_backlinks=len(referenced_by),
    )
    diagnostics.sort(key=lambda d: (d.span.path, d.span.line))
    nav = _by_names(
        cache,
        "nav",
        names,
        lambda: emit.build_nav(
            [(o, note_pages[o.source.path]) for o in outlines],
            entries,
            [(title, page) for title, page, _ in group_pages],
        ),
    )
    new_map = None
    redirects: tuple[Redirect, ...] = ()
    url_changes: tuple[str, ...] = ()
    if url_map is not None:
        new_map = UrlMap(concepts_map, notes_map, groups_map)
        redirects = _redirects(new_map, note_pages)
        if url_map.concepts or url_map.notes:
            url_changes = urls.changes(url_map, new_map)
    stats = tuple(
        memo.get(
            ("stats", o.source.path),
            (o, rendered_ok.get(o.source.path, 0)),
            partial(note_stats, o, rendered_ok.get(o.source.path, 0)),
        )
        for o in outlines
    )
    memo.next_build()
    return BuildResult(
        pages=pages,
        nav=nav,
        diagnostics=tuple(diagnostics),
        stats=stats,
        notes=tuple(outlines),
        entries=tuple(entries),
        merges=merges,
        graph=graph,
        note_pages=note_pages,
        concept_graph=concepts_graph,
        related=related,
        url_map=new_map,
        url_changes=url_changes,
        redirects=redirects,
    )


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
    found = cache.graph
    if found is None or found[0] != names:
        graph = concept_graph(entries, links, note_pages)
        made = (graph, all_related(graph))
    else:
        before = found[1]
        graph = concept_graph(entries, links, note_pages, previous=before[0])
        made = before if graph.links == before[0].links else (graph, all_related(graph, before))
    cache.graph = (names, made)
    return made


def _redirects(url_map: UrlMap, note_pages: Mapping[str, PagePath]) -> tuple[Redirect, ...]:
    """Where each removed page's URL leads: a concept's to its note's page (or the A–Z index
    when the note is gone too), a note's to the home page, a group's to the A–Z index."""
    found = [
        Redirect(
            emit.concept_path(slug),
            note_pages.get(published.note, emit.INDEX_PAGE),
            published.title,
        )
        for slug, published in sorted(url_map.concepts.items())
        if published.gone
    ]
    found += [
        Redirect(emit.note_path(slug), emit.HOME_PAGE, key.rsplit("/", 1)[-1])
        for slug, (key, gone) in sorted(url_map.notes.items())
        if gone
    ]
    found += [
        Redirect(emit.group_path(slug), emit.INDEX_PAGE, key)
        for slug, (key, gone) in sorted(url_map.groups.items())
        if gone
    ]
    return tuple(found)


def _unlinked(entry: Entry) -> tuple[Entry, list[int]]:
    return entry, []


def _plain_entry_page(entry: Entry) -> str:
    """A concept page whose rendering failed: its title and its text as code."""
    concept = entry.parts[0].concept
    body = [concept.raw_heading, *(ln.text for ln in _concept_lines(concept))]
    text = "\n".join(body)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    title = emit.plain_title(entry.title, entry.parts[0].formulas)
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=True)}\n---\n\n"
        f"# {escape_markdown(title)}\n\n{fence}text\n{text}\n{fence}\n"
    )


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


def _entry_inputs(entry: Entry) -> tuple[object, ...]:
    """What an entry is made of, as objects that are the same while their notes are."""
    inputs: list[object] = []
    for part in entry.parts:
        inputs.extend((part.concept, part.formulas))
    return tuple(inputs)


def _names_digest(
    entries: Sequence[Entry], note_pages: Mapping[str, PagePath], memo: Memo | None = None
) -> str:
    """A digest of every entry's slug, title, aliases, sources and groups, and of the note
    pages: what links, the index, the nav, the group pages and every page's "referenced by"
    list are made from."""
    memo = memo if memo is not None else Memo()
    hasher = hashlib.blake2b(digest_size=12)
    for entry in entries:
        described = memo.get(
            ("names of", entry.slug), _entry_inputs(entry), partial(_describe, entry)
        )
        hasher.update(described)
    hasher.update(repr(sorted(note_pages.items())).encode())
    return hasher.hexdigest()


def _describe(entry: Entry) -> bytes:
    # Names as shown: a formula token's meaning depends on its note's formulas.
    shown = [
        emit.plain_title(entry.title, entry.title_part.formulas),
        *(emit.plain_title(alias, entry.parts[0].formulas) for alias in entry.aliases),
    ]
    sources = [
        (
            p.concept.span.path,
            p.concept.span.line,
            p.concept.groups,
            p.concept.group_aliases,
            p.same_as,
        )
        for p in entry.parts
    ]
    return repr((entry.slug, shown, sources)).encode()


def _by_names(cache: BuildCache, kind: str, names: str, compute: Callable[[], T]) -> T:
    found = cache.names.get(kind)
    if found is not None and found[0] == names:
        value: T = found[1]
        return value
    value = compute()
    cache.names[kind] = (names, value)
    return value


def _group_pages(
    entries: Sequence[Entry], url_map: UrlMap | None = None
) -> tuple[list[tuple[str, PagePath, list[Entry]]], dict[Slug, tuple[str, bool]]]:
    """A page per group heading (by its full path), listing every concept filed under it;
    with a URL map, the groups part of the updated map."""
    # A dict per group as an ordered set: `entry in list` made 2,000 concepts of one group
    # 2 million comparisons of entries.
    members: dict[tuple[str, ...], dict[Slug, Entry]] = {}
    for entry in entries:
        for path in dict.fromkeys(p.concept.groups for p in entry.parts):
            for depth in range(1, len(path) + 1):
                members.setdefault(path[:depth], {}).setdefault(entry.slug, entry)
    titles = [" › ".join(path) for path in members]
    slugs = unique_slugs([(slugify(t) or Slug("group"), "group") for t in titles])
    groups_map: dict[Slug, tuple[str, bool]] = {}
    if url_map is not None:
        slugs, groups_map = urls.keyed_slugs(titles, slugs, url_map.groups)
    pages = [
        (title, emit.group_path(slug), list(group.values()))
        for title, slug, group in zip(titles, slugs, members.values(), strict=True)
    ]
    return pages, groups_map


def _all_lines(outline: NoteOutline) -> list[Line]:
    lines = list(outline.preamble)
    for concept in outline.concepts:
        lines.extend(_concept_lines(concept))
    return lines


def _concept_lines(concept: Concept) -> Iterable[Line]:
    yield from concept.body
    for sub in concept.subsections:
        yield from sub.body


_PLACEHOLDER_RE = re.compile(r'class="gb-missing-image"')


def render_formulas(
    outlines: Sequence[NoteOutline], renderer: MathRenderer
) -> tuple[list[Diagnostic], dict[str, int]]:
    """Render every formula once; report the ones KaTeX rejects; count the rendered ones."""
    problems: list[Diagnostic] = []
    rendered: dict[str, int] = {}
    for outline in outlines:
        note_problems, rendered[outline.source.path] = render_note_formulas(outline, renderer)
        problems.extend(note_problems)
    return problems, rendered


def render_note_formulas(
    outline: NoteOutline, renderer: MathRenderer
) -> tuple[list[Diagnostic], int]:
    """Render a note's formulas (in one batch); its KaTeX errors and how many rendered."""
    results = renderer.render_many(key for f in outline.formulas for key in render_keys(f))
    problems: list[Diagnostic] = []
    rendered = 0
    for formula in outline.formulas:
        result = results[(formula.tex, formula.display)]
        if result.ok:
            rendered += 1
            continue
        problems.append(
            Diagnostic(
                formula.span,
                Severity.WARNING,
                "katex",
                f"KaTeX: {result.error}",
                "the formula is shown as TeX source; fix it so KaTeX can render it",
            )
        )
    return problems, rendered


def note_stats(outline: NoteOutline, formulas_rendered: int = 0) -> NoteStats:
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
