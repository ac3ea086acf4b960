"""Raw HTML in the notes, reduced to an allowlist by a real sanitizer (nh3, Rust's ammonia).

Markdown copies raw HTML into the page as it is, so a note could run scripts on the site. Each
``<…>`` outside code is looked at:

* a tag of the allowlist (``<img style="zoom:50%">``, ``<sub>``, ``<details>``, tables, …) is
  parsed and re-serialized by nh3, which keeps only the allowed attributes, style properties and
  URL schemes;
* ``<script>``, ``<style>``, ``<iframe>`` and the other active elements are removed with their
  content, form controls and ``<meta>``/``<link>``/``<base>`` without;
* any other HTML element (``<font>``, ``<center>``) loses its tags and keeps its text;
* a comment, processing instruction, declaration or CDATA section (``<!-- … -->``,
  ``<?php … ?>``, ``<!DOCTYPE html>``, ``<![CDATA[…]]>``), which a browser never shows, is hidden
  as far as a browser hides it (:func:`hidden_markup_end`): it becomes an empty comment, which
  keeps Markdown's blocks as they were and carries nothing of what was inside (a declaration
  only where Python-Markdown reads it as HTML, at a line's start; in running text it is text);
* ``<textarea>`` keeps its content as text (a browser shows it, as typed, in the control);
* anything else that starts with ``<`` (``<EOS>``, ``<s>``, ``a<b``, ``< a>``) is escaped,
  so it shows as the author typed it;
* Markdown's own ways into an attribute are reported here and closed in the element tree by
  markdown_guard: a ``[x](javascript:…)`` link target (one URL policy, :func:`link_url_allowed`)
  becomes its text, a ``{: style=… }`` attribute list shows as typed; raw HTML keeps no ``style``
  and no ``id`` (an image's ``zoom``/``width``/``height`` become its ``width``/``height``).

Every removal is a diagnostic. Remote images stay remote (nothing is fetched) but load lazily and
send no referrer; a Markdown image with a remote URL becomes an ``<img>`` to carry that.

Code is left verbatim, but only what Markdown is certain to treat as code (a wrong guess would
let a ``<script>`` through): fences pymdownx.superfences will recognise — one-word info string,
closed by the same backticks behind the same indentation and quote markers, every line inside
behind them, not after a line Markdown may take for indented code — and code spans whose
backticks pair up on their own line. A fence-like line that is not such a fence is neutralised
(``\\````), so it cannot open a fence that swallows what follows. Inside an open HTML element
(a raw HTML block, where Markdown does not run) no code span is trusted, and elements still open
at the end of a section are closed there. What is code is decided on the text Markdown will see:
a section is sanitized again until a pass changes nothing (a removal can change what is code).
Nothing the scanner passes over verbatim (a comment, an attribute list, an image, a link target)
may hide a tag: comments lose what is inside, and the others are looked into.

Behind all that, :func:`defuse_rendered_html` is a second line of defence for the HTML Markdown
makes of a page: it makes anything active that is still there inert, and reports it.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown.extensions.attr_list import AttrListTreeprocessor

from .markdown_syntax import (
    FENCE_LIKE_RE,
    MARKDOWN_AUTOLINK_RE,
    MARKDOWN_AUTOMAIL_RE,
    PYTHON_MARKDOWN_AUTOLINK_RE,
    URI_AUTOLINK_RE,
    code_spans,
    indented_code_lines,
    scan_fences,
)
from .text import escape_markdown
from .types import Diagnostic, Line, Severity, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What the notes use (Typora's `<img style="zoom:50%">`) and common inline and block markup.
ALLOWED_TAGS = _words(
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
UNSAFE_CONTENT_TAGS = _words(
    """script style iframe frame frameset object applet noscript noembed noframes template xmp
    plaintext textarea title svg math select"""
)
TEXT_CONTENT_TAGS = frozenset({"textarea"})
"""Of those, the ones whose content a browser shows as text: it is kept, as text."""
# Removed, their content kept: they load things, submit things or change the page's base.
UNSAFE_TAGS = _words(
    """embed base basefont link meta form input button portal bgsound keygen isindex param
    source track"""
)
# Every other HTML element loses its tags and keeps its text. Names that are also tokens in
# these notes (`<s>`, `</s>`, `<image>`, `<mask>`) are deliberately missing: they are escaped
# and shown as written.
HTML_ELEMENTS = (
    _words(
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
_NOT_LINKED_SCHEMES = SCRIPT_SCHEMES | {"data"}
"""An autolink with one of these is shown as text (escaped), not passed on to be linked."""
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "poster", "background", "xlink:href", "data"}
)

UNSAFE = "unsafe-html"
NOT_ALLOWED = "html-not-allowed"
ATTRIBUTES = "attribute-list"
ATTRIBUTES_HINT = "a note cannot set attributes (style, id, class, on…): the braces show as typed"
LINK_URL = "link-url"
LINK_URL_HINT = "links and images may use http, https, mailto or a relative URL"
UNSAFE_HINT = "raw HTML is limited to an allowlist: no scripts, event handlers or script URLs"
NOT_ALLOWED_HINT = "raw HTML is limited to an allowlist; write it in Markdown or in `code`"

_LAZY = ' loading="lazy" referrerpolicy="no-referrer"'


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at an offset of the text handed to the scanner."""

    offset: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None


