"""The concept graph's files in the site: graph/graph.json and graph/local/<slug>.json.

Kept across `mkdocs serve` rebuilds: the files last made (and from what) and the files last
written, so that a rebuild writes only what changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..graph import ConceptGraph
from ..graph_json import graph_files
from ..related import Suggestion
from .site_files import write_graph_files


class GraphOutput:
    """Makes and writes the graph's files, reusing those of the previous build."""

    def __init__(self) -> None:
        self._made: tuple[tuple[ConceptGraph, bool] | None, dict[str, str]] = (None, {})
        """The graph last made into files (with use_directory_urls), and those files."""
        self._written: tuple[Path, dict[str, str]] | None = None
        """The folder and the files last written there (a dirty rebuild keeps them: only the
        changed ones are written again)."""

    def forget_written(self) -> None:
        """After a failed build: what is on disk is not known any more."""
        self._written = None

    def write(
        self,
        folder: Path,
        graph: ConceptGraph,
        related: Sequence[Sequence[Suggestion]],
        pinyin: Mapping[str, Sequence[str]],
        *,
        use_directory_urls: bool,
        keep_written: bool,
    ) -> tuple[int, int]:
        """Write the graph's files into ``folder``: (files, bytes). ``keep_written``: the
        folder still holds what the last call wrote (a dirty rebuild)."""
        previous = None
        if keep_written and self._written and self._written[0] == folder:
            previous = self._written[1]
        made_from = (graph, use_directory_urls)
        last, last_files = self._made
        if previous is not None and last == made_from:
            # The pipeline reused the graph (no name and no link changed): so are its files
            # (the pinyin comes from the names).
            files = last_files
        else:
            # Only links changed: the local files no changed link reaches are kept.
            earlier = (
                (last[0], last_files)
                if last is not None and last[1] == use_directory_urls
                else None
            )
            files = graph_files(graph, related, pinyin, use_directory_urls, earlier)
        self._made = (made_from, files)
        self._written = None  # until written: a failed write leaves nothing to trust
        size = write_graph_files(folder, files, previous)
        self._written = (folder, files)
        return len(files), size


__all__ = ["GraphOutput"]
