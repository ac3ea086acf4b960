"""The names the linker knows: titles and aliases folded for matching, the unlinkable apart.

Never linked: names too short, too generic (the stoplist), too long, or ambiguous. Folding
keeps each character's offset (one character in, one out), so a match in the folded text is a
span of the original line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .math import TOKEN_OPEN
from .text import has_cjk
from .types import Entry

__all__ = [
    "MAX_TERM_LENGTH",
    "STOPLIST",
    "Term",
    "fold",
    "is_abbreviation",
    "linkable",
    "term_index",
]

STOPLIST = frozenset(
    {
        "clip",
        "mask",
        "fit",
        "model",
        "data",
        "layer",
        "loss",
        "class",
        "label",
        "sample",
        "batch",
        "train",
        "training",
        "inference",
        "input",
        "output",
        "prediction",
        "模型",
        "数据",
        "训练",
        "推理",
        "学习",
        "参数",
        "函数",
        "问题",
        "方法",
        "概念",
        "输入",
        "输出",
        "预测",
        "编译",
        "拟合",
        "损失",
        "指标",
        "图像",
        "视频",
        "最佳实践",
        "目标",
    }
)
# 无监督学习 is not 监督学习, 自监督 neither, 非线性 is not 线性: a Chinese term right after
"""Words that name a glossary entry but are too generic to link wherever they appear."""


class _FoldTable(dict[int, str]):
    """Each character's fold, computed the first time ``str.translate`` meets it."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        folded = unicodedata.normalize("NFKC", char).casefold()
        if len(folded) != 1:
            folded = char.lower() if len(char.lower()) == 1 else char  # `İ`.lower() is 2
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Case- and width-folded text of the same length (so match offsets map back): each
    character NFKC-normalized and case-folded on its own; where that gives several
    characters, lower-cased, or kept as it is."""
    return text.translate(_FOLD_TABLE)


def is_abbreviation(term: str) -> bool:
    """`GAN`, `LSTM`, `ReLU`…: upper-case Latin letters (and digits), matched with exact case."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*", term)) and (
        sum(c.isupper() for c in term) >= 2
    )


MAX_TERM_LENGTH = 100
"""A name longer than this is a sentence, not a term anyone mentions; and pyahocorasick frees
its trie recursively, one level per character (a title of 1 MB crashed the process)."""


def linkable(term: str) -> bool:
    """Terms never linked: one Chinese character, Latin terms of one or two letters, generic
    words of the stoplist, terms without any letter, and terms too long to be names."""
    stripped = term.strip()
    if not stripped or len(stripped) > MAX_TERM_LENGTH or fold(stripped) in STOPLIST:
        return False
    if has_cjk(stripped):
        return len(stripped) >= 2
    letters = sum(c.isalpha() for c in stripped)
    return letters >= 3


@dataclass(frozen=True, slots=True)
class Term:
    """A title or alias as the linker matches it: the text, the entry it names, and whether
    only the exact case is a mention (abbreviations)."""

    text: str
    entry: int
    exact_case: bool


def term_index(entries: Sequence[Entry]) -> tuple[dict[str, list[Term]], dict[str, set[int]]]:
    """Every title and alias → the entries it names (folded); the ambiguous ones separately.

    A term that is one entry's title and other entries' alias names the title's entry."""
    owners: dict[str, set[int]] = defaultdict(set)
    title_owners: dict[str, set[int]] = defaultdict(set)
    terms: dict[str, list[Term]] = defaultdict(list)
    for index, entry in enumerate(entries):
        for position, text in enumerate((entry.title, *entry.aliases)):
            text = text.strip()
            if not text or TOKEN_OPEN in text:
                continue
            key = fold(text)
            owners[key].add(index)
            if position == 0:
                title_owners[key].add(index)
            terms[key].append(Term(text, index, is_abbreviation(text)))
    ambiguous = {}
    for key, named in owners.items():
        if len(named) == 1:
            continue
        if len(title_owners[key]) == 1:
            (owner,) = title_owners[key]
            terms[key] = [t for t in terms[key] if t.entry == owner]
        else:
            ambiguous[key] = named
    return dict(terms), ambiguous
