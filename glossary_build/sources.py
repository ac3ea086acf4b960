"""Stage 1: find the notes and read them as text (the only stage that touches the disk).

Every byte of a note is untrusted, its file name included: nothing outside the notes folder is
read (a symbolic link that leaves it is reported, not followed), a file name that is not
UTF-8 or holds control characters is shown with escapes, and bytes that cannot be shown
(bad UTF-8, NUL and other control characters) become U+FFFD, each reported where it is.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .codes import Code
from .text import CONTROL_CHARACTERS_RE
from .types import Diagnostic, Severity, SourceFile, Span

NOTE_SUFFIXES = (".md", ".markdown", ".txt")

REPORTED_LINES = 10
"""Bad bytes are reported per line for this many lines, then as one count: a binary file
pasted into the notes must not print a million diagnostics."""
REPORTED_PER_LINE = 5

_SURROGATE_RE = re.compile("[\udc80-\udcff]+")
"""What ``surrogateescape`` decodes each byte that is not UTF-8 to."""


@dataclass(frozen=True, slots=True)
class _Found:
    """One note file or asset found under the notes folder."""

    path: Path
    """Where to read it (a link inside the folder: its target)."""
    relative: tuple[str, ...]
    """Its names below the notes folder, as the file system spells them."""


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
                Code.NO_NOTES,
                "the notes directory does not exist",
                "create it or set `concepts_dir` in mkdocs.yml",
            ),
        )
    diagnostics: list[Diagnostic] = []
    prefix = _display_path(concepts_dir, root)
    found = _walk(concepts_dir, concepts_dir.resolve(), (), prefix, diagnostics)
    notes = [f for f in found if _is_note(f.relative[-1])]
    assets = frozenset(
        "/".join(readable_name(n) for n in f.relative)
        for f in found
        if not _is_note(f.relative[-1])
    )
    sources: list[SourceFile] = []
    shown: set[str] = set()
    for note in notes:
        display = _unique(prefix + "/" + "/".join(readable_name(n) for n in note.relative), shown)
        diagnostics.extend(_name_problems(note.relative, display))
        hidden = note.relative[-1].startswith(".")
        if hidden and not _only_dots(note.relative[-1]):
            diagnostics.append(
                Diagnostic(
                    Span(display, 1),
                    Severity.INFO,
                    Code.HIDDEN_NOTE,
                    "a file whose name starts with '.' is hidden: it is not built",
                    "rename it without the leading '.' to publish it",
                )
            )
            continue
        try:
            data = _read(note.path)
        except OSError as exc:
            diagnostics.append(
                Diagnostic(
                    Span(display, 1),
                    Severity.ERROR,
                    Code.UNREADABLE,
                    f"the note could not be read ({exc.strerror or exc})",
                    "check that it is a readable file",
                )
            )
            continue
        text, problems = decode_note_all(data, display)
        diagnostics.extend(problems)
        note_dir = "/".join(readable_name(n) for n in note.relative[:-1])
        local = frozenset(_relative_to_dir(a, note_dir) for a in assets)
        sources.append(SourceFile(display, text, local))
    return tuple(sources), tuple(diagnostics)


def _is_note(name: str) -> bool:
    return name.endswith(NOTE_SUFFIXES)


def _only_dots(name: str) -> bool:
    """``..md``, ``.md``: no stem but dots. Not a hidden file anyone meant; built, reported."""
    stem = name.rsplit(".", 1)[0]
    return not stem.strip(".")


def _walk(
    directory: Path,
    top: Path,
    relative: tuple[str, ...],
    prefix: str,
    diagnostics: list[Diagnostic],
) -> list[_Found]:
    """Every regular file below ``directory``, in name order, without leaving ``top`` (the
    notes folder, resolved). Hidden folders (``.git``, ``.obsidian``, ``.trash``) are not
    walked; a link is followed only to a file inside ``top``; a FIFO or device is skipped (reading
    one would block the build or never end)."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    found: list[_Found] = []
    for entry in entries:
        names = (*relative, entry.name)
        path = Path(entry.path)
        try:
            if entry.is_symlink():
                target = _link_target(path, top, names, prefix, diagnostics)
                if target is not None:
                    found.append(_Found(target, names))
            elif entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    found.extend(_walk(path, top, names, prefix, diagnostics))
            elif entry.is_file(follow_symlinks=False):
                found.append(_Found(path, names))
        except OSError:
            continue
    return found


