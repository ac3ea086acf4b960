"""One real `mkdocs build --strict` of the whole corpus, and checks on the built HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from glossary_build.pipeline import BuildConfig, build

from .helpers import ROOT

pytestmark = pytest.mark.site


def _page(site_dir: Path, url: str) -> str:
    return (site_dir / url / "index.html").read_text(encoding="utf-8")


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_strict_build_has_no_warnings(site: tuple[Path, str]) -> None:
    _, log = site
    assert not [ln for ln in log.splitlines() if ln.startswith(("WARNING", "ERROR"))]


def test_one_page_per_concept(site: tuple[Path, str]) -> None:
    site_dir, _ = site
    result = build(BuildConfig(ROOT))
    concepts = sum(s.concepts for s in result.stats)
    built = list((site_dir / "concepts").glob("*/index.html"))
    assert concepts == 469
    assert len(built) == len(result.entries) == 450
    assert len(list((site_dir / "notes").glob("*/index.html"))) == 5
    assert (site_dir / "index.html").exists()


@pytest.mark.parametrize(
    ("url", "title", "alias"),
    [
        ("concepts/tensor", "张量", "tensor"),
        ("concepts/logistic-regression", "logistic 回归", "logreg"),
        ("concepts/latent-space", "隐空间", "Latent Space"),
        ("concepts/sota-mo-xing", "SOTA 模型", None),
        ("concepts/duo-shu-chu-fen-lei", "多输出分类", None),
        ("concepts/pi-liang-zheng-ze-hua", "批量正则化", "BN"),
        ("concepts/recall", "召回率", "TPR"),
    ],
)
def test_concept_page_title_aliases_and_source(
    site: tuple[Path, str], url: str, title: str, alias: str | None
) -> None:
    page = _page(site[0], url)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert h1 and _text(h1.group(1)).strip().rstrip("¶").strip() == title
    if alias:
        facts = re.search(r'<div class="gb-facts">(.*?)</div>', page, re.S)
        assert facts and alias in _text(facts.group(1))
    source = re.search(r'<p class="gb-source">(.*?)</p>', page, re.S)
    assert source and re.search(r"第 \d+ 行 / line \d+", _text(source.group(1)))


def test_glossary_prose_is_not_code(site: tuple[Path, str]) -> None:
    page = _page(site[0], "concepts/tensor")
    sentence = "是一个数据容器。它包含的数据几乎总是数值数据"
    assert sentence in page
    pres = "".join(re.findall(r"<pre.*?</pre>", page, re.S))
    assert sentence not in pres


def test_python_session_is_verbatim_code(site: tuple[Path, str]) -> None:
    page = _page(site[0], "concepts/tensor-reshaping")
    pres = [_text(p) for p in re.findall(r"<pre.*?</pre>", page, re.S)]
    assert any(">>> x = x.reshape((6, 1))" in p for p in pres)
    assert any("                                [2., 3.]," in p for p in pres)


def test_literal_symbols_in_prose_show_as_written(site: tuple[Path, str]) -> None:
    texts = "".join(
        _text(p.read_text(encoding="utf-8")) for p in (site[0] / "concepts").glob("*/index.html")
    )
    for literal in ("<EOS>", "[MASK]", "[h,w,c]*[1,1,c] ==> [h,w,c]"):
        assert literal in texts, literal


def test_front_matter_and_attribute_lines_are_not_shown(site: tuple[Path, str]) -> None:
    site_dir = site[0]
    pages = [p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")]
    assert not any("{.marker-none}" in p or "{.col-span-3}" in p for p in pages)
    texts = [_text(p) for p in pages]
    assert not any("bg-gradient-to-r from-pink-500" in t or "copyCode" in t for t in texts)
    note = _text(_page(site_dir, "notes/handsonml-di-11-zhang-wen-da"))
    assert "Hands On Machine Learning with Scikit-Learn Keras and TensorFlow" in note
    assert "---" not in note.split("Hands On ML", 1)[0]


def test_missing_image_is_a_placeholder_not_a_broken_img(site: tuple[Path, str]) -> None:
    page = "".join(
        p.read_text(encoding="utf-8") for p in (site[0] / "concepts").glob("*/index.html")
    )
    assert 'class="gb-missing-image"' in page
    assert "classical concept.assets/image-20231023161836894.png" in html.unescape(page)
    assert not re.search(r'<img[^>]+src="[^"]*classical', page)


def test_theme_has_dark_toggle_language_and_no_google_fonts(site: tuple[Path, str]) -> None:
    page = _page(site[0], "concepts/tensor")
    assert '<html lang="zh"' in page
    assert 'data-md-color-scheme="slate"' in page
    assert "fonts.googleapis.com" not in page
    assert 'name="viewport"' in page


def _text_outside_code(page: str) -> str:
    page = re.sub(r"<(pre|code)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<span class="katex">.*?</annotation>', " ", page, flags=re.S)
    return _text(page)


def test_every_formula_is_typeset(site: tuple[Path, str]) -> None:
    site_dir = site[0]
    found = sum(s.formulas for s in build(BuildConfig(ROOT)).stats)
    pages = [p.read_text(encoding="utf-8") for p in (site_dir / "concepts").glob("*/index.html")]
    typeset = sum(p.count('<span class="katex">') for p in pages)
    assert found == 117
    assert typeset >= found
    assert not any("gb-math-error" in p for p in pages)
    for page in pages:
        text = _text_outside_code(page)
        assert "KaTeX:" not in text
        assert "$$" not in text
        assert "$`" not in text


def test_katex_css_and_fonts_are_served_by_the_site(site: tuple[Path, str]) -> None:
    site_dir = site[0]
    page = _page(site_dir, "concepts/pi-liang-zheng-ze-hua")
    assert 'href="../../assets/katex/katex.min.css"' in page
    css = (site_dir / "assets/katex/katex.min.css").read_text(encoding="utf-8")
    fonts = re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)
    assert fonts
    assert all((site_dir / "assets/katex" / f).exists() for f in fonts)


def test_no_page_loads_anything_from_another_host(site: tuple[Path, str]) -> None:
    """Scripts, stylesheets, fonts and icons are local; only the author's own remote images
    (kept remote on purpose, the build fetches nothing) point elsewhere. A canonical
    <link> names the page's own address and loads nothing."""
    remote_images = 0
    loading = re.compile(
        r'<(script|link|img|iframe|source)\b(?![^>]*rel="canonical")[^>]*?(?:src|href)="(?:https?:)?//'
    )
    for path in site[0].rglob("*.html"):
        for tag in loading.findall(path.read_text(encoding="utf-8")):
            assert tag == "img", f"{path}: <{tag}> loads from another host"
            remote_images += 1
    assert remote_images > 0


def test_no_broken_internal_link_or_anchor(site: tuple[Path, str]) -> None:
    site_dir = site[0]
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))
        return ids[path]

    broken: list[str] = []
    checked = 0
    for page in site_dir.rglob("*.html"):
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page.read_text(encoding="utf-8")):
            href = html.unescape(href)
            if re.match(r"^[a-z]+:|^//", href):
                continue
            target, _, anchor = href.partition("#")
            base = site_dir if target.startswith("/") else page.parent
            path = (base / unquote(target.lstrip("/"))).resolve() if target else page
            if path.is_dir():
                path = path / "index.html"
            checked += 1
            if not path.exists():
                broken.append(f"{page.relative_to(site_dir)} → {href}")
            elif anchor and path.suffix == ".html" and unquote(anchor) not in anchors(path):
                broken.append(f"{page.relative_to(site_dir)} → {href} (no such anchor)")
    assert checked > 5000
    assert not broken, "\n".join(broken[:20])


def test_chinese_headings_get_readable_anchors(site: tuple[Path, str]) -> None:
    page = _page(site[0], "concepts/momentum")
    assert 'id="问题-1什么是动量优化momentum-optimization"' in page
    assert not re.search(r'id="_\d+"', page)
