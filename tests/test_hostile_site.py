"""Whole-site checks with hostile notes: nothing a note contains becomes active in the site.

Every byte of a note is untrusted, its file name included. These tests put hostile notes beside
good ones in a temporary copy of the project, build the site with real MkDocs and the project's
mkdocs.yml (no ``--strict``), and check every HTML and JSON file the site ships with an
independent checker (:mod:`tests.site_audit`, html5lib): no event handler, no script but the
theme's, no ``javascript:``/``data:`` URL, no style or id a note set, nothing from outside
``concepts/``; and the good notes' pages are all there.

* :func:`test_hostile_notes_leave_the_site_inert`: hypothesis writes the hostile notes, from
  every channel of issue 12 (file names, headings, aliases, front matter, attribute lists,
  links, raw HTML, fences, math, nesting, NUL and bad bytes), beside one small good note;
* :func:`test_every_hostile_row_beside_the_real_notes`: all thirteen rows of issue 12 at once,
  beside the five real notes, built with and without ``--strict`` in a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import html5lib
import jinja2
import jinja2.bccache
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import site_examples
from .helpers import ROOT
from .site_audit import audit_site, summary

pytestmark = pytest.mark.site

SECRET = "GBSECRET-7f3c1e"
"""The content of files outside the notes folder: it must appear in no file of the site."""

# Ids a note tries to set. Mixed case, so no heading's own id (slugified to lower case by the
# site's toc settings) can equal one; Material's own ids are caught as duplicates instead.
NOTE_IDS = frozenset({"gbEvilRaw", "gbEvilAttr", "gbEvilHead", "gbEvilFence", "gbEvilTex"})
THEME_IDS = ("__config", "__search", "__drawer", "__toc", "__consent", "__palette_0")

GOOD_NOTE = """\
## 好组甲

### 好概念甲 (Goodalpha)

好概念甲的正文 GOODBODY1，提到好概念乙。

### 好概念乙 (Goodbeta)

