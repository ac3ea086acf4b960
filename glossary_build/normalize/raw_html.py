"""Rule: raw HTML reduced to the allowlist of :mod:`glossary_build.sanitize`."""

from __future__ import annotations

from dataclasses import replace

from ..sanitize import sanitize_body
from ..types import Diagnostic, RawNote, Section
from .sections import map_sections

# --- raw HTML -------------------------------------------------------------------------------


def sanitize_html(note: RawNote) -> tuple[RawNote, tuple[Diagnostic, ...]]:
    """Raw HTML to an allowlist with nh3 (see sanitize.py); remote images load lazily.

    Runs after the glossary bodies are Markdown (their prose is escaped, their code fenced, so
    neither is mistaken for HTML) and before missing images become placeholders (ours).
    """
    diagnostics: list[Diagnostic] = []

    # Headings stay as written: only a sub-section's heading is shown as Markdown, and only
    # model.py knows which those are (it sanitizes them); titles are always shown as text.
    def rewrite(section: Section) -> Section:
        body, found = sanitize_body(section.body, note.source.path)
        diagnostics.extend(found)
        return replace(section, body=body)

    return map_sections(note, rewrite), tuple(diagnostics)


__all__ = [
    "sanitize_html",
]
