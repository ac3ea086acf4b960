"""Author text reaches MkDocs and Material as text, never markup; per-name work is bounded.

Issue 12, rows 1-3 (a file name, a title, a group heading, an alias, a front-matter value
with HTML in it: raw in the nav of every page, the header, `<title>`, the footer and the
search records), 7 (a 100,000-character heading: 9.7 GB) and 8 (2,000 concepts in one group:
a nav section Material renders in quadratic time).

The site checks build a small project (hostile notes beside a good one) with `mkdocs build`
and read every HTML page and the search index with an independent parser (html.parser);
a test below opens the same site in Chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser

from glossary_build import nav
from glossary_build.pipeline import build_from_sources
from glossary_build.search_terms import SEARCH_NAME_LENGTH, pinyin_names
from glossary_build.text import html_text
from glossary_build.types import SourceFile

from .helpers import site_project
from .local_servers import free_port, serving

pytestmark = pytest.mark.site  # runs mkdocs, npm's KaTeX or a browser

IMG = "<img src=x onerror=alert(1)>"
FILE_NOTE = f"笔记{IMG}.md"
GOOD = "### 张量 (Tensor)\n\n张量是多维数组。\n\n### 小批量 (Mini-batch)\n\n一小批样本。\n"
BAD = textwrap.dedent(
    f"""\
    ---
    title: <img src=x onerror=alert(4)>前言
    tags: [<b onmouseover=alert(5)>x</b>]
    ---
    ## <img src=x onerror=alert(1)>分组

    ### {IMG}标题

    正文一

    ### </title><script>alert(1)</script>八

    正文二

    ### 标题 $<img src=x onerror=alert(2)>$

    正文三

    ### 第三个(<img src=x onerror=alert(3)>)

    正文四

    ### "引号" onmouseover="alert 6

    正文五

    #### <b onclick=alert(7)>小节</b> </title>节

    小节正文
    """
)
TITLES = [f"{IMG}标题", "</title><script>alert(1)</script>八", '"引号" onmouseover="alert 6']
GROUP = f"{IMG}分组"


def make_project(root: Path, notes: dict[str, str]) -> Path:
    """A project like the real one (mkdocs.yml, docs/, KaTeX's npm package) with ``notes``."""
    return site_project(root, notes)


def mkdocs_build(project: Path, site: Path, site_url: str = "http://127.0.0.1:8000/") -> None:
    # No --strict: the hostile notes have warnings of their own (that is not what is tested).
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "SITE_URL": site_url,
            "GLOSSARY_KATEX_CACHE": str(project / ".cache" / "katex"),
        },
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def port() -> int:
    """Where the browser test serves the site: site_url must say so (Material previews only
    pages of its sitemap)."""
    return free_port()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, port: int) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = make_project(
        root / "project", {"good.md": GOOD, FILE_NOTE: "### 普通 (Plain)\n\n正文\n", "bad.md": BAD}
    )
    site = root / "site"
    mkdocs_build(project, site, f"http://127.0.0.1:{port}/")
    return site


