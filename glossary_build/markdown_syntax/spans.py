"""Code spans as Python-Markdown's backtick processor pairs them, and autolinks."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

# --- code spans ---------------------------------------------------------------------------

_BACKTICK_RUN_RE = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each code span in ``text`` (one inline run: a line, a paragraph), as
    Python-Markdown's backtick pattern pairs them (see the module docstring).

    Linear in the text's length (the pattern itself backtracks for minutes on a long run of
    backticks): each run's next run of each length is looked up, not searched for.
    """
    if "`" not in text:
        return []
    runs = [(m.start(), m.end()) for m in _BACKTICK_RUN_RE.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    # For each run: the first of the longest runs after it (Python-Markdown's fallback).
    longest_after: list[int | None] = [None] * len(runs)
    best: int | None = None
    for index in range(len(runs) - 1, -1, -1):
        longest_after[index] = best
        if best is None or runs[index][1] - runs[index][0] >= runs[best][1] - runs[best][0]:
            best = index
    run_at = {}  # offset of each backtick → index of its run
    for index, (start, end) in enumerate(runs):
        for offset in range(start, end):
            run_at[offset] = index
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        at = _next_opening_backtick(text, pos)
        if at is None:
            return spans
        index = run_at[at]
        length = runs[index][1] - at
        closing = _closing_run(runs, by_length, longest_after, index, length)
        if closing is None:
            # Python-Markdown then goes on as many characters past the run as it is long.
            pos = runs[index][1] + length
            continue
        spans.append((at, runs[closing][1]))
        pos = runs[closing][1]


def _next_opening_backtick(text: str, pos: int) -> int | None:
    """The first backtick at or after ``pos`` that an even number of backslashes precedes."""
    while True:
        at = text.find("`", pos)
        if at < 0:
            return None
        backslashes = 0
        while at - backslashes > 0 and text[at - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return at
        pos = at + 1


def _closing_run(
    runs: Sequence[tuple[int, int]],
    by_length: dict[int, list[int]],
    longest_after: Sequence[int | None],
    index: int,
    length: int,
) -> int | None:
    """The run that closes an opener of ``length`` backticks at run ``index``: the next run
    of that length; failing that, the first of the longest runs after it if it is shorter
    (the opener's first backticks then delimit, its others are code)."""
    if length <= 0:
        return None
    candidates = by_length.get(length)
    if candidates:
        at = bisect_right(candidates, index)
        if at < len(candidates):
            return candidates[at]
    longest = longest_after[index]
    if longest is not None and runs[longest][1] - runs[longest][0] < length:
        return longest
    return None


# --- autolinks ------------------------------------------------------------------------------

MARKDOWN_AUTOLINK_RE = re.compile(r"<(?P<url>(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*+)://[^<>\s]*+)>")
"""What Python-Markdown links as ``<scheme://…>`` (its pattern also takes blanks; without them,
where it is not a link, a browser reads no attribute in it)."""
MARKDOWN_AUTOMAIL_RE = re.compile(r"<(?P<address>[^<>\s!/=\"'`@]++@[^@<>\s/=\"'`]++)>")
"""What Python-Markdown links as ``<address@host>``, less what could be an attribute."""
PYTHON_MARKDOWN_AUTOLINK_RE = re.compile(
    r"<(?P<url>(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*+)://[^<>\n]*+)>"
)
"""Python-Markdown's own autolink pattern (blanks included; on one line)."""
URI_AUTOLINK_RE = re.compile(r"<(?P<url>(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{1,31}+):[^<>\s]*+)>")
"""A CommonMark autolink ``<scheme:…>`` (``<irc:…>``, ``<localhost:5001/x>``)."""

__all__ = [
    "MARKDOWN_AUTOLINK_RE",
    "MARKDOWN_AUTOMAIL_RE",
    "PYTHON_MARKDOWN_AUTOLINK_RE",
    "URI_AUTOLINK_RE",
    "code_spans",
]
