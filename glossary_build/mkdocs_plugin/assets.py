"""What the site serves itself besides its pages: KaTeX's CSS and fonts, the search box, the graph.

Nothing is loaded from another host: each browser library comes from npm (installed by
scripts/_venv.sh into ``.cache/npm``) at the exact version the build checks here.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..katex import npm_package_version

__all__ = [
    "FORCE_GRAPH_NPM",
    "FORCE_GRAPH_SERVED",
    "FORCE_GRAPH_VERSION",
    "GRAPH_ASSETS",
    "GRAPH_DIR",
    "KATEX_ASSETS",
    "SEARCH_ASSETS",
    "SEARCH_DIR",
    "add_graph_assets",
    "add_katex_assets",
    "add_search_assets",
    "register_styles_and_scripts",
]

_PACKAGE_ASSETS = Path(__file__).resolve().parent.parent / "assets"

KATEX_ASSETS = "assets/katex"
"""Where KaTeX's CSS and fonts are served."""
SEARCH_DIR = "search"
"""Where the search index and the box's script and style go."""
SEARCH_ASSETS = _PACKAGE_ASSETS / "search"
"""The search box's script and style (served from the site, as ``search/*``)."""
GRAPH_DIR = "graph"
"""Where the concept graph's data goes (graph.json, local/<slug>.json; GRAPH-FORMAT.md)."""
GRAPH_ASSETS = _PACKAGE_ASSETS / "graph"
"""The concept graph's script and style (served from the site, as ``graph/*``)."""
FORCE_GRAPH_VERSION = "1.52.0"
"""The concept graph's renderer, installed from npm by scripts/_venv.sh (this exact version:
benchmarks/graph_render.py chose it and measures it)."""
FORCE_GRAPH_NPM = Path(".cache") / "npm" / "node_modules" / "force-graph"
"""Where npm installed force-graph, relative to mkdocs.yml."""
FORCE_GRAPH_SERVED = "assets/vendor/force-graph/force-graph.min.js"
"""Where the site serves force-graph's single dist file."""


def register_styles_and_scripts(config: MkDocsConfig) -> None:
    """Put KaTeX's CSS, the search box and the graph's script and style on every page."""
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


def add_katex_assets(files: Files, config: MkDocsConfig, package: Path, version: str) -> None:
    """Serve KaTeX's CSS and fonts from the site itself, of the ``version`` that rendered."""
    dist = package / "dist"
    found = npm_package_version(package)
    if found is None:
        raise PluginError(
            f"KaTeX's CSS and fonts are not at {dist}; run `bash scripts/site.sh` "
            f"(it runs `npm install katex@{version}`)"
        )
    if found != version:
        raise PluginError(
            f"KaTeX CSS {found} at {dist} does not match the renderer's KaTeX "
            f"{version}; install katex@{version}"
        )
    assets = [dist / "katex.min.css", *sorted((dist / "fonts").glob("*.woff2"))]
    for asset in assets:
        relative = asset.relative_to(dist).as_posix()
        files.append(File.generated(config, f"{KATEX_ASSETS}/{relative}", abs_src_path=str(asset)))


def _add_folder(files: Files, config: MkDocsConfig, folder: Path, served_as: str) -> None:
    for asset in sorted(folder.glob("*")):
        if asset.is_file() and asset.suffix in (".js", ".css"):
            files.append(
                File.generated(config, f"{served_as}/{asset.name}", abs_src_path=str(asset))
            )


def add_search_assets(files: Files, config: MkDocsConfig) -> None:
    """The search box's script and style."""
    _add_folder(files, config, SEARCH_ASSETS, SEARCH_DIR)


def add_graph_assets(files: Files, config: MkDocsConfig, root: Path) -> None:
    """The graph's script and style, and its renderer's single dist file (npm's, pinned)."""
    _add_folder(files, config, GRAPH_ASSETS, GRAPH_DIR)
    package = root / FORCE_GRAPH_NPM
    version = npm_package_version(package)
    if version != FORCE_GRAPH_VERSION:
        raise PluginError(
            f"force-graph {FORCE_GRAPH_VERSION} (the concept graph's renderer) is not at "
            f"{package} (found: {version}); run `bash scripts/site.sh` (it installs it)"
        )
    dist = package / "dist" / "force-graph.min.js"
    files.append(File.generated(config, FORCE_GRAPH_SERVED, abs_src_path=str(dist)))
