"""Bad input, each with a test: a project whose `concepts/` holds the bad note beside a good
real note builds without raising, still makes every page of the good note, reports the problem
where it is (note and line, with a hint) and loses none of the author's text.

Sizes are moderate on purpose: linear stages build each hostile line or note in well under a
second, while the super-linear regexes these tests were written against took from seconds (a
line of `[`) to many minutes (a run of backticks, a heading full of spaces, a table row of
backticks) at the same sizes. `benchmarks/hostile_input.py` prints the times per shape at
0.1, 1 and 10 MB; nothing here is timed.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from glossary_build.markdown_math import inline_formulas
from glossary_build.pipeline import BuildConfig, build, build_from_sources
from glossary_build.text import unescape_markdown
from glossary_build.types import (
    BuildResult,
    Diagnostic,
    PagePath,
    Severity,
    SourceFile,
    Span,
)

from . import text_oracle
from .helpers import CONCEPTS, ROOT, render_page

GOOD_NOTE = CONCEPTS / "常见概念-初稿.md"
GOOD_TEXT = GOOD_NOTE.read_text(encoding="utf-8")
BAD = "concepts/bad.md"
# Beside each big note a small good one (the real one would double the time of the file).
SMALL_GOOD = "### 张量 (Tensor)\n\n张量是多维数组。\n\n### 小批量 (Mini-batch)\n\n一小批样本。\n"


def build_project(root: Path, notes: dict[str, str | bytes], good: str = GOOD_TEXT) -> BuildResult:
    """Build a project of a good note and ``notes`` (file name → text or bytes)."""
    concepts = root / "concepts"
    concepts.mkdir(parents=True)
    (concepts / GOOD_NOTE.name).write_text(good, encoding="utf-8")
    for name, content in notes.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (concepts / name).write_bytes(data)
    return build(BuildConfig(root=root, concepts_dir=Path("concepts")))


@functools.cache
def good_note_pages(good: str = GOOD_TEXT) -> frozenset[PagePath]:
    """The concept pages the good note makes on its own."""
    result = build_from_sources([SourceFile(f"concepts/{GOOD_NOTE.name}", good)])
    return frozenset(e.path for e in result.entries)


def assert_good_note_built(result: BuildResult, good: str = GOOD_TEXT) -> None:
    missing = good_note_pages(good) - set(result.pages)
    assert not missing, f"pages of the good note missing: {sorted(missing)[:5]}"


def diagnostic(
    result: BuildResult, code: str, path: str, line: int, severity: Severity
) -> Diagnostic:
    """The one diagnostic ``code`` at ``path:line``: right severity, with a hint."""
    found = [d for d in result.diagnostics if d.code == code and d.span == Span(path, line)]
    shown = "\n".join(d.format() for d in result.diagnostics if not d.span.path.endswith("初稿.md"))
    assert len(found) == 1, f"no single {code} at {path}:{line}; got:\n{shown}"
    assert found[0].severity is severity
    assert found[0].hint
    return found[0]


def lost_text(result: BuildResult, text: str) -> list[str]:
    """The pieces of ``text`` (one note's) found on no page (tests/text_oracle.py)."""
    return text_oracle.lost_text(result.pages.values(), {"note": text})


def all_file_names_fit(result: BuildResult) -> bool:
    """Every page's path can be written: no part longer than 255 bytes (MkDocs writes
    `concepts/<slug>/index.html`)."""
    return all(len(part.encode()) <= 255 for page in result.pages for part in page.split("/"))


def page_of(result: BuildResult, title: str) -> str:
    entry = next(e for e in result.entries if e.title == title)
    return result.pages[entry.path]


# --- encodings ----------------------------------------------------------------------------

NOTE = "### 张量 (Tensor)\n\n张量是多维数组。\n\n### 轴 (Axis)\n\n轴是张量的一个维度。\n"


def test_not_utf8_is_decoded_with_replacement_and_reported_with_its_byte_offset(
    tmp_path: Path,
) -> None:
    data = NOTE.encode("utf-8").replace("多维数组".encode(), b"\xff\xfe\xb0")
    offset = data.index(b"\xff")
    result = build_project(tmp_path, {"bad.md": data})
    assert_good_note_built(result)
    found = diagnostic(result, "not-utf8", BAD, 3, Severity.ERROR)
    assert f"byte offset {offset}" in found.message
    assert "U+FFFD" in found.message
    assert "张量是\ufffd\ufffd\ufffd。" in page_of(result, "张量")
    assert not lost_text(result, data.decode("utf-8", errors="replace"))


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode(), id="bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode(), id="bom-crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode(), id="cr"),
    ],
)
def test_bom_and_crlf_give_the_same_pages_as_lf(tmp_path: Path, encode: object) -> None:
    assert callable(encode)
    plain = build_project(tmp_path / "lf", {"bad.md": NOTE})
    other = build_project(tmp_path / "other", {"bad.md": encode(NOTE)})
    assert other.pages == plain.pages
    assert other.diagnostics == plain.diagnostics


