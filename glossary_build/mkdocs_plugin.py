"""Thin MkDocs adapter: runs :func:`glossary_build.build` and adds its pages as generated files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .pipeline import BuildConfig, build
from .types import Diagnostic, Severity

log = get_plugin_logger(__name__)


class GlossaryPluginConfig(base.Config):
    concepts_dir = c.Type(str, default="concepts")
    """Where the notes are, relative to mkdocs.yml."""
    quiet = c.ListOfItems(c.Type(str), default=[])
    """Diagnostic codes (e.g. ``missing-image``) logged as INFO instead of WARNING, so that a
    known, accepted state of the notes does not fail ``mkdocs build --strict``."""


class GlossaryPlugin(BasePlugin[GlossaryPluginConfig]):
    def __init__(self) -> None:
        self._user_nav: Any = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav
        return config

    def _notes_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.concepts_dir

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path).parent
        result = build(BuildConfig(root, self._notes_dir(config), config.site_name))
        for diagnostic in result.diagnostics:
            self._log(diagnostic)
        for path, content in result.pages.items():
            if files.get_file_from_path(path) is not None:
                log.info(
                    "docs/%s is hand-written; the generated page of that path is not used", path
                )
                continue
            files.append(File.generated(config, path, content=content))
        if self._user_nav is None:
            config.nav = list(result.nav)
        return files

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
