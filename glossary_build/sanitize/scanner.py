"""The Markdown-aware scanner: every ``<``, backtick run, image, link target and ``{`` of a
section's text, outside trusted code, looked at once and rewritten or reported.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable

from markdown.extensions.attr_list import AttrListTreeprocessor

from ..codes import Code
from ..markdown_syntax import (
    MARKDOWN_AUTOLINK_RE,
    MARKDOWN_AUTOMAIL_RE,
    PYTHON_MARKDOWN_AUTOLINK_RE,
    URI_AUTOLINK_RE,
)
from ..text import escape_markdown
from ..types import Severity
from .policy import (
    ALLOWED_TAGS,
    ATTRIBUTES,
    ATTRIBUTES_HINT,
    HTML_ELEMENTS,
    LINK_SCHEMES,
    LINK_URL,
    LINK_URL_HINT,
    NOT_ALLOWED,
    NOT_LINKED_SCHEMES,
    SCRIPT_SCHEMES,
    TAG_RE,
    TEXT_CONTENT_TAGS,
    UNSAFE,
    UNSAFE_CONTENT_TAGS,
    UNSAFE_TAGS,
    VOID_TAGS,
    Finding,
    clean_start_tag,
    is_web_url,
    link_url_allowed,
    scheme_end,
)
from .trusted import (
    COMMENT_RE,
    HIDDEN_MARKUP,
    at_line_start,
    hidden_kind,
    hidden_markup_end,
    trusted_code_spans,
)

_SCAN_RE = re.compile(r"<|`+|!\[|\]\(|\]:|\{")
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
ATTR_LIST_LIMIT = 500
# What attr_list reads as an attribute list (its own pattern, so an upgrade is followed).
_ATTR_LIST_RE = re.compile(AttrListTreeprocessor.BASE_RE)


class Scanner:
    """Rewrites one run of text (no recognised fence inside); keeps every newline."""

    def __init__(self, heading: bool = False, trust_code: bool = True) -> None:
        self.heading = heading
        self.trust_code = trust_code
        self.open: list[tuple[str, int]] = []
        """Allowed elements opened and not yet closed, with their line (across a section's runs)."""
        self.findings: list[Finding] = []
        self.line_of: Callable[[int], int] = lambda offset: 0
        self._span_starts: list[int] = []

    def _find(self, offset: int, code: Code, message: str, hint: str | None = None) -> None:
        severity = Severity.WARNING if code == UNSAFE else Severity.INFO
        self.findings.append(Finding(offset, severity, code, message, hint))

    def _code_starts_in(self, start: int, end: int) -> bool:
        at = bisect_left(self._span_starts, start)
        return at < len(self._span_starts) and self._span_starts[at] < end

    def run(self, text: str) -> str:
        """``text`` with its raw HTML reduced to the allowlist; what was found, in ``findings``."""
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
            kind = hidden_kind(text[at:end]) if end is not None else ""
            if end is not None and (kind != "declaration" or at_line_start(text, at)):
                markup = text[at:end]
                if markup != HIDDEN_MARKUP:
                    self._find(
                        at,
                        NOT_ALLOWED,
                        f"{kind} left out of the page (a browser does not show it)",
                    )
                return HIDDEN_MARKUP, end
        comment = COMMENT_RE.match(text, at)
        if comment:
            # Where Markdown sees no comment (`[<!-- ](x) <script> -->`, a blank line inside),
            # what is inside it would be HTML: a comment shows nothing anyway, so it goes.
            self._find(at, NOT_ALLOWED, "removed HTML comment (a comment is not shown anyway)")
            return "", comment.end()
        if not self.open:
            link = MARKDOWN_AUTOLINK_RE.match(text, at)
            if link and link["scheme"].lower() not in NOT_LINKED_SCHEMES:
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
            if uri and uri["scheme"].lower() not in NOT_LINKED_SCHEMES:
                # Python-Markdown does not link it (it would pass it on as a tag): its URL.
                return escape_markdown(uri["url"]), uri.end()
        tag = TAG_RE.match(text, at)
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
            or ((tag := TAG_RE.match(text, start - 1)) and tag["name"].lower() in HTML_ELEMENTS)
        ):
            # `](<script>`: what a browser may read as an element, or as a tag with attribute
            # values, is looked at as one; `](<a b.png>)` stays a target
            start -= 1
        scheme, _ = scheme_end(text, start)
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


__all__ = [
    "ATTR_LIST_LIMIT",
    "Scanner",
]
