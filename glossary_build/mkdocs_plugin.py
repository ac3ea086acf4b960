"""Thin MkDocs adapter: runs :func:`glossary_build.build` and adds its pages as generated files."""

from __future__ import annotations

import bisect
import dataclasses
import gc
import html
import logging
import os
import shutil
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .emit import plain_title
from .graph import ConceptGraph, Suggestion, graph_files
from .katex import (
    DEFAULT_CACHE_DIR,
    DEFAULT_NPM_KATEX,
    ENGINES,
    KatexRenderer,
    npm_package_version,
)
from .markdown_guard import GuardExtension
from .markdown_math import MathExtension
from .page_reuse import (
    PageReuse,
    always,
    project_theme_files,
    site_signature,
)
from .pipeline import BuildCache, BuildConfig, build
from .sanitize import defuse_rendered_html
from .search_index import SearchPage, Section, ordered_pages, page_sections, search_files
from .search_terms import page_location, pinyin_names, search_names
from .types import BuildResult, Diagnostic, Entry, PagePath, Severity
from .urls import DEFAULT_URL_MAP, dumps

log = get_plugin_logger(__name__)

# `mkdocs serve` loads the config, and so a new plugin, for every rebuild: what must survive
# rebuilds lives here, for the life of the process.
_BUILD_CACHE = BuildCache()
_LAST_GOOD: list[BuildResult] = []
"""The last build of the notes that did not raise: what `mkdocs serve` keeps serving if a
rebuild meets a bug outside any one note (see ``on_files``)."""
_RENDERERS: dict[tuple[str, str, str], KatexRenderer] = {}

KATEX_ASSETS = "assets/katex"
SEARCH_DIR = "search"
SEARCH_ASSETS = Path(__file__).resolve().parent / "assets" / "search"
"""The search box's script and style (served from the site, as ``search/*``)."""
GRAPH_DIR = "graph"
"""Where the concept graph's data goes (graph.json, local/<slug>.json; GRAPH-FORMAT.md)."""
GRAPH_ASSETS = Path(__file__).resolve().parent / "assets" / "graph"
"""The concept graph's script and style (served from the site, as ``graph/*``)."""
FORCE_GRAPH_VERSION = "1.52.0"
"""The concept graph's renderer, installed from npm by scripts/_venv.sh (this exact version:
benchmarks/graph_render.py chose it and measures it)."""
FORCE_GRAPH_NPM = Path(".cache") / "npm" / "node_modules" / "force-graph"
FORCE_GRAPH_SERVED = "assets/vendor/force-graph/force-graph.min.js"


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
    url_map = c.Type(str, default=DEFAULT_URL_MAP)
    """The URL map, relative to mkdocs.yml (glossary_build/urls.py): every published page
    keeps its URL. `mkdocs build` updates it (commit it); `mkdocs serve` only reads it."""


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


def concept_names(
    result: BuildResult, cache: BuildCache, use_directory_urls: bool = True
) -> dict[str, SearchPage]:
    """The names layer's record of every concept page, by its URL, without sections yet (kept
    in ``cache`` for an entry that did not change: pypinyin runs once per name)."""
    pages = {}
    for entry in result.entries:
        url = page_location(entry.path, use_directory_urls)
        pages[url] = cache.memo.get(
            ("search names", entry.slug), (entry,), partial(_names_record, entry, url)
        )
    return pages


def _names_record(entry: Entry, url: str) -> SearchPage:
    # As the page shows them: a formula in a name as its bare TeX.
    title = plain_title(entry.title, entry.title_part.formulas)
    aliases = [plain_title(a, entry.parts[0].formulas) for a in entry.aliases]
    names = search_names(title, aliases)
    return SearchPage(
        url=url,
        title=title,
        kind="concept",
        sections=(),
        aliases=names[1:],
        note=entry.primary.note,
        pinyin=tuple(dict.fromkeys(pinyin_names(names))),
    )


LISTING_KINDS = frozenset({"home", "letter", "group"})


def page_kind(src_uri: str) -> str:
    """What a generated page that is not a concept is, by where it lives."""
    top = src_uri.split("/", 1)[0]
    return {"notes": "note", "groups": "group", "index.md": "home", "terms.md": "letter"}.get(
        top, "other"
    )


_SETTLED = False


def settle_long_lived_objects() -> None:
    """Once per process: move what is alive now out of the cyclic garbage collector's sight.

    For `mkdocs serve`, after its first build of the notes: what is alive then (modules,
    jieba's and pypinyin's dictionaries, every note's outline in the build cache) lives about
    as long as the process, and a full collection walks all of it: 0.5 s at 10,000 concepts,
    which fell inside one rebuild in two. Frozen objects are still freed when nothing refers
    to them. Called before the build makes its pages, so that no page (and its HTML) is
    frozen.
    """
    global _SETTLED
    if _SETTLED:
        return
    _SETTLED = True
    gc.collect()
    gc.freeze()


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


