"""Dirty rebuilds that equal clean ones: which pages `mkdocs serve --dirty` may keep.

MkDocs' own ``--dirty`` keeps every page whose source file is older than its output. That is
wrong for a generated site in two ways: generated pages have no source file (MkDocs rebuilds
them all), and a page's HTML also holds the nav and its neighbours' titles, so a kept page goes
stale when another page is added or renamed.

Here a page is kept only when its Markdown is byte-identical to the previous build's *and*
nothing outside the page that its HTML depends on changed: the nav (titles, URLs, order), the
set of files and their URLs, mkdocs.yml and the project's own theme overrides. That
"site signature" changing rebuilds every page. The plugin writes the search index from the
sections of the pages built now and those kept from the build that last built each other page,
so the dirty site equals a clean build (tests/test_page_reuse.py builds both and compares every
file).

The state lives in the plugin instance, which MkDocs keeps across `mkdocs serve` rebuilds
because the plugin defines ``on_startup``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def digest(text: str) -> str:
    """A short, stable digest of ``text``."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def site_signature(
    nav_items: Iterable[tuple[int, str, str, str]],
    files: Iterable[tuple[str, str]],
    config_text: str,
    theme_files: Iterable[tuple[str, float]],
) -> str:
    """One hash of everything a page's HTML depends on besides its own Markdown.

    ``nav_items``: (depth, kind, title, url) in nav order; ``files``: (src_uri, url) of every
    file; ``theme_files``: (path, mtime) of the project's own theme overrides."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (
        repr(list(nav_items)),
        repr(sorted(files)),
        config_text,
        repr(sorted(theme_files)),
    ):
        hasher.update(part.encode("utf-8", errors="surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


def project_theme_files(theme_dirs: Sequence[str]) -> list[tuple[str, float]]:
    """(path, mtime) of the theme files that belong to the project (``custom_dir``), not to
    an installed package: those can change while `mkdocs serve` runs."""
    found: list[tuple[str, float]] = []
    for theme_dir in theme_dirs:
        if "site-packages" in Path(theme_dir).parts:
            continue
        for folder, _, names in os.walk(theme_dir):
            for name in names:
                path = os.path.join(folder, name)
                found.append((path, os.path.getmtime(path)))
    return found


@dataclass
class PageReuse:
    """What the previous successful build left, and what this build has gathered so far."""

    enabled: bool = False
    signature: str | None = None
    page_digests: dict[str, str] = field(default_factory=dict)
    """src_uri → digest of the Markdown the page was last built from."""
    outputs: frozenset[str] = frozenset()
    """dest_uri of every file the previous build wrote."""

    # This build only.
    _digests: dict[str, str] = field(default_factory=dict)
    _signature: str | None = None

    def start(self) -> None:
        """A new build: forget the last build's page digests and signature."""
        self._digests = {}
        self._signature = None

    def note_markdown(self, src_uri: str, markdown: str) -> None:
        """A generated page's Markdown (pages from disk are judged by their mtime)."""
        self._digests[src_uri] = digest(markdown)

    def keeps_everything_else(self, signature: str) -> bool:
        """Record this build's signature; whether unchanged pages may be kept."""
        self._signature = signature
        return self.enabled and signature == self.signature

    def is_unchanged(self, src_uri: str) -> bool:
        """Whether a generated page's Markdown equals the previous build's."""
        current = self._digests.get(src_uri)
        return current is not None and self.page_digests.get(src_uri) == current

    def untitled_page_key(self, src_uri: str, abs_src_path: str | None) -> str:
        """Stands for the title of a page that has none in the nav (MkDocs takes it from the
        page's Markdown, which is not read yet when the nav is compared)."""
        if src_uri in self._digests:
            return self._digests[src_uri]
        if abs_src_path and os.path.exists(abs_src_path):
            return str(os.path.getmtime(abs_src_path))
        return ""

    def finish(self, outputs: Iterable[str]) -> list[str]:
        """Commit this build as the previous one; return outputs of the previous build that
        no file writes any more (a dirty build does not clean the site directory)."""
        current_outputs = frozenset(outputs)
        stale = sorted(self.outputs - current_outputs)
        self.signature = self._signature
        self.page_digests = dict(self._digests)
        self.outputs = current_outputs
        self.start()
        return stale

    def forget(self) -> None:
        """After a failed build nothing of it may be trusted: the next build is complete."""
        self.signature = None
        self.page_digests = {}
        self.start()


def always(answer: bool) -> Callable[[], bool]:
    """A function that always answers ``answer``."""
    return lambda: answer


__all__ = [
    "PageReuse",
    "always",
    "digest",
    "project_theme_files",
    "site_signature",
]
