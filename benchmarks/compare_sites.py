"""What a reader sees of two built sites, compared: pages, search index, search results.

Usage: .venv/bin/python benchmarks/compare_sites.py SITE_A SITE_B [--queries Q,Q,...]

- pages: every HTML file of A whose bytes differ in B is parsed (html.parser, character
  references decoded): the sequence of elements, attributes and text must be the same, so a
  title now written `Glorot&amp;He` instead of `Glorot&He` counts as unchanged;
- the search index: ``docs`` equal or not, and the first differing fields;
- with ``--queries``: each query typed into both sites' search in headless Chromium
  (/usr/bin/chromium, nothing fetched from the web), the top 5 result titles compared.

Build the sites first, e.g. ``PYTHONPATH=<other checkout> .venv/bin/mkdocs build --site-dir A``
(``.venv/bin/mkdocs`` does not put the working directory on ``sys.path``).
Not a test: a tool to show which pages a change touched.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULT_TITLES = """() => Array.from(
  document.querySelectorAll('.md-search-result__list > li.md-search-result__item article h1')
).map(h1 => h1.innerText.replaceAll('\\u200b', '').trim())"""
DEFAULT_QUERIES = (
    "Glorot&He初始化,Glorot,AP&mAP,Benchmark & Baseline,共享层 & 模型,奥卡姆剃刀,"
    'Occam\'s Razor,"批量",批量,Deep&Cross,WDL,多分类多标签 & 多分类单标签,张量,小批量'
)


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
    left, right = (
        json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        for site in (a, b)
    )
    different = [(x, y) for x, y in zip(left, right, strict=False) if x != y]
    print(f"search docs: {len(left)} / {len(right)}; differing: {len(different)}")
    for x, y in different[:5]:
        for key in x:
            if x[key] != y.get(key):
                print(f"  {x['location']} {key}: {str(x[key])[:120]} | {str(y.get(key))[:120]}")


def compare_queries(a: Path, b: Path, queries: Sequence[str]) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    servers, bases = [], []
    for site in (a, b):
        handler = functools.partial(Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases.append(f"http://127.0.0.1:{server.server_port}/")
    differ = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        for query in queries:
            top = []
            for base in bases:
                page = browser.new_page()
                page.goto(base, wait_until="networkidle")
                page.click("input.md-search__input")
                if query.isascii():
                    page.keyboard.type(query, delay=20)
                else:
                    page.keyboard.insert_text(query)
                    page.keyboard.press("End")
                with contextlib.suppress(PlaywrightTimeout):  # no result is an answer too
                    page.wait_for_function(
                        f"() => ({RESULT_TITLES})().length > 0", timeout=15_000, polling=100
                    )
                page.wait_for_timeout(400)
                top.append(page.evaluate(RESULT_TITLES)[:5])
                page.close()
            same = top[0] == top[1]
            differ += not same
            print(f"  {query}: {'same' if same else 'DIFFERENT'} {top[0] if same else top}")
        browser.close()
    for server in servers:
        server.shutdown()
    print(f"queries whose top 5 differ: {differ} of {len(queries)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--queries", default=None, help=f"default: {DEFAULT_QUERIES}")
    parser.add_argument("--no-queries", action="store_true")
    args = parser.parse_args(argv)
    compare_pages(args.a, args.b)
    compare_index(args.a, args.b)
    if not args.no_queries:
        compare_queries(args.a, args.b, (args.queries or DEFAULT_QUERIES).split(","))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
