"""Stage 2: split a note into front matter and heading sections, every line numbered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from .types import Diagnostic, Line, RawNote, Section, Severity, SourceFile, Span

# Typora writes `###多输出分类` (no space) and `###\u3000…`; both are headings.
HEADING_RE = re.compile(r"^(#{1,6})(?:[ \t\u3000]+|(?=[^#\s]))(.*?)[ \t\u3000]*$")
EMPTY_HEADING_RE = re.compile(r"^#{1,6}[ \t\u3000]*$")
# A fence may sit inside quotes (`>  > ```python`) or list items (indented).
FENCE_RE = re.compile(r"^[ \t]*(?:>[ \t]*)*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
INDENTED_BODY_SHARE = 0.6


def parse_note(source: SourceFile) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    lines = source.text.split("\n")
    diagnostics: list[Diagnostic] = []
    front_matter, body_start = _front_matter(lines, source.path, diagnostics)
    numbered = [Line(i + 1, text) for i, text in enumerate(lines)][body_start:]
    # Markdown (pymdownx.superfences) reads no fence at all after one that never closes: what
    # follows it is text, and its `#` lines are headings.
    regions = fence_regions(numbered)
    closed = [(start, end) for start, end in regions if end is not None]
    if len(closed) < len(regions):
        diagnostics.append(
            Diagnostic(
                Span(source.path, numbered[regions[-1][0]].number),
                Severity.WARNING,
                "unclosed-fence",
                "code fence is never closed; it is shown as text and headings after it still count",
                "close it with a line of three backticks",
            )
        )
    fenced = {ln.number for start, end in closed for ln in numbered[start : end + 1]}
    heading_lines = _heading_lines(numbered, fenced)
    for line in numbered:
        if line.number not in heading_lines and EMPTY_HEADING_RE.match(line.text):
            diagnostics.append(
                Diagnostic(
                    Span(source.path, line.number),
                    Severity.WARNING,
                    "empty-heading",
                    "heading has no title; kept as text",
                    "write a title after the #",
                )
            )
    sections = _split_sections(numbered, heading_lines, source.path)
    note = RawNote(source, front_matter, tuple(sections), _has_indented_bodies(sections))
    return note, tuple(diagnostics)


def fence_open_lines(lines: Sequence[Line]) -> frozenset[int]:
    """Line numbers that are inside a fence or are its opening/closing line."""
    inside: set[int] = set()
    for start, end in fence_regions(lines):
        stop = len(lines) if end is None else end + 1
        inside.update(line.number for line in lines[start:stop])
    return frozenset(inside)


def fence_regions(lines: Sequence[Line]) -> list[tuple[int, int | None]]:
    """Each fence as (index of its opening line, index of its closing line or None)."""
    regions: list[tuple[int, int | None]] = []
    opener: tuple[str, int, int] | None = None
    for index, line in enumerate(lines):
        match = FENCE_RE.match(line.text)
        if opener is None:
            if match:
                opener = (match["fence"][0], len(match["fence"]), index)
            continue
        if match and _closes(match, opener[:2]):
            regions.append((opener[2], index))
            opener = None
    if opener is not None:
        regions.append((opener[2], None))
    return regions


def _closes(match: re.Match[str], opener: tuple[str, int]) -> bool:
    fence = match["fence"]
    return fence[0] == opener[0] and len(fence) >= opener[1] and not match["info"].strip()


def _front_matter(
    lines: list[str], path: str, diagnostics: list[Diagnostic]
) -> tuple[Mapping[str, Any], int]:
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                "front-matter",
                "front matter starts with `---` but never ends; kept as text",
                "end it with a `---` line",
            )
        )
        return {}, 0
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        diagnostics.append(
            Diagnostic(
                Span(path, line),
                Severity.WARNING,
                "front-matter",
                f"front matter is not valid YAML ({problem}); kept as text",
                "fix the YAML or remove the `---` lines",
            )
        )
        return {}, 0
    if data is None:
        return {}, end + 1
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                "front-matter",
                "front matter is not a mapping of keys to values; kept as text",
                "write `key: value` lines",
            )
        )
        return {}, 0
    return data, end + 1


def _heading_lines(lines: Sequence[Line], fenced: set[int]) -> dict[int, re.Match[str]]:
    headings: dict[int, re.Match[str]] = {}
    for line in lines:
        if line.number in fenced or not line.text.startswith("#"):
            continue
        match = HEADING_RE.match(line.text)
        if match and match[2].strip():
            headings[line.number] = match
    return headings


def _split_sections(
    lines: Sequence[Line], headings: Mapping[int, re.Match[str]], path: str
) -> list[Section]:
    sections: list[Section] = []
    level, title, start, body = 0, "", lines[0].number if lines else 1, []
    for line in lines:
        match = headings.get(line.number)
        if match is None:
            body.append(line)
            continue
        if level or any(b.text.strip() for b in body):
            sections.append(Section(level, title, Span(path, start), tuple(body)))
        level, title, start, body = len(match[1]), match[2].strip(), line.number, []
    if level or any(b.text.strip() for b in body):
        sections.append(Section(level, title, Span(path, start), tuple(body)))
    return sections


def _has_indented_bodies(sections: Sequence[Section]) -> bool:
    body = [ln.text for s in sections if s.level for ln in s.body if ln.text.strip()]
    if not body:
        return False
    indented = sum(1 for text in body if text.startswith(("    ", "\t")))
    return indented / len(body) >= INDENTED_BODY_SHARE
