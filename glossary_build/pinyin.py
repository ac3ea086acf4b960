"""Toneless pinyin, the one way every module spells Chinese in Latin letters.

Slugs, the A–Z index's sort keys and the search index's pinyin names all spell a name
through :func:`pinyin_words`, so the three agree on every name (NFKC first: a full-width
``Ａ`` or ``１`` is the letter or digit it shows).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from pypinyin import lazy_pinyin


@functools.lru_cache(maxsize=1 << 16)
def pinyin_words(text: str, limit: int) -> tuple[str, ...]:
    """The toneless pinyin of ``text``'s first ``limit`` characters, one word per Chinese
    character and each other run as it is (``张量 Tensor`` → ``zhang``, ``liang``, `` Tensor``).

    Only a name's start is spelled: pypinyin's cost grows faster than the text, and a heading
    can be 100,000 characters long. (Cached: pinyin is the slow part of a rebuild, and names
    rarely change.)
    """
    return tuple(lazy_pinyin(unicodedata.normalize("NFKC", text)[:limit], errors="default"))


__all__: Sequence[str] = ["pinyin_words"]