# --- tags through nh3 ---------------------------------------------------------------------

# A start or end tag as a browser reads it; possessive, so a failed match cannot backtrack.
_TAG_RE = re.compile(
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
    scheme, _ = _scheme_end(url, 0)
    return scheme


# Browsers read any number of digits (`&#0000000106;` is `j`).
_ENTITY_RE = re.compile(r"&(?:#[0-9]++;?|#[xX][0-9A-Fa-f]++;?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_LONGEST_SCHEME = 32
"""Longer schemes are none that matter here (``javascript`` has 10 letters)."""
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+-.")


def _scheme_end(text: str, start: int) -> tuple[str | None, int]:
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
def clean_start_tag(name: str, source: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """An allowed element's start tag as nh3 re-serializes it, and what nh3 removed.

    Returns the clean tag (None if nh3 dropped it) and ``(code, message)`` per removal.
    """
    out = nh3.clean(_CONTEXT.get(name, "") + source, **_NH3_OPTIONS)  # type: ignore[arg-type]
    match = re.search(_CLEANED_TAG_RE.format(name=name), out)
    cleaned = match[0] if match else None
    before = _attributes(name, source)
    after = _attributes(name, cleaned) if cleaned else {}
    removed: list[tuple[str, str]] = []
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


# --- fences Markdown is certain to see ----------------------------------------------------


def _neutralised(text: str) -> str:
    """A fence-like line that is not a fence, made plain text (it shows the same)."""
    match = FENCE_LIKE_RE.match(text)
    if match is None:
        return text
    at = match.start("fence")
    if text[at] == "`":
        return text[:at] + "\\" + text[at:]
    return text[:at] + "&#126;" + text[at + 1 :]


def _not_an_opener(text: str) -> str:
    """A fence opening line that must open nothing, shown as it was: a no-break space after
    its last character is no header superfences accepts (a `\\` before the backticks would
    show inside a code span the line is part of: ```` ``` foo ``` ````)."""
    body = text.rstrip(" \t")
    return body + NO_OPENER_MARK + text[len(body) :]


NO_OPENER_MARK = "\u00a0"

_QUOTE_MARKER_RE = re.compile(r" {0,3}> ?")


def _quote_depth_and_indent(text: str) -> tuple[int, int]:
    """How many ``>`` Markdown strips from a line, and the columns of indentation after them
    (-1 for a line that is blank after them)."""
    depth, pos = 0, 0
    while marker := _QUOTE_MARKER_RE.match(text, pos):
        depth, pos = depth + 1, marker.end()
    rest = text[pos:]
    if not rest.strip():
        return depth, -1
    return depth, len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip(" "))


def trusted_fence_lines(
    lines: Sequence[Line],
) -> tuple[frozenset[int], list[int], frozenset[int]]:
    """Indexes of lines in trusted fences; indexes of closed fences that are not trusted; and
    the opening lines to neutralise (those not trusted and those never closed: left as they
    are, superfences would ignore every fence after them on the page).

    Which lines are a fence is markdown_syntax's verdict (exactly superfences' own).

    superfences replaces a fence at once, but when the Markdown block it ends up in starts as
    indented code, Markdown's code block processor puts the fence's text back: if the fence is
    indented less than that block's first line, its lines are then text, and a ``<script>`` in
    them is HTML. Where that block starts is not certain (a fence or a raw HTML block hides the
    blank lines in it), so a fence is not trusted after any line in the same blockquote level
    (lazy lines included), or a shallower one of its block, indented 4 columns or more and
    deeper than the fence. In a list item,
    fences and continuation lines are indented alike: those fences stay trusted.
    """
    trusted: set[int] = set()
    malformed: list[int] = []
    deepest: dict[int, int] = {}  # quote depth → indentation of the deepest line so far
    looked = 0  # the lines before this index are in ``deepest``
    depth_before = 0  # quote depth of the last line looked at, if it was not blank

    in_block: dict[int, int] = {}  # the same, since the last blank line

    def look(upto: int) -> None:
        nonlocal looked, depth_before
        for line in lines[looked:upto]:
            depth, indent = _quote_depth_and_indent(line.text)
            if indent < 0 and depth == 0:
                depth_before = 0
                in_block.clear()
                continue
            if depth == 0:
                depth = depth_before  # a lazy line continues the quote it follows
            deepest[depth] = max(deepest.get(depth, -1), indent)
            in_block[depth] = max(in_block.get(depth, -1), indent)
            depth_before = depth
        looked = max(looked, upto)

    neutralise: set[int] = set()
    fences = scan_fences([ln.text for ln in lines])
    for fence in fences:
        start, end = fence.start, fence.end
        look(start)
        if end is None:
            # On the page, a fence never closed would hide every fence after it, even in
            # another section (a sub-section's): it is made to open nothing.
            if not fence.abandoned:
                neutralise.add(start)
            continue
        depth, lead = _quote_depth_and_indent(lines[start].text)
        # A shallower line of the same block counts too: `    x` then `> ```…`: the block
        # starts as indented code, its fences are put back as text, the quote is Markdown.
        before = max([deepest.get(depth, -1), *(in_block.get(lv, -1) for lv in range(depth))])
        if before < 4 or before <= lead:
            trusted.update(range(start, end + 1))
            look(start + 1)  # in Markdown's eyes, the fence is one line (a placeholder)
            looked = end + 1
        else:
            malformed.append(start)
            neutralise.add(start)
    return frozenset(trusted), malformed, frozenset(neutralise)


# --- the scanner ----------------------------------------------------------------------------

_SCAN_RE = re.compile(r"<|`+|!\[|\]\(|\]:|\{")
_COMMENT_RE = re.compile(r"<!--(?!-?>)(?:[^-]|-(?!-))*+-{2,}>")
HIDDEN_MARKUP = "<!-- -->"
"""What a comment, processing instruction, declaration or CDATA section of a note becomes."""
_HIDDEN_KINDS = {
    "<!--": "HTML comment",
    "<?": "processing instruction",
    "<![CDATA[": "CDATA section",
    "<!": "declaration",
}


def hidden_markup_end(
    text: str, at: int, find: Callable[[str, int], int] | None = None
) -> int | None:
    """Where a browser ends the comment, processing instruction, declaration or CDATA section
    at ``at``, if CommonMark (0.31.2, §6.6) reads a whole one there; else None.

    A browser hides ``<!-->``, ``<!--->``, or ``<!--`` up to the first ``-->`` or ``--!>``;
    ``<?``, ``<!`` + letter and ``<![CDATA[`` up to the first ``>`` (outside SVG and MathML all
    three are bogus comments or a doctype to it). That is never past CommonMark's end
    (``-->``, ``?>``, ``>``, ``]]>``); what follows the browser's end up to CommonMark's is text.
    ``find`` is ``str.find`` over ``text`` (a memo of it keeps a scan linear).
    """

    def search(needle: str, start: int) -> int:
        return find(needle, start) if find is not None else text.find(needle, start)

    if text.startswith("<!--", at):
        if text.startswith(">", at + 4) or text.startswith("->", at + 4):
            return text.index(">", at + 4) + 1
        close = search("-->", at + 4)
        if close < 0:
            return None
        early = search("--!>", at + 4)
        return early + 4 if 0 <= early < close else close + 3
    if text.startswith("<![CDATA[", at):
        close = search("]]>", at + 9)
    elif text.startswith("<?", at):
        close = search("?>", at + 2)
    elif (
        text.startswith("<!", at)
        and text[at + 2 : at + 3].isascii()
        and text[at + 2 : at + 3].isalpha()
    ):
        close = search(">", at + 3)
    else:
        return None
    if close < 0:
        return None
    return search(">", at + 2) + 1


def _hidden_kind(markup: str) -> str:
    return next(kind for start, kind in _HIDDEN_KINDS.items() if markup.startswith(start))


def _at_line_start(text: str, at: int) -> bool:
    """Up to three blanks before ``at`` on its line: where Python-Markdown reads a raw HTML
    block. (In running text it shows a declaration as text; comments, processing
    instructions and CDATA sections are inline HTML to it too.)"""
    start = text.rfind("\n", 0, at) + 1
    return at - start <= 3 and not text[start:at].strip()


# Python-Markdown's autolinks (it turns them into links, escaping what is inside).
# What Python-Markdown passes through as inline HTML (its HTML_RE).
_MARKDOWN_HTML_RE = re.compile(r"</?[a-zA-Z][^<>@ ]*+(?: [^<>]*+)?+>")
_MARKDOWN_IMAGE_RE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\\\n]|\\.)*+)\]\([ \t]*+"
    r"(?P<src><[^<>\n]*+>|(?:[^\s()<>]|\([^\s()<>]*+\))++)"
    r"(?:[ \t]++(?P<title>\"[^\"\n]*+\"|'[^'\n]*+'))?+[ \t]*+\)"
)
_ANGLE_WITH_VALUE_RE = re.compile(r"[^<>]*=")
_LINK_TARGET_RE = re.compile(r"\]\([ \t]*+\n?[ \t]*+<?|\]:[ \t]*+\n?[ \t]*+<?")
_ATTR_PAIR_RE = re.compile(
    r"""(?P<key>[^\s=}{"']+)[ \t]*=[ \t]*(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s}"']+)"""
)
_MARKDOWN_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*(?=\n)")
ATTR_LIST_LIMIT = 500
# What attr_list reads as an attribute list (its own pattern, so an upgrade is followed).
_ATTR_LIST_RE = re.compile(AttrListTreeprocessor.BASE_RE)


