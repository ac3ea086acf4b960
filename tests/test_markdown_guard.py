"""A note's text sets no attribute and links to no script (issue 12, rows 4 and 13).

The property test renders author text with the real ``attr_list`` extension and without it:
the pages must be the same, so whatever attr_list's patterns become in an upgrade, a note's
braces stay text (or this fails).
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser

import markdown
import pymdownx.superfences
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from glossary_build.markdown_guard import ESCAPED_BRACE, GuardExtension, own_attribute_list
from glossary_build.markdown_syntax import fence_attributes_from_notes
from glossary_build.pipeline import build_from_sources
from glossary_build.sanitize import link_url_allowed
from glossary_build.types import BuildResult, SourceFile

from .helpers import ROOT, SITE_EXTENSIONS, render_page


def test_the_tests_render_with_mkdocs_ymls_extensions() -> None:
    """render_page (and the body-phrase benchmark) run the extensions the site runs."""
    from mkdocs.utils.yaml import yaml_load

    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert tuple(names) == SITE_EXTENSIONS


NOTE = "concepts/note.md"
EXTENSIONS = ["abbr", "admonition", "md_in_html", "tables", "toc", "pymdownx.superfences"]


@functools.cache
def _markdown(attr_list: bool) -> markdown.Markdown:
    extensions: list[str | markdown.extensions.Extension] = [GuardExtension(), *EXTENSIONS]
    if attr_list:
        extensions.append("attr_list")
    return markdown.Markdown(extensions=extensions)


def convert(text: str, attr_list: bool = True) -> str:
    md = _markdown(attr_list)
    md.reset()
    return md.convert(text)


def build_note(body: str, extra: str = "") -> BuildResult:
    text = f"### 张量(tensor)\n\n{body}\n{extra}"
    return build_from_sources([SourceFile(NOTE, text, frozenset())], "Test")


def concept_html(result: BuildResult, slug: str = "") -> str:
    page = next(
        text for path, text in result.pages.items() if path.startswith("concepts/") and slug in path
    )
    return render_page(page)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value) for name, value in attrs)


def attributes(markup: str) -> list[tuple[str, str, str | None]]:
    parser = _Attributes()
    parser.feed(markup)
    return parser.found


# --- row 4: attribute lists from a note are text --------------------------------------------


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('段落{: style="position:fixed;inset:0" }', '{: style="position:fixed;inset:0" }'),
        ('段落\n{: style="background:url(https://evil.example/x.png)" }', "background:url"),
        ("段落\n{: #__config }", "{: #__config }"),
        ("- 列表项 {: .x data-a=1 }", "{: .x data-a=1 }"),
        ("*强调*{: onclick=alert(1) target=_blank }", "{: onclick=alert(1) target=_blank }"),
        ("| a |\n|---|\n| 格 {: style=color:red } |", "{: style=color:red }"),
    ],
)
def test_attribute_list_in_a_note_is_shown_as_text(body: str, shown: str) -> None:
    result = build_note(body)
    rendered = concept_html(result)
    page_attributes = attributes(rendered)
    assert not [a for a in page_attributes if a[1] in ("style", "target") or a[1].startswith("on")]
    assert ("id", "__config") not in [(a[1], a[2]) for a in page_attributes]
    assert not [a for a in page_attributes if a[1].startswith("data-a") or a[2] == "x"]
    assert shown in rendered.replace("&quot;", '"')
    assert any(d.code in ("attribute-list", "unsafe-html") for d in result.diagnostics)


def test_the_generators_own_attribute_lists_still_apply() -> None:
    rendered = convert(
        "## 张量 · 笔记 第 3 行 { .gb-version }\n\n"
        "## 被引用 / Referenced by { .gb-backlinks }\n\n"
        "## 相关概念 { .gb-related }\n\n"
        "## A { #letter-a }\n"
    )
    found = attributes(rendered)
    assert ("h2", "class", "gb-version") in found
    assert ("h2", "class", "gb-backlinks") in found
    assert ("h2", "class", "gb-related") in found
    assert ("h2", "id", "letter-a") in found
    assert "{" not in rendered


@pytest.mark.parametrize(
    "attributes_text",
    [".gb-version #__config", "#__config", ".other", 'style="x"', "onclick=x", ".gb-version }"],
)
def test_only_the_generators_attribute_lists_are_its_own(attributes_text: str) -> None:
    assert not own_attribute_list(attributes_text)
    assert "{" in convert(f"## 标题 {{ {attributes_text} }}")


def test_escaped_brace_is_not_an_attribute_list_to_attr_list() -> None:
    from markdown.extensions.attr_list import AttrListTreeprocessor

    for pattern in (
        AttrListTreeprocessor.BLOCK_RE,
        AttrListTreeprocessor.HEADER_RE,
        AttrListTreeprocessor.INLINE_RE,
    ):
        assert pattern.search(f"x\n{ESCAPED_BRACE}: .a }}") is None


_PIECES = (
    *["{", "}", "{:", ": ", ".a", "#b", "c=d", 'k="v w"', " ", "\n", "\n\n", "x", "中文"],
    *["*", "_", "`", "- ", "# ", "> ", "| ", "|---|", "<div markdown>", "</div>", "["],
    *["](u)", "![i", "    ", "\n---\n", "style=position:fixed", "onclick=a", "```"],
)
_TEXT = st.lists(
    st.sampled_from(_PIECES),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example('段落{: style="position:fixed;inset:0" }')
@example("- a\n    b {: .x }\n\n*e*{: .y }")
@example("a\n---\n{: #__config }")
@example("# h {: #__config }")
def test_attr_list_has_no_effect_on_author_text(text: str) -> None:
    """With attr_list or without it, author text renders the same (our lists aside)."""
    if any(own in text for own in ("gb-version", "gb-backlinks", "gb-related", "letter-")):
        return
    assert convert(text, attr_list=True) == convert(text, attr_list=False)


# --- row 13: one URL policy for Markdown links and images -----------------------------------


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://a.example/x", True),
        ("http://a.example", True),
        ("mailto:a@b.example", True),
        ("../x.md", True),
        ("#anchor", True),
        ("//cdn.example/x", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        (" \tjavascript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("file:///etc/passwd", False),
    ],
)
def test_link_url_policy(url: str, allowed: bool) -> None:
    assert link_url_allowed(url) is allowed


@pytest.mark.parametrize(
    "body",
    [
        "[x](javascript:alert('x'))",
        "[x](javascript:alert`1`)",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg/onload=alert(1)>)",
    ],
)
def test_refused_link_is_its_text_without_a_url_or_a_placeholder(body: str) -> None:
    result = build_note(body)
    rendered = concept_html(result)
    urls = [a[2] or "" for a in attributes(rendered) if a[1] in ("href", "src")]
    assert all(link_url_allowed(u) for u in urls), urls
    assert not [u for u in urls if u.startswith("alert")], urls
    assert "wzxhzdk" not in rendered and "\x02" not in rendered
    assert ">x</a>" not in rendered and "x" in rendered
    assert [d for d in result.diagnostics if "URL is shown as its text" in d.message]


def test_allowed_links_stay_links() -> None:
    rendered = convert("[a](https://a.example) [b](mailto:b@c.example) [c](../c.md) [d](#d)")
    hrefs = [a[2] for a in attributes(rendered) if a[1] == "href"]
    assert hrefs == ["https://a.example", "mailto:b@c.example", "../c.md", "#d"]


def test_a_term_inside_an_attribute_list_is_not_linked() -> None:
    """`{: onclick=… target=_blank }` once had "target" linked (row 13)."""
    result = build_note(
        "点击 {: onclick=alert(1) target=_blank } 之后",
        "\n### 目标值(target)\n\n目标值是 target。\n",
    )
    rendered = concept_html(result, "tensor")
    assert "target</a>" not in rendered
    assert "{: onclick=alert(1) target=_blank }" in rendered


@pytest.mark.parametrize(
    "body",
    [
        "正文\n\n#### ![x](https://gbevil.example/remote.png)\n\n再",  # a sub-section heading
        "| a |\n|---|\n| ![x](//gbevil.example/r.png) |",  # a table cell
        "正文 ![x](https://gbevil.example/remote.png)",  # a body (the sanitizer's own rewrite)
    ],
)
def test_every_remote_image_loads_lazily_without_referrer(body: str) -> None:
    """Found by the whole-site hostile test: a heading's image had neither attribute."""
    images = _Images()
    images.feed(concept_html(build_note(body)))
    assert images.found, "no image rendered"
    for image in images.found:
        assert image.get("loading") == "lazy", image
        assert image.get("referrerpolicy") == "no-referrer", image


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


