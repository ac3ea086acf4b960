"""Heading → title/aliases, and the concept level of each note shape."""

from __future__ import annotations

import pytest

from glossary_build.headings import parse_heading
from glossary_build.model import concept_level, to_concepts
from glossary_build.normalize import normalize
from glossary_build.parse import parse_note
from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import SourceFile

from .helpers import ROOT


@pytest.mark.parametrize(
    ("raw", "title", "aliases", "status"),
    [
        # 深度学习术语表 (002)
        ("张量(tensor)", "张量", ("tensor",), ()),
        ("类(class)", "类", ("class",), ()),
        ("隐空间（Latent Space）", "隐空间", ("Latent Space",), ()),
        (
            "logistic 回归(logistic regression,简称 logreg, LR)",
            "logistic 回归",
            ("logistic regression", "logreg", "LR"),
            (),
        ),
        (
            "因子分解机(Factorization Machine, FM)",
            "因子分解机",
            ("Factorization Machine", "FM"),
            (),
        ),
        (
            "神经网络语言模型（Neural Language Model，简称NLM）",
            "神经网络语言模型",
            ("Neural Language Model", "NLM"),
            (),
        ),
        ("通道注意力,channel attention", "通道注意力", ("channel attention",), ()),
        (
            "Zero-shot information extraction (零样本信息抽取)",
            "Zero-shot information extraction",
            ("零样本信息抽取",),
            (),
        ),
        ("样本轴", "样本轴", (), ()),
        ("Few-shot与One-shot", "Few-shot与One-shot", (), ()),
        # two parenthesised groups: a fused heading, not title + alias
        (
            "高方差(high variance)与高偏差(high bias)",
            "高方差(high variance)与高偏差(high bias)",
            (),
            (),
        ),
        # 常见概念 (000/001)
        ("`Benchmark` & `Baseline`概念", "Benchmark & Baseline概念", (), ()),
        ("计算图核心概念 *", "计算图核心概念", (), ("*",)),
        ("迁移学习最佳实践 * todo", "迁移学习最佳实践", (), ("*", "todo")),
        (
            "超参数调优最佳实践（Hyperparameter tuning ）",
            "超参数调优最佳实践",
            ("Hyperparameter tuning",),
            (),
        ),
        ("精确率(precision)，查准率(P)", "精确率", ("precision", "查准率", "P"), ()),
        (
            "召回率recall，也称为真阳率（TPR）、命中率（hit rate） ，查全率(R)",
            "召回率",
            ("recall", "真阳率", "TPR", "命中率", "hit rate", "查全率", "R"),
            (),
        ),
        (
            "ECA(Efficient Channel Attention) 高效通道注意力",
            "高效通道注意力",
            ("ECA", "Efficient Channel Attention"),
            (),
        ),
        ("准（正）确率（Accuracy）", "准（正）确率", ("Accuracy",), ()),
        ("二维卷积层(Keras 的 Conv2D )", "二维卷积层", ("Conv2D",), ()),
        ("循环层(recurrent layer,比如 Keras 的 LSTM 层)", "循环层", ("recurrent layer",), ()),
        ("数据类型(在 Python 库中通常叫作 dtype )", "数据类型", ("dtype",), ()),
        (
            "权重(weight)或可训练参数(trainable parameter)",
            "权重",
            ("weight", "可训练参数", "trainable parameter"),
            (),
        ),
        (
            "自动编码器，自编码(Auto Encoder，AE)",
            "自动编码器",
            ("自编码", "Auto Encoder", "AE"),
            (),
        ),
        (
            "梯度弥散(梯度消失)（vanishing gradient problem）",
            "梯度弥散",
            ("梯度消失", "vanishing gradient problem"),
            (),
        ),
        ("思维链(Chain-of-Thought，CoT）)", "思维链", ("Chain-of-Thought", "CoT"), ()),
        (
            "ELMo，(Embeddings from Language Models)",
            "ELMo",
            ("Embeddings from Language Models",),
            (),
        ),
        ("训练(train)和推理(inference)", "训练(train)和推理(inference)", (), ()),
        ("HDF5 (H5)文件", "HDF5 (H5)文件", (), ()),
        # HandsOnML (004)
        ("CheckList Table {.col-span-3}", "CheckList Table", (), ()),
        ("Glorot&He初始化", "Glorot&He初始化", (), ()),
        ("批量正则化BN", "批量正则化", ("BN",), ()),
        ("梯度裁剪Gradient Clipping", "梯度裁剪", ("Gradient Clipping",), ()),
        # status markers: only after a blank, only at the end
        ("注意力\u3000★", "注意力", (), ("★",)),
        ("a*b **", "a*b **", (), ()),
        ("* todo", "*", (), ("todo",)),
        ("todo", "todo", (), ()),
    ],
)
def test_parse_heading(
    raw: str, title: str, aliases: tuple[str, ...], status: tuple[str, ...]
) -> None:
    heading = parse_heading(raw)
    assert (heading.title, heading.aliases, heading.status) == (title, aliases, status)