def trusted_code_spans(text: str) -> dict[int, int]:
    """Start → end of each code span that Python-Markdown is certain to see as code.

    Spans are paired by markdown_syntax.code_spans over each paragraph (blank-line separated).
    Markdown may cut a paragraph into several inline runs (list items, quotes, a fence's
    placeholder), but only at line starts: so when no span of the paragraph runs over a line
    end, each run pairs its backticks the same way. Otherwise no span of the paragraph counts.
    """
    spans: dict[int, int] = {}
    start = 0
    for stop in [m.start() for m in _BLANK_LINE_RE.finditer(text)] + [len(text)]:
        spans.update(_paragraph_spans(text, start, stop))
        start = stop
    return spans


def _paragraph_spans(text: str, start: int, stop: int) -> dict[int, int]:
    paragraph = text[start:stop]
    if "`" not in paragraph:
        return {}
    found = code_spans(paragraph)
    if any("\n" in paragraph[a:b] for a, b in found):
        return {}
    return {start + a: start + b for a, b in found}


class _Scanner:
    """Rewrites one run of text (no recognised fence inside); keeps every newline."""

    def __init__(self, heading: bool = False, trust_code: bool = True) -> None:
        self.heading = heading
        self.trust_code = trust_code
        self.open: list[tuple[str, int]] = []
        """Allowed elements opened and not yet closed, with their line (across a section's runs)."""
        self.findings: list[Finding] = []
        self.line_of: Callable[[int], int] = lambda offset: 0
        self._span_starts: list[int] = []

    def _find(self, offset: int, code: str, message: str, hint: str | None = None) -> None:
        severity = Severity.WARNING if code == UNSAFE else Severity.INFO
        self.findings.append(Finding(offset, severity, code, message, hint))

    def _code_starts_in(self, start: int, end: int) -> bool:
        at = bisect_left(self._span_starts, start)
        return at < len(self._span_starts) and self._span_starts[at] < end

    def run(self, text: str) -> str:
        spans = trusted_code_spans(text) if self.trust_code else {}
        self._span_starts = sorted(spans)
        self._no_close_after: dict[str, int] = {}
        self._found: dict[str, tuple[int, int]] = {}
        out: list[str] = []
        pos = 0
        while True:
            match = _SCAN_RE.search(text, pos)
            if match is None:
                out.append(text[pos:])
                break
            at = match.start()
            out.append(text[pos:at])
            replacement, pos = self._token(text, match, spans)
            removed = text[at:pos]
            if replacement == removed:
                out.append(removed)
            else:
                # A replacement never adds or loses a line: the removed newlines follow it.
                out.append(replacement.replace("\n", " ") + "\n" * removed.count("\n"))
        return "".join(out)

    def _token(self, text: str, match: re.Match[str], spans: dict[int, int]) -> tuple[str, int]:
        at, token = match.start(), match[0]
        if token[0] == "`":
            end = spans.get(at)
            if end is not None and not self.open:
                return text[at:end], end
            return token, match.end()
        if token == "<":
            return self._angle(text, at)
        if token == "![":
            return self._image(text, at)
        if token == "{":
            return self._attribute_list(text, at)
        return self._link_target(text, at)

    def _find_after(self, text: str, needle: str, start: int) -> int:
        """``text.find(needle, start)``, remembering the last answer per needle: the scan moves
        forward, so a search never runs again over text an earlier one has seen."""
        known = self._found.get(needle)
        if known is not None:
            searched_from, found = known
            if searched_from <= start and (found < 0 or start <= found):
                return found
        found = text.find(needle, start)
        self._found[needle] = (start, found)
        return found

    # `<`: comments, autolinks, tags, the rest escaped
    def _angle(self, text: str, at: int) -> tuple[str, int]:
        if not self.heading and text.startswith(("<!", "<?"), at):
            end = hidden_markup_end(text, at, lambda n, s: self._find_after(text, n, s))
            kind = _hidden_kind(text[at:end]) if end is not None else ""
            if end is not None and (kind != "declaration" or _at_line_start(text, at)):
                markup = text[at:end]
                if markup != HIDDEN_MARKUP:
                    self._find(
                        at,
                        NOT_ALLOWED,
                        f"{kind} left out of the page (a browser does not show it)",
                    )
                return HIDDEN_MARKUP, end
        comment = _COMMENT_RE.match(text, at)
        if comment:
            # Where Markdown sees no comment (`[<!-- ](x) <script> -->`, a blank line inside),
            # what is inside it would be HTML: a comment shows nothing anyway, so it goes.
            self._find(at, NOT_ALLOWED, "removed HTML comment (a comment is not shown anyway)")
            return "", comment.end()
        if not self.open:
            link = MARKDOWN_AUTOLINK_RE.match(text, at)
            if link and link["scheme"].lower() not in _NOT_LINKED_SCHEMES:
                return link[0], link.end()
            spaced = PYTHON_MARKDOWN_AUTOLINK_RE.match(text, at) if link is None else None
            if spaced and link_url_allowed(spaced["url"]):
                # Python-Markdown links `<https://a b>` too, but where it makes no link a
                # browser would read attributes after the blank: the link is written as HTML.
                return _autolink_html(spaced["url"]), spaced.end()
            mail = MARKDOWN_AUTOMAIL_RE.match(text, at)
            if mail:
                return mail[0], mail.end()
            uri = URI_AUTOLINK_RE.match(text, at)
            if uri and uri["scheme"].lower() not in _NOT_LINKED_SCHEMES:
                # Python-Markdown does not link it (it would pass it on as a tag): its URL.
                return escape_markdown(uri["url"]), uri.end()
        tag = _TAG_RE.match(text, at)
        if tag:
            if self._code_starts_in(at + 1, tag.end()):
                # Markdown pairs backticks first: a code span breaks this tag (`<a href="`">`).
                return "&lt;", at + 1
            return self._tag(text, tag)
        if self.heading:
            # A title is inline text: Markdown escapes a `<` that does not start its HTML.
            escape = _MARKDOWN_HTML_RE.match(text, at) is not None
        else:
            following = text[at + 1 : at + 2]
            escape = (following.isascii() and following.isalpha()) or following in ("/", "!", "?")
        return ("&lt;" if escape else "<"), at + 1

    def _tag(self, text: str, tag: re.Match[str]) -> tuple[str, int]:
        at, name, closing = tag.start(), tag["name"].lower(), bool(tag["close"])
        if name in TEXT_CONTENT_TAGS and not closing:
            return self._text_content(text, name, tag)
        if name in UNSAFE_CONTENT_TAGS:
            if closing:
                return "", tag.end()
            end = self._content_end(text, name, tag.end())
            what = "and its content " if end > tag.end() else "(never closed) "
            self._find(at, UNSAFE, f"removed <{name}> element {what}".rstrip())
            return "", end
        if name in UNSAFE_TAGS:
            if not closing:
                self._find(at, UNSAFE, f"removed <{name}> tag")
            return "", tag.end()
        if name in ALLOWED_TAGS:
            if closing:
                if name in VOID_TAGS:
                    return "", tag.end()
                # Only this element closes: Markdown's raw HTML block started by an element
                # inside it (`<details><div></details>`) is still open.
                for index in range(len(self.open) - 1, -1, -1):
                    if self.open[index][0] == name:
                        del self.open[index]
                        break
                return f"</{name}>", tag.end()
            cleaned, removed = clean_start_tag(name, tag[0])
            for code, message in removed:
                self._find(at, code, message)
            if cleaned is not None and name not in VOID_TAGS and not self.heading:
                self.open.append((name, self.line_of(at)))
            return cleaned or "", tag.end()
        if name in HTML_ELEMENTS:
            if not closing:
                self._find(
                    at, NOT_ALLOWED, f"removed <{name}> tag (not in the HTML allowlist), text kept"
                )
            return "", tag.end()
        if self.heading and not tag["attrs"].strip(" \t\n/"):
            return tag[0], tag.end()  # `<EOS>` in a title: emit escapes titles
        return "&lt;", at + 1

    def _text_content(self, text: str, name: str, tag: re.Match[str]) -> tuple[str, int]:
        """A ``<textarea>``'s content as the text a browser shows in it (its tags and
        character references are text: RCDATA), on one line; the element's tags go."""
        end = self._content_end(text, name, tag.end())
        close = re.compile(rf"</{name}", re.IGNORECASE).search(text, tag.end(), end)
        content = text[tag.end() : close.start() if close else end]
        self._find(tag.start(), NOT_ALLOWED, f"removed <{name}> tags, its text shown as text")
        shown = html.unescape(" ".join(content.split()))
        # Inside an open raw HTML block Markdown does not run: only HTML is escaped there.
        return (html.escape(shown, quote=False) if self.open else escape_markdown(shown)), end

    def _content_end(self, text: str, name: str, start: int) -> int:
        if self._no_close_after.get(name, len(text) + 1) <= start:
            return start
        close = re.compile(rf"</{name}(?=[\s/>]|\Z)[^>]*+>?", re.IGNORECASE).search(text, start)
        if close is None:
            self._no_close_after[name] = start
            return start
        return close.end()

    # `![alt](src "title")`: remote → <img loading=lazy>; script URL → scheme removed
    def _image(self, text: str, at: int) -> tuple[str, int]:
        image = _MARKDOWN_IMAGE_RE.match(text, at)
        if image is None:
            return "!", at + 1
        src = image["src"].strip("<>")
        if not link_url_allowed(src):
            bracket = at + 2 + len(image["alt"])
            target, end = self._link_target(text, bracket)
            return text[at:bracket] + target, end
        if "<" in image["alt"] or "<" in (image["title"] or "") or self.heading:
            # where Markdown sees no image, its text would be HTML: look at it; a title is
            # text (emit escapes a concept's title), not the place for an <img>
            return "!", at + 1
        if not is_web_url(src):
            return image[0], image.end()
        alt = _MARKDOWN_ESCAPE_RE.sub(r"\1", image["alt"])
        title = image["title"]
        tag = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}"'
        if title:
            tag += f' title="{html.escape(title[1:-1])}"'
        cleaned, removed = clean_start_tag("img", tag + ">")
        for code, message in removed:
            self._find(at, code, message)
        # An attribute list after it (`{ width=300 }`) is text, as everywhere in a note.
        return cleaned or "", image.end()

    # `](target` and `]: target`: one URL policy, link_url_allowed
    def _link_target(self, text: str, at: int) -> tuple[str, int]:
        target = _LINK_TARGET_RE.match(text, at)
        if target is None:
            return text[at], at + 1
        start = target.end()
        if target[0].endswith("<") and (
            self.open
            or _ANGLE_WITH_VALUE_RE.match(text, start)
            or ((tag := _TAG_RE.match(text, start - 1)) and tag["name"].lower() in HTML_ELEMENTS)
        ):
            # `](<script>`: what a browser may read as an element, or as a tag with attribute
            # values, is looked at as one; `](<a b.png>)` stays a target
            start -= 1
        scheme, _ = _scheme_end(text, start)
        if scheme is not None and scheme not in LINK_SCHEMES:
            # markdown_guard turns the link into its text: Markdown decides where the target
            # ends (`javascript:alert('x')` ends at `(`), which a second guess here would not.
            dangerous = scheme in SCRIPT_SCHEMES or scheme == "data"
            self._find(
                at,
                UNSAFE if dangerous else LINK_URL,
                f"link to a `{scheme}:` URL is shown as its text, without the link",
                LINK_URL_HINT,
            )
        return text[at:start], start

    # `{ .class #id key=value }`: shown as text (markdown_guard keeps attr_list off it)
    def _attribute_list(self, text: str, at: int) -> tuple[str, int]:
        end = _attribute_list_end(text, at)
        if end is None:
            return "{", at + 1
        inner = text[at + 1 : end]
        if not self.heading and _ATTR_LIST_RE.match(text, at, end + 1):
            keys = [pair["key"].lower() for pair in _ATTR_PAIR_RE.finditer(inner)]
            active = (
                any(re.fullmatch(r"on[a-z]+", k) or k in ("style", "id") for k in keys)
                or re.search(r"(?:^|[\s{:])#", "{" + inner) is not None
            )
            self._find(
                at,
                UNSAFE if active else ATTRIBUTES,
                f"attribute list `{{{_shortened(inner)}}}` is shown as text",
                ATTRIBUTES_HINT,
            )
        # Where Markdown sees no attribute list, a tag inside it would be HTML: shown as text.
        return "{" + inner.replace("<", "&lt;") + "}", end + 1


