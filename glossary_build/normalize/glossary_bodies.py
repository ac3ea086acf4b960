"""Rule: glossary bodies indented four spaces, told apart line by line into prose and code.

Each indented line is prose unless it is code: ``>>>`` sessions, ``Out[n]:``, ``def``/``import``,
a line of Python that calls, assigns or indexes (checked with :mod:`ast`), or columns aligned
with spaces. Code runs on through output, deeper-indented and comment lines. Prose is escaped,
so ``a*b*c``, ``<EOS>``, ``[MASK]`` and ``|`` show as written.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import replace

from ..markdown_syntax import (
    fence_opener,
    scan_fences,
)
from ..text import escape_markdown, fence_for, has_cjk
from ..types import Diagnostic, Line, RawNote
from .sections import map_sections

# --- glossary notes whose bodies are indented four spaces -------------------------------------

_SESSION_RE = re.compile(r"^(>>>|\.\.\.)(\s|$)|^(Out|In)\s*\[\d*\]:")
_BLOCK_START_RE = re.compile(r"^(def|class)\s+\w+.*:\s*$|^(import|from)\s+[\w.]+|^@\w")
# Columns aligned with runs of spaces: an ASCII table (混淆矩阵) or numpy output.
_ALIGNED_RE = re.compile(r"^[ \t]{4,}\S.*\S {3,}\S|\S {3,}\S.* {3,}\S")
_CODE_NODES = (
    ast.Call,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.Subscript,
    ast.Attribute,
    ast.Import,
    ast.ImportFrom,
    ast.FunctionDef,
    ast.ClassDef,
    ast.Return,
)


def is_python_statement(text: str) -> bool:
    """True for a line of Python that does something (`x.reshape((6, 1))`, `batch = a[:128]`).

    Prose such as `fine-tuning` or pseudo-formulas such as `Jmse = sum(math.pow(yi-yi', 2))/N`
    either do not parse or contain no call, assignment, subscript or attribute access.
    """
    stripped = text.strip()
    if not stripped or has_cjk(stripped):
        return False
    try:
        tree = ast.parse(stripped)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Python's parser gives up on deep nesting (`a+a+…`, `----x`) with the last two.
        return False
    return any(isinstance(node, _CODE_NODES) for node in ast.walk(tree))


def starts_code(text: str) -> bool:
    """A line (with the body indentation removed) that opens a code or preformatted block."""
    stripped = text.strip()
    return bool(
        _SESSION_RE.match(stripped)
        or _BLOCK_START_RE.match(stripped)
        or _ALIGNED_RE.search(text)
        or is_python_statement(stripped)
    )


def continues_code(text: str, bracket_depth: int) -> bool:
    """Inside a code block: output, continuation lines, comments, deeper-indented lines."""
    if bracket_depth > 0 or text.startswith((" ", "\t")):
        return True
    stripped = text.strip()
    return stripped.startswith("#") or not has_cjk(stripped) or starts_code(text)


def classify_indented_lines(lines: Sequence[str]) -> list[str]:
    """Label each dedented body line ``code``, ``prose`` or ``blank``.

    A blank line between two code lines belongs to the code block; an expression spread over
    several lines (`np.dot([[    [0, 2, 0],` …) is code if the lines together are Python.
    """
    kinds: list[str] = []
    in_code = False
    depth = 0
    # The first non-blank line from each index on (looked up, not searched: many blank
    # lines in a long body would make that quadratic).
    next_text: list[str | None] = [None] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        next_text[index] = lines[index] if lines[index].strip() else next_text[index + 1]
    i = 0
    while i < len(lines):
        text = lines[i]
        if not text.strip():
            following = next_text[i + 1]
            in_code = (
                in_code
                and following is not None
                and (following.startswith((" ", "\t")) or starts_code(following))
            )
            kinds.append("code" if in_code else "blank")
            i += 1
            continue
        if not in_code:
            span = _multiline_statement(lines, i)
            if span > 1:
                kinds.extend(["code"] * span)
                in_code, depth, i = True, 0, i + span
                continue
        in_code = continues_code(text, depth) if in_code else starts_code(text)
        depth = max(0, depth + _bracket_balance(text)) if in_code else 0
        kinds.append("code" if in_code else "prose")
        i += 1
    return kinds


MAX_STATEMENT_LINES = 60


def _multiline_statement(lines: Sequence[str], start: int) -> int:
    """How many lines from ``start`` form one bracketed Python statement (0 if they don't)."""
    balance = 0
    for end in range(start, min(len(lines), start + MAX_STATEMENT_LINES)):
        text = lines[end]
        if has_cjk(text) or not text.strip():
            return 0
        balance += _bracket_balance(text)
        if balance <= 0:
            if end == start:
                return 0
            joined = "\n".join(t.strip() for t in lines[start : end + 1])
            return end - start + 1 if is_python_statement(joined) else 0
    return 0


def _bracket_balance(text: str) -> int:
    return sum(text.count(c) for c in "([{") - sum(text.count(c) for c in ")]}")


def _dedent(text: str) -> str | None:
    """The body line without its four-space indentation, or None if it is not indented."""
    expanded = text.expandtabs(4)
    return expanded[4:] if expanded.startswith("    ") else None


def indented_body_to_markdown(body: Sequence[Line]) -> tuple[Line, ...]:
    """Turn a glossary body into prose paragraphs and verbatim code blocks.

    Lines that are not indented (a Markdown table the author pasted) pass through as Markdown.
    """
    out: list[Line] = []
    dedented = [_dedent(ln.text) for ln in body]
    i = 0
    while i < len(body):
        if dedented[i] is None:
            j = i
            while j < len(body) and dedented[j] is None:
                j += 1
            out.extend(_separated(out, body[i:j]))
            i = j
            continue
        j = i
        while j < len(body) and dedented[j] is not None:
            j += 1
        chunk = [d for d in dedented[i:j] if d is not None]
        out.extend(_render_indented_chunk(out, body[i:j], chunk))
        i = j
    return tuple(out)


def _render_indented_chunk(out: list[Line], lines: Sequence[Line], texts: list[str]) -> list[Line]:
    """An indented run of a glossary body: its own fences (```` ```python ```` written inside
    the indentation, 002) become code blocks in their language, the rest is classified."""
    rendered: list[Line] = []
    pos = 0
    for fence in scan_fences(texts):
        if fence.end is None:
            continue
        rendered.extend(
            _render_classified(out + rendered, lines[pos : fence.start], texts[pos : fence.start])
        )
        opener = fence_opener(texts[fence.start])
        language = opener.language if opener else ""
        block = _code_block(
            lines[fence.start + 1 : fence.end] or lines[fence.start : fence.start + 1],
            texts[fence.start + 1 : fence.end] or [""],
            language or None,
            first=lines[fence.start].number,
            last=lines[fence.end].number,
        )
        rendered.extend(_separated(out + rendered, block))
        pos = fence.end + 1
    rendered.extend(_render_classified(out + rendered, lines[pos:], texts[pos:]))
    return rendered


def _render_classified(out: list[Line], lines: Sequence[Line], texts: list[str]) -> list[Line]:
    kinds = classify_indented_lines(texts)
    rendered: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and kinds[j] == kinds[i]:
            j += 1
        if kinds[i] == "code":
            block = _code_block(lines[i:j], texts[i:j])
            rendered.extend(_separated(out + rendered, block))
        elif kinds[i] == "prose":
            # Each line of a glossary body is a statement: keep the author's line breaks.
            last = j - i - 1
            block = [
                Line(ln.number, escape_markdown(t.strip()) + ("  " if k < last else ""))
                for k, (ln, t) in enumerate(zip(lines[i:j], texts[i:j], strict=True))
            ]
            rendered.extend(_separated(out + rendered, block))
        i = j
    return rendered


def _code_block(
    lines: Sequence[Line],
    texts: Sequence[str],
    language: str | None = None,
    first: int | None = None,
    last: int | None = None,
) -> list[Line]:
    """A fenced code block of ``texts``; its fence lines numbered ``first``/``last`` (the
    author's own fence lines) or as the first and last line."""
    body = [t.rstrip() for t in texts]
    fence = fence_for(body)
    if language is None:
        head = body[0].lstrip() if body else ""
        if head.startswith(">>>") and not _ALIGNED_RE.search(head):
            language = "pycon"
        elif any(is_python_statement(t) or _BLOCK_START_RE.match(t.strip()) for t in body):
            language = "python"
        else:
            language = "text"
    return [
        Line(lines[0].number if first is None else first, f"{fence}{language}"),
        *(Line(ln.number, t) for ln, t in zip(lines, body, strict=True)),
        Line(lines[-1].number if last is None else last, fence),
    ]


def _separated(previous: Sequence[Line], block: Sequence[Line]) -> list[Line]:
    """The block, preceded by a blank line when it follows other text."""
    if previous and previous[-1].text.strip() and block:
        return [Line(block[0].number, ""), *block]
    return list(block)


def indented_bodies(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """In a glossary note (bodies indented under their headings), each body as Markdown."""
    if not note.indented_bodies:
        return note, ()
    return map_sections(note, lambda s: replace(s, body=indented_body_to_markdown(s.body))), ()


__all__ = [
    "MAX_STATEMENT_LINES",
    "classify_indented_lines",
    "continues_code",
    "indented_bodies",
    "indented_body_to_markdown",
    "is_python_statement",
    "starts_code",
]