# --- structure ----------------------------------------------------------------------------

UNCLOSED_FENCE = """\
### 甲 (Alpha)

````python
x = 1

### 乙 (Beta)

乙的正文。

```
print("code")
### 这是代码里的注释，不是标题
```

### 丙 (Gamma)

丙的正文。
"""


def test_unclosed_fence_is_text_and_does_not_swallow_later_headings_or_fences(
    tmp_path: Path,
) -> None:
    result = build_project(tmp_path, {"bad.md": UNCLOSED_FENCE})
    assert_good_note_built(result)
    found = diagnostic(result, "unclosed-fence", BAD, 3, Severity.WARNING)
    assert "````" in found.hint
    titles = {e.title for e in result.entries}
    assert {"甲", "乙", "丙"} <= titles
    assert not any("注释" in t for t in titles)
    # The fence that closes is still code, the one that never does shows as text.
    assert '```\nprint("code")\n### 这是代码里的注释，不是标题\n```' in page_of(result, "乙")
    assert "x = 1" in render_page(page_of(result, "甲"))
    assert "<pre" not in render_page(page_of(result, "甲"))
    assert not lost_text(result, UNCLOSED_FENCE)


def test_unterminated_display_math_is_text(tmp_path: Path) -> None:
    text = "### 公式 (Formula)\n\n$$\na + b = c\n\n后文。\n"
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    diagnostic(result, "unterminated-math", BAD, 3, Severity.WARNING)
    assert "a + b = c" in page_of(result, "公式")
    assert not lost_text(result, text)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("---\ntitle: [unclosed\n---\n\n### 甲 (Alpha)\n\n正文。\n", 2, id="bad-yaml"),
        pytest.param(
            "---\ntitle: a\n  bad: indent\n---\n\n### 甲 (Alpha)\n\n正文。\n", 3, id="bad-indent"
        ),
        pytest.param("---\ntitle: never ends\n\n### 甲 (Alpha)\n\n正文。\n", 1, id="never-ends"),
        pytest.param("---\n- a list\n---\n\n### 甲 (Alpha)\n\n正文。\n", 1, id="not-a-mapping"),
    ],
)
def test_broken_front_matter_is_kept_as_text(tmp_path: Path, text: str, line: int) -> None:
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    diagnostic(result, "front-matter", BAD, line, Severity.WARNING)
    assert "正文。" in page_of(result, "甲")
    note_page = next(p for p in result.pages.values() if "Source file: `concepts/bad.md`" in p)
    assert text.split("\n")[1] in unescape_markdown(note_page)


def _laughs(levels: int) -> str:
    """Front matter whose YAML aliases nest nine-fold ``levels`` times: a few hundred bytes
    that expand to 9**levels strings when shown (the note page shows ``title``)."""
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    lines.append(f"title: [*a{levels}]")
    return "\n".join([*lines, "---", "", "### 甲 (Alpha)", "", "正文。", ""])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Built in 48 s and 2.4 GB at 8 levels before front matter was bounded; 9 would not fit.
        pytest.param(_laughs(9), "more than 10,000 values", id="alias-expansion"),
        pytest.param("---\na: &a [*a]\n---\n\n### 甲 (Alpha)\n\n正文。\n", "nested", id="cycle"),
        # PyYAML composes nested collections recursively: a RecursionError, not a YAMLError.
        pytest.param(
            "---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n\n### 甲 (Alpha)\n\n正文。\n",
            "nested",
            id="deep-nesting",
        ),
    ],
)
def test_front_matter_that_expands_is_kept_as_text(tmp_path: Path, text: str, message: str) -> None:
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    assert message in diagnostic(result, "front-matter", BAD, 1, Severity.WARNING).message
    assert "正文。" in page_of(result, "甲")
    assert next(o for o in result.notes if o.source.path == BAD).front_matter == {}


