"""The site's own search index (glossary_build/search_index.py)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from glossary_build.search_index import (
    SearchPage,
    Section,
    fnv1a32,
    page_sections,
    search_files,
    tokens,
)

VECTORS = json.loads((Path(__file__).parent / "search_tokens.json").read_text(encoding="utf-8"))


def test_tokens_match_the_shared_vectors() -> None:
    for case in VECTORS["tokens"]:
        assert tokens(case["text"]) == (case["terms"], case["pairs"]), case["text"]


def test_fnv1a32_matches_the_shared_vectors() -> None:
    for case in VECTORS["fnv1a32"]:
        assert fnv1a32(case["term"]) == case["fnv1a32"]


def test_chinese_is_cut_into_bigrams_and_adjacent_words_pair() -> None:
    assert tokens("数据容器") == (["数据", "据容", "容器"], [])
    assert tokens("Gradient Descent") == (["gradient", "descent"], ["gradient descent"])
    assert tokens("Adam优化器")[0] == ["adam", "优化", "化器"]


BODY = """
<h1 id="t">张量<a class="headerlink" href="#t">¶</a></h1>
<div class="gb-facts"><p>别名 / Aliases: <strong>tensor</strong></p></div>
<p>是一个数据<em>容器</em>。<br/>公式 <span class="katex"><span class="katex-mathml"><math><semantics>
<mrow><mi>x</mi></mrow><annotation encoding="application/x-tex">x^2</annotation></semantics>
</math></span><span class="katex-html"><span class="base">x2</span></span></span> 完。</p>
<script>alert(1)</script>
<p class="gb-source">来源 / Source: <a href="n/">笔记</a> 第 11 行</p>
<h2 id="shape">形状<a class="headerlink" href="#shape">¶</a></h2>
<ul><li>一</li><li>二</li></ul>
<div class="gb-local-graph" data-gb-graph="tensor"></div>
<h2 class="gb-related" id="相关概念">相关概念</h2>
<ul><li><a href="../m/">矩阵</a> · 同组</li></ul>
<h2 class="gb-backlinks" id="refs">被引用 / Referenced by</h2>
<ul><li><a href="../x/">别的页</a></li></ul>
"""


def test_sections_hold_what_a_reader_sees_of_the_body() -> None:
    assert page_sections(BODY, "张量") == (
        Section("", "张量", "是一个数据容器。 公式 x^2 完。"),
        Section("shape", "形状", "一 二"),
    )


def _decoded(files: dict[str, str]) -> dict[str, list[tuple[int, int, int]]]:
    names = json.loads(files["names.json"])
    found: dict[str, list[tuple[int, int, int]]] = {}
    for path, text in files.items():
        if not path.startswith("terms/"):
            continue
        shard = int(path.removeprefix("terms/").removesuffix(".json"), 16)
        for term, flat in json.loads(text).items():
            assert fnv1a32(term) % names["shards"] == shard
            page = 0
            triples = []
            for i in range(0, len(flat), 3):
                page += flat[i]
                triples.append((page, flat[i + 1], flat[i + 2]))
            found[term] = triples
    return found


PAGES = [
    SearchPage(
        "concepts/tensor/",
        "张量",
        "concept",
        (Section("", "张量", "是一个数据容器。"), Section("shape", "形状", "张量的形状")),
        aliases=("tensor",),
        note="术语表",
        pinyin=("zhang liang",),
    ),
    SearchPage(
        "notes/n/", "术语表", "note", (Section("", "术语表", "数据 容器 gradient descent"),)
    ),
]


def test_postings_decode_to_every_sections_term_counts() -> None:
    files = search_files(PAGES)
    postings = _decoded(files)
    assert postings["容器"] == [(0, 0, 1), (1, 0, 1)]
    assert postings["据容"] == [(0, 0, 1)]  # only where 数据 and 容器 are adjacent
    assert postings["张量"] == [(0, 0, 3), (0, 1, 1)]  # the title counts 3 in section 0
    assert postings["形状"] == [(0, 1, 2)]  # heading and text
    assert postings["tensor"] == [(0, 0, 3)]
    assert postings["gradient descent"] == [(1, 0, 1)]
    names = json.loads(files["names.json"])
    assert names["sections"] == 3
    assert names["notes"] == ["", "术语表"]
    assert names["kinds"][names["pages"][0][4]] == "concept"
    assert names["pages"][0] == ["concepts/tensor/", "张量", ["tensor"], 1, 0, ["zhang liang"]]
    assert names["pages"][1][3] == 0  # no note
    assert json.loads(files["text/0.json"]) == [
        [["", "张量", "是一个数据容器。"], ["shape", "形状", "张量的形状"]],
        [["", "术语表", "数据 容器 gradient descent"]],
    ]


def test_names_are_text_in_the_json() -> None:
    hostile = SearchPage("c/x/", "<img src=x onerror=alert(1)>", "concept", (Section("", "", ""),))
    names = json.loads(search_files([hostile])["names.json"])
    assert names["pages"][0][1] == "<img src=x onerror=alert(1)>"


_TEXT = st.text(
    st.sampled_from(list("数据容器张量形状ab c1-，。 \t")) | st.characters(codec="utf-8"),
    max_size=40,
)


@given(st.lists(st.lists(_TEXT, min_size=1, max_size=3), min_size=1, max_size=4))
def test_every_term_of_every_section_is_found_with_its_count(texts: list[list[str]]) -> None:
    pages = [
        SearchPage(f"p{i}/", "", "other", tuple(Section(f"s{j}", "", t) for j, t in enumerate(s)))
        for i, s in enumerate(texts)
    ]
    postings = _decoded(search_files(pages))
    expected: dict[str, list[tuple[int, int, int]]] = {}
    for i, sections in enumerate(texts):
        for j, text in enumerate(sections):
            plain, pairs = tokens(text if j == 0 else f" {text}")
            for term, count in Counter([*plain, *pairs]).items():
                expected.setdefault(term, []).append((i, j, count))
    assert postings == expected
