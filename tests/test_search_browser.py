"""The site's own search as a reader uses it, in Chromium, on the real site's build.

Every query of tests/search_queries.tsv is put into the header's box; each kind must reach the
floors issue 13 sets (benchmarks/search_quality.py prints the same figures, with times). Then
the keyboard path (`/`, `s`, arrows, Enter, Esc), the words marked on the page a result opens,
a 390 px phone, and names written as HTML shown as characters. The `mkdocs serve` edit is in
tests/test_serve.py.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page

from .helpers import ROOT
from .local_servers import serving
from .test_boundary import BAD, GOOD, IMG, TITLES, make_project, mkdocs_build

pytestmark = pytest.mark.site

INPUT = "input.md-search__input"
RESULT = ".gb-search-result"
RESULT_TITLES = ".md-search-result__item > a:first-child h1"
TENSOR = "concepts/tensor/"

# Issue 13's floors per kind: (recall@1, recall@5); names, aliases, pinyin and mixed queries
# must come first, body phrases and typos within the first five.
FLOORS = {
    "zh-full": (0.90, 0.97),
    "zh-part": (0.0, 0.90),
    "en": (0.90, 0.97),
    "abbr": (0.90, 0.97),
    "pinyin": (0.90, 0.97),
    "pinyin-initials": (0.90, 0.97),
    "mixed": (0.90, 0.97),
    "typo": (0.0, 0.85),
    "body": (0.0, 0.95),
}


def read_queries() -> list[tuple[str, str, str]]:
    with (ROOT / "tests" / "search_queries.tsv").open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["query"], row["expected_title"], row["kind"]) for row in rows]


def search(page: Page, query: str) -> list[str]:
    """Put ``query`` into the box and wait for the full text's answer: the result titles."""
    page.fill(INPUT, query)
    page.wait_for_function(
        """(q) => {
            const result = document.querySelector(".gb-search-result");
            return result.dataset.query === q && result.dataset.state === "done";
        }""",
        arg=query.strip(),
        timeout=15_000,
    )
    return [" ".join(title.split()) for title in page.locator(RESULT_TITLES).all_inner_texts()]


def open_box(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.keyboard.press("/")
    page.wait_for_selector(f"{RESULT}[data-names=ready]", timeout=30_000)


@pytest.fixture(scope="module")
def page(served_site: str, browser: Browser) -> Iterator[Page]:
    """One tab for the whole module, every request it makes recorded on ``page.requested``."""
    tab = browser.new_page()
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.requested = requested  # type: ignore[attr-defined]
    yield tab
    tab.close()


def test_every_kind_of_query_finds_its_concept(served_site: str, page: Page) -> None:
    open_box(page, f"{served_site}/{TENSOR}")
    ranks: dict[str, list[int | None]] = defaultdict(list)
    misses: list[str] = []
    for query, expected, kind in read_queries():
        titles = search(page, query)
        rank = titles.index(expected) + 1 if expected in titles else None
        ranks[kind].append(rank)
        if rank != 1:
            misses.append(f"{kind} {query!r} → {expected!r} at {rank}: {titles[:5]}")
    assert set(ranks) == set(FLOORS)
    below = []
    for kind, (floor1, floor5) in FLOORS.items():
        found = ranks[kind]
        at1 = sum(rank == 1 for rank in found) / len(found)
        at5 = sum(rank is not None and rank <= 5 for rank in found) / len(found)
        if at1 < floor1 or at5 < floor5:
            below.append(
                f"{kind}: recall@1 {at1:.1%} (≥ {floor1:.0%}), @5 {at5:.1%} (≥ {floor5:.0%})"
            )
    assert not below, "\n".join(below + misses)
    hosts = {urlparse(url).netloc for url in page.requested}  # type: ignore[attr-defined]
    assert hosts == {urlparse(served_site).netloc}


def test_keyboard_opens_moves_through_and_follows_results(served_site: str, page: Page) -> None:
    page.goto(f"{served_site}/{TENSOR}", wait_until="networkidle")
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    assert not page.evaluate("document.activeElement.matches('input.md-search__input')")

    page.keyboard.press("/")
    page.keyboard.type("juanji")
    page.wait_for_function(
        "document.querySelector('.gb-search-result').dataset.state === 'done'"
        " && document.querySelector('.gb-search-result').dataset.query === 'juanji'"
    )
    links = page.locator("a.md-search-result__link")
    assert links.count() >= 3
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    active = page.locator("a.md-search-result__link.gb-search-active")
    assert active.count() == 1
    assert active.get_attribute("href") == links.nth(1).get_attribute("href")
    assert page.get_attribute(INPUT, "aria-activedescendant") == active.get_attribute("id")
    target = urlparse(str(page.evaluate("(a) => a.href", active.element_handle())))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlparse(url).path == target.path)
    assert not page.evaluate("document.getElementById('__search').checked")


