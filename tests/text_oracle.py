"""The one no-text-lost oracle: every piece of a note's text is on some generated page.

A piece is a non-blank line's text, minus the markup the build consumes on purpose (front
matter, attribute-list lines, fence lines, quote markers); a heading counts word by word, an
image by its alt text and path (a missing one becomes a placeholder that shows both). Pages
are compared without the cross-links the build adds and without math delimiters (four
notations in, one out). Used on the real notes (test_corpus), on generated corpora
(test_properties) and on hostile inputs (test_robustness).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from glossary_build.markdown_syntax import (
    FENCE_LIKE_RE,
    HEADING_RE,
    HTML_IMAGE_RE,
    MARKDOWN_IMAGE_RE,
    note_fence_regions,
)
from glossary_build.normalize.attributes import ATTRIBUTE_LINE_RE
from glossary_build.text import unescape_markdown
from glossary_build.types import Line

_IMAGE_RE = re.compile(f"(?:{MARKDOWN_IMAGE_RE.pattern})|(?:{HTML_IMAGE_RE.pattern})", re.I)
_ALT_SRC_RE = re.compile(r'alt="([^"]*)"|src="([^"]*)"|!\[([^\]]*)\]\(([^)]*)\)')
_QUOTE_PREFIX_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_HEADING_WORD_SPLIT_RE = re.compile(r"[\s()（）,，、/`*]+|\{[^}]*\}")
_MATH_MARKUP_RE = re.compile(r"KaTeX:|\\displaystyle |[$`]")
_SPACES_RE = re.compile(r"\s+")
# The cross-links the build adds show their text: [张量](tensor.md), [[MASK]](mask.md).
# A cross-link never spans lines: without the \n, an author's lone `[` would pair with the
# `](x.md)` of a link pages later and swallow the text in between.
_CROSS_LINK_RE = re.compile(r"(?<!\\)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\([a-z0-9-]+\.md\)")
# A bare URL made a link (normalize.link_bare_urls) shows the URL, written as references.
_URL_LINK_RE = re.compile(r'<a href="https?://[^"<>]*">(https?:[^<>]*)</a>')
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")


def canonical(text: str) -> str:
    """Text without math delimiters and whitespace: TeX is trimmed and re-delimited."""
    return _SPACES_RE.sub("", _MATH_MARKUP_RE.sub("", text))


def _image_alt_and_src(markup: str) -> list[str]:
    return [group for m in _ALT_SRC_RE.finditer(markup) for group in m.groups() if group]


def expected_pieces(text: str) -> list[tuple[int, str]]:
    """(line number, piece) for every piece of a note's text that a page must show, with
    Markdown's fences as parse.py sees them: after a fence that never closes, none."""
    lines = [Line(i + 1, t) for i, t in enumerate(text.split("\n"))]
    in_front_matter = bool(lines) and lines[0].text.rstrip() == "---"
    if in_front_matter and not any(ln.text.rstrip() in ("---", "...") for ln in lines[1:]):
        in_front_matter = False  # never ends: kept as text
    fenced = {
        lines[i].number
        for start, end in note_fence_regions(lines)
        if end is not None
        for i in range(start, end + 1)
    }
    pieces: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        line_text = line.text
        if in_front_matter:
            if index > 0 and line_text.rstrip() in ("---", "..."):
                in_front_matter = False
            continue
        if (
            not line_text.strip()
            or ATTRIBUTE_LINE_RE.match(line_text)
            or FENCE_LIKE_RE.match(line_text)
        ):
            continue
        heading = HEADING_RE.match(line_text) if line.number not in fenced else None
        if heading:
            words = _HEADING_WORD_SPLIT_RE.split(heading[2])
            pieces.extend((line.number, w) for w in words if w.strip())
            continue
        if line.number not in fenced:
            line_text = _QUOTE_PREFIX_RE.sub("", line_text)
        images = [*MARKDOWN_IMAGE_RE.finditer(line_text), *HTML_IMAGE_RE.finditer(line_text)]
        for image in images:
            pieces.extend((line.number, v) for v in _image_alt_and_src(image[0]) if v)
        for part in _IMAGE_RE.split(line_text):
            if part and part.strip():
                pieces.append((line.number, part.strip()))
    return pieces


def _in_heading_tag(text: str, number: int, piece: str) -> bool:
    """Is ``piece`` part of an HTML tag in a heading (a sub-section heading is Markdown: its
    tags are markup, re-serialized by the sanitizer)?"""
    line = text.split("\n")[number - 1]
    return HEADING_RE.match(line) is not None and any(piece in t for t in _TAG_RE.findall(line))


def lost_text(pages: Iterable[str], notes: Mapping[str, str]) -> list[str]:
    """``path:line: piece`` for each piece of the notes (path → text) no page shows."""
    emitted = _CROSS_LINK_RE.sub(r"\1", "\n".join(pages))
    emitted = _URL_LINK_RE.sub(lambda m: html.unescape(m[1]), emitted)
    emitted_plain = canonical(unescape_markdown(emitted))
    return [
        f"{path}:{number}: {piece!r}"
        for path, text in notes.items()
        for number, piece in expected_pieces(text)
        if piece not in emitted
        and canonical(piece) not in emitted_plain
        # the author's own escapes (`\*`) are undone as the emitted text's are
        and canonical(unescape_markdown(piece)) not in emitted_plain
        and not _in_heading_tag(text, number, piece)
    ]


__all__ = ["canonical", "expected_pieces", "lost_text"]
