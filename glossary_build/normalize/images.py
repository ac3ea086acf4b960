"""Rule: images that are not beside the notes become placeholders with their alt text and path."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import replace
from urllib.parse import unquote

from ..codes import Code
from ..markdown_syntax import (
    HTML_IMAGE_RE,
    MARKDOWN_IMAGE_RE,
    fenced_lines,
)
from ..text import code_spans, escape_markdown
from ..types import Diagnostic, Line, RawNote, Section, Severity, Span
from .sections import map_sections

# --- images -------------------------------------------------------------------------------

_ATTR_RE = r"""\b{name}\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))"""


def _attr(tag: str, name: str) -> str | None:
    match = re.search(_ATTR_RE.format(name=name), tag, re.IGNORECASE)
    if not match:
        return None
    value = match["dq"] if match["dq"] is not None else match["sq"] or match["bare"] or ""
    return html.unescape(value)


def is_remote(src: str) -> bool:
    """Whether an image source has a scheme or starts with `//` (not a file beside the notes)."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.IGNORECASE))


def missing_image_placeholder(alt: str, src: str) -> str:
    """A visible stand-in for an image that is not there; ``alt`` is plain text."""
    label = escape_markdown(alt or posixpath.basename(src))
    return (
        f'<span class="gb-missing-image" title="{_html_attr(src)}">'
        f"图片缺失 / missing image: {label} <code>{_html_attr(src)}</code></span>"
    )


def _html_attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# A backslash escape or a character reference: what Markdown shows of them is one character.
MARKDOWN_LITERAL_RE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


def markdown_alt_text(alt: str) -> str:
    """The plain text a Markdown image's alt shows: `a \\_b &lt; c` → `a _b < c` (the sanitizer
    has already written `<` as `&lt;`; escaping that again would show `&lt;`)."""
    return MARKDOWN_LITERAL_RE.sub(lambda m: m[1] or html.unescape(m[0]), alt)


def placeholder_missing_images(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Local images that are not beside the notes become a visible placeholder."""
    diagnostics: list[Diagnostic] = []
    assets = note.source.assets

    def exists(src: str) -> bool:
        path = posixpath.normpath(unquote(src.strip().strip("<>")))
        return path in assets

    def check(src: str, line: Line) -> bool:
        if is_remote(src) or exists(src):
            return True
        diagnostics.append(
            Diagnostic(
                Span(note.source.path, line.number),
                Severity.WARNING,
                Code.MISSING_IMAGE,
                f"image '{src}' not found; shown as placeholder",
                "put the file beside the notes or fix the path",
            )
        )
        return False

    def rewrite_line(line: Line) -> Line:
        def markdown_image(m: re.Match[str]) -> str:
            src = m["src"].strip()
            if check(src, line):
                return m[0]
            return missing_image_placeholder(markdown_alt_text(m["alt"]), src)

        def html_image(m: re.Match[str]) -> str:
            src = _attr(m[0], "src") or ""
            ok = check(src, line)
            return m[0] if ok else missing_image_placeholder(_attr(m[0], "alt") or "", src)

        def rewrite_text(text: str) -> str:
            return HTML_IMAGE_RE.sub(html_image, MARKDOWN_IMAGE_RE.sub(markdown_image, text))

        # An image written in a code span is code: `<img src="x.png">` shows as written.
        parts, pos = [], 0
        for start, end in code_spans(line.text):
            parts += [rewrite_text(line.text[pos:start]), line.text[start:end]]
            pos = end
        text = "".join([*parts, rewrite_text(line.text[pos:])])
        return line if text == line.text else Line(line.number, text)

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = tuple(ln if ln.number in fenced else rewrite_line(ln) for ln in section.body)
        return replace(section, body=body)

    return map_sections(note, rewrite), tuple(diagnostics)


__all__ = [
    "MARKDOWN_LITERAL_RE",
    "is_remote",
    "markdown_alt_text",
    "missing_image_placeholder",
    "placeholder_missing_images",
]
