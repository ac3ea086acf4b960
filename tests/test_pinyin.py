"""One pinyin for every use: slugs, the A–Z index's sort keys and search's pinyin names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_build.index_page import index_key
from glossary_build.pinyin import pinyin_words
from glossary_build.search_terms import pinyin_forms
from glossary_build.slugs import slugify


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("张量", ("zhang", "liang")),
        ("梯度裁剪", ("ti", "du", "cai", "jian")),
        ("张量 Tensor", ("zhang", "liang", " Tensor")),
        ("第１层", ("di", "1", "ceng")),  # full-width digit: the digit it shows
    ],
)
def test_pinyin_words_spell_a_name(name: str, words: tuple[str, ...]) -> None:
    assert pinyin_words(name, 64) == words


@pytest.mark.parametrize("name", ["张量", "梯度裁剪", "第１层", "长短期记忆网络", "ReLU 激活函数"])
def test_slug_index_key_and_search_name_spell_a_name_alike(name: str) -> None:
    spelled = [w.strip().lower() for w in pinyin_words(name, 64) if w.strip()]
    assert slugify(name) == "-".join(spelled).replace(" ", "-")
    assert index_key(name)[1].split() == " ".join(spelled).split()
    assert pinyin_forms(name)[-1].split() == " ".join(spelled).split()


def test_only_a_long_names_start_is_spelled() -> None:
    heading = "张" * 100_000
    assert pinyin_words(heading, 64) == ("zhang",) * 64


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=0, max_value=120))
def test_pinyin_words_never_spell_past_the_limit(text: str, limit: int) -> None:
    # A Chinese character spells at most six letters (zhuang), any other character itself.
    assert len("".join(pinyin_words(text, limit))) <= limit * 6
