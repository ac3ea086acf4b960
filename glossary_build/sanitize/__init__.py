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

The package: :mod:`.policy` (the allowlist), :mod:`.trusted` (what is certainly code or
hidden), :mod:`.scanner` (the pass over a section), :mod:`.markdown` (entry points for note
text) and :mod:`.rendered` (the rendered page).
"""

from __future__ import annotations

from .markdown import sanitize_body, sanitize_heading
from .policy import (
    SCRIPT_SCHEMES,
    UNSAFE_CONTENT_TAGS,
    UNSAFE_TAGS,
    URL_ATTRIBUTES,
    clean_start_tag,
    is_web_url,
    link_url_allowed,
    url_scheme,
)
from .rendered import DISABLED_ATTRIBUTE_PREFIX, defuse_rendered_html
from .trusted import NO_OPENER_MARK, trusted_fence_lines

__all__ = [
    "DISABLED_ATTRIBUTE_PREFIX",
    "NO_OPENER_MARK",
    "SCRIPT_SCHEMES",
    "UNSAFE_CONTENT_TAGS",
    "UNSAFE_TAGS",
    "URL_ATTRIBUTES",
    "clean_start_tag",
    "defuse_rendered_html",
    "is_web_url",
    "link_url_allowed",
    "sanitize_body",
    "sanitize_heading",
    "trusted_fence_lines",
    "url_scheme",
]