_AUTOLINK_TEXT_SPECIALS_RE = re.compile(r"[^A-Za-z0-9/.-]")


def _autolink_html(url: str) -> str:
    """The link Python-Markdown makes of ``<url>``, as HTML: every character of its text but
    letters, digits and ``/.-`` a character reference, so that Markdown reads nothing in it
    and no later rule finds a URL in it to link again."""
    shown = _AUTOLINK_TEXT_SPECIALS_RE.sub(lambda m: f"&#{ord(m[0])};", url)
    return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _attribute_list_end(text: str, at: int) -> int | None:
    """Offset of the `}` closing the attribute list at ``at`` (same line, quotes skipped)."""
    quote = ""
    limit = min(len(text), at + ATTR_LIST_LIMIT)
    for i in range(at + 1, limit):
        char = text[i]
        if char == "\n":
            return None
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "}":
            return i
        elif char == "{":
            return None
    return None


# --- entry points ---------------------------------------------------------------------------


def _diagnostic(path: str, line: int, finding: Finding) -> Diagnostic:
    hint = finding.hint or (UNSAFE_HINT if finding.code == UNSAFE else NOT_ALLOWED_HINT)
    return Diagnostic(Span(path, line), finding.severity, finding.code, finding.message, hint)


MAX_PASSES = 8
"""Sanitizing passes before a section falls back to :func:`_defused` (none has needed > 3)."""


