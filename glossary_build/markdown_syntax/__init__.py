"""Markdown syntax as the site's renderer reads it, decided in one place.

The site renders with Python-Markdown and pymdownx.superfences (mkdocs.yml). Every stage that
must know what is code — parse.py (a ``#`` line in a fence is no heading), normalize/,
sanitize/ (code is left verbatim, so a wrong guess lets a ``<script>`` through), math.py —
asks this module, so none of them can disagree with another or with the renderer.

Fences (pymdownx.superfences 10+, read from its documented behaviour and tested against its
public grammar regexes in tests/test_markdown_syntax.py):

* Tabs are expanded to 4 columns first (Python-Markdown's whitespace normaliser runs before).
* An opening line is any run of ``>``/space prefix characters (any depth, any indentation: this
  is how a fence sits in a list item or a quote), then 3+ backticks or tildes, then an optional
  language, and then options superfences accepts (``title="…"``, ``hl_lines="2 3"``,
  ``linenums="1"``) or a ``{ … }`` attribute list; any other info string (``python foo``,
  ``aa ```, ``;``) makes the line no fence at all.
* The closing line has the same prefix width and then exactly the opening fence (same
  character, same length: a ```` ```` ```` line does not close a ```` ``` ```` fence),
  trailing blanks allowed.
* A content line that is not indented as far as the opening line (or that starts a quote the
  opening line was not in) abandons the fence: its lines are text and scanning goes on after
  that line. Inside a quote, a blank line followed by a shallower quote abandons it too.
* A fence that is never closed is text. (superfences would then ignore every fence after it on
  the page; the sanitizer writes such an opening line ``\\````, so it opens nothing, and the
  lines after it are read on, here as in the page.)

Code spans (Python-Markdown 3.11's backtick processor): a backtick run not escaped by an odd
number of backslashes opens a span that the next run of exactly its length closes; with no
such run, the first of the longest runs after it closes it if that is shorter (the opener's
extra backticks are then code). A run that opens nothing makes Python-Markdown go on as many
characters past it as it is long (so a run right after it opens nothing either).

Indented code (:func:`indented_code_lines`): only where Markdown is certain to make it code.

Autolinks: ``<scheme://…>`` and ``<address@host>`` as Python-Markdown links them (less what
could carry an attribute where it does not: with a blank inside, the sanitizer writes the link
as HTML), and CommonMark's ``<scheme:…>``, which it does not link (the sanitizer shows its URL).

The package: :mod:`.fences`, :mod:`.spans` (code spans, autolinks), :mod:`.blocks` (indented
code, heading attribute lists, images) and :mod:`.atx` (heading lines).
"""

from __future__ import annotations

from .atx import EMPTY_HEADING_RE, HEADING_RE, heading_level
from .blocks import HEADING_ATTRIBUTES_RE, HTML_IMAGE_RE, MARKDOWN_IMAGE_RE, indented_code_lines
from .fences import (
    FENCE_LIKE_RE,
    QUOTE_PREFIX_RE,
    TAB_LENGTH,
    Fence,
    FenceOpener,
    expand_tabs,
    fence_attributes_from_notes,
    fence_opener,
    fence_regions,
    fenced_line_indexes,
    fenced_lines,
    note_fence_regions,
    scan_fences,
)
from .spans import (
    MARKDOWN_AUTOLINK_RE,
    MARKDOWN_AUTOMAIL_RE,
    PYTHON_MARKDOWN_AUTOLINK_RE,
    URI_AUTOLINK_RE,
    code_spans,
)

__all__ = [
    "EMPTY_HEADING_RE",
    "FENCE_LIKE_RE",
    "HEADING_ATTRIBUTES_RE",
    "HEADING_RE",
    "HTML_IMAGE_RE",
    "MARKDOWN_AUTOLINK_RE",
    "MARKDOWN_AUTOMAIL_RE",
    "MARKDOWN_IMAGE_RE",
    "PYTHON_MARKDOWN_AUTOLINK_RE",
    "QUOTE_PREFIX_RE",
    "TAB_LENGTH",
    "URI_AUTOLINK_RE",
    "Fence",
    "FenceOpener",
    "code_spans",
    "expand_tabs",
    "fence_attributes_from_notes",
    "fence_opener",
    "fence_regions",
    "fenced_line_indexes",
    "fenced_lines",
    "heading_level",
    "indented_code_lines",
    "note_fence_regions",
    "scan_fences",
]
