"""The MkDocs adapter: runs :func:`glossary_build.build` and adds its pages as generated files.

The event methods stay thin: each delegates to a module of this package (assets, addresses,
notices, search records, site files) or to the core, which imports neither MkDocs nor Material.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..graph import ConceptGraph
from ..incremental import BuildCache, MemoTable
from ..katex import KatexEngineError, KatexRenderer
from ..markdown_guard import GuardExtension
from ..markdown_math import MathExtension
from ..page_reuse import PageReuse, project_theme_files, site_signature
from ..pipeline import BuildConfig, build
from ..related import Suggestion
from ..sanitize import defuse_rendered_html
from ..search_index import SearchPage, Section, page_sections
from ..search_terms import page_location
from ..types import BuildResult, Diagnostic, Severity, Slug
from .addresses import add_redirects, keep_url_map
from .assets import (
    GRAPH_DIR,
    SEARCH_DIR,
    add_graph_assets,
    add_katex_assets,
    add_search_assets,
    register_styles_and_scripts,
)
from .config import GlossaryPluginConfig
from .files import ReusableFile, decidable_pages
from .graph_output import GraphOutput
from .material import problems_notice
from .notices import render_or_show_source, shown_problems, with_notice
from .search import concept_names, search_pages
from .serving import note_folders, settle_long_lived_objects
from .site_files import write_search_index

__all__ = [
    "GlossaryPlugin",
    "note_folders",
    "settle_long_lived_objects",
]

log = get_plugin_logger("glossary_build.mkdocs_plugin")


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _nav_items(
    items: Iterable[Any], reuse: PageReuse, depth: int = 0
) -> Iterable[tuple[int, str, str, str]]:
    """The nav as every page's HTML shows it. A page that has no title in the nav shows the
    title of its own Markdown, so then its Markdown counts too."""
    for item in items:
        title = item.title
        if title is None and isinstance(item, Page):
            title = reuse.untitled_page_key(item.file.src_uri, item.file.abs_src_path)
        yield depth, type(item).__name__, str(title), str(getattr(item, "url", "") or "")
        yield from _nav_items(item.children or (), reuse, depth + 1)


class GlossaryPlugin(BasePlugin[GlossaryPluginConfig]):
    """The ``glossary`` plugin: the notes become generated pages, formulas, search and graph.

    MkDocs keeps an instance whose class defines ``on_startup`` across the rebuilds of one
    ``mkdocs serve`` (``Plugins.plugin_cache`` in mkdocs/config/config_options.py, 1.6), so
    what must survive rebuilds is state of this instance: the build cache, the KaTeX
    renderers, the last good build.
    """

    def __init__(self) -> None:
        self._build_cache = BuildCache()
        self._last_good: BuildResult | None = None
        """The last build of the notes that did not raise: what `mkdocs serve` keeps serving
        if a rebuild meets a bug outside any one note (see ``on_files``)."""
        self._renderers: dict[tuple[str, str, str], KatexRenderer] = {}
        self._settled = False
        self._user_nav: Any = None
        self._renderer: KatexRenderer | None = None
        self._search_names: dict[str, SearchPage] = {}
        self._search_records: MemoTable[tuple[Slug, str], SearchPage] = MemoTable()
        self._note_names: dict[str, str] = {}
        self._sections_seconds = 0.0
        self._search_sections: dict[str, tuple[str, tuple[Section, ...]]] = {}
        """Page URL → its title and sections, as last built (a kept page is not rebuilt)."""
        self._reuse = PageReuse()
        self._serving = False
        self._files = Files([])
        self._generated: set[str] = set()
        self._server: LiveReloadServer | None = None
        self._graph: tuple[ConceptGraph, tuple[tuple[Suggestion, ...], ...]] | None = None
        self._graph_output = GraphOutput()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is `mkdocs serve` and whether rebuilds are dirty."""
        # Defining on_startup also makes MkDocs keep this instance across serve rebuilds,
        # which is what lets a dirty rebuild keep the previous build's pages.
        self._reuse = PageReuse(enabled=dirty)
        self._serving = command == "serve"
        self._graph_output.forget_written()
        if dirty:
            # MkDocs warns that a dirty build shows a stale nav. Not so here (a nav change
            # rebuilds every page), and the warning would abort a build under `--strict`.
            logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)
            log.info("dirty rebuilds: unchanged pages are kept while the nav stays the same")

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Add the math and guard extensions and the site's styles and scripts."""
        self._user_nav = config.nav
        self._reuse.start()
        root = self._root(config)
        key = (
            str(root / self.config.katex_cache),
            self.config.katex_engine,
            str(root / self.config.katex_npm),
        )
        if key not in self._renderers:
            # One renderer per serve session: its memory cache survives `mkdocs serve`
            # rebuilds, its disk cache survives sessions.
            self._renderers[key] = KatexRenderer(
                root / self.config.katex_cache,
                engine=self.config.katex_engine,
                npm_katex=root / self.config.katex_npm,
            )
        self._renderer = self._renderers[key]
        config.markdown_extensions.append(MathExtension(self._renderer.render))  # type: ignore[arg-type]
        # Not left to mkdocs.yml: without it a note's `{: style=… }` or `[x](javascript:…)`
        # would reach the page.
        config.markdown_extensions.append(GuardExtension())  # type: ignore[arg-type]
        register_styles_and_scripts(config)
        return config

    def _notes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.concepts_dir

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Build the notes and add every generated page, asset and redirect to ``files``."""
        root = self._root(config)
        assert self._renderer is not None
        self._generated = set()
        started = self._renderer.processes_started
        start = time.perf_counter()
        try:
            result = build(
                BuildConfig(
                    root, self._notes_dir(config), config.site_name, root / self.config.url_map
                ),
                self._renderer,
                self._build_cache,
            )
        except KatexEngineError as exc:
            # Not a note's problem: the renderer is broken (node missing, katex not installed).
            message = f"{exc}; its error output:\n{exc.stderr.strip() or '(none)'}"
            if not self._serving:
                raise PluginError(message) from exc
            log.error("%s", message)
            if self._last_good is None:
                return files
            result = self._last_good
        except Exception as exc:
            # Each note's bugs are caught in the pipeline; this is one outside them all.
            if not self._serving:
                raise PluginError(f"building the notes raised {type(exc).__name__}: {exc}") from exc
            log.exception("building the notes raised; serving the last build that did not")
            # The caches may hold half of this build: start them afresh next time.
            self._build_cache.forget_outlines()
            if self._last_good is None:
                return files
            result = self._last_good
        else:
            self._last_good = result
        log.debug("glossary built in %.3f s", time.perf_counter() - start)
        if self._serving and not self._settled:
            settle_long_lived_objects()
            self._settled = True
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
        notices = shown_problems(result, self.config.quiet) if self._serving else {}
        for path, content in result.pages.items():
            if path in notices:
                # Where the author looks while writing: on the page itself.
                content = with_notice(content, problems_notice(notices[path]))
            if files.get_file_from_path(path) is not None:
                log.info(
                    "docs/%s is hand-written; the generated page of that path is not used", path
                )
                continue
            files.append(ReusableFile.generated(config, path, content=content))
            if self._reuse.enabled:
                self._reuse.note_markdown(path, content)
            self._generated.add(path)
        add_katex_assets(files, config, root / self.config.katex_npm, self._renderer.version)
        keep_url_map(
            result,
            root / self.config.url_map,
            self.config.url_map,
            serving=self._serving,
            strict=config.strict,
        )
        add_redirects(result, files, config)
        add_search_assets(files, config)
        add_graph_assets(files, config, root)
        if self._reuse.enabled:
            decidable_pages(files)
        self._search_names = concept_names(result, self._search_records, config.use_directory_urls)
        if result.concept_graph is not None:
            self._graph = (result.concept_graph, result.related)
        self._note_names = {
            page_location(
                result.note_pages[o.source.path], config.use_directory_urls
            ): o.source.name
            for o in result.notes
            if o.source.path in result.note_pages
        }
        self._watch_note_folders(config)
        if self._user_nav is None:
            config.nav = list(result.nav)
        return files

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """A generated page whose rendering raises is shown as its source."""
        if page.file.src_uri in self._generated:
            page.render = render_or_show_source(page.render, page)  # type: ignore[method-assign]
        return page

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Under `--dirty`, tell MkDocs which pages it may keep (glossary_build/page_reuse.py)."""
        self._files = files
        if not self._reuse.enabled:
            return nav
        signature = site_signature(
            _nav_items(nav.items, self._reuse),
            ((f.src_uri, f.url) for f in files),
            Path(config.config_file_path).read_text(encoding="utf-8") + str(config.site_url),
            project_theme_files(config.theme.dirs),
        )
        keep_unchanged = self._reuse.keeps_everything_else(signature)
        for file in files.documentation_pages():
            if not isinstance(file, ReusableFile):
                continue
            if file.generated_by is None:
                # A page from docs/ holds the nav too: rebuild it whatever its mtime.
                file.rebuild = None if keep_unchanged else True
                continue
            file.rebuild = not (keep_unchanged and self._reuse.is_unchanged(file.src_uri))
        return nav

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Second line of defence: the notes' raw HTML was sanitized before Markdown; what
        Markdown made of it is checked again. Anything found is a sanitizer bug, so it is a
        warning (`--strict` fails). Hand-written pages in docs/ are left alone."""
        if page.file.src_uri not in self._generated:
            title = page.title or ""
            self._record_sections(page.url, title, html)
            return html
        defused, problems = defuse_rendered_html(html)
        for problem in problems:
            log.warning(
                "%s: %s (raw HTML got past the sanitizer; please report it)",
                page.file.src_uri,
                problem,
            )
        title = page.title or ""
        self._record_sections(page.url, title, defused)
        return defused

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Under `--dirty`, delete the outputs of pages that are gone; write the search index
        of every page (a kept page's sections are those of the build that made it)."""
        site = Path(config.site_dir)
        pages = [f.page.url for f in self._files.documentation_pages() if f.page is not None]
        if self._reuse.enabled:
            for stale in self._reuse.finish([f.dest_uri for f in self._files]):
                (site / stale).unlink(missing_ok=True)
        self._search_sections = {
            url: self._search_sections[url] for url in pages if url in self._search_sections
        }
        start = time.perf_counter()
        records = search_pages(
            pages, self._files, self._search_sections, self._search_names, self._note_names
        )
        written = write_search_index(site / SEARCH_DIR, records)
        log.info(
            "search index: %d pages, %d files, %.1f MB in %.2f s (sections read in %.2f s)",
            len(pages),
            len(written),
            sum(written.values()) / 1e6,
            time.perf_counter() - start,
            self._sections_seconds,
        )
        self._sections_seconds = 0.0
        self._write_graph(site, config)

    def _write_graph(self, site: Path, config: MkDocsConfig) -> None:
        """graph/graph.json and graph/local/<slug>.json, from this build's model."""
        if self._graph is None:
            return
        start = time.perf_counter()
        graph, related = self._graph
        count, size = self._graph_output.write(
            site / GRAPH_DIR,
            graph,
            related,
            {url: page.pinyin for url, page in self._search_names.items()},
            use_directory_urls=config.use_directory_urls,
            keep_written=self._reuse.enabled,
        )
        log.info(
            "concept graph: %d nodes, %d edges, %d files, %d KB in %.2f s",
            len(graph.nodes),
            graph.edge_count(),
            count,
            round(size / 1000),
            time.perf_counter() - start,
        )

    def _record_sections(self, url: str, title: str, body_html: str) -> None:
        start = time.perf_counter()
        self._search_sections[url] = (title, page_sections(body_html, title))
        self._sections_seconds += time.perf_counter() - start

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build: nothing kept from it can be trusted by the next."""
        self._reuse.forget()
        self._graph_output.forget_written()

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
        """Watch the notes' folders for `mkdocs serve`."""
        self._server = server
        self._watch_note_folders(config)
        return server

    def _watch_note_folders(self, config: MkDocsConfig) -> None:
        """Watch each folder of notes on its own, not the notes folder recursively: MkDocs'
        polling observer follows symbolic links, so a link to /etc (or to /) in the notes
        would have it scan all of that every second. Called again after every build, for
        folders made since (a watched path is watched once)."""
        if self._server is None:
            return
        notes = self._notes_dir(config)
        if not notes.is_dir():
            log.warning("%s does not exist: no notes are watched", self.config.concepts_dir)
            return
        for folder in note_folders(notes):
            self._server.watch(str(folder), recursive=False)
