"""Turn loose deep-learning study notes into one normalized Markdown page per concept."""

from __future__ import annotations

from .pipeline import BuildConfig, build, build_from_sources
from .types import (
    BuildResult,
    Concept,
    Diagnostic,
    Heading,
    NoteOutline,
    NoteStats,
    PagePath,
    Severity,
    Slug,
    SourceFile,
    Span,
)

__all__ = [
    "BuildConfig",
    "BuildResult",
    "Concept",
    "Diagnostic",
    "Heading",
    "NoteOutline",
    "NoteStats",
    "PagePath",
    "Severity",
    "Slug",
    "SourceFile",
    "Span",
    "build",
    "build_from_sources",
]
