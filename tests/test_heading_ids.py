"""A heading's id never takes one of the theme's: Material names its own elements `__config`,
`__drawer`, `__search`, … (and highlight its line anchors `__codelineno-…`), and reads its
configuration from the element with the id `__config`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from glossary_build.slugs import MAX_HEADING_ID_LENGTH, heading_id

from .test_boundary import make_project, mkdocs_build


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张量 Tensor", "张量-tensor"),  # Chinese kept (the default slugify would give `_1`)
        ("__config", "config"),
        ("__drawer", "drawer"),
        ("_x_y", "x_y"),
        ("__", "section"),
        ("!!!", ""),  # no id of its own: the toc extension numbers it, as before
    ],
)
def test_heading_id(text: str, expected: str) -> None:
    assert heading_id(text, "-") == expected


def test_a_long_heading_gets_a_bounded_id() -> None:
    assert len(heading_id("长" * 100_000, "-")) == MAX_HEADING_ID_LENGTH


@pytest.mark.site
def test_a_note_heading_named_like_the_theme_config_does_not_take_its_id(tmp_path: Path) -> None:
    note = "### 甲\n\n正文\n\n#### __config\n\n再\n\n#### __search\n\n又\n"
    project = make_project(tmp_path / "project", {"note.md": note})
    mkdocs_build(project, tmp_path / "site")
    pages = [p.read_text("utf-8") for p in (tmp_path / "site" / "concepts").glob("*/index.html")]
    note_ids: list[str] = []
    for page in pages:
        ids = re.findall(r'\sid="([^"]*)"', page)
        assert ids.count("__config") == 1  # Material's own script element
        assert ids.count("__search") == 1  # Material's own checkbox
        note_ids.extend(re.findall(r'<h[1-6] id="([^"]*)"', page))
    assert {"config", "search"} <= set(note_ids)  # the note's headings, ids of their own
