"""Readable ASCII slugs for URLs: the English alias when there is one, else the pinyin."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from pymdownx.slugs import slugify as pymdownx_slugify

from .pinyin import pinyin_words
from .text import has_cjk
from .types import Heading, Slug

_NON_SLUG_RE = re.compile(r"[^a-z0-9]+")
MAX_SLUG_LENGTH = 100
"""A longer slug is cut and ends in a hash of the whole text: a file name has at most 255
bytes, and a heading of 50 Chinese characters spells more than that in pinyin."""


@functools.lru_cache(maxsize=1 << 16)
def slugify(text: str) -> Slug:
    """ASCII slug of any text; Chinese becomes toneless pinyin, one syllable per word.
    (Cached: pinyin is the slow part of a rebuild, and names rarely change.)"""
    text = unicodedata.normalize("NFKC", text)
    words = pinyin_words(text, MAX_SLUG_LENGTH)
    ascii_text = "-".join(
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words
    )
    slug = _NON_SLUG_RE.sub("-", ascii_text.lower()).strip("-")
    if len(text) > MAX_SLUG_LENGTH or len(slug) > MAX_SLUG_LENGTH:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = "-".join(p for p in (slug[: MAX_SLUG_LENGTH - 9].rstrip("-"), digest) if p)
    return Slug(slug)


_UNICODE_HEADING_ID = pymdownx_slugify(case="lower")
MAX_HEADING_ID_LENGTH = 100
"""A heading's id is repeated in the page's table of contents: a 100 KB heading needs no
100 KB id (the toc extension makes cut ids unique)."""


def heading_id(text: str, separator: str) -> str:
    """The id of a heading on a page (the ``toc`` extension's ``slugify`` in mkdocs.yml):
    pymdownx's Unicode slug, which keeps Chinese (the default one turns 张量 into ``_1``),
    without leading underscores. Material names its own elements ``__config``, ``__drawer``,
    ``__search``, … and highlight its line anchors ``__codelineno-…``: a note's heading
    ``#### __config`` took that id, and the theme read the heading as its configuration."""
    slug: str = _UNICODE_HEADING_ID(text, separator)
    own = slug.lstrip("_")[:MAX_HEADING_ID_LENGTH]
    return own or ("section" if slug else "")


def concept_slug(heading: Heading) -> Slug:
    """The slug a concept's page gets before collisions are resolved."""
    for alias in heading.aliases:
        if not has_cjk(alias) and len(slugify(alias)) >= 3:
            return slugify(alias)
    return slugify(heading.title) or Slug("concept")


def unique_slugs(wanted: Sequence[tuple[Slug, str]]) -> list[Slug]:
    """Resolve collisions deterministically: the first keeps its slug, later ones add their
    note's slug, then a counter. ``wanted`` pairs each concept's slug with its note's slug."""
    taken: set[Slug] = set()
    result: list[Slug] = []
    for slug, note_slug in wanted:
        candidate = slug
        if candidate in taken:
            candidate = Slug(f"{slug}-{note_slug}")
        counter = 2
        base = candidate
        while candidate in taken:
            candidate = Slug(f"{base}-{counter}")
            counter += 1
        taken.add(candidate)
        result.append(candidate)
    return result


def assign_slugs(headings: Sequence[Heading]) -> list[Slug]:
    """One slug per concept that depends only on the concept itself, so adding or removing
    another concept changes no URL. Concepts whose readable slug collides (two share the
    English alias `class`) fall back to the pinyin of their own title, then add a short hash
    of it."""
    wanted = [concept_slug(h) for h in headings]
    counts = Counter(wanted)
    taken = set(wanted)
    result: list[Slug] = []
    for heading, slug in zip(headings, wanted, strict=True):
        if counts[slug] > 1:
            own = slugify(heading.title)
            if own and own not in taken:
                slug = own
            else:
                digest = hashlib.sha1(heading.title.encode("utf-8")).hexdigest()[:6]
                slug = Slug(f"{own or slug}-{digest}")
            taken.add(slug)
        result.append(slug)
    return result


__all__ = [
    "MAX_HEADING_ID_LENGTH",
    "MAX_SLUG_LENGTH",
    "assign_slugs",
    "concept_slug",
    "heading_id",
    "slugify",
    "unique_slugs",
]
