"""markdown_syntax.py against what the site's Markdown renders, and against pymdownx's grammar."""

from __future__ import annotations

import hashlib
import html
import inspect
import re

import markdown.inlinepatterns
import pymdownx.superfences
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary_build.markdown_syntax import (
    code_spans,
    fence_opener,
    fence_regions,
    indented_code_lines,
    scan_fences,
)
from glossary_build.normalize.glossary_bodies import indented_body_to_markdown
from glossary_build.parse import parse_note
from glossary_build.sanitize import NO_OPENER_MARK, sanitize_body
from glossary_build.types import Line, SourceFile

from .helpers import render_page
from .test_sanitize import active_content


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_pymdownx_grammar_is_the_one_this_module_was_written_for() -> None:
    """markdown_syntax.py restates superfences' and Python-Markdown's grammar. If an upgrade
    changes it, this fails: read the new grammar, update the module, then these digests."""
    # As superfences writes it (markdown_guard makes its fence run possessive once installed).
    opener = pymdownx.superfences.RE_NESTED_FENCE_START.pattern.replace("{3,}+", "{3,}")
    digest = "c83dad47b973717faed675be6a330c4af219a4d688a8c3e2a5441c78dbe7d9fc"
    assert _digest(opener) == digest
    assert pymdownx.superfences.NESTED_FENCE_END == r"%s[ \t]*$"
    assert pymdownx.superfences.PREFIX_CHARS == (">", " ", "\t")
    assert pymdownx.superfences.RE_HL_LINES.pattern == (
        r"^(?P<hl_lines>\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*)$"
    )
    assert pymdownx.superfences.RE_LINENUMS.pattern.startswith(r"(?P<linestart>[\d]+)")
    assert markdown.inlinepatterns.BACKTICK_RE == r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"
    finder = markdown.inlinepatterns.BacktickInlineProcessor.find_code_spans
    assert _digest(inspect.getsource(finder)) == (
        "add2810037e612b85453b025cb80eaceb4955f4353692cd18026ae03e6f711bf"
    )


_HEADER_PARTS = st.lists(
    st.sampled_from(
        [
            "",
            " ",
            "\t",
            "python",
            ".py",
            "py",
            "c++",
            "中文",
            "{",
            "}",
            ".x",
            "#a",
            "=",
            '"',
            "'",
            "title",
            'title="t"',
            'hl_lines="1 2"',
            'hl_lines="x"',
            "linenums",
            'linenums="1"',
            "foo",
            "`",
            "~",
            ";",
            "\\+",
            "{ .python }",
            "{.a #b}",
        ]
    ),
    max_size=5,
)


@given(st.sampled_from(["```", "````", "~~~", "~~~~"]), _HEADER_PARTS)
def test_an_opener_is_what_superfences_grammar_allows(fence: str, parts: list[str]) -> None:
    """Never looser than superfences' own regex: what it does not match, or matches only as an
    unrecognised header, opens no fence here."""
    line = fence + "".join(parts)
    theirs = pymdownx.superfences.RE_NESTED_FENCE_START.match(line)
    ours = fence_opener(line)
    if theirs is None or theirs["unrecognized"] is not None:
        assert ours is None
    elif theirs["attrs"] is None and theirs["options"] is None:
        assert ours is not None and ours.language == (theirs["lang"] or "")


# --- fences: the module's verdict against the rendered HTML -------------------------------

_PREFIXES = ["", " ", "  ", "   ", "> ", ">", "> > ", ">  "]
_FENCES = ["```", "````", "~~~", "``````"]
_INFOS = ["", "python", " py", " foo bar", " {.x}", ' title="a"', "`", " aa ```"]


