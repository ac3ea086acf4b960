"""The names a concept is searched by besides its own: pinyin and the words inside them."""

from __future__ import annotations

import pytest

from glossary_build.search_terms import pinyin_forms, pinyin_names, search_names, word_parts


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


def test_pinyin_names_are_spaced_syllables() -> None:
    assert pinyin_names(["梯度裁剪", "Gradient Clipping", "熵"]) == ["ti du cai jian", "shang"]


def test_words_inside_a_chinese_name() -> None:
    assert "点积" in word_parts("张量点积")
    assert word_parts("张量") == []  # too short to hold another word
    assert word_parts("Tensor Dot") == []


def test_search_names_title_first_each_once() -> None:
    assert search_names("张量", ["tensor", " 张量 ", "", "tensor"]) == ("张量", "tensor")
