"""The site's own search index: a names layer and a sharded full-text layer.

Written by the plugin into ``search/`` (format: SEARCH-FORMAT.md). The browser loads
``names.json`` (every page's title, aliases, pinyin, sections) with the page and, per query,
only the term shards of the query's terms and the text chunks of the results it shows, so a
site of 10,000 concepts is searched without loading its whole index.

Tokens are the same at index and query time (``assets/search/search.js`` implements
:func:`tokens` too; tests/search_tokens.json holds the cases both pass): Chinese text is cut
into overlapping bigrams, so a query needs no dictionary to meet the index (`数据容器` →
数据, 据容, 容器) and the bigram that straddles two words (据容) is only found where the
words are adjacent; other letters and digits make word terms, and two words separated by
blanks make a pair term (`gradient descent`) that ranks adjacent words above scattered ones.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

FORMAT_VERSION = 1
TEXT_CHUNK = 16
"""Pages per text chunk: a result's snippet costs one chunk of 16 pages' text."""
SECTION_TEXT_LIMIT = 10_000
"""Characters of a section kept for snippets (all of it is indexed)."""
TRIPLES_PER_SHARD = 6_000
"""About how many postings a term shard holds (a few tens of KB, gzipped ~10 KB)."""
NAME_WEIGHT = 3
"""How much a term of the page's title or an alias counts in its first section."""

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(f"(?P<han>[{_HAN}]+)|(?P<word>(?:(?![{_HAN}])[^\\W_])+)|(?P<gap>[^\\S]+)")
PAGE_KINDS = ("concept", "note", "group", "letter", "home", "other")


def normalized(text: str) -> str:
    """``text`` as the index compares it: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> tuple[list[str], list[str]]:
    """The plain terms of ``text`` in order (repeats kept) and its pair terms."""
    terms: list[str] = []
    pairs: list[str] = []
    previous_word: str | None = None
    blank_since_word = False
    position = 0
    text = normalized(text)
    for match in _RUN_RE.finditer(text):
        if match.start() != position:
            previous_word = None  # another character separates the runs
        position = match.end()
        kind = match.lastgroup
        run = match.group()
        if kind == "gap":
            blank_since_word = previous_word is not None
            continue
        if kind == "han":
            previous_word = None
            if len(run) == 1:
                terms.append(run)
            else:
                terms.extend(run[i : i + 2] for i in range(len(run) - 1))
            continue
        terms.append(run)
        if previous_word is not None and blank_since_word:
            pairs.append(f"{previous_word} {run}")
        previous_word = run
        blank_since_word = False
    return terms, pairs


def fnv1a32(term: str) -> int:
    """The 32-bit FNV-1a hash of ``term``'s UTF-8 bytes: its shard, as the browser computes it."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a page as search shows it: under one heading."""

    anchor: str
    """The heading's id ("" for the top of the page)."""
    heading: str
    text: str
    """What a reader sees of the section: formulas as TeX, whitespace collapsed."""


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page as the search index holds it: its names and its sections."""

    url: str
    title: str
    kind: str
    sections: tuple[Section, ...]
    aliases: tuple[str, ...] = ()
    note: str = ""
    """The title of the note the page comes from."""
    pinyin: tuple[str, ...] = ()
    """Each Chinese name's pinyin, syllables spaced (the client joins them and takes the
    initials: half the bytes of sending all three forms)."""

    def __post_init__(self) -> None:
        if self.kind not in PAGE_KINDS:
            raise ValueError(f"unknown page kind {self.kind!r}")


# What a section's text leaves out: the page title (the names layer has it), facts repeated
# from the heading (aliases), the source line, the problems notice, the permalink sign, and
# what is no text at all. The rendered body is sanitized HTML, so regular expressions over
# its tags are safe here, and 5× faster than html.parser (1.1 s → 0.2 s for the real site).
_TAG = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_DROPPED_RE = re.compile(
    rf"<(script|style|template|svg|button|h1)\b{_TAG}>.*?</\1>"
    rf'|<div\b[^>]*\bclass="[^"]*\bgb-(?:facts|problems)\b[^"]*"{_TAG}>.*?</div>'
    rf'|<p\b[^>]*\bclass="[^"]*\bgb-source\b[^"]*"{_TAG}>.*?</p>'
    rf'|<a\b[^>]*\bclass="[^"]*\bheaderlink\b[^"]*"{_TAG}>.*?</a>',
    re.S,
)
_HEADING_RE = re.compile(rf"<h([2-6])\b({_TAG})>(.*?)</h\1>", re.S)
_ID_RE = re.compile(r'\bid="([^"]*)"')
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|li|ul|ol|br|tr|td|th|table|pre|blockquote|hr|dt|dd|details|summary|figure)"
    rf"\b{_TAG}>"
)
_ANY_TAG_RE = re.compile(rf"<{_TAG}>")
_KATEX_START_RE = re.compile(r'<span class="katex">')
_SPAN_TAG_RE = re.compile(r"<span\b|</span>")
_TEX_RE = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)
_BLANKS_RE = re.compile(r"\s+")


def formulas_as_tex(body_html: str) -> str:
    """Each KaTeX formula as its TeX source only. KaTeX writes a formula three times
    (MathML, the TeX annotation, the visual HTML): read as text, `fan_{avg}` would be the
    junk words `fanavg`, `fan_{avg}` and `fanavg`."""
    out: list[str] = []
    position = 0
    for start_match in _KATEX_START_RE.finditer(body_html):
        start = start_match.start()
        if start < position:
            continue  # inside a formula already replaced
        depth = 0
        end = None
        for tag in _SPAN_TAG_RE.finditer(body_html, start):
            depth += 1 if tag.group() == "<span" else -1
            if depth == 0:
                end = tag.end()
                break
        if end is None:
            break  # unbalanced: leave the rest as it is
        tex = _TEX_RE.search(body_html, start, end)
        out.append(body_html[position:start])
        out.append(f" {tex.group(1).strip()} " if tex else " ")
        position = end
    out.append(body_html[position:])
    return "".join(out)


def _text(fragment: str) -> str:
    plain = _ANY_TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", fragment))
    return _BLANKS_RE.sub(" ", html.unescape(plain)).strip()


def page_sections(body_html: str, title: str) -> tuple[Section, ...]:
    """The sections of a page's rendered body, split at its h2–h6 headings that have an id;
    the first is headed by the page's title. The backlinks and related concepts sections
    (``h2.gb-backlinks``, ``h2.gb-related``) are left out: their links are other pages' titles."""
    body = _DROPPED_RE.sub(" ", formulas_as_tex(body_html))
    sections = []
    anchor, heading, position, dropping = "", title, 0, False
    for match in _HEADING_RE.finditer(body):
        found = _ID_RE.search(match[2])
        if found is None:
            continue  # not a section of its own
        if not dropping:
            sections.append(Section(anchor, heading, _text(body[position : match.start()])))
        position = match.end()
        dropping = "gb-backlinks" in match[2] or "gb-related" in match[2]
        anchor, heading = html.unescape(found[1]), _text(match[3])
    if not dropping:
        sections.append(Section(anchor, heading, _text(body[position:])))
    return tuple(sections)


