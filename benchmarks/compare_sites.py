"""What a reader sees of two built sites, compared: pages and the search index.

Usage: .venv/bin/python benchmarks/compare_sites.py SITE_A SITE_B

- pages: every HTML file of A whose bytes differ in B is parsed (html.parser, character
  references decoded): the sequence of elements, attributes and text must be the same, so a
  title now written `Glorot&amp;He` instead of `Glorot&He` counts as unchanged;
- the search index: which of its files differ (compare search results with
  ``benchmarks/search_quality.py``).

Build the sites first, e.g. ``PYTHONPATH=<other checkout> .venv/bin/mkdocs build --site-dir A``
(``.venv/bin/mkdocs`` does not put the working directory on ``sys.path``).
Not a test: a tool to show which pages a change touched.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(("<", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.out.append(("</", tag))

    def handle_data(self, data: str) -> None:
        self.out.append(("text", data))


def parsed(path: Path) -> list[tuple[Any, ...]]:
    parser = _Parsed()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.out


def compare_pages(a: Path, b: Path) -> None:
    differ_bytes, differ_seen = 0, []
    for page in sorted(a.rglob("*.html")):
        other = b / page.relative_to(a)
        if not other.exists():
            differ_seen.append(f"{page.relative_to(a)}: missing in B")
            continue
        if page.read_bytes() == other.read_bytes():
            continue
        differ_bytes += 1
        left, right = parsed(page), parsed(other)
        if left != right:
            first = next((x, y) for x, y in zip(left, right, strict=False) if x != y)
            differ_seen.append(f"{page.relative_to(a)}: {first[0]} | {first[1]}")
    print(f"pages with other bytes: {differ_bytes}; that parse differently: {len(differ_seen)}")
    for line in differ_seen[:20]:
        print("  " + line[:300])


def compare_index(a: Path, b: Path) -> None:
    """The search index's files (search/**/*.json): which differ."""
    left, right = (
        {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*.json")}
        for site in (a, b)
    )
    differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    print(f"search index files: {len(left)} / {len(right)}; differing: {len(differ)}")
    for name in differ[:10]:
        print(f"  {name}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    compare_pages(args.a, args.b)
    compare_index(args.a, args.b)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
