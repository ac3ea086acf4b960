"""The site checker itself (tests/site_audit.py): it finds each thing it is there to find, and
passes a page made the way the theme and KaTeX make them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from .site_audit import audit_html, audit_json, audit_site, url_scheme

THEME_PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>张量 - 深度学习概念笔记</title>
<link rel="stylesheet" href="../../assets/stylesheets/main.342714a4.min.css">
<script>__md_scope=new URL("../..",location),__md_get=(e,_=localStorage)=>JSON.parse(_.getItem(e))</script>
</head><body dir="ltr">
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">
<header class="md-header"><nav class="md-header__inner" aria-label="页眉">
<form class="md-header__option" data-md-component="palette"><input id="__palette_0" name="__palette_0" type="radio"></form>
<script>var palette=__md_get("__palette");if(palette){}</script></nav></header>
<div class="md-main__inner"><script>var target=document.getElementById(location.hash.slice(1));target&&(target.checked=target.name.startsWith("__tabbed_"))</script>
<article class="md-content__inner md-typeset"><h1 id="zhang-liang">张量</h1>
<p>正文 <span class="katex"><span class="base"><span class="strut" style="height:0.6444em;"></span><span class="mord">1</span></span></span></p>
<pre><span></span><code><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>x = 1</code></pre>
<p><img src="a.png" style="zoom:50%" alt="a"> <img src="data:image/png;base64,iVBORw0KGgo=" alt="b">
<img src="https://example.org/c.png" loading="lazy" referrerpolicy="no-referrer" alt="c"></p>
</article></div>
<script id="__config" type="application/json">{"base": "../..", "features": []}</script>
<script src="../../assets/javascripts/bundle.a5f9d56c.min.js"></script>
</body></html>"""


def _rules(markup: str, **kwargs: object) -> set[str]:
    return {f.rule for f in audit_html(markup, "page.html", **kwargs)}  # type: ignore[arg-type]


def _in_article(fragment: str) -> str:
    return THEME_PAGE.replace("<p>正文", fragment + "<p>正文")


def test_a_page_made_like_the_theme_makes_them_passes() -> None:
    assert audit_html(THEME_PAGE, "page.html") == []


@pytest.mark.parametrize(
    ("fragment", "rule"),
    [
        ("<img src=x onerror=alert(1)>", "event-handler"),
        ("<svg><a onclick=alert(1)><text>x</text></a></svg>", "event-handler"),
        ("<script>alert(1)</script>", "script"),
        ('<script src="../../assets/javascripts/bundle.js">alert(1)</script>', "script"),
        ("<iframe src=https://example.org></iframe>", "element"),
        ("<style>body{display:none}</style>", "element"),
        ("<form action=https://example.org><input></form>", "element"),
        ('<a href="javascript:alert(1)">x</a>', "url"),
        ('<a href="  JaVa\tScRipt:alert(1)">x</a>', "url"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "url"),
        ('<a href="vbscript:x">x</a>', "url"),
        ('<a href="data:text/html,x">x</a>', "url"),
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "url"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "url"),
        ('<p style="position:fixed;inset:0">x</p>', "style"),
        ('<img src="a.png" style="zoom:50%;position:fixed">', "style"),
        (
            '<span class="katex"><span style="background:url(https://e.org/x)">x</span></span>',
            "style",
        ),
        ('<p id="__config">x</p>', "id"),
        ('<p id="__consent">x</p>', "id"),
        ('<p id="gbEvil">x</p>', "id"),
        ('<p data-md-component="search">x</p>', "attribute"),
        ('<img src="https://example.org/c.png">', "remote-img"),
        ("<p>a\x00b</p>", "nul"),
        ("<p>alert\x02wzxhzdk:4\x03</p>", "placeholder"),
    ],
)
def test_each_hostile_thing_in_a_page_is_found(fragment: str, rule: str) -> None:
    assert rule in _rules(_in_article(fragment), note_ids={"gbEvil"})


def test_a_note_title_that_closes_the_title_element_is_found() -> None:
    page = THEME_PAGE.replace("张量 - ", "</title><script>alert(1)</script>")
    assert "script" in _rules(page)


def test_a_theme_looking_script_inside_the_content_is_still_found() -> None:
    assert "script" in _rules(_in_article('<script>__md_get("x")</script>'))


@pytest.mark.parametrize(
    ("page", "src", "ours"),
    [
        ("graph/index.html", "graph.js", True),  # the map page loads its own folder's script
        ("concepts/tensor/index.html", "../../graph/graph.js", True),
        ("concepts/tensor/index.html", "graph.js", False),  # concepts/tensor/graph.js: not ours
        ("index.html", "search/search.js", True),
        ("graph/index.html", "evil.js", False),
    ],
)
def test_the_sites_own_scripts_are_known_from_any_page(page: str, src: str, ours: bool) -> None:
    markup = THEME_PAGE.replace("</body>", f'<script src="{src}"></script></body>')
    assert ("script" not in {f.rule for f in audit_html(markup, page)}) is ours


def test_search_index_urls_are_the_sites_own_paths() -> None:
    index = {
        "pages": [
            ["concepts/a/", "<img src=x onerror=1>"],
            ["javascript:alert(1)", "x"],
            ["//evil.example/", "y"],
        ]
    }
    findings = audit_json(json.dumps(index), "search/names.json")
    assert [(f.rule, f.detail) for f in findings] == [
        ("url", "pages[1][0]='javascript:alert(1)'"),
        ("url", "pages[2][0]='//evil.example/'"),
    ]
    assert audit_json("{", "x.json")[0].rule == "json"


def test_concept_graph_node_urls_are_the_sites_own_paths() -> None:
    graph = {"nodes": [["concepts/a/", "<b>t</b>", [], 0, -1, 1], ["javascript:x", "y"]]}
    findings = audit_json(json.dumps(graph), "graph/graph.json")
    assert [(f.rule, f.detail) for f in findings] == [("url", "nodes[1][0]='javascript:x'")]


def test_a_secret_is_found_in_any_file_gzipped_too(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(THEME_PAGE, encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"<loc>http://a/SECRET-1/</loc>"))
    findings = audit_site(tmp_path, secrets=["SECRET-1"])
    assert [(f.file, f.rule) for f in findings] == [("sitemap.xml.gz", "secret")]


def test_a_sitemap_lists_only_web_addresses(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>http://a/b/</loc></url><url><loc>javascript:x</loc></url></urlset>",
        encoding="utf-8",
    )
    (tmp_path / "broken.xml").write_text("<urlset><loc>", encoding="utf-8")
    found = sorted((f.file, f.rule) for f in audit_site(tmp_path))
    assert found == [("broken.xml", "xml"), ("sitemap.xml", "url")]


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:x", "javascript"),
        ("\x01 java\nscript:x", "javascript"),
        ("JAVASCRIPT:x", "javascript"),
        ("../a/", None),
        ("https://e.org", "https"),
        ("#x:y", None),
    ],
)
def test_url_scheme_as_a_browser_reads_it(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme
