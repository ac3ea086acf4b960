"""Merging, cross-linking and slugs, each hazard written from real sentences of the notes."""

from __future__ import annotations

import re

import pytest

from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.types import BuildResult, SourceFile

from .helpers import ROOT

GLOSSARY = """\
### 张量(tensor)
    是一个数据容器。

### 张量点积
    点积运算,也叫张量积。

### 批量
    深度学习模型不会同时处理整个数据集。

### 小批量(mini-batch)
    将数据拆分成小批量。

### 轴(axis)
    轴用来为超过一维的数组定义的属性。

### 生成对抗网络(Generative Adversarial Networks, GAN)
    由生成器和判别器组成。

### logistic 回归(logistic regression, LR)
    logreg 是一种分类算法。

### clip
    视频片段。

### 词向量(Word Embedding)
    词的向量表示。

### 词嵌入(Word Embedding)
    把词映射为向量。

### 监督学习(supervised learning)
    有标签的学习。

### 误差(error)
    预测与真实值之差。
"""


def _build(body: str, title: str = "测试条目") -> BuildResult:
    note = GLOSSARY + f"\n### {title}\n" + "".join(f"    {line}\n" for line in body.split("\n"))
    return build_from_sources([SourceFile("concepts/术语.md", note)])


def _page(result: BuildResult, title: str) -> str:
    entry = next(e for e in result.entries if e.title == title)
    return result.pages[entry.path]


def _links(result: BuildResult, title: str = "测试条目") -> list[tuple[str, str]]:
    body = _page(result, title).split('<p class="gb-source"')[0]
    return re.findall(r"(?<!\\)\[([^\[\]]+)\]\(([a-z0-9-]+)\.md\)", body)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # leftmost-longest: 张量点积 beats 张量, 小批量 beats 批量
        ("两个向量之间的张量点积是一个标量", [("张量点积", "zhang-liang-dian-ji")]),
        ("将数据拆分成小批量。", [("小批量", "mini-batch")]),
        ("下面是 MNIST 数据集的一个批量,批量大小为 128。", [("批量", "pi-liang")]),
        # ASCII word boundaries and case: tensor yes, tensorflow no
        ("在 tensorflow 中创建 tensor 对象", [("tensor", "tensor")]),
        ("TENSOR 与 Tensor 都是张量", [("TENSOR", "tensor")]),
        # abbreviations match with their case only
        ("用GAN生成图像", [("GAN", "generative-adversarial-networks")]),
        ("an organ, a gan", []),
        # one Chinese character never links; its English alias does
        ("第0轴沿着行的垂直往下(axis=0)", [("axis", "axis")]),
        # one- or two-letter abbreviations never link
        ("在CTR模型的基本框架下的LR,是将特征加权求和", []),
        # the stoplist: generic words
        ("口语里是指视频 就是一段视频叫clip。", []),
        # an alias of two concepts links to neither
        ("Word Embedding 是一种表示", []),
        # a Chinese term after a modifier is another word; English words inside a phrase too
        ("这是无监督学习和自监督学习，不是监督学习", [("监督学习", "supervised-learning")]),
        ("GELU（Gaussian Error Linear Unit）用 error 衡量", [("error", "error")]),
        # the head of a longer name the note glosses is not a mention (004:39, 004:106, 004:671)
        ("通过批量归一化（Batch Normalization）来加速训练", []),
        ("使用**批量归一化**（Batch Normalization）。", []),
        ("张量积(tensor product)", []),
        # a verb ends the name; a gloss needs a word
        ("一个批量叫作批(batch)", [("批量", "pi-liang")]),
        ("批量为(k, k)的矩阵", [("批量", "pi-liang")]),
        ("批量（batch）", [("批量", "pi-liang")]),
    ],
)
def test_mentions(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert _links(_build(sentence)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "代码里的 `tensor = x` 不链接",
        "公式 $tensor_1$ 不链接",
        "网址 https://example.com/tensor 不链接",
        "已有链接 [tensor 文档](https://tensorflow.org) 不再链接",
        "图片 ![tensor 图](https://example.com/a.png) 不链接",
        '<span title="tensor">tensor</span>',
        "双反引号 `` a ` tensor `` 是代码",
        "已有链接 [tensor 文档](https://en.wikipedia.org/wiki/Tensor_(math)) 不再链接",
        'HTML 链接 <a href="https://tensorflow.org">tensor 文档</a> 不再链接',
    ],
)
def test_never_inside_code_math_urls_links_images_or_html(sentence: str) -> None:
    note = GLOSSARY + "\n### 测试条目\n\n" + sentence + "\n"
    result = build_from_sources([SourceFile("concepts/术语.md", note)])
    assert _links(result) == []


