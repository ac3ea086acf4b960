"""The A–Z index page: every title and alias, Latin by itself and Chinese by its pinyin."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from .emit import INDEX_PAGE, page_front_matter, plain_title, relative_link
from .pinyin import pinyin_words
from .text import escape_markdown
from .types import Entry

INDEX_KEY_LENGTH = 200


@functools.lru_cache(maxsize=1 << 16)
def index_key(term: str) -> tuple[str, str]:
    """(initial letter, sort key): Latin terms by themselves, Chinese by toneless pinyin.
    (Cached: pinyin is the slow part of a rebuild, and names rarely change. Only the first
    characters count: pinyin of a whole note's worth of heading is slow.)"""
    spelled = " ".join(pinyin_words(term, INDEX_KEY_LENGTH))
    spelled = spelled.strip()
    folded = spelled.casefold()
    initial = folded[:1].upper()
    if not ("A" <= initial <= "Z"):
        initial = "#"
    return initial, folded


def render_index(entries: Sequence[Entry]) -> str:
    """Every title and alias, A–Z (Chinese by pinyin), grouped by initial with a jump bar."""
    rows: list[tuple[str, str, str, Entry]] = []
    for entry in entries:
        formulas = entry.title_part.formulas
        title = plain_title(entry.title, formulas)
        for term in (title, *(plain_title(a, formulas) for a in entry.aliases)):
            initial, key = index_key(term)
            rows.append((initial, key, term, entry))
    rows.sort(key=lambda r: (r[0] == "#", r[0], r[1], r[2], r[3].slug))
    initials = list(dict.fromkeys(r[0] for r in rows))
    out = [page_front_matter({"title": "索引 / Index"})]
    out.append("# 索引 / Index\n")
    out.append(f"{len(entries)} 个概念，{len(rows)} 个名称（标题与别名）。\n")
    out.append(
        '<p class="gb-jumpbar">'
        + " ".join(f'<a href="#{_initial_anchor(i)}">{i}</a>' for i in initials)
        + "</p>\n"
    )
    for initial in initials:
        out.append(f"## {initial} {{ #{_initial_anchor(initial)} }}\n")
        for row_initial, _, term, entry in rows:
            if row_initial != initial:
                continue
            link = relative_link(INDEX_PAGE, entry.path)
            title = plain_title(entry.title, entry.title_part.formulas)
            suffix = f" → {escape_markdown(title)}" if term != title else ""
            out.append(f"- [{escape_markdown(term)}]({link}){suffix}")
        out.append("")
    return "\n".join(out)


def _initial_anchor(initial: str) -> str:
    return "letter-other" if initial == "#" else f"letter-{initial.lower()}"


__all__ = ["INDEX_KEY_LENGTH", "index_key", "render_index"]
