"""Classifying 002's indented body lines, escaping prose, consuming attribute lines."""

from __future__ import annotations

import markdown
import pytest

from glossary_build.normalize.glossary_bodies import (
    classify_indented_lines,
    indented_body_to_markdown,
    is_python_statement,
)
from glossary_build.pipeline import build_from_sources
from glossary_build.text import code_spans, escape_markdown, unescape_markdown
from glossary_build.types import Diagnostic, Line, RawNote, Section, SourceFile


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("batch = train_images[:128]", True),
        ("p.drop(0, axis=1)", True),
        ("model.compile(loss='mean_squared_error', optimizer ='sgd')", True),
        ("import numpy as np", True),
        # pseudo-formulas and prose stay prose
        ("Jmse = sum(math.pow(yi-yi', 2))/N", False),
        ("a·b=|a|×|b|cosθ；（θ为a,b之间的夹角）", False),
        ("false alarm rate(F) = FALSE ALARM/(FALSE ALARM + CORRECT REJECTION)", False),
        ("fine-tuning", False),
        ("Huber loss", False),
        ("LSTM", False),
        ("张量是矩阵向任意维度的推广", False),
        # nesting Python's parser gives up on (RecursionError, MemoryError) is not code
        ("a+" * 100_000 + "a", False),
        ("-" * 10_000 + "x", False),
    ],
)
def test_is_python_statement(line: str, expected: bool) -> None:
    assert is_python_statement(line) is expected


@pytest.mark.parametrize(
    ("lines", "kinds"),
    [
        (
            [
                "简单的例子。",
                ">>> x = np.array([[0., 1.],",
                "                [2., 3.]])",
                ">>> x.shape",
                "(2, 2)",
            ],
            ["prose", "code", "code", "code", "code"],
        ),
        (
            ["p.drop(0, axis=1)", "Out[13]: ", "   1  2", "0  2  3", "然后是下一个批量。"],
            ["code", "code", "code", "code", "prose"],
        ),
        (
            [
                "def f(x):",
                "    y = x  # 注释：中文",
                "    # 第二步：激励",
                "",
                "    return y",
                "结束。",
            ],
            ["code", "code", "code", "code", "code", "prose"],
        ),
        (
            [
                "                预测为正          预测为负",
                "真实值为正       TP(True Positive)       FN(False Negative)",
                "其中：说明",
            ],
            ["code", "code", "prose"],
        ),
        (
            [
                ">>>                       batch_size 为5",
                "time_step1:    i        he      she",
                "然后，rnn计算损失",
            ],
            ["code", "code", "prose"],
        ),
        (
            [
                "* 均方差 Mean Squared Error (MSE) 损失",
                "Jmse = sum(math.pow(yi-yi', 2))/N",
                "事实上",
            ],
            ["prose", "prose", "prose"],
        ),
        (
            ["1.Bert的词向量在空间中的分布并不均匀", "  Bert的词向量在空间中的分布呈现锥形"],
            ["prose", "prose"],
        ),
    ],
)
def test_classify_indented_lines(lines: list[str], kinds: list[str]) -> None:
    assert classify_indented_lines(lines) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "a*b*c",
        "<EOS>",
        "[MASK]",
        "A | B",
        "* Huber loss",
        "1. 第一",
        "# 注释",
        "x_1 and y_2",
        "`code`",
        "&nbsp;",
    ],
)
def test_escaped_prose_renders_literally(text: str) -> None:
    html = markdown.markdown(escape_markdown(text), extensions=["tables"])
    plain = html.removeprefix("<p>").removesuffix("</p>")
    assert plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text
    assert unescape_markdown(escape_markdown(text)) == text


def test_indented_body_to_markdown_makes_prose_and_fenced_code() -> None:
    body = tuple(
        Line(n, t)
        for n, t in enumerate(
            [
                "    深度学习模型不会同时处理整个数据集。",
                "    batch = train_images[:128]",
                "    然后是下一个批量。",
                "| 模型 | 问题 |",
                "| --- | --- |",
            ],
            start=44,
        )
    )
    lines = indented_body_to_markdown(body)
    texts = [ln.text for ln in lines]
    assert texts == [
        "深度学习模型不会同时处理整个数据集。",
        "",
        "```python",
        "batch = train_images[:128]",
        "```",
        "",
        "然后是下一个批量。",
        "",
        "| 模型 | 问题 |",
        "| --- | --- |",
    ]
    assert [ln.number for ln in lines if ln.text == "```python"] == [45]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a `b` c", ["`b`"]),
        ("``a ` b`` c", ["``a ` b``"]),
        ("`a`` b` c", ["`a`` b`"]),
        # Python-Markdown pairs an opener with a shorter run when no run of its length follows.
        ("``a` b", ["``a`"]),
        ("```", []),
        ("`a` `b`", ["`a`", "`b`"]),
        ("```a`` b``` c `", ["```a`` b```"]),
        ("`" * 100_000, []),
    ],
)
def test_code_spans_pair_backtick_runs_of_equal_length(text: str, spans: list[str]) -> None:
    assert [text[start:end] for start, end in code_spans(text)] == spans