def sanitize_heading(text: str, span: Span) -> tuple[str, tuple[Diagnostic, ...]]:
    """A heading's title: only what Markdown would pass on as HTML is touched.

    Repeated until nothing changes (see :func:`sanitize_body`).
    """
    diagnostics: list[Diagnostic] = []
    for _ in range(MAX_PASSES):
        if not any(c in text for c in "<]{"):
            break
        scanner = _Scanner(heading=True)
        cleaned = scanner.run(text)
        _add_new(diagnostics, [_diagnostic(span.path, span.line, f) for f in scanner.findings])
        if cleaned == text:
            break
        text = cleaned
    else:
        text = text.replace("<", "&lt;")
    return text, tuple(diagnostics)


def sanitize_body(
    lines: Sequence[Line], path: str
) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """A section's body with its raw HTML sanitized (recognised fences and code spans kept).

    What is code is decided on the text Markdown will see, so the passes repeat until the text
    no longer changes: a removal can itself change what is code (``<script>…</script>````
    leaves a fence; a backtick removed with a ``<script>`` re-pairs the others), and the text
    of a section is only trusted once a pass over it finds nothing left to do.
    """
    diagnostics: list[Diagnostic] = []
    current = tuple(lines)
    for _ in range(MAX_PASSES):
        out, found = _sanitize_pass(current, path)
        _add_new(diagnostics, found)
        if out == current:
            return out, tuple(diagnostics)
        current = out
    out, found = _defused(current, path)
    _add_new(diagnostics, found)
    return out, tuple(diagnostics)


