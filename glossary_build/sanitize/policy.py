"""The HTML allowlist a note's raw HTML is reduced to, applied by nh3 (Rust's ammonia).

Which tags, attributes, style properties and URL schemes survive, what a removed tag's
content becomes, and the one URL policy for links and images (:func:`link_url_allowed`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import nh3

from ..codes import Code
from ..types import Severity


def words(text: str) -> frozenset[str]:
    """The set of the blank-separated words of ``text`` (tag lists written as prose)."""
    return frozenset(text.split())


# What the notes use (Typora's `<img style="zoom:50%">`) and common inline and block markup.
ALLOWED_TAGS = words(
    """img span div br hr sub sup b i u strong em mark small del ins kbd code pre p blockquote
    ul ol li a details summary table caption thead tbody tfoot tr th td"""
)
VOID_TAGS = frozenset({"img", "br", "hr"})
IMAGE_STYLE_PROPERTIES = frozenset({"zoom", "width", "height"})
"""An image's style properties that become its ``width``/``height`` (no style from a note)."""
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    # `markdown` is md_in_html's switch (`<details markdown>`); nothing reads it in a browser.
    "*": {"title", "markdown"},
    "img": {"src", "alt", "width", "height"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})
"""``data:`` passes nh3 only to be dropped by :func:`_attribute_filter` except on ``img src``."""

# Removed with everything up to their closing tag: their content is code, CSS or a fallback.
UNSAFE_CONTENT_TAGS = words(
    """script style iframe frame frameset object applet noscript noembed noframes template xmp
    plaintext textarea title svg math select"""
)
TEXT_CONTENT_TAGS = frozenset({"textarea"})
"""Of those, the ones whose content a browser shows as text: it is kept, as text."""
# Removed, their content kept: they load things, submit things or change the page's base.
UNSAFE_TAGS = words(
    """embed base basefont link meta form input button portal bgsound keygen isindex param
    source track"""
)
# Every other HTML element loses its tags and keeps its text. Names that are also tokens in
# these notes (`<s>`, `</s>`, `<image>`, `<mask>`) are deliberately missing: they are escaped
# and shown as written.
HTML_ELEMENTS = (
    words(
        """abbr acronym address area article aside audio bdi bdo big blink body canvas center
        cite col colgroup data datalist dd dfn dialog dir dl dt fieldset figcaption figure font
        footer h1 h2 h3 h4 h5 h6 head header hgroup html label legend listing main map marquee
        menu menuitem meter multicol nav nextid nobr optgroup option output picture progress q
        rb rp rt rtc ruby samp search section slot spacer strike time tt var video wbr"""
    )
    | ALLOWED_TAGS
    | UNSAFE_CONTENT_TAGS
    | UNSAFE_TAGS
)
# Schemes that run code when a link is followed (browsers ignore case, entities, tabs, newlines).
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
NOT_LINKED_SCHEMES = SCRIPT_SCHEMES | {"data"}
"""An autolink with one of these is shown as text (escaped), not passed on to be linked."""
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "background", "xlink:href", "data"}
)

UNSAFE = Code.UNSAFE_HTML
NOT_ALLOWED = Code.HTML_NOT_ALLOWED
ATTRIBUTES = Code.ATTRIBUTE_LIST
ATTRIBUTES_HINT = "a note cannot set attributes (style, id, class, on…): the braces show as typed"
LINK_URL = Code.LINK_URL
LINK_URL_HINT = "links and images may use http, https, mailto or a relative URL"
UNSAFE_HINT = "raw HTML is limited to an allowlist: no scripts, event handlers or script URLs"
NOT_ALLOWED_HINT = "raw HTML is limited to an allowlist; write it in Markdown or in `code`"

