"""Notes stay inside `concepts/` (issue 12, rows 6 and 9, and NUL bytes / bad UTF-8 of row 13).

Each test builds a temporary project: a small good note beside the hostile file (or link),
and checks that the build does not raise, reports the problem at path:line with a hint,
publishes nothing from outside the notes folder and loses none of the note's text.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from glossary_build.cli import main
from glossary_build.pipeline import BuildConfig, build
from glossary_build.types import BuildResult, PagePath, Severity, Span

GOOD = "### 张量 (Tensor)\n\n张量是多维数组。\n"
SECRET = "root:x:0:0:秘密的一行"


def project(tmp_path: Path) -> Path:
    concepts = tmp_path / "concepts"
    concepts.mkdir()
    (concepts / "good.md").write_text(GOOD, encoding="utf-8")
    return concepts


def run(tmp_path: Path) -> BuildResult:
    result = build(BuildConfig(root=tmp_path))
    assert "concepts/tensor.md" in result.pages, "the good note was not built"
    return result


def everything(result: BuildResult) -> str:
    return "\n".join(result.pages.values()) + repr(result.nav)


def only(result: BuildResult, code: str, span: Span) -> None:
    found = [d for d in result.diagnostics if d.code == code and d.span == span]
    shown = "\n".join(d.format() for d in result.diagnostics)
    assert len(found) == 1, f"no single {code} at {span}; got:\n{shown}"
    assert found[0].hint


# --- row 9: links that leave the notes folder -----------------------------------------------


def test_a_link_to_a_file_outside_is_not_followed(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text(f"### 机密\n\n{SECRET}\n", encoding="utf-8")
    (concepts / "passwd.md").symlink_to(outside)
    (concepts / "also.txt").symlink_to("../outside.md")
    result = run(tmp_path)
    assert SECRET not in everything(result)
    assert "机密" not in everything(result)
    only(result, "link-outside", Span("concepts/passwd.md", 1))
    only(result, "link-outside", Span("concepts/also.txt", 1))
    assert not [s for s in result.stats if "passwd" in s.path]


def test_a_link_to_a_folder_outside_is_not_walked(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "note.md").write_text(f"### 机密\n\n{SECRET}\n", encoding="utf-8")
    (concepts / "linked").symlink_to(outside)
    result = run(tmp_path)
    assert SECRET not in everything(result)
    only(result, "link-outside", Span("concepts/linked", 1))


def test_a_link_inside_the_folder_is_read_and_a_loop_is_not_walked(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    (concepts / "sub").mkdir()
    (concepts / "sub" / "real.md").write_text("### 轴 (Axis)\n\n轴的正文。\n", encoding="utf-8")
    (concepts / "alias.md").symlink_to("sub/real.md")
    (concepts / "sub" / "loop").symlink_to("..")
    result = run(tmp_path)
    assert "轴的正文" in everything(result)
    only(result, "link-folder", Span("concepts/sub/loop", 1))


# --- row 6: file names are author text --------------------------------------------------------


def _write_bytes_name(concepts: Path, name: bytes, data: bytes) -> None:
    with open(os.fsencode(concepts) + b"/" + name, "wb") as handle:
        handle.write(data)


def test_a_file_name_that_is_not_utf8_builds_under_a_readable_name(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    _write_bytes_name(concepts, b"zz_\xff.md", "### 轴 (Axis)\n\n轴的正文。\n".encode())
    result = run(tmp_path)
    only(result, "file-name", Span("concepts/zz_\\xff.md", 1))
    assert "轴的正文" in result.pages[PagePath("concepts/axis.md")]
    # Every page can be written as UTF-8 (MkDocs writes them so): no lone surrogate.
    for page in result.pages.values():
        page.encode("utf-8")
    assert "zz_\\\\xff" in everything(result) or "zz_\\xff" in everything(result)


def test_check_reports_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    _write_bytes_name(concepts, b"zz_\xff.md", b"### \xe8\xbd\xb4\n\nbody\n")
    out = io.StringIO()
    code = main(["--root", str(tmp_path), "--no-math", "check"], stdout=out)
    assert code == 0
    assert "concepts/zz_\\xff.md:1: warning: the file name" in out.getvalue()


@pytest.mark.parametrize("name", ["a\x01b.md", "a\x1b[31mred.md", "a\u202egpj.md", "新\n行.md"])
def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path: Path, name: str) -> None:
    concepts = project(tmp_path)
    (concepts / name).write_text("### 轴 (Axis)\n\n轴的正文。\n", encoding="utf-8")
    result = run(tmp_path)
    [problem] = [d for d in result.diagnostics if d.code == "file-name"]
    assert problem.span.line == 1
    assert "\\x" in problem.span.path or "\\u" in problem.span.path
    assert "轴的正文" in everything(result)
    shown = everything(result)
    assert not re.search("[\x00-\x08\x0b-\x1f\u202e]", shown)


def test_a_note_named_dot_dot_md_is_built_and_reported(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    (concepts / "..md").write_text("### 轴 (Axis)\n\n轴的正文。\n", encoding="utf-8")
    result = run(tmp_path)
    only(result, "file-name", Span("concepts/..md", 1))
    assert "轴的正文" in result.pages[PagePath("concepts/axis.md")]
    [note] = [o for o in result.notes if o.source.path == "concepts/..md"]
    assert note.source.name == "..md"


def test_a_hidden_note_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    (concepts / ".draft.md").write_text("### 轴\n\n正文\n", encoding="utf-8")
    result = run(tmp_path)
    only(result, "hidden-note", Span("concepts/.draft.md", 1))


# --- row 13: NUL and other control characters, every bad UTF-8 offset -------------------------


def test_nul_and_control_characters_are_reported_and_never_reach_a_page(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    text = "### 轴 (Axis)\n\n轴\x00的\x02wzxhzdk:0\x03正文\x1b[31m。\n\n第二\x7f行\n"
    (concepts / "ctl.md").write_text(text, encoding="utf-8")
    result = run(tmp_path)
    page = result.pages[PagePath("concepts/axis.md")]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", everything(result))
    assert "轴\ufffd的\ufffdwzxhzdk:0\ufffd正文\ufffd" in page
    lines = sorted(d.span.line for d in result.diagnostics if d.code == "control-character")
    assert lines == [3, 5]
    for d in result.diagnostics:
        if d.code == "control-character":
            assert d.severity is Severity.WARNING and d.hint


def test_every_bad_utf8_offset_is_reported(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    data = "### 轴 (Axis)\n\n一\n二\n三\n".encode()
    bad = (
        data.replace("一".encode(), b"\xff")
        .replace("二".encode(), b"a\xfe")
        .replace("三".encode(), b"\xe4\xb8")
    )
    (concepts / "bad.md").write_bytes(bad)
    result = run(tmp_path)
    found = {d.span.line: d.message for d in result.diagnostics if d.code == "not-utf8"}
    assert sorted(found) == [3, 4, 5]
    first, second, third = (bad.index(b) for b in (b"\xff", b"\xfe", b"\xe4\xb8"))
    assert f"byte offset {first};" in found[3]
    assert f"byte offset {second};" in found[4]
    assert f"byte offset {third} (2 bytes);" in found[5]


def test_a_binary_file_is_reported_with_a_count_not_a_flood(tmp_path: Path) -> None:
    concepts = project(tmp_path)
    (concepts / "blob.md").write_bytes(b"\xff\n" * 5000)
    result = run(tmp_path)
    problems = [d for d in result.diagnostics if d.code == "not-utf8"]
    assert len(problems) == 11
    assert "5000 bytes in all" in problems[-1].message
