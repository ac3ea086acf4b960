"""The CommonMark spec's examples through the glossary pipeline and the site's Markdown.

Each example becomes the body of a ``### 例N`` concept in one note; the note is built by
:func:`glossary_build.pipeline.build_from_sources`, each concept page rendered with the site's
Markdown extensions, and the concept's body compared with what the same extensions render from
the example's own text. ``python -m tests.commonmark.harness`` prints the summary.

"Visible text" is what a browser shows of a fragment, read the same way from both renders.
``html.parser`` reports more than that, and three of its readings are corrected here:

* the content of ``<script>``, ``<style>`` and ``<template>`` is text to it, but a browser
  runs, applies or keeps it inert and never displays it: it is left out;
* a comment ends, in a browser, at ``<!-->``, ``<!--->`` or the first ``-->`` or ``--!>``
  (WHATWG HTML §13.2.5.43–52); Python 3.11's parser reads ``<!--> a -->`` as one comment;
* ``<![CDATA[`` outside SVG and MathML is a bogus comment to a browser, which ends at the first
  ``>`` (§13.2.5.42); the parser reads it up to ``]]>``.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from glossary_build.markdown_syntax import HEADING_RE
from glossary_build.pipeline import build_from_sources
from glossary_build.sanitize import defuse_rendered_html
from glossary_build.types import SourceFile
from tests.helpers import render_page

HERE = Path(__file__).resolve().parent
NOTE_PATH = "concepts/commonmark.md"


@dataclass(frozen=True, slots=True)
class Example:
    number: int
    section: str
    markdown: str


@dataclass(frozen=True, slots=True)
class Outcome:
    example: Example
    page: bool
    """The example's concept has a page."""
    expected: str
    """Visible text of Python-Markdown's render of the example."""
    got: str
    """Visible text of the concept's body on its page ("" without a page)."""
    expected_code: tuple[str, ...]
    got_code: tuple[str, ...]
    escaped_autolink: bool
    """An autolink ``<scheme:…>`` of the example shows as escaped text on the page."""

    @property
    def equal(self) -> bool:
        return self.page and self.expected == self.got


def all_examples() -> list[Example]:
    data = json.loads((HERE / "examples.json").read_text(encoding="utf-8"))
    return [Example(e["number"], e["section"], e["markdown"]) for e in data]


def heading_free(examples: Sequence[Example]) -> list[Example]:
    """The examples that make no heading: none of their lines is a heading to the glossary
    (it would end the concept) and Python-Markdown renders no ``<h1>``–``<h6>`` from them."""
    return [
        e
        for e in examples
        if not any(HEADING_RE.match(line) for line in e.markdown.split("\n"))
        and not re.search(r"<h[1-6][ >]", reference_html(e.markdown))
    ]


def reference_html(markdown: str) -> str:
    return render_page(markdown)


_NOT_DISPLAYED = frozenset({"script", "style", "template"})
"""Elements whose content a browser never displays (see the module docstring)."""
_COMMENT_END_RE = re.compile(r"--!?>")


class _Text(HTMLParser):
    """Visible text of a fragment (whitespace runs collapsed) and the text of each code
    element (exact). Permalink anchors (``¶``) are skipped, and what a browser does not show
    (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.code: list[list[str]] = []
        self.depth_code = 0
        self.skip = 0
        self.hidden: list[str] = []
        """The elements of :data:`_NOT_DISPLAYED` open around the text."""

    def parse_comment(self, i: int, report: bool = True) -> int:
        rawdata = self.rawdata
        if rawdata.startswith(">", i + 4) or rawdata.startswith("->", i + 4):
            end = rawdata.index(">", i + 4) + 1
        else:
            found = _COMMENT_END_RE.search(rawdata, i + 4)
            if found is None:
                return -1
            end = found.end()
        if report:
            self.handle_comment(rawdata[i + 4 : end])
        return end

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i):
            end = self.rawdata.find(">", i + 3)
            if end < 0:
                return -1
            self.handle_comment(self.rawdata[i + 2 : end])
            return end + 1
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _NOT_DISPLAYED:
            self.hidden.append(tag)
        if tag == "a" and ("class", "headerlink") in attrs:
            self.skip += 1
        if tag in ("pre", "code"):
            if self.depth_code == 0:
                self.code.append([])
            self.depth_code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.hidden:
            del self.hidden[len(self.hidden) - 1 - self.hidden[::-1].index(tag) :]
        if tag == "a" and self.skip:
            self.skip -= 1
        if tag in ("pre", "code") and self.depth_code:
            self.depth_code -= 1

    def handle_data(self, data: str) -> None:
        if self.skip or self.hidden:
            return
        self.parts.append(data)
        if self.depth_code:
            self.code[-1].append(data)


def visible(fragment: str) -> tuple[str, tuple[str, ...]]:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    text = re.sub(r"\s+", " ", "".join(parser.parts)).strip()
    return text, tuple("".join(c) for c in parser.code)


def note_text(examples: Sequence[Example]) -> str:
    parts = ["# CommonMark 0.31.2\n"]
    for e in examples:
        parts.append(f"### 例{e.number}\n\n{e.markdown}\n")
    return "\n".join(parts)


_BODY_RE = re.compile(r'<div class="gb-facts">.*?</div>(?P<body>.*?)<p class="gb-source"', re.S)
_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")


def run(examples: Sequence[Example]) -> list[Outcome]:
    result = build_from_sources([SourceFile(NOTE_PATH, note_text(examples))], "t", None, None)
    pages = {str(path): text for path, text in result.pages.items()}
    by_title: dict[str, str] = {}
    for path, text in pages.items():
        match = re.search(r"^title: (.*)$", text, re.M)
        if path.startswith("concepts/") and match:
            by_title[match[1].strip().strip("'\"")] = text
    outcomes = []
    for e in examples:
        expected, expected_code = visible(reference_html(e.markdown))
        page = by_title.get(f"例{e.number}")
        got, got_code, escaped = "", (), False
        if page is not None:
            rendered, _ = defuse_rendered_html(render_page(page))
            body = _BODY_RE.search(rendered)
            fragment = body["body"] if body else ""
            got, got_code = visible(fragment)
            escaped = any(
                html.escape(f"<{m[1]}>", quote=False) in fragment
                and html.escape(f"<{m[1]}>", quote=False) not in reference_html(e.markdown)
                for m in _AUTOLINK_RE.finditer(e.markdown)
            )
        outcomes.append(
            Outcome(e, page is not None, expected, got, expected_code, got_code, escaped)
        )
    return outcomes


@functools.cache
def outcomes() -> list[Outcome]:
    return run(heading_free(all_examples()))


def main() -> None:
    found = outcomes()
    equal = sum(o.equal for o in found)
    lost = [o.example.number for o in found if not o.page]
    code = [o.example.number for o in found if o.page and o.expected_code != o.got_code]
    escaped = [o.example.number for o in found if o.escaped_autolink]
    print(f"examples: {len(found)}")
    print(f"visible text equal: {equal} ({100 * equal / len(found):.1f}%)")
    print(f"concepts lost: {len(lost)} {lost}")
    print(f"code differs: {len(code)} {code}")
    print(f"autolinks escaped: {len(escaped)} {escaped}")
    for o in found:
        if not o.equal:
            print(f"--- 例{o.example.number} ({o.example.section}) {o.example.markdown!r}")
            print(f"    expected: {o.expected!r}")
            print(f"    got:      {o.got!r}")


if __name__ == "__main__":
    main()