def test_first_mention_per_section_and_never_itself() -> None:
    note = GLOSSARY + (
        "\n### 测试条目\n\n张量和张量点积，再说张量。测试条目不链接自己。\n\n"
        "#### 小节\n\n小节里再提张量。\n\n```python\ntensor = 1  # 张量\n```\n"
    )
    result = build_from_sources([SourceFile("concepts/常见.md", note)])
    assert _links(result) == [
        ("张量", "tensor"),
        ("张量点积", "zhang-liang-dian-ji"),
        ("张量", "tensor"),
    ]
    page = _page(result, "测试条目")
    assert "## 小节\n\n小节里再提[张量](tensor.md)。" in page
    assert "tensor = 1  # 张量\n" in page
    assert "[测试条目]" not in page


def test_headings_are_never_linked() -> None:
    note = "### 张量(tensor)\n\n正文\n\n### 主题\n\n#### 张量的定义\n\n正文\n"
    result = build_from_sources([SourceFile("concepts/常见.md", note)])
    assert "## 张量的定义" in _page(result, "主题")


def test_backlinks_list_the_pages_that_link_here() -> None:
    result = _build("张量点积要求形状一致。")
    page = _page(result, "张量点积")
    backlinks = page.split("## 被引用 / Referenced by")[1]
    assert "[测试条目](" in backlinks


def test_duplicates_merge_identical_text_once_and_keep_different_text() -> None:
    revised = "## 常见概念\n\n### SOTA 模型概念\n\n修订后的定义。\n"
    draft = "## 常见概念\n\n### SOTA 模型\n\n最初的定义。\n"
    early = "## SOTA 模型\n\n最初的定义。\n\n## FLOP\n\n浮点运算。\n"
    result = build_from_sources(
        [
            SourceFile("concepts/a-修订.md", revised),
            SourceFile("concepts/b-初稿.md", draft),
            SourceFile("concepts/c-草稿.md", early),
        ]
    )
    (merge,) = result.merges
    assert merge.title == "SOTA 模型"
    assert [str(s) for s in merge.sources] == [
        "concepts/a-修订.md:3",
        "concepts/b-初稿.md:3",
        "concepts/c-草稿.md:1",
    ]
    assert merge.identical == (False, False, True)
    page = _page(result, "SOTA 模型")
    assert page.count("修订后的定义。") == 1
    assert page.count("最初的定义。") == 1
    assert "内容相同 / same text" in page


def test_english_and_chinese_titles_with_one_abbreviation_are_one_concept() -> None:
    note = (
        "### Parameter-Efficient Fine-Tuning (PEFT)\n    英文条目。\n\n"
        "### 参数高效微调 (PEFT)\n    中文条目。\n"
    )
    result = build_from_sources([SourceFile("concepts/术语.md", note)])
    assert len(result.entries) == 1
    assert result.entries[0].title == "参数高效微调"


@pytest.fixture(scope="module")
def corpus() -> BuildResult:
    return build(BuildConfig(ROOT))


def test_corpus_slugs_are_unique_and_readable(corpus: BuildResult) -> None:
    slugs = [e.slug for e in corpus.entries]
    assert len(slugs) == len(set(slugs)) == 450
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs)


def test_rebuild_gives_byte_identical_pages(corpus: BuildResult) -> None:
    assert build(BuildConfig(ROOT)).pages == corpus.pages


def test_deleting_a_concept_changes_no_other_url(corpus: BuildResult) -> None:
    sources = [
        SourceFile(f"concepts/{p.name}", p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "concepts").iterdir())
    ]
    glossary = next(i for i, s in enumerate(sources) if s.path.endswith("深度学习术语表.md"))
    text = sources[glossary].text
    start = text.index("### 张量点积")
    end = text.index("### ", start + 4)
    sources[glossary] = SourceFile(sources[glossary].path, text[:start] + text[end:])
    smaller = build_from_sources(sources)

    def urls(result: BuildResult) -> dict[str, str]:
        return {e.title: e.slug for e in result.entries}

    before, after = urls(corpus), urls(smaller)
    assert set(before) - set(after) == {"张量点积"}
    assert {t: s for t, s in before.items() if t != "张量点积"} == after
