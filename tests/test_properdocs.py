"""The plugin under ProperDocs 1.6, the maintained fork of MkDocs 1.6 that keeps its plugin API.

MkDocs 1.x is unmaintained; if the site ever has to move, ProperDocs is where it moves. This
builds the real notes with ``properdocs build --strict`` beside the ``mkdocs build --strict`` of
the ``site`` fixture and holds the two sites to the same pages, byte for byte, but for the
``generator`` tag that names the engine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import build_real_site

pytestmark = pytest.mark.site

_GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')


def _files(site: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site).as_posix(): _GENERATOR_RE.sub(b"", path.read_bytes())
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_properdocs_builds_the_same_site_strict(
    site: tuple[Path, str], site_port: int, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    proc = build_real_site("properdocs", out, tmp_path, site_port)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert b"ProperDocs" in (out / "index.html").read_bytes()
    with_mkdocs, with_properdocs = _files(site[0]), _files(out)
    assert sorted(with_properdocs) == sorted(with_mkdocs)
    differing = [name for name, data in with_mkdocs.items() if with_properdocs[name] != data]
    assert differing == []
