"""The per-note stages, parse → normalize → model, for every note.

The outline of each note whose text did not change is reused from the last build."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .incremental import NoteCache
from .model import to_concepts
from .normalize import SectionCache, normalize
from .parse import parse_note
from .recovery import crash_diagnostic, plain_text_outline
from .types import Diagnostic, NoteOutline, SourceFile, Span

__all__ = ["outline_note", "outline_notes"]


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