def _link_target(
    link: Path,
    top: Path,
    names: tuple[str, ...],
    prefix: str,
    diagnostics: list[Diagnostic],
) -> Path | None:
    """The file a symbolic link inside the notes folder points to, if it is a regular file
    inside the folder too; otherwise a diagnostic (or nothing, for hidden links such as an
    editor's lock file) and None."""
    if names[-1].startswith("."):
        return None
    shown = prefix + "/" + "/".join(readable_name(n) for n in names)
    target = link.resolve()
    if not target.is_relative_to(top):
        diagnostics.append(
            Diagnostic(
                Span(shown, 1),
                Severity.WARNING,
                Code.LINK_OUTSIDE,
                "a symbolic link to something outside the notes folder is not followed",
                "copy the file into the notes folder if it should be published",
            )
        )
        return None
    if target.is_dir():
        # Its files are under the folder already: walking them again would build them twice
        # (or forever, for a link to a parent).
        diagnostics.append(
            Diagnostic(
                Span(shown, 1),
                Severity.INFO,
                Code.LINK_FOLDER,
                "a symbolic link to a folder inside the notes folder is not walked twice",
                "its notes are read from where the folder is",
            )
        )
        return None
    if not target.is_file():
        diagnostics.append(
            Diagnostic(
                Span(shown, 1),
                Severity.WARNING,
                Code.LINK_BROKEN,
                "a symbolic link that points to no readable file is skipped",
                "remove the link or restore its target",
            )
        )
        return None
    return target