def test_control_characters_written_as_yaml_escapes_are_replaced(tmp_path: Path) -> None:
    text = '---\ntitle: "a\\u0000b\\x02c"\nauthor: "\\0"\n---\n\n### 甲 (Alpha)\n\n正文。\n'
    result = build_project(tmp_path, {"bad.md": text})
    assert (
        "3 control character"
        in diagnostic(result, "control-character", BAD, 1, Severity.WARNING).message
    )
    note = next(o for o in result.notes if o.source.path == BAD)
    assert note.front_matter == {"title": "a\ufffdb\ufffdc", "author": "\ufffd"}
    assert not any(c in page for page in result.pages.values() for c in "\x00\x02")


@pytest.mark.parametrize("heading", ["###", "### ", "###\u3000", "#"])
def test_heading_without_title_is_shown_as_text(tmp_path: Path, heading: str) -> None:
    text = f"### 甲 (Alpha)\n\n正文。\n\n{heading}\n\n更多正文。\n"
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    diagnostic(result, "empty-heading", BAD, 5, Severity.WARNING)
    html = render_page(page_of(result, "甲"))
    assert "更多正文。" in html
    assert not re.search(r"<h\d[^>]*>\s*</h\d>", html), "an empty heading was rendered"
    assert heading.strip() in html
    assert not lost_text(result, text)


def test_long_heading_gets_a_short_stable_url(tmp_path: Path) -> None:
    """A heading of 140 Chinese characters spells 500 in pinyin: more than a file name may
    have. Its slug is cut and ends in a hash of the whole title (the same on every build)."""
    text = "### " + "很长的标题文字" * 20 + "\n\n正文。\n"
    first = build_project(tmp_path / "a", {"bad.md": text})
    second = build_project(tmp_path / "b", {"bad.md": text})
    assert_good_note_built(first)
    assert all_file_names_fit(first)
    assert set(first.pages) == set(second.pages)
    assert not lost_text(first, text)


def test_empty_concept_gets_a_page_that_says_so(tmp_path: Path) -> None:
    text = "### 空概念 (Empty)\n\n### 甲 (Alpha)\n\n正文。\n"
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    diagnostic(result, "empty-concept", BAD, 1, Severity.INFO)
    assert "gb-empty" in page_of(result, "空概念")
    assert not lost_text(result, text)


def test_duplicate_concept_with_conflicting_aliases_keeps_both(tmp_path: Path) -> None:
    first = "### 注意力 (Attention)\n\n第一种说法。\n"
    second = "### 注意力 (Attn)\n\n第二种说法。\n"
    result = build_project(tmp_path, {"a.md": first, "bad.md": second})
    assert_good_note_built(result)
    found = diagnostic(result, "alias-conflict", BAD, 1, Severity.INFO)
    assert "Attn" in found.message
    assert "Attention at concepts/a.md:1" in found.message
    page = page_of(result, "注意力")
    assert "**Attention** · **Attn**" in page
    assert "第一种说法。" in page
    assert "第二种说法。" in page
    assert not lost_text(result, first)
    assert not lost_text(result, second)


def test_aliases_that_only_add_a_name_are_not_a_conflict(tmp_path: Path) -> None:
    result = build_project(
        tmp_path,
        {"a.md": "### 样本 (sample)\n\n一。\n", "bad.md": "### 样本 (sample，输入)\n\n二。\n"},
    )
    assert not [d for d in result.diagnostics if d.code == "alias-conflict"]


MISSING_IMAGES = """\
### 图 (Figure)

![网络 <结构> &lt; 图\\_一](img/missing.png)

`![代码里的图](code.png)` 与 <img src="gone.png" alt="a &amp; b">
"""


def test_missing_local_image_is_a_visible_placeholder_with_its_alt_text(tmp_path: Path) -> None:
    result = build_project(tmp_path, {"bad.md": MISSING_IMAGES})
    assert_good_note_built(result)
    diagnostic(result, "missing-image", BAD, 3, Severity.WARNING)
    diagnostic(result, "missing-image", BAD, 5, Severity.WARNING)
    assert not [d for d in result.diagnostics if "code.png" in d.message]
    html = render_page(page_of(result, "图"))
    assert "<img" not in html
    assert html.count('class="gb-missing-image"') == 2
    # The alt text as Markdown shows it, escaped once: no `&amp;lt;` on the page.
    assert "网络 &lt;结构&gt; &lt; 图_一" in html
    assert "a &amp; b" in html
    assert "&amp;lt;" not in html and "&amp;amp;" not in html
    assert "<code>![代码里的图](code.png)</code>" in html


