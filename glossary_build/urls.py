"""URLs never break: the URL map, kept in the repository, read and updated by the build.

A page keeps the address it was published under. The map (``glossary-urls.json`` at the
project root by default; the plugin's ``url_map`` option) records, for every concept page
ever published, its slug and what identifies it; for every note and group page, its slug and
its key (the note's path, the group's title path). A build:

* gives each concept the slug the map has for it, recognising it, in this order, by
  1. its title (as :func:`~glossary_build.merge.merge_key` compares titles: case, spaces and
     a trailing 概念 aside);
  2. a name it shares with a published concept no other concept claimed (the title became
     an alias: ``### Tensor`` → ``### 张量(Tensor)``);
  3. a **rename**: a published concept that is not found by name, from the same note, with
     the very same text (a digest of its lines in the note) — the same concept under a new
     title keeps its URL. A concept whose title *and* text changed at once is taken as
     removed + new (its old URL redirects), never as another concept's page;
* gives a new concept its readable slug unless the map holds it (for a live page or a
  redirect): then its note's slug is added, then a counter. So adding ``### Tensor`` leaves
  张量 at ``/concepts/tensor/``;
* keeps a concept that disappeared as a redirect: its old URL leads to its note's page (or
  to the A–Z index, if the note is gone too), with a short notice. A concept that comes
  back under that title gets its URL back. Notes and groups that disappear redirect to the
  home page and the A–Z index.

The map changes when URLs do (a new page, a redirect), and also when the digests it keeps
to recognise renames change (a body edited): only the first kind is reported as a change
(a warning under ``--strict``, so CI fails while the committed map is stale).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from .codes import Code
from .emit import HOME_PAGE, INDEX_PAGE, concept_path, group_path, note_path
from .merge import merge_key
from .types import (
    Diagnostic,
    Entry,
    NoteOutline,
    PagePath,
    Published,
    Redirect,
    Severity,
    Slug,
    Span,
    UrlMap,
)

MAP_VERSION = 1
DEFAULT_URL_MAP = "glossary-urls.json"


def load(path: Path, shown: str) -> tuple[UrlMap | None, tuple[Diagnostic, ...]]:
    """Read the map; a missing file is an empty map (the build creates it). A file that is not
    a map is an error and ``None``: the build then uses no map, and must not overwrite it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UrlMap(), ()
    except (OSError, UnicodeDecodeError) as exc:
        return None, (_bad_map(shown, 1, f"cannot be read ({exc})"),)
    try:
        return parse(text), ()
    except json.JSONDecodeError as exc:
        return None, (_bad_map(shown, exc.lineno, f"is not valid JSON ({exc.msg})"),)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return None, (_bad_map(shown, 1, f"is not a URL map ({type(exc).__name__}: {exc})"),)


def _bad_map(shown: str, line: int, problem: str) -> Diagnostic:
    return Diagnostic(
        Span(shown, line),
        Severity.ERROR,
        Code.URL_MAP,
        f"the URL map {problem}; URLs are assigned afresh and the file is left as it is",
        "restore it from git (`git checkout -- " + shown + "`)",
    )