@st.composite
def _fence_documents(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    for index in range(draw(st.integers(1, 9))):
        prefix = draw(st.sampled_from(_PREFIXES))
        kind = draw(st.sampled_from(["fence", "fence", "word", "blank"]))
        if kind == "fence":
            lines.append(prefix + draw(st.sampled_from(_FENCES)) + draw(st.sampled_from(_INFOS)))
        elif kind == "word":
            lines.append(f"{prefix}w{index}x")
        else:
            lines.append(prefix.rstrip())
    return lines


def _neutralise_unclosed(lines: list[str]) -> list[str]:
    """What the sanitizer does: a fence never closed is made to open nothing."""
    out = list(lines)
    for fence in scan_fences(lines):
        if fence.end is None and not fence.abandoned:
            out[fence.start] = out[fence.start] + NO_OPENER_MARK
    return out


def _words_in_pre(rendered: str) -> set[str]:
    words: set[str] = set()
    for block in re.findall(r"<pre\b.*?</pre>", rendered, re.S):
        words.update(re.findall(r"w\d+x", html.unescape(re.sub(r"<[^>]+>", "", block))))
    return words


@settings(max_examples=150)
@given(_fence_documents())
def test_lines_the_module_calls_fenced_are_exactly_the_rendered_code(lines: list[str]) -> None:
    lines = _neutralise_unclosed(lines)
    fenced: set[str] = set()
    for start, end in fence_regions(lines):
        if end is not None:
            for text in lines[start + 1 : end]:
                fenced.update(re.findall(r"w\d+x", text))
    assert _words_in_pre(render_page("\n".join(lines) + "\n")) == fenced


def test_a_fence_closes_only_on_its_own_length_as_superfences_reads_it() -> None:
    """Row 12: ``` closed by ```` is no fence end; the ``` line after it is."""
    lines = ["```", "a", "````", "b", "```", "c"]
    assert fence_regions(lines) == [(0, 4)]
    code, after = render_page("\n".join(lines)).split("</pre>")
    assert "a\n````\nb" in code  # the ```` line is code
    assert re.sub(r"<[^>]+>", "", after).strip() == "c"


def test_row_12_a_longer_closing_line_loses_no_concept() -> None:
    note = "### 甲\n\n```\ncode\n````\n\n### 乙\n\n正文\n\n### 丙\n\n```\nmore\n```\n"
    parsed, _ = parse_note(SourceFile("concepts/n.md", note))
    titles = [s.heading for s in parsed.sections if s.level]
    assert titles == ["甲", "乙", "丙"]


def test_fence_in_a_list_item_closes_at_its_own_indentation() -> None:
    lines = ["- a", "  ```", "  b", "- c", "", "  ```", "  d", "  ```"]
    # `- c` is not indented as far: the first fence is abandoned there.
    assert [(f.start, f.end, f.abandoned) for f in scan_fences(lines)] == [
        (1, None, True),
        (5, 7, False),
    ]


def test_indented_python_fence_in_a_glossary_body_is_code_without_its_fence_lines() -> None:
    """002:3287 (DET曲线): the author's ```python inside the 4-space indentation."""
    body = [
        Line(1, "    检测错误权衡图（DET）是一种图表。"),
        Line(2, "    ```python"),
        Line(3, "    from sklearn.metrics import det_curve"),
        Line(4, "    plt.show()"),
        Line(5, "    ```"),
    ]
    out = indented_body_to_markdown(body)
    rendered = render_page("\n".join(ln.text for ln in out))
    assert "```" not in html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert '<span class="kn">from</span>' in rendered  # highlighted as Python
    assert [ln.number for ln in out][-1] == 5


# --- code spans ---------------------------------------------------------------------------


def _rendered_code(text: str) -> list[str]:
    rendered = render_page(text)
    return [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", rendered, re.S)]


def _predicted_code(text: str) -> list[str]:
    out = []
    for start, end in code_spans(text):
        span = text[start:end]
        ticks = len(span) - len(span.rstrip("`"))
        out.append(span[ticks:-ticks].strip())
    return out


@settings(max_examples=300)
@given(st.text(alphabet="`` a", min_size=1, max_size=14))
def test_code_spans_pair_as_python_markdown_pairs_them(text: str) -> None:
    text = "x" + text  # never a fence or an indented block
    assert _predicted_code(text) == _rendered_code(text)


def test_code_span_after_escaped_backtick() -> None:
    assert _predicted_code(r"x \``a`") == _rendered_code(r"x \``a`") == ["a"]


# --- indented code ------------------------------------------------------------------------


def _indented(text: str) -> list[int]:
    lines = text.split("\n")
    fenced = frozenset(
        i for start, end in fence_regions(lines) if end is not None for i in range(start, end + 1)
    )
    return sorted(indented_code_lines(lines, fenced))


def test_indented_code_is_found_where_markdown_renders_it() -> None:
    assert _indented("    <a/>\n    *hi*\n\n    - one") == [0, 1, 3]
    assert _indented("text\n\n    code\nlazy") == [2]
    assert _indented("text\n    not code") == []


def test_indented_lines_that_markdown_may_not_render_as_code_are_not_code() -> None:
    assert _indented("- item\n\n    continues the item") == []
    assert _indented("- item\n\n    ```\n    x\n    ```\n\n    still the item") == []
    assert _indented("<details>\n\n    <script>") == []
    assert _indented("- a\n\nb\n\n    code") == [4]


@settings(max_examples=100)
@given(
    st.lists(
        st.sampled_from(["", "    w{}x", "  w{}x", "w{}x", "- w{}x", "> w{}x", "        w{}x"]),
        min_size=1,
        max_size=8,
    )
)
def test_indented_code_verdict_is_never_wider_than_the_render(shapes: list[str]) -> None:
    lines = [shape.format(index) for index, shape in enumerate(shapes)]
    claimed = {f"w{i}x" for i in _indented("\n".join(lines))}
    assert claimed <= _words_in_pre(render_page("\n".join(lines) + "\n"))


def _sanitized(text: str) -> str:
    lines = [Line(i + 1, t) for i, t in enumerate(text.split("\n"))]
    out, _ = sanitize_body(lines, "concepts/n.md")
    return "\n".join(ln.text for ln in out)


def test_indented_code_is_left_as_written_by_the_sanitizer() -> None:
    """CommonMark 110 / issue 12: `    <a/>` showed `<a rel="noopener noreferrer">`."""
    assert _sanitized("    <a/>\n    *hi*") == "    <a/>\n    *hi*"
    rendered = render_page(_sanitized("正文\n\n    <a/>"))
    assert "&lt;a/&gt;" in rendered


def test_indented_lines_in_a_list_or_raw_html_are_still_sanitized() -> None:
    assert "<script>" not in _sanitized("- item\n\n    <script>alert(1)</script>")
    assert "<script>" not in _sanitized("<details>\n\n    <script>alert(1)</script>")
    assert "<script>" not in _sanitized("段落\n    <script>alert(1)</script>")


def test_a_tag_that_a_code_span_breaks_is_text() -> None:
    """CommonMark 344: Markdown pairs the backticks first, so `<a href="` is no tag."""
    out = _sanitized('<a href="`">`')
    assert "rel=" not in out
    assert render_page(out) == '<p>&lt;a href="<code>"&gt;</code></p>'


def test_autolinks_are_links_or_their_url_never_escaped_brackets() -> None:
    """CommonMark 596–606: `<scheme:…>` showed as `&lt;scheme:…&gt;`."""
    for text, shown in [
        ("<irc://foo.bar:2233/baz>", "irc://foo.bar:2233/baz"),
        ("<MAILTO:FOO@BAR.BAZ>", "MAILTO:FOO@BAR.BAZ"),
        ("<made-up-scheme://foo,bar>", "made-up-scheme://foo,bar"),
        ("<a+b+c:d>", "a+b+c:d"),
        ("<localhost:5001/foo>", "localhost:5001/foo"),
    ]:
        rendered = html.unescape(re.sub(r"<[^>]+>", "", render_page(_sanitized(text))))
        assert rendered.strip() == shown


def test_an_autolink_with_a_blank_is_python_markdowns_link_written_as_html() -> None:
    """CommonMark 602: Python-Markdown links `<https://foo.bar/baz bim>`; it showed as text."""
    rendered = render_page(_sanitized("见 <https://foo.bar/baz bim> 后"))
    assert '<a href="https://foo.bar/baz bim"' in rendered
    assert (
        html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == "见 https://foo.bar/baz bim 后"
    )
    # a blank is where a browser reads attributes when no link is made (a raw HTML block)
    for text in ["<https://x/ onmouseover=alert(1)>", "<div>\n<https://x/ onmouseover=alert(1)>"]:
        rendered = render_page(_sanitized(text))
        assert not active_content(rendered), rendered
    assert _sanitized("<javascript://x y>").startswith("&lt;")


def test_script_autolinks_stay_escaped_text() -> None:
    for text in ["<javascript:alert(1)>", "<javascript://%0aalert(1)>", "<x/onload=alert(1)@y>"]:
        assert _sanitized(text).startswith("&lt;")


def test_autolink_grammar_is_python_markdowns() -> None:
    assert markdown.inlinepatterns.AUTOLINK_RE == r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"
    assert markdown.inlinepatterns.AUTOMAIL_RE == r"<([^<> !]+@[^@<> ]+)>"


def test_a_quoted_fence_after_indented_code_is_not_trusted() -> None:
    """Found by hypothesis: `    ```` then a quoted fence. The block starts as indented code,
    superfences' fence is put back as text and the quote after it is Markdown, so the
    `<script>` inside the quoted "fence" would run."""
    text = "    ```\n> x\n> ```\n>   ```\n> <script>alert(1)</script>\n> ```"
    assert "<script" not in render_page(_sanitized(text))