def test_private_use_characters_of_the_math_tokens_are_text(tmp_path: Path) -> None:
    text = "### 私用 (Private use)\n\n字 \ue0000\ue001 与 \ue000、\ue001 和 $x$\n"
    result = build_project(tmp_path, {"bad.md": text})
    assert_good_note_built(result)
    assert "字 \ue0000\ue001 与 \ue000、\ue001 和 $`x`$" in page_of(result, "私用")


def test_formula_in_an_alias_of_a_merged_concept(tmp_path: Path) -> None:
    """The merged page shows every source's aliases; a formula in one is its TeX (its token
    means something only in its own note)."""
    notes = {
        "a.md": "### 注意力 (Attention)\n\n一。\n",
        "bad.md": "### 注意力 (Attn $q$)\n\n$x$ 二。\n",
    }
    result = build_project(tmp_path, notes)
    assert "**Attention** · **Attn q**" in page_of(result, "注意力")


# --- the page's Markdown ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "formulas"),
    [
        ("x $`a+b`$ y $`c`$", ["a+b", "c"]),
        ("$``a`b``$", ["a`b"]),
        ("$```a```$", []),
        ("$`a", []),
        ("$`a ``$ b`$", ["a ``$ b"]),
        ("$``a`$ $`b`$", ["b"]),
    ],
)
def test_inline_formulas_of_a_page_line(line: str, formulas: list[str]) -> None:
    assert [tex for _, _, tex in inline_formulas(line)] == formulas


def test_page_with_a_long_line_of_unclosed_inline_math_renders(tmp_path: Path) -> None:
    """Openings `$`` that never close: the Markdown math preprocessor's lazy regex took 11 s
    for this 30 KB line (quadratic: hours at 1 MB); now Markdown's own inline parsing is
    most of the second it takes."""
    text = "### 长行 (Long line)\n\n" + "$`a" * 10_000 + "\n"
    result = build_project(tmp_path, {"bad.md": text}, SMALL_GOOD)
    # As Markdown reads it: `a$` pairs are code spans.
    assert "$<code>a$</code>a$<code>a$</code>" in render_page(page_of(result, "长行"))


# --- size: every stage linear -------------------------------------------------------------


def _load_benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "hostile_input.py"
    spec = importlib.util.spec_from_file_location("benchmarks_hostile_input", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


HOSTILE = _load_benchmark()
LINE_BYTES = 60_000
# Shapes whose every stage is linear but slow per byte (pinyin and jieba of a long title):
# smaller, so the file stays quick.
SLOWER = {"spaces": 20_000} | {
    name: 20_000 for name in HOSTILE.LINE_SHAPES if name.startswith("heading-")
}

# Raw HTML the sanitizer rewrites (`<a href=x>` → `<a href="x" rel=...>`): markup, no text.
SANITIZED_MARKUP = {"a-tags"}


@pytest.mark.parametrize("shape", sorted(HOSTILE.LINE_SHAPES))
def test_very_long_line_builds(tmp_path: Path, shape: str) -> None:
    text = HOSTILE.LINE_SHAPES[shape](SLOWER.get(shape, LINE_BYTES))
    result = build_project(tmp_path, {"bad.md": text}, SMALL_GOOD)
    assert_good_note_built(result, SMALL_GOOD)
    assert any(p.concept.span.path == BAD for e in result.entries for p in e.parts)
    assert all_file_names_fit(result)
    lost = [] if shape in SANITIZED_MARKUP else lost_text(result, text)
    assert not lost, "text lost:\n" + "\n".join(piece[:200] for piece in lost)


@pytest.mark.parametrize(
    ("shape", "size"),
    [
        ("numbered-note", 300_000),
        ("repeated-note", 500_000),
        ("distinct-duplicates", 30_000),
        ("unclosed-fences", 50_000),
        ("unterminated-display-math", 30_000),
        ("empty-headings", 30_000),
        ("empty-concepts", 15_000),
        ("blank-lines-indented", 25_000),
    ],
)
def test_huge_note_builds(tmp_path: Path, shape: str, size: int) -> None:
    text = (HOSTILE.NOTE_SHAPES | HOSTILE.BLOCK_SHAPES)[shape](size)
    result = build_project(tmp_path, {"bad.md": text}, SMALL_GOOD)
    assert_good_note_built(result, SMALL_GOOD)
    outline = next(o for o in result.notes if o.source.path == BAD)
    pages = {p.concept.span for e in result.entries for p in e.parts}
    assert outline.concepts
    assert all(c.span in pages for c in outline.concepts)