def _read(path: Path) -> bytes:
    """Read a regular file; refuse a link that replaced it since the walk."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read()


def readable_name(name: str) -> str:
    """A file name as text that can be shown and written anywhere: bytes that are not UTF-8
    (which Python keeps as lone surrogates) and control characters are written as escapes
    (``zz_\\xff.md``), so the note builds under a name its author can still recognise."""
    if name.isprintable() and not _has_surrogate(name):
        return name
    out = []
    for char in name:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif _is_control(char):
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _has_surrogate(name: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in name)


def _is_control(char: str) -> bool:
    # Cc: C0/C1 controls; Cf: format characters such as the bidi overrides that reorder how
    # a name is shown (U+202E); Zl/Zp: line and paragraph separators.
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _name_problems(relative: tuple[str, ...], display: str) -> list[Diagnostic]:
    problems = []
    if any(readable_name(n) != n for n in relative):
        problems.append(
            Diagnostic(
                Span(display, 1),
                Severity.WARNING,
                Code.FILE_NAME,
                "the file name has bytes that are not UTF-8 or control characters; "
                "it is shown with \\x escapes",
                "rename the file (UTF-8, no control characters)",
            )
        )
    if _only_dots(relative[-1]):
        problems.append(
            Diagnostic(
                Span(display, 1),
                Severity.WARNING,
                Code.FILE_NAME,
                "the file name has no name before its extension",
                "rename the note to say what it is about",
            )
        )
    return problems


def _unique(display: str, shown: set[str]) -> str:
    """Escaped names can meet (a file literally named ``a\\xff.md``): keep paths distinct."""
    candidate, counter = display, 2
    while candidate in shown:
        stem, dot, suffix = display.rpartition(".")
        candidate = f"{stem}~{counter}{dot}{suffix}" if dot else f"{display}~{counter}"
        counter += 1
    shown.add(candidate)
    return candidate


def decode_note_all(data: bytes, display_path: str) -> tuple[str, list[Diagnostic]]:
    """Decode a note as strict UTF-8; drop a BOM and turn CRLF/CR into LF.

    Each byte that is not UTF-8 and each control character (NUL, ESC, ...; not tab or
    newline) becomes U+FFFD, so the rest of the note still builds, and is reported with its
    line (and, for bytes, its offset): every line up to :data:`REPORTED_LINES`, then a count.
    """
    problems: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="surrogateescape")
        problems.extend(_bad_bytes(text, display_path))
        text = _SURROGATE_RE.sub(lambda m: "\ufffd" * len(m[0]), text)
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL_CHARACTERS_RE.search(text):
        problems.extend(_controls(text, display_path))
        text = CONTROL_CHARACTERS_RE.sub("\ufffd", text)
    return text, problems


def _bad_bytes(text: str, display_path: str) -> list[Diagnostic]:
    """One diagnostic per line with bytes that are not UTF-8 (``text``: decoded with
    ``surrogateescape``), with the offset of each run of them."""
    by_line: dict[int, list[tuple[int, int]]] = {}
    total = 0
    line, scanned, offset = 1, 0, 0
    for match in _SURROGATE_RE.finditer(text):
        before = text[scanned : match.start()]
        line += before.count("\n")
        # Byte offsets: only counted while they are still reported (encoding is linear but
        # not free); the count of runs is always exact.
        if len(by_line) <= REPORTED_LINES:
            offset += len(before.encode("utf-8", "surrogateescape"))
            by_line.setdefault(line, []).append((offset, len(match[0])))
            offset += len(match[0])
        total += len(match[0])
        scanned = match.end()
    problems = []
    for number, runs in list(by_line.items())[:REPORTED_LINES]:
        shown = ", ".join(
            f"{start}" + (f" ({length} bytes)" if length > 1 else "")
            for start, length in runs[:REPORTED_PER_LINE]
        )
        more = len(runs) - REPORTED_PER_LINE
        if more > 0:
            shown += f" and {more} more"
        problems.append(
            Diagnostic(
                Span(display_path, number),
                Severity.ERROR,
                Code.NOT_UTF8,
                f"not UTF-8 at byte offset {shown}; decoded with U+FFFD replacement characters",
                "save the note as UTF-8",
            )
        )
    if len(by_line) > REPORTED_LINES:
        problems.append(
            Diagnostic(
                Span(display_path, list(by_line)[REPORTED_LINES]),
                Severity.ERROR,
                Code.NOT_UTF8,
                f"{total} bytes in all are not UTF-8 (the first lines are listed above); "
                "decoded with U+FFFD replacement characters",
                "save the note as UTF-8",
            )
        )
    return problems


def _controls(text: str, display_path: str) -> list[Diagnostic]:
    by_line: dict[int, list[str]] = {}
    total = 0
    line, scanned = 1, 0
    for match in CONTROL_CHARACTERS_RE.finditer(text):
        line += text.count("\n", scanned, match.start())
        scanned = match.start()
        total += 1
        if len(by_line) <= REPORTED_LINES:
            by_line.setdefault(line, []).append(f"U+{ord(match[0]):04X}")
    problems = []
    for number, codes in list(by_line.items())[:REPORTED_LINES]:
        shown = ", ".join(dict.fromkeys(codes))
        problems.append(
            Diagnostic(
                Span(display_path, number),
                Severity.WARNING,
                Code.CONTROL_CHARACTER,
                f"{len(codes)} control character(s) ({shown}) replaced by U+FFFD",
                "delete them: they are invisible and cannot be shown in a page",
            )
        )
    if len(by_line) > REPORTED_LINES:
        problems.append(
            Diagnostic(
                Span(display_path, list(by_line)[REPORTED_LINES]),
                Severity.WARNING,
                Code.CONTROL_CHARACTER,
                f"{total} control characters in all replaced by U+FFFD "
                "(the first lines are listed above)",
                "delete them: they are invisible and cannot be shown in a page",
            )
        )
    return problems


def _display_path(path: Path, root: Path) -> str:
    try:
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return "/".join(readable_name(part) for part in shown.split("/"))


def _relative_to_dir(asset: str, note_dir: str) -> str:
    if note_dir in ("", "."):
        return asset
    prefix = note_dir + "/"
    return (
        asset[len(prefix) :]
        if asset.startswith(prefix)
        else "../" * (note_dir.count("/") + 1) + asset
    )


__all__ = [
    "NOTE_SUFFIXES",
    "REPORTED_LINES",
    "REPORTED_PER_LINE",
    "decode_note_all",
    "discover",
    "readable_name",
]
