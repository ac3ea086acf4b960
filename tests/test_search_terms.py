"""Search-only index fields: names with marks, pinyin, parts and query stems."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from glossary_build.search_terms import (
    NAME_MARK,
    math_as_tex,
    name_tokens,
    pinyin_forms,
    query_stems,
    rewrite_search_index,
    search_terms,
    sorted_keys,
    zwsp_trimmer,
)

from .helpers import ROOT


@pytest.mark.parametrize(
    ("title", "forms"),
    [
        ("张量", ["zhangliang", "zhang liang"]),
        ("梯度裁剪", ["tiducaijian", "ti du cai jian"]),
        ("logistic 回归", ["logistichuigui", "logistic hui gui"]),
        ("Adam", []),
    ],
)
def test_pinyin_forms(title: str, forms: list[str]) -> None:
    assert pinyin_forms(title) == forms


def test_names_that_others_extend_get_more_marks() -> None:
    everything = sorted_keys(
        [
            "张量",
            "张量点积",
            "张量变形",
            "tensor",
            "tensor reshaping",
            "Contextualized RNN",
        ]
    )
    tokens = name_tokens(["张量", "tensor"], everything)
    assert tokens.count("张量") == 1
    assert [t for t in tokens if t.startswith("张量" + NAME_MARK)] == [
        f"张量{NAME_MARK}0",
        f"张量{NAME_MARK}1",
        f"张量{NAME_MARK}2",
    ]
    assert [t for t in tokens if t.startswith("tensor" + NAME_MARK)] == [
        f"tensor{NAME_MARK}0",
        f"tensor{NAME_MARK}1",
    ]
    assert name_tokens(["Contextualized RNN"], everything)[-1] == f"contextualizedrnn{NAME_MARK}0"


@pytest.mark.parametrize(
    ("name", "stems"),
    [("张量点积", ["张量点"]), ("注意力机制", ["注意力机"]), ("张量", []), ("Adam", [])],
)
def test_query_stems(name: str, stems: list[str]) -> None:
    assert query_stems(name) == stems


def test_search_terms_keep_names_apart_from_parts() -> None:
    terms = search_terms("张量点积", ["tensor dot"])
    assert terms.names == ("张量点积", "tensor dot")
    assert "点积" in terms.parts
    assert "张量点" in terms.parts
    assert terms.pinyin == ("zhangliangdianji", "zhang liang dian ji")


def test_rewrite_search_index_puts_fields_on_the_first_section_only() -> None:
    index = {
        "config": {"fields": {"title": {"boost": 1000.0}}},
        "docs": [
            {"location": "concepts/tensor/", "title": "张量", "text": "", "tags": ["张量"]},
            {"location": "concepts/tensor/#_1", "title": "被引用", "text": "", "tags": ["张量"]},
            {"location": "notes/a/", "title": "笔记", "text": ""},
        ],
    }
    terms = {"concepts/tensor/": search_terms("张量", ["tensor"])}
    result = json.loads(rewrite_search_index(json.dumps(index), terms))
    first, second, note = result["docs"]
    assert first["pinyin"] == ["zhangliang", "zhang liang"]
    assert "tensor" in first["tags"]
    assert "tags" not in second
    assert "pinyin" not in note
    assert result["config"]["fields"]["pinyin"] == {"boost": 1e6}


# KaTeX's shape (0.15): MathML with the TeX annotation, then the visual HTML, all in spans.
_KATEX = (
    '<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>x</mi>'
    "<msub><mi>W</mi><mn>1</mn></msub></mrow>"
    '<annotation encoding="application/x-tex">x W_{1} &lt; 1</annotation></semantics></math>'
    '</span><span class="katex-html" aria-hidden="true"><span class="base">'
    '<span class="strut"></span><span class="mord">x</span><span class="mord">W</span>'
    "</span></span></span>"
)


@pytest.mark.parametrize(
    ("page", "indexed"),
    [
        (f"<p>损失 {_KATEX} 之后</p>", "<p>损失  x W_{1} &lt; 1  之后</p>"),
        (
            f'<p>a</p><span class="katex-display">{_KATEX}</span><p>b {_KATEX}</p>',
            '<p>a</p><span class="katex-display"> x W_{1} &lt; 1 </span><p>b  x W_{1} &lt; 1 </p>',
        ),
        ("<p>没有公式 <span>span</span></p>", "<p>没有公式 <span>span</span></p>"),
        # Cut off (never written by KaTeX): kept as it is rather than guessed at.
        ('<p><span class="katex"><span>x</p>', '<p><span class="katex"><span>x</p>'),
    ],
)
def test_search_reads_each_formula_once_as_tex(page: str, indexed: str) -> None:
    assert math_as_tex(page) == indexed


def _project_separator() -> str:
    """The search separator of mkdocs.yml (its one `separator:` line; the file has tags only
    MkDocs' loader reads)."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (line,) = [ln for ln in text.splitlines() if ln.strip().startswith("separator:")]
    return str(yaml.safe_load(line.strip())["separator"])


_PIECES = ["\u200b", "张", "量", "a", "B", "1", " ", "，", "。", ".", "-", "&lt;", "<p>", "\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_trimming_zwsp_keeps_the_words_search_splits_into(text: str) -> None:
    separator = _project_separator()
    trim = zwsp_trimmer(separator)
    assert trim is not None
    words = [w for w in re.split(separator, text) if w]
    assert [w for w in re.split(separator, trim(text)) if w] == words
    assert len(trim(text)) <= len(text)


def test_trimming_zwsp_drops_only_what_a_separator_stands_next_to() -> None:
    trim = zwsp_trimmer(_project_separator())
    assert trim is not None
    z = "\u200b"
    assert trim(f"{z}个{z}概念{z}，{z}来自{z} 6 {z}篇{z}") == f"个{z}概念，来自 6 篇"
    assert trim(f"3.{z}5") == f"3.{z}5"  # `.` before a digit separates nothing
    assert zwsp_trimmer(r"[\s\-]+") is None  # U+200B is no separator: nothing to drop
