"""The names a concept is searched by besides its own: their pinyin."""

from __future__ import annotations

import pytest

from glossary_build.search_terms import pinyin_forms, pinyin_names, search_names


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


def test_search_names_title_first_each_once() -> None:
    assert search_names("张量", ["tensor", " 张量 ", "", "tensor"]) == ("张量", "tensor")
