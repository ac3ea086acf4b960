"""Stage 2: split a note into front matter and heading sections, every line numbered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from .codes import Code
from .markdown_syntax import (
    EMPTY_HEADING_RE,
    FENCE_LIKE_RE,
    HEADING_RE,
    note_fence_regions,
)
from .text import CONTROL_CHARACTERS_RE
from .types import Diagnostic, Line, RawNote, Section, Severity, SourceFile, Span

INDENTED_BODY_SHARE = 0.6

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader (C); PyYAML's own, in Python,
where PyYAML was built without libyaml. Both build only plain data: no tags, no objects."""


def parse_note(source: SourceFile) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """A note as front matter and numbered heading sections, with what could not be read."""
    lines = source.text.split("\n")
    diagnostics: list[Diagnostic] = []
    front_matter, body_start = _front_matter(lines, source.path, diagnostics)
    numbered = [Line(i + 1, text) for i, text in enumerate(lines)][body_start:]
    regions = note_fence_regions(numbered)
    for start, end in regions:
        if end is None:
            diagnostics.append(_unclosed_fence(source.path, numbered[start]))
    fenced = {
        ln.number for start, end in regions if end is not None for ln in numbered[start : end + 1]
    }
    heading_lines = _heading_lines(numbered, fenced)
    for line in numbered:
        if line.number in fenced or line.number in heading_lines:
            continue
        if EMPTY_HEADING_RE.match(line.text):
            diagnostics.append(
                Diagnostic(
                    Span(source.path, line.number),
                    Severity.WARNING,
                    Code.EMPTY_HEADING,
                    "heading has no title; kept as text",
                    "write a title after the #",
                )
            )
    sections = _split_sections(numbered, heading_lines, source.path)
    note = RawNote(source, front_matter, tuple(sections), _has_indented_bodies(sections))
    return note, tuple(diagnostics)


def _unclosed_fence(path: str, line: Line) -> Diagnostic:
    match = FENCE_LIKE_RE.match(line.text)
    fence = match["fence"] if match else "```"
    return Diagnostic(
        Span(path, line.number),
        Severity.WARNING,
        Code.UNCLOSED_FENCE,
        "code fence is never closed; its opening line is shown as text and the lines after "
        "it are read as usual (headings still count)",
        f"close the code block with a line of {fence}",
    )


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
                Code.FRONT_MATTER,
                "front matter starts with `---` but never ends; kept as text",
                "end it with a `---` line",
            )
        )
        return {}, 0
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
    except (RecursionError, yaml.YAMLError) as exc:
        # `a: [[[[…` thousands deep: PyYAML's Python loader composes nested collections
        # recursively (RecursionError), libyaml stops at its own depth limit.
        if isinstance(exc, yaml.YAMLError) and "nesting depth" not in str(exc):
            return _invalid_yaml(exc, path, end, diagnostics)
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                Code.FRONT_MATTER,
                f"front matter is nested more than {FRONT_MATTER_DEPTH} levels deep; kept as text",
                "write plain `key: value` lines",
            )
        )
        return {}, 0
    if data is None:
        return {}, end + 1
    data, controls, problem = bounded_yaml(data)
    if controls:
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                Code.CONTROL_CHARACTER,
                f"front matter holds {controls} control character(s) (such as NUL); "
                "each is shown as U+FFFD",
                "remove the escapes (\\0, \\u0000, ...) from the front matter",
            )
        )
    if problem is not None:
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                Code.FRONT_MATTER,
                f"front matter {problem}; kept as text",
                "write plain `key: value` lines without YAML aliases",
            )
        )
        return {}, 0
    if not isinstance(data, dict):
        diagnostics.append(
            Diagnostic(
                Span(path, 1),
                Severity.WARNING,
                Code.FRONT_MATTER,
                "front matter is not a mapping of keys to values; kept as text",
                "write `key: value` lines",
            )
        )
        return {}, 0
    return data, end + 1


def _invalid_yaml(
    exc: yaml.YAMLError, path: str, end: int, diagnostics: list[Diagnostic]
) -> tuple[dict[str, Any], int]:
    """Front matter that is not YAML: reported at the line YAML names, kept as text."""
    mark = getattr(exc, "problem_mark", None)
    # libyaml marks an unclosed `[` where the input ran out: the closing `---`, not a
    # line of YAML; the last line of the front matter is where it is left open.
    line = min(2 + mark.line, end) if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    diagnostics.append(
        Diagnostic(
            Span(path, line),
            Severity.WARNING,
            Code.FRONT_MATTER,
            f"front matter is not valid YAML ({problem}); kept as text",
            "fix the YAML or remove the `---` lines",
        )
    )
    return {}, 0


FRONT_MATTER_NODES = 10_000
"""Values one note's front matter may hold, counted as shown: YAML aliases repeat a value
without copying it, so nine aliases of nine aliases of ... make a few hundred bytes that
expand to gigabytes when a page shows them (a 600-byte note took 48 s and 2.4 GB)."""
FRONT_MATTER_CHARACTERS = 1_000_000
"""Characters of text the front matter may hold, counted the same way."""
FRONT_MATTER_DEPTH = 32


def bounded_yaml(data: object) -> tuple[Any, int, str | None]:
    """A copy of parsed YAML made of new lists and dicts (no shared or cyclic parts), with
    how many control characters (YAML's ``"\\0"``, ``"\\u0000"``) its strings had, each
    now U+FFFD; or None and why, when it would expand past :data:`FRONT_MATTER_NODES`,
    :data:`FRONT_MATTER_CHARACTERS` or :data:`FRONT_MATTER_DEPTH`."""
    nodes = characters = controls = 0

    def copy(value: object, depth: int) -> object:
        nonlocal nodes, characters, controls
        nodes += 1
        if nodes > FRONT_MATTER_NODES:
            raise _TooLargeError(f"holds more than {FRONT_MATTER_NODES:,} values")
        if depth > FRONT_MATTER_DEPTH:
            raise _TooLargeError(f"is nested more than {FRONT_MATTER_DEPTH} levels deep")
        if isinstance(value, str):
            characters += len(value)
            if characters > FRONT_MATTER_CHARACTERS:
                raise _TooLargeError(f"holds more than {FRONT_MATTER_CHARACTERS:,} characters")
            cleaned, replaced = CONTROL_CHARACTERS_RE.subn("\ufffd", value)
            controls += replaced
            return cleaned
        if isinstance(value, dict):
            return {copy(k, depth + 1): copy(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [copy(item, depth + 1) for item in value]
        if isinstance(value, set | frozenset):  # `!!set`
            return {copy(item, depth + 1) for item in value}
        characters += 32  # a number, date or bytes value, as shown
        return value

    try:
        copied = copy(data, 0)
    except _TooLargeError as exc:
        return None, 0, str(exc)
    return copied, controls, None


class _TooLargeError(Exception):
    pass


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


__all__ = [
    "FRONT_MATTER_CHARACTERS",
    "FRONT_MATTER_DEPTH",
    "FRONT_MATTER_NODES",
    "INDENTED_BODY_SHARE",
    "SAFE_LOADER",
    "bounded_yaml",
    "parse_note",
]
