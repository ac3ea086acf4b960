"""The one orchestrator: sources → parse → normalize → model → slugs → emit."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import emit
from .katex import MathKey, Rendered
from .math import is_math_fence
from .model import to_concepts
from .normalize import HTML_IMAGE_RE, MARKDOWN_IMAGE_RE, normalize
from .parse import FENCE_RE, parse_note
from .slugs import concept_slug, slugify, unique_slugs
from .sources import discover
from .types import (
    BuildResult,
    Concept,
    Diagnostic,
    Line,
    NoteOutline,
    NoteStats,
    PagePath,
    PageRef,
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


def build(config: BuildConfig, renderer: MathRenderer | None = None) -> BuildResult:
    """Read the notes from disk and build every generated page.

    With a ``renderer``, every formula is rendered now (in parallel, from the cache when it
    can), so that each one KaTeX rejects is reported with its note and line.
    """
    sources, problems = discover(config.notes_path, config.root)
    result = build_from_sources(sources, config.site_name, renderer)
    return BuildResult(
        result.pages, result.nav, problems + result.diagnostics, result.stats, result.notes
    )


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
) -> BuildResult:
    """Notes in, pages and diagnostics out (pure, apart from what ``renderer`` does)."""
    diagnostics: list[Diagnostic] = []
    outlines: list[NoteOutline] = []
    for source in sources:
        outline, problems = outline_note(source)
        outlines.append(outline)
        diagnostics.extend(problems)
    rendered_ok: dict[str, int] = {}
    if renderer is not None:
        math_problems, rendered_ok = render_formulas(outlines, renderer)
        diagnostics.extend(math_problems)

    note_slugs = unique_slugs([(slugify(o.source.name) or Slug("note"), "note") for o in outlines])
    wanted = [
        (concept_slug(c.heading), note_slug)
        for outline, note_slug in zip(outlines, note_slugs, strict=True)
        for c in outline.concepts
    ]
    slugs = iter(unique_slugs(wanted))
    per_note: list[tuple[NoteOutline, PagePath, list[PageRef]]] = []
    for outline, note_slug in zip(outlines, note_slugs, strict=True):
        refs = []
        for concept in outline.concepts:
            slug = next(slugs)
            refs.append(PageRef(slug, emit.concept_path(slug), concept))
        per_note.append((outline, emit.note_path(note_slug), refs))

    pages: dict[PagePath, str] = {}
    total = sum(len(o.concepts) for o in outlines)
    pages[emit.HOME_PAGE] = emit.render_home(site_name, [(o, p) for o, p, _ in per_note], total)
    for outline, note_page, refs in per_note:
        pages[note_page] = emit.render_note(outline, note_page, refs)
        for ref in refs:
            pages[ref.path] = emit.render_concept(ref, note_page, outline.formulas)

    diagnostics.sort(key=lambda d: (d.span.path, d.span.line))
    return BuildResult(
        pages=pages,
        nav=emit.build_nav(per_note),
        diagnostics=tuple(diagnostics),
        stats=tuple(note_stats(o, rendered_ok.get(o.source.path, 0)) for o in outlines),
        notes=tuple(outlines),
    )


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
        (f.tex, f.display) for outline in outlines for f in outline.formulas
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
