"""Thin MkDocs adapter: runs :func:`glossary_build.build` and adds its pages as generated files."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .katex import (
    DEFAULT_CACHE_DIR,
    DEFAULT_NPM_KATEX,
    ENGINES,
    KatexRenderer,
    npm_package_version,
)
from .markdown_math import MathExtension
from .pipeline import BuildConfig, NoteCache, build
from .search_terms import SearchTerms, page_location, rewrite_search_index, search_terms
from .text import has_cjk
from .types import Diagnostic, Entry, Severity

log = get_plugin_logger(__name__)

# `mkdocs serve` loads the config, and so a new plugin, for every rebuild: what must survive
# rebuilds lives here, for the life of the process.
_NOTE_CACHE: NoteCache = {}
_RENDERERS: dict[tuple[str, str, str], KatexRenderer] = {}

KATEX_ASSETS = "assets/katex"


class GlossaryPluginConfig(base.Config):
    concepts_dir = c.Type(str, default="concepts")
    """Where the notes are, relative to mkdocs.yml."""
    quiet = c.ListOfItems(c.Type(str), default=[])
    """Diagnostic codes (e.g. ``missing-image``) logged as INFO instead of WARNING, so that a
    known, accepted state of the notes does not fail ``mkdocs build --strict``."""
    katex_cache = c.Type(str, default=str(DEFAULT_CACHE_DIR))
    """Persistent render cache, relative to mkdocs.yml."""
    katex_npm = c.Type(str, default=str(DEFAULT_NPM_KATEX))
    """npm's ``katex`` package of the renderer's version: its CSS and fonts are served by the
    site, and the ``node`` engine renders with it."""
    katex_engine = c.Choice(ENGINES, default="auto")
    """How cache misses are rendered (see glossary_build/katex.py)."""


def _teach_jieba(entries: Iterable[Entry]) -> None:
    """Material's search segments Chinese with jieba: make every Chinese title and alias of
    the notes one word (张量点积, 小批量梯度下降) so the index keeps them whole."""
    try:
        import jieba
    except ImportError:
        return
    for entry in entries:
        for name in (entry.title, *entry.aliases):
            if has_cjk(name) and len(name) >= 2 and " " not in name:
                jieba.add_word(name)


class GlossaryPlugin(BasePlugin[GlossaryPluginConfig]):
    def __init__(self) -> None:
        self._user_nav: Any = None
        self._renderer: KatexRenderer | None = None
        self._search_terms: dict[str, SearchTerms] = {}

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav
        root = self._root(config)
        key = (
            str(root / self.config.katex_cache),
            self.config.katex_engine,
            str(root / self.config.katex_npm),
        )
        if key not in _RENDERERS:
            # One renderer per process: its memory cache survives `mkdocs serve` rebuilds,
            # its disk cache survives sessions.
            _RENDERERS[key] = KatexRenderer(
                root / self.config.katex_cache,
                engine=self.config.katex_engine,
                npm_katex=root / self.config.katex_npm,
            )
        self._renderer = _RENDERERS[key]
        config.markdown_extensions.append(MathExtension(self._renderer.render))  # type: ignore[arg-type]
        config.extra_css.insert(0, f"{KATEX_ASSETS}/katex.min.css")
        return config

    def _notes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.concepts_dir

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self._root(config)
        assert self._renderer is not None
        started = self._renderer.processes_started
        start = time.perf_counter()
        result = build(
            BuildConfig(root, self._notes_dir(config), config.site_name),
            self._renderer,
            _NOTE_CACHE,
        )
        log.debug("glossary built in %.3f s", time.perf_counter() - start)
        formulas = sum(s.formulas for s in result.stats)
        rendered = sum(s.formulas_rendered for s in result.stats)
        log.info(
            "KaTeX: %d formulas, %d rendered; %d katex processes started (engine: %s)",
            formulas,
            rendered,
            self._renderer.processes_started - started,
            self._renderer.engine,
        )
        for diagnostic in result.diagnostics:
            self._log(diagnostic)
        for path, content in result.pages.items():
            if files.get_file_from_path(path) is not None:
                log.info(
                    "docs/%s is hand-written; the generated page of that path is not used", path
                )
                continue
            files.append(File.generated(config, path, content=content))
        self._add_katex_assets(files, config)
        _teach_jieba(result.entries)
        self._search_terms = {
            page_location(e.path, config.use_directory_urls): search_terms(e.title, e.aliases)
            for e in result.entries
        }
        if self._user_nav is None:
            config.nav = list(result.nav)
        return files

    def _add_katex_assets(self, files: Files, config: MkDocsConfig) -> None:
        """Serve KaTeX's CSS and fonts from the site itself, of the version that rendered."""
        assert self._renderer is not None
        package = self._root(config) / self.config.katex_npm
        dist = package / "dist"
        version = npm_package_version(package)
        if version is None:
            raise PluginError(
                f"KaTeX's CSS and fonts are not at {dist}; run `bash scripts/site.sh` "
                f"(it runs `npm install katex@{self._renderer.version}`)"
            )
        if version != self._renderer.version:
            raise PluginError(
                f"KaTeX CSS {version} at {dist} does not match the renderer's KaTeX "
                f"{self._renderer.version}; install katex@{self._renderer.version}"
            )
        assets = [dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
        for asset in assets:
            relative = asset.relative_to(dist).as_posix()
            files.append(
                File.generated(config, f"{KATEX_ASSETS}/{relative}", abs_src_path=str(asset))
            )

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Give concept pages their search-only fields (names, pinyin, parts)."""
        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.exists():
            return
        text = rewrite_search_index(index.read_text(encoding="utf-8"), self._search_terms)
        index.write_text(text, encoding="utf-8")

    def _log(self, diagnostic: Diagnostic) -> None:
        text = diagnostic.format()
        if diagnostic.severity is Severity.ERROR:
            log.error(text)
        elif diagnostic.severity is Severity.WARNING and diagnostic.code not in self.config.quiet:
            log.warning(text)
        else:
            log.info(text)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        server.watch(str(self._notes_dir(config)))
        return server
