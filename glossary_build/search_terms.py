"""The names a concept is searched by besides its title and aliases: their pinyin.

They feed the search index's names layer (glossary_build/search_index.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .pinyin import pinyin_words
from .text import has_cjk

_SYLLABLE_RE = re.compile(r"[a-z0-9]+")

SEARCH_NAME_LENGTH = 64
"""Characters of a name that its pinyin is made from. A heading can be 100,000 characters
long, and pypinyin's cost (and the index's size) grows with what it is given; nobody types
more than this into a search box. The name itself is indexed whole."""


def pinyin_forms(title: str) -> list[str]:
    """Toneless pinyin of a Chinese title, joined (zhangliang) and spaced (zhang liang)."""
    if not has_cjk(title[:SEARCH_NAME_LENGTH]):
        return []
    syllables = _SYLLABLE_RE.findall(" ".join(pinyin_words(title, SEARCH_NAME_LENGTH)).lower())
    if len(syllables) < 2:
        return syllables
    return ["".join(syllables), " ".join(syllables)]


def pinyin_names(names: Iterable[str]) -> list[str]:
    """Each Chinese name's toneless pinyin, syllables spaced (梯度裁剪 → ti du cai jian)."""
    forms = []
    for name in names:
        found = pinyin_forms(name)
        if found:
            forms.append(found[-1])
    return forms


def search_names(title: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """A page's names, title first, each once."""
    return tuple(dict.fromkeys(n.strip() for n in (title, *aliases) if n.strip()))


def page_location(page_path: str, use_directory_urls: bool = True) -> str:
    """``concepts/tensor.md`` → ``concepts/tensor/`` (the index's location of the page)."""
    stem = page_path.removesuffix(".md")
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


__all__: Sequence[str] = [
    "SEARCH_NAME_LENGTH",
    "page_location",
    "pinyin_forms",
    "pinyin_names",
    "search_names",
]
