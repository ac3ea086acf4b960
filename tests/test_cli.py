from __future__ import annotations

import io
import re
from pathlib import Path

from glossary_build.cli import main

from .helpers import ROOT


def _run(*argv: str, root: Path = ROOT) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--root", str(root), *argv], stdout=out)
    return code, out.getvalue()


def test_stats_prints_a_row_per_note_and_totals() -> None:
    code, out = _run("stats")
    assert code == 0
    table, graph = out.split("\n\n")
    rows = table.splitlines()
    assert rows[0].split()[:4] == ["note", "concepts", "groups", "sub-sections"]
    assert len(rows) == 1 + 5 + 1
    total = rows[-1].split()
    assert total[0] == "total"
    assert total[1] == "469"
    assert graph.startswith("pages: 450 concepts")
    merges = [ln for ln in graph.splitlines() if ln.startswith("merged: ")]
    assert len(merges) == 17
    assert (
        "merged: SOTA 模型 ← concepts/常见概念-修订版.md:37, "
        "concepts/常见概念-初稿.md:3 (same text), concepts/早期草稿.md:1 (same text)"
    ) in merges


def test_check_prints_path_line_level_message(tmp_path: Path) -> None:
    notes = tmp_path / "concepts"
    notes.mkdir()
    (notes / "good.md").write_text("### 张量(tensor)\n\n正文\n", encoding="utf-8")
    (notes / "bad.md").write_bytes(b"### \xff\xfe bad\n\n![x](nowhere.png)\n")
    code, out = _run("check", root=tmp_path)
    assert code == 1
    lines = out.splitlines()
    assert re.match(r"^concepts/bad\.md:1: error: not UTF-8 at byte offset 4", lines[0])
    assert any(
        re.match(r"^concepts/bad\.md:3: warning: image 'nowhere.png' not found", ln) for ln in lines
    )
    assert lines[-1] == "1 errors, 1 warnings, 0 notes"


def test_check_on_real_corpus_has_no_errors() -> None:
    code, out = _run("check")
    assert code == 0
    assert out.splitlines()[-1].startswith("0 errors")


def test_build_writes_pages(tmp_path: Path) -> None:
    code, out = _run("build", "--out", str(tmp_path / "out"))
    assert code == 0
    assert (tmp_path / "out" / "concepts" / "tensor.md").exists()
    assert "wrote" in out
