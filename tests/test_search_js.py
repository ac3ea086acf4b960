"""The search box's pure functions (glossary_build/assets/search/search.js) under Node: the
tokenizer and hash against the shared vectors, the names layer's order, the full-text
ranking contract of SEARCH-SPEC and the marks of snippets.

Every case of a test goes to one `node` process (a process per case would cost more than
the cases)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "glossary_build" / "assets" / "search" / "search.js"
NODE = shutil.which("node")

# Reads [[function, args], ...] as JSON on stdin, prints the results as JSON.
DRIVER = """
const search = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const calls = JSON.parse(input);
  const state = {};
  const results = calls.map(([name, args]) => {
    if (name === "namesIndex") {
      state.index = search.namesIndex(search.pagesOf(...args));
      return null;
    }
    if (name === "matchNames") return search.matchNames(state.index, ...args);
    if (name === "rank") {
      const [query, postings, sections] = args;
      return search.rankFullText(search.queryTerms(query), (t) => postings[t], sections);
    }
    return search[name](...args);
  });
  process.stdout.write(JSON.stringify(results));
});
"""

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def run_js(calls: list[tuple[str, list[Any]]]) -> list[Any]:
    assert NODE is not None
    proc = subprocess.run(
        [NODE, "-e", DRIVER, str(SEARCH_JS)],
        input=json.dumps(calls, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[Any] = json.loads(proc.stdout)
    return results


# ---------------------------------------------------------------- tokens and hash


def test_tokens_of_the_spec_examples() -> None:
    texts = [
        "数据容器",
        "Gradient  Descent",
        "Adam优化器",
        "relu6, 2D",
        "ＡＢＣ　ｄｅｆ",  # full width: NFKC makes it abc def, and U+3000 a space
        "张",
        "a-b c",
        "x 数据 y",
        "ﬁne tuning",
    ]
    got = run_js([("tokens", [text]) for text in texts])
    assert got == [
        {"terms": ["数据", "据容", "容器"], "pairs": []},
        {"terms": ["gradient", "descent"], "pairs": ["gradient descent"]},
        {"terms": ["adam", "优化", "化器"], "pairs": []},
        {"terms": ["relu6", "2d"], "pairs": []},
        {"terms": ["abc", "def"], "pairs": ["abc def"]},
        {"terms": ["张"], "pairs": []},
        {"terms": ["a", "b", "c"], "pairs": ["b c"]},
        {"terms": ["x", "数据", "y"], "pairs": []},
        {"terms": ["fine", "tuning"], "pairs": ["fine tuning"]},
    ]


def test_fnv1a32_is_the_spec_hash() -> None:
    terms = ["", "a", "数据", "gradient descent", "𠀀"]
    got = run_js([("fnv1a32", [term]) for term in terms])
    expected = []
    for term in terms:
        value = 0x811C9DC5
        for byte in term.encode("utf-8"):
            value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
        expected.append(value)
    assert got == expected
    assert got[1] == 0xE40C292C  # FNV-1a 32 of "a", the published value


# Characters where tokenizers disagree: Han at the edges of its ranges, letters and digits
# of other scripts, marks, blanks of every kind, punctuation, compatibility forms.
_TRICKY = (
    "数据容器张量aZ09 \t\n\u3000\u00a0\u2003\u200b\ufeff\x1c\x85,.-_'’（）《》"
    "\u3400\u4dbf\u4e00\u9fff\uf900\ufaff\u3007\u2160½²éé\u0301ßİΣσçжי٣ﬁＡ１"
    "𠀀😀"
)


def test_tokens_agree_with_the_python_tokenizer_on_random_text() -> None:
    index = pytest.importorskip("glossary_build.search_index")
    rng = random.Random(13)
    texts = ["".join(rng.choices(_TRICKY, k=rng.randint(0, 24))) for _ in range(2000)]
    got = run_js([("tokens", [text]) for text in texts])
    for text, js in zip(texts, got, strict=True):
        terms, pairs = index.tokens(text)
        assert (js["terms"], js["pairs"]) == (list(terms), list(pairs)), repr(text)


# ---------------------------------------------------------------- the names layer


KINDS = ["concept", "note", "group", "letter", "home", "other"]


def _page(
    title: str, aliases: list[str] | None = None, *pinyin: str, kind: str = "concept"
) -> list[Any]:
    """A page of names.json: [url, title, aliases, note, kind, spaced pinyin]."""
    return [f"concepts/{title}/", title, aliases or [], 1, KINDS.index(kind), list(pinyin)]


PAGES = [
    _page("张量", ["tensor"], "zhang liang"),  # 0
    _page("张量点积", ["tensor product"], "zhang liang dian ji"),  # 1
    _page("张量变形", ["tensor reshaping"], "zhang liang bian xing"),  # 2
    _page("梯度裁剪", ["gradient clipping"], "ti du cai jian"),  # 3
    _page("Adam"),  # 4
    _page("Transformer"),  # 5
    _page("奥卡姆剃刀", ["Occam's razor"], "ao ka mu ti dao"),  # 6
    _page("哈达玛积", ["Hadamard product"], "ha da ma ji"),  # 7
    _page("优化器", ["optimizer"], "you hua qi"),  # 8
    _page("张量", kind="group"),  # 9: a group page of the same name
    _page("变量", ["variable"], "bian liang"),  # 10
    _page("批量梯度下降", ["batch gradient descent"], "pi liang ti du xia jiang"),  # 11
    _page("小批量", ["mini-batch", "批量"], "xiao pi liang", "pi liang"),  # 12
    _page("批量", [], "pi liang"),  # 13
    _page("Sigmoid函数", [], "sigmoid han shu"),  # 14
    _page("激活函数", ["Activation Function"], "ji huo han shu"),  # 15
    _page("False Negative", ["FN"]),  # 16
]
NAMES = {"notes": ["", "笔记"], "kinds": KINDS, "pages": PAGES}


def test_pages_of_names_json_derive_the_joined_pinyin_and_the_initials() -> None:
    [pages] = run_js([("pagesOf", [NAMES])])
    assert pages[3] == {
        "u": "concepts/梯度裁剪/",
        "t": "梯度裁剪",
        "a": ["gradient clipping"],
        "n": "笔记",
        "k": "concept",
        "p": ["tiducaijian", "ti du cai jian", "tdcj"],
    }
    assert pages[12]["p"] == ["xiaopiliang", "xiao pi liang", "xpl", "piliang", "pi liang", "pl"]
    assert pages[9]["k"] == "group"


def _names(queries: list[str]) -> list[list[tuple[int, int]]]:
    got = run_js([("namesIndex", [NAMES]), *[("matchNames", [q]) for q in queries]])[1:]
    return [[(hit["d"], hit["tier"]) for hit in hits] for hits in got]


EXACT, PINYIN, PREFIX, PINYIN_PREFIX, CONTAINS, TYPO, MIXED = range(7)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # exact title or alias, any case and width; the concept before the group page
        ("张量", [(0, EXACT), (9, EXACT), (1, PREFIX), (2, PREFIX)]),
        ("TENSOR", [(0, EXACT), (1, PREFIX), (2, PREFIX)]),
        ("ｔｅｎｓｏｒ", [(0, EXACT), (1, PREFIX), (2, PREFIX)]),
        # pinyin: joined, spaced, spaced typed without spaces, initials
        ("zhangliang", [(0, PINYIN), (1, PINYIN_PREFIX), (2, PINYIN_PREFIX)]),
        ("zhang liang", [(0, PINYIN), (1, PINYIN_PREFIX), (2, PINYIN_PREFIX)]),
        ("tdcj", [(3, PINYIN)]),
        ("zl", [(0, PINYIN), (1, PINYIN_PREFIX), (2, PINYIN_PREFIX)]),
        # prefix: the shorter name first ("tensor p" is only in 张量点积's alias)
        ("tensor p", [(1, PREFIX)]),
        ("梯度", [(3, PREFIX), (11, CONTAINS)]),
        # a name containing the query; a word inside a name
        ("剃刀", [(6, CONTAINS)]),
        ("点积", [(1, CONTAINS)]),
        # inside a Latin word is no match: `adam` is not in Hadamard
        ("adam", [(4, EXACT)]),
        # typos: 1 edit from 5 letters, 2 from 9; a transposition is one edit
        ("transfomer", [(5, TYPO)]),
        ("trasnformer", [(5, TYPO)]),
        # a typo of a whole name before a typo of a word inside a name
        ("tensro", [(0, TYPO), (1, TYPO), (2, TYPO)]),
        ("gradeint", [(3, TYPO), (11, TYPO)]),
        ("tesnor", [(0, TYPO), (1, TYPO), (2, TYPO)]),
        ("adma", []),  # 4 letters: no typo tolerance
        # mixed scripts: the longer contained name first
        ("Adam优化器", [(4, MIXED), (8, MIXED)]),
        # the page titled so before the page that has it as an alias
        ("批量", [(13, EXACT), (12, EXACT), (11, PREFIX)]),
        ("pi liang", [(13, PINYIN), (12, PINYIN), (11, PINYIN_PREFIX)]),
        # mixed: a name starting with the Latin part before a Chinese name inside the query
        ("Sigmoid激活函数", [(14, MIXED), (15, MIXED)]),
        # no name is cut out of a Latin word
        ("FFN包含", []),
        # a Latin name after Chinese text is part of a phrase, not a name with its category
        ("引入adam优化器", []),
        ("优化器adam", []),
        # one script: a phrase, not a name (the full-text layer answers it)
        ("控制变量", []),
        ("", []),
    ],
)
def test_names_layer_order(query: str, expected: list[tuple[int, int]]) -> None:
    assert _names([query])[0] == expected


def test_names_layer_typo_bounds() -> None:
    # "transformer" has 11 letters: 2 edits are tolerated, 3 are not.
    two, three = _names(["trnasfomer", "tarnsfomr"])
    assert two == [(5, TYPO)]
    assert three == []


# ---------------------------------------------------------------- full-text ranking


def _postings(triples: list[tuple[int, int, int]]) -> list[int]:
    """The spec's encoding: (page delta, section, tf), the page delta-encoded."""
    flat: list[int] = []
    last = 0
    for page, section, tf in triples:
        flat += [page - last, section, tf]
        last = page
    return flat


