"""Search-only terms of a concept page, in three index fields of their own.

- ``tags`` (Material's field, boost 10⁶): the page's names, title and aliases, as whole
  tokens: 张量 is found by 张量, tensor, Tensor; GAN, RNN, BN find their concept first.
- ``pinyin`` (added by the plugin, boost 10⁶): the title's toneless pinyin, joined
  (zhangliang) and spaced (zhang liang).
- ``parts`` (added by the plugin, boost 10⁴): the words inside the names (张量点积 → 点积).

Lunr scores each field by cosine similarity, so every extra token in a field dilutes the
others: pinyin and parts live apart from the names, which stay short, and an exact name
outranks a longer name that merely starts with it.
"""

from __future__ import annotations

import bisect
import json
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pypinyin import lazy_pinyin

from .text import has_cjk, search_text

_SYLLABLE_RE = re.compile(r"[a-z0-9]+")
EXTRA_FIELDS = {"pinyin": 1e6, "parts": 1e4}

SEARCH_NAME_LENGTH = 64
"""Characters of a name that pinyin, jieba's words and the query stem are made from. A
heading can be 100,000 characters long, and these libraries' cost (and the index's size)
grows with what they are given; nobody types more than this into a search box. The name
itself is indexed whole."""


@dataclass(frozen=True, slots=True)
class SearchTerms:
    names: tuple[str, ...]
    pinyin: tuple[str, ...]
    parts: tuple[str, ...]


def pinyin_forms(title: str) -> list[str]:
    """Toneless pinyin of a Chinese title, joined (zhangliang) and spaced (zhang liang)."""
    title = title[:SEARCH_NAME_LENGTH]
    if not has_cjk(title):
        return []
    syllables = _SYLLABLE_RE.findall(" ".join(lazy_pinyin(title)).lower())
    if len(syllables) < 2:
        return syllables
    return ["".join(syllables), " ".join(syllables)]


def word_parts(name: str) -> list[str]:
    """The words jieba finds inside a Chinese name (张量点积 → 张量, 点积); of a long name,
    those in its first SEARCH_NAME_LENGTH characters."""
    name = name[:SEARCH_NAME_LENGTH]
    if not has_cjk(name) or len(name) < 3:
        return []
    import jieba  # imported here: loading its dictionary takes a second

    return [w for w in jieba.cut_for_search(name) if len(w) >= 2 and w != name and has_cjk(w)]


def query_stems(name: str) -> list[str]:
    """The name without its last character, for Chinese names of three or more.

    Material's search splits a Chinese query into words of the index but never tries a word
    that ends at the query's last character: 张量点积 is sent as `张量* 点*`, which the page
    张量 matches better than 张量点积. With 张量点 in the index the query becomes `张量点*`,
    which only 张量点积 (and longer names) match. None for a name longer than
    SEARCH_NAME_LENGTH (it would be one more copy of it in the index)."""
    if not has_cjk(name) or not 3 <= len(name) <= SEARCH_NAME_LENGTH or " " in name:
        return []
    return [name[:-1]]


