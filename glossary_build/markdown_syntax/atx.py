"""ATX headings as the notes write them: Typora's ``###多输出分类`` without a space too."""

from __future__ import annotations

import re

__all__ = ["EMPTY_HEADING_RE", "HEADING_RE", "heading_level"]

# Typora writes `###多输出分类` (no space) and `###\u3000…`; both are headings.
# (The title is greedy up to its last non-blank character: a lazy `(.*?)` before trailing
# blanks backtracks quadratically on a long run of spaces.)
HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t\u3000]++|(?=[^#\s]))((?:.*[^ \t\u3000])?)[ \t\u3000]*$")
"""A heading line: its ``#`` run and its title."""
EMPTY_HEADING_RE = re.compile(r"^#{1,6}[ \t\u3000]*$")
"""A ``###`` line without a title (no heading: parse.py reports it, normalize shows it as text)."""


def heading_level(text: str) -> int:
    """The level of the heading this line is (0 if it is none)."""
    if not text.startswith("#"):
        return 0
    match = HEADING_RE.match(text)
    return len(match[1]) if match and match[2].strip() else 0
