"""Shared test helpers: the real corpus and the seeds it was imported from."""

from __future__ import annotations

import functools
import html
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import markdown

from glossary_build.katex import Rendered
from glossary_build.markdown_guard import GuardExtension
from glossary_build.markdown_math import MathExtension

ROOT = Path(__file__).resolve().parent.parent
CONCEPTS = ROOT / "concepts"
SEEDS = ROOT.parent / "shared" / "seeds"

# concepts/ file name → the seed it was imported from, byte for byte.
CORPUS = {
    "常见概念-初稿.md": "000_0e80685a88148d63.txt",
    "常见概念-修订版.md": "001_d8c56c6f52285245.txt",
    "深度学习术语表.md": "002_ec0906074ab515ea.txt",
    "早期草稿.md": "003_1d0506b7c13baa85.txt",
    "HandsOnML-第11章问答.md": "004_c6f28479de637059.txt",
}


def site_project(project: Path, notes: Mapping[str, str] = {}) -> Path:
    """A project like the real one in ``project``: its mkdocs.yml and docs/, KaTeX's npm
    package (linked, not installed again) and a concepts/ folder holding ``notes``."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / ".cache").mkdir()
    (project / ".cache" / "npm").symlink_to((ROOT / ".cache" / "npm").resolve())
    (project / "concepts").mkdir(exist_ok=True)
    for name, text in (notes or {}).items():
        (project / "concepts" / name).write_text(text, encoding="utf-8")
    return project


def render_page(page: str) -> str:
    """A generated page through Python-Markdown with the site's extensions (KaTeX stubbed).

    What a browser would get: the HTML checks of the sanitizer run on this.
    """
    md = _site_markdown()
    md.reset()
    # MkDocs strips the front matter before Markdown sees the page.
    return md.convert(re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S))


SITE_EXTENSIONS = (
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
)
"""mkdocs.yml's markdown_extensions, by name (their options aside)."""


def site_markdown(render: Callable[[str, bool], Rendered]) -> markdown.Markdown:
    """Python-Markdown as the site runs it: our math and guard extensions, then the site's,
    with formulas rendered by ``render`` (a stub, where KaTeX's output does not matter)."""
    return markdown.Markdown(extensions=[MathExtension(render), GuardExtension(), *SITE_EXTENSIONS])


def _stub_math(tex: str, display: bool) -> Rendered:
    return Rendered(f'<span class="katex">{html.escape(tex)}</span>')


@functools.cache
def _site_markdown() -> markdown.Markdown:
    return site_markdown(_stub_math)
