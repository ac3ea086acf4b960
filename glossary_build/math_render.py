"""Every note's formulas through the renderer in one batch; rejected ones become warnings.

A formula KaTeX rejects is a warning at its note and line; each note's rendered formulas
are counted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from .codes import Code
from .katex import MathKey, Rendered
from .math import render_keys
from .types import Diagnostic, NoteOutline, Severity

__all__ = ["MathRenderer", "render_formulas", "render_note_formulas"]


class MathRenderer(Protocol):
    """What renders formulas: katex.KatexRenderer, or a test's stand-in."""

    def render_many(self, keys: Iterable[MathKey]) -> Mapping[MathKey, Rendered]:
        """Each (TeX, display) key's rendering (starting the engine once for all)."""
        ...


def render_formulas(
    outlines: Sequence[NoteOutline], renderer: MathRenderer
) -> tuple[list[Diagnostic], dict[str, int]]:
    """Render every formula once; report the ones KaTeX rejects; count the rendered ones."""
    problems: list[Diagnostic] = []
    rendered: dict[str, int] = {}
    for outline in outlines:
        note_problems, rendered[outline.source.path] = render_note_formulas(outline, renderer)
        problems.extend(note_problems)
    return problems, rendered


def render_note_formulas(
    outline: NoteOutline, renderer: MathRenderer
) -> tuple[list[Diagnostic], int]:
    """Render a note's formulas (in one batch); its KaTeX errors and how many rendered."""
    results = renderer.render_many(key for f in outline.formulas for key in render_keys(f))
    problems: list[Diagnostic] = []
    rendered = 0
    for formula in outline.formulas:
        result = results[(formula.tex, formula.display)]
        if result.ok:
            rendered += 1
            continue
        problems.append(
            Diagnostic(
                formula.span,
                Severity.WARNING,
                Code.KATEX,
                f"KaTeX: {result.error}",
                "the formula is shown as TeX source; fix it so KaTeX can render it",
            )
        )
    return problems, rendered