def search_names(title: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """A page's names, title first, each once."""
    return tuple(dict.fromkeys(n.strip() for n in (title, *aliases) if n.strip()))


def search_terms(title: str, aliases: Iterable[str]) -> SearchTerms:
    names = search_names(title, aliases)
    parts = [p for name in names for p in (*word_parts(name), *query_stems(name))]
    parts = [p for p in parts if p not in names]
    return SearchTerms(names, tuple(pinyin_forms(title)), tuple(dict.fromkeys(parts)))


# Marks a page's own name in the index. Not a separator, so `张量⁎1` stays one token: rare,
# hence weighty, and still matched by the query `张量*` Material sends for 张量.
NAME_MARK = "⁎"


def name_tokens(names: Sequence[str], all_names: Sequence[str]) -> list[str]:
    """The names, plus marked copies: one, and one more per longer name that extends it.

    Material sends every query word with a trailing wildcard, so `张量` also matches
    张量变形 and 张量点积, and lunr cannot tell an exact match from a prefix match. A name
    that other names extend gets one marked token per extension: for the query 张量 the
    page 张量 then matches more terms than the longer names it prefixes, and for 张量变形
    only 张量变形's own mark matches. ``all_names`` is sorted by :func:`sorted_keys`.
    At most MAX_MARKS marks a name (see there)."""
    tokens = list(names)
    for name in names:
        key = _joined(name)
        extensions = min(_count_extensions(all_names, key), MAX_MARKS - 1)
        tokens.extend(f"{key}{NAME_MARK}{i}" for i in range(1 + extensions))
    return tokens


MAX_MARKS = 64
"""Marks of one name. Without a bound, names that extend one another (`a`, `aa`, `aaa`...)
gave n²/2 tokens of up to n characters: a note of 2,000 such headings (2 MB) made an index
of gigabytes. The real notes' most extended name (`P`) has 35 extensions."""


def sorted_keys(names: Iterable[str]) -> list[str]:
    return sorted({_joined(n) for n in names})


def _count_extensions(keys: Sequence[str], key: str) -> int:
    """How many keys are longer and start with ``key`` (a range of the sorted keys)."""
    start = bisect.bisect_right(keys, key)
    end = bisect.bisect_left(keys, key + "\U0010ffff")
    return max(0, end - start)


def _joined(name: str) -> str:
    """One token for the whole name (`Contextualized RNN` → `contextualizedrnn`), so that its
    mark is not a token starting with `rnn`."""
    return re.sub(r"[\s\-_.·/]+", "", name.casefold())


def rewrite_search_index(index_json: str, terms: Mapping[str, SearchTerms]) -> str:
    """:func:`add_search_terms` on the text of Material's search_index.json."""
    index = json.loads(index_json)
    add_search_terms(index, terms)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def add_search_terms(index: dict[str, Any], terms: Mapping[str, SearchTerms]) -> None:
    """Post-process Material's search index: names (tags), pinyin and parts only on each
    page's first section; ``terms`` maps a page location (``concepts/tensor/``) to them.

    Material copies a page's tags to every section: repeated, they make the index bigger and
    look common to lunr's idf. The entries are copied before they change: under `--dirty`
    they are kept for the next build."""
    all_names = sorted_keys(n for found in terms.values() for n in found.names)
    fields = index["config"].setdefault("fields", {})
    for field, boost in EXTRA_FIELDS.items():
        fields[field] = {"boost": boost}
    seen: set[str] = set()
    index["docs"] = [dict(doc) for doc in index["docs"]]
    for doc in index["docs"]:
        page = doc["location"].split("#", 1)[0]
        if page in seen:
            doc.pop("tags", None)
            continue
        seen.add(page)
        found = terms.get(page)
        if found is not None:
            # Material shows a result's tags with innerHTML: no field made of the author's
            # names may hold a tag (text.search_text).
            doc["tags"] = _as_html(name_tokens(found.names, all_names))
            if found.pinyin:
                doc["pinyin"] = _as_html(found.pinyin)
            if found.parts:
                doc["parts"] = _as_html(found.parts)


def _as_html(terms: Iterable[str]) -> list[str]:
    return [search_text(term) for term in terms]


_ZWSP = "\u200b"
_PUNCTUATION = string.whitespace + string.punctuation + "，。；：（）、？！“”‘’《》【】"


def zwsp_trimmer(separator: str | None) -> Callable[[str], str] | None:
    """A function that drops the U+200B Material's search puts between jieba's words where a
    separator is next to it anyway (`概念​，​来自​ 6`: a quarter of the index text is U+200B),
    so the words the index splits into stay the same. None if U+200B is no separator, or if
    Python cannot compile the separator (a JavaScript regex)."""
    if separator is None:
        return None
    try:
        pattern = re.compile(separator)
    except re.error:
        return None
    if not pattern.fullmatch(_ZWSP):
        return None
    # A separator in every context: `.` is one only when no digit follows (`3.5`).
    always = "".join(
        char
        for char in _PUNCTUATION
        if all(
            (found := pattern.search(text)) is not None and found[0] == char
            for text in (f"a{char}b", f"1{char}2", f"a{char}1", f"1{char}a")
        )
    )
    if not always:
        return None
    near = f"[{re.escape(always)}]"
    redundant = re.compile(
        f"{_ZWSP}+(?={near})|(?<={near}){_ZWSP}+|^{_ZWSP}+|{_ZWSP}+$|{_ZWSP}(?={_ZWSP})"
    )
    return lambda text: redundant.sub("", text) if _ZWSP in text else text


_KATEX_START_RE = re.compile(r'<span class="katex">')
_SPAN_TAG_RE = re.compile(r"<span\b|</span>")
_TEX_RE = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


def math_as_tex(page_html: str) -> str:
    """The page as search should read it: each KaTeX formula as its TeX source only.

    KaTeX writes a formula three times (MathML, its TeX annotation, the visual HTML); indexed
    as is, `fan_{avg}` becomes the junk words `fanavg`, `fan_{avg}` and `fanavg​` and the
    index grows by a third of the formulas' markup. The page itself keeps KaTeX's HTML."""
    out: list[str] = []
    position = 0
    for start_match in _KATEX_START_RE.finditer(page_html):
        start = start_match.start()
        if start < position:
            continue  # inside a formula already replaced
        depth = 0
        end = None
        for tag in _SPAN_TAG_RE.finditer(page_html, start):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        if end is None:
            break  # unbalanced: leave the rest as it is
        tex = _TEX_RE.search(page_html, start, end)
        out.append(page_html[position:start])
        out.append(f" {tex.group(1).strip()} " if tex else " ")
        position = end
    out.append(page_html[position:])
    return "".join(out)


def page_location(page_path: str, use_directory_urls: bool = True) -> str:
    """``concepts/tensor.md`` → ``concepts/tensor/`` (the index's location of the page)."""
    stem = page_path.removesuffix(".md")
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


__all__: Sequence[str] = [
    "EXTRA_FIELDS",
    "MAX_MARKS",
    "NAME_MARK",
    "SearchTerms",
    "add_search_terms",
    "math_as_tex",
    "name_tokens",
    "page_location",
    "pinyin_forms",
    "query_stems",
    "rewrite_search_index",
    "search_names",
    "search_terms",
    "sorted_keys",
    "word_parts",
]
