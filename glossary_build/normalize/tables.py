"""Rule: a table row with more cells than its header keeps its extra ``|`` as text."""

from __future__ import annotations

import re
from dataclasses import replace

from ..codes import Code
from ..markdown_syntax import fenced_lines
from ..text import code_spans
from ..types import Diagnostic, Line, RawNote, Section, Severity, Span
from .sections import map_sections

# --- tables --------------------------------------------------------------------------------

_TABLE_DELIMITER_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cell_pipes(row: str) -> list[int]:
    """Offsets of the `|` that separate cells (not escaped, not inside code spans)."""
    pieces, pos = [], 0
    for start, end in code_spans(row):
        pieces += [row[pos:start], " " * (end - start)]
        pos = end
    masked = "".join([*pieces, row[pos:]])
    return [i for i, ch in enumerate(masked) if ch == "|" and (i == 0 or masked[i - 1] != "\\")]


def _cell_count(row: str) -> int:
    pipes = _cell_pipes(row)
    stripped = row.strip()
    inner = len(pipes) - stripped.startswith("|") - (stripped.endswith("|") and len(pipes) > 1)
    return inner + 1


def repair_table_rows(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A row with more `|` than its header would lose its last cells: escape the extra pipes.

    Pipes inside brackets (`P(Q|λ)`) are escaped first; if the row is still too wide, the last
    pipes are, so the surplus text joins the last cell instead of vanishing.
    """
    diagnostics: list[Diagnostic] = []

    def rewrite(section: Section) -> Section:
        fenced = fenced_lines(section.body)
        body = list(section.body)
        columns = 0
        for index, line in enumerate(body):
            text = line.text
            if line.number in fenced or "|" not in text:
                columns = 0
                continue
            following = body[index + 1].text if index + 1 < len(body) else ""
            if columns == 0 and _TABLE_DELIMITER_RE.match(following):
                columns = _cell_count(text)
                continue
            if columns == 0 or _TABLE_DELIMITER_RE.match(text):
                continue
            if _cell_count(text) > columns:
                repaired = _narrow_row(text, columns)
                diagnostics.append(
                    Diagnostic(
                        Span(note.source.path, line.number),
                        Severity.INFO,
                        Code.TABLE_ROW,
                        f"table row has more cells than its header ({columns}); "
                        "extra `|` shown as text",
                        "escape a literal | as \\|",
                    )
                )
                body[index] = Line(line.number, repaired)
        return replace(section, body=tuple(body))

    return map_sections(note, rewrite), tuple(diagnostics)


def _narrow_row(row: str, columns: int) -> str:
    """Escape separating pipes until the row has ``columns`` cells: pipes inside brackets
    first (right to left), then the last ones (a closing pipe stays).

    The pipes are found once (escaping one moves none of the others), so this is linear.
    """
    pipes = _cell_pipes(row)
    separating = set(pipes)
    stripped = row.strip()
    first = len(row) - len(row.lstrip())
    opens, closes = stripped.startswith("|"), stripped.endswith("|")
    escaped: set[int] = set()

    def cells() -> int:
        left = len(pipes) - len(escaped)
        return left - (opens and first not in escaped) - (closes and left > 1) + 1

    for offset in reversed(_pipes_in_brackets(row)):
        if cells() <= columns:
            break
        if offset in separating:
            escaped.add(offset)
    remaining = [offset for offset in pipes if offset not in escaped]
    last = -2 if closes else -1
    while cells() > columns and len(remaining) >= -last:
        escaped.add(remaining.pop(last))
    pieces, pos = [], 0
    for offset in sorted(escaped):
        pieces += [row[pos:offset], "\\"]
        pos = offset
    return "".join([*pieces, row[pos:]])


def _pipes_in_brackets(row: str) -> list[int]:
    """Offsets of `|` inside (), （） or [] (`P(Q|λ)`): part of a formula, not a separator."""
    offsets = []
    depth = 0
    for offset, char in enumerate(row):
        depth += char in "(（["
        depth -= char in ")）]" and depth > 0
        if char == "|" and depth > 0:
            offsets.append(offset)
    return offsets


__all__ = [
    "repair_table_rows",
]
