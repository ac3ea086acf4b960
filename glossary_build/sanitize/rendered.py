"""The rendered page, a second line of defence: anything active still in the HTML Markdown
made of a page is made inert and reported.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .policy import (
    SCRIPT_SCHEMES,
    UNSAFE_CONTENT_TAGS,
    UNSAFE_TAGS,
    URL_ATTRIBUTES,
    url_scheme,
    words,
)

# What a browser may run or load from a page's content. KaTeX's `<svg>` and MathML `<math>` are
# not here (their hazards are their attributes and the elements below); SVG's animation
# elements are, as they can set an `href` to a script URL.
RENDERED_UNSAFE_ELEMENTS = (
    UNSAFE_CONTENT_TAGS
    | UNSAFE_TAGS
    | words("animate animatemotion animatetransform set handler listener discard")
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


__all__ = [
    "DISABLED_ATTRIBUTE_PREFIX",
    "RENDERED_UNSAFE_ELEMENTS",
    "RENDERED_URL_ATTRIBUTES",
    "defuse_rendered_html",
]