def shown_problems(result: BuildResult, quiet: Collection[str]) -> dict[PagePath, list[Diagnostic]]:
    """The problems each generated page shows under `mkdocs serve`: a note's page, all of
    its note's; a concept's page, those of the lines it was made from (its heading up to the
    next concept of that note). INFO and ``quiet`` codes are left to the terminal."""
    starts: dict[str, list[int]] = {}
    for outline in result.notes:
        starts[outline.source.path] = sorted(c.span.line for c in outline.concepts)
    pages_of_concept: dict[tuple[str, int], PagePath] = {
        (p.concept.span.path, p.concept.span.line): e.path for e in result.entries for p in e.parts
    }
    shown: dict[PagePath, list[Diagnostic]] = {}
    for problem in result.diagnostics:
        if problem.severity is Severity.INFO or problem.code in quiet:
            continue
        path = problem.span.path
        note_page = result.note_pages.get(path)
        if note_page is not None:
            shown.setdefault(note_page, []).append(problem)
        lines = starts.get(path, [])
        at = bisect.bisect_right(lines, problem.span.line) - 1
        if at >= 0:
            page = pages_of_concept.get((path, lines[at]))
            if page is not None:
                shown.setdefault(page, []).append(problem)
    return shown


def problems_notice(problems: Iterable[Diagnostic]) -> str:
    """An admonition listing ``problems`` (raw HTML, every piece of it escaped: messages
    quote the note)."""
    items = "".join(
        f"<li><code>{html.escape(str(p.span))}</code> {html.escape(p.severity.value)}: "
        f"{html.escape(p.message)}" + (f" ({html.escape(p.hint)})" if p.hint else "") + "</li>"
        for p in problems
    )
    return (
        '<div class="admonition failure gb-problems">\n'
        '<p class="admonition-title">这篇笔记有问题 / Problems in this note '
        "(shown by <code>mkdocs serve</code> only)</p>\n"
        f"<ul>{items}</ul>\n</div>\n"
    )


def with_notice(markdown: str, notice: str) -> str:
    """``markdown`` (a generated page) with ``notice`` after its front matter and title."""
    start = 0
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        start = end + 5 if end >= 0 else 0
    title = markdown.find("\n# ", start - 1)
    if title >= 0:
        line_end = markdown.find("\n", title + 1)
        start = len(markdown) if line_end < 0 else line_end + 1
    return f"{markdown[:start]}\n{notice}\n{markdown[start:]}"


def _render_or_show_source(render: Callable[[MkDocsConfig, Files], None], page: Page) -> Any:
    """``page.render`` that, if Markdown raises on the page, shows its Markdown as text with
    the error (and logs it) instead of failing the whole build."""

    def guarded(config: MkDocsConfig, files: Files) -> None:
        try:
            render(config, files)
        except Exception as exc:  # one page's Markdown must not stop the site
            log.error(
                "%s: rendering the page raised %s: %s; its Markdown is shown as text",
                page.file.src_uri,
                type(exc).__name__,
                str(exc)[:300],
            )
            notice = (
                '<div class="admonition failure gb-problems"><p class="admonition-title">'
                f"Markdown could not render this page ({html.escape(type(exc).__name__)})"
                "</p></div>\n"
            )
            page.content = f"{notice}<pre>{html.escape(page.markdown or '')}</pre>"
            page.toc = get_toc([])
            page.present_anchor_ids = set()

    return guarded


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


def redirect_page(title: str, url: str, canonical: str | None) -> str:
    """The page left at a removed page's address (every piece escaped: the title is the
    note's)."""
    title_html, url_html = html.escape(title), html.escape(url)
    link = (
        f'<link rel="canonical" href="{html.escape(canonical)}">\n' if canonical is not None else ""
    )
    return (
        '<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>已移动 / Moved: {title_html}</title>\n"
        f'<meta http-equiv="refresh" content="3; url={url_html}">\n{link}'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f"<p>「{title_html}」不在这里了 / is no longer here. "
        f'请看 / See <a href="{url_html}">{url_html}</a>.</p>\n</body>\n</html>\n'
    )


