"""A synthetic `concepts/` tree shaped like the author's five notes, for scale benchmarks.

Usage: .venv/bin/python benchmarks/synth_corpus.py --concepts 1000 --seed 1 --out DIR

Writes DIR/concepts/*.md plus a copy of the project's mkdocs.yml and docs/, and a symlink
DIR/.cache/npm → the project's npm cache (the plugin serves KaTeX's CSS and fonts from it), so
`mkdocs build` runs inside DIR with the same plugin configuration as the real site.

The notes mix the four shapes of the real ones (~350 concepts a note, ~2.3 KB of Markdown a
concept):

- ``glossary`` (like 深度学习术语表.md): ``### 中文(English, ABBR)`` headings, every body line
  indented four spaces, ``>>>`` sessions, ``Out[n]:`` output, ``def`` blocks with ``#``
  comment lines, columns aligned with spaces, pseudo-formulas in prose, a pipe table,
  stray ``#``/``##``/``#####`` headings and empty terms;
- ``typora`` (like 常见概念-修订版.md): ``##`` groups, ``###`` concepts with status markers,
  nested ``>  >`` quotes holding code and ``$``/``$$`` math (also inside list items), remote
  and missing local images, ``<img style="zoom">``, bare URLs, fenced code, ``####`` parts;
- ``draft`` (like 早期草稿.md): ``##`` is the concept level, ``###子标题`` without a space, an
  empty ``## A & B`` heading over the concepts it names;
- ``qa`` (like HandsOnML-第11章问答.md): YAML front matter, ``#### 问题 N`` sub-sections,
  ```` ```KaTeX ```` fences indented in list items, `` `KaTeX:..` `` spans in prose, headings
  and table cells, ``{.marker-none}`` lines.

Concepts have aliases (English, abbreviations); ~3% appear in a second note (half of them
word for word when the shapes allow); bodies mention other concepts by title or alias. Formulas
come from the real notes' formulas (``formula_pool.json``, refreshed with ``--refresh-pool``),
about half of them verbatim (a render cache sees repeats) and half as numbered variants (misses).

Everything is drawn from ``random.Random`` seeded with strings derived from ``seed``: the same
seed and size give byte-identical files.

``--without-formulas`` writes the same notes with every formula, in every notation, replaced
by the word 公式 (its delimiters and fence lines gone): the baseline for what formulas cost.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POOL_FILE = HERE / "formula_pool.json"

TARGET_BYTES = 2300
"""Average UTF-8 size of one concept's Markdown (heading included)."""
CONCEPTS_PER_NOTE = 350
DUPLICATE_RATE = 0.03
VARIANT_RATE = 0.45
"""Share of formulas drawn as a numbered variant of a pool formula (a cache miss when new)."""
# Four glossary-shaped notes in every ten, like the real corpus (the glossary dominates).
SHAPE_CYCLE = (
    "glossary",
    "typora",
    "qa",
    "draft",
    "glossary",
    "typora",
    "glossary",
    "qa",
    "glossary",
    "typora",
)
NOTE_NAMES = {"glossary": "术语表", "typora": "常见概念", "qa": "问答", "draft": "草稿"}

# --- vocabulary ------------------------------------------------------------------------------

