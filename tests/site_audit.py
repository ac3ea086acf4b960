"""An independent check of a built site: can anything a note wrote run, restyle or reach out?

It knows nothing of `glossary_build`: it reads what the site ships, every ``.html`` file with
html5lib (the WHATWG parsing algorithm, so it builds the tree a browser builds, raw-text and
RCDATA elements, foreign content and parse errors included) and every ``.json`` file with
:mod:`json` (the search index is text, and its page URLs must be the site's own paths).
What it reports:

* ``event-handler``: any ``on…`` attribute, anywhere;
* ``script``: a ``<script>`` that is not the theme's. The theme's are recognised by what they
  are, not by a copy of today's output: outside the page content, and either loaded from the
  site's own ``assets/javascripts/``, ``search/search.js`` (the search box) or
  ``graph/graph.js`` (the concept graph), or Material's
  JSON ``__config``, or an inline snippet of
  Material's ``__md_…`` storage helpers;
* ``element``: an element that runs, embeds, loads or submits something (``<iframe>``,
  ``<object>``, ``<style>``, ``<form>``, ``<base>``, …) inside a page's content, and any such element outside ``<head>`` in the theme's chrome;
* ``url``: a ``javascript:``/``vbscript:`` URL in any attribute that takes one, or a ``data:``
  URL anywhere except an image's ``src`` (the project's policy allows ``data:`` images);
* ``style``: a ``style`` attribute that a note could have written: allowed only on KaTeX's own
  spans (and then no ``url(``/``fixed``/``expression``) and, as the project's allowlist says,
  on ``<img>`` with ``zoom``/``width``/``height`` set to plain lengths;
* ``id``: an id that occurs twice on a page (a note's ``#__config`` clobbers the theme's), an
  ``__``-prefixed id inside the content (the theme's namespace; pymdownx.highlight's line
  anchors aside), or one of the ids the caller
  says a note tried to set;
* ``attribute``: a ``data-md-…`` attribute (Material's component hooks) inside the content;
* ``remote-img``: an image from another host that does not load lazily without a referrer;
* ``nul``, ``placeholder``: a NUL character, or a Python-Markdown placeholder
  (``\\x02wzxhzdk:N\\x03``) left in the output;
* ``secret``: a marker string (the content of a file outside the notes folder) in any file;
* ``url`` also: a search index page or concept graph node whose URL is not a path of the site;
* ``json``, ``xml``: a ``.json`` file, the theme's ``__config`` or a sitemap that does not
  parse (a sitemap's addresses are http(s), too).
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

import html5lib


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG = "{http://www.w3.org/2000/svg}"
MATHML = "{http://www.w3.org/1998/Math/MathML}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

# Attributes whose value a browser follows as a URL (HTML, SVG, MathML); `to`/`from`/`values`
# because SVG's <animate>/<set> can write an href.
URL_ATTRIBUTES = _words(
    """href src action formaction poster data background cite codebase longdesc lowsrc dynsrc
    ping manifest icon srcset imagesrcset xlink:href xml:base to from values"""
)
# Elements that run, embed, load, submit or restyle: never part of what a note may make.
ACTIVE_ELEMENTS = _words(
    """script style iframe frame frameset object embed applet base meta link form input button
    select textarea portal noscript template foreignObject animate set handler listener
    """
)
# The theme's chrome may carry these (the search form, the palette toggle's inputs, <head>).
CHROME_ELEMENTS = frozenset({"form", "input", "button", "label", "meta", "link", "script"})
HEAD_ONLY = frozenset({"meta", "link", "style", "base"})
BAD_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript", "mocha"})
# Material's theme scripts: its bundles live under assets/javascripts/; the site's search box
# is search/search.js, its concept graph graph/graph.js.
THEME_SCRIPT_SRC_RE = re.compile(
    r"^(?:\.\./)*(?:/)?(?:\./)?(?:assets/javascripts/[\w./-]+|search/search|graph/graph)\.js$"
)
# The same scripts as paths from the site's root (the map page, graph/, loads "graph.js").
OWN_SCRIPTS = frozenset({"search/search.js", "graph/graph.js"})
THEME_INLINE_RE = re.compile(r"__md_(?:scope|get|set|hash)|__tabbed_")
NOTE_MARKERS = ("gbevil", "alert(", "alert`")
IMG_STYLE_RE = re.compile(
    r"^\s*(?:(?:zoom|width|height)\s*:\s*[\d.]+\s*(?:%|px|em|rem)?\s*(?:;\s*|$))+$", re.I
)
KATEX_STYLE_BAD_RE = re.compile(
    r"url\s*\(|expression|fixed|absolute|sticky|inset|z-index|javascript|@import|\\|behavior",
    re.I,
)
# KaTeX's wrappers; its inner spans carry their own classes (where a broken page has cut them
# off their wrapper, the class still says what made them).
KATEX_CLASSES = _words(
    """katex katex-display katex-error katex-html base strut mord mbin mrel mop mopen mclose
    mpunct minner mspace vlist vlist-t vlist-t2 vlist-r vlist-s msupsub mfrac frac-line
    sizing reset-size1 mtight"""
)
# Material's namespace of ids, less what Markdown's extensions generate there
# (pymdownx.highlight's line anchors `__codelineno-<block>-<line>`).
THEME_ID_RE = re.compile(r"^__(?!codelineno-\d+-\d+$)")
PLACEHOLDER_RE = re.compile("\x02|\x03|wzxhzdk")
# Characters the URL parser strips before it reads a scheme (WHATWG URL: leading C0 controls
# and spaces, and every tab or newline anywhere).
_URL_STRIP_LEAD = "".join(chr(c) for c in range(0x21))
_URL_TABS_NEWLINES = re.compile("[\t\n\r]")
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Where on a page a finding is (said in its detail): which of the page's parts showed it.
PLACES = {
    "head": "head",
    "title": "title",
    "header": "header",
    "nav": "nav",
    "article": "content",
    "footer": "footer",
}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: {self.rule}: {self.detail}"


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in an attribute value (already entity-decoded)."""
    value = _URL_TABS_NEWLINES.sub("", value.lstrip(_URL_STRIP_LEAD))
    match = _SCHEME_RE.match(value)
    return match[1].lower() if match else None