def _shard_count(triples: int) -> int:
    count = 16
    while count * TRIPLES_PER_SHARD < triples and count < 4096:
        count *= 2
    return count


def _section_counts(page: SearchPage) -> list[Counter[str]]:
    counts = []
    for index, section in enumerate(page.sections):
        plain, pairs = tokens(f"{section.heading} {section.text}" if index else section.text)
        counter = Counter(plain)
        counter.update(pairs)
        if index == 0:
            for name in (page.title, *page.aliases):
                name_plain, name_pairs = tokens(name)
                for term in (*name_plain, *name_pairs):
                    counter[term] += NAME_WEIGHT
        counts.append(counter)
    return counts


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def search_files(pages: Sequence[SearchPage]) -> dict[str, str]:
    """Every file of the index, by its path under ``search/``: names.json, terms/{k}.json,
    text/{c}.json. ``pages`` in the order their numbers are given (keep it stable)."""
    postings: dict[str, list[int]] = {}
    last_page: dict[str, int] = {}
    sections = 0
    for number, page in enumerate(pages):
        for index, counter in enumerate(_section_counts(page)):
            sections += 1
            for term, count in counter.items():
                triples = postings.setdefault(term, [])
                triples.extend((number - last_page.get(term, 0), index, count))
                last_page[term] = number
    shards = _shard_count(sum(len(t) // 3 for t in postings.values()))
    by_shard: dict[int, dict[str, list[int]]] = {}
    for term in sorted(postings):
        by_shard.setdefault(fnv1a32(term) % shards, {})[term] = postings[term]
    files = {f"terms/{k:x}.json": _dumps(terms) for k, terms in sorted(by_shard.items())}
    for start in range(0, len(pages), TEXT_CHUNK):
        chunk = [
            [[s.anchor, s.heading, s.text[:SECTION_TEXT_LIMIT]] for s in page.sections]
            for page in pages[start : start + TEXT_CHUNK]
        ]
        files[f"text/{start // TEXT_CHUNK}.json"] = _dumps(chunk)
    notes = sorted({page.note for page in pages})
    note_number = {note: i for i, note in enumerate(notes)}
    kind_number = {kind: i for i, kind in enumerate(PAGE_KINDS)}
    files["names.json"] = _dumps(
        {
            "version": FORMAT_VERSION,
            "shards": shards,
            "chunk": TEXT_CHUNK,
            "sections": sections,
            "notes": notes,
            "kinds": list(PAGE_KINDS),
            # Arrays, not objects: the keys of 10,000 records were a fifth of the gzipped file.
            "pages": [
                [
                    page.url,
                    page.title,
                    list(page.aliases),
                    note_number[page.note],
                    kind_number[page.kind],
                    list(page.pinyin),
                ]
                for page in pages
            ],
        }
    )
    return files


def ordered_pages(pages: Mapping[str, SearchPage]) -> list[SearchPage]:
    """Concept pages first (by URL), then the others: a stable numbering."""
    return sorted(pages.values(), key=lambda p: (p.kind != "concept", p.url))


__all__: Sequence[str] = [
    "FORMAT_VERSION",
    "NAME_WEIGHT",
    "PAGE_KINDS",
    "SECTION_TEXT_LIMIT",
    "TEXT_CHUNK",
    "TRIPLES_PER_SHARD",
    "SearchPage",
    "Section",
    "fnv1a32",
    "formulas_as_tex",
    "normalized",
    "ordered_pages",
    "page_sections",
    "search_files",
    "tokens",
]
