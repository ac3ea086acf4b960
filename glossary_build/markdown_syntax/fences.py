"""Fences as pymdownx.superfences reads them: openers, closers, regions, fenced lines."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..types import Line
from .atx import heading_level

TAB_LENGTH = 4

QUOTE_PREFIX_RE = re.compile(r"^[ \t]*(?:>[ \t]*)*")
"""The indentation and ``>`` quote markers before a line's content (``>  > ```math``)."""

FENCE_LIKE_RE = re.compile(r"^[ \t]*(?:>[ \t]*)*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
"""A line that looks like a fence line (whether or not superfences accepts it)."""

_PREFIX_CHARS = frozenset("> ")
# What may follow the fence (superfences' header grammar, written out for this module):
# an optional language, then a `{…}` attribute list, or `key` / `key="value"` options, or
# anything else (which superfences rejects).
_LANG = r"(?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?"
# The fence run is possessive: a shorter fence leaves a backtick or tilde that only `other`
# can take (no fence either way), and trying each length made a 60,000-backtick line ending
# in a no-break space take 15 minutes (quadratic backtracking).
_HEADER_RE = re.compile(
    r"(?P<fence>~{3,}+|`{3,}+)" + _LANG + r"(?:[ \t]*\{(?P<attrs>[^\n]*)\}"
    r"|(?P<options>(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(?P<quot>[\"']).*?(?P=quot))?(?=[\t ]|$))+)"
    r"|(?P<other>(?:[ \t]*\S+(?=[\t ]|$))+))?[ \t]*$"
)
_OPTION_RE = re.compile(
    r"(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>[\"'])(?P<value>.*?)(?P=quot))?"
)
_HL_LINES_RE = re.compile(r"^\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$")
_LINENUMS_RE = re.compile(r"\d+")
# Options pymdownx.highlight takes on a fence; any other option makes the line no fence.
_OPTION_CHECKS: dict[str, re.Pattern[str] | None] = {
    "hl_lines": _HL_LINES_RE,
    "linenums": _LINENUMS_RE,
    "title": None,
    "title_mode": None,
}


@dataclass(frozen=True, slots=True)
class FenceOpener:
    """An opening fence line as superfences reads it."""

    prefix: str
    """The ``>``/space characters before the fence, tabs expanded."""
    fence: str
    """The backticks or tildes."""
    language: str
    """The language word (``""`` if none)."""
    info: str
    """Everything after the fence, as written."""

    @property
    def width(self) -> int:
        """Characters before the fence's backticks or tildes."""
        return len(self.prefix)

    @property
    def quote_level(self) -> int:
        """How many ``>`` quote the fence."""
        return self.prefix.count(">")

    @property
    def indent(self) -> int:
        """Columns of blanks after the last ``>`` (or from the line start)."""
        return len(self.prefix) - (self.prefix.rfind(">") + 1)


def expand_tabs(text: str) -> str:
    """The line with its tabs expanded to 4 columns, as Python-Markdown reads it first."""
    return text.expandtabs(TAB_LENGTH) if "\t" in text else text


def fence_opener(text: str) -> FenceOpener | None:
    """The fence this line opens, or None if superfences would not open one here."""
    if "`" not in text and "~" not in text:
        return None
    text = expand_tabs(text)
    width = 0
    while width < len(text) and text[width] in _PREFIX_CHARS:
        width += 1
    match = _HEADER_RE.match(text, width)
    if match is None or match["other"] is not None:
        return None
    if match["options"] is not None and not _options_accepted(match["options"]):
        return None
    return FenceOpener(
        text[:width],
        match["fence"],
        match["lang"] or "",
        text[width + len(match["fence"]) :],
    )


_ATTRIBUTE_BLOCK_RE = re.compile(r"\{(?P<attrs>[^\n]*)\}(?P<after>[ \t]*)$")
_ATTRIBUTE_TOKEN_RE = re.compile(r"""(?P<key>[^\s=]+)=(?:"[^"]*"|'[^']*'|\S*)|\S+""")
_KEPT_CLASS_RE = re.compile(r"\.[\w-]+")


def fence_attributes_from_notes(text: str) -> tuple[str, tuple[str, ...]]:
    """An opening fence line without what its ``{…}`` attribute list would set on the page
    besides classes (the language) and highlight's options (``hl_lines``, ``linenums``,
    ``title``), and what was left out. Superfences hands the rest of the list to attr_list:
    ``{.html #__config}`` gave the code block the id the theme reads its configuration from,
    ``data-x=1`` any attribute."""
    opener = fence_opener(text)
    found = _ATTRIBUTE_BLOCK_RE.search(text) if opener is not None else None
    if found is None:
        return text, ()
    kept: list[str] = []
    dropped: list[str] = []
    for token in _ATTRIBUTE_TOKEN_RE.finditer(found["attrs"]):
        word = token[0]
        if _KEPT_CLASS_RE.fullmatch(word) or token["key"] in _OPTION_CHECKS:
            kept.append(word)
        else:
            dropped.append(word)
    if not dropped:
        return text, ()
    block = "{" + " ".join(kept) + "}" if kept else ""
    return text[: found.start()] + block + found["after"], tuple(dropped)


def _options_accepted(options: str) -> bool:
    for option in _OPTION_RE.finditer(options):
        key = option["key"]
        if key not in _OPTION_CHECKS:
            return False
        value = option["value"] if option["value"] is not None else key
        check = _OPTION_CHECKS[key]
        if check is not None and check.match(value) is None:
            return False
    return True


def _split_prefix(text: str, width: int) -> tuple[str, str]:
    """The prefix characters superfences strips from a content line (at most ``width``
    columns of them), and the rest."""
    at = 0
    while at < len(text) and at < width and text[at] in _PREFIX_CHARS:
        at += 1
    return text[:at], text[at:]


def _closes(opener: FenceOpener, content: str) -> bool:
    rest = content[len(opener.fence) :] if content.startswith(opener.fence) else None
    return rest is not None and not rest.strip(" \t")


@dataclass(frozen=True, slots=True)
class Fence:
    """A fence opening line and how it ends."""

    start: int
    """Index of the opening line."""
    end: int | None
    """Index of the closing line; None: the fence is text."""
    abandoned: bool = False
    """A line that is not indented as far as the opening one ended it (superfences then
    goes on after that line); otherwise an unclosed fence runs to the end of the lines."""


def fence_regions(
    texts: Sequence[str], heading_level: Callable[[str], int] | None = None
) -> list[tuple[int, int | None]]:
    """Each fence as (index of its opening line, index of its closing line or None)."""
    return [(f.start, f.end) for f in scan_fences(texts, heading_level)]


def note_fence_regions(lines: Sequence[Line]) -> list[tuple[int, int | None]]:
    """Each fence of a note's lines as (index of its opening line, index of its closing line or
    None), as pymdownx.superfences reads them, headings included (see :func:`scan_fences`).

    A fence that is never closed (None) is text: the lines after it are read on, so one
    forgotten fence neither turns the rest of the note into code nor hides the fences and
    headings below it.
    """
    return fence_regions([line.text for line in lines], heading_level)


def scan_fences(
    texts: Sequence[str], heading_level: Callable[[str], int] | None = None
) -> list[Fence]:
    """Each fence opening line as (its index, the index of its closing line or None).

    None: the fence is never closed, or a line abandons it; either way its lines are text. After
    an abandoned fence the scan goes on after the abandoning line (as superfences does); after
    one never closed, on the line after the opening one (see the module docstring).

    With ``heading_level`` (a note's lines: parse.py), a fence without a language does not run
    past a heading of the level of the section it opens in (level 2 or deeper) that follows a
    blank line: that is a stray fence line (the end of a ```` ``` ```` code span, a fence the
    author forgot to close) that would otherwise pair with a fence several concepts later and
    swallow them. The heading starts another concept's page, where superfences never sees the
    closing line, so here as there the fence is never closed. A ```` ```python ```` fence, a
    `# comment` of Python and a heading right after another line stay code. Linear:
    each fence's end is found once and a never-closed opener is found out by a look-up of the
    lines where its fence occurs next (`unclosed_from`).
    """
    regions: list[Fence] = []
    joined = "\n".join(texts)
    if "```" not in joined and "~~~" not in joined:
        return regions  # most sections, and every rule asks (one search at C speed)
    expanded = _LazyExpanded(texts)
    openers = [fence_opener(t) if ("```" in t or "~~~" in t) else None for t in texts]
    index = 0
    count = len(expanded)
    section_level = 0
    # Per kind of opener, the first line from which its scan met neither a closing nor an
    # abandoning line: a later opener of that kind, scanning from further on, meets none
    # either (the scan's state after such an opener line is its starting state). Without
    # this, n never-closed fences took n scans to the end of the note.
    unclosed_from: dict[tuple[str, int, int, int], int] = {}
    while index < count:
        opener = openers[index]
        if opener is None:
            if heading_level is not None:
                section_level = heading_level(texts[index]) or section_level
            index += 1
            continue
        barrier = _barrier(heading_level, section_level) if not opener.language else None
        kind = (opener.fence, opener.width, opener.quote_level, section_level if barrier else -1)
        if unclosed_from.get(kind, count) <= index + 1:
            end, abandoned_at = None, None
        else:
            end, abandoned_at = _fence_end(opener, expanded, index + 1, barrier)
            if end is None and abandoned_at is None:
                unclosed_from[kind] = index + 1
        if end is not None:
            regions.append(Fence(index, end))
            index = end + 1
        elif abandoned_at is not None:
            regions.append(Fence(index, None, abandoned=True))
            index = abandoned_at + 1
        else:
            regions.append(Fence(index, None))
            index += 1
    return regions


class _LazyExpanded(Sequence[str]):
    """The lines with tabs expanded, each when it is first asked for."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return expand_tabs(self._texts[index])


def _barrier(
    heading_level: Callable[[str], int] | None, section_level: int
) -> Callable[[str], bool] | None:
    if heading_level is None or section_level < 2:
        return None
    return lambda text: heading_level(text) == section_level


def _fence_end(
    opener: FenceOpener,
    lines: Sequence[str],
    start: int,
    barrier: Callable[[str], bool] | None = None,
) -> tuple[int | None, int | None]:
    """(closing line index, None), (None, abandoning line index) or (None, None) when the
    lines (or the section: ``barrier``) end first."""
    quote_level = opener.quote_level
    empty_lines = 0
    for index in range(start, len(lines)):
        text = lines[index]
        if (
            barrier is not None
            and text.startswith("#")
            and not lines[index - 1].strip()
            and barrier(text)
        ):
            return None, None
        prefix, content = _split_prefix(text, opener.width)
        level = prefix.count(">")
        if not quote_level:
            if level:
                return None, index
            if not text.strip():
                continue
            if len(prefix) != opener.width:
                return None, index
            if _closes(opener, content) and not content.startswith((" ", "\t")):
                return index, None
            continue
        if level > quote_level:
            return None, index
        if content == "":
            empty_lines += 1
            continue
        if len(prefix) < opener.width:
            return None, index
        if empty_lines and level < quote_level:
            return None, index
        if _closes(opener, content):
            return index, None
        empty_lines = 0
    return None, None


def fenced_line_indexes(texts: Sequence[str]) -> frozenset[int]:
    """Indexes of the lines in a closed fence, its opening and closing lines included."""
    inside: set[int] = set()
    for start, end in fence_regions(texts):
        if end is not None:
            inside.update(range(start, end + 1))
    return frozenset(inside)


def fenced_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Line numbers in a closed fence, its opening and closing lines included."""
    texts = [ln.text for ln in lines]
    if not texts:
        return frozenset()
    inside = fenced_line_indexes(texts)
    return frozenset(lines[i].number for i in inside)


__all__ = [
    "FENCE_LIKE_RE",
    "QUOTE_PREFIX_RE",
    "TAB_LENGTH",
    "Fence",
    "FenceOpener",
    "expand_tabs",
    "fence_attributes_from_notes",
    "fence_opener",
    "fence_regions",
    "fenced_line_indexes",
    "fenced_lines",
    "note_fence_regions",
    "scan_fences",
]
