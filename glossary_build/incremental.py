"""What `mkdocs serve` keeps between rebuilds: one typed memo table per kind of result.

Saving one note should cost about what that note costs. So the build asks a table for each
result with the inputs it is made of, and a table hands back the previous build's result
when those inputs are the same objects (a note whose text did not change keeps its outline)
or equal ones (the other concepts of a note that was saved). Results that depend on every
concept's name are kept by a digest of all the names (:func:`names_digest`): most edits
change no name, and then the linker, the index, the nav and the group pages are reused.

benchmarks/edit_rebuild.py measures what a save costs with and without the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any, Generic, TypeVar

from .emit import plain_title
from .graph import ConceptGraph
from .groups import GroupPage, GroupSlugs
from .link import Linker
from .normalize import SectionCache
from .related import Related
from .types import (
    Diagnostic,
    Entry,
    NoteOutline,
    NoteStats,
    PagePath,
    Slug,
    SourceFile,
)

__all__ = [
    "BuildCache",
    "ByNames",
    "MemoTable",
    "NoteCache",
    "PageKey",
    "entry_inputs",
    "names_digest",
]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

NoteCache = MutableMapping[str, tuple[SourceFile, NoteOutline, tuple[Diagnostic, ...]]]
"""parse → normalize → model results by path, with the note (text, assets) they came from."""


class MemoTable(Generic[K, V]):
    """Results of one kind from the previous build and this one, by key, with the inputs
    each was made of.

    A result is reused when its inputs are the same objects or equal ones. Results a build
    does not ask for are dropped at its end (:meth:`next_build`), so memory follows the
    current notes."""

    def __init__(self) -> None:
        self._previous: dict[K, tuple[tuple[object, ...], V]] = {}
        self._current: dict[K, tuple[tuple[object, ...], V]] = {}

    def _kept(self, key: K, inputs: tuple[object, ...]) -> tuple[tuple[object, ...], V] | None:
        found = self._current.get(key) or self._previous.get(key)
        if found is None or len(found[0]) != len(inputs):
            return None
        # A loop, not all(<generator>): tens of thousands of lookups a build.
        for before, now in zip(found[0], inputs, strict=True):
            if before is not now and before != now:
                return None
        return found

    def get(self, key: K, inputs: tuple[object, ...], compute: Callable[[], V]) -> V:
        """The result for ``key`` made of ``inputs``: the kept one, or ``compute()``."""
        kept = self._kept(key, inputs)
        result = kept[1] if kept is not None else compute()
        self._current[key] = (inputs, result)
        return result

    def has(self, key: K, inputs: tuple[object, ...]) -> bool:
        """Whether :meth:`get` would reuse a result (nothing is recorded)."""
        return self._kept(key, inputs) is not None

    def next_build(self) -> None:
        """End a build: what it asked for is what the next one can reuse."""
        self._previous, self._current = self._current, {}


class ByNames(Generic[V]):
    """One result that depends on every concept's name: kept while the names digest is the
    one it was made for."""

    def __init__(self) -> None:
        self._kept: tuple[str, V] | None = None

    def get(self, names: str, compute: Callable[[], V]) -> V:
        """The result made for ``names``: the kept one, or ``compute()``."""
        if self._kept is not None and self._kept[0] == names:
            return self._kept[1]
        value = compute()
        self._kept = (names, value)
        return value

    def kept(self) -> tuple[str, V] | None:
        """The kept result with the names digest it was made for, if any."""
        return self._kept

    def keep(self, names: str, value: V) -> None:
        """Keep ``value`` as the result for ``names``."""
        self._kept = (names, value)

    def forget(self) -> None:
        """Drop the kept result."""
        self._kept = None


PageKey = tuple[str, Slug, tuple[int, ...], tuple[tuple[int, str], ...]]
"""A concept page's key: the names digest, its slug, who cites it and what it suggests."""


