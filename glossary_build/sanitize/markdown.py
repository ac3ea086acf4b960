"""Entry points for note text: a heading's title and a section's body, sanitized until a pass
changes nothing (a removal can change what is code).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ..codes import Code
from ..markdown_syntax import (
    indented_code_lines,
)
from ..types import Diagnostic, Line, Severity, Span
from .policy import NOT_ALLOWED_HINT, UNSAFE, UNSAFE_HINT, Finding
from .scanner import Scanner
from .trusted import neutralised, not_an_opener, trusted_fence_lines


def _diagnostic(path: str, line: int, finding: Finding) -> Diagnostic:
    hint = finding.hint or (UNSAFE_HINT if finding.code == UNSAFE else NOT_ALLOWED_HINT)
    return Diagnostic(Span(path, line), finding.severity, finding.code, finding.message, hint)


MAX_PASSES = 8
"""Sanitizing passes before a section falls back to :func:`_defused` (none has needed > 3)."""


def sanitize_heading(text: str, span: Span) -> tuple[str, tuple[Diagnostic, ...]]:
    """A heading's title: only what Markdown would pass on as HTML is touched.

    Repeated until nothing changes (see :func:`sanitize_body`).
    """
    diagnostics: list[Diagnostic] = []
    for _ in range(MAX_PASSES):
        if not any(c in text for c in "<]{"):
            break
        scanner = Scanner(heading=True)
        cleaned = scanner.run(text)
        _add_new(diagnostics, [_diagnostic(span.path, span.line, f) for f in scanner.findings])
        if cleaned == text:
            break
        text = cleaned
    else:
        text = text.replace("<", "&lt;")
    return text, tuple(diagnostics)


def sanitize_body(
    lines: Sequence[Line], path: str
) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """A section's body with its raw HTML sanitized (recognised fences and code spans kept).

    What is code is decided on the text Markdown will see, so the passes repeat until the text
    no longer changes: a removal can itself change what is code (``<script>…</script>````
    leaves a fence; a backtick removed with a ``<script>`` re-pairs the others), and the text
    of a section is only trusted once a pass over it finds nothing left to do.
    """
    diagnostics: list[Diagnostic] = []
    current = tuple(lines)
    for _ in range(MAX_PASSES):
        out, found = _sanitize_pass(current, path)
        _add_new(diagnostics, found)
        if out == current:
            return out, tuple(diagnostics)
        current = out
    out, found = _defused(current, path)
    _add_new(diagnostics, found)
    return out, tuple(diagnostics)


def _add_new(diagnostics: list[Diagnostic], found: Sequence[Diagnostic]) -> None:
    """Append ``found``; a later pass repeats no diagnostic an earlier pass gave."""
    if not diagnostics:
        diagnostics.extend(found)
        return
    seen = set(diagnostics)
    diagnostics.extend(d for d in found if d not in seen)


def _defused(lines: Sequence[Line], path: str) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """The last resort for a section whose passes never settle: nothing in it is code.

    One pass that trusts no code removes what is unsafe; then every ``<`` is escaped, every
    backtick too and every fence-like line is neutralised, so Markdown sees neither HTML nor
    code in the section (an indented line may still be code: it then shows ``&lt;``).
    """
    if not lines:
        return (), ()
    scanner = Scanner(trust_code=False)
    first = lines[0].number
    scanner.line_of = lambda offset: first
    text = scanner.run("\n".join(ln.text for ln in lines))
    text = re.sub(r"(?<!\\)`", r"\\`", text).replace("<", "&lt;")
    texts = [neutralised(t) for t in text.split("\n")]
    diagnostics = [_diagnostic(path, first, f) for f in scanner.findings]
    diagnostics.append(
        Diagnostic(
            Span(path, first),
            Severity.WARNING,
            UNSAFE,
            "could not tell raw HTML from code in this section; all of it is shown as text",
            UNSAFE_HINT,
        )
    )
    out = tuple(Line(ln.number, t) for ln, t in zip(lines, texts, strict=True))
    return out, tuple(diagnostics)


def _sanitize_pass(
    lines: Sequence[Line], path: str
) -> tuple[tuple[Line, ...], tuple[Diagnostic, ...]]:
    """One pass: what is code is decided on ``lines`` as they are."""
    fences, malformed, neutralise = trusted_fence_lines(lines)
    # Indented code is shown as written by Markdown: left as it is (`    <a/>`).
    trusted = fences | indented_code_lines([ln.text for ln in lines], fences)
    diagnostics = [
        Diagnostic(
            Span(path, lines[index].number),
            Severity.WARNING,
            Code.MALFORMED_FENCE,
            "code fence is not one Markdown recognises; shown as text",
            "a fence must not follow a line indented 4 spaces or more deeper than it (Markdown "
            "reads that as indented code)",
        )
        for index in malformed
    ]
    texts = [not_an_opener(ln.text) if i in neutralise else ln.text for i, ln in enumerate(lines)]
    scanner = Scanner()
    i = 0
    while i < len(lines):
        if i in trusted:
            i += 1
            continue
        j = i
        while j < len(lines) and j not in trusted:
            j += 1
        text = "\n".join(texts[i:j])
        if any(c in text for c in "<]{"):
            starts = [0]
            for k in range(i, j - 1):
                starts.append(starts[-1] + len(texts[k]) + 1)

            def line_of(offset: int, first: int = i, starts: list[int] = starts) -> int:
                return lines[first + bisect_right(starts, offset) - 1].number

            scanner.findings = []
            scanner.line_of = line_of
            rewritten = scanner.run(text).split("\n")
            assert len(rewritten) == j - i, "the scanner must keep every line"
            texts[i:j] = rewritten
            for finding in scanner.findings:
                diagnostics.append(_diagnostic(path, line_of(finding.offset), finding))
        i = j
    out = tuple(
        ln if text == ln.text else Line(ln.number, text)
        for ln, text in zip(lines, texts, strict=True)
    )
    if scanner.open and lines:
        # Left open, a raw HTML block would swallow the rest of the page, code spans and all.
        diagnostics.extend(
            Diagnostic(
                Span(path, line),
                Severity.INFO,
                Code.UNCLOSED_HTML,
                f"<{name}> is never closed; closed at the end of the section",
                "close every HTML element you open",
            )
            for name, line in scanner.open
        )
        closing = "".join(f"</{name}>" for name, _ in reversed(scanner.open))
        out = (*out, Line(lines[-1].number, closing))
    return out, tuple(diagnostics)


__all__ = [
    "MAX_PASSES",
    "sanitize_body",
    "sanitize_heading",
]
