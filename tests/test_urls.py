"""URLs never break (issue 12, row 11): the URL map keeps every published page's address.

Every test builds in a temporary project with its own map; none reads or writes the
repository's `glossary-urls.json` except to compare with it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glossary_build import urls
from glossary_build.pipeline import BuildConfig, build
from glossary_build.slugs import assign_slugs
from glossary_build.types import BuildResult, Entry, PagePath, Redirect

from .helpers import ROOT, site_project

MAP = Path("glossary-urls.json")
TENSOR = "### 张量 (Tensor)\n\n张量是多维数组。\n\n### 轴 (Axis)\n\n轴是张量的一个维度。\n"


def build_with_map(root: Path, notes: dict[str, str]) -> BuildResult:
    """Write ``notes`` as the project's notes (removing others), build, and write the map the
    way `mkdocs build` does."""
    concepts = root / "concepts"
    if concepts.exists():
        shutil.rmtree(concepts)
    concepts.mkdir(parents=True)
    for name, text in notes.items():
        (concepts / name).write_text(text, encoding="utf-8")
    result = build(BuildConfig(root=root, url_map=MAP))
    assert result.url_map is not None
    (root / MAP).write_text(urls.dumps(result.url_map), encoding="utf-8")
    return result


def entry(result: BuildResult, title: str) -> Entry:
    return next(e for e in result.entries if e.title == title)


def test_adding_tensor_keeps_zhang_liang_at_its_url(tmp_path: Path) -> None:
    before = build_with_map(tmp_path, {"a.md": TENSOR})
    assert entry(before, "张量").slug == "tensor"
    after = build_with_map(
        tmp_path, {"a.md": TENSOR, "b.md": "### Tensor\n\nTensorFlow 的张量。\n"}
    )
    assert entry(after, "张量").slug == "tensor"
    assert "张量是多维数组" in after.pages[PagePath("concepts/tensor.md")]
    assert entry(after, "Tensor").slug not in {"tensor", "axis"}
    assert any("new concept URL" in change for change in after.url_changes)


def test_without_a_map_the_new_concept_moves_the_old_one(tmp_path: Path) -> None:
    """What happened before the map (and still happens with none): the bug of row 11."""
    concepts = tmp_path / "concepts"
    concepts.mkdir()
    (concepts / "a.md").write_text(TENSOR, encoding="utf-8")
    (concepts / "b.md").write_text("### Tensor\n\nTensorFlow 的张量。\n", encoding="utf-8")
    result = build(BuildConfig(root=tmp_path))
    assert entry(result, "张量").slug != "tensor"


def test_a_renamed_concept_keeps_its_url(tmp_path: Path) -> None:
    build_with_map(tmp_path, {"a.md": TENSOR + "\n### 批归一化\n\n对每一批做归一化。\n"})
    # Title changed, alias kept; title changed, no shared name but the same text.
    renamed = TENSOR.replace("### 张量 (Tensor)", "### 张量数组 (Tensor)")
    after = build_with_map(tmp_path, {"a.md": renamed + "\n### 批量归一化\n\n对每一批做归一化。\n"})
    assert entry(after, "张量数组").slug == "tensor"
    assert entry(after, "批量归一化").slug == "pi-gui-yi-hua"
    assert not after.redirects
    assert not after.url_changes


def test_a_rename_with_new_text_redirects_and_takes_no_other_page(tmp_path: Path) -> None:
    build_with_map(tmp_path, {"a.md": TENSOR + "\n### 批归一化\n\n旧的正文。\n"})
    after = build_with_map(tmp_path, {"a.md": TENSOR + "\n### 层归一化\n\n新的正文。\n"})
    assert entry(after, "层归一化").slug == "ceng-gui-yi-hua"
    assert (
        Redirect(PagePath("concepts/pi-gui-yi-hua.md"), PagePath("notes/a.md"), "批归一化")
        in after.redirects
    )


def test_a_removed_concept_redirects_and_its_url_is_not_reused(tmp_path: Path) -> None:
    build_with_map(tmp_path, {"a.md": TENSOR})
    after = build_with_map(tmp_path, {"a.md": "### 张量 (Tensor)\n\n张量是多维数组。\n"})
    assert Redirect(PagePath("concepts/axis.md"), PagePath("notes/a.md"), "轴") in after.redirects
    assert PagePath("concepts/axis.md") not in after.pages
    assert "removed: concept axis" in after.url_changes
    # Another concept whose readable slug is `axis` does not take the redirected URL...
    other = build_with_map(tmp_path, {"a.md": "### 坐标轴 (Axis)\n\n另一个概念。\n"})
    assert entry(other, "坐标轴").slug != "axis"
    # ...and the concept itself, back under its title, gets it back.
    back = build_with_map(tmp_path, {"a.md": TENSOR})
    assert entry(back, "轴").slug == "axis"
    assert PagePath("concepts/axis.md") not in {r.page for r in back.redirects}


def test_a_removed_note_and_group_redirect(tmp_path: Path) -> None:
    grouped = "## 基础\n\n### 轴 (Axis)\n\n轴是维度。\n"
    build_with_map(tmp_path, {"a.md": TENSOR, "b.md": grouped})
    after = build_with_map(tmp_path, {"a.md": TENSOR})
    pages = {r.page: r.target for r in after.redirects}
    assert pages[PagePath("notes/b.md")] == PagePath("index.md")
    assert pages[PagePath("groups/ji-chu.md")] == PagePath("terms.md")
    # The concept of the removed note: to the A-Z index (its note is gone too).
    assert "concepts/axis.md" not in pages  # 轴 lives on in a.md


def test_same_notes_give_the_same_urls_every_build(tmp_path: Path) -> None:
    notes = {"a.md": TENSOR, "b.md": "### Tensor\n\n另一个。\n### 类 (class)\n\n一\n"}
    first = build_with_map(tmp_path / "one", notes)
    second = build_with_map(tmp_path / "two", notes)
    assert [e.slug for e in first.entries] == [e.slug for e in second.entries]
    text = (tmp_path / "one" / MAP).read_text(encoding="utf-8")
    again = build_with_map(tmp_path / "one", notes)
    assert (tmp_path / "one" / MAP).read_text(encoding="utf-8") == text
    assert not again.url_changes
    assert [e.slug for e in again.entries] == [e.slug for e in first.entries]
    # The first build with an empty map gives the slugs a build without a map gives.
    no_map = build(BuildConfig(root=tmp_path / "two"))
    assert [e.slug for e in no_map.entries] == [e.slug for e in first.entries]


def test_a_broken_map_is_reported_and_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "a.md").write_text(TENSOR, encoding="utf-8")
    (tmp_path / MAP).write_text('{"version": 1,\n "concepts": {', encoding="utf-8")
    result = build(BuildConfig(root=tmp_path, url_map=MAP))
    assert result.url_map is None
    [problem] = [d for d in result.diagnostics if d.code == "url-map"]
    assert problem.span.path == "glossary-urls.json" and problem.hint


def test_the_committed_map_is_current_and_keeps_todays_urls() -> None:
    """The real site's map: building the notes with it changes no URL, and it gives every
    concept the slug it had before the map existed."""
    committed = (ROOT / MAP).read_text(encoding="utf-8")
    result = build(BuildConfig(root=ROOT, url_map=MAP))
    assert result.url_map is not None
    assert not result.url_changes
    assert urls.parse(committed).decisions() == result.url_map.decisions()
    fresh = assign_slugs([e.title_part.concept.heading for e in result.entries])
    assert [e.slug for e in result.entries] == fresh


# --- a real `mkdocs build`: redirect pages, and --strict on a stale map -----------------------


def _mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SITE_URL": "https://example.org/glossary/",
        "GLOSSARY_KATEX_CACHE": str(ROOT / ".cache" / "katex"),
    }
    env.pop("GLOSSARY_URL_MAP", None)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    project = site_project(tmp_path / "project")
    (project / "concepts" / "a.md").write_text(TENSOR, encoding="utf-8")
    return project


@pytest.mark.site
def test_mkdocs_build_writes_redirect_pages_and_strict_fails_on_a_stale_map(
    tiny_project: Path,
) -> None:
    real_map = (ROOT / MAP).read_bytes()
    first = _mkdocs(tiny_project, "--strict")
    assert first.returncode == 0, first.stderr[-2000:]
    created = (tiny_project / MAP).read_text(encoding="utf-8")
    assert '"axis"' in created
    # Remove 轴: the committed map is now stale.
    (tiny_project / "concepts" / "a.md").write_text(TENSOR.split("### 轴")[0], encoding="utf-8")
    stale = _mkdocs(tiny_project, "--strict")
    assert stale.returncode != 0
    assert re.search(r"WARNING .*glossary-urls\.json.*commit it", stale.stderr), stale.stderr
    # It was updated all the same: the next strict build passes.
    assert '"gone": true' in (tiny_project / MAP).read_text(encoding="utf-8")
    again = _mkdocs(tiny_project, "--strict")
    assert again.returncode == 0, again.stderr[-2000:]
    page = (tiny_project / "site" / "concepts" / "axis" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="3; url=../../notes/a/">' in page
    assert '<link rel="canonical" href="https://example.org/glossary/notes/a/">' in page
    assert '<a href="../../notes/a/">' in page and "轴" in page
    assert (tiny_project / "site" / "concepts" / "tensor" / "index.html").exists()
    assert (ROOT / MAP).read_bytes() == real_map


@pytest.mark.site
def test_a_removed_concept_redirect_escapes_its_title(tiny_project: Path) -> None:
    note = tiny_project / "concepts" / "a.md"
    note.write_text(TENSOR + "\n### 危险<img src=x onerror=alert(1)>\n\n正文\n", encoding="utf-8")
    assert _mkdocs(tiny_project).returncode == 0
    note.write_text(TENSOR, encoding="utf-8")
    assert _mkdocs(tiny_project).returncode == 0
    [redirect] = [
        p
        for p in (tiny_project / "site" / "concepts").glob("*/index.html")
        if "http-equiv" in p.read_text(encoding="utf-8")
    ]
    text = redirect.read_text(encoding="utf-8")
    assert "<img" not in text and "&lt;img" in text


def test_a_map_whose_slug_is_a_path_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "concepts").mkdir()
    (tmp_path / "concepts" / "a.md").write_text(TENSOR, encoding="utf-8")
    item = '{"title": "张量", "names": ["张量"], "note": "concepts/a.md", "body": ""}'
    (tmp_path / MAP).write_text(
        '{"version": 1, "concepts": {"../../../escape": ' + item + '}, "notes": {}, "groups": {}}',
        encoding="utf-8",
    )
    result = build(BuildConfig(root=tmp_path, url_map=MAP))
    assert result.url_map is None
    assert all(".." not in page for page in result.pages)
    assert [d.code for d in result.diagnostics if d.code == "url-map"] == ["url-map"]


def test_a_note_without_concepts_beside_others_keeps_the_map_working(tmp_path: Path) -> None:
    result = build_with_map(tmp_path, {"a.md": TENSOR, "empty.md": "只有一段文字，没有标题。\n"})
    assert entry(result, "张量").slug == "tensor"
    assert urls.text_digests(result.notes[1]) == {}