@dataclass
class BuildCache:
    """Everything one build keeps for the next (see the module docstring)."""

    notes: NoteCache = field(default_factory=dict)
    """Each note's outline and diagnostics, by path, with the note they came from."""
    sections: dict[str, SectionCache] = field(default_factory=dict)
    """Each note's normalized sections (by path): a saved note is normalized again only
    where it changed."""

    math: MemoTable[str, tuple[list[Diagnostic], int]] = field(default_factory=MemoTable)
    """A note's KaTeX problems and rendered-formula count, by note path."""
    text_digests: MemoTable[str, dict[int, str]] = field(default_factory=MemoTable)
    """A note's concept-text digests for the URL map, by note path."""
    names_of: MemoTable[Slug, bytes] = field(default_factory=MemoTable)
    """What an entry contributes to the names digest, by slug."""
    links: MemoTable[tuple[str, int], tuple[Entry, list[int]]] = field(default_factory=MemoTable)
    """An entry with its cross-links, and the entries it links to, by (names, index)."""
    note_pages: MemoTable[tuple[str, str], str] = field(default_factory=MemoTable)
    """A note's page, by (names, note path)."""
    concept_pages: MemoTable[PageKey, str] = field(default_factory=MemoTable)
    """A concept's page, by :data:`PageKey`."""
    stats: MemoTable[str, NoteStats] = field(default_factory=MemoTable)
    """A note's statistics, by note path."""

    linker: ByNames[tuple[Linker, list[Diagnostic]]] = field(default_factory=ByNames)
    """The cross-linker and its diagnostics."""
    index: ByNames[str] = field(default_factory=ByNames)
    """The A–Z index page."""
    groups: ByNames[tuple[list[GroupPage], GroupSlugs]] = field(default_factory=ByNames)
    """Every group page's title, path and members, and the groups part of the URL map."""
    group_pages: ByNames[dict[PagePath, str]] = field(default_factory=ByNames)
    """Every group page's Markdown."""
    nav: ByNames[tuple[Any, ...]] = field(default_factory=ByNames)
    """The site's navigation."""
    graph: ByNames[tuple[ConceptGraph, Related]] = field(default_factory=ByNames)
    """The last concept graph and related lists (reused in part while only links change)."""

    def next_build(self) -> None:
        """End a build in every memo table."""
        for table in fields(self):
            value = getattr(self, table.name)
            if isinstance(value, MemoTable):
                value.next_build()

    def forget_outlines(self) -> None:
        """After a build that raised: drop what may hold half of it (the outlines, the
        sections and every result made of all the names); the memo tables are safe, since
        their results are found only by equal inputs."""
        self.notes.clear()
        self.sections.clear()
        for table in fields(self):
            value = getattr(self, table.name)
            if isinstance(value, ByNames):
                value.forget()


def entry_inputs(entry: Entry) -> tuple[object, ...]:
    """What an entry is made of, as objects that are the same while their notes are."""
    inputs: list[object] = []
    for part in entry.parts:
        inputs.extend((part.concept, part.formulas))
    return tuple(inputs)


def names_digest(
    entries: Sequence[Entry],
    note_pages: Mapping[str, PagePath],
    names_of: MemoTable[Slug, bytes] | None = None,
) -> str:
    """A digest of every entry's slug, title, aliases, sources and groups, and of the note
    pages: what links, the index, the nav, the group pages and every page's "referenced by"
    list are made from."""
    table = names_of if names_of is not None else MemoTable[Slug, bytes]()
    hasher = hashlib.blake2b(digest_size=12)
    for entry in entries:
        hasher.update(table.get(entry.slug, entry_inputs(entry), partial(_describe, entry)))
    hasher.update(repr(sorted(note_pages.items())).encode())
    return hasher.hexdigest()


def _describe(entry: Entry) -> bytes:
    # Names as shown: a formula token's meaning depends on its note's formulas.
    shown = [
        plain_title(entry.title, entry.title_part.formulas),
        *(plain_title(alias, entry.parts[0].formulas) for alias in entry.aliases),
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