class Page(HTMLParser):
    """What a browser would make of a page: elements with attributes, text per element."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self.texts: list[tuple[str, str]] = []  # (class of the innermost classed element, text)
        self.title = ""
        self.h1 = ""
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.script_text.append(data)
        elif self._in == "title":
            self.title += data
        elif self._in == "h1":
            self.h1 += data
        self.texts.append((self._in or "", data))

    def text(self) -> str:
        return " ".join(" ".join(t.split()) for _, t in self.texts if t.strip())


def markup_from_notes(page: Page) -> list[str]:
    """Elements and attributes no note may make: event handlers, its script, its images."""
    found = [
        f"<{tag} {name}=...>"
        for tag, attrs in page.elements
        for name in attrs
        if name.startswith("on")
    ]
    found += [f"<{tag} src=x>" for tag, attrs in page.elements if attrs.get("src") == "x"]
    found += [f"script: {s[:60]}" for s in page.script_text if "alert" in s]
    return found


def pages(site: Path) -> Iterator[tuple[str, Page]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), Page(path.read_text(encoding="utf-8"))


def page_titled(site: Path, folder: str, title: str) -> tuple[str, Page]:
    """The page under ``folder`` whose h1 reads ``title`` (found by it: slugs are not ours)."""
    found = [(path, page) for path, page in pages(site / folder) if page.h1.strip() == title]
    assert len(found) == 1, (title, [p for p, _ in found])
    return found[0]


def search_pages(site: Path) -> list[list[Any]]:
    """The site's search index: every page's names and sections (text, never HTML)."""
    names = json.loads((site / "search" / "names.json").read_text(encoding="utf-8"))
    found: list[list[Any]] = names["pages"]
    return found


def test_no_page_holds_markup_from_a_note(hostile_site: Path) -> None:
    found = {path: bad for path, page in pages(hostile_site) if (bad := markup_from_notes(page))}
    assert not found, found


def test_row1_a_file_name_is_text_in_the_nav_of_every_page(hostile_site: Path) -> None:
    name = FILE_NOTE.removesuffix(".md")
    for path, page in pages(hostile_site):
        if path in ("404.html",) or path.startswith("assets/"):
            continue
        # The name as the characters it is made of: in the nav's text, not as an element.
        assert name in page.text(), path
        assert not markup_from_notes(page), path


def test_row2_a_title_is_text_in_tab_header_nav_and_footer(hostile_site: Path) -> None:
    locations = []
    for title in TITLES:
        location, page = page_titled(hostile_site, "concepts", title)
        locations.append(location)
        assert page.title.startswith(f"{title} - "), (location, page.title)
        assert not markup_from_notes(page), location
        # <title>, h1, header, nav: as the characters written
        assert page.text().count(title) >= 4, (title, page.text()[:500])
    # The footer of a neighbour names them as text (previous/next follow the nav's order).
    neighbours = " ".join(
        page.text() for path, page in pages(hostile_site / "concepts") if path not in locations
    )
    assert all(title in neighbours for title in TITLES)


def test_row2_a_group_heading_is_text_in_the_nav_and_its_page(hostile_site: Path) -> None:
    _, page = page_titled(hostile_site, "groups", GROUP)
    assert page.title.startswith(f"{GROUP} - ")
    assert GROUP in page.text()
    assert not markup_from_notes(page)


def test_row2_front_matter_is_text_on_the_note_page(hostile_site: Path) -> None:
    _, page = page_titled(hostile_site, "notes", "bad")
    assert "<img src=x onerror=alert(4)>前言" in page.text()
    assert "<b onmouseover=alert(5)>x</b>" in page.text()
    assert not markup_from_notes(page)


def test_row3_an_alias_is_text_in_the_search_index(hostile_site: Path) -> None:
    """The index holds the names as the characters written (the search box inserts them
    as text; tests/test_search_browser.py types 第三个 and reads it)."""
    (record,) = [p for p in search_pages(hostile_site) if p[1] == "第三个"]
    assert "<img src=x onerror=alert(3)>" in record[2]


def test_one_helper_escapes_for_text_and_attributes() -> None:
    shown = html_text("<a href=\"x\" title='y'>&amp;</a>")
    assert "<" not in shown and '"' not in shown and "'" not in shown
    assert Page(f"<p title='{shown}'>{shown}</p>").text() == "<a href=\"x\" title='y'>&amp;</a>"
    assert Page(f"<p title='{shown}'>").elements[0][1]["title"] == (
        "<a href=\"x\" title='y'>&amp;</a>"
    )


def test_rows1to3_no_alert_in_chromium_opening_pages_and_previewing(
    hostile_site: Path, port: int, browser: Browser
) -> None:
    """Every page opened and every link of the index hovered (instant previews): no dialog
    opens, and no request leaves for `x`. (Typing the names into the search box:
    tests/test_search_browser.py.)"""
    dialogs: list[str] = []
    images: list[str] = []
    with serving(hostile_site, port) as served:
        base = served + "/"
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda r: images.append(r.url) if r.url.endswith("/x") else None)
        for path, _ in pages(hostile_site):
            if path.startswith("assets/"):
                continue
            # "load": after every image has loaded or failed (and its onerror has run)
            page.goto(base + path.removesuffix("index.html"), wait_until="load")
        page.goto(base + "terms/", wait_until="networkidle")
        links = page.locator("article a[href*='concepts/']")
        for index in range(links.count()):
            links.nth(index).hover()
            page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        page.close()
    assert not dialogs, dialogs
    assert not images, images


# --- row 7: a 100,000-character heading ---------------------------------------------------

LONG_NAME = "括号" + "(" * 5_000


def test_row7_search_names_of_a_long_name_are_bounded() -> None:
    """pypinyin's cost grows with what it is given: a 100,000-character heading gives it its
    first SEARCH_NAME_LENGTH characters."""
    extra = pinyin_names([LONG_NAME, "别名" + "(" * 5_000])
    assert sum(len(t) for t in extra) <= 8 * SEARCH_NAME_LENGTH, extra[:3]
    # A real name keeps its pinyin.
    assert pinyin_names(["梯度裁剪"]) == ["ti du cai jian"]


# --- row 8: 2,000 concepts in one group ---------------------------------------------------


def nav_sections(items: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], int]]:
    yield path, len(items)
    for item in items:
        ((title, value),) = item.items()
        if isinstance(value, list):
            yield from nav_sections(value, (*path, title))


def nav_pages(items: Any) -> Iterator[tuple[str, str]]:
    for item in items:
        ((title, value),) = item.items()
        if isinstance(value, list):
            yield from nav_pages(value)
        else:
            yield title, value


def one_group(names: list[str]) -> str:
    return "## 组\n\n" + "".join(f"### {name}\n\n" for name in names)


def test_row8_no_nav_section_is_longer_than_the_limit_with_2000_in_one_group() -> None:
    names = [f"子{i}" for i in range(1, 2001)]
    result = build_from_sources([SourceFile("concepts/many.md", one_group(names))])
    longest = max(nav_sections(result.nav), key=lambda s: s[1])
    assert longest[1] <= nav.NAV_SECTION_LIMIT, longest
    listed = [title for title, page in nav_pages(result.nav) if page.startswith("concepts/")]
    assert sorted(listed) == sorted(names)  # every concept once
    # Chunks read as ranges: `子1 – 子1040` (first and last name in them).
    labels = [path[-1] for path, _ in nav_sections(result.nav) if path and " – " in path[-1]]
    assert labels and all(label.startswith("子") for label in labels)


@settings(max_examples=20)
@given(
    st.lists(
        st.text(alphabet="aA子b张<&( ", min_size=1, max_size=6).map(str.strip).filter(bool),
        min_size=100,  # more than a section holds, in a few initials
        max_size=300,
        unique_by=lambda n: n.casefold(),
    )
)
def test_row8_the_nav_is_bounded_and_complete_whatever_the_names(names: list[str]) -> None:
    result = build_from_sources([SourceFile("concepts/n.md", one_group([f"{n}x" for n in names]))])
    assert all(length <= nav.NAV_SECTION_LIMIT for _, length in nav_sections(result.nav))
    concepts = [page for _, page in nav_pages(result.nav) if page.startswith("concepts/")]
    assert sorted(concepts) == sorted(e.path for e in result.entries)
    # Every title in the nav is HTML text (MkDocs and Material insert it as it is).
    for path, _ in nav_sections(result.nav):
        assert all(not Page(title).elements for title in path)


def test_row8_a_short_section_stays_as_it_is() -> None:
    items = [{f"名{i}": f"concepts/m{i}.md"} for i in range(nav.NAV_SECTION_LIMIT)]
    assert nav._bounded(list(items)) == items
