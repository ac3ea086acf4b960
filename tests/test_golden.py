"""Golden tests: tests/golden/<stage>/<case>.in.md → <case>.out.md.

Each stage's output is dumped as text so a reviewer can read the diff. Regenerate with
``pytest tests/test_golden.py --update-golden`` and review what changed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest

from glossary_build.katex import Rendered
from glossary_build.markdown_math import MathExtension
from glossary_build.math import TOKEN_CLOSE, TOKEN_OPEN
from glossary_build.model import to_concepts
from glossary_build.normalize import normalize
from glossary_build.parse import parse_note
from glossary_build.pipeline import build_from_sources
from glossary_build.types import Diagnostic, Line, SourceFile

GOLDEN = Path(__file__).parent / "golden"
NOTE_PATH = "concepts/note.md"


def _source(text: str) -> SourceFile:
    return SourceFile(NOTE_PATH, text)


def _diagnostics(found: tuple[Diagnostic, ...]) -> list[str]:
    return [f"! {d.format()}" for d in found]


def _lines(lines: tuple[Line, ...], indent: str = "  ") -> list[str]:
    shown = (ln.text.replace(TOKEN_OPEN, "⟦").replace(TOKEN_CLOSE, "⟧") for ln in lines)
    return [
        f"{indent}{ln.number:>4} | {text}".rstrip() for ln, text in zip(lines, shown, strict=True)
    ]


def dump_parse(text: str) -> str:
    note, found = parse_note(_source(text))
    out = [f"front_matter: {dict(note.front_matter)}", f"indented_bodies: {note.indented_bodies}"]
    for s in note.sections:
        out.append(f"section level={s.level} line={s.span.line} heading={s.heading!r}")
        out.extend(_lines(s.body))
    return "\n".join(out + _diagnostics(found)) + "\n"


def dump_normalize(text: str) -> str:
    raw, found = parse_note(_source(text))
    note, more = normalize(raw)
    # Formulas are tokens (U+E000 n U+E001) in the text: show them as ⟦n⟧ and list them.
    out = [
        f"formula {i} line={f.span.line} {f.notation} display={f.display}: {f.tex!r}"
        for i, f in enumerate(note.formulas)
    ]
    for s in note.sections:
        out.append(f"section level={s.level} line={s.span.line} heading={s.heading!r}")
        out.extend(_lines(s.body))
    return "\n".join(out + _diagnostics(found + more)) + "\n"


def dump_model(text: str) -> str:
    raw, found = parse_note(_source(text))
    note, more = normalize(raw)
    outline, model_found = to_concepts(note)
    out = [f"concept_level: {outline.concept_level}", f"groups: {list(outline.groups)}"]
    for c in outline.concepts:
        h = c.heading
        out.append(
            f"concept line={c.span.line} title={h.title!r} aliases={list(h.aliases)} "
            f"status={list(h.status)} groups={list(c.groups)} empty={c.is_empty}"
        )
        for sub in c.subsections:
            out.append(f"  sub depth={sub.depth} line={sub.span.line} title={sub.title!r}")
    return "\n".join(out + _diagnostics(found + more + model_found)) + "\n"


def dump_emit(text: str) -> str:
    result = build_from_sources([_source(text)], "Test site")
    out = []
    for path in sorted(result.pages):
        out.append(f"===== {path}")
        out.append(result.pages[path].rstrip("\n"))
    return "\n".join(out) + "\n"


def _stub_render(tex: str, display: bool) -> Rendered:
    """Shows exactly which TeX reached the renderer; `\\undefined` plays a KaTeX error."""
    if "\\undefined" in tex:
        return Rendered(None, "Undefined control sequence: \\undefined")
    return Rendered(f'<m display="{int(display)}">{html.escape(tex)}</m>')


def dump_html(text: str) -> str:
    """Concept pages through Python-Markdown with the site's extensions (math stubbed)."""
    result = build_from_sources([_source(text)], "Test site")
    out = []
    for path in sorted(p for p in result.pages if p.startswith("concepts/")):
        md = markdown.Markdown(
            extensions=[
                MathExtension(_stub_render),
                "tables",
                "attr_list",
                "md_in_html",
                "pymdownx.superfences",
            ]
        )
        # MkDocs strips the front matter before Markdown sees the page.
        page = re.sub(r"\A---\n.*?\n---\n", "", result.pages[path], flags=re.S)
        out.append(f"===== {path}")
        out.append(md.convert(page).rstrip("\n"))
    return "\n".join(out) + "\n"


STAGES: dict[str, Callable[[str], str]] = {
    "parse": dump_parse,
    "normalize": dump_normalize,
    "model": dump_model,
    "emit": dump_emit,
    "html": dump_html,
}

CASES = sorted(GOLDEN.glob("*/*.in.md"))


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name[:-6]}" for p in CASES])
def test_golden(case: Path, update_golden: bool) -> None:
    stage = case.parent.name
    actual = STAGES[stage](case.read_text(encoding="utf-8"))
    expected_path = case.with_name(case.name[: -len(".in.md")] + ".out.md")
    if update_golden or not expected_path.exists():
        expected_path.write_text(actual, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{expected_path} did not exist; written now, review it and rerun")
    assert actual == expected_path.read_text(encoding="utf-8")


def test_every_stage_has_cases() -> None:
    assert {p.parent.name for p in CASES} == set(STAGES)
