"""A Python-Markdown extension for markdown-katex's syntax, rendered from the shared cache.

``$`..`$`` (also ``$``..``$``) and ```` ```math ```` fences are replaced, before any other
Markdown processing, by stash placeholders holding KaTeX's HTML, so ``\\\\``, ``_``, ``*`` and
``|`` inside a formula never reach Markdown. Unlike markdown-katex's own extension it also finds
fences inside block quotes (``>  > ```math``), never raises on bad TeX (the formula is shown as
its source in an error style) and adds no CDN stylesheet.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .katex import Rendered
from .markdown_syntax import QUOTE_PREFIX_RE, fence_opener, scan_fences

Render = Callable[[str, bool], Rendered]


def error_html(tex: str, message: str, display: bool) -> str:
    """A formula KaTeX rejected: its TeX as code, KaTeX's message as the title."""
    tag = "pre" if display else "code"
    return (
        f'<{tag} class="gb-math-error" title="KaTeX: {html.escape(message)}">'
        f"{html.escape(tex)}</{tag}>"
    )


class MathPreprocessor(Preprocessor):
    """Replaces every formula with its KaTeX HTML, stashed so Markdown leaves it alone."""

    def __init__(self, md: Markdown, render: Render) -> None:
        super().__init__(md)
        self.render = render

    def _stash(self, tex: str, display: bool) -> str:
        rendered = self.render(tex, display)
        if rendered.html is not None:
            markup = rendered.html
        else:
            markup = error_html(tex, rendered.error or "", display)
        return self.md.htmlStash.store(markup)

    def run(self, lines: list[str]) -> list[str]:
        """The page's lines with each formula outside code replaced by a stash placeholder."""
        # Fences as superfences reads them (markdown_syntax): a ```` ```math ```` fence is a
        # formula, other fences stay as they are, formulas are looked for everywhere else.
        fences = {f.start: f.end for f in scan_fences(lines) if f.end is not None}
        out: list[str] = []
        i = 0
        while i < len(lines):
            end = fences.get(i)
            if end is None:
                out.append(self._stash_inline(lines[i]))
                i += 1
                continue
            opener = fence_opener(lines[i])
            if opener is not None and opener.language == "math":
                lead = QUOTE_PREFIX_RE.match(lines[i]).group(0)  # type: ignore[union-attr]
                tex = "\n".join(ln[len(lead) :] for ln in lines[i + 1 : end])
                out.append(lead + self._stash(tex, True))
            else:
                out.extend(lines[i : end + 1])
            i = end + 1
        return out

    def _stash_inline(self, line: str) -> str:
        pieces, pos = [], 0
        for start, end, tex in inline_formulas(line):
            pieces += [line[pos:start], self._stash(tex.strip(), False)]
            pos = end
        return "".join([*pieces, line[pos:]])


def inline_formulas(line: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, TeX) of each `` $`..`$ `` and ``` $``..``$ ``` in a line: from an opening
    to the first closing of as many backticks (not right after another backtick).

    Linear: a lazy regex rescans the rest of the line from every opening that is never
    closed; here a search that finds no closing ends the search for that kind of opening (no
    later one can be closed either).
    """
    unclosed: set[str] = set()
    pos = 0
    while (start := line.find("$`", pos)) >= 0:
        ticks = "``" if line.startswith("``", start + 1) else "`"
        content = start + 1 + len(ticks)
        if ticks in unclosed or line.startswith("`", content):
            pos = start + 1
            continue
        closing = content  # the content is at least one character
        while (closing := line.find(ticks + "$", closing + 1)) >= 0 and line[closing - 1] == "`":
            pass
        if closing < 0:
            unclosed.add(ticks)
            pos = start + 1
            continue
        yield start, closing + len(ticks) + 1, line[content:closing]
        pos = closing + len(ticks) + 1


class MathExtension(Extension):
    """The math preprocessor as a Python-Markdown extension, rendering with ``render``."""

    def __init__(self, render: Render, **kwargs: Any) -> None:
        self.render = render
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        """Register the preprocessor between whitespace normalizing and superfences."""
        # After normalize_whitespace (30), which strips the stash markers, and before
        # the fenced-code stash of pymdownx.superfences (25).
        md.preprocessors.register(MathPreprocessor(md, self.render), "glossary_math", 28)


__all__ = [
    "MathExtension",
    "MathPreprocessor",
    "Render",
    "error_html",
    "inline_formulas",
]