def test_heading_attributes_are_consumed() -> None:
    assert parse_heading("性能度量指标选择表 {.col-span-3}").attributes == (".col-span-3",)


def _outline(text: str):  # type: ignore[no-untyped-def]
    raw, _ = parse_note(SourceFile("concepts/n.md", text))
    note, _ = normalize(raw)
    return to_concepts(note)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("## 组\n\n### 甲\n\n正文\n\n### 乙\n\n正文\n", 3),
        ("## 甲\n\n正文\n\n## 乙\n\n正文\n", 2),
        ("### 甲\n\n#### 问题 1\n\n答\n\n### 乙\n\n正文\n", 3),
        ("### 空\n\n### 也空\n", 3),
        ("", 0),
    ],
)
def test_concept_level(text: str, level: int) -> None:
    raw, _ = parse_note(SourceFile("concepts/n.md", text))
    assert concept_level(raw.sections) == level


def test_stray_heading_in_a_small_note_does_not_set_the_level() -> None:
    text = "### 指标(metric)\n\n### 轮次(epoch)\n    一次\n\n# reduce_sum\n    求和\n\n### 回归\n    正文\n"
    outline, _problems = _outline(text)
    assert outline.concept_level == 3
    assert [c.title for c in outline.concepts] == ["指标", "轮次", "reduce_sum", "回归"]
    assert all(s.depth >= 1 for c in outline.concepts for s in c.subsections)


def test_stray_shallow_heading_with_text_is_a_concept_not_a_group() -> None:
    terms = "".join(f"### 术语{i}\n    定义{i}\n\n" for i in range(30))
    outline, problems = _outline(terms + "# reduce_sum\n    求和\n\n### 之后\n    正文\n")
    titles = [c.title for c in outline.concepts]
    assert "reduce_sum" in titles
    assert outline.concepts[-1].title == "之后"
    assert outline.concepts[-1].groups == ()
    assert any(p.code == "heading-level" for p in problems)


def test_fused_group_heading_makes_its_children_concepts() -> None:
    text = "## 甲\n\n正文\n\n## 多输出分类 & 多输出多分类\n\n###多输出分类\n\n一\n\n### 多输出多分类\n\n二\n\n## 乙\n\n正文\n"
    outline, _ = _outline(text)
    assert [c.title for c in outline.concepts] == ["甲", "多输出分类", "多输出多分类", "乙"]
    assert outline.concepts[1].groups == ("多输出分类 & 多输出多分类",)


def test_group_headings_keep_their_aliases_and_empty_groups_are_outlined() -> None:
    text = (
        "## 多输出分类 & 多输出多分类 (Multi-output)\n\n### 多输出分类\n\n一\n\n"
        "## 空分组 (Empty)\n\n## 指标 (Metrics)\n\n### 精确率\n\n二\n"
    )
    outline, _ = _outline(text)
    assert [c.group_aliases for c in outline.concepts] == [(("Multi-output",),), (("Metrics",),)]
    assert [(g.path, g.written, g.span.line) for g in outline.group_headings] == [
        (("多输出分类 & 多输出多分类",), "多输出分类 & 多输出多分类 (Multi-output)", 1),
        (("空分组",), "空分组 (Empty)", 7),
        (("指标",), "指标 (Metrics)", 9),
    ]
    assert outline.groups == (("多输出分类 & 多输出多分类",), ("空分组",), ("指标",))


def test_question_subsections_stay_in_their_topic() -> None:
    text = "### 训练DNN的挑战\n\n#### 问题 1：挑战？\n\n- 解答\n\n#### 问题 2：如何？\n\n- 解答\n\n### 批量正则化BN\n\n正文\n"
    outline, _ = _outline(text)
    assert [c.title for c in outline.concepts] == ["训练DNN的挑战", "批量正则化"]
    assert [s.title for s in outline.concepts[0].subsections] == [
        "问题 1：挑战？",
        "问题 2：如何？",
    ]


def test_empty_concept_is_kept_and_reported() -> None:
    outline, problems = _outline("### 指标(metric)\n\n### 轮次(epoch)\n    一次迭代\n")
    assert [c.title for c in outline.concepts] == ["指标", "轮次"]
    assert outline.concepts[0].is_empty
    assert [p.code for p in problems] == ["empty-concept"]


def test_real_corpus_concept_counts() -> None:
    """Hand counts: 000 has 24 `###` concepts; 001 23 `###` headings, one of which
    (`对抗训练 & 样本核心概念`) is a group of its two `####` concepts → 24; 002 394 terms
    (391 `###` + stray `#`, `#`, `##`); 003 6 `##` of which one is a group of 3 → 8;
    004 16 topics + 3 table headings → 19."""
    result = build(BuildConfig(ROOT))
    counts = {s.note: s.concepts for s in result.stats}
    assert counts == {
        "常见概念-初稿": 24,
        "常见概念-修订版": 24,
        "深度学习术语表": 394,
        "早期草稿": 8,
        "HandsOnML-第11章问答": 19,
    }
