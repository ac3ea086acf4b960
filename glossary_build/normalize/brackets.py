"""Rule: a ``[`` that nothing can close is written ``\\[`` (Python-Markdown is quadratic on it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..markdown_syntax import fenced_lines
from ..text import code_spans
from ..types import Diagnostic, Line, RawNote, Section
from .sections import map_sections

# --- brackets that can never close ------------------------------------------------------


def escape_unclosable_brackets(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A `[` that no `]` of its paragraph pairs with opens no link; it is written `\\[`.

    It shows the same either way, but Python-Markdown looks for the end of a link from every
    `[`: a line of 8,000 of them took 10 s to render, 20,000 minutes. Left alone: code (fences,
    code spans), raw HTML blocks and indented lines, where a backslash would show.
    """

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = list(section.body)
        paragraph: list[int] = []
        for index in [*range(len(body)), len(body)]:
            line = body[index] if index < len(body) else None
            if line is not None and line.text.strip() and line.number not in fenced:
                paragraph.append(index)
                continue
            if paragraph and "[" in "".join(body[i].text for i in paragraph):
                _escape_in_paragraph(body, paragraph)
            paragraph = []
        return replace(section, body=tuple(body))

    return map_sections(note, rewrite), ()


def _escape_in_paragraph(body: list[Line], paragraph: Sequence[int]) -> None:
    first = body[paragraph[0]].text
    if first.lstrip().startswith("<") or first.startswith(("    ", "\t")):
        return  # raw HTML or indented code: no Markdown inside, a backslash would show
    # Python-Markdown ends a link's text where the brackets after its `[` balance, and its
    # target where the parentheses after `](` do: a `[` the usual pairing leaves unpaired
    # opens nothing (`[[[…]` pairs only the last one), nor does one whose `](` is unpaired.
    # Brackets in an inline tag or autolink count: Python-Markdown finds links before HTML
    # (`[foo<https://x/?q=](uri)>` is a link); but a backslash there would show, so they
    # are never escaped.
    brackets: list[tuple[int, int, str]] = []
    parens: list[tuple[int, int, str]] = []
    in_tags: set[Place] = set()
    for index in paragraph:
        text = body[index].text
        for at, in_tag in _bracket_positions(text):
            (brackets if text[at] in "[]" else parens).append((index, at, text[at]))
            if in_tag:
                in_tags.add((index, at))
    unpaired_brackets, pairs = _pair(brackets)
    unpaired_parens, _ = _pair(parens)
    escape = unpaired_brackets - in_tags
    for opening, (index, at) in pairs:
        if (
            body[index].text[at + 1 : at + 2] == "("
            and (index, at + 1) in unpaired_parens
            and opening not in in_tags
        ):
            escape.add(opening)
    by_line: dict[int, list[int]] = {}
    for index, at in sorted(escape):
        by_line.setdefault(index, []).append(at)
    for index, offsets in by_line.items():
        text = body[index].text
        pieces, pos = [], 0
        for at in offsets:
            pieces += [text[pos:at], "\\"]
            pos = at
        pieces.append(text[pos:])
        body[index] = Line(body[index].number, "".join(pieces))


Place = tuple[int, int]
"""(index of a line in the section's body, offset in it)"""


def _pair(
    marks: Sequence[tuple[int, int, str]],
) -> tuple[set[Place], list[tuple[Place, Place]]]:
    """Pair opening and closing marks in order (each closer takes the latest opener): the
    openers left unpaired, and each pair."""
    open_marks: list[Place] = []
    pairs = []
    for index, at, char in marks:
        if char in "[(":
            open_marks.append((index, at))
        elif open_marks:
            pairs.append((open_marks.pop(), (index, at)))
    return set(open_marks), pairs


_BRACKET_RE = re.compile(r"[\[\]()]")
_INLINE_TAG_RE = re.compile(r"<[A-Za-z/!][^<>]*+>")
# Python-Markdown's `[text](<target> "title")` (its RE_LINK): read before it counts parentheses.
_ANGLE_TARGET_RE = re.compile(
    r"\]\([ \t]*+(?P<target><[^<>\n]*+>[ \t]*+(?:'[^'\n]*+'|\"[^\"\n]*+\")?+)[ \t]*+\)"
)


def _bracket_positions(text: str) -> list[tuple[int, bool]]:
    """Offsets of the brackets and parentheses Markdown's links read as such (not escaped,
    not in code spans or a `(<target>)`), each with whether it is inside an inline HTML tag
    or autolink."""
    if not any(mark in text for mark in "[]()"):
        return []
    hidden = bytearray(len(text))
    for start, end in code_spans(text):
        hidden[start:end] = b"\x01" * (end - start)
    for match in _ANGLE_TARGET_RE.finditer(text):
        if not hidden[match.start()]:
            start, end = match.span("target")
            hidden[start:end] = b"\x01" * (end - start)
    for match in _INLINE_TAG_RE.finditer(text):
        start, end = match.span()
        hidden[start:end] = bytes(b or 2 for b in hidden[start:end])
    positions = []
    for match in _BRACKET_RE.finditer(text):
        at = before = match.start()
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (at - before) % 2 == 0 and hidden[at] != 1:
            positions.append((at, hidden[at] == 2))
    return positions


__all__ = [
    "Place",
    "escape_unclosable_brackets",
]
