"""The search benchmark's query set (tests/search_queries.tsv) is about the real notes.

Every expected title is a concept page of the real build, every kind is one the benchmark
reports, each row of a kind is what its kind says (a pinyin row is the title's pinyin, a typo
row is within the edit distance the search promises, ...), and the body phrases are exactly
what benchmarks/body_phrases.py draws from the notes: they cannot be picked or edited by hand.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from pypinyin import lazy_pinyin

from glossary_build.pipeline import BuildConfig, build

from .helpers import ROOT

QUERIES = ROOT / "tests" / "search_queries.tsv"
KINDS = ("zh-full", "zh-part", "en", "abbr", "pinyin", "pinyin-initials", "mixed", "typo", "body")
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")

# The body phrases of the first query set, written by hand before the script existed; every
# other body row must come from the script.
HAND_WRITTEN_BODY = (
    ("立方体", "3D 张量"),
    ("控制变量", "消融实验"),
    ("dying", "更好的激活函数"),
    ("曼哈顿", "范式函数概念"),
    ("欧几里得", "向量范数"),
    ("维特比", "HMM和CRF的三个基本问题"),
    ("Huber", "回归损失函数"),
    ("hinge", "分类损失函数"),
    ("NVIDIA", "BF16"),
)


def _load(name: str) -> ModuleType:
    path = ROOT / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@functools.cache
def rows() -> list[tuple[str, str, str]]:
    lines = QUERIES.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "query\texpected_title\tkind"
    result = []
    for line in lines[1:]:
        fields = line.split("\t")
        assert len(fields) == 3, line
        result.append((fields[0], fields[1], fields[2]))
    return result


@functools.cache
def names() -> dict[str, tuple[str, ...]]:
    """Each concept page's title → its title and aliases, from the real build."""
    result = build(BuildConfig(root=ROOT, url_map=Path("glossary-urls.json")))
    return {entry.title: (entry.title, *entry.aliases) for entry in result.entries}


def of_kind(kind: str) -> list[tuple[str, str]]:
    return [(query, title) for query, title, k in rows() if k == kind]


def test_size_kinds_and_no_repeats() -> None:
    assert len(rows()) >= 200
    kinds = Counter(kind for _, _, kind in rows())
    assert set(kinds) == set(KINDS)
    assert kinds["body"] >= 80 + len(HAND_WRITTEN_BODY)
    repeated = [row for row, n in Counter(rows()).items() if n > 1]
    assert repeated == []
    queries = [query for query, _, _ in rows()]
    assert all(q == q.strip() and q for q in queries)
    assert len(set(queries)) == len(queries)


def test_the_benchmark_reports_these_kinds() -> None:
    assert tuple(_load("search_quality").KINDS) == KINDS


def test_every_expected_title_is_a_concept_page() -> None:
    titles = names()
    missing = [(q, t) for q, t, _ in rows() if t not in titles]
    assert missing == []


def test_name_rows_are_names() -> None:
    wrong = []
    for query, title in of_kind("zh-full"):
        if query not in names()[title] or not HAN_RE.search(query):
            wrong.append(query)
    for query, title in of_kind("zh-part"):
        if not any(query in name and query != name for name in names()[title]):
            wrong.append(query)
    for query, title in of_kind("en"):
        if not query.isascii() or query.casefold() not in {n.casefold() for n in names()[title]}:
            wrong.append(query)
    for query, title in of_kind("abbr"):
        if not re.fullmatch(r"[A-Z][A-Z0-9]+", query) or query not in names()[title]:
            wrong.append(query)
    assert wrong == []


def _syllables(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", " ".join(lazy_pinyin(name)).lower())


def test_pinyin_rows_are_pypinyin_of_a_chinese_name() -> None:
    wrong = []
    for query, title in of_kind("pinyin"):
        forms = set()
        for name in names()[title]:
            if HAN_RE.search(name):
                syllables = _syllables(name)
                forms |= {"".join(syllables), " ".join(syllables)}
        if query not in forms:
            wrong.append(query)
    for query, title in of_kind("pinyin-initials"):
        forms = {
            "".join(s[0] for s in _syllables(name))
            for name in names()[title]
            if HAN_RE.search(name) and len(_syllables(name)) >= 3
        }
        if query not in forms:
            wrong.append(query)
    assert wrong == []


def test_mixed_rows_join_a_latin_name_and_chinese() -> None:
    """`Adam优化器` → Adam: a Latin word of one of the page's names, with Chinese that is
    not the rest of a name."""
    wrong = []
    for query, title in of_kind("mixed"):
        words = {w.casefold() for name in names()[title] for w in LATIN_RE.findall(name)}
        latin = [w.casefold() for w in LATIN_RE.findall(query)]
        if not HAN_RE.search(query) or not any(w in words for w in latin):
            wrong.append(query)
        if query.casefold() in {n.casefold() for n in names()[title]}:
            wrong.append(query)
    assert wrong == []


def osa_distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: adjacent swaps count 1)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("transfomer", "transformer", 1),
        ("dropuot", "dropout", 1),
        ("abc", "abc", 0),
        ("ca", "abc", 3),
        ("kitten", "sitting", 3),
    ],
)
def test_osa_distance(a: str, b: str, distance: int) -> None:
    assert osa_distance(a, b) == distance


def test_typo_rows_are_within_the_promised_distance() -> None:
    """1 edit from 5 letters, 2 from 9, of a Latin name or a Latin word of a name; never a
    name of any page itself."""
    every_name = {n.casefold() for ns in names().values() for n in ns}
    wrong = []
    for query, title in of_kind("typo"):
        allowed = 2 if len(query) >= 9 else 1 if len(query) >= 5 else 0
        targets = {n.casefold() for n in names()[title] if n.isascii()}
        targets |= {w.casefold() for n in names()[title] for w in LATIN_RE.findall(n)}
        best = min(osa_distance(query, t) for t in targets) if targets else 99
        if not query.isascii() or not 1 <= best <= allowed or query in every_name:
            wrong.append((query, best))
    assert wrong == []


def test_body_rows_are_the_scripts_output() -> None:
    drawn = _load("body_phrases").body_phrases(ROOT, count=100, seed=1)
    assert len(drawn) == 100
    body = of_kind("body")
    assert body == [*HAND_WRITTEN_BODY, *((p.query, p.title) for p in drawn)]
    # The drawn rows close the file, in the script's order (regenerate by replacing them).
    assert rows()[-len(drawn) :] == [(p.query, p.title, "body") for p in drawn]