def _add_new(diagnostics: list[Diagnostic], found: Sequence[Diagnostic]) -> None:
    """Append ``found``; a later pass repeats no diagnostic an earlier pass gave."""
    if not diagnostics:
        diagnostics.extend(found)
        return
    seen = set(diagnostics)
    diagnostics.extend(d for d in found if d not in seen)


def _defused(lines: Sequence[Line], path: str) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """The last resort for a section whose passes never settle: nothing in it is code.

    One pass that trusts no code removes what is unsafe; then every ``<`` is escaped, every
    backtick too and every fence-like line is neutralised, so Markdown sees neither HTML nor
    code in the section (an indented line may still be code: it then shows ``&lt;``).
    """
    if not lines:
        return (), ()
    scanner = _Scanner(trust_code=False)
    first = lines[0].number
    scanner.line_of = lambda offset: first
    text = scanner.run("\n".join(ln.text for ln in lines))
    text = re.sub(r"(?<!\\)`", r"\\`", text).replace("<", "&lt;")
    texts = [_neutralised(t) for t in text.split("\n")]
    diagnostics = [_diagnostic(path, first, f) for f in scanner.findings]
    diagnostics.append(
        Diagnostic(
            Span(path, first),
            Severity.WARNING,
            UNSAFE,
            "could not tell raw HTML from code in this section; all of it is shown as text",
            UNSAFE_HINT,
        )
    )
    out = tuple(Line(ln.number, t) for ln, t in zip(lines, texts, strict=True))
    return out, tuple(diagnostics)