好概念乙的正文 GOODBODY2，公式 $a+b$。
"""
GOOD_MARKERS = ("GOODBODY1", "GOODBODY2", "好概念甲", "好概念乙")

# Project files a build reads (the URL map too, wherever the build keeps it); not the code,
# the tests or anything built.
_NOT_COPIED = frozenset(
    (
        ".git",
        ".github",
        ".ci",
        ".venv",
        ".cache",
        "site",
        "tests",
        "benchmarks",
        "scripts",
        "glossary_build",
        "concepts",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".ruff_cache",
        ".hypothesis",
    )
)


# --- hostile material ---------------------------------------------------------------------

X = 'alert("gbevil")'
XT = "alert(`gbevil`)"

RAW_HTML = [
    f"<script>{X}</script>",
    f"<img src=x onerror={X}>",
    f'<img src="x" onerror="{XT}"/>',
    f"<IMG SRC=x OnErRoR={X}>",
    f"<img/src=x/onerror={X}>",
    f"<img src=x onerror={X}//",
    f"<svg onload={X}>",
    f"<svg><script>{X}</script></svg>",
    f'<svg><a xlink:href="javascript:{XT}"><text>x</text></a></svg>',
    f'<svg><animate attributeName=href to="javascript:{XT}"/></svg>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={X}>",
    f'<iframe src="javascript:{XT}"></iframe>',
    f'<iframe srcdoc="<script>{XT}</script>"></iframe>',
    f'<object data="javascript:{XT}"></object>',
    f'<embed src="data:text/html,<script>{XT}</script>">',
    "<style>body{display:none} /*gbevil*/</style>",
    '<link rel=stylesheet href="https://gbevil.example/x.css">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{XT}">',
    f'<base href="javascript:{XT}//">',
    f'<form action="javascript:{XT}"><button>gbevil</button></form>',
    f"<input autofocus onfocus={X}>",
    f"<textarea><img src=x onerror={X}></textarea>",
    f'<noscript><p title="</noscript><img src=x onerror={XT}>"></noscript>',
    f"<xmp><img src=x onerror={X}></xmp>",
    f"<template><img src=x onerror={X}></template>",
    f"<details open ontoggle={X}>x</details>",
    f'<a href="javascript:{XT}">x</a>',
    f'<a href="&#106;avascript:{XT}">x</a>',
    f'<a href="java&#x09;script:{XT}">x</a>',
    f'<a href=" javascript:{XT}">x</a>',
    '<a href="vbscript:msgbox(gbevil)">x</a>',
    f'<a href="data:text/html,<script>{XT}</script>">x</a>',
    '<div style="position:fixed;inset:0;background:red">gbevil</div>',
    '<span style="background:url(https://gbevil.example/t.png)">x</span>',
    '<img src="x.png" style="zoom:50%;position:fixed;inset:0">',
    '<img src="https://gbevil.example/p.png">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<div id="__config">x</div>',
    '<span id="gbEvilRaw">x</span>',
    '<p data-md-component="search">x</p>',
    f"<!--<img src=x onerror={X}>-->",
    f"<!--><img src=x onerror={X}>-->",
    f"<![CDATA[<img src=x onerror={X}>]]>",
    f'<?xml-stylesheet href="javascript:{XT}"?>',
    f'<div markdown="1">[x](javascript:{XT})</div>',
    f'<p title="a"onclick="{XT}">x</p>',
    f"<scr\x00ipt>{X}</scr\x00ipt>",
    f"<img src=x on\x00error={X}>",
    f"<div><plaintext><img src=x onerror={X}>",
    f"<select><option><img src=x onerror={X}></select>",
    f"<a href='https://ok.example'onmouseover='{XT}'>x</a>",
    f"<details><summary onclick={X}>s</summary>x</details>",
    f"<table><tr><td background=javascript:{XT}>x</td></tr></table>",
    f"<sub><img src=x onerror={X}></sub>",
]

ATTR_LISTS = [
    '{: style="position:fixed;inset:0;background:red" }',
    '{: style="background:url(https://gbevil.example/t.png)" }',
    "{: #__config }",
    "{: #__search }",
    "{: #gbEvilAttr }",
    f'{{: onclick="{XT}" target=_blank }}',
    f"{{: .x onmouseover={X} }}",
    '{ #gbEvilAttr style="color:red" }',
    '{: data-md-component="search" }',
    f'{{: href="javascript:{XT}" }}',
    f'{{: src="javascript:{XT}" }}',
    f"{{: title=x onerror={X} }}",
]

LINKS = [
    f"[x](javascript:{X})",
    "[x](javascript:alert`gbevil`)",
    f"[x](JaVaScRiPt:{X})",
    f"[x](&#106;avascript:{X})",
    f"[x](<javascript:{X}>)",
    f"[x]( javascript:{X})",
    f"[x](javascript&colon;{X})",
    '[x](vbscript:msgbox("gbevil"))',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"![x](javascript:{X})",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
    f"[x][gbref]\n\n[gbref]: javascript:{X}",
    f"<javascript:{X}>",
    "<data:text/html,gbevil>",
    f"[`x](javascript:{X})`",
    f"[x`](javascript:{X})`",
    f"`[x](javascript:{X})`",
    f'[x](javascript:{X} "t")',
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    f"[<img src=x onerror={X}>](https://ok.example)",
    f"[x](java\tscript:{X})",
    f"[x](\x00javascript:{X})",
    f"[x](javascript:{X}){{: onclick={X} }}",
    "![x](https://gbevil.example/remote.png)",
    "![x](leak.png)",
    "https://ok.example/<img src=x onerror=alert(1)>",
]

MATH = [
    f"$<img src=x onerror={X}>$",
    f"$$\n</div><script>{X}</script>\n$$",
    f"$\\href{{javascript:{X}}}{{x}}$",
    "$\\htmlId{gbEvilTex}{x}$",
    "$\\htmlStyle{position:fixed;inset:0}{x}$",
    f"$\\url{{javascript:{X}}}$",
    "$\\color{red;position:fixed}{x}$",
    "$x</span><img src=x onerror=alert(1)>$",
]

# A fence and code-span shape around {p}: where the sanitizer and Markdown could disagree on
# what is code, {p} would reach the page as HTML.
FENCES = [
    "```\n{p}\n```",
    "````\n```\n{p}\n````",
    "```\n{p}\n````",
    "````\n{p}\n```",
    "~~~\n{p}\n~~~",
    "~~~\n{p}\n```",
    "   ```\n{p}\n   ```",
    "    ```\n    {p}\n    ```",
    "- item\n\n  ```\n  {p}\n  ```",
    "- item\n```\n{p}\n```",
    "> ```\n> {p}\n> ```",
    "> ```\n{p}\n```",
    "```html\n{p}\n```",
    "``` {{.html onclick=alert(1) #gbEvilFence}}\n{p}\n```",
    "```{{.python style='position:fixed'}}\n{p}\n```",
    "``` ```\n{p}\n",
    "``{p}``",
    "`{p}`",
    "` `` {p} `` `",
    "```{p}```",
    "``` `` ``` {p}",
    "\t```\n{p}\n\t```",
    "```python\n{p}\n```\n```",
    "1. x\n   ```\n   {p}\n   ```",
    "```\n{p}",
    "`` ` ``{p}`",
    "<pre>\n{p}\n</pre>",
    "<code>{p}</code>",
    "!!! note\n    ```\n    {p}\n    ```",
]

NESTING = [
    lambda n: "- " * n + "x",
    lambda n: "> " * n + "x",
    lambda n: "1. " * n + "x",
    lambda n: "*" * n + "x" + "*" * n,
    lambda n: "[" * n + "x" + "]" * n,
    lambda n: "<div>" * n + "x",
    lambda n: "<span>" * n + "x" + "</span>" * n,
    lambda n: "  " * n + "- x",
    lambda n: "(" * n,
    lambda n: "`" * n + "x",
    lambda n: "!!! note\n" + "".join("    " * i + "!!! note\n" for i in range(1, min(n, 40))),
]

HEADING_TRICKS = [
    '<img src=x onerror=alert("gbevil")>标题',
    '</title><script>alert("gbevil")</script>八',
    '标题 $<img src=x onerror=alert("gbevil")>$',
    '标题 {: #gbEvilHead onclick=alert("gbevil") }',
    "标题 {: #__config }",
    f"[x](javascript:{X})",
    '`code <img src=x onerror=alert("gbevil")>`',
    '\'"><svg onload=alert("gbevil")>',
    "__config",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '标题\x00<script>alert("gbevil")</script>',
    "<!-- 注释 -->标题",
    "<![x]>标题",
    "Tensor",
]
ALIAS_TRICKS = [
    '名 (Alias"onmouseover="alert(1))',
    '名(<img src=x onerror=alert("gbevil")>)',
    '第三个(<img src=x onerror=alert("gbevil")>)',
    '名 (<script>alert("gbevil")</script>)',
    "名 (</title><style>*{display:none}</style>)",
    "名 ($<img src=x onerror=1>$)",
    f"名 ([x](javascript:{X}))",
    "名 (__config)",
    "名 (Tensor)",
    "名 (a, <b onclick=alert(1)>b</b>, c)",
]

FILE_NAMES = [
    '笔记<img src=x onerror=alert("gbevil")>',
    "\"quoted'名",
    ".",
    "zz_\udcff",
    "ctl\x01\x1b[31m",
    "new\nline",
    "tab\tname",
    "长" * 80,  # 240 bytes: with ".markdown", a name of 249 (the limit is 255)
    '</title><script>alert("gbevil")</script>',
    "{: #gbEvilAttr }",
    "[x](javascript:alert(1))",
    "$<img src=x onerror=1>$",
    " leading space",
    '名 (<img src=x onerror=alert("gbevil")>)',
    "&amp;&lt;b&gt;",
    "%3Cscript%3E",
    "index",
    "-",
]
SUFFIXES = [".md", ".txt", ".markdown"]
GLUE = st.text(
    alphabet=st.sampled_from(list(" <>\"'`()[]{}:#=/\\*-_!$&;\n\x00\t名abcjs")), max_size=12
)


def _yaml(value: str) -> str:
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


CHANNELS = (
    "file-name",
    "heading",
    "alias",
    "front-matter",
    "attr-list",
    "link",
    "raw-html",
    "fence",
    "math",
    "nesting",
    "bytes",
)
"""The ways into a page that issue 12 lists; each property test draws from some of them."""
BODY_CHANNELS = ("attr-list", "link", "raw-html", "fence", "math", "nesting")


@st.composite
def payloads(draw: st.DrawFn, channels: frozenset[str]) -> str:
    kinds = [c for c in BODY_CHANNELS if c in channels]
    if not kinds:
        return "正文。"
    kind = draw(st.sampled_from(kinds))
    if kind == "raw-html":
        return draw(GLUE) + draw(st.sampled_from(RAW_HTML)) + draw(GLUE)
    if kind == "link":
        return draw(st.sampled_from(LINKS))
    if kind == "math":
        return draw(st.sampled_from(MATH))
    if kind == "fence":
        inner = draw(st.sampled_from(RAW_HTML + LINKS))
        return draw(st.sampled_from(FENCES)).format(p=inner)
    if kind == "nesting":
        return draw(st.sampled_from(NESTING))(draw(st.integers(1, 600)))
    return "段落" + draw(st.sampled_from(["", " ", "\n"])) + draw(st.sampled_from(ATTR_LISTS))


CONTEXTS = [
    "{p}",
    "文字{p}文字",
    "- {p}",
    "> {p}",
    "| {p} | x |\n|---|---|\n| a | b |",
    '!!! note "{p}"\n    正文',
    '??? "{p}"\n    正文',
    "*[HTML]: {p}\n\nHTML 文字",
    "- a\n    - {p}",
    "<div markdown>\n{p}\n</div>",
    "#### {p}",
]


@st.composite
def body_lines(draw: st.DrawFn, channels: frozenset[str]) -> str:
    return draw(st.sampled_from(CONTEXTS)).replace("{p}", draw(payloads(channels)))


@st.composite
def titles(draw: st.DrawFn, channels: frozenset[str]) -> str:
    tricks = (HEADING_TRICKS if "heading" in channels else []) + (
        ALIAS_TRICKS if "alias" in channels else []
    )
    if not tricks:
        return f"概念{draw(st.integers(0, 9))}"
    trick = draw(st.sampled_from(tricks))
    choice = draw(st.sampled_from(["trick", "payload", "glue", "long"]))
    if choice == "payload" and "heading" in channels:
        return "名" + draw(st.sampled_from(RAW_HTML + MATH + ATTR_LISTS)).replace("\n", " ")
    if choice == "glue":
        return trick + draw(GLUE).replace("\n", " ")
    if choice == "long":
        run = draw(st.sampled_from(["(", "[", "$", "<", "名", "a ", "(a", "<b>"]))
        return trick + run * draw(st.integers(50, 1500))
    return trick


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = draw(
        st.lists(
            st.sampled_from(
                ["title", "description", "intro", "author", "date", "tags", "categories"]
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    lines = []
    for key in keys:
        value = draw(st.sampled_from(RAW_HTML + HEADING_TRICKS + LINKS))
        if key in ("tags", "categories"):
            lines.append(f"{key}: [{_yaml(value)}, {_yaml('名' + X)}]")
        else:
            lines.append(f"{key}: {_yaml(value)}")
    return "---\n" + "\n".join(lines) + "\n---\n\n"


@st.composite
def note_texts(draw: st.DrawFn, channels: frozenset[str]) -> str:
    parts = [draw(front_matter())] if "front-matter" in channels else []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.integers(0, 3)) == 0:
            parts.append(f"## {draw(titles(channels))}\n")
            continue
        parts.append(f"### {draw(titles(channels))}\n")
        parts.extend(draw(st.lists(body_lines(channels), min_size=1, max_size=4)))
    return "\n\n".join(parts) + "\n"


@st.composite
def note_bytes(draw: st.DrawFn, channels: frozenset[str]) -> bytes:
    data = draw(note_texts(channels)).encode("utf-8", errors="surrogateescape")
    if "bytes" not in channels:
        return data
    for _ in range(draw(st.integers(1, 3))):  # NUL, C0 controls and bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        bad = draw(
            st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x1b[2J", b"\x08"])
        )
        data = data[:at] + bad + data[at:]
    return data


@st.composite
def file_names(draw: st.DrawFn, channels: frozenset[str]) -> str:
    if "file-name" not in channels:
        return f"note{draw(st.integers(0, 99))}.md"
    name = draw(st.sampled_from(FILE_NAMES)) + draw(st.sampled_from(SUFFIXES))
    if draw(st.booleans()):
        name = draw(st.sampled_from(["sub<img src=x onerror=1>", "子目录", "a\udcfe"])) + "/" + name
    return name


@dataclass(frozen=True)
class HostileNote:
    name: str  # relative to concepts/, may hold surrogate escapes (bytes that are not UTF-8)
    data: bytes


# Holes still open on main, each with the input that shows it. Random notes that contain one
# are not drawn (so the property tests keep judging everything else); each is pinned below as
# a strict xfail: when a fix lands, that example passes, the test fails, and its line here and
# its xfail go.
KNOWN_OPEN: dict[str, tuple[str, str]] = {}
"""reason → (a regex over a note's text that finds the input, the pinned note's text)."""


def _known_open(notes: list[HostileNote]) -> bool:
    texts = [n.data.decode("utf-8", errors="replace") for n in notes]
    return any(re.search(rx, t, re.M | re.S) for rx, _ in KNOWN_OPEN.values() for t in texts)


def hostile_note_sets(channels: Iterable[str] = CHANNELS) -> st.SearchStrategy[list[HostileNote]]:
    """One to three hostile notes, drawing from ``channels``."""
    chosen = frozenset(channels)
    return st.lists(
        st.builds(HostileNote, file_names(chosen), note_bytes(chosen)),
        min_size=1,
        max_size=3,
        unique_by=lambda n: n.name.rsplit("/", 1)[-1].lower(),
    ).filter(lambda notes: not _known_open(notes))


# --- the project and its build ------------------------------------------------------------


def make_project(root: Path, notes: dict[str, bytes], *, real_notes: bool = False) -> Path:
    """A copy of the project in ``root`` whose concepts/ holds ``notes`` (name → bytes), the
    good note (or, ``real_notes``, the five real notes) and symlinks to files outside it."""
    project = root / "project"
    project.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name in _NOT_COPIED:
            continue
        if entry.is_dir():
            shutil.copytree(entry, project / entry.name)
        else:
            shutil.copy(entry, project / entry.name)
    (project / ".cache").mkdir()
    (project / ".cache" / "npm").symlink_to(ROOT / ".cache" / "npm")
    concepts = project / "concepts"
    if real_notes:
        shutil.copytree(ROOT / "concepts", concepts)
    else:
        concepts.mkdir()
        (concepts / "good.md").write_text(GOOD_NOTE, encoding="utf-8")
    outside = root / "outside"
    (outside / "dir").mkdir(parents=True)
    secret_note = f"### 秘密 (Secret)\n\n{SECRET} 不该出现。\n"
    (outside / "secret.md").write_text(secret_note, encoding="utf-8")
    (outside / "dir" / "note.md").write_text(secret_note, encoding="utf-8")
    (outside / "secret.png").write_text(SECRET, encoding="utf-8")
    (concepts / "leak.md").symlink_to(outside / "secret.md")
    (concepts / "leak.png").symlink_to(outside / "secret.png")
    (concepts / "leakdir").symlink_to(outside / "dir", target_is_directory=True)
    for name, data in notes.items():
        path = concepts / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return project


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _TemplateCache(jinja2.BytecodeCache):
    """Material's templates compiled once per test session, not once per build (a third of a
    tiny build's time). Jinja keys each entry by template name and source checksum."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _TemplateCache()


