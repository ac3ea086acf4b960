"""Small text helpers shared by the stages (character classes, Markdown escaping)."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from . import markdown_syntax

# Han ideographs, CJK punctuation and full-width forms: what makes a line "Chinese prose".
CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

CONTROL_CHARACTERS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters except tab and newline (CR is turned into LF first). NUL is
never shown raw in HTML, and Python-Markdown uses STX/ETX (``\\x02``, ``\\x03``) to mark its
own placeholders: a note holding them could bring back stashed HTML."""

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]|])")
_LINE_START_SPECIALS = re.compile(r"^(\s*)(#|[-+*](?=\s)|\d+(?=[.)]\s))")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese, Japanese or Korean character."""
    return CJK_RE.search(text) is not None


def html_text(text: str) -> Markup:
    """Author text as HTML that shows exactly that text: the one way a title, an alias, a
    group heading or a file name reaches what MkDocs and Material insert as HTML (nav, page
    title, footer, search records), which they do verbatim (no autoescaping).

    Quotes are escaped too, so the result is also safe inside an attribute value; it is a
    :class:`Markup` so that a template's ``| e`` (the footer's ``aria-label``) does not escape
    it a second time. (Page bodies are Markdown: :func:`escape_markdown` is their way.)"""
    return Markup(html.escape(text, quote=True))


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


# Code spans are Markdown syntax: markdown_syntax.py decides them (kept here for callers).
code_spans = markdown_syntax.code_spans


def fence_for(lines: list[str], char: str = "`") -> str:
    """A fence longer than any run of ``char`` inside ``lines``."""
    longest = max(
        (len(m) for ln in lines for m in re.findall(f"{re.escape(char)}+", ln)), default=0
    )
    return char * max(3, longest + 1)


__all__ = [
    "CJK_RE",
    "CONTROL_CHARACTERS_RE",
    "code_spans",
    "escape_markdown",
    "fence_for",
    "has_cjk",
    "html_text",
    "unescape_markdown",
]
