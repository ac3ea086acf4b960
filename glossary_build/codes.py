"""Every diagnostic code the build can report, each with the one line a reader needs.

A code names a kind of problem, not one message: ``front-matter`` covers YAML that does not
parse and YAML nested too deep. Codes are what ``quiet:`` in mkdocs.yml lists, what
``glossary-build check`` prints, and what tests match on, so they never change spelling; a new
kind of problem gets a new member here, with its meaning, before any stage can report it.
"""

from __future__ import annotations

import enum

__all__ = ["MEANINGS", "Code", "unknown_codes"]


class Code(enum.StrEnum):
    """A diagnostic code; its value is the spelling users write in ``quiet:``."""

    NO_NOTES = "no-notes"
    UNREADABLE = "unreadable"
    HIDDEN_NOTE = "hidden-note"
    LINK_OUTSIDE = "link-outside"
    LINK_FOLDER = "link-folder"
    LINK_BROKEN = "link-broken"
    FILE_NAME = "file-name"
    NOT_UTF8 = "not-utf8"
    CONTROL_CHARACTER = "control-character"
    FRONT_MATTER = "front-matter"
    EMPTY_HEADING = "empty-heading"
    UNCLOSED_FENCE = "unclosed-fence"
    MALFORMED_FENCE = "malformed-fence"
    FENCE_ATTRIBUTES = "fence-attributes"
    TABLE_ROW = "table-row"
    MISSING_IMAGE = "missing-image"
    NESTING_DEPTH = "nesting-depth"
    UNSAFE_HTML = "unsafe-html"
    HTML_NOT_ALLOWED = "html-not-allowed"
    ATTRIBUTE_LIST = "attribute-list"
    LINK_URL = "link-url"
    UNCLOSED_HTML = "unclosed-html"
    UNTERMINATED_MATH = "unterminated-math"
    HEADING_LEVEL = "heading-level"
    EMPTY_CONCEPT = "empty-concept"
    ALIAS_CONFLICT = "alias-conflict"
    AMBIGUOUS_ALIAS = "ambiguous-alias"
    URL_MAP = "url-map"
    KATEX = "katex"
    BUILD_CRASH = "build-crash"


MEANINGS: dict[Code, str] = {
    Code.NO_NOTES: "the notes folder does not exist",
    Code.UNREADABLE: "a note could not be read from disk",
    Code.HIDDEN_NOTE: "a note whose name starts with '.' is not published",
    Code.LINK_OUTSIDE: "a symbolic link out of the notes folder is not followed",
    Code.LINK_FOLDER: "a symbolic link to a folder inside the notes folder is not walked twice",
    Code.LINK_BROKEN: "a symbolic link that points to nothing readable is skipped",
    Code.FILE_NAME: "a note's file name has undecodable bytes or no name before its extension",
    Code.NOT_UTF8: "bytes that are not UTF-8 were replaced by U+FFFD",
    Code.CONTROL_CHARACTER: "invisible control characters (such as NUL) were replaced by U+FFFD",
    Code.FRONT_MATTER: "the `---` front matter is not a plain YAML mapping; kept as text",
    Code.EMPTY_HEADING: "a heading with no title is kept as text",
    Code.UNCLOSED_FENCE: "a code fence never closes; its opening line is shown as text",
    Code.MALFORMED_FENCE: "a fence Markdown does not recognise is shown as text",
    Code.FENCE_ATTRIBUTES: "a code fence's attribute list set more than its language; left out",
    Code.TABLE_ROW: "a table row has more cells than its header; the extra `|` shows as text",
    Code.MISSING_IMAGE: "an image file is not beside the notes; a placeholder is shown",
    Code.NESTING_DEPTH: "lists, quotes, HTML or emphasis nested too deep were flattened",
    Code.UNSAFE_HTML: "raw HTML that could run script was shown as text",
    Code.HTML_NOT_ALLOWED: "raw HTML outside the allowlist was shown as text",
    Code.ATTRIBUTE_LIST: "a `{...}` attribute list was shown as typed: notes cannot set attributes",
    Code.LINK_URL: "a link or image URL with a scheme other than http, https or mailto",
    Code.UNCLOSED_HTML: "an HTML element never closes; it is closed at the end of its section",
    Code.UNTERMINATED_MATH: "a `$$` formula never closes; it is shown as text",
    Code.HEADING_LEVEL: "a heading at another level than the note's concepts is treated as one",
    Code.EMPTY_CONCEPT: "a concept heading has no text under it",
    Code.ALIAS_CONFLICT: "one concept is given different aliases in different notes",
    Code.AMBIGUOUS_ALIAS: "one name belongs to several concepts, so it links to none",
    Code.URL_MAP: "glossary-urls.json cannot be read; URLs are assigned afresh",
    Code.KATEX: "KaTeX could not render a formula; its TeX source is shown",
    Code.BUILD_CRASH: "building a note raised an error; that note is shown as plain text",
}


def unknown_codes(names: object) -> list[str]:
    """The entries of a ``quiet:`` list that name no code (non-strings included, as text)."""
    known = {code.value for code in Code}
    if not isinstance(names, list | tuple):
        return [repr(names)]
    return [str(name) for name in names if not isinstance(name, str) or name not in known]