def build_in_process(project: Path, katex_cache: Path) -> Path:
    """``mkdocs build`` of ``project`` (its mkdocs.yml as it is), in this process: fast."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = project / "site"
    with _environ(GLOSSARY_KATEX_CACHE=str(katex_cache), SITE_URL="http://127.0.0.1:8000/"):
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
        theme_env = config.theme.get_env

        def cached_env() -> jinja2.Environment:
            env = theme_env()
            env.bytecode_cache = _TEMPLATES
            return env

        config.theme.get_env = cached_env  # type: ignore[method-assign]
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    return site


def _article_text(page: Path) -> str:
    doc = html5lib.parse(
        page.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=False
    )
    article = doc.find(".//article")
    return "" if article is None else "".join(article.itertext())


def _h1(page: Path) -> str:
    doc = html5lib.parse(
        page.read_text(encoding="utf-8"), treebuilder="etree", namespaceHTMLElements=False
    )
    h1 = doc.find(".//article//h1")
    return "" if h1 is None else "".join(h1.itertext()).strip().rstrip("¶").strip()


@dataclass(frozen=True)
class Baseline:
    """What the good note alone builds: each page, and which good markers its content shows."""

    pages: dict[str, frozenset[str]]


@pytest.fixture(scope="module")
def katex_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("katex")


@pytest.fixture(scope="module")
def good_baseline(tmp_path_factory: pytest.TempPathFactory, katex_cache: Path) -> Baseline:
    root = tmp_path_factory.mktemp("good")
    project = make_project(root, {})
    for link in ("leak.md", "leak.png", "leakdir"):
        (project / "concepts" / link).unlink()
    site = build_in_process(project, katex_cache)
    pages = {}
    for page in site.rglob("*.html"):
        text = _article_text(page)
        pages[page.relative_to(site).as_posix()] = frozenset(m for m in GOOD_MARKERS if m in text)
    assert sum(bool(m) for m in pages.values()) >= 4, pages  # 2 concepts, note, group
    shutil.rmtree(root)
    return Baseline(pages)


def missing_good_pages(site: Path, baseline: Baseline) -> list[str]:
    """Pages of the good-only site missing from ``site``, or showing less of the good note."""
    missing = []
    for name, markers in sorted(baseline.pages.items()):
        page = site / name
        if not page.is_file():
            missing.append(f"{name}: not built")
            continue
        text = _article_text(page)
        lost = [m for m in markers if m not in text]
        if lost:
            missing.append(f"{name}: lost {lost}")
    return missing


# --- the property test --------------------------------------------------------------------


def _pin(name: str, text: str | bytes) -> list[HostileNote]:
    return [HostileNote(name, text if isinstance(text, bytes) else text.encode())]


def _with_known_open(test: Callable[..., None]) -> Callable[..., None]:
    for reason, (_, text) in KNOWN_OPEN.items():
        test = example(notes=_pin("open.md", text)).xfail(reason=reason, raises=AssertionError)(
            test
        )
    return test


# Failures found on the way, pinned (main at 65f848e failed each of them; the last three
# still failed with every other branch of issue 12 merged).
@example(notes=_pin('笔记<img src=x onerror=alert("gbevil")>.md', "### 甲\n\n正文。\n"))
@example(notes=_pin("<![x].md", "### 甲\n\n正文。\n"))  # AssertionError in MkDocs' html.parser
@example(notes=_pin("zz_\udcff.md", "### 甲\n\n正文。\n"))  # UnicodeEncodeError
@example(
    notes=_pin(
        "t.md",
        '## <img src=x onerror=1>组\n\n### </title><script>alert("gbevil")</script>八\n\n一。\n',
    )
)
@example(notes=_pin("a.md", "### 第三个(<img src=x onerror=alert(1)>)\n\n别名。\n"))
@example(
    notes=_pin("a.md", '### 甲\n\n段落{: style="position:fixed;inset:0" }\n\n配置{: #__config }\n')
)
@example(notes=_pin("a.md", "### 甲\n\n" + "- " * 500 + "x\n"))  # RecursionError
@example(notes=_pin("a.md", "### 甲\n\n正文\n\n#### __config\n\n再\n"))  # a second #__config
@example(notes=_pin("a.md", '---\ntitle: "a\\u0000b"\n---\n\n### 甲\n\n正文\n'))  # NUL via YAML
@example(notes=_pin("a.md", "### 甲\n\n#### ![x](https://gbevil.example/r.png)\n\n再\n"))
@example(notes=_pin("a.md", "### 甲\n\n``` {.html #gbEvilFence}\n<b>x</b>\n```\n"))  # an id
@_with_known_open
@settings(
    max_examples=site_examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(notes=hostile_note_sets())
def test_hostile_notes_of_every_channel_leave_the_site_inert(
    notes: list[HostileNote],
    tmp_path_factory: pytest.TempPathFactory,
    katex_cache: Path,
    good_baseline: Baseline,
) -> None:
    check_site_with(notes, tmp_path_factory, katex_cache, good_baseline)


@pytest.mark.parametrize("channel", CHANNELS)
@settings(
    max_examples=site_examples(3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_hostile_notes_of_one_channel_leave_the_site_inert(
    channel: str,
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
    katex_cache: Path,
    good_baseline: Baseline,
) -> None:
    """Each channel on its own: a failure says which way in is still open."""
    notes = data.draw(hostile_note_sets([channel]), label="notes")
    check_site_with(notes, tmp_path_factory, katex_cache, good_baseline)


def check_site_with(
    notes: list[HostileNote],
    tmp_path_factory: pytest.TempPathFactory,
    katex_cache: Path,
    good_baseline: Baseline,
) -> None:
    """Build the good note with ``notes`` beside it: the build completes, every page of the
    good note is there, and the site has nothing a note made active."""
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp(), prefix="hostile"))
    try:
        project = make_project(root, {n.name: n.data for n in notes})
        site = build_in_process(project, katex_cache)
        findings = audit_site(site, secrets=[SECRET], note_ids=NOTE_IDS)
        assert not findings, summary(findings)
        missing = missing_good_pages(site, good_baseline)
        assert not missing, missing
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- all rows of issue 12 at once, beside the five real notes ----------------------------

SUB_CONCEPTS = 2000
"""Row 8: concepts in one group (the issue's size; the nav must not go quadratic)."""

ROW_NOTES: dict[str, bytes] = {
    # 1: HTML in a file name
    "笔记<img src=x onerror=alert(1)>.md": "### 行一概念\n\n文件名里有 HTML。\n".encode(),
    # 2: HTML in titles and group headings
    "row2.md": (
        "## <img src=x onerror=alert(1)>分组\n\n"
        "### <img src=x onerror=alert(1)>标题\n\n一。\n\n"
        "### </title><script>alert(1)</script>八\n\n二。\n\n"
        "### 标题 $<img src=x onerror=alert(1)>$\n\n三。\n"
    ).encode(),
    # 3: HTML in an alias
    "row3.md": "### 第三个(<img src=x onerror=alert(1)>)\n\n别名里有 HTML。\n".encode(),
    # 4: attribute lists that restyle the page, load from elsewhere, clobber the theme's ids
    "row4.md": (
        "### 行四概念\n\n"
        '段落{: style="position:fixed;inset:0" }\n\n'
        '远程{: style="background:url(https://example.invalid/x.png)" }\n\n'
        "配置{: #__config }\n\n"
        "标识{: #gbEvilAttr }\n"
    ).encode(),
    # 5: nesting deep enough for a RecursionError in Python-Markdown
    "row5.md": ("### 行五概念\n\n" + "- " * 500 + "x\n").encode(),
    # 6: a file name that is not UTF-8
    "zz_\udcff.md": "### 行六概念\n\n文件名不是 UTF-8。\n".encode(),
    # 7: a heading of 100,000 `(`
    "row7.md": ("### 括号" + "(" * 100_000 + "\n\n括号。\n").encode(),
    # 8: thousands of concepts in one group
    "row8.md": (
        "## 组\n\n" + "".join(f"### 子{i}\n\n第 {i} 个。\n\n" for i in range(SUB_CONCEPTS))
    ).encode(),
    # 10: a warning-level problem: an unclosed fence
    "row10.md": "### 行十概念\n\n```python\nx = 1\n".encode(),
    # 11: a new note that claims a real concept's English name
    "row11.md": "### Tensor\n\n另一个 Tensor。\n".encode(),
    # 12: a fence closed by a longer fence line; an indented fence
    "row12.md": (
        "### 行十二概念\n\n```\n<script>alert(1)</script>\n````\n\n"
        "### 行十二乙\n\n    ```python\n    <img src=x onerror=alert(1)>\n    ```\n"
    ).encode(),
    # 13: script URLs, an attribute list with a handler, NUL bytes, 3 bad UTF-8 offsets
    "row13.md": (
        b"### \xe8\xa1\x8c\xe5\x8d\x81\xe4\xb8\x89\n\n"
        b"[x](javascript:alert('x')) [y](javascript:alert`1`)\n\n"
        b"\xe6\xae\xb5{: onclick=alert(1) target=_blank }\n\n"
        b"nul\x00byte<scr\x00ipt>alert(1)</script>\n\n"
        b"bad \xff one, \xfe two, \xc3 three\n"
    ),
}


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its descendants, in KiB (0 when it is gone)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        total += int(match[1]) if match else 0
        pending.extend(int(c) for c in children)
    return total


@dataclass(frozen=True)
class Run:
    returncode: int
    log: str
    peak_rss_mb: float
    seconds: float


MEMORY_LIMIT_MB = 3000  # issue 12 asks ≤ 1.5 GB for row 7; the unfixed build took 9.7 GB
TIME_LIMIT_S = 400


def run_mkdocs(project: Path, site: Path, *, strict: bool) -> Run:
    """`mkdocs build` in a subprocess, as the author runs it; killed past the memory or time
    limit (a build that exhausts the machine fails this test instead of the machine)."""
    import time

    command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
    env = {
        **os.environ,
        "GLOSSARY_KATEX_CACHE": str(project / ".cache" / "katex"),
        "SITE_URL": "http://127.0.0.1:8000/",
    }
    with tempfile.TemporaryFile("w+") as log:
        start = time.monotonic()
        proc = subprocess.Popen(
            [*command, "--strict"] if strict else command,
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            elapsed = time.monotonic() - start
            if peak > MEMORY_LIMIT_MB * 1024 or elapsed > TIME_LIMIT_S:
                proc.kill()
                proc.wait()
                pytest.fail(f"mkdocs build killed: {peak / 1024:.0f} MB, {elapsed:.0f} s")
            time.sleep(0.1)
        log.seek(0)
        return Run(proc.returncode, log.read(), peak / 1024, time.monotonic() - start)


@dataclass(frozen=True)
class RowsBuild:
    project: Path
    site: Path
    run: Run


@pytest.fixture(scope="module")
def rows_build(tmp_path_factory: pytest.TempPathFactory) -> RowsBuild:
    root = tmp_path_factory.mktemp("rows")
    project = make_project(root, ROW_NOTES, real_notes=True)
    shutil.copytree(ROOT / ".cache" / "katex", project / ".cache" / "katex")
    if Path("/etc/passwd").is_file():  # row 9: the system's password file
        (project / "concepts" / "passwd.md").symlink_to("/etc/passwd")
    site = root / "site"
    return RowsBuild(project, site, run_mkdocs(project, site, strict=False))


def test_every_hostile_row_beside_the_real_notes_builds(
    rows_build: RowsBuild, site: tuple[Path, str]
) -> None:
    run = rows_build.run
    assert run.returncode == 0, run.log[-3000:]
    real_site, _ = site
    missing = [
        name
        for name in (p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html"))
        if not (rows_build.site / name).is_file()
    ]
    assert not missing, f"{len(missing)} real pages not built: {sorted(missing)[:10]}"
    # every hostile note still makes its pages
    texts = "".join(_article_text(p) for p in (rows_build.site / "concepts").glob("*/index.html"))
    for words in ("文件名里有 HTML", "别名里有 HTML", "文件名不是 UTF-8", "第 1999 个", "括号。"):
        assert words in texts, words


def test_every_real_page_keeps_its_address_beside_the_hostile_rows(
    rows_build: RowsBuild, site: tuple[Path, str]
) -> None:
    """Row 11: a new note's `### Tensor` does not take 张量's address."""
    assert rows_build.run.returncode == 0, rows_build.run.log[-3000:]
    real_site, _ = site
    moved = []
    for page in sorted((real_site / "concepts").glob("*/index.html")):
        built = rows_build.site / page.relative_to(real_site)
        if built.is_file() and _h1(built) != _h1(page):
            moved.append(f"{page.parent.name}/ shows {_h1(built)!r}, not {_h1(page)!r}")
    assert not moved, moved[:10]


def test_every_hostile_row_beside_the_real_notes_is_inert(rows_build: RowsBuild) -> None:
    assert rows_build.run.returncode == 0, rows_build.run.log[-3000:]
    secrets = [SECRET, "root:x:0:0"]
    findings = audit_site(rows_build.site, secrets=secrets, note_ids=NOTE_IDS)
    assert not findings, summary(findings)


def test_every_hostile_row_fails_a_strict_build(rows_build: RowsBuild) -> None:
    # The same project builds without --strict: the strict build fails for its warnings alone.
    assert rows_build.run.returncode == 0, rows_build.run.log[-3000:]
    run = run_mkdocs(rows_build.project, rows_build.project / "strict-site", strict=True)
    assert run.returncode != 0, run.log[-3000:]
    assert re.search(r"Aborted with .*\bin strict mode", run.log), run.log[-3000:]