@pytest.mark.parametrize(
    "table",
    [
        # more cells than the header, the only spare pipe closes the row: nothing to escape
        "`a|b`\n|---\nb |",
        "| a |\n|---|\n| b | c | d (e|f) |",
        "| a | b |\n| --- | --- |\n| `x|y` | z | w |",
    ],
)
def test_wide_table_rows_keep_their_text(table: str) -> None:
    result = build_from_sources([SourceFile("concepts/t.md", f"### 表\n\n{table}\n")])
    page = next(p for path, p in result.pages.items() if path.startswith("concepts/"))
    for cell in ("b", "d", "e", "f", "w", "x", "y"):
        assert (cell in table) <= (cell in page)


_SECTIONED_NOTE = """\
# 甲

一 $a$ 与 $$b$$，`KaTeX:c`。

# 乙

```KaTeX
d
```

> 引用 $e$ <script>x</script> ![图](missing.png)

# 丙

| a | b |
|---|---|
| 1 | 2 | 3 |

$$
f
$$
"""


@pytest.mark.parametrize(
    "edited",
    [
        _SECTIONED_NOTE,  # nothing changed
        _SECTIONED_NOTE.replace("一 $a$", "一 $a$ $a_2$"),  # a formula more before the rest
        _SECTIONED_NOTE.replace("一 $a$ 与 ", "一 "),  # a formula fewer
        _SECTIONED_NOTE.replace("# 乙\n", "# 乙\n\n新的一行\n"),  # lines below move
        _SECTIONED_NOTE.replace("| 1 | 2 | 3 |", "| 1 | 2 |"),  # a diagnostic fewer
    ],
)
def test_normalize_with_a_section_cache_is_normalize(
    edited: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glossary_build import normalize as stage
    from glossary_build.parse import parse_note

    def raw(text: str) -> RawNote:
        return parse_note(SourceFile("concepts/n.md", text))[0]

    expected = stage.normalize(raw(edited))
    cache: stage.SectionCache = {}
    stage.normalize(raw(_SECTIONED_NOTE), cache)
    normalized: list[Section] = []
    real = stage._normalize_section

    def counting(note: RawNote, section: Section) -> stage.NormalizedSection:
        normalized.append(section)
        return real(note, section)

    monkeypatch.setattr(stage, "_normalize_section", counting)
    assert stage.normalize(raw(edited), cache) == expected  # note, formulas, diagnostics
    # The same as every rule run over the whole note at once (formulas numbered across it).
    whole, diagnostics = raw(edited), list[Diagnostic]()
    for rule in stage.RULES:
        whole, found = rule(whole)
        diagnostics.extend(found)
    assert expected[0] == whole and len(whole.formulas) >= 5
    assert sorted(expected[1], key=repr) == sorted(diagnostics, key=repr)
    changed = [s for s in raw(edited).sections if s not in raw(_SECTIONED_NOTE).sections]
    assert normalized == changed  # only those normalized again
    assert len(cache) == len(raw(edited).sections)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("前 [[[ x", "前 \\[\\[\\[ x"),
        ("[ok](u) 和 [跨\n行] 与 [尚未", "[ok](u) 和 [跨\n行] 与 \\[尚未"),
        ("[a [b](u) [[c]] [[[d]", "\\[a [b](u) [[c]] \\[\\[[d]"),
        ("![图](a.png) [x](y (z)) [p](q", "![图](a.png) [x](y (z)) \\[p](q"),
        ('`[code` 与 \\[ 与 <img alt="[x"> 与 [', '`[code` 与 \\[ 与 <img alt="[x"> 与 \\['),
        ("<div>\n[[\n</div>", "<div>\n[[\n</div>"),  # raw HTML: a backslash would show
        ("    [[ indented", "    [[ indented"),
        ("[" * 5 + "]", "\\[" * 4 + "[]"),
        ("![a](" * 3, "!\\[a](" * 3),
        # Python-Markdown finds links before tags and autolinks (CommonMark 494, 526, 538)…
        (
            "[a](<b)c> 与 [foo<https://x.org/?q=](uri)>",
            "[a](<b)c> 与 [foo<https://x.org/?q=](uri)>",
        ),
        # …but reads `(<target>)` before it counts parentheses (499)
        ("[link](<foo(and(bar)>) 与 [p](q", "[link](<foo(and(bar)>) 与 \\[p](q"),
    ],
)
def test_unclosable_brackets_are_escaped_and_render_the_same(text: str, expected: str) -> None:
    from glossary_build.normalize.brackets import escape_unclosable_brackets
    from glossary_build.parse import parse_note

    raw = parse_note(SourceFile("concepts/n.md", f"# 标题\n\n{text}\n"))[0]
    escaped, _ = escape_unclosable_brackets(raw)
    lines = [line.text for section in escaped.sections for line in section.body]
    assert "\n".join(lines).strip("\n") == expected
    assert markdown.markdown(expected) == markdown.markdown(text)
