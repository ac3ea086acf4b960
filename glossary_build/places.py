"""Where each page lives: a slug per note and per merged concept.

The URL map keeps every URL published before (see urls.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from . import urls
from .emit import concept_path, note_path
from .incremental import MemoTable
from .merge import merge
from .slugs import assign_slugs, slugify, unique_slugs
from .types import Entry, NoteOutline, PagePath, Published, Slug, UrlMap

__all__ = ["ConceptPlaces", "NotePlaces", "place_concepts", "place_notes"]


@dataclass(frozen=True, slots=True)
class NotePlaces:
    """Where each note's page lives."""

    pages: dict[str, PagePath]
    """Each note's page, by note path."""
    slugs: list[Slug]
    published: dict[Slug, tuple[str, bool]]
    """The notes part of the updated URL map (empty without a map)."""


def place_notes(outlines: Sequence[NoteOutline], url_map: UrlMap | None) -> NotePlaces:
    """A page per note, by its name (with a map: the URL each note had before)."""
    slugs = unique_slugs([(slugify(o.source.name) or Slug("note"), "note") for o in outlines])
    published: dict[Slug, tuple[str, bool]] = {}
    if url_map is not None:
        slugs, published = urls.keyed_slugs([o.source.path for o in outlines], slugs, url_map.notes)
    pages = {o.source.path: note_path(slug) for o, slug in zip(outlines, slugs, strict=True)}
    return NotePlaces(pages, slugs, published)


@dataclass(frozen=True, slots=True)
class ConceptPlaces:
    """Every concept, merged across notes, with the page it lives at."""

    entries: list[Entry]
    published: dict[Slug, Published]
    """The concepts part of the updated URL map (empty without a map)."""


def place_concepts(
    outlines: Sequence[NoteOutline],
    notes: NotePlaces,
    url_map: UrlMap | None,
    text_digests: MemoTable[str, dict[int, str]],
) -> ConceptPlaces:
    """Merge the concepts found in several places, and give each one its page (with a map:
    the URL it had before, recognised by its names or by its text's digest, memoized in
    ``text_digests`` by note)."""
    merged = merge(outlines)
    slugs = assign_slugs(
        [min(parts, key=lambda p: len(p.concept.title)).concept.heading for parts in merged]
    )
    entries = [
        Entry(slug, concept_path(slug), parts) for slug, parts in zip(slugs, merged, strict=True)
    ]
    if url_map is None:
        return ConceptPlaces(entries, {})
    by_path = dict(zip((o.source.path for o in outlines), notes.slugs, strict=True))
    digests = {
        (o.source.path, line): digest
        for o in outlines
        for line, digest in text_digests.get(
            o.source.path, (o,), partial(urls.text_digests, o)
        ).items()
    }
    kept, published = urls.concept_slugs(entries, slugs, by_path, url_map, digests)
    entries = [
        e if e.slug == slug else Entry(slug, concept_path(slug), e.parts)
        for e, slug in zip(entries, kept, strict=True)
    ]
    return ConceptPlaces(entries, published)
