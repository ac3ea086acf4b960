"""What `mkdocs serve` needs beyond a build: the folders of notes to watch, a settled heap."""

from __future__ import annotations

import gc
import os
from pathlib import Path

__all__ = ["note_folders", "settle_long_lived_objects"]


def settle_long_lived_objects() -> None:
    """Move what is alive now out of the cyclic garbage collector's sight (once per session).

    For `mkdocs serve`, after its first build of the notes: what is alive then (modules,
    jieba's and pypinyin's dictionaries, every note's outline in the build cache) lives about
    as long as the process, and a full collection walks all of it: 0.5 s at 10,000 concepts,
    which fell inside one rebuild in two. Frozen objects are still freed when nothing refers
    to them. Called before the build makes its pages, so that no page (and its HTML) is
    frozen.
    """
    gc.collect()
    gc.freeze()


def note_folders(top: Path) -> list[Path]:
    """``top`` and every folder below it, without following links or entering hidden folders
    (what glossary_build.sources reads notes from)."""
    found = [top]
    for folder, subfolders, _ in os.walk(top, followlinks=False):
        # os.walk lists a link to a folder among the folders (it only does not enter it).
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and not os.path.islink(f"{folder}/{d}")
        )
        found.extend(Path(folder) / d for d in subfolders)
    return found
