"""What the plugin assumes of the Material theme, in one place, checked against one version.

The pages are rendered by mkdocs-material. The Python side depends on it only here: the notices
the plugin writes into pages are Material admonitions (``admonition failure``, styled by the
theme). The browser side (glossary_build/assets/search/search.js and graph/graph.js) uses
Material's header markup for the search box, its ``document$`` observable for instant
navigation and its colour scheme attribute; those scripts are tested in Chromium against the
real site. ``MATERIAL_CHECKED`` is the version all of that was checked against; a test fails when
the installed Material is another, so that an upgrade is looked at, not discovered by readers.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from ..types import Diagnostic

__all__ = ["MATERIAL_CHECKED", "problems_notice", "render_failure_notice"]

MATERIAL_CHECKED = "9.8.2"
"""The mkdocs-material version the theme-specific markup and scripts were checked against."""


def problems_notice(problems: Iterable[Diagnostic]) -> str:
    """An admonition listing ``problems`` (raw HTML, every piece of it escaped: messages
    quote the note)."""
    items = "".join(
        f"<li><code>{html.escape(str(p.span))}</code> {html.escape(p.severity.value)}: "
        f"{html.escape(p.message)}" + (f" ({html.escape(p.hint)})" if p.hint else "") + "</li>"
        for p in problems
    )
    return (
        '<div class="admonition failure gb-problems">\n'
        '<p class="admonition-title">这篇笔记有问题 / Problems in this note '
        "(shown by <code>mkdocs serve</code> only)</p>\n"
        f"<ul>{items}</ul>\n</div>\n"
    )


def render_failure_notice(error: BaseException) -> str:
    """The admonition over a page whose Markdown could not be rendered."""
    return (
        '<div class="admonition failure gb-problems"><p class="admonition-title">'
        f"Markdown could not render this page ({html.escape(type(error).__name__)})"
        "</p></div>\n"
    )