def _sanitize_pass(
    lines: Sequence[Line], path: str
) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """One pass: what is code is decided on ``lines`` as they are."""
    fences, malformed, neutralise = trusted_fence_lines(lines)
    # Indented code is shown as written by Markdown: left as it is (`    <a/>`).
    trusted = fences | indented_code_lines([ln.text for ln in lines], fences)
    diagnostics = [
        Diagnostic(
            Span(path, lines[index].number),
            Severity.WARNING,
            "malformed-fence",
            "code fence is not one Markdown recognises; shown as text",
            "a fence must not follow a line indented 4 spaces or more deeper than it (Markdown "
            "reads that as indented code)",
        )
        for index in malformed
    ]
    texts = [_not_an_opener(ln.text) if i in neutralise else ln.text for i, ln in enumerate(lines)]
    scanner = _Scanner()
    i = 0
    while i < len(lines):
        if i in trusted:
            i += 1
            continue
        j = i
        while j < len(lines) and j not in trusted:
            j += 1
        text = "\n".join(texts[i:j])
        if any(c in text for c in "<]{"):
            starts = [0]
            for k in range(i, j - 1):
                starts.append(starts[-1] + len(texts[k]) + 1)

            def line_of(offset: int, first: int = i, starts: list[int] = starts) -> int:
                return lines[first + bisect_right(starts, offset) - 1].number

            scanner.findings = []
            scanner.line_of = line_of
            rewritten = scanner.run(text).split("\n")
            assert len(rewritten) == j - i, "the scanner must keep every line"
            texts[i:j] = rewritten
            for finding in scanner.findings:
                diagnostics.append(_diagnostic(path, line_of(finding.offset), finding))
        i = j
    out = tuple(
        ln if text == ln.text else Line(ln.number, text)
        for ln, text in zip(lines, texts, strict=True)
    )
    if scanner.open and lines:
        # Left open, a raw HTML block would swallow the rest of the page, code spans and all.
        diagnostics.extend(
            Diagnostic(
                Span(path, line),
                Severity.INFO,
                "unclosed-html",
                f"<{name}> is never closed; closed at the end of the section",
                "close every HTML element you open",
            )
            for name, line in scanner.open
        )
        closing = "".join(f"</{name}>" for name, _ in reversed(scanner.open))
        out = (*out, Line(lines[-1].number, closing))
    return out, tuple(diagnostics)


# --- the rendered page: a second line of defence -------------------------------------------

# What a browser may run or load from a page's content. KaTeX's `<svg>` and MathML `<math>` are
# not here (their hazards are their attributes and the elements below); SVG's animation
# elements are, as they can set an `href` to a script URL.
RENDERED_UNSAFE_ELEMENTS = (
    UNSAFE_CONTENT_TAGS
    | UNSAFE_TAGS
    | _words("animate animatemotion animatetransform set handler listener discard")
) - {"svg", "math"}
RENDERED_URL_ATTRIBUTES = URL_ATTRIBUTES | {"codebase", "srcdoc", "dynsrc", "lowsrc"}
DISABLED_ATTRIBUTE_PREFIX = "data-gb-unsafe-"
"""Put before the name of an attribute that would run a script: the attribute is then inert."""

# A start or end tag as a browser's tokenizer reads it (WHATWG HTML §13.2.5): the name runs to
# whitespace, `/` or `>`; attributes are separated by whitespace or `/` (or nothing after a
# quoted value); a tag the content does not close runs into what follows it, so the end of the
# content ends it too. Possessive throughout: it never backtracks.
_WS = "\t\n\f\r "
_BROWSER_TAG_RE = re.compile(
    rf"<(?P<close>/?+)(?P<name>[A-Za-z][^{_WS}/>]*+)"
    rf"(?P<attrs>(?:[{_WS}/]*+[^{_WS}/>][^{_WS}/>=]*+"
    rf"(?:[{_WS}]*+=[{_WS}]*+(?:\"[^\"]*+\"?+|'[^']*+'?+|[^{_WS}>]++))?+)*+)"
)
_BROWSER_ATTRIBUTE_RE = re.compile(
    rf"[{_WS}/]*+(?P<name>[^{_WS}/>][^{_WS}/>=]*+)"
    rf"(?:[{_WS}]*+=[{_WS}]*+(?P<value>\"[^\"]*+\"?+|'[^']*+'?+|[^{_WS}>]++))?+"
)
_TAG_START_RE = re.compile(r"</?+[A-Za-z]")
# Each `<` consumed alone and the rest of its tag captured ahead: overlapping tags, and the
# search skips to each `<` at C speed.
_EVERY_TAG_RE = re.compile(
    "<(?=({}))".format(re.sub(r"\(\?P<\w+>", "(?:", _BROWSER_TAG_RE.pattern[1:]))
)
_SAFE_TAG: tuple[str | None, tuple[tuple[int, str], ...]] = (None, ())
_UNSAFE_STYLE_RE = re.compile(
    r"expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding", re.I
)


