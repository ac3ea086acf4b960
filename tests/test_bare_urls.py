"""Bare URLs in prose are links that stop where the URL does (issue 12, item 8)."""

from __future__ import annotations

import functools
import html
import re

import pytest

from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.sanitize import link_url_allowed
from glossary_build.types import BuildResult, SourceFile

from .helpers import ROOT, render_page


def build_note(body: str) -> BuildResult:
    text = f"### 张量(tensor)\n\n{body}\n"
    return build_from_sources([SourceFile("concepts/note.md", text, frozenset())], "Test")


def links(body: str) -> list[tuple[str, str]]:
    page = next(t for p, t in build_note(body).pages.items() if p.startswith("concepts/"))
    html = render_page(page).split('<p class="gb-source"')[0]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', html)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 001:307, in full-width brackets
        (
            "可以从 HDF Group 的官网（https://www.hdfgroup.org/downloads/hdfview/）下载安装。",
            ["https://www.hdfgroup.org/downloads/hdfview/"],
        ),
        # 001:21, alone on its line
        (
            "https://medium.com/tebs-lab/deep-neural-networks-as-computational-graphs-867fcaa56c9",
            [
                "https://medium.com/tebs-lab/deep-neural-networks-as-computational-graphs-867fcaa56c9"
            ],
        ),
        ("见 https://a.example/x，然后", ["https://a.example/x"]),
        ("见 https://a.example/x。", ["https://a.example/x"]),
        ("但实测(https://chat.example.org/)中文", ["https://chat.example.org/"]),
        (
            "(see https://en.example.org/wiki/Tensor_(math)).",
            ["https://en.example.org/wiki/Tensor_(math)"],
        ),
        ("http://a.example/?q=1&r=2, next", ["http://a.example/?q=1&amp;r=2"]),
    ],
)
def test_bare_url_is_a_link_that_stops_at_punctuation(body: str, expected: list[str]) -> None:
    found = links(body)
    assert [href for href, _ in found] == expected
    assert all(html.unescape(href) == html.unescape(text) for href, text in found)


@pytest.mark.parametrize(
    "body",
    [
        "代码 `https://a.example/x` 不是链接",
        "[文字](https://a.example/x)",
        "<https://a.example/x>",
        "![图](https://a.example/x.png)",
        '<a href="https://a.example/x">https://a.example/x</a>',
        "[文字][r]\n\n[r]: https://a.example/x",
        "```\nhttps://a.example/x\n```",
    ],
)
def test_urls_that_are_already_something_are_left_alone(body: str) -> None:
    found = links(body)
    assert len(found) <= 1 and all(h == "https://a.example/x" for h, _ in found)
    assert all(html.unescape(t) in ("https://a.example/x", "文字") for _, t in found)
    assert "&lt;https" not in str(found)


def test_only_web_urls_are_linked() -> None:
    assert links("javascript:alert(1) 与 ftp://a.example/x 与 data:text/html,x") == []


@functools.cache
def _corpus() -> BuildResult:
    return build(BuildConfig(ROOT))


def test_the_notes_bare_urls_are_links() -> None:
    pages = [render_page(p) for p in _corpus().pages.values() if "hdfgroup" in p or "tebs-lab" in p]
    hrefs = [h for page in pages for h in re.findall(r'<a href="(https?://[^"]*)"', page)]
    assert "https://www.hdfgroup.org/downloads/hdfview/" in hrefs
    assert any("tebs-lab" in h for h in hrefs)
    assert all(link_url_allowed(h) and not re.search(r"[^\x00-\x7f]", h) for h in hrefs)


@pytest.mark.parametrize(
    "body",
    [
        "<div>\nhttps://x.example/onmouseover=alert(1)//\n</div>",
        "<div>\n<http://x/onmouseover=alert(1)//>\n</div>",
    ],
)
def test_a_url_in_a_raw_html_block_makes_no_tag(body: str) -> None:
    """Markdown makes no autolink in a raw HTML block: `<https://x/onmouseover=…>` there is a
    tag to a browser, so the rule writes an HTML link."""
    page = next(t for p, t in build_note(body).pages.items() if p.startswith("concepts/"))
    rendered = render_page(page)
    assert not re.search(r"<[^<>]*\sonmouseover", rendered)
