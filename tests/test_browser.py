"""What only a browser shows: typeset formulas and requests to other hosts.

Playwright drives Debian's Chromium (/usr/bin/chromium); scripts/test.sh installs both.
"""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Browser


def test_display_formula_is_typeset_and_nothing_comes_from_another_host(
    served_site: str, browser: Browser
) -> None:
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{served_site}/concepts/pi-liang-zheng-ze-hua/", wait_until="networkidle")
    display = page.locator(".katex-display").first
    display.wait_for(state="visible")
    box = display.bounding_box()
    assert box is not None
    assert box["width"] > 0
    assert box["height"] > 0
    assert page.evaluate("document.fonts.check('16px KaTeX_Main')")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.katex')).fontFamily"
    ).startswith("KaTeX_Main")
    hosts = {urlparse(url).netloc for url in requested}
    assert hosts == {urlparse(served_site).netloc}, requested
    page.close()


def test_phone_sized_screen_has_no_horizontal_scroll(served_site: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 740})
    page.goto(f"{served_site}/concepts/tensor/", wait_until="networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert page.locator("h1").inner_text().startswith("张量")
    page.close()


def test_hovering_a_cross_link_previews_the_concept(served_site: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{served_site}/concepts/tensor/", wait_until="networkidle")
    link = page.locator("article a[href='../matrix/']").first
    link.hover()
    preview = page.locator(".md-tooltip2--active")
    preview.wait_for(state="visible", timeout=10_000)
    text = preview.inner_text()
    assert text.startswith("矩阵")
    assert "向量组成的数组叫作矩阵" in text
    page.close()


def test_tapping_a_cross_link_on_a_phone_opens_the_concept(
    served_site: str, browser: Browser
) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{served_site}/concepts/tensor/", wait_until="networkidle")
    page.locator("article a[href='../matrix/']").first.tap()
    page.wait_for_url("**/concepts/matrix/")
    assert page.locator("h1").first.inner_text().startswith("矩阵")
    context.close()
