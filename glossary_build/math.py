"""Finding formulas in the four notations the notes use (outside code)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .parse import FENCE_RE
from .types import Line

_QUOTE_PREFIX_RE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_DISPLAY_RE = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
# `$` next to an ASCII letter or digit is a price or a shell variable, not math.
_INLINE_RE = re.compile(
    r"(?<![\\$A-Za-z0-9])\$(?=[^\s$])(?P<tex>[^$\n]+?)(?<=[^\s\\$])\$(?![A-Za-z0-9$])"
)
_KATEX_SPAN_RE = re.compile(r"`KaTeX:(?P<tex>[^`]+)`")
_CODE_SPAN_RE = re.compile(r"(`+)(?!KaTeX:).+?\1")


MATH_FENCE_LANGUAGES = frozenset({"katex", "math", "latex", "tex"})


def is_math_fence(info: str) -> bool:
    """```` ```KaTeX ```` and friends hold a formula, not code."""
    words = info.strip().split()
    return bool(words) and words[0].lower() in MATH_FENCE_LANGUAGES


def count_formulas(lines: Sequence[Line]) -> int:
    """Formulas written as ``$..$``, ``$$..$$``, KaTeX fences or `` `KaTeX:..` `` spans."""
    count = 0
    prose: list[str] = []
    fence: str | None = None
    for line in lines:
        match = FENCE_RE.match(line.text)
        if fence is None and match:
            fence = match["fence"]
            count += is_math_fence(match["info"])
            prose.append("")
            continue
        if fence is not None:
            if match and match["fence"].startswith(fence) and not match["info"].strip():
                fence = None
            continue
        prose.append(_QUOTE_PREFIX_RE.sub("", line.text))
    text = "\n".join(prose)
    count += len(_KATEX_SPAN_RE.findall(text))
    text = _KATEX_SPAN_RE.sub(" ", text)
    text = _CODE_SPAN_RE.sub(" ", text)
    count += len(_DISPLAY_RE.findall(text))
    text = _DISPLAY_RE.sub(" ", text)
    return count + len(_INLINE_RE.findall(text))