_LAZY = ' loading="lazy" referrerpolicy="no-referrer"'


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at an offset of the text handed to the scanner."""

    offset: int
    severity: Severity
    code: Code
    message: str
    hint: str | None = None


# --- tags through nh3 ---------------------------------------------------------------------

# A start or end tag as a browser reads it; possessive, so a failed match cannot backtrack.
TAG_RE = re.compile(
    r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*+)"
    r"(?P<attrs>(?:[\s/]++[^\s/>\"'=<]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+)*+)"
    r"[\s/]*+>"
)
_ATTRIBUTE_RE = re.compile(r"""([^\s/>"'=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_CLEANED_TAG_RE = "<{name}(?:\\s[^>]*)?>"
# nh3 parses a tag in the context HTML gives it: a `<td>` outside a table is dropped.
_CONTEXT = {
    "td": "<table><tbody><tr>",
    "th": "<table><tbody><tr>",
    "tr": "<table><tbody>",
    "thead": "<table>",
    "tbody": "<table>",
    "tfoot": "<table>",
    "caption": "<table>",
}
# `zoom: 50%`, `width:300px`, `height: 12.5em` (px is the only unit an attribute has)
_SIZE_RE = re.compile(
    r"\s*(?P<number>\d{1,5}(?:\.\d{1,3})?)\s*(?P<unit>%|px)?\s*(?:!important)?\s*"
)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "markdown" and not value:
        return "1"  # md_in_html reads a bare `markdown` as "1", but `markdown=""` as off
    if attribute in ("href", "src") and url_scheme(value) == "data":
        return value if (tag, attribute) == ("img", "src") else None
    return value


_NH3_OPTIONS = {
    "tags": set(ALLOWED_TAGS),
    "attributes": ALLOWED_ATTRIBUTES,
    "url_schemes": set(URL_SCHEMES),
    "attribute_filter": _attribute_filter,
}


def url_scheme(url: str) -> str | None:
    """The scheme a browser sees in a URL written in a note (entities, escapes, tabs undone)."""
    scheme, _ = scheme_end(url, 0)
    return scheme


# Browsers read any number of digits (`&#0000000106;` is `j`).
_ENTITY_RE = re.compile(r"&(?:#[0-9]++;?|#[xX][0-9A-Fa-f]++;?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_LONGEST_SCHEME = 32
"""Longer schemes are none that matter here (``javascript`` has 10 letters)."""
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")


def scheme_end(text: str, start: int) -> tuple[str | None, int]:
    """(scheme, offset after its colon) of a URL starting at ``start``, or (None, start)."""
    scheme: list[str] = []
    i = start
    while i < len(text) and len(scheme) <= _LONGEST_SCHEME:
        char = text[i]
        if char == "&" and (entity := _ENTITY_RE.match(text, i)):
            decoded, i = html.unescape(entity[0]), entity.end()
        elif char == "\\" and i + 1 < len(text):
            # Markdown drops the backslash of `\.`, `\-`, … in a link target.
            decoded, i = text[i + 1], i + 2
        else:
            decoded, i = char, i + 1
        for ch in decoded:
            if ch in "\t\n\r" or (not scheme and ch <= " "):
                continue  # the URL parser strips these
            if ch == ":":
                return ("".join(scheme), i) if scheme else (None, start)
            if ch.lower() not in _SCHEME_CHARS:
                return None, start
            scheme.append(ch.lower())
    return None, start


LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The schemes a Markdown link or image may use; a URL without a scheme (relative, ``#x``,
``//host``) is allowed too."""


def link_url_allowed(url: str) -> bool:
    """The one URL policy of Markdown links, images and reference definitions: http, https,
    mailto or relative. ``javascript:``, ``data:``, ``vbscript:``, ``file:`` … are not."""
    scheme = url_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


def is_web_url(url: str) -> bool:
    """Whether ``url`` is http, https or protocol-relative."""
    return url.startswith("//") or url_scheme(url) in ("http", "https")


def _attributes(name: str, source: str) -> dict[str, str]:
    """A start tag's attributes (the first wins, as in HTML), values without quotes, decoded."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE_RE.finditer(source, 1 + len(name), len(source) - 1):
        value = match[2] or ""
        if value[:1] in "\"'" and len(value) >= 2:
            value = value[1:-1]
        found.setdefault(match[1].lower(), html.unescape(value))
    return found


def _style_properties(style: str) -> list[tuple[str, str]]:
    return [
        (name.strip().lower(), value.strip())
        for name, _, value in (p.partition(":") for p in style.split(";") if ":" in p)
    ]


def _image_size(style: str) -> tuple[dict[str, str], list[str]]:
    """Typora's `zoom:50%` and a style's width/height as ``width``/``height`` attributes
    (a note sets no style), and the properties that have no such equivalent."""
    sizes: dict[str, str] = {}
    dropped: list[str] = []
    for name, value in _style_properties(style):
        size = _SIZE_RE.fullmatch(value)
        if name in IMAGE_STYLE_PROPERTIES and size:
            number, unit = size["number"], size["unit"]
            if name == "zoom" and unit != "px":
                # `zoom: 0.5` is 50%; the image is as wide as it fits, so a share of that
                sizes.setdefault("width", number + "%" if unit else f"{float(number) * 100:g}%")
                continue
            if name != "zoom":
                sizes[name] = number + ("%" if unit == "%" else "")
                continue
        dropped.append(f"{name}:{value}" if value else name)
    return sizes, dropped


@lru_cache(maxsize=4096)
def clean_start_tag(name: str, source: str) -> tuple[str | None, tuple[tuple[Code, str], ...]]:
    """An allowed element's start tag as nh3 re-serializes it, and what nh3 removed.

    Returns the clean tag (None if nh3 dropped it) and ``(code, message)`` per removal.
    """
    out = nh3.clean(_CONTEXT.get(name, "") + source, **_NH3_OPTIONS)  # type: ignore[arg-type]
    match = re.search(_CLEANED_TAG_RE.format(name=name), out)
    cleaned = match[0] if match else None
    before = _attributes(name, source)
    after = _attributes(name, cleaned) if cleaned else {}
    removed: list[tuple[Code, str]] = []
    sizes: dict[str, str] = {}
    for attribute, value in before.items():
        if attribute in after:
            continue
        if name == "img" and attribute == "style":
            sizes, dropped = _image_size(value)
            if dropped:
                removed.append(
                    (
                        NOT_ALLOWED,
                        f"removed style `{'; '.join(dropped)}` from <img> (only "
                        f"{', '.join(sorted(IMAGE_STYLE_PROPERTIES))} are kept, as its size)",
                    )
                )
            continue
        if name == "img" and attribute in ("loading", "referrerpolicy"):
            continue  # set again below for remote images
        scheme = url_scheme(value) if attribute in URL_ATTRIBUTES else None
        if re.fullmatch(r"on[a-z]+", attribute):
            removed.append((UNSAFE, f"removed event handler `{attribute}` from <{name}>"))
        elif scheme in SCRIPT_SCHEMES or scheme == "data":
            removed.append((UNSAFE, f"removed `{scheme}:` URL from <{name} {attribute}>"))
        elif attribute == "style":
            removed.append((NOT_ALLOWED, f"removed style `{value.strip()}` from <{name}>"))
        else:
            removed.append((NOT_ALLOWED, f"removed attribute `{attribute}` from <{name}>"))
    if cleaned is None:
        removed.append((NOT_ALLOWED, f"removed <{name}> tag that does not fit where it is"))
    elif name == "img":
        for size, number in sizes.items():
            if size not in after:
                cleaned = cleaned[:-1] + f' {size}="{number}">'
        if is_web_url(after.get("src", "")):
            cleaned = cleaned[:-1] + _LAZY + ">"
    return cleaned, tuple(removed)


__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ATTRIBUTES",
    "ATTRIBUTES_HINT",
    "HTML_ELEMENTS",
    "IMAGE_STYLE_PROPERTIES",
    "LINK_SCHEMES",
    "LINK_URL",
    "LINK_URL_HINT",
    "NOT_ALLOWED",
    "NOT_ALLOWED_HINT",
    "NOT_LINKED_SCHEMES",
    "SCRIPT_SCHEMES",
    "TAG_RE",
    "TEXT_CONTENT_TAGS",
    "UNSAFE",
    "UNSAFE_CONTENT_TAGS",
    "UNSAFE_HINT",
    "UNSAFE_TAGS",
    "URL_ATTRIBUTES",
    "URL_SCHEMES",
    "VOID_TAGS",
    "Finding",
    "clean_start_tag",
    "is_web_url",
    "link_url_allowed",
    "scheme_end",
    "url_scheme",
    "words",
]
