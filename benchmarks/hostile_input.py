"""Seconds per hostile input shape, at growing sizes: the build must stay linear.

Usage: .venv/bin/python benchmarks/hostile_input.py [--sizes 0.1,1] [--note-sizes 0.1,1,10]
       [--shapes NAME,NAME]

Each shape is one note written beside a good real note (``concepts/常见概念-初稿.md``, copied)
in a temporary project, built with ``pipeline.build`` (no KaTeX). Line shapes put one long line
made of a unit that a careless regex backtracks on (runs of backticks, ``$``, ``[``, ``![a](``,
``<img ``, ``*``, ``_``, spaces, ``|``, Chinese without spaces...) in a body, a heading, a
glossary-style indented body or a table row; block shapes repeat a small bad block (an
unclosed fence, an empty heading, the same concept...); note shapes repeat real-shaped content
(the real note, with numbered titles or verbatim). A linear build takes about ten times as long
at ten times the size (less while the fixed cost dominates); a quadratic one a hundred times.

Not a test: the numbers depend on the machine (tests/test_robustness.py builds every shape at
a moderate size, where a super-linear stage would hang rather than finish).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_NOTE = ROOT / "concepts" / "常见概念-初稿.md"
MB = 1_000_000

Shape = Callable[[int], str]
"""Size in bytes (of the hostile part) → the text of a note."""

CJK_PROSE = "张量是一个多维数组深度学习中的数据都用张量表示小批量梯度下降每次使用一小批数据"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode("utf-8")))


def in_body(unit: str) -> Shape:
    return lambda size: f"### 长行 (Long line)\n\n{_repeat(unit, size)}\n"


def in_heading(unit: str) -> Shape:
    return lambda size: f"### 长{_repeat(unit, size)}标题\n\n正文\n"


def in_indented_body(unit: str) -> Shape:
    """A glossary-style body (every line indented four spaces): prose or Python per line."""
    return lambda size: f"### 长行 (Long line)\n    {_repeat(unit, size)}\n    下一行\n"


def in_table_row(unit: str) -> Shape:
    return lambda size: f"### 表 (Table)\n\n| 甲 | 乙 |\n| --- | --- |\n| {_repeat(unit, size)} |\n"


def spaces_between(size: int) -> str:
    return f"### 长行 (Long line)\n\na{' ' * size}b\n\n### 长{' ' * size}标题\n\n正文\n"


def image_then_spaces(size: int) -> str:
    return f"### 长行 (Long line)\n\n![a]({' ' * size}\n"


def with_term(unit: str) -> Shape:
    """A concept, then a long line mentioning it again and again (every mention is a match)."""
    return lambda size: (
        f"### 张量 (Tensor)\n\n正文\n\n### 长行 (Long line)\n\n{_repeat(unit, size)}\n"
    )


def backtick_runs(size: int) -> str:
    """Runs of k, k-1, ..., 1 backticks: no run closes another (each opener scans the line)."""
    runs, k = [], 1
    while sum(len(r) for r in runs) < size:
        runs.append("`" * k + "a")
        k += 1
    return "### 长行 (Long line)\n\n" + "".join(reversed(runs)) + "\n"


def many_blocks(block: str) -> Shape:
    return lambda size: "### 坏块 (Bad blocks)\n\n" + _repeat(block, size)


def numbered_note(size: int) -> str:
    """The real note repeated, its titles numbered per copy (distinct concepts)."""
    text = GOOD_NOTE.read_text(encoding="utf-8")
    copies, copy = [], 0
    while sum(len(c.encode("utf-8")) for c in copies) < size:
        copy += 1
        copies.append(re.sub(r"(?m)^(#{1,6}) *", rf"\g<1> {copy}-", text))
    return "\n".join(copies)


def repeated_note(size: int) -> str:
    """The real note repeated verbatim: every concept is a duplicate (merged)."""
    return _repeat(GOOD_NOTE.read_text(encoding="utf-8") + "\n", size)


def distinct_duplicates(size: int) -> str:
    """One concept written again and again with different text: merged into one page."""
    blocks, i = [], 0
    while sum(len(b) for b in blocks) < size:
        i += 1
        blocks.append(f"### 重复 (Duplicate)\n\n第 {i} 种写法。\n\n")
    return "".join(blocks)


LINE_SHAPES: dict[str, Shape] = {
    "backticks": in_body("`"),
    "backtick-runs": backtick_runs,
    "dollars": in_body("$"),
    "dollar-letters": in_body("$a"),
    "double-dollars": in_body("$$a"),
    "brackets": in_body("["),
    "link-openers": in_body("[a]("),
    "image-openers": in_body("![a]("),
    "img-tags": in_body("<img "),
    "img-tags-closed": in_body('<img src="x.png">'),
    "a-tags": in_body("<a href=x>"),
    "angles": in_body("<"),
    "stars": in_body("*"),
    "underscores": in_body("_"),
    "pipes": in_body("|"),
    "backslashes": in_body("\\"),
    "braces": in_body("{.a "),
    "urls": in_body("http://a.b/"),
    "cjk": in_body(CJK_PROSE),
    "private-use": in_body("\ue000\ue0011\ue001"),
    "katex-spans": in_body("`KaTeX:"),
    "spaces": spaces_between,
    "image-then-spaces": image_then_spaces,
    "quote-markers": in_body("> "),
    "latin-mentions": with_term("tensors Tensor "),
    "cjk-mentions": with_term("无张量张量"),
    "heading-stars": in_heading(" *"),
    "heading-brackets": in_heading("("),
    "heading-braces": in_heading(" {.a"),
    "heading-cjk": in_heading(CJK_PROSE),
    "indented-python": in_indented_body("a+"),
    "indented-brackets": in_indented_body("(["),
    "indented-prose": in_indented_body(CJK_PROSE + " a*b "),
    "table-backticks": in_table_row("`|"),
    "table-brackets": in_table_row("(|"),
}
NOTE_SHAPES: dict[str, Shape] = {
    "numbered-note": numbered_note,
    "repeated-note": repeated_note,
}
BLOCK_SHAPES: dict[str, Shape] = {
    "distinct-duplicates": distinct_duplicates,
    "unclosed-fences": many_blocks("```python\nx = 1\n"),
    "unterminated-display-math": many_blocks("$$ a\n```\n```\n"),
    "empty-headings": many_blocks("###\n"),
    "empty-concepts": many_blocks("### 空\n"),
    "blank-lines-indented": many_blocks("### 词\n    甲\n\n\n    乙\n"),
    "unclosed-html": many_blocks("<div>\n"),
    "missing-images": many_blocks("![图](missing.png)\n"),
}


def build_seconds(text: str, workdir: Path) -> float:
    """Seconds for `pipeline.build` of a project with this note beside the good one."""
    from glossary_build.pipeline import BuildConfig, build

    project = Path(tempfile.mkdtemp(dir=workdir))
    concepts = project / "concepts"
    concepts.mkdir()
    shutil.copy(GOOD_NOTE, concepts / GOOD_NOTE.name)
    (concepts / "hostile.md").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = build(BuildConfig(root=project, concepts_dir=Path("concepts")))
    seconds = time.perf_counter() - start
    assert result.pages, "the build produced no pages"
    shutil.rmtree(project)
    return seconds


def _sizes(text: str) -> list[float]:
    return [float(s) for s in text.split(",") if s]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="0.1,1", help="MB, for long lines and many blocks")
    parser.add_argument("--note-sizes", default="0.1,1,10", help="MB, for real-shaped notes")
    parser.add_argument("--shapes", default="", help="comma-separated names (default: all)")
    args = parser.parse_args(argv)
    wanted = {s for s in args.shapes.split(",") if s}
    plans = [
        (LINE_SHAPES, _sizes(args.sizes)),
        (BLOCK_SHAPES, _sizes(args.sizes)),
        (NOTE_SHAPES, _sizes(args.note_sizes)),
    ]
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        workdir = Path(tmp)
        build_seconds(GOOD_NOTE.read_text(encoding="utf-8"), workdir)  # warm-up: imports, jieba
        for shapes, sizes in plans:
            if not sizes or (wanted and not wanted & set(shapes)):
                continue
            header = "".join(f"{f'{s:g} MB':>10}" for s in sizes)
            print(f"{'shape':<28}{header}{'ratio':>8}", flush=True)
            for name, shape in shapes.items():
                if wanted and name not in wanted:
                    continue
                row = [build_seconds(shape(int(size * MB)), workdir) for size in sizes]
                ratio = f"{row[-1] / row[-2]:.1f}" if len(row) > 1 and row[-2] else ""
                cells = "".join(f"{t:>9.2f}s" for t in row)
                print(f"{name:<28}{cells}{ratio:>8}", flush=True)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