class GlossaryPlugin(BasePlugin[GlossaryPluginConfig]):
    def __init__(self) -> None:
        self._user_nav: Any = None
        self._renderer: KatexRenderer | None = None
        self._search_names: dict[str, SearchPage] = {}
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
        self._graph_files: tuple[tuple[ConceptGraph, bool] | None, dict[str, str]] = (None, {})
        """The graph last made into files (with use_directory_urls), and those files."""
        self._graph_written: tuple[Path, dict[str, str]] | None = None
        """The site folder and the graph files last written there (a dirty rebuild keeps
        them: only the changed ones are written again)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also makes MkDocs keep this instance across serve rebuilds,
        # which is what lets a dirty rebuild keep the previous build's pages.
        self._reuse = PageReuse(enabled=dirty)
        self._serving = command == "serve"
        self._graph_written = None
        if dirty:
            # MkDocs warns that a dirty build shows a stale nav. Not so here (a nav change
            # rebuilds every page), and the warning would abort a build under `--strict`.
            logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)
            log.info("dirty rebuilds: unchanged pages are kept while the nav stays the same")

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav
        self._reuse.start()
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
        # Not left to mkdocs.yml: without it a note's `{: style=… }` or `[x](javascript:…)`
        # would reach the page.
        config.markdown_extensions.append(GuardExtension())  # type: ignore[arg-type]
        config.extra_css.insert(0, f"{KATEX_ASSETS}/katex.min.css")
        if (SEARCH_ASSETS / "search.css").is_file():
            config.extra_css.append(f"{SEARCH_DIR}/search.css")
        if (SEARCH_ASSETS / "search.js").is_file():
            config.extra_javascript.append(f"{SEARCH_DIR}/search.js")
        # graph.js loads the renderer itself, and only on a page that has a graph.
        if (GRAPH_ASSETS / "graph.css").is_file():
            config.extra_css.append(f"{GRAPH_DIR}/graph.css")
        if (GRAPH_ASSETS / "graph.js").is_file():
            config.extra_javascript.append(f"{GRAPH_DIR}/graph.js")
        return config

    def _notes_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.concepts_dir

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
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
                _BUILD_CACHE,
            )
        except Exception as exc:
            # Each note's bugs are caught in the pipeline; this is one outside them all.
            if not self._serving:
                raise PluginError(f"building the notes raised {type(exc).__name__}: {exc}") from exc
            log.exception("building the notes raised; serving the last build that did not")
            # The caches may hold half of this build: start them afresh next time.
            _BUILD_CACHE.notes.clear()
            _BUILD_CACHE.sections.clear()
            _BUILD_CACHE.names.clear()
            if not _LAST_GOOD:
                return files
            result = _LAST_GOOD[0]
        else:
            _LAST_GOOD[:] = [result]
        log.debug("glossary built in %.3f s", time.perf_counter() - start)
        if self._serving:
            settle_long_lived_objects()
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
            files.append(File.generated(config, path, content=content))
            if self._reuse.enabled:
                self._reuse.note_markdown(path, content)
            self._generated.add(path)
        self._add_katex_assets(files, config)
        self._keep_url_map(result, root / self.config.url_map, config)
        self._add_redirects(result, files, config)
        self._add_search_assets(files, config)
        self._add_graph_assets(files, config)
        self._search_names = concept_names(result, _BUILD_CACHE, config.use_directory_urls)
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

    def _keep_url_map(self, result: BuildResult, path: Path, config: MkDocsConfig) -> None:
        """Write the updated URL map (not while serving: a concept half typed would become a
        redirect). A change of URLs is a warning under `--strict`: CI fails while the
        committed map is stale; digests alone changing are not (see urls.py)."""
        if result.url_map is None:
            return
        shown = self.config.url_map
        changed = "; ".join(result.url_changes[:5]) + (
            f"; and {len(result.url_changes) - 5} more" if len(result.url_changes) > 5 else ""
        )
        if self._serving:
            # Not even made into text: a rebuild should not pay for what it does not write.
            if result.url_changes:
                log.info("%s: not written while serving (%s)", shown, changed)
            return
        text = dumps(result.url_map)
        try:
            before: str | None = path.read_text(encoding="utf-8")
        except OSError:
            before = None
        if before == text:
            return
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            log.error("%s: could not be written (%s); URLs of new pages may change", shown, exc)
            return
        if before is None:
            log.info("%s: created; commit it: it keeps every published page's URL", shown)
        elif result.url_changes:
            report = log.warning if config.strict else log.info
            report(
                "%s: updated, URLs changed (%s); commit it, so that the published site keeps "
                "these URLs",
                shown,
                changed,
            )
        else:
            log.info("%s: updated (what recognises renamed concepts)", shown)

    def _add_redirects(self, result: BuildResult, files: Files, config: MkDocsConfig) -> None:
        """A page at each old address that leads to where it went: static HTML (a meta refresh
        after a short notice, a canonical link, a visible link), so it works on any host."""
        for redirect in result.redirects:
            target = files.get_file_from_path(redirect.target)
            if target is None or files.get_file_from_path(redirect.page) is not None:
                continue
            stem = redirect.page.removesuffix(".md")
            src = f"{stem}/index.html" if config.use_directory_urls else f"{stem}.html"
            if files.get_file_from_path(src) is not None:
                continue
            page = File.generated(config, src, content="")
            url = get_relative_url(target.url, page.url)
            canonical = (config.site_url or "").rstrip("/") + "/" + target.url
            page.content_string = redirect_page(
                redirect.title, url, canonical if config.site_url else None
            )
            files.append(page)

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

    def _add_search_assets(self, files: Files, config: MkDocsConfig) -> None:
        for asset in sorted(SEARCH_ASSETS.glob("*")):
            if asset.is_file() and asset.suffix in (".js", ".css"):
                files.append(
                    File.generated(config, f"{SEARCH_DIR}/{asset.name}", abs_src_path=str(asset))
                )

    def _add_graph_assets(self, files: Files, config: MkDocsConfig) -> None:
        """The graph's script and style, and its renderer's single dist file (npm's, pinned)."""
        for asset in sorted(GRAPH_ASSETS.glob("*")):
            if asset.is_file() and asset.suffix in (".js", ".css"):
                files.append(
                    File.generated(config, f"{GRAPH_DIR}/{asset.name}", abs_src_path=str(asset))
                )
        package = self._root(config) / FORCE_GRAPH_NPM
        version = npm_package_version(package)
        if version != FORCE_GRAPH_VERSION:
            raise PluginError(
                f"force-graph {FORCE_GRAPH_VERSION} (the concept graph's renderer) is not at "
                f"{package} (found: {version}); run `bash scripts/site.sh` (it installs it)"
            )
        dist = package / "dist" / "force-graph.min.js"
        files.append(File.generated(config, FORCE_GRAPH_SERVED, abs_src_path=str(dist)))

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        if page.file.src_uri in self._generated:
            page.render = _render_or_show_source(page.render, page)  # type: ignore[method-assign]
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
            if file.generated_by is None:
                if not keep_unchanged:
                    # A page from docs/ holds the nav too: rebuild it whatever its mtime.
                    file.is_modified = always(True)  # type: ignore[method-assign]
                continue
            reusable = keep_unchanged and self._reuse.is_unchanged(file.src_uri)
            file.is_modified = always(not reusable)  # type: ignore[method-assign]
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
        written = write_search_index(site / SEARCH_DIR, self._search_pages(pages))
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
        folder = site / GRAPH_DIR
        previous = None
        if self._reuse.enabled and self._graph_written and self._graph_written[0] == folder:
            previous = self._graph_written[1]
        made_from = (graph, config.use_directory_urls)
        last, last_files = self._graph_files
        if previous is not None and last == made_from:
            # The pipeline reused the graph (no name and no link changed): so are its files
            # (the pinyin comes from the names).
            files = last_files
        else:
            pinyin = {url: page.pinyin for url, page in self._search_names.items()}
            # Only links changed: the local files no changed link reaches are kept.
            earlier = (
                (last[0], last_files)
                if last is not None and last[1] == config.use_directory_urls
                else None
            )
            files = graph_files(graph, related, pinyin, config.use_directory_urls, earlier)
        self._graph_files = (made_from, files)
        self._graph_written = None  # until written: a failed write leaves nothing to trust
        size = write_graph_files(folder, files, previous)
        self._graph_written = (folder, files)
        log.info(
            "concept graph: %d nodes, %d edges, %d files, %d KB in %.2f s",
            len(graph.nodes),
            graph.edge_count(),
            len(files),
            round(size / 1000),
            time.perf_counter() - start,
        )

    def _record_sections(self, url: str, title: str, body_html: str) -> None:
        start = time.perf_counter()
        self._search_sections[url] = (title, page_sections(body_html, title))
        self._sections_seconds += time.perf_counter() - start

    def _search_pages(self, urls: Iterable[str]) -> list[SearchPage]:
        found = {}
        kinds = {f.page.url: f.src_uri for f in self._files.documentation_pages() if f.page}
        for url in urls:
            if url not in self._search_sections:
                continue
            title, sections = self._search_sections[url]
            names = self._search_names.get(url)
            kind = page_kind(kinds.get(url, ""))
            if names is not None:
                found[url] = dataclasses.replace(names, sections=sections)
            elif kind == "note" and url in self._note_names:
                name = self._note_names[url]
                found[url] = SearchPage(url, name, kind, sections, note=name)
            elif kind in LISTING_KINDS:
                # Its text is other pages' titles: found by its name only.
                found[url] = SearchPage(url, title, kind, (Section("", title, ""),))
            else:
                found[url] = SearchPage(url, title, kind, sections)
        return ordered_pages(found)

    def on_build_error(self, *, error: Exception) -> None:
        self._reuse.forget()
        self._graph_written = None

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
