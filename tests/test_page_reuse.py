"""`mkdocs serve --dirty` keeps unchanged pages, and the site it leaves equals a clean build.

Runs MkDocs' own build in process the way `mkdocs serve --dirty` does (one plugin instance
across rebuilds, a new config each time, the same site directory), edits the notes between
builds, then compares every file with a clean build of the same notes.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .helpers import ROOT, site_project

NOTES = ("常见概念-初稿.md", "HandsOnML-第11章问答.md")
"""Two of the five notes (formulas, images, groups, front matter): a quick build."""

SITE_URL = "http://127.0.0.1:8000/"


def _project(tmp_path: Path) -> Path:
    notes = {name: (ROOT / "concepts" / name).read_text(encoding="utf-8") for name in NOTES}
    return site_project(tmp_path / "project", notes)


def _build(project: Path, site: Path, *, dirty: bool, startup: bool) -> None:
    os.environ["SITE_URL"] = SITE_URL
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    if startup:
        config.plugins.on_startup(command="serve" if dirty else "build", dirty=dirty)
    build(config, dirty=dirty)


def _tree(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":  # gzip stores the time it was written
                data = gzip.decompress(data)
            files[path.relative_to(site).as_posix()] = data
    return files


def _age_every_file(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, (1, 1))


def _rewritten(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.is_file() and p.stat().st_mtime > 1
    }


def _edit_first_concept(note: Path) -> None:
    """Change a line of the first concept's text, not the number of lines: every concept
    page shows its source line, so inserting a line rebuilds the concepts below it too."""
    lines = note.read_text(encoding="utf-8").splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if line.startswith("### "))
    body = next(i for i in range(heading + 1, len(lines)) if lines[i].strip())
    assert not lines[body].startswith("#")
    lines[body] = lines[body].rstrip("\n") + " 改一句 ZQX-EDIT。\n"
    note.write_text("".join(lines), encoding="utf-8")


def _link_first_concept(note: Path) -> None:
    """Mention another concept in the first one's text: a link more, no name changed (the
    concept graph is then updated where that link reaches, glossary_build/graph.py)."""
    lines = note.read_text(encoding="utf-8").splitlines(keepends=True)
    heading = next(i for i, line in enumerate(lines) if line.startswith("### "))
    body = next(i for i in range(heading + 1, len(lines)) if lines[i].strip())
    lines[body] = lines[body].rstrip("\n") + " 训练过程可用 TensorBoard 可视化 查看。\n"
    note.write_text("".join(lines), encoding="utf-8")


def _add_concept(note: Path) -> None:
    with note.open("a", encoding="utf-8") as out:
        out.write("\n## 新概念 ZQX (New Concept)\n\n新加的概念，链接到 Dropout。\n")


def _remove_last_concept(note: Path) -> None:
    text = note.read_text(encoding="utf-8")
    note.write_text(text[: text.rindex("\n## ")] + "\n", encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "body edit": _edit_first_concept,
    "link added": _link_first_concept,
    "concept added": _add_concept,
    "concept removed": _remove_last_concept,
}


@pytest.mark.site
@pytest.mark.parametrize("edit", list(EDITS))
def test_dirty_rebuild_equals_clean_build(tmp_path: Path, edit: str) -> None:
    project = _project(tmp_path)
    dirty_site, clean_site = tmp_path / "dirty", tmp_path / "clean"
    _build(project, dirty_site, dirty=True, startup=True)
    _age_every_file(dirty_site)

    EDITS[edit](project / "concepts" / NOTES[0])
    _build(project, dirty_site, dirty=True, startup=False)
    rewritten = _rewritten(dirty_site)
    _build(project, clean_site, dirty=False, startup=True)

    dirty, clean = _tree(dirty_site), _tree(clean_site)
    assert sorted(dirty) == sorted(clean)
    differing = [name for name in clean if dirty[name] != clean[name]]
    assert differing == []
    pages = {name for name in clean if name.endswith(".html")}
    if edit == "body edit":
        # The edited concept's page and its note's page, not the other pages.
        assert b"ZQX-EDIT" in b"".join(clean[name] for name in rewritten)
        assert 1 <= len(rewritten - {"404.html"}) <= 6, sorted(rewritten)
        assert len(pages) > 40
    elif edit == "link added":
        # Its page, its note's, the linked page (referenced by) and pages whose related
        # concepts changed, not every page.
        assert "concepts/tensorboard-ke-shi-hua/index.html" in rewritten
        assert b"tensorboard-ke-shi-hua" in clean["graph/local/sota-mo-xing.json"]
        assert 3 <= len(rewritten - {"404.html"}) < len(pages) // 2, sorted(rewritten)
    else:
        # The nav changed: every page shows it, so every page was built again.
        assert rewritten == pages