def test_the_page_a_result_opens_marks_the_words(served_site: str, page: Page) -> None:
    # A body phrase of 消融实验's page: the result link carries it, the page marks it.
    open_box(page, f"{served_site}/{TENSOR}")
    titles = search(page, "控制变量")
    assert titles[0] == "消融实验"
    page.locator(RESULT_TITLES).first.click()
    page.wait_for_url("**/concepts/**")
    assert parse_qs(urlparse(page.url).query)["h"] == ["控制变量"]
    marks = page.locator("article mark.gb-search-hit")
    marks.first.wait_for()
    assert {text for text in marks.all_inner_texts()} == {"控制变量"}
    assert page.locator("h1").first.inner_text().startswith("消融实验")


def test_search_on_a_390px_phone(served_site: str, browser: Browser) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    phone = context.new_page()
    phone.goto(f"{served_site}/{TENSOR}", wait_until="networkidle")
    button = phone.locator("label.gb-search-button")
    assert button.is_visible()
    assert not phone.evaluate("document.getElementById('__search').checked")
    button.tap()
    assert phone.evaluate("document.getElementById('__search').checked")
    # The box slides in (Material's transition): it ends inside the screen.
    phone.wait_for_function(
        """() => {
            const box = document.querySelector("input.md-search__input").getBoundingClientRect();
            return box.left >= 0 && box.right <= innerWidth && box.width > 300;
        }"""
    )
    titles = search(phone, "梯度裁剪")
    assert titles[0] == "梯度裁剪"
    first = phone.locator(RESULT_TITLES).first.bounding_box()
    assert first is not None
    assert first["x"] >= 0
    assert first["x"] + first["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator(RESULT_TITLES).first.tap()
    phone.wait_for_url("**/concepts/**")
    assert phone.locator("h1").first.inner_text().startswith("梯度裁剪")
    context.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A small site whose titles, aliases and group are HTML (tests/test_boundary.py's notes)."""
    root = tmp_path_factory.mktemp("hostile-search")
    project = make_project(root / "project", {"good.md": GOOD, "bad.md": BAD})
    site = root / "site"
    mkdocs_build(project, site)
    with serving(site) as base:
        yield base


@pytest.mark.parametrize("query", ["onerror", "第三个", "引号", "alert"])
def test_names_written_as_html_are_shown_as_characters(
    hostile_site: str, browser: Browser, query: str
) -> None:
    tab = browser.new_page()
    dialogs: list[str] = []
    images: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("request", lambda request: images.append(request.url) if "/x" in request.url else None)
    open_box(tab, f"{hostile_site}/")
    titles = search(tab, query)
    assert titles, f"no result for {query!r}"
    shown = tab.locator(RESULT).inner_text()
    results = tab.locator(RESULT)
    assert results.locator("img, script, b, [onerror], [onclick], [onmouseover]").count() == 0
    if query == "onerror":
        assert any(IMG in title for title in titles), titles
        assert any(title in shown for title in TITLES[:1])
    if query == "第三个":
        # The alias of `### 第三个(<img src=x onerror=alert(3)>)`, as typed.
        aliases = " ".join(tab.locator(".gb-search-aliases").all_inner_texts())
        assert "<img src=x onerror=alert(3)>" in aliases
    tab.wait_for_timeout(200)
    assert not dialogs
    assert not images
    assert tab.evaluate("document.querySelectorAll('.md-search img').length") == 0
    tab.close()


def test_the_box_says_when_nothing_matches(served_site: str, page: Page) -> None:
    open_box(page, f"{served_site}/{TENSOR}")
    assert search(page, "qqqzzzxxx") == []
    assert page.locator(f"{RESULT} .md-search-result__meta").inner_text() == "没有找到结果"


def test_results_come_from_the_site_alone(served_site: str, page: Page) -> None:
    """Every request the tab made in this module went to the site itself."""
    hosts = {urlparse(url).netloc for url in page.requested}  # type: ignore[attr-defined]
    assert hosts == {urlparse(served_site).netloc}
    assert any("/search/names.json" in url for url in page.requested)  # type: ignore[attr-defined]
    assert any("/search/terms/" in url for url in page.requested)  # type: ignore[attr-defined]
