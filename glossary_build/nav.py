"""The site's nav: home, index, map, groups, then one section per note, every section bounded.

Every page embeds the nav of its section: a flat section of 390 glossary terms made the nav
17 of a build's 35 seconds. Long sections are split by initial letter (A–Z, Chinese by
pinyin), sorted within. Material renders every item of each section on the open page's path
(only closed sections are pruned), so a page costs the length of its sections: one letter of
2,000 names made a build 23 times as long. No section holds more than NAV_SECTION_LIMIT
items: longer runs are nested in chunks (see _bounded).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .emit import GRAPH_PAGE, GRAPH_TITLE, HOME_PAGE, INDEX_PAGE, NOTES_DIR, plain_title
from .index_page import index_key
from .text import html_text
from .types import Entry, NoteOutline, PagePath


def build_nav(
    notes: Sequence[tuple[NoteOutline, PagePath]],
    entries: Sequence[Entry],
    group_pages: Sequence[tuple[str, PagePath]],
) -> tuple[Any, ...]:
    """Nav: home, index, groups, then one section per note with a sub-section per group.

    A page merged from several notes is listed once, under the note it first appears in.
    Built with the author's titles as they are (sorting and chunk labels need them), then
    handed to MkDocs with every title through :func:`html_text`: Material inserts nav titles
    (nav, footer, page title) as HTML."""
    by_note: dict[str, list[Entry]] = {}
    for entry in entries:
        by_note.setdefault(entry.primary.span.path, []).append(entry)
    nav: list[Any] = [{"首页": HOME_PAGE}, {"索引 / Index": INDEX_PAGE}, {GRAPH_TITLE: GRAPH_PAGE}]
    if group_pages:
        group_items = [{title: page} for title, page in group_pages]
        nav.append({"分类 / Groups": _bounded(group_items)})
    note_sections: list[Any] = []
    for outline, page in notes:
        items: list[Any] = [{"概览 / Overview": page}]
        sections: dict[tuple[str, ...], list[Any]] = {(): items}
        for entry in by_note.get(outline.source.path, []):
            target = items
            groups = entry.primary.groups
            for depth in range(len(groups)):
                key = groups[: depth + 1]
                if key not in sections:
                    sections[key] = []
                    sections[key[:-1]].append({key[-1]: sections[key]})
                target = sections[key]
            target.append({plain_title(entry.title, entry.title_part.formulas): entry.path})
        for section in sections.values():
            section[:] = _split_long_section(section)
        note_sections.append({outline.source.name: items})
    nav.extend(_bounded(note_sections))
    return tuple(_as_html(nav))


def _as_html(items: list[Any]) -> list[Any]:
    """The nav as MkDocs takes it: every title (key) as HTML text."""
    out: list[Any] = []
    for item in items:
        ((title, value),) = item.items()
        out.append({html_text(title): _as_html(value) if isinstance(value, list) else value})
    return out


NAV_SECTION_LIMIT = 40
"""Items a nav section holds at most; longer runs are nested in chunks."""
NAV_LABEL_LENGTH = 24
"""Characters of a name shown in a chunk's label (`子1 – 子1040`), whatever its length."""


def _split_long_section(items: list[Any]) -> list[Any]:
    pages = [item for item in items if isinstance(next(iter(item.values())), str)]
    if len(pages) <= NAV_SECTION_LIMIT:
        return _bounded(items)
    others = [item for item in items if not isinstance(next(iter(item.values())), str)]
    head = [item for item in pages if next(iter(item.values())).startswith(NOTES_DIR)]
    buckets: dict[str, list[Any]] = {}
    for item in pages:
        if next(iter(item.values())).startswith(NOTES_DIR):
            continue
        initial, _ = index_key(next(iter(item)))
        buckets.setdefault(initial, []).append(item)
    letters = sorted(buckets, key=lambda i: (i == "#", i))
    for bucket in buckets.values():
        bucket.sort(key=lambda item: index_key(next(iter(item)))[1])
    split = [*head, *others, *({letter: _bounded(buckets[letter])} for letter in letters)]
    return _bounded(split)


def _bounded(items: list[Any]) -> list[Any]:
    """``items`` if there are at most NAV_SECTION_LIMIT, else the same items in order,
    nested in sections of at most that many, as few levels deep as it takes (2,000 items:
    12 sections of 13 of 13). A chunk is named by the first and last name in it, so it
    reads as a range of the section's order (A–Z within a letter)."""
    if len(items) <= NAV_SECTION_LIMIT:
        return items
    # The fewest levels that hold them, each as wide as the others: a page costs the
    # length of every section on its path (2,000: 3 levels of 13, not 2, 25 and 40).
    levels = 1
    while NAV_SECTION_LIMIT ** (levels + 1) < len(items):
        levels += 1
    width = math.ceil(len(items) ** (1 / (levels + 1)))
    ranges = [_name_range(item) for item in items]
    while len(items) > width:
        size = -(-len(items) // -(-len(items) // width))  # chunks of equal size
        chunks, chunk_ranges = [], []
        for start in range(0, len(items), size):
            first, last = ranges[start][0], ranges[min(start + size, len(items)) - 1][1]
            label = first if first == last else f"{first} – {last}"
            chunks.append({label: items[start : start + size]})
            chunk_ranges.append((first, last))
        items, ranges = chunks, chunk_ranges
    return items


def _name_range(item: Mapping[str, Any]) -> tuple[str, str]:
    (title,) = item
    short = title if len(title) <= NAV_LABEL_LENGTH else title[: NAV_LABEL_LENGTH - 1] + "…"
    return short, short


__all__ = ["NAV_LABEL_LENGTH", "NAV_SECTION_LIMIT", "build_nav"]
