"""Stage 1: find the notes and read them as text (the only stage that touches the disk)."""

from __future__ import annotations

from pathlib import Path

from .types import Diagnostic, Severity, SourceFile, Span

NOTE_SUFFIXES = (".md", ".markdown", ".txt")


def discover(
    concepts_dir: Path, root: Path
) -> tuple[tuple[SourceFile, ...], tuple[Diagnostic, ...]]:
    """Read every note in ``concepts_dir`` (sorted by path, so builds are reproducible)."""
    if not concepts_dir.is_dir():
        span = Span(_display_path(concepts_dir, root), 0)
        return (), (
            Diagnostic(
                span,
                Severity.ERROR,
                "no-notes",
                "the notes directory does not exist",
                "create it or set `concepts_dir` in mkdocs.yml",
            ),
        )
    files = sorted(p for p in concepts_dir.rglob("*") if p.is_file())
    assets = frozenset(
        p.relative_to(concepts_dir).as_posix() for p in files if p.suffix not in NOTE_SUFFIXES
    )
    notes = [p for p in files if p.suffix in NOTE_SUFFIXES and not p.name.startswith(".")]
    sources: list[SourceFile] = []
    diagnostics: list[Diagnostic] = []
    for path in notes:
        display = _display_path(path, root)
        text, problem = decode_note(path.read_bytes(), display)
        if problem is not None:
            diagnostics.append(problem)
        note_dir = path.parent.relative_to(concepts_dir).as_posix()
        local = frozenset(_relative_to_dir(a, note_dir) for a in assets)
        sources.append(SourceFile(display, text, local))
    return tuple(sources), tuple(diagnostics)


def decode_note(data: bytes, display_path: str) -> tuple[str, Diagnostic | None]:
    """Decode a note as strict UTF-8; drop a BOM and turn CRLF/CR into LF.

    Bytes that are not UTF-8 are replaced by U+FFFD (so the rest of the note still builds)
    and reported with the line and byte offset of the first bad byte.
    """
    problem = None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problem = Diagnostic(
            Span(display_path, line),
            Severity.ERROR,
            "not-utf8",
            f"not UTF-8 at byte offset {exc.start} ({exc.reason}); "
            "decoded with U+FFFD replacement characters",
            "save the note as UTF-8",
        )
        text = data.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n"), problem


def _display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _relative_to_dir(asset: str, note_dir: str) -> str:
    if note_dir in ("", "."):
        return asset
    prefix = note_dir + "/"
    return (
        asset[len(prefix) :]
        if asset.startswith(prefix)
        else "../" * (note_dir.count("/") + 1) + asset
    )