def _urls(attribute: str, value: str) -> list[str]:
    if attribute in ("srcset", "imagesrcset"):
        return [c.strip().split(" ")[0] for c in value.split(",") if c.strip()]
    if attribute == "values":
        return value.split(";")
    return [value]


def _local(name: str) -> str:
    for namespace in (SVG, MATHML):
        if name.startswith(namespace):
            return name[len(namespace) :]
    return name


def _attribute_name(name: str) -> str:
    return "xlink:href" if name == XLINK_HREF else name.rsplit("}", 1)[-1].lower()


def _text(element: Element) -> str:
    return "".join(element.itertext())


def _snippet(element: Element) -> str:
    attributes = " ".join(f'{_attribute_name(k)}="{v}"' for k, v in element.attrib.items())
    text = _text(element)[:60]
    return f"<{_local(element.tag)} {attributes}>{text}"[:160]


class _Walker:
    def __init__(self, where: str, note_ids: Collection[str], fragment: bool) -> None:
        self.where = where
        self.note_ids = note_ids
        self.fragment = fragment
        self.findings: list[Finding] = []
        self.ids: Counter[str] = Counter()

        self.place = "fragment" if fragment else "page"

    def add(self, rule: str, detail: str) -> None:
        self.findings.append(Finding(self.where, rule, f"[{self.place}] {detail}"))

    def walk(self, element: Element, *, content: bool, katex: bool, head: bool) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # a comment or processing instruction
            return
        name = _local(tag)
        place = self.place
        if name in PLACES and not content:
            self.place = PLACES[name]
        elif "md-footer" in element.get("class", "").split():
            self.place = "footer"
        classes = element.get("class", "").split()
        content = content or name == "article"
        katex = katex or not KATEX_CLASSES.isdisjoint(classes)
        head = head or name == "head"
        self.check_element(element, name, content=content, katex=katex, head=head)
        for child in element:
            self.walk(child, content=content, katex=katex, head=head)
        self.place = place

    def check_element(
        self, element: Element, name: str, *, content: bool, katex: bool, head: bool
    ) -> None:
        for raw_name, value in element.attrib.items():
            attribute = _attribute_name(raw_name)
            if attribute.startswith("on"):
                self.add("event-handler", _snippet(element))
            if attribute in URL_ATTRIBUTES:
                self.check_urls(element, name, attribute, value)
            if attribute.startswith("data-md-") and (content or self.fragment):
                self.add(
                    "attribute", f"Material's hook {attribute} in content: {_snippet(element)}"
                )
            if attribute == "style":
                self.check_style(element, name, value, katex=katex)
            if attribute == "id":
                self.ids[value] += 1
                if value in self.note_ids:
                    self.add("id", f"id {value!r} set by a note: {_snippet(element)}")
                elif (content or self.fragment) and THEME_ID_RE.match(value):
                    self.add("id", f"theme-namespace id {value!r} in content: {_snippet(element)}")
        if name == "meta" and "refresh" in element.get("http-equiv", "").lower():
            target = element.get("content", "").partition("=")[2]
            if url_scheme(target.strip(" '\"")) in BAD_SCHEMES:
                self.add("url", _snippet(element))
        if name == "script":
            if content or self.fragment or not self.theme_script(element):
                self.add("script", _snippet(element))
        elif name in ACTIVE_ELEMENTS:
            chrome = not (content or self.fragment) and name in CHROME_ELEMENTS
            if not chrome or (name in HEAD_ONLY and not head):
                self.add("element", _snippet(element))
        elif name in HEAD_ONLY and not head:
            self.add("element", _snippet(element))
        src = element.get("src", "")
        remote = url_scheme(src) in ("http", "https") or src.startswith("//")
        private = (
            element.get("referrerpolicy") == "no-referrer" and element.get("loading") == "lazy"
        )
        if name == "img" and remote and not private:
            self.add("remote-img", _snippet(element))

    def check_urls(self, element: Element, name: str, attribute: str, value: str) -> None:
        for url in _urls(attribute, value):
            scheme = url_scheme(url)
            if scheme not in BAD_SCHEMES:
                continue
            if scheme == "data" and name == "img" and attribute == "src":
                continue  # the project's policy: data: images are allowed
            self.add("url", f"{attribute}={url[:80]!r} on {_snippet(element)}")

    def check_style(self, element: Element, name: str, value: str, *, katex: bool) -> None:
        if katex and not KATEX_STYLE_BAD_RE.search(value):
            return
        if name == "img" and IMG_STYLE_RE.match(value):
            return
        self.add("style", f"style={value[:80]!r} on {_snippet(element)}")

    def site_path(self, src: str) -> str:
        """``src`` as a path from the site's root, read from this page's folder."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.where), src))

    def theme_script(self, element: Element) -> bool:
        src = element.get("src")
        text = _text(element)
        if any(marker in (text + (src or "")).lower() for marker in NOTE_MARKERS):
            return False
        if src is not None:
            own = THEME_SCRIPT_SRC_RE.match(src) or self.site_path(src) in OWN_SCRIPTS
            return bool(own) and not text.strip()
        if element.get("type") == "application/json":
            if element.get("id") != "__config":
                return False
            try:
                config = json.loads(text)
            except ValueError:
                self.add("json", f"the theme's __config does not parse: {text[:80]!r}")
                return True  # reported once, as what it is
            return isinstance(config, dict) and "base" in config
        return bool(THEME_INLINE_RE.search(text))

    def finish(self) -> list[Finding]:
        for value, count in self.ids.items():
            if count > 1:
                self.add("id", f"id {value!r} occurs {count} times")
        return self.findings


def audit_html(
    markup: str, where: str, *, fragment: bool = False, note_ids: Collection[str] = ()
) -> list[Finding]:
    """Findings in one HTML document (or, ``fragment=True``, a string inserted as HTML)."""
    walker = _Walker(where, note_ids, fragment)
    if "\x00" in markup:
        walker.add("nul", f"NUL at offset {markup.index(chr(0))}")
    if PLACEHOLDER_RE.search(markup):
        at = PLACEHOLDER_RE.search(markup)
        assert at is not None
        walker.add("placeholder", repr(markup[max(0, at.start() - 30) : at.end() + 30]))
    if fragment:
        root = html5lib.parseFragment(markup, treebuilder="etree", namespaceHTMLElements=False)
    else:
        root = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    walker.walk(root, content=False, katex=False, head=False)
    return walker.finish()


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")


def audit_json(text: str, where: str, *, note_ids: Collection[str] = ()) -> list[Finding]:
    """Findings in a JSON file: it parses, holds no NUL, and the search index's page URLs are
    the site's own paths (its strings are text: the search box inserts them as text, which
    tests/test_search_browser.py checks in Chromium)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [Finding(where, "json", f"does not parse: {exc}")]
    findings = []
    # The site's own search index (pages) and concept graph (nodes): text only (the browser
    # inserts it as text); a record's URL, its first item, is a path of the site.
    for table in ("pages", "nodes"):
        records = data.get(table, []) if isinstance(data, dict) else []
        for i, record in enumerate(records if isinstance(records, list) else []):
            url = record[0] if isinstance(record, list) and record else None
            if isinstance(url, str) and (url_scheme(url) is not None or url.startswith("/")):
                findings.append(Finding(where, "url", f"{table}[{i}][0]={url[:80]!r}"))
    for path, string in _strings(data, ""):
        if "\x00" in string:
            findings.append(Finding(where, "nul", f"NUL in {path}"))
    return findings


