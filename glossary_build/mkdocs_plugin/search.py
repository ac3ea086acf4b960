"""The search index's records, from the model and the rendered pages (format: SEARCH-FORMAT.md)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from functools import partial

from mkdocs.structure.files import Files

from ..emit import plain_title
from ..incremental import MemoTable
from ..search_index import SearchPage, Section, ordered_pages
from ..search_terms import page_location, pinyin_names, search_names
from ..types import BuildResult, Entry, Slug

__all__ = ["LISTING_KINDS", "concept_names", "page_kind", "search_pages"]


def concept_names(
    result: BuildResult,
    kept: MemoTable[tuple[Slug, str], SearchPage],
    use_directory_urls: bool = True,
) -> dict[str, SearchPage]:
    """The names layer's record of every concept page, by its URL, without sections yet
    (``kept`` across `mkdocs serve` rebuilds for an entry that did not change: pypinyin runs
    once per name)."""
    pages = {}
    for entry in result.entries:
        url = page_location(entry.path, use_directory_urls)
        pages[url] = kept.get((entry.slug, url), (entry,), partial(_names_record, entry, url))
    kept.next_build()
    return pages


def _names_record(entry: Entry, url: str) -> SearchPage:
    # As the page shows them: a formula in a name as its bare TeX.
    title = plain_title(entry.title, entry.title_part.formulas)
    aliases = [plain_title(a, entry.parts[0].formulas) for a in entry.aliases]
    names = search_names(title, aliases)
    return SearchPage(
        url=url,
        title=title,
        kind="concept",
        sections=(),
        aliases=names[1:],
        note=entry.primary.note,
        pinyin=tuple(dict.fromkeys(pinyin_names(names))),
    )


LISTING_KINDS = frozenset({"home", "letter", "group"})


def page_kind(src_uri: str) -> str:
    """What a generated page that is not a concept is, by where it lives."""
    top = src_uri.split("/", 1)[0]
    return {"notes": "note", "groups": "group", "index.md": "home", "terms.md": "letter"}.get(
        top, "other"
    )


def search_pages(
    urls: Iterable[str],
    files: Files,
    sections_by_url: Mapping[str, tuple[str, tuple[Section, ...]]],
    concept_records: Mapping[str, SearchPage],
    note_names: Mapping[str, str],
) -> list[SearchPage]:
    """The index's record of each page at ``urls``: a concept's names with its sections, a
    note's name, a listing page by its title only."""
    found = {}
    kinds = {f.page.url: f.src_uri for f in files.documentation_pages() if f.page}
    for url in urls:
        if url not in sections_by_url:
            continue
        title, sections = sections_by_url[url]
        names = concept_records.get(url)
        kind = page_kind(kinds.get(url, ""))
        if names is not None:
            found[url] = dataclasses.replace(names, sections=sections)
        elif kind == "note" and url in note_names:
            name = note_names[url]
            found[url] = SearchPage(url, name, kind, sections, note=name)
        elif kind in LISTING_KINDS:
            # Its text is other pages' titles: found by its name only.
            found[url] = SearchPage(url, title, kind, (Section("", title, ""),))
        else:
            found[url] = SearchPage(url, title, kind, sections)
    return ordered_pages(found)