MODIFIERS = [
    ("稀疏", "Sparse"),
    ("动态", "Dynamic"),
    ("分层", "Hierarchical"),
    ("自适应", "Adaptive"),
    ("残差", "Residual"),
    ("门控", "Gated"),
    ("多头", "Multi-Head"),
    ("深层", "Deep"),
    ("局部", "Local"),
    ("全局", "Global"),
    ("对比", "Contrastive"),
    ("条件", "Conditional"),
    ("因果", "Causal"),
    ("双向", "Bidirectional"),
    ("轻量", "Lightweight"),
    ("混合", "Hybrid"),
    ("分布式", "Distributed"),
    ("量化", "Quantized"),
    ("随机", "Stochastic"),
    ("循环", "Recurrent"),
    ("可分离", "Separable"),
    ("膨胀", "Dilated"),
    ("归一化", "Normalized"),
    ("加权", "Weighted"),
    ("掩码", "Masked"),
    ("跨模态", "Cross-Modal"),
    ("层次化", "Layered"),
    ("渐进", "Progressive"),
    ("低秩", "Low-Rank"),
    ("共享", "Shared"),
    ("级联", "Cascaded"),
    ("并行", "Parallel"),
    ("增量", "Incremental"),
    ("鲁棒", "Robust"),
    ("平滑", "Smoothed"),
    ("高效", "Efficient"),
    ("离散", "Discrete"),
    ("连续", "Continuous"),
    ("对称", "Symmetric"),
    ("显式", "Explicit"),
]
CORES = [
    ("注意力", "Attention"),
    ("卷积", "Convolution"),
    ("嵌入", "Embedding"),
    ("梯度", "Gradient"),
    ("采样", "Sampling"),
    ("池化", "Pooling"),
    ("编码", "Encoding"),
    ("解码", "Decoding"),
    ("特征", "Feature"),
    ("路由", "Routing"),
    ("蒸馏", "Distillation"),
    ("剪枝", "Pruning"),
    ("聚类", "Clustering"),
    ("检索", "Retrieval"),
    ("对齐", "Alignment"),
    ("正则", "Regularization"),
    ("融合", "Fusion"),
    ("投影", "Projection"),
    ("变换", "Transform"),
    ("预测", "Prediction"),
    ("表示", "Representation"),
    ("记忆", "Memory"),
    ("激活", "Activation"),
    ("插值", "Interpolation"),
    ("匹配", "Matching"),
    ("生成", "Generation"),
    ("推理", "Inference"),
    ("调度", "Scheduling"),
    ("分解", "Decomposition"),
    ("标注", "Labeling"),
    ("搜索", "Search"),
    ("传播", "Propagation"),
    ("压缩", "Compression"),
    ("增强", "Augmentation"),
    ("估计", "Estimation"),
    ("混洗", "Shuffling"),
    ("分词", "Tokenization"),
    ("扩散", "Diffusion"),
    ("重构", "Reconstruction"),
    ("归因", "Attribution"),
]
HEADS = [
    ("网络", "Network"),
    ("层", "Layer"),
    ("损失", "Loss"),
    ("机制", "Mechanism"),
    ("算法", "Algorithm"),
    ("模块", "Module"),
    ("策略", "Strategy"),
    ("模型", "Model"),
    ("优化器", "Optimizer"),
    ("单元", "Unit"),
    ("方法", "Method"),
    ("框架", "Framework"),
    ("准则", "Criterion"),
    ("矩阵", "Matrix"),
    ("头", "Head"),
    ("门", "Gate"),
    ("核", "Kernel"),
    ("图", "Graph"),
    ("空间", "Space"),
    ("函数", "Function"),
]
TASKS = [
    "图像分类",
    "目标检测",
    "语义分割",
    "机器翻译",
    "文本分类",
    "语音识别",
    "推荐系统",
    "时间序列预测",
    "问答系统",
    "异常检测",
    "命名实体识别",
    "情感分析",
    "图像生成",
    "强化学习",
    "知识图谱补全",
]
EFFECTS = [
    "缓解梯度消失",
    "减少参数量",
    "加快收敛速度",
    "降低过拟合风险",
    "提高泛化能力",
    "节省显存",
    "提升推理吞吐量",
    "稳定训练过程",
    "增强对噪声的鲁棒性",
    "捕捉长距离依赖",
    "减少通信开销",
    "改善类别不平衡",
]
ACTIONS = [
    "对输入特征做线性变换",
    "在通道维度上重新加权",
    "按批量统计均值和方差",
    "逐层累积历史梯度",
    "把高维表示投影到低维空间",
    "在每个时间步共享权重",
    "对相邻位置做局部聚合",
    "随机丢弃一部分神经元",
    "用教师模型的软标签监督学生模型",
    "对注意力分数做缩放后再归一化",
    "把离散符号映射为稠密向量",
    "在验证集上选择超参数",
]
DATASETS = ["MNIST", "CIFAR-10", "ImageNet", "COCO", "SQuAD", "GLUE", "WMT14", "LibriSpeech"]
FRAMEWORKS = ["Keras", "TensorFlow", "PyTorch", "JAX", "scikit-learn", "NumPy"]
QUESTIONS = [
    "什么是{t}？",
    "{t}解决了什么问题？",
    "如何在 Keras 中实现{t}？",
    "{t}有哪些超参数需要调整？",
    "{t}与{r}有什么区别？",
    "为什么{t}能够{e}？",
    "{t}的计算复杂度是多少？",
    "使用{t}时有哪些常见陷阱？",
]
GROUPS_EN = [
    "Training Deep Neural Networks",
    "Optimization",
    "Representation Learning",
    "Sequence Models",
    "Model Compression",
    "Evaluation",
]
GROUPS_ZH = ["常见概念", "常见问题解决方案及最佳实践", "模型结构", "训练技巧", "评估与部署"]

PSEUDO_FORMULAS = [
    "Jmse = sum(math.pow(yi-yi', 2))/N",
    "Jmae = sum(abs(yi-yi'))/N",
    "a·b=|a|×|b|cosθ；（θ为a,b之间的夹角）",
    "loss(y) = max(0, 1-y*y^)",
    "F1 = 2*P*R/(P+R)",
    "lr = lr0 * decay ** (step / decay_steps)",
]

# --- terms -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One concept: Chinese title, English alias, maybe an abbreviation."""

    index: int
    zh: str
    en: str
    abbr: str | None
    style: float
    """Picks how the heading spells the names (uniform in [0, 1))."""


