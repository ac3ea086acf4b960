"""Small text helpers shared by the stages (character classes, Markdown escaping)."""

from __future__ import annotations

import re

# Han ideographs, CJK punctuation and full-width forms: what makes a line "Chinese prose".
CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]|])")
_LINE_START_SPECIALS = re.compile(r"^(\s*)(#|[-+*](?=\s)|\d+(?=[.)]\s))")


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def escape_markdown(text: str) -> str:
    """Make plain text show literally in Markdown: `a*b*c`, `<EOS>`, `[MASK]`, `|`."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    match = _LINE_START_SPECIALS.match(text)
    if match:
        lead, marker = match.group(1), match.group(2)
        rest = text[match.end() :]
        if marker.isdigit():
            # `1. text` would become a list; escape the dot instead of the digits.
            return f"{lead}{marker}\\{rest}"
        return f"{lead}\\{marker}{rest}"
    return text


_UNESCAPE_RE = re.compile(r"\\([\\`*_\[\]|#>+\-.!{}()])")


def unescape_markdown(text: str) -> str:
    """The inverse of :func:`escape_markdown` (used to check that no text was lost)."""
    text = _UNESCAPE_RE.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def fence_for(lines: list[str], char: str = "`") -> str:
    """A fence longer than any run of ``char`` inside ``lines``."""
    longest = max(
        (len(m) for ln in lines for m in re.findall(f"{re.escape(char)}+", ln)), default=0
    )
    return char * max(3, longest + 1)
