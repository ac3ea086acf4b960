"""The generator's edges: the core knows neither MkDocs nor Material, the plugin's options are
checked, a broken KaTeX engine is a clear build error, Material is the version checked."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from glossary_build.codes import Code
from glossary_build.katex import KatexEngineError, KatexRenderer
from glossary_build.mkdocs_plugin.config import GlossaryPluginConfig
from glossary_build.mkdocs_plugin.material import MATERIAL_CHECKED

from .helpers import ROOT
from .test_boundary import make_project

PACKAGE = ROOT / "glossary_build"
ADAPTER = PACKAGE / "mkdocs_plugin"
NPM_KATEX = ROOT / ".cache" / "npm" / "node_modules" / "katex"


def core_modules() -> list[str]:
    """Every module of glossary_build outside the MkDocs adapter package."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if ADAPTER in path.parents or path.name == "__main__.py":
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imported_by(modules: list[str]) -> set[str]:
    """The top-level packages in sys.modules after importing ``modules`` in a fresh Python."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def test_the_core_imports_neither_mkdocs_nor_material() -> None:
    modules = core_modules()
    assert "glossary_build.pipeline" in modules and "glossary_build.normalize" in modules
    assert not any(m.startswith("glossary_build.mkdocs_plugin") for m in modules)
    assert imported_by(modules) & {"mkdocs", "material", "properdocs"} == set()


def test_the_import_check_sees_mkdocs_when_it_is_imported() -> None:
    assert "mkdocs" in imported_by(["glossary_build.mkdocs_plugin"])


def test_quiet_names_only_known_codes() -> None:
    config = GlossaryPluginConfig()
    config.load_dict({"quiet": ["missing-image", "katex"]})
    failed, _ = config.validate()
    assert failed == [] and config.quiet == ["missing-image", "katex"]
    typo = GlossaryPluginConfig()
    typo.load_dict({"quiet": ["missing-imgae"]})
    failed, _ = typo.validate()
    assert [name for name, _ in failed] == ["quiet"]
    message = str(failed[0][1])
    assert "missing-imgae" in message and all(code.value in message for code in Code)


def test_material_is_the_version_the_theme_code_was_checked_against() -> None:
    installed = importlib.metadata.version("mkdocs-material")
    assert installed == MATERIAL_CHECKED, (
        f"mkdocs-material {installed} is installed; glossary_build/mkdocs_plugin/material.py "
        f"was checked against {MATERIAL_CHECKED}: check its notices and the search and graph "
        "scripts against the new version (tests/test_search_browser.py, test_graph_browser.py),"
        " then update MATERIAL_CHECKED"
    )


def broken_katex(tmp_path: Path) -> Path:
    """npm's katex package, of the right version, whose code throws when loaded."""
    package = tmp_path / "katex"
    shutil.copytree(NPM_KATEX, package, symlinks=True)
    (package / "dist" / "katex.js").write_text('throw new Error("katex is broken here");\n')
    return package


@pytest.mark.site
def test_a_failing_node_engine_raises_with_its_error_output(tmp_path: Path) -> None:
    renderer = KatexRenderer(tmp_path / "cache", engine="node", npm_katex=broken_katex(tmp_path))
    with pytest.raises(KatexEngineError) as failed:
        renderer.render_many([("x^2", False)])
    assert "exited with" in str(failed.value)
    assert "katex is broken here" in failed.value.stderr


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "GLOSSARY_KATEX_CACHE": str(project / ".cache" / "katex")},
    )


def _with_plugin_options(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.site
def test_a_quiet_typo_in_mkdocs_yml_stops_the_build_naming_the_codes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"n.md": "### 张量\n\n张量是数组。\n"})
    _with_plugin_options(project, "quiet: [missing-image]", "quiet: [missing-imgae]")
    proc = _build(project)
    assert proc.returncode != 0
    assert "missing-imgae" in proc.stderr and "unterminated-math" in proc.stderr


@pytest.mark.site
def test_a_broken_katex_engine_is_a_plugin_error_with_its_output(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"n.md": "### 张量\n\n$x^2$ 是平方。\n"})
    katex = broken_katex(tmp_path)
    _with_plugin_options(
        project,
        "quiet: [missing-image]",
        f"quiet: [missing-image]\n      katex_engine: node\n      katex_npm: {katex}",
    )
    proc = _build(project)
    assert proc.returncode != 0
    assert "KaTeX's Node engine" in proc.stderr and "katex is broken here" in proc.stderr
    assert "Traceback" not in proc.stderr