@pytest.mark.parametrize(
    ("opener", "shown", "dropped"),
    [
        ("``` {.html #gbEvil}", "``` {.html}", ("#gbEvil",)),
        ('```html {#x .y data-a=1 hl_lines="1"}', '```html {.y hl_lines="1"}', ("#x", "data-a=1")),
        (">  > ```{#__config}  ", ">  > ```  ", ("#__config",)),
        ('```{.python title="a"}', '```{.python title="a"}', ()),
        ("```python", "```python", ()),
        ("not a fence {#x}", "not a fence {#x}", ()),
    ],
)
def test_a_fence_attribute_list_keeps_only_the_language_and_options(
    opener: str, shown: str, dropped: tuple[str, ...]
) -> None:
    assert fence_attributes_from_notes(opener) == (shown, dropped)


def test_a_fence_from_a_note_sets_no_id_or_attribute() -> None:
    """Found by the whole-site hostile test: ``` {.html #gbEvilFence} gave the code block
    that id (and `#__config` would have taken the theme's)."""
    result = build_note("``` {.html #gbEvilFence data-x=1}\n<b>x</b>\n```\n\n正文")
    rendered = concept_html(result)
    names = {name for _, name, _ in attributes(rendered)}
    assert "gbEvilFence" not in rendered and "data-x" not in names
    assert "&lt;b&gt;x&lt;/b&gt;" in re.sub(r"<[^>]+>", "", rendered)  # still code
    assert [d for d in result.diagnostics if d.code == "fence-attributes"]


