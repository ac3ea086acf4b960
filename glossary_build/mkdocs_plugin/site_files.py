"""The files written into the built site after its pages: the search index and the graph."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..search_index import SearchPage, search_files

__all__ = ["write_graph_files", "write_search_index"]


def write_search_index(folder: Path, pages: Sequence[SearchPage]) -> dict[str, int]:
    """Replace the index in ``folder`` (its shard and chunk files change in number), leaving
    the box's script and style. Returns each file's size in bytes."""
    for generated in ("terms", "text"):
        shutil.rmtree(folder / generated, ignore_errors=True)
    sizes = {}
    for name, text in search_files(pages).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        sizes[name] = len(data)
    return sizes


def write_graph_files(
    folder: Path, files: Mapping[str, str], previous: Mapping[str, str] | None = None
) -> int:
    """Write the graph's files into ``folder``; returns their bytes. With ``previous`` (what
    the last call wrote there, when the site folder was kept: a dirty rebuild), only files
    whose text changed are written, and those no longer made are deleted."""
    if previous is None:
        shutil.rmtree(folder / "local", ignore_errors=True)
        previous = {}
    else:
        for gone in previous.keys() - files.keys():
            (folder / gone).unlink(missing_ok=True)
    (folder / "local").mkdir(parents=True, exist_ok=True)
    size = 0
    for name, text in files.items():
        data = text.encode("utf-8")
        size += len(data)
        if previous.get(name) != text:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return size
