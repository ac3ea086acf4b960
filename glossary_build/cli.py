"""Thin command-line adapter: ``glossary-build build|check|stats``."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .katex import DEFAULT_CACHE_DIR, DEFAULT_NPM_KATEX, ENGINES, KatexRenderer
from .pipeline import BuildConfig, build
from .types import BuildResult, NoteStats, Severity
from .urls import DEFAULT_URL_MAP


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glossary-build", description="Build concept pages from the notes in concepts/."
    )
    parser.add_argument("--root", type=Path, default=Path("."), help="project root (default: .)")
    parser.add_argument(
        "--concepts", type=Path, default=Path("concepts"), help="notes directory, relative to root"
    )
    parser.add_argument(
        "--no-math",
        action="store_true",
        help="do not render formulas with KaTeX (faster; no KaTeX diagnostics)",
    )
    parser.add_argument(
        "--katex-engine", choices=ENGINES, default="auto", help="how formulas are rendered"
    )
    parser.add_argument(
        "--url-map",
        type=Path,
        default=Path(DEFAULT_URL_MAP),
        help="URL map to keep published URLs by, relative to root (read only; mkdocs build "
        "updates it)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="print every diagnostic as path:line: level: message")
    commands.add_parser(
        "stats", help="per note: concepts, groups, sub-sections, code, images, formulas"
    )
    out = commands.add_parser("build", help="write the generated Markdown pages to a directory")
    out.add_argument("--out", type=Path, required=True, help="directory to write pages into")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run ``glossary-build`` with ``argv``; the exit status (1 when ``check`` finds errors)."""
    out = stdout or sys.stdout
    args = _parser().parse_args(argv)
    renderer = None
    if not args.no_math:
        renderer = KatexRenderer(
            args.root / DEFAULT_CACHE_DIR,
            engine=args.katex_engine,
            npm_katex=args.root / DEFAULT_NPM_KATEX,
        )
    result = build(BuildConfig(args.root, args.concepts, url_map=args.url_map), renderer)
    if args.command == "check":
        return _check(result, out)
    if args.command == "stats":
        _stats(result.stats, out)
        _graph(result, out)
        return 0
    return _write(result, args.out, out)


def _check(result: BuildResult, out: TextIO) -> int:
    for diagnostic in result.diagnostics:
        print(diagnostic.format(), file=out)
    counts = {s: sum(1 for d in result.diagnostics if d.severity is s) for s in Severity}
    print(
        f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
        f"{counts[Severity.INFO]} notes",
        file=out,
    )
    return 1 if result.has_errors else 0


_COLUMNS = (
    ("concepts", "concepts"),
    ("groups", "groups"),
    ("subsections", "sub-sections"),
    ("code_blocks", "code"),
    ("images", "images"),
    ("formulas", "formulas"),
    ("formulas_rendered", "rendered"),
    ("empty_concepts", "empty"),
)


def _width(text: str) -> int:
    """Columns a terminal uses for ``text`` (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _stats(stats: Sequence[NoteStats], out: TextIO) -> None:
    name_width = max([_width("note"), *(_width(s.path) for s in stats)])
    header = _pad("note", name_width) + "  " + "  ".join(f"{label:>12}" for _, label in _COLUMNS)
    print(header, file=out)
    for row in stats:
        values = "  ".join(f"{getattr(row, field):>12}" for field, _ in _COLUMNS)
        print(f"{_pad(row.path, name_width)}  {values}", file=out)
    totals = "  ".join(f"{sum(getattr(s, f) for s in stats):>12}" for f, _ in _COLUMNS)
    print(f"{_pad('total', name_width)}  {totals}", file=out)


def _graph(result: BuildResult, out: TextIO) -> None:
    graph = result.graph
    if graph is None:
        return
    print(
        f"\npages: {graph.concepts} concepts, {graph.aliases} aliases "
        f"({graph.ambiguous_aliases} ambiguous, not linked), {graph.merges} merged, "
        f"{graph.cross_links} cross-links, {graph.pages_with_backlinks} pages with backlinks",
        file=out,
    )
    for merge in result.merges:
        sources = ", ".join(
            f"{span}{' (same text)' if same else ''}"
            for span, same in zip(merge.sources, merge.identical, strict=True)
        )
        print(f"merged: {merge.title} ← {sources}", file=out)


def _write(result: BuildResult, target: Path, out: TextIO) -> int:
    for page, content in result.pages.items():
        path = target / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    print(f"wrote {len(result.pages)} pages to {target}", file=out)
    for diagnostic in result.diagnostics:
        if diagnostic.severity is not Severity.INFO:
            print(diagnostic.format(), file=sys.stderr)
    return 1 if result.has_errors else 0


__all__ = [
    "main",
]
