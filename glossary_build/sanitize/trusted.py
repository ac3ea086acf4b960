"""What Markdown is certain to see as code, or to hide: the text the scanner leaves verbatim.

Fences pymdownx.superfences will recognise (:func:`trusted_fence_lines`), code spans whose
backticks pair up in their paragraph (:func:`trusted_code_spans`), and comments, processing
instructions, declarations and CDATA sections, hidden as far as a browser hides them
(:func:`hidden_markup_end`). A wrong guess here would let a ``<script>`` through as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..markdown_syntax import (
    FENCE_LIKE_RE,
    code_spans,
    scan_fences,
)
from ..types import Line

# --- fences Markdown is certain to see ----------------------------------------------------

_BLANK_LINE_RE = re.compile(r"\n[ \t]*(?=\n)")


def neutralised(text: str) -> str:
    """A fence-like line that is not a fence, made plain text (it shows the same)."""
    match = FENCE_LIKE_RE.match(text)
    if match is None:
        return text
    at = match.start("fence")
    if text[at] == "`":
        return text[:at] + "\\" + text[at:]
    return text[:at] + "&#126;" + text[at + 1 :]


def not_an_opener(text: str) -> str:
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


# --- what a browser hides ---------------------------------------------------------------------

COMMENT_RE = re.compile(r"<!--(?!-?>)(?:[^-]|-(?!-))*+-{2,}>")
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


def hidden_kind(markup: str) -> str:
    """What hidden markup is, as a diagnostic names it (comment, processing instruction, …)."""
    return next(kind for start, kind in _HIDDEN_KINDS.items() if markup.startswith(start))


def at_line_start(text: str, at: int) -> bool:
    """Up to three blanks before ``at`` on its line: where Python-Markdown reads a raw HTML
    block. (In running text it shows a declaration as text; comments, processing
    instructions and CDATA sections are inline HTML to it too.)"""
    start = text.rfind("\n", 0, at) + 1
    return at - start <= 3 and not text[start:at].strip()


# Python-Markdown's autolinks (it turns them into links, escaping what is inside).


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


__all__ = [
    "COMMENT_RE",
    "HIDDEN_MARKUP",
    "NO_OPENER_MARK",
    "at_line_start",
    "hidden_kind",
    "hidden_markup_end",
    "neutralised",
    "not_an_opener",
    "trusted_code_spans",
    "trusted_fence_lines",
]
