"""The one orchestrator: sources → parse → normalize → model → slugs → emit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from . import emit
from .katex import MathKey, Rendered
from .link import backlinks, crosslink, merge
from .math import is_math_fence, render_keys
from .model import to_concepts
from .normalize import HTML_IMAGE_RE, MARKDOWN_IMAGE_RE, normalize
from .parse import FENCE_RE, parse_note
from .slugs import assign_slugs, slugify, unique_slugs
from .sources import discover
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
    Severity,
    Slug,
    SourceFile,
)

DEFAULT_SITE_NAME = "深度学习概念笔记"


@dataclass(frozen=True, slots=True)
class BuildConfig:
    root: Path
    concepts_dir: Path = Path("concepts")
    site_name: str = DEFAULT_SITE_NAME

    @property
    def notes_path(self) -> Path:
        return (
            self.concepts_dir if self.concepts_dir.is_absolute() else self.root / self.concepts_dir
        )


class MathRenderer(Protocol):
    def render_many(self, keys: Iterable[MathKey]) -> Mapping[MathKey, Rendered]: ...


NoteKey = tuple[str, str, frozenset[str]]
NoteCache = MutableMapping[NoteKey, tuple[NoteOutline, tuple[Diagnostic, ...]]]
"""parse → normalize → model results by (path, sha256 of the text, assets beside it)."""


def build(
    config: BuildConfig,
    renderer: MathRenderer | None = None,
    note_cache: NoteCache | None = None,
) -> BuildResult:
    """Read the notes from disk and build every generated page.

    With a ``renderer``, every formula is rendered now (in parallel, from the cache when it
    can), so that each one KaTeX rejects is reported with its note and line. With a
    ``note_cache`` (kept by ``mkdocs serve`` across rebuilds), only notes whose text changed
    are parsed again.
    """
    sources, problems = discover(config.notes_path, config.root)
    result = build_from_sources(sources, config.site_name, renderer, note_cache)
    return replace(result, diagnostics=problems + result.diagnostics)


def _note_key(source: SourceFile) -> NoteKey:
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    return source.path, digest, source.assets


def outline_notes(
    sources: Sequence[SourceFile], cache: NoteCache | None = None
) -> list[tuple[NoteOutline, tuple[Diagnostic, ...]]]:
    """Outline every note, reusing the cached outline of notes that did not change; the
    cache keeps exactly the current notes afterwards."""
    if cache is None:
        return [outline_note(source) for source in sources]
    keys = [_note_key(source) for source in sources]
    results = [
        cache.get(key) or outline_note(source) for key, source in zip(keys, sources, strict=True)
    ]
    cache.clear()
    cache.update(zip(keys, results, strict=True))
    return results


def outline_note(source: SourceFile) -> tuple[NoteOutline, tuple[Diagnostic, ...]]:
    """parse → normalize → model for one note."""
    raw, parse_problems = parse_note(source)
    normalized, normalize_problems = normalize(raw)
    outline, model_problems = to_concepts(normalized)
    return outline, parse_problems + normalize_problems + model_problems


def build_from_sources(
    sources: Sequence[SourceFile],
    site_name: str = DEFAULT_SITE_NAME,
    renderer: MathRenderer | None = None,
    note_cache: NoteCache | None = None,
) -> BuildResult:
    """Notes in, pages and diagnostics out (pure, apart from what ``renderer`` does)."""
    diagnostics: list[Diagnostic] = []
    outlines: list[NoteOutline] = []
    for outline, problems in outline_notes(sources, note_cache):
        outlines.append(outline)
        diagnostics.extend(problems)
    rendered_ok: dict[str, int] = {}
    if renderer is not None:
        math_problems, rendered_ok = render_formulas(outlines, renderer)
        diagnostics.extend(math_problems)

    note_slugs = unique_slugs([(slugify(o.source.name) or Slug("note"), "note") for o in outlines])
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
    entries, links, link_problems = crosslink(entries)
    diagnostics.extend(link_problems)
    referenced_by = backlinks(links)

    pages: dict[PagePath, str] = {}
    pages[emit.HOME_PAGE] = emit.render_home(
        site_name, [(o, note_pages[o.source.path]) for o in outlines], len(entries)
    )
    pages[emit.INDEX_PAGE] = emit.render_index(entries)
    by_concept = {(p.concept.span.path, p.concept.span.line): e for e in entries for p in e.parts}
    for outline in outlines:
        page = note_pages[outline.source.path]
        pages[page] = emit.render_note(outline, page, by_concept)
    for index, entry in enumerate(entries):
        citing = [entries[i] for i in referenced_by.get(index, [])]
        pages[entry.path] = emit.render_entry(entry, note_pages, citing)
    group_pages = _group_pages(entries)
    for title, page, members in group_pages:
        pages[page] = emit.render_group(title, page, members)

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
        ambiguous_aliases=len(link_problems),
        merges=len(merges),
        cross_links=sum(len(t) for t in links.values()),
        pages_with_backlinks=len(referenced_by),
    )
    diagnostics.sort(key=lambda d: (d.span.path, d.span.line))
    return BuildResult(
        pages=pages,
        nav=emit.build_nav(
            [(o, note_pages[o.source.path]) for o in outlines],
            entries,
            [(title, page) for title, page, _ in group_pages],
        ),
        diagnostics=tuple(diagnostics),
        stats=tuple(note_stats(o, rendered_ok.get(o.source.path, 0)) for o in outlines),
        notes=tuple(outlines),
        entries=tuple(entries),
        merges=merges,
        graph=graph,
    )


def _group_pages(entries: Sequence[Entry]) -> list[tuple[str, PagePath, list[Entry]]]:
    """A page per group heading (by its full path), listing every concept filed under it."""
    members: dict[tuple[str, ...], list[Entry]] = {}
    for entry in entries:
        for path in dict.fromkeys(p.concept.groups for p in entry.parts):
            for depth in range(1, len(path) + 1):
                members.setdefault(path[:depth], [])
                if entry not in members[path[:depth]]:
                    members[path[:depth]].append(entry)
    titles = [" › ".join(path) for path in members]
    slugs = unique_slugs([(slugify(t) or Slug("group"), "group") for t in titles])
    return [
        (title, emit.group_path(slug), group)
        for title, slug, group in zip(titles, slugs, members.values(), strict=True)
    ]


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
    results = renderer.render_many(
        key for outline in outlines for f in outline.formulas for key in render_keys(f)
    )
    problems: list[Diagnostic] = []
    rendered: dict[str, int] = {}
    for outline in outlines:
        rendered[outline.source.path] = 0
        for formula in outline.formulas:
            result = results[(formula.tex, formula.display)]
            if result.ok:
                rendered[outline.source.path] += 1
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
        match = FENCE_RE.match(line.text)
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
