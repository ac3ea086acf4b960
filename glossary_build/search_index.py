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

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

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
_PAGE_KINDS = ("concept", "note", "group", "letter", "home", "other")


def normalized(text: str) -> str:
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
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


@dataclass(frozen=True, slots=True)
class Section:
    anchor: str
    """The heading's id ("" for the top of the page)."""
    heading: str
    text: str
    """What a reader sees of the section: formulas as TeX, whitespace collapsed."""


@dataclass(frozen=True, slots=True)
class SearchPage:
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
    words: tuple[str, ...] = ()
    """Words inside the names (张量点积 → 点积)."""

    def __post_init__(self) -> None:
        if self.kind not in _PAGE_KINDS:
            raise ValueError(f"unknown page kind {self.kind!r}")


# Blocks whose text is not the page's own: facts repeated from the heading (aliases are in
# the names layer), the source line, the problems notice, the permalink sign.
_SKIPPED_CLASSES = frozenset({"gb-facts", "gb-source", "gb-problems", "headerlink"})
_SKIPPED_TAGS = frozenset({"script", "style", "template", "svg", "button"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_BREAKS = frozenset(
    {"p", "div", "li", "ul", "ol", "br", "tr", "td", "th", "table", "pre", "blockquote", "hr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "details", "summary", "figure"}
)
_BLANKS_RE = re.compile(r"\s+")


class _SectionParser(HTMLParser):
    """Splits a page's body HTML at its h2–h6 headings that have an id. The backlinks
    section (``h2.gb-backlinks``) is left out: its links are other pages' titles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[tuple[str, list[str], list[str]]] = [("", [], [])]
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.katex_depth = 0
        self.in_annotation = False
        self.heading_tag: str | None = None
        self.dropping_section = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            self.skip_depth += tag == self.skip_tag
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self.katex_depth:
            self.katex_depth += tag == "span"
            self.in_annotation = tag == "annotation"
            return
        if tag == "span" and "katex" in classes:
            self.katex_depth = 1
            self._text(" ")
            return
        if tag in _SKIPPED_TAGS or classes & _SKIPPED_CLASSES:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag in _HEADINGS:
            anchor = dict(attrs).get("id")
            if anchor is not None and "gb-backlinks" in classes:
                self.dropping_section = True
                self.skip_tag, self.skip_depth = tag, 1
                return
            if anchor is not None:
                self.dropping_section = False
                self.sections.append((anchor, [], []))
                self.heading_tag = tag
                return
        if tag == "h1":
            # The page title: the names layer has it.
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag == "img":
            return
        if tag in _BREAKS:
            self._text(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
            return
        if self.katex_depth:
            if tag == "annotation":
                self.in_annotation = False
            elif tag == "span":
                self.katex_depth -= 1
                if not self.katex_depth:
                    self._text(" ")
            return
        if tag == self.heading_tag:
            self.heading_tag = None
            return
        if tag in _BREAKS:
            self._text(" ")

    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None or (self.katex_depth and not self.in_annotation):
            return
        if self.heading_tag is not None:
            self.sections[-1][1].append(data)
        elif self.dropping_section:
            return
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        if not self.dropping_section:
            self.sections[-1][2].append(data)


def _collapsed(parts: Iterable[str]) -> str:
    return _BLANKS_RE.sub(" ", "".join(parts)).strip()


def page_sections(body_html: str, title: str) -> tuple[Section, ...]:
    """The sections of a page's rendered body, the first one headed by the page's title."""
    parser = _SectionParser()
    parser.feed(body_html)
    parser.close()
    return tuple(
        Section(anchor, _collapsed(heading) if index else title, _collapsed(text))
        for index, (anchor, heading, text) in enumerate(parser.sections)
    )


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
    files["names.json"] = _dumps(
        {
            "version": FORMAT_VERSION,
            "shards": shards,
            "chunk": TEXT_CHUNK,
            "sections": sections,
            "pages": [_page_record(page) for page in pages],
        }
    )
    return files


def _page_record(page: SearchPage) -> dict[str, object]:
    return {
        "u": page.url,
        "t": page.title,
        "a": list(page.aliases),
        "n": page.note,
        "k": page.kind,
        "p": list(page.pinyin),
        "w": list(page.words),
    }


def ordered_pages(pages: Mapping[str, SearchPage]) -> list[SearchPage]:
    """Concept pages first (by URL), then the others: a stable numbering."""
    return sorted(pages.values(), key=lambda p: (p.kind != "concept", p.url))


__all__: Sequence[str] = [
    "FORMAT_VERSION",
    "SearchPage",
    "Section",
    "fnv1a32",
    "normalized",
    "ordered_pages",
    "page_sections",
    "search_files",
    "tokens",
]