def _rank(
    query: str, postings: dict[str, list[tuple[int, int, int]]], sections: int = 100
) -> list[Any]:
    encoded = {term: _postings(triples) for term, triples in postings.items()}
    result: list[Any] = run_js([("rank", [query, encoded, sections])])[0]
    return result


def test_rank_decodes_page_deltas_and_keeps_up_to_every_section() -> None:
    ranked = _rank("数据", {"数据": [(3, 0, 1), (3, 2, 1), (7, 1, 4)]})
    assert [page["d"] for page in ranked] == [7, 3]
    assert [hit["i"] for hit in ranked[1]["sections"]] == [0, 2]


def test_rank_is_and_first_then_more_terms_then_score() -> None:
    # 数据容器: 数据, 据容, 容器. Page 1 has all three once; page 2 has 数据 and 容器 many
    # times; page 3 has only 容器, often.
    ranked = _rank(
        "数据容器",
        {
            "数据": [(1, 0, 1), (2, 0, 9), (4, 0, 1)],
            "据容": [(1, 0, 1)],
            "容器": [(1, 0, 1), (2, 0, 9), (3, 0, 9)],
        },
    )
    assert [page["d"] for page in ranked] == [1, 2, 3, 4]
    assert [page["sections"][0]["matched"] for page in ranked] == [3, 2, 1, 1]
    # 容器 (df 3) and 数据 (df 3) weigh the same; page 3's tf 9 beats page 4's tf 1.
    assert ranked[2]["sections"][0]["score"] > ranked[3]["sections"][0]["score"]