_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What :func:`~glossary_build.slugs.slugify` and the collision rules make: a slug from the
file becomes a path in the site, so anything else (``../x``) rejects the whole file."""


def parse(text: str) -> UrlMap:
    """A URL map from the text of glossary-urls.json (ValueError if it is not one)."""
    data = json.loads(text)
    if data.get("version") != MAP_VERSION:
        raise ValueError(f"version {data.get('version')!r}, expected {MAP_VERSION}")
    for kind in ("concepts", "notes", "groups"):
        for slug in data[kind]:
            if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
                raise ValueError(f"{slug!r} in {kind} is not a slug")
    concepts = {
        Slug(slug): Published(
            str(item["title"]),
            tuple(str(n) for n in item["names"]),
            str(item["note"]),
            str(item["body"]),
            bool(item.get("gone", False)),
        )
        for slug, item in data["concepts"].items()
    }

    def keyed(kind: str) -> dict[Slug, tuple[str, bool]]:
        return {
            Slug(slug): (str(item["key"]), bool(item.get("gone", False)))
            for slug, item in data[kind].items()
        }

    return UrlMap(concepts, keyed("notes"), keyed("groups"))


def dumps(url_map: UrlMap) -> str:
    """The map as committed: sorted, one page per line (a change is a one-line diff)."""

    def line(slug: str, item: Mapping[str, object]) -> str:
        return f"  {json.dumps(slug)}: {json.dumps(item, ensure_ascii=False, sort_keys=True)}"

    def block(name: str, rows: list[str]) -> str:
        inner = ",\n".join(rows)
        return f' "{name}": {{\n{inner}\n }}' if rows else f' "{name}": {{}}'

    concepts = []
    for slug, p in sorted(url_map.concepts.items()):
        item: dict[str, object] = {
            "title": p.title,
            "names": list(p.names),
            "note": p.note,
            "body": p.body,
        }
        if p.gone:
            item["gone"] = True
        concepts.append(line(slug, item))

    def keyed(items: Mapping[Slug, tuple[str, bool]]) -> list[str]:
        return [
            line(slug, {"key": key, "gone": True} if gone else {"key": key})
            for slug, (key, gone) in sorted(items.items())
        ]

    blocks = [
        f' "version": {MAP_VERSION}',
        block("concepts", concepts),
        block("notes", keyed(url_map.notes)),
        block("groups", keyed(url_map.groups)),
    ]
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def text_digests(outline: NoteOutline) -> dict[int, str]:
    """A digest of each concept's text as the note has it (the lines after its heading up to
    the next concept's), by heading line: what recognises a renamed concept. Made from the
    note's own text, not from what the stages made of it, so that a change to glossary_build
    changes no digest (and no committed map)."""
    lines = outline.source.text.split("\n")
    starts = sorted(c.span.line for c in outline.concepts)
    digests = {}
    for start, end in zip(starts, [*starts[1:], len(lines) + 1], strict=False):
        text = "\n".join(lines[start : end - 1]).strip()
        digests[start] = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
    return digests


def _describe(entry: Entry, digests: Mapping[tuple[str, int], str]) -> Published:
    span = entry.parts[0].concept.span
    return Published(
        entry.title,
        (entry.title, *entry.aliases),
        span.path,
        digests.get((span.path, span.line), ""),
    )


def concept_slugs(
    entries: Sequence[Entry],
    fresh: Sequence[Slug],
    note_slugs: Mapping[str, Slug],
    previous: UrlMap,
    digests: Mapping[tuple[str, int], str],
) -> tuple[list[Slug], dict[Slug, Published]]:
    """Each entry's slug (``entries`` carry placeholder slugs; ``fresh``: the slugs they would
    get without a map) and the concepts part of the new map (see the module docstring);
    ``digests``: :func:`text_digests` of every note, by (note path, heading line)."""
    described = [_describe(e, digests) for e in entries]
    chosen: list[Slug | None] = [None] * len(entries)
    claimed: set[Slug] = set()

    by_title: dict[str, list[Slug]] = {}
    by_name: dict[str, list[Slug]] = {}
    by_body: dict[tuple[str, str], list[Slug]] = {}
    for slug, published in sorted(previous.concepts.items()):
        by_title.setdefault(merge_key(published.title), []).append(slug)
        if not published.gone:
            for name in dict.fromkeys(merge_key(n) for n in published.names):
                by_name.setdefault(name, []).append(slug)
            by_body.setdefault((published.note, published.body), []).append(slug)

    def claim(index: int, candidates: Sequence[Slug]) -> None:
        for slug in candidates:
            if slug not in claimed:
                chosen[index] = slug
                claimed.add(slug)
                return

    # 1. by title (a removed concept that comes back by its title gets its URL back);
    # 2. by a shared name; 3. a rename: same note, same text.
    for index, d in enumerate(described):
        claim(index, by_title.get(merge_key(d.title), ()))
    for index, d in enumerate(described):
        if chosen[index] is None:
            for name in dict.fromkeys(merge_key(n) for n in d.names):
                claim(index, by_name.get(name, ()))
                if chosen[index] is not None:
                    break
    for index, d in enumerate(described):
        if chosen[index] is None:
            claim(index, by_body.get((d.note, d.body), ()))

    # New concepts: their readable slug, unless the map holds it.
    reserved = set(previous.concepts) | claimed
    result: list[Slug] = []
    for index, entry in enumerate(entries):
        found = chosen[index]
        if found is None:
            note = entry.parts[0].concept.span.path
            found = _free(fresh[index], note_slugs.get(note), reserved)
            reserved.add(found)
        result.append(found)

    concepts: dict[Slug, Published] = {}
    for slug, published in previous.concepts.items():
        if slug not in claimed:
            concepts[slug] = Published(
                published.title, published.names, published.note, published.body, gone=True
            )
    for slug, d in zip(result, described, strict=True):
        concepts[slug] = d
    return result, concepts


def _free(wanted: Slug, note_slug: Slug | None, reserved: set[Slug]) -> Slug:
    if wanted not in reserved:
        return wanted
    base = Slug(f"{wanted}-{note_slug}") if note_slug else wanted
    candidate, counter = base, 2
    while candidate in reserved:
        candidate = Slug(f"{base}-{counter}")
        counter += 1
    return candidate


def keyed_slugs(
    keys: Sequence[str], fresh: Sequence[Slug], previous: Mapping[Slug, tuple[str, bool]]
) -> tuple[list[Slug], dict[Slug, tuple[str, bool]]]:
    """Note or group slugs: by key (a note's path, a group's titles), else the readable slug
    unless the map holds it; a key no longer there stays in the map as gone."""
    known = {key: slug for slug, (key, _) in sorted(previous.items())}
    reserved = set(previous)
    result: list[Slug] = []
    taken: set[Slug] = set()
    for key, wanted in zip(keys, fresh, strict=True):
        slug = known.get(key)
        if slug is None or slug in taken:
            slug = _free(wanted, None, reserved | taken)
        taken.add(slug)
        result.append(slug)
    updated = {slug: (key, True) for slug, (key, _) in previous.items() if slug not in taken}
    updated.update((slug, (key, False)) for slug, key in zip(result, keys, strict=True))
    return result, updated


def changes(before: UrlMap, after: UrlMap) -> tuple[str, ...]:
    """The URL decisions ``after`` makes that ``before`` did not, as short phrases."""
    found: list[str] = []
    for slug, published in sorted(after.concepts.items()):
        old = before.concepts.get(slug)
        if old is None:
            found.append(f"new concept URL {slug}")
        elif old.gone != published.gone:
            found.append(f"{'removed' if published.gone else 'back'}: concept {slug}")
    for kind, old_items, new_items in (
        ("note", before.notes, after.notes),
        ("group", before.groups, after.groups),
    ):
        for slug, (key, gone) in sorted(new_items.items()):
            was = old_items.get(slug)
            if was is None:
                found.append(f"new {kind} URL {slug}")
            elif was != (key, gone):
                found.append(f"{'removed' if gone else 'changed'}: {kind} {slug}")
    return tuple(found)


def redirects(url_map: UrlMap, note_pages: Mapping[str, PagePath]) -> tuple[Redirect, ...]:
    """Where each removed page's URL leads: a concept's to its note's page (or the A–Z index
    when the note is gone too), a note's to the home page, a group's to the A–Z index."""
    found = [
        Redirect(concept_path(slug), note_pages.get(published.note, INDEX_PAGE), published.title)
        for slug, published in sorted(url_map.concepts.items())
        if published.gone
    ]
    found += [
        Redirect(note_path(slug), HOME_PAGE, key.rsplit("/", 1)[-1])
        for slug, (key, gone) in sorted(url_map.notes.items())
        if gone
    ]
    found += [
        Redirect(group_path(slug), INDEX_PAGE, key)
        for slug, (key, gone) in sorted(url_map.groups.items())
        if gone
    ]
    return tuple(found)


def updated(
    before: UrlMap | None, after: UrlMap, note_pages: Mapping[str, PagePath]
) -> tuple[UrlMap | None, tuple[Redirect, ...], tuple[str, ...]]:
    """With a map read before the build (``before``), the updated map (``after``), the
    redirects of the pages it lost, and what changed; without one, nothing."""
    if before is None:
        return None, (), ()
    changed = changes(before, after) if before.concepts or before.notes else ()
    return after, redirects(after, note_pages), changed


__all__ = [
    "DEFAULT_URL_MAP",
    "MAP_VERSION",
    "changes",
    "concept_slugs",
    "dumps",
    "keyed_slugs",
    "load",
    "parse",
    "redirects",
    "text_digests",
    "updated",
]
