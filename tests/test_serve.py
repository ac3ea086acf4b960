"""`mkdocs serve` while the author edits: saving a note updates the page, the index and nav.

Runs a real `mkdocs serve --livereload --dirty` (what README.md runs) on a free port in a temporary copy of the project.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .helpers import ROOT

BOUND = 180.0  # seconds: a full rebuild of the corpus takes ~20 s on 2 cores


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(check: Callable[[], bool], what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < BOUND:
        if check():
            return time.monotonic() - start
        time.sleep(0.25)
    raise AssertionError(f"gave up after {BOUND:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def served_copy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    project = tmp_path_factory.mktemp("project")
    for name in ("concepts", "docs"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / ".cache").mkdir()
    (project / ".cache" / "npm").symlink_to(ROOT / ".cache" / "npm")
    port = _free_port()
    env = {
        **os.environ,
        "SITE_URL": f"http://127.0.0.1:{port}/",
        "GLOSSARY_KATEX_CACHE": str(ROOT / ".cache" / "katex"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(f"{base}/concepts/tensor/") is not None, "the first build")
        yield project, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_are_served_with_livereload(served_copy: tuple[Path, str]) -> None:
    page = _get(f"{served_copy[1]}/concepts/tensor/")
    assert page is not None
    assert "livereload" in page


def test_saving_a_note_updates_its_page(served_copy: tuple[Path, str]) -> None:
    project, base = served_copy
    note = project / "concepts" / "早期草稿.md"
    marker = f"保存后立即可见的句子 {time.time_ns()}"
    note.write_text(note.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
    _wait_for(lambda: marker in (_get(f"{base}/concepts/qian-yi-xue-xi/") or ""), "the edit")


def test_adding_a_concept_updates_nav_index_and_links(served_copy: tuple[Path, str]) -> None:
    project, base = served_copy
    note = project / "concepts" / "早期草稿.md"
    added = "\n## 可微分架构搜索(Differentiable Architecture Search)\n\n一种张量上的搜索方法。\n"
    note.write_text(note.read_text(encoding="utf-8") + added, encoding="utf-8")
    url = f"{base}/concepts/differentiable-architecture-search/"
    _wait_for(lambda: "可微分架构搜索" in (_get(url) or ""), "the new concept's page")
    page = _get(url) or ""
    assert 'href="../tensor/"' in page
    assert "可微分架构搜索" in (_get(f"{base}/terms/") or "")
    assert "可微分架构搜索" in (_get(f"{base}/notes/zao-qi-cao-gao/") or "")