# --- superfences' fence openers, in linear time -------------------------------------------

_GREEDY_OPENER = re.compile(
    pymdownx.superfences.RE_NESTED_FENCE_START.pattern.replace("{3,}+", "{3,}"),
    pymdownx.superfences.RE_NESTED_FENCE_START.flags,
)
_HEADER_PIECES = st.lists(
    st.sampled_from(
        ["`", "~", " ", "\t", "\u00a0", "\u3000", "a", "py", "{", "}", ".x", "#i", "=", '"', "中"]
    ),
    max_size=8,
)


def _verdict(match: re.Match[str] | None) -> tuple[str | None, ...] | None:
    """What superfences does with the line: no fence (None), or the groups it reads."""
    if match is None or match["unrecognized"] is not None:
        return None
    return (match["fence"], match["lang"], match["attrs"], match["options"])


def test_the_guard_installs_a_possessive_opener_pattern() -> None:
    render_page("### 甲\n\n正文\n")  # the site's Markdown, with the guard
    assert "{3,}+" in pymdownx.superfences.RE_NESTED_FENCE_START.pattern
    assert "{3,}+" not in _GREEDY_OPENER.pattern


@given(st.sampled_from(["", " ", "> ", "  > "]), st.integers(3, 12), _HEADER_PIECES)
def test_the_possessive_opener_pattern_opens_the_same_fences(
    prefix: str, run: int, pieces: list[str]
) -> None:
    render_page("### 甲\n\n正文\n")
    for mark in "`~":
        line = prefix + mark * run + "".join(pieces)
        at = len(prefix)
        ours = pymdownx.superfences.RE_NESTED_FENCE_START.match(line, at)
        assert _verdict(ours) == _verdict(_GREEDY_OPENER.match(line, at)), repr(line)


def test_the_site_leaves_relaxed_headers_off() -> None:
    """The possessive pattern differs from superfences' own only for relaxed headers."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "relaxed_headers" not in config


@pytest.mark.parametrize("mark", ["`", "~"])
@pytest.mark.parametrize("end", ["\u00a0", "\u3000"])
def test_a_long_fence_run_that_opens_nothing_renders_as_typed(mark: str, end: str) -> None:
    line = mark * 60_000 + end
    html = render_page(f"### 甲\n\n{line}\n\n    {line}\n")
    assert html.count(mark * 60_000) == 2
