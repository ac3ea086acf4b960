"""Thin MkDocs adapter: runs :func:`glossary_build.build` and adds its pages as generated files."""

from __future__ import annotations

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
from .pipeline import BuildConfig, build
from .types import Diagnostic, Severity

log = get_plugin_logger(__name__)

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


class GlossaryPlugin(BasePlugin[GlossaryPluginConfig]):
    def __init__(self) -> None:
        self._user_nav: Any = None
        self._renderer: KatexRenderer | None = None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav
        root = self._root(config)
        if self._renderer is None:
            # One renderer for the whole `mkdocs serve` session: its memory cache survives
            # rebuilds, its disk cache survives sessions.
            self._renderer = KatexRenderer(
                root / self.config.katex_cache,
                engine=self.config.katex_engine,
                npm_katex=root / self.config.katex_npm,
            )
        config.markdown_extensions.append(MathExtension(self._renderer.render))  # type: ignore[arg-type]
        config.extra_css.insert(0, f"{KATEX_ASSETS}/katex.min.css")
        return config

    def _notes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.concepts_dir

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self._root(config)
        assert self._renderer is not None
        started = self._renderer.processes_started
        result = build(BuildConfig(root, self._notes_dir(config), config.site_name), self._renderer)
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
