"""Smoke tests of the scale benchmark (benchmarks/): the synthetic corpus is reproducible and
builds, and `benchmarks/scale.py` runs end to end on a tiny corpus. Nothing here is timed."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from glossary_build.pipeline import BuildConfig, build

from .helpers import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def _notes(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted((project / "concepts").rglob("*"))
        if p.is_file()
    }


def test_synthetic_corpus_is_reproducible_and_builds(tmp_path: Path) -> None:
    synth = _load("synth_corpus")
    synth.generate(40, 7, tmp_path / "a")
    synth.generate(40, 7, tmp_path / "b")
    synth.generate(40, 8, tmp_path / "c")
    first = _notes(tmp_path / "a")
    assert first == _notes(tmp_path / "b")  # same seed: byte-identical notes
    assert first != _notes(tmp_path / "c")
    assert len(first) >= 4  # one note per shape at least
    assert (tmp_path / "a" / "mkdocs.yml").read_bytes() == (ROOT / "mkdocs.yml").read_bytes()
    assert (tmp_path / "a" / ".cache" / "npm").is_symlink()

    result = build(BuildConfig(tmp_path / "a"))
    assert len(result.entries) >= 40
    assert sum(s.formulas for s in result.stats) > 0
    assert all(s.concepts > 0 for s in result.stats)


def test_corpus_without_formulas_is_the_same_notes_without_them(tmp_path: Path) -> None:
    synth = _load("synth_corpus")
    synth.generate(200, 7, tmp_path / "with")
    synth.generate(200, 7, tmp_path / "without", formulas=False)
    with_math = build(BuildConfig(tmp_path / "with"))
    without = build(BuildConfig(tmp_path / "without"))
    assert sum(s.formulas for s in with_math.stats) > 100
    assert sum(s.formulas for s in without.stats) == 0
    assert [e.title for e in without.entries] == [e.title for e in with_math.entries]
    assert without.pages.keys() == with_math.pages.keys()
    notes = _notes(tmp_path / "without")
    assert not any("\u27e6" in text.decode() for text in notes.values())
    # Apart from the formulas' own lines, the same lines (the prose is drawn the same).
    formula_line = re.compile(r"[$\\]|KaTeX|公式|```")

    def lines(project: Path) -> list[str]:
        return [
            line
            for text in _notes(project).values()
            for line in text.decode().split("\n")
            if line.strip(" >") and not formula_line.search(line)
        ]

    assert lines(tmp_path / "without") == lines(tmp_path / "with")


@pytest.mark.site
def test_scale_script_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = tmp_path / "scale.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "scale.py"),
            "--sizes",
            "40",
            "--no-serve",
            "--json",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,  # a bound against hangs, not a timing: it takes ~15 s
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "our share: plugin / wall" in proc.stdout
    (result,) = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert result["cold"]["ok"] and result["warm"]["ok"]
    # The search index's own build time, read from the plugin's log line.
    assert result["warm"]["index_write_s"] is not None
    assert result["warm"]["index_sections_s"] is not None
    assert re.search(r"search index build: \(T\+S\) / wall \(≤ 15%\) +\S+ +\d+\.\d%", proc.stdout)
    # Search in the browser: every figure printed, none missing, and the queries listed.
    assert result["browser_error"] == "", result["browser_error"]
    browser = result["browser"]
    kinds = [q["kind"] for q in browser["queries"]]
    assert {"title", "latin", "typo", "pinyin-initials", "body"} <= set(kinds)
    assert len(browser["cold"]) == len(kinds) and len(browser["keys"]) >= len(kinds)
    for cold in browser["cold"]:
        assert cold["done_ms"] is not None and cold["fetched"]["names"] > 0
        assert cold["fetched"]["off_host"] == 0
    assert all(key["names_ms"] is not None for key in browser["keys"])
    for label in (
        "fetched to 1st full text, worst (≤ 600 kB)",
        "load → 1st answer, med / max (≤ 1,500 ms)",
        "load → full text, med / max (ms)",
        "key → names answer p50 / p90 (p90 ≤ 60 ms)",
        "key → full text p50 / p90 (ms)",
    ):
        line = next((x for x in proc.stdout.splitlines() if x.startswith(f"  {label}")), "")
        assert re.search(r"\d\s*$", line), f"{label!r} not printed: {line!r}"
    for query in browser["queries"]:
        assert repr(query["text"]) in proc.stdout  # the queries used are listed
    assert set(result["stages"]["seconds"]) == {
        "discover",
        "outline",
        "places",
        "links",
        "graph",
        "pages",
    }
    assert result["warm"]["search_index_mb"] > 0
    assert result["stages"]["concepts"] >= 40


def test_edit_rebuild_script_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    _load("synth_corpus").generate(40, 7, tmp_path)
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "edit_rebuild.py"), str(tmp_path), "--runs", "2"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "first build: pipeline" in proc.stdout
    assert proc.stdout.count("plugin pages") == 3  # the first build and two edits
    assert "median of 2:" in proc.stdout
