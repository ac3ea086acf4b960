"""Formulas: found in four notations, protected from every other rule, emitted in one.

The notes write math as ``$..$``, ``$$..$$`` (also across lines inside ``>  >`` quotes),
```` ```KaTeX ```` fences (also indented in list items) and `` `KaTeX:..` `` spans (also in
table cells and headings). :class:`MathProtector` runs before any other rule: it replaces
each formula by an opaque token, so no later rule and no Markdown parser ever sees the TeX.
:func:`expand_math` turns the tokens into markdown-katex's syntax (`` $`..`$ `` and
```` ```math ```` fences) when pages are emitted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .codes import Code
from .markdown_syntax import QUOTE_PREFIX_RE, code_spans, fence_opener, note_fence_regions
from .types import Diagnostic, Formula, Line, Severity, Span

MATH_FENCE_LANGUAGES = frozenset({"katex", "math", "latex", "tex"})

TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN_RE = re.compile(f"{TOKEN_OPEN}(\\d+){TOKEN_CLOSE}")
# The author's own U+E000 and U+E001 (private-use characters can be pasted into a note) would
# read as tokens: each becomes a token of its own that expands back to it, so every U+E000 in
# protected text opens a token.
_LITERAL_MARKS = {TOKEN_OPEN: "\ue002", TOKEN_CLOSE: "\ue003"}
_LITERALS = {f"{TOKEN_OPEN}{mark}{TOKEN_CLOSE}": char for char, mark in _LITERAL_MARKS.items()}
_AUTHOR_TOKEN_CHAR_RE = re.compile(f"[{TOKEN_OPEN}{TOKEN_CLOSE}]")
ANY_TOKEN_RE = re.compile(f"{TOKEN_OPEN}(\\d++|[{''.join(_LITERAL_MARKS.values())}]){TOKEN_CLOSE}")
"""A formula's token or an author's U+E000/U+E001 kept as a token."""

# Quote markers and indentation in front of a line: `   >  > `, `  ` (list item).
_PREFIX_RE = QUOTE_PREFIX_RE
_KATEX_SPAN_PREFIX = "KaTeX:"


def is_math_fence(info: str) -> bool:
    """```` ```KaTeX ```` and friends hold a formula, not code."""
    words = info.strip().split()
    return bool(words) and words[0].lower() in MATH_FENCE_LANGUAGES


def token(index: int) -> str:
    """The placeholder that stands for formula ``index`` while the other rules run."""
    return f"{TOKEN_OPEN}{index}{TOKEN_CLOSE}"


def _keep_author_tokens(text: str) -> str:
    """The author's U+E000/U+E001 as tokens of their own (see :func:`expand_math`)."""
    if TOKEN_OPEN not in text and TOKEN_CLOSE not in text:
        return text
    return _AUTHOR_TOKEN_CHAR_RE.sub(
        lambda m: f"{TOKEN_OPEN}{_LITERAL_MARKS[m[0]]}{TOKEN_CLOSE}", text
    )


def _restore_author_tokens(text: str) -> str:
    return ANY_TOKEN_RE.sub(lambda m: _LITERALS.get(m[0], m[0]), text)


class MathProtector:
    """Replaces formulas by tokens across a note's sections; collects them in order."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.formulas: list[Formula] = []
        self.diagnostics: list[Diagnostic] = []

    def _add(self, tex: str, display: bool, line: int, notation: str) -> str:
        tex = _restore_author_tokens(tex.strip())
        self.formulas.append(Formula(tex, display, Span(self.path, line), notation))
        return token(len(self.formulas) - 1)

    def protect_heading(self, text: str, line: int) -> str:
        """A heading's text with each formula replaced by its token."""
        return self._protect_inline(_keep_author_tokens(text), line)

    def protect_lines(self, lines: Sequence[Line]) -> tuple[Line, ...]:
        """The lines with each formula (outside code) replaced by its token."""
        lines = [Line(ln.number, _keep_author_tokens(ln.text)) for ln in lines]
        # A fence that never closes is text (as parse.py reads it): only closed ones count.
        fences = {start: end for start, end in note_fence_regions(lines) if end is not None}
        out: list[Line] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            prefix = _PREFIX_RE.match(line.text)
            lead = prefix.group(0) if prefix else ""
            content = line.text[len(lead) :]
            end = fences.get(i)
            if end is not None:
                fence = fence_opener(line.text)
                if fence and is_math_fence(fence.language):
                    tex = "\n".join(_strip_prefix(ln.text, lead) for ln in lines[i + 1 : end])
                    out.append(Line(line.number, lead + self._add(tex, True, line.number, "fence")))
                else:
                    out.extend(lines[i : end + 1])
                i = end + 1
                continue
            if content.lstrip().startswith("$$") and "$$" not in content.lstrip()[2:]:
                end = self._display_end(lines, i, lead)
                if end is None:
                    self.diagnostics.append(
                        Diagnostic(
                            Span(self.path, line.number),
                            Severity.WARNING,
                            Code.UNTERMINATED_MATH,
                            "`$$` opens a formula that never closes; shown as text",
                            "close it with `$$`",
                        )
                    )
                    out.append(line)
                    i += 1
                    continue
                first = content.lstrip()[2:]
                middle = [_strip_prefix(ln.text, lead) for ln in lines[i + 1 : end]]
                last = _strip_prefix(lines[end].text, lead)
                last_tex, _, after = last.rpartition("$$")
                tex = "\n".join([first, *middle, last_tex])
                text = lead + self._add(tex, True, line.number, "$$")
                if after.strip():
                    text += " " + self._protect_inline(after, lines[end].number)
                out.append(Line(line.number, text))
                i = end + 1
                continue
            out.append(Line(line.number, lead + self._protect_inline(content, line.number)))
            i += 1
        return tuple(out)

    @staticmethod
    def _display_end(lines: Sequence[Line], start: int, lead: str) -> int | None:
        for j in range(start + 1, len(lines)):
            content = _strip_prefix(lines[j].text, lead)
            if "$$" in content:
                return j
            if fence_opener(content.strip()):
                return None
        return None

    def _protect_inline(self, text: str, line: int) -> str:
        """Formulas inside one line: `KaTeX:` spans, `$$..$$`, `$..$`; code spans stay."""
        out: list[str] = []
        pos = 0
        for start, end in code_spans(text):
            out.append(self._protect_dollars(text[pos:start], line))
            span = text[start:end]
            # The closing run's length delimits (an opener longer than it keeps the rest).
            ticks = len(span) - len(span.rstrip("`"))
            inner = span[ticks:-ticks]
            if inner.startswith(_KATEX_SPAN_PREFIX):
                out.append(self._add(inner[len(_KATEX_SPAN_PREFIX) :], False, line, "span"))
            else:
                out.append(span)
            pos = end
        out.append(self._protect_dollars(text[pos:], line))
        return "".join(out)

    def _protect_dollars(self, text: str, line: int) -> str:
        if "$" not in text:
            return text
        text = _DISPLAY_INLINE_RE.sub(lambda m: self._add(m["tex"], True, line, "$$"), text)
        return _INLINE_RE.sub(lambda m: self._add(m["tex"], False, line, "$"), text)