def test_rank_idf_and_tf_saturation_follow_the_spec() -> None:
    import math

    ranked = _rank("adam sgd", {"adam": [(0, 0, 2)], "sgd": [(0, 0, 1), (1, 0, 1)]}, sections=10)
    score = ranked[0]["sections"][0]["score"]
    expected = math.log(1 + 10 / 1) * 2 / 3.2 + math.log(1 + 10 / 2) * 1 / 2.2
    assert score == pytest.approx(expected)


def test_rank_pair_terms_boost_adjacent_words() -> None:
    postings = {
        "gradient": [(0, 0, 1), (1, 0, 1)],
        "descent": [(0, 0, 1), (1, 0, 1)],
        "gradient descent": [(1, 0, 1)],  # only page 1 has the words side by side
    }
    assert [page["d"] for page in _rank("gradient descent", postings)] == [1, 0]
    # Without the blank there is no pair: the order falls back to the page number.
    assert [page["d"] for page in _rank("gradient,descent", postings)] == [0, 1]


def test_merge_puts_the_names_layer_first_without_repeating_pages() -> None:
    merged = run_js(
        [
            (
                "mergeResults",
                [
                    [{"d": 5, "tier": 0, "key": 0}],
                    [{"d": 2, "sections": []}, {"d": 5, "sections": []}],
                ],
            )
        ]
    )[0]
    assert [item["d"] for item in merged] == [5, 2]
    assert merged[0]["text"] == {"d": 5, "sections": []}


# ---------------------------------------------------------------- marks and snippets


def test_marks_join_adjacent_bigrams_and_respect_latin_word_starts() -> None:
    needles, ranges, latin = run_js(
        [
            ("markNeedles", ["数据容器"]),
            ("markRanges", ["它是一个数据容器。", ["数据", "据容", "容器"]]),
            ("markRanges", ["Hadamard Adam adamw", ["adam"]]),
        ]
    )
    assert sorted(needles) == sorted(["数据", "据容", "容器"])
    assert [r[:2] for r in ranges] == [[4, 8]]
    assert [r[:2] for r in latin] == [[9, 13], [14, 18]]


def test_marks_map_back_through_normalisation() -> None:
    # Full-width letters are normalised for matching; the marks cover the original text.
    [ranges] = run_js([("markRanges", ["用ＡＤＡＭ吧", ["adam"]])])
    assert [r[:2] for r in ranges] == [[1, 5]]


def test_snippet_is_a_window_around_the_matches_with_the_match_marked() -> None:
    text = "开头" * 100 + "这里是数据容器的定义" + "结尾" * 100
    [segments] = run_js([("snippet", [text, ["数据", "据容", "容器"], 40])])
    joined = "".join(s["text"] for s in segments)
    assert joined.startswith("…") and joined.endswith("…")
    assert [s["text"] for s in segments if s["mark"]] == ["数据容器"]
    assert len(joined) <= 40 + 2