def audit_sitemap(text: str, where: str) -> list[Finding]:
    """A sitemap parses as XML and lists only the site's own http(s) addresses."""
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        return [Finding(where, "xml", f"does not parse: {exc}")]
    return [
        Finding(where, "url", f"<loc>{loc.text!r}")
        for loc in root.iter()
        if loc.tag.endswith("loc") and url_scheme(loc.text or "") not in ("http", "https")
    ]


def _file_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="surrogateescape")


def audit_site(
    site_dir: Path, *, secrets: Iterable[str] = (), note_ids: Collection[str] = ()
) -> list[Finding]:
    """Every finding in a built site: its HTML and JSON files, and ``secrets`` in any file."""
    secrets = tuple(secrets)
    findings: list[Finding] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        where = path.relative_to(site_dir).as_posix()
        text = _file_text(path)
        for secret in secrets:
            if secret in text:
                findings.append(Finding(where, "secret", f"{secret!r} is published"))
        if path.suffix == ".html":
            findings.extend(audit_html(text, where, note_ids=note_ids))
        elif path.suffix == ".json":
            findings.extend(audit_json(text, where, note_ids=note_ids))
        elif path.name.endswith((".xml", ".xml.gz")):
            findings.extend(audit_sitemap(text, where))
    return findings


def summary(findings: Iterable[Finding], limit: int = 40) -> str:
    """Findings grouped by rule, a few of each: readable in a failed assertion."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule, found in sorted(by_rule.items()):
        lines.append(f"{rule}: {len(found)}")
        lines.extend(f"  {f}" for f in found[: max(1, limit // len(by_rule))])
    return "\n".join(lines)