def _strip_prefix(text: str, lead: str) -> str:
    """Remove the opening line's quote markers/indentation from a continuation line."""
    if text.startswith(lead):
        return text[len(lead) :]
    match = _PREFIX_RE.match(text)
    quote_only = lead.replace(" ", "").replace("\t", "")
    if match and match.group(0).replace(" ", "").replace("\t", "") == quote_only:
        return text[match.end() :]
    return text.lstrip() if not lead.strip() else text


_DISPLAY_INLINE_RE = re.compile(r"(?<!\\)\$\$(?P<tex>[^$]+?)(?<!\\)\$\$")
# `$` next to an ASCII letter or digit is a price or a shell variable, not math.
_INLINE_RE = re.compile(
    r"(?<![\\$A-Za-z0-9])\$(?=[^\s$])(?P<tex>[^$\n]+?)(?<=[^\s\\$])\$(?![A-Za-z0-9$])"
)


def expand_math(text: str, formulas: Sequence[Formula], *, plain: bool = False) -> str:
    """Turn tokens into markdown-katex syntax (or into the bare TeX with ``plain``)."""
    if TOKEN_OPEN not in text:
        return text
    lines = text.split("\n")
    return "\n".join(_expand_line(line, formulas, plain) for line in lines)


def _expand_line(line: str, formulas: Sequence[Formula], plain: bool) -> str:
    whole = TOKEN_RE.fullmatch(line.strip(" \t>"))
    if not plain and whole and formulas[int(whole.group(1))].display:
        lead = line[: line.index(TOKEN_OPEN)]
        formula = formulas[int(whole.group(1))]
        fence = "`" * max(3, _longest_run(formula.tex, "`") + 1)
        body = [lead + row if row.strip() else lead.rstrip() for row in formula.tex.split("\n")]
        return "\n".join([f"{lead}{fence}math", *body, f"{lead}{fence}"])

    def expand(token: re.Match[str]) -> str:
        if token[0] in _LITERALS:
            return _LITERALS[token[0]]
        formula = formulas[int(token[1])]
        return formula.tex if plain else inline_math(formula)

    # One pass: a formula's TeX put into the line is not read again.
    return ANY_TOKEN_RE.sub(expand, line)


def formulas_as_tex(text: str, formulas: Sequence[Formula]) -> str:
    """``text`` with each formula's token replaced by its TeX; the author's U+E000/U+E001
    stay tokens, so the result is still text for :func:`expand_math`."""
    if TOKEN_OPEN not in text:
        return text
    return TOKEN_RE.sub(lambda m: _keep_author_tokens(formulas[int(m[1])].tex), text)


def render_keys(formula: Formula) -> list[tuple[str, bool]]:
    """What the page may ask KaTeX to render for this formula: a `$$..$$` written inside a
    sentence is shown inline in display style (see :func:`inline_math`)."""
    keys = [(formula.tex, formula.display)]
    if formula.display and formula.notation == "$$":
        keys.append((_inline_tex(formula), False))
    return keys


def _inline_tex(formula: Formula) -> str:
    tex = formula.tex.replace("\n", " ")
    return r"\displaystyle " + tex if formula.display else tex


def inline_math(formula: Formula) -> str:
    """A formula as markdown-katex's inline syntax, ``$`…`$``, backticks in it allowed."""
    tex = _inline_tex(formula)
    ticks = "``" if "`" in tex else "`"
    pad = " " if tex.startswith("`") or tex.endswith("`") else ""
    return f"${ticks}{pad}{tex}{pad}{ticks}$"


def _longest_run(text: str, char: str) -> int:
    return max((len(m) for m in re.findall(f"{re.escape(char)}+", text)), default=0)


__all__ = [
    "ANY_TOKEN_RE",
    "MATH_FENCE_LANGUAGES",
    "TOKEN_RE",
    "MathProtector",
    "expand_math",
    "formulas_as_tex",
    "inline_math",
    "is_math_fence",
    "render_keys",
    "token",
]
