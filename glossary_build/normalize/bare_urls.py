"""Rule: bare http(s) URLs in text become links, as Typora shows them."""

from __future__ import annotations

import re
from dataclasses import replace

from ..markdown_syntax import fenced_lines
from ..text import code_spans
from ..types import Diagnostic, Line, RawNote, Section
from .images import MARKDOWN_LITERAL_RE
from .sections import map_sections

# --- bare URLs -----------------------------------------------------------------------------

# A URL written out in prose: ASCII up to the first blank, quote, angle bracket or non-ASCII
# character (a full-width `）`, `，` or `。` ends it, as in 001:307 `（https://…/hdfview/）`).
_BARE_URL_RE = re.compile(r"(?<![\w/.@:%+-])https?://[!#-&(-;=?-\[\]-_a-~\\]++")
_URL_TRAILING = ".,:;!?*_~'\\"
# What a URL inside is left alone: code spans aside, links and images (text and target),
# tags and autolinks, a reference definition's target.
_URL_PROTECTED_RE = re.compile(
    r"!?\[[^\[\]\n]*+\]\((?:[^()\n]++|\([^()\n]*+\))*+\)"
    r"|<[^<>\n]++>"
    r"|^[ ]{0,3}\[[^\[\]\n]++\]:.*"
)


def _url_end(url: str) -> int:
    """Where a matched URL really ends: trailing punctuation and an unbalanced `)` or `]` are
    the sentence's (`(see https://a.b/c).`)."""
    end = len(url)
    while end > 0:
        char = url[end - 1]
        opening = "(" if char == ")" else "["
        unbalanced = char in ")]" and url.count(char, 0, end) > url.count(opening, 0, end)
        if not (char in _URL_TRAILING or unbalanced):
            break
        end -= 1
    return end


_URL_TEXT_SPECIALS_RE = re.compile(r"[^A-Za-z0-9:/.\-]")


def _url_link(url: str) -> str:
    """An HTML link, not Markdown's `<https://…>`: a line may be inside a raw HTML block, where
    Markdown makes no autolink and a browser would read `<https://x/onmouseover=…>` as a tag.
    Every character of the text but letters, digits and `:/.-` is a character reference, so
    Markdown finds no emphasis or bracket in it, and raw HTML shows it the same."""
    plain = MARKDOWN_LITERAL_RE.sub(lambda m: m[1] or m[0], url)  # 002's escaped `\_`
    href = plain.replace("&", "&amp;")
    shown = _URL_TEXT_SPECIALS_RE.sub(lambda m: f"&#{ord(m[0])};", plain)
    return f'<a href="{href}">{shown}</a>'


def link_bare_urls(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A bare `https://…` in prose becomes a link (see :func:`_url_link`).

    Python-Markdown links only `<https://…>`; pymdownx.magiclink would link bare URLs but runs
    them on into full-width punctuation (`https://a.b/c，然后`) and skips one right after `（`.
    Only http and https are linked (the URL policy of sanitize.link_url_allowed); code, links,
    images, tags, reference definitions, fences and indented code are left as they are.
    """

    def rewrite_text(text: str) -> str:
        pieces: list[str] = []
        pos = 0
        for match in _BARE_URL_RE.finditer(text):
            end = match.start() + _url_end(match[0])
            if end - match.start() <= len("https://"):
                continue
            pieces += [text[pos : match.start()], _url_link(text[match.start() : end])]
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)

    def rewrite_line(line: Line) -> Line:
        text = line.text
        if "://" not in text or text.startswith(("    ", "\t")) or text.lstrip().startswith("<"):
            return line
        hidden = sorted([*code_spans(text), *(m.span() for m in _URL_PROTECTED_RE.finditer(text))])
        parts: list[str] = []
        pos = 0
        for start, end in hidden:
            if start < pos:
                continue
            parts += [rewrite_text(text[pos:start]), text[start:end]]
            pos = end
        parts.append(rewrite_text(text[pos:]))
        linked = "".join(parts)
        return line if linked == text else Line(line.number, linked)

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = tuple(ln if ln.number in fenced else rewrite_line(ln) for ln in section.body)
        return replace(section, body=body)

    return map_sections(note, rewrite), ()


__all__ = [
    "link_bare_urls",
]