def make_terms(n: int, rng: random.Random) -> list[Term]:
    capacity = len(MODIFIERS) * len(CORES) * len(HEADS)
    picks = rng.sample(range(capacity), min(n, capacity))
    terms = []
    for i in range(n):
        code = picks[i % len(picks)]
        rest, h = divmod(code, len(HEADS))
        m, c = divmod(rest, len(CORES))
        zh = MODIFIERS[m][0] + CORES[c][0] + HEADS[h][0]
        en = f"{MODIFIERS[m][1]} {CORES[c][1]} {HEADS[h][1]}"
        if i >= capacity:  # more concepts than combinations: number the repeats
            zh, en = f"{zh}{i // capacity + 1}", f"{en} {i // capacity + 1}"
        initials = "".join(w[0] for w in en.replace("-", " ").split() if w[0].isalpha())
        abbr = initials.upper() if rng.random() < 0.3 else None
        terms.append(Term(i, zh, en, abbr, rng.random()))
    return terms


def _mention(term: Term, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return term.zh
    if roll < 0.85 or term.abbr is None:
        return term.en
    return term.abbr


# --- formulas ----------------------------------------------------------------------------------


def load_pool(path: Path = POOL_FILE) -> list[tuple[str, bool]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(str(f["tex"]), bool(f["display"])) for f in data["formulas"]]


def refresh_pool(root: Path = ROOT, path: Path = POOL_FILE) -> int:
    """Rewrite the pool from the real notes' formulas (distinct, in order of appearance)."""
    from glossary_build.pipeline import BuildConfig, build

    result = build(BuildConfig(root))
    keys = list(dict.fromkeys((f.tex, f.display) for n in result.notes for f in n.formulas))
    data = {
        "source": "the real notes in concepts/: pipeline.build(...).notes[*].formulas, distinct",
        "formulas": [{"tex": tex, "display": display} for tex, display in keys],
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(keys)


class FormulaPool:
    """Real formulas, verbatim or as one of ``variants`` numbered variants of each."""

    def __init__(self, formulas: Sequence[tuple[str, bool]], variants: int) -> None:
        self.display = [tex for tex, display in formulas if display]
        self.inline = [
            tex
            for tex, display in formulas
            if not display and "\n" not in tex and not {"|", "`", "$"} & set(tex)
        ]
        self.variants = max(1, variants)

    def draw(self, rng: random.Random, display: bool) -> str:
        tex = rng.choice(self.display if display else self.inline)
        if rng.random() < VARIANT_RATE:
            tex = f"{tex} + \\epsilon_{{{rng.randrange(self.variants)}}}"
        return tex


class PlaceholderPool(FormulaPool):
    """Draws as a FormulaPool does but gives a placeholder that records the formula's size
    (see :func:`_size`), so the rest of every note is the same."""

    def draw(self, rng: random.Random, display: bool) -> str:
        tex = super().draw(rng, display)
        # One per line: quoting a formula prefixes each of its lines.
        return "\n".join(NO_FORMULA.format(len(line.encode())) for line in tex.split("\n"))


NO_FORMULA = "\u27e6公式{}\u27e7"
"""Where a formula of so many bytes would be; :func:`without_formulas` makes it a word."""
_PLACEHOLDER = NO_FORMULA.format("[0-9]+")
_PLACEHOLDER_RE = re.compile(NO_FORMULA.format("([0-9]+)"))
_RUN = rf"{_PLACEHOLDER}(?: {_PLACEHOLDER})*"  # a display formula's lines joined by spaces
_INLINE_PLACEHOLDER_RE = re.compile(rf"`KaTeX:{_RUN}`|\$\${_RUN}\$\$|\${_RUN}\$|{_RUN}")
_MATH_DELIMITER_LINE_RE = re.compile(r"^[ >]*(?:\$\$|```KaTeX|```)[ \t]*$")


def without_formulas(text: str) -> str:
    """A note drawn with :class:`PlaceholderPool`: each formula becomes the word 公式, and the
    `$$` or fence lines around a formula of its own line go."""
    lines = text.split("\n")

    def placeholder(index: int) -> bool:
        return bool(_PLACEHOLDER_RE.fullmatch(lines[index].strip(" >")))

    drop: set[int] = set()
    index = 0
    while index < len(lines):
        if not placeholder(index):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and placeholder(end):
            drop.add(end)  # a formula's further lines
            end += 1
        for neighbour in (index - 1, end):
            if 0 <= neighbour < len(lines) and _MATH_DELIMITER_LINE_RE.match(lines[neighbour]):
                drop.add(neighbour)
        index = end
    kept = "\n".join(line for index, line in enumerate(lines) if index not in drop)
    return _INLINE_PLACEHOLDER_RE.sub("公式", kept)


# --- prose -------------------------------------------------------------------------------------


class Writer:
    """Sentences, code and formulas for one concept's body (one rng per body)."""

    def __init__(self, term: Term, others: Sequence[Term], pool: FormulaPool, rng: random.Random):
        self.term = term
        self.others = others
        self.pool = pool
        self.rng = rng

    def ref(self) -> str:
        other = self.rng.choice(self.others) if self.others else self.term
        return _mention(other, self.rng)

    def name(self) -> str:
        return self.term.zh if self.rng.random() < 0.7 else self.term.en

    def sentence(self) -> str:
        r = self.rng
        templates: list[Callable[[], str]] = [
            lambda: (
                f"{self.name()}是一种用于{r.choice(TASKS)}的方法，它通过{r.choice(ACTIONS)}来"
                f"{r.choice(EFFECTS)}。"
            ),
            lambda: (
                f"与{self.ref()}不同，{self.name()}{r.choice(ACTIONS)}，因此能够"
                f"{r.choice(EFFECTS)}。"
            ),
            lambda: (
                f"在 {r.choice(DATASETS)} 上的实验表明，{self.name()}相比基线模型可以"
                f"{r.choice(EFFECTS)}，但训练时间增加了约 {r.randint(5, 60)}%。"
            ),
            lambda: (
                f"{self.name()}常与{self.ref()}和{self.ref()}一起使用，"
                f"这在{r.choice(TASKS)}中很常见。"
            ),
            lambda: (
                f"简单来说，{self.name()}就是{r.choice(ACTIONS)}，其目的是{r.choice(EFFECTS)}。"
            ),
            lambda: (
                f"需要注意的是，{self.ref()}的输出形状为 (batch_size, {r.randint(8, 512)}) ，"
                f"在送入{self.name()}之前通常要先做归一化。"
            ),
            lambda: (
                f"在 {r.choice(FRAMEWORKS)} 中，{self.name()}的默认参数一般已经足够好，"
                f"只有在{r.choice(TASKS)}等任务上才需要调整。"
            ),
            lambda: (
                f"可以把{self.name()}看作{self.ref()}的推广：后者只{r.choice(ACTIONS)}，"
                f"前者还会{r.choice(ACTIONS)}。"
            ),
            lambda: (
                f"论文作者认为，{self.ref()}无法{r.choice(EFFECTS)}，"
                f"而{self.name()}正好弥补了这一点。"
            ),
            lambda: (
                f"The {self.term.en} is widely used in {r.choice(DATASETS)} benchmarks "
                f"together with {self.ref()}."
            ),
        ]
        return r.choice(templates)()

    def sentences(self, low: int, high: int) -> str:
        return "".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def session(self) -> list[str]:
        """A `>>>` session with numpy output (continuation lines aligned)."""
        r = self.rng
        rows, cols = r.randint(2, 4), r.randint(2, 4)
        values = [[f"{r.random():.8f}" for _ in range(cols)] for _ in range(rows)]
        out = [f">>> x = np.random.random(({rows}, {cols}))", ">>> x"]
        for i, row in enumerate(values):
            head = "array([[" if i == 0 else "       ["
            tail = "]])" if i == rows - 1 else "],"
            out.append(head + ", ".join(row) + tail)
        out += [
            ">>> x.ndim",
            "2",
            f">>> x.reshape(({rows * cols}, 1)).shape",
            f"({rows * cols}, 1)",
        ]
        return out

    def ipython(self) -> list[str]:
        r = self.rng
        n = r.randint(10, 90)
        a = [r.randint(0, 9) for _ in range(3)]
        b = [r.randint(0, 9) for _ in range(3)]
        sums = [x + y for x, y in zip(a, b, strict=True)]
        return [
            f"d = np.array([{a}, {b}])",
            "d.sum(axis=0)",
            f"Out[{n}]: array({sums})",
            "p.drop(0, axis=1)",
            f"Out[{n + 1}]: ",
            "   1  2",
            f"0  {a[1]}  {a[2]}",
            f"1  {b[1]}  {b[2]}",
        ]

    def function(self) -> list[str]:
        r = self.rng
        name = self.term.en.lower().replace(" ", "_").replace("-", "_")
        return [
            f"def {name}(inputs, ratio={r.randint(2, 16)}):",
            f"    # 第一步：{r.choice(ACTIONS)}",
            "    channel = inputs.shape[-1]",
            "    x = GlobalAveragePooling2D()(inputs)",
            "    # 第二步：用两个全连接层得到权重",
            "    x = Dense(channel // ratio, activation='relu')(x)",
            "    #x = Dropout(0.1)(x)",
            "    x = Dense(channel, activation='sigmoid')(x)",
            "    return multiply([inputs, x])",
        ]

    def aligned(self) -> list[str]:
        r = self.rng
        words = [[r.choice(["i", "he", "she", "we", "sorry"]) for _ in range(4)] for _ in range(3)]
        out = [f">>>                       batch_size 为{len(words[0])}"]
        for step, row in enumerate(words, 1):
            out.append(f"time_step{step}:    " + "".join(w.ljust(9) for w in row).rstrip())
        return out

    def keras(self) -> list[str]:
        r = self.rng
        units = r.choice([32, 64, 128, 256])
        return [
            "import tensorflow as tf",
            "from tensorflow import keras",
            "",
            "# 构建模型",
            "inputs = keras.Input(shape=(784,))",
            f"x = keras.layers.Dense({units}, activation='relu')(inputs)",
            f"x = keras.layers.Dropout({r.choice([0.1, 0.2, 0.5])})(x)",
            "outputs = keras.layers.Dense(10, activation='softmax')(x)",
            "model = keras.Model(inputs, outputs)",
            "# 编译模型",
            "model.compile(loss='sparse_categorical_crossentropy', "
            f"optimizer='{r.choice(['adam', 'sgd', 'rmsprop'])}')",
        ]

    def summary(self) -> list[str]:
        r = self.rng
        units = r.choice([32, 64, 128])
        return [
            'Model: "sequential"',
            "_" * 65,
            " Layer (type)                Output Shape              Param #   ",
            "=" * 65,
            f" dense (Dense)               (None, {units})".ljust(55) + f"{785 * units}",
            " dense_1 (Dense)             (None, 10)".ljust(55) + f"{(units + 1) * 10}",
            "=" * 65,
            f"Total params: {785 * units + (units + 1) * 10:,}",
        ]

    def table(self, cell_math: bool) -> list[str]:
        r = self.rng
        head = "| 方法 | 适用场景 | " + ("方差" if cell_math else "说明") + " |"
        rows = [head, "|------|----------|------|"]
        for _ in range(r.randint(2, 4)):
            third = f"`KaTeX:{self.pool.draw(r, False)}`" if cell_math else r.choice(EFFECTS)
            rows.append(f"| {self.ref()} | {r.choice(TASKS)} | {third} |")
        return rows


def _size(block: str) -> int:
    """Bytes of ``block``, a formula's placeholder counted as the formula."""
    size = len(block.encode("utf-8"))
    for placeholder in _PLACEHOLDER_RE.finditer(block):
        size += int(placeholder[1]) - len(placeholder[0].encode("utf-8"))
    return size


def _fill(budget: int, blocks: list[str], make: Callable[[], str]) -> None:
    size = sum(_size(b) for b in blocks)
    while size < budget:
        block = make()
        blocks.append(block)
        size += _size(block)


def _budget(rng: random.Random) -> int:
    # Blocks overshoot the budget by half a block on average: aim a little lower.
    return int(min(6000, max(400, rng.gauss(TARGET_BYTES - 260, 700))))


# --- the four shapes ---------------------------------------------------------------------------


def glossary_heading(term: Term) -> str:
    s = term.style
    if s < 0.40:
        return f"### {term.zh}({term.en})"
    if s < 0.60:
        return f"### {term.zh}({term.en}, {term.abbr or term.en.split()[0]})"
    if s < 0.70:
        return f"### {term.zh}（{term.en}）"
    if s < 0.88:
        return f"### {term.zh}"
    return f"### {term.en.lower()}"


def glossary_body(w: Writer) -> str:
    """Lines indented four spaces (some eight); code and output kept among the prose."""
    r = w.rng
    if r.random() < 0.02:
        return ""  # an empty term
    lines: list[str] = []

    def block() -> str:
        roll = r.random()
        if roll < 0.55:
            chunk = [w.sentences(1, 2)]
        elif roll < 0.63:
            chunk = [w.sentence(), r.choice(PSEUDO_FORMULAS)]
        elif roll < 0.72:
            chunk = w.session()
        elif roll < 0.78:
            chunk = w.ipython()
        elif roll < 0.84:
            chunk = [f"{r.choice(FRAMEWORKS)}中的用法:", *w.function()]
        elif roll < 0.89:
            chunk = [w.sentence(), *w.aligned()]
        elif roll < 0.94:
            chunk = [f"* {w.ref()}（{w.term.en}）", w.sentences(1, 2)]
        else:
            chunk = ["    " + w.sentence()]  # prose indented eight spaces
        text = "\n".join(("    " + ln if ln else "    ") for ln in chunk)
        lines.append(text)
        return text

    budget = _budget(r)
    size = 0
    while size < budget:
        size += _size(block()) + 1
    body = "\n".join(lines)
    if r.random() < 0.03:  # a pipe table, not indented, as in the glossary's HMM/CRF term
        body += "\n" + "\n".join(w.table(cell_math=False))
    return body


def typora_heading(term: Term) -> str:
    s = term.style
    status = ""
    if s * 97 % 1 < 0.08:
        status = " *"
    elif s * 97 % 1 < 0.11:
        status = " * todo"
    if s < 0.35:
        title = f"{term.zh}概念"
    elif s < 0.65:
        title = f"{term.zh}（{term.en}）"
    elif s < 0.80:
        title = f"`{term.en}` & {term.zh}"
    elif s < 0.83:
        title = f"{term.zh}\u3000＆\u3000{term.en}"
    else:
        title = term.zh
    return f"### {title}{status}"


def _quoted(lines: Sequence[str], prefix: str) -> list[str]:
    return [(prefix + ln).rstrip() if ln else prefix.rstrip() for ln in lines]


def typora_body(w: Writer, slug_seed: int) -> str:
    r = w.rng
    blocks: list[str] = []

    def block() -> str:
        roll = r.random()
        if roll < 0.12:
            return (
                f"{w.sentences(1, 3)}其中 ${w.pool.draw(r, False)}$ 表示{r.choice(EFFECTS)}的程度，"
                f"**{w.ref()}**也有类似的 `{r.choice(FRAMEWORKS)}` 实现。"
            )
        if roll < 0.34:
            return f"{w.sentences(2, 4)}**{w.ref()}**也有类似的 `{r.choice(FRAMEWORKS)}` 实现。"
        if roll < 0.40:
            return "$$\n" + w.pool.draw(r, True) + "\n$$"
        if roll < 0.48:
            inner = [
                w.sentences(1, 2) + f"假设 ${w.pool.draw(r, False)}$ 已知。",
                "",
                "$$",
                *w.pool.draw(r, True).split("\n"),
                "$$",
                "",
                "```python",
                *w.keras()[:6],
                "```",
            ]
            return "\n".join([f"> {w.sentence()}", ">", *_quoted(inner, ">  > ")])
        if roll < 0.62:
            items = []
            math = r.random() < 0.5
            for n in range(1, r.randint(3, 5)):
                items.append(f"{n}. **{w.ref()}**：{w.sentence()}")
                items.append("")
            formula = ["", "$$", *w.pool.draw(r, True).split("\n"), "$$"] if math else []
            items += _quoted([w.sentence(), *formula], "   >  > ")
            return "\n".join(items)
        if roll < 0.72:
            return "\n".join(["```python", *w.function(), "", "# 使用示例", *w.keras()[4:], "```"])
        if roll < 0.76:
            return "\n".join(["```", *w.summary(), "```"])
        if roll < 0.84:
            kind = r.random()
            digest = f"{slug_seed:08x}{r.randrange(16**8):08x}"
            if kind < 0.4:
                return f"![img](https://markdown-1311598839.cos.ap-nanjing.myqcloud.com/img/{digest}.png)"
            if kind < 0.7:
                return (
                    f'<img src="https://img-blog.csdnimg.cn/{digest}.png" alt="img" '
                    f'style="zoom:{r.choice([33, 50, 67])}%;" />'
                )
            return f"![image-{digest}](classical concept.assets/image-{digest}.png)"
        if roll < 0.90:
            return "\n".join(
                f"- {r.choice(['简化', '快速上手', '弹性伸缩', '降低成本'])}：{w.sentence()}"
                for _ in range(r.randint(2, 4))
            )
        if roll < 0.94:
            slug = w.term.en.lower().replace(" ", "-")
            return f"参考文章：\n\nhttps://medium.com/tebs-lab/{slug}-{r.randrange(10**6)}"
        return f"#### {r.choice(['原理', '示例', '优点', '缺点', '实现'])}\n\n{w.sentences(2, 3)}"

    _fill(_budget(r), blocks, block)
    return "\n\n".join(blocks)


def draft_heading(term: Term) -> str:
    return f"## {term.zh}" if term.style < 0.6 else f"## {term.zh}({term.en})"


def draft_body(w: Writer, subsections: bool = True) -> str:
    r = w.rng
    blocks: list[str] = []

    def block() -> str:
        roll = r.random()
        if roll < 0.55:
            return w.sentences(2, 4)
        if roll < 0.70:
            display = w.pool.draw(r, True).replace("\n", " ")
            inline = w.pool.draw(r, False)
            # `$$..$$` on a line of its own, as in the Typora notes (a display formula inside
            # a sentence is typeset inline, with a cache key of its own).
            return f"{w.sentence()}公式为：\n\n$${display}$$\n\n其中 ${inline}$ 为常数。"
        if roll < 0.82:
            return "\n".join(
                [f"> {w.sentence()}", ">", "> ```python", *_quoted(w.keras()[:5], "> "), "> ```"]
            )
        if roll < 0.92 and subsections:
            sep = "" if r.random() < 0.5 else " "
            return f"###{sep}{r.choice(['应用场景', '示例', '小结'])}\n\n{w.sentences(2, 3)}"
        return "\n\n".join(f"{n}. {w.sentence()}" for n in range(1, r.randint(3, 6)))

    _fill(_budget(r), blocks, block)
    return "\n\n".join(blocks)


def qa_heading(term: Term) -> str:
    if term.style < 0.55:
        return f"### {term.zh}"
    if term.style < 0.9:
        return f"### {term.zh}（{term.en}）"
    return f"###  {term.zh}"  # two spaces, as in `###  Glorot&He初始化`


def qa_body(w: Writer) -> str:
    r = w.rng
    blocks: list[str] = []
    number = 0

    def block() -> str:
        nonlocal number
        number += 1
        question = r.choice(QUESTIONS).format(t=w.name(), r=w.ref(), e=r.choice(EFFECTS))
        if r.random() < 0.05:
            question += f" `KaTeX:{w.pool.draw(r, False)}`"
        lines = [f"#### 问题 {number}：{question}", "", "- **解答**：", f"  {w.sentences(1, 2)}"]
        roll = r.random()
        if roll < 0.30:
            lines += [
                "",
                "  公式如下：",
                "",
                "  ```KaTeX",
                *(f"  {row}" for row in w.pool.draw(r, True).split("\n")),
                "  ```",
                "",
                f"  其中，`KaTeX:{w.pool.draw(r, False)}` 是{r.choice(EFFECTS)}的系数。",
            ]
        elif roll < 0.40:
            lines += ["", *w.table(cell_math=True)]
        else:
            lines += [f"  - **{w.ref()}**：{w.sentence()}" for _ in range(r.randint(2, 4))]
        return "\n".join(lines)

    if r.random() < 0.3:  # text of its own above the questions
        blocks.append(w.sentences(1, 3))
    _fill(_budget(r), blocks, block)
    blocks.append(r.choice(["{.marker-none}", "{.marker-round}"]))
    return "\n\n".join(blocks)


# --- notes ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placement:
    term: Term
    variant: int
    """0 for the concept's own note; 1 for a duplicate in a second note."""


def _body(shape: str, w: Writer, term: Term) -> str:
    if shape == "glossary":
        return glossary_body(w)
    if shape == "typora":
        return typora_body(w, term.index)
    if shape == "draft":
        return draft_body(w)
    return qa_body(w)


def _heading(shape: str, term: Term) -> str:
    return {
        "glossary": glossary_heading,
        "typora": typora_heading,
        "draft": draft_heading,
        "qa": qa_heading,
    }[shape](term)


def render_note(
    shape: str,
    number: int,
    placements: Sequence[Placement],
    terms: Sequence[Term],
    shapes_of: Sequence[str],
    pool: FormulaPool,
    seed: int,
) -> str:
    rng = random.Random(f"{seed}/note/{number}")
    out: list[str] = []
    if shape == "qa":
        out.append(
            "---\n"
            f"title: Hands On ML {number}\n"
            f"date: 2024-08-{number % 28 + 1:02d} 21:51:44\n"
            "label: 9月\n"
            "tags:\n  - ai\n"
            "plugins:\n  - katex\n  - copyCode\n"
            "categories:\n  - DataScience \n"
            "intro: |\n    Hands On Machine Learning with Scikit-Learn Keras and TensorFlow\n"
            "---\n\n\n"
        )
    group_every = max(10, len(placements) // 6)
    i = 0
    while i < len(placements):
        placement = placements[i]
        if shape in ("typora", "qa") and i % group_every == 0:
            names = GROUPS_EN if shape == "qa" else GROUPS_ZH
            out.append(f"## {names[(i // group_every + number) % len(names)]}\n\n")
        if shape == "glossary" and i and i % 150 == 0:
            # Stray headings of other levels, as in the real glossary.
            stray = rng.choice(["reduce_sum", "reduce_mean", "np.einsum", "tf.gather"])
            text = _writer(placement, terms, pool, seed, rng.random()).sentence()
            out.append(f"# {stray}\n    {text}\n\n")
        if shape == "glossary" and i % 200 == 137:
            out.append("##### 对于上面的输出直接用于相似度计算的问题上，往往表现是较差的。\n\n")
        pair = i + 1 < len(placements) and shape == "draft" and rng.random() < 0.05
        if pair:  # `## A & B` with no text over `###A` and `### B`
            a, b = placement.term, placements[i + 1].term
            out.append(f"## {a.zh} & {b.zh}\n\n")
            for sep, p in (("", placement), (" ", placements[i + 1])):
                body = draft_body(_writer(p, terms, pool, seed, 0.0, shape), subsections=False)
                out.append(f"###{sep}{p.term.zh}\n\n{body}\n\n")
            i += 2
            continue
        home = shapes_of[placement.term.index]
        # A duplicate in a note of the same shape is word for word half the time.
        variant = (
            0
            if placement.variant and home == shape and placement.term.style < 0.5
            else placement.variant
        )
        w = _writer(Placement(placement.term, variant), terms, pool, seed, 0.0, shape)
        heading = _heading(shape, placement.term)
        body = _body(shape, w, placement.term)
        separator = "\n" if shape == "glossary" else "\n\n"
        out.append(f"{heading}{separator}{body}\n\n" if body else f"{heading}\n\n")
        i += 1
    return "".join(out).rstrip("\n") + "\n"


def _writer(
    placement: Placement,
    terms: Sequence[Term],
    pool: FormulaPool,
    seed: int,
    salt: float,
    shape: str = "",
) -> Writer:
    term = placement.term
    rng = random.Random(f"{seed}/body/{term.index}/{placement.variant}/{shape}/{salt}")
    # Mentions: mostly neighbours in the term list (related notes), some anywhere.
    others: list[Term] = []
    for _ in range(6):
        near = rng.random() < 0.7
        j = term.index + rng.randint(-40, 40) if near else rng.randrange(len(terms))
        if 0 <= j < len(terms) and j != term.index:
            others.append(terms[j])
    return Writer(term, others, pool, rng)


def plan(n_concepts: int, seed: int) -> tuple[list[Term], list[str], list[list[Placement]]]:
    """Terms, the shape of each note, and each note's concepts in order."""
    rng = random.Random(f"{seed}/plan")
    terms = make_terms(n_concepts, rng)
    n_notes = max(4, round(n_concepts / CONCEPTS_PER_NOTE))
    shapes = [SHAPE_CYCLE[i % len(SHAPE_CYCLE)] for i in range(n_notes)]
    notes: list[list[Placement]] = [[] for _ in range(n_notes)]
    home: list[int] = []
    for term in terms:
        note = term.index * n_notes // max(1, n_concepts)
        notes[note].append(Placement(term, 0))
        home.append(note)
    n_dups = round(n_concepts * DUPLICATE_RATE)
    for index in sorted(rng.sample(range(n_concepts), min(n_dups, n_concepts))):
        target = (home[index] + rng.randrange(1, n_notes)) % n_notes
        position = rng.randint(0, len(notes[target]))
        notes[target].insert(position, Placement(terms[index], 1))
    return terms, shapes, notes


def note_file_name(number: int, shape: str) -> str:
    return f"合成{NOTE_NAMES[shape]}-{number + 1:02d}.md"


def generate(n_concepts: int, seed: int, out_dir: Path, formulas: bool = True) -> list[Path]:
    """Write ``out_dir/concepts/*.md`` (and the project files next to it); return the notes."""
    if n_concepts < 1:
        raise ValueError("n_concepts must be at least 1")
    terms, shapes, notes = plan(n_concepts, seed)
    kind = FormulaPool if formulas else PlaceholderPool
    pool = kind(load_pool(), variants=max(20, n_concepts // 4))
    shape_of_term = ["" for _ in terms]
    for number, placements in enumerate(notes):
        for p in placements:
            if p.variant == 0:
                shape_of_term[p.term.index] = shapes[number]
    concepts = out_dir / "concepts"
    if concepts.exists():
        shutil.rmtree(concepts)
    concepts.mkdir(parents=True)
    written = []
    for number, (shape, placements) in enumerate(zip(shapes, notes, strict=True)):
        text = render_note(shape, number, placements, terms, shape_of_term, pool, seed)
        if not formulas:
            text = without_formulas(text)
        path = concepts / note_file_name(number, shape)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    install_project(out_dir)
    return written


def install_project(out_dir: Path, root: Path = ROOT) -> None:
    """mkdocs.yml and docs/ copied from the project; .cache/npm linked to the project's."""
    shutil.copyfile(root / "mkdocs.yml", out_dir / "mkdocs.yml")
    if (out_dir / "docs").exists():
        shutil.rmtree(out_dir / "docs")
    shutil.copytree(root / "docs", out_dir / "docs")
    npm = out_dir / ".cache" / "npm"
    npm.parent.mkdir(parents=True, exist_ok=True)
    if npm.is_symlink() or npm.exists():
        npm.unlink()
    npm.symlink_to((root / ".cache" / "npm").resolve(), target_is_directory=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concepts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=False)
    parser.add_argument(
        "--refresh-pool",
        action="store_true",
        help=f"rewrite {POOL_FILE.name} from the real notes' formulas first",
    )
    parser.add_argument(
        "--without-formulas",
        action="store_true",
        help="the same notes with each formula replaced by a word (what formulas cost)",
    )
    args = parser.parse_args(argv)
    if args.refresh_pool:
        print(f"{POOL_FILE}: {refresh_pool()} formulas")
    if args.out is None:
        if not args.refresh_pool:
            parser.error("--out is required")
        return 0
    paths = generate(args.concepts, args.seed, args.out, formulas=not args.without_formulas)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} notes, {args.concepts} concepts, {size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
