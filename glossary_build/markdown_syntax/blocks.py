"""Indented code where Markdown is certain to make it code; ATX headings, their attribute
lists, and images as the notes write them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .fences import expand_tabs

# --- indented code --------------------------------------------------------------------------

# A line that starts a list in Python-Markdown (and some that do not: taken as lists to be safe).
_LIST_START_RE = re.compile(r"^ {0,3}(?:[*+-]|\d+[.)])[ \t]")
# Any start of raw HTML except a comment that ends on its line.
_HTML_START_RE = re.compile(r"<(?!!--.*?-->)[A-Za-z/!?]")


def indented_code_lines(texts: Sequence[str], fenced: frozenset[int]) -> frozenset[int]:
    """Indexes of the lines Python-Markdown is certain to render as indented code.

    Only lines of a block (lines between blank lines) that starts indented 4 columns, up to
    its first line indented less; and not when the nearest block before it that is not
    indented is a list (Markdown then continues the list), nor after anything that may open
    raw HTML (a raw HTML block runs over blank lines and indentation). ``fenced`` are the
    lines of closed fences (never indented code, never HTML).
    """
    found: set[int] = set()
    at_block_start = True
    after_list = False
    html_before = False
    in_code = False
    for index, raw in enumerate(texts):
        text = expand_tabs(raw)
        if index in fenced:
            if at_block_start and not text.startswith("    "):
                after_list = False  # a fence's placeholder indented < 4 ends a list
            at_block_start, in_code = False, False
            continue
        if not text.strip():
            at_block_start, in_code = True, False
            continue
        indented = text.startswith("    ")
        if at_block_start and indented:
            in_code = not after_list and not html_before
        elif not indented or not in_code:
            if not indented and (at_block_start or in_code):
                after_list = _LIST_START_RE.match(text) is not None
            in_code = False
        if in_code:
            found.add(index)
        elif "<" in text and _HTML_START_RE.search(text):
            html_before = True
        at_block_start = False
    return frozenset(found)


# Headings and images, as the notes write them.

# A heading's trailing `{.class #id}` attribute list.
# (Callers strip the blanks before it: a leading `[ \t]*` would make every search quadratic
# on a long run of spaces.)
HEADING_ATTRIBUTES_RE = re.compile(r"\{[ \t]*([.#][^{}]*)\}[ \t]*$")

# Neither may scan past the next image: on a long line of `![`/`<img` without a closing `]`/`>`
# every attempt would run to the end of the line (quadratic time). A title (`"..."`) is tried
# only where a run of blanks starts, or a long run of spaces in the target is quadratic too.
MARKDOWN_IMAGE_RE = re.compile(
    r"!\[(?P<alt>[^\[\]\n]*+)\]\((?P<src>(?:[^)\n!]|!(?!\[))*?)(?:(?<!\s)\s++\"[^\"\n]*+\")?\)"
)
HTML_IMAGE_RE = re.compile(r"<img\b[^<>]*+>", re.IGNORECASE)

__all__ = [
    "HEADING_ATTRIBUTES_RE",
    "HTML_IMAGE_RE",
    "MARKDOWN_IMAGE_RE",
    "indented_code_lines",
]