def defuse_rendered_html(markup: str) -> tuple[str, tuple[str, ...]]:
    """A page's rendered HTML with anything a browser would run made inert, and what was.

    The second line of defence behind :func:`sanitize_body`: meant for the HTML that Markdown
    made of a generated page (MkDocs' ``on_page_content``), where nothing active should be
    left; each thing it finds is a sanitizer bug to report. It rewrites only what it finds, so
    a page without any (KaTeX's spans, SVG and MathML, pygments, tables, anchors, our
    placeholders) comes back as the very same string:

    * the ``<`` of a ``<script>``, ``<style>``, ``<iframe>``, ``<object>``, ``<meta>``, … tag
      becomes ``&lt;`` (the tag shows as text);
    * an event handler (``on…=``), a ``javascript:``/``vbscript:`` URL or a ``data:`` URL (but
      an image's) and a style that runs script get :data:`DISABLED_ATTRIBUTE_PREFIX` before
      their name.

    Every ``<`` that starts a tag is looked at, even inside another tag's attribute or a
    comment: where the browser reads that differently, an edit there is harmless, and none is
    missed. Both kinds of edit keep every tag's extent, so they cannot make a new tag.
    """
    if "<" not in markup:
        return markup, ()
    # Every tag at once (overlapping: a lookahead at each `<`), judged once per distinct tag;
    # their places are looked up only when one is unsafe.
    if not any(
        _tag_findings("<" + rest) != _SAFE_TAG for rest in set(_EVERY_TAG_RE.findall(markup))
    ):
        return markup, ()
    escapes: set[int] = set()
    inserts: set[int] = set()
    problems: list[str] = []
    for start in _TAG_START_RE.finditer(markup):
        tag = _BROWSER_TAG_RE.match(markup, start.start())
        if tag is None:  # pragma: no cover - _TAG_START_RE guarantees a name
            continue
        # A page repeats a few hundred distinct tags (KaTeX's spans) thousands of times.
        unsafe_element, unsafe_attributes = _tag_findings(tag[0])
        if unsafe_element:
            if tag.start() not in escapes:
                escapes.add(tag.start())
                problems.append(unsafe_element)
            continue
        for offset, why in unsafe_attributes:
            if tag.start() + offset not in inserts:
                inserts.add(tag.start() + offset)
                problems.append(why)
    if not problems:
        return markup, ()
    out: list[str] = []
    pos = 0
    for at in sorted(escapes | inserts):
        out.append(markup[pos:at])
        if at in escapes:
            out.append("&lt;")
            pos = at + 1
        else:
            out.append(DISABLED_ATTRIBUTE_PREFIX)
            pos = at
    out.append(markup[pos:])
    return "".join(out), tuple(problems)


@lru_cache(maxsize=1 << 16)  # a site links to each of its pages: 10,000 `<a href>` tags
def _tag_findings(tag_text: str) -> tuple[str | None, tuple[tuple[int, str], ...]]:
    """For one tag as :data:`_BROWSER_TAG_RE` matched it: the problem if the element is
    unsafe, else each unsafe attribute's problem at its name's offset in the tag."""
    tag = _BROWSER_TAG_RE.match(tag_text)
    assert tag is not None
    name = tag["name"].lower()
    if name in RENDERED_UNSAFE_ELEMENTS:
        return f"<{tag['close']}{name}> tag shown as text", ()
    if tag["close"]:
        return None, ()  # a browser ignores an end tag's attributes
    found = []
    for attribute in _BROWSER_ATTRIBUTE_RE.finditer(tag_text, tag.start("attrs"), tag.end()):
        why = _unsafe_attribute(name, attribute["name"].lower(), attribute["value"] or "")
        if why:
            found.append((attribute.start("name"), f"{why} on <{name}> disabled"))
    return None, tuple(found)


def _unsafe_attribute(tag: str, key: str, value: str) -> str | None:
    """Why a browser would run something from this attribute, or None."""
    if re.match(r"on[a-z]", key):
        return f"event handler `{key}`"
    if value[:1] in "\"'":
        value = value[1:-1] if len(value) >= 2 and value[-1] == value[0] else value[1:]
    if key in RENDERED_URL_ATTRIBUTES:
        scheme = url_scheme(value)
        if scheme in SCRIPT_SCHEMES or (scheme == "data" and (tag, key) != ("img", "src")):
            return f"`{scheme}:` URL in `{key}`"
    if key == "style" and _UNSAFE_STYLE_RE.search(html.unescape(value)):
        return "script in `style`"
    return None
