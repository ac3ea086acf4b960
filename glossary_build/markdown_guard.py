"""A Python-Markdown extension: a note's text can neither set attributes nor link to a script.

Two ways from Markdown syntax into an element's attributes stay open after the sanitizer has
reduced raw HTML to an allowlist, and this extension closes both in the element tree, where
Markdown's own decisions are visible (no second guess of its grammar):

* **attribute lists.** ``attr_list`` stays enabled for the markup the generator writes itself
  (``## … { .gb-version }``, ``## A { #letter-a }``), but it would equally apply
  ``段落{: style="position:fixed" }`` or ``{: #__config }`` from a note. Before attr_list runs,
  every ``{`` it could read is replaced by Markdown's own escape of ``{`` (a backslash-escaped
  ``\\{`` gives the same), which attr_list's patterns do not match and Markdown turns back into
  ``{`` at the end: the attribute list shows as the text the author typed. The one exception is
  an attribute list at the end of a heading made only of what the generator writes
  (:data:`OWN_CLASSES`, :data:`OWN_ATTRIBUTES`, :data:`OWN_ID_RE`).
* **link and image URLs.** A Markdown link or image whose URL fails
  :func:`~glossary_build.sanitize.link_url_allowed` (``javascript:``, ``data:``, ``vbscript:``,
  any scheme but http, https and mailto) loses its URL: a link becomes its text, an image its
  alt text. The sanitizer reports each such target with its note's path and line.

It also makes superfences' search for fence openers linear (:func:`linear_fence_openers`): a
line that starts with a long run of backticks and is no fence took it quadratic time, 2.6
minutes for one 60,000-backtick line.

The plugin registers the extension itself (``on_config``), so a site cannot lose it by editing
``markdown_extensions``.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

import pymdownx.superfences
from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor

from .sanitize import is_web_url, link_url_allowed

OWN_CLASSES = frozenset({"gb-version", "gb-backlinks", "gb-related"})
"""Classes emit.py puts on headings with an attribute list."""
OWN_ATTRIBUTES: dict[str, str] = {}
"""Other attributes emit.py puts on headings with an attribute list (name → value): none."""
OWN_ID_RE = re.compile(r"letter-[a-z0-9]+")
"""Ids emit.py gives the letters of the A–Z index."""

ESCAPED_BRACE = f"{util.STX}{ord('{')}{util.ETX}"
"""``{`` as Markdown's escape pattern stores ``\\{``: its unescape step restores the brace."""

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
GUARD_PRIORITY = 9
"""After ``prettify`` (10), before ``attr_list`` (8); inline patterns (20) have run."""


def own_attribute_list(attributes: str) -> bool:
    """Is this attribute list (attr_list's group 1, without braces) one the generator writes?"""
    parsed, remainder = get_attrs_and_remainder(attributes)
    if remainder or not parsed:
        return False
    for key, value in parsed:
        if key == ".":
            ok = value in OWN_CLASSES
        elif key == "id":
            ok = value is not None and OWN_ID_RE.fullmatch(value) is not None
        else:
            ok = OWN_ATTRIBUTES.get(key) == value
        if not ok:
            return False
    return True


def _neutralised(text: str, keep: tuple[int, int] | None = None) -> str:
    if "{" not in text:
        return text
    if keep is None:
        return text.replace("{", ESCAPED_BRACE)
    start, end = keep
    return _neutralised(text[:start]) + text[start:end] + _neutralised(text[end:])


class AttributeGuard(Treeprocessor):
    """Leaves attr_list only the attribute lists the generator wrote (see the module doc)."""

    def run(self, root: Element) -> None:
        """Drop every attribute the note's text set on an element; keep ours."""
        in_code: set[Element] = set()
        for pre in root.iter("pre"):
            in_code.update(pre.iter())
        for elem in root.iter():
            keep_text: tuple[int, int] | None = None
            keep_tail: tuple[Element, tuple[int, int]] | None = None
            if elem.tag in _HEADINGS:
                owner = elem[-1] if len(elem) else None
                last = owner.tail if owner is not None else elem.text
                found = AttrListTreeprocessor.HEADER_RE.search(last or "")
                if found and own_attribute_list(found.group(1)):
                    if owner is None:
                        keep_text = found.span()
                    else:
                        keep_tail = (owner, found.span())
            if elem.text and elem.tag != "code" and elem not in in_code:
                elem.text = _neutralised(elem.text, keep_text)
            for child in elem:
                if child.tail:
                    span = keep_tail[1] if keep_tail and keep_tail[0] is child else None
                    child.tail = _neutralised(child.tail, span)


class LinkGuard(Treeprocessor):
    """A Markdown link or image whose URL the scheme policy refuses becomes its text; a
    remote image loads lazily and sends no referrer, wherever Markdown made it (the
    sanitizer writes those attributes on the images of bodies, but not of a heading's
    ``#### ![x](https://…)``)."""

    def run(self, root: Element) -> None:
        """Remote images lazy, no referrer; a link or image whose URL could run script unlinked."""
        for img in root.iter("img"):
            if is_web_url(img.get("src", "")):
                img.set("loading", "lazy")
                img.set("referrerpolicy", "no-referrer")
        parents = {child: parent for parent in root.iter() for child in parent}
        refused = [
            elem
            for elem in root.iter()
            if (elem.tag == "a" and not link_url_allowed(elem.get("href", "")))
            or (elem.tag == "img" and not link_url_allowed(elem.get("src", "")))
        ]
        for elem in refused:
            parent = parents.get(elem)
            if parent is None:
                continue
            if elem.tag == "img":
                elem.text = elem.get("alt", "")
            _unwrap(parent, elem)


def _unwrap(parent: Element, elem: Element) -> None:
    """Replace ``elem`` by its text and children (the text around it stays)."""
    index = list(parent).index(elem)
    children = list(elem)
    pieces_before = elem.text or ""
    if index == 0:
        parent.text = (parent.text or "") + pieces_before
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + pieces_before
    parent.remove(elem)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    tail = elem.tail or ""
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif index == 0:
        parent.text = (parent.text or "") + tail
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail


_GREEDY_FENCE = "(?P<fence>~{3,}|`{3,})"
_POSSESSIVE_FENCE = "(?P<fence>~{3,}+|`{3,}+)"


def linear_fence_openers() -> None:
    """Replace superfences' opener pattern by the same pattern with a possessive fence run.

    On a line that starts with a run of backticks (or tildes) and is no fence, superfences'
    pattern tries every shorter fence, each time reading the rest of the line: quadratic in
    the run's length. Every shorter fence leaves a backtick after it that only the pattern's
    `unrecognized` branch can read, and superfences opens no fence on an unrecognized header
    unless `relaxed_headers` is on (the site leaves it off; tests/test_markdown_guard.py
    checks both, and that the two patterns agree on every header). So the possessive run
    gives the same fences, in linear time. The lines cannot be rewritten instead: such a line
    may be indented code, which shows what is written.
    """
    pattern = pymdownx.superfences.RE_NESTED_FENCE_START
    if _POSSESSIVE_FENCE in pattern.pattern:
        return
    if _GREEDY_FENCE not in pattern.pattern:
        raise RuntimeError(
            "pymdownx.superfences changed its fence pattern: update markdown_guard.py"
        )
    pymdownx.superfences.RE_NESTED_FENCE_START = re.compile(
        pattern.pattern.replace(_GREEDY_FENCE, _POSSESSIVE_FENCE, 1), pattern.flags
    )


class GuardExtension(Extension):
    """The guard as a Python-Markdown extension (added to every page by the plugin)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        """Register both guards after every other tree processor."""
        linear_fence_openers()
        md.treeprocessors.register(AttributeGuard(md), "glossary_attribute_guard", GUARD_PRIORITY)
        md.treeprocessors.register(LinkGuard(md), "glossary_link_guard", GUARD_PRIORITY + 0.5)


def makeExtension(**kwargs: Any) -> GuardExtension:  # noqa: N802 - Python-Markdown's API
    """The extension, as Python-Markdown loads one by its module name."""
    return GuardExtension(**kwargs)


__all__ = [
    "ESCAPED_BRACE",
    "GUARD_PRIORITY",
    "OWN_ATTRIBUTES",
    "OWN_CLASSES",
    "OWN_ID_RE",
    "AttributeGuard",
    "GuardExtension",
    "LinkGuard",
    "linear_fence_openers",
    "makeExtension",
    "own_attribute_list",
]
