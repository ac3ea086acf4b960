"""The MkDocs adapter, the one package that knows MkDocs and Material.

``GlossaryPlugin`` (entry point ``glossary`` in pyproject.toml) runs the core's
:func:`glossary_build.build` and hands MkDocs the pages; the modules beside it each do one job
of the adapter:

* :mod:`.plugin`: the event methods, and the state kept across ``mkdocs serve`` rebuilds;
* :mod:`.config`: the options in mkdocs.yml, ``quiet`` checked against the diagnostic codes;
* :mod:`.assets`: KaTeX's CSS and fonts, the search box and the graph, served by the site;
* :mod:`.addresses`: the URL map written back, redirect pages at removed pages' addresses;
* :mod:`.notices`: a note's problems shown on its pages under ``mkdocs serve``;
* :mod:`.search` and :mod:`.site_files`: the search records and the files written after the
  pages (search index, graph);
* :mod:`.files`: pages whose rebuild under ``--dirty`` the plugin decides;
* :mod:`.material`: everything assumed of the Material theme, pinned to one version.
"""

from __future__ import annotations

from .assets import FORCE_GRAPH_NPM, FORCE_GRAPH_SERVED, FORCE_GRAPH_VERSION, GRAPH_ASSETS
from .plugin import GlossaryPlugin

__all__ = [
    "FORCE_GRAPH_NPM",
    "FORCE_GRAPH_SERVED",
    "FORCE_GRAPH_VERSION",
    "GRAPH_ASSETS",
    "GlossaryPlugin",
]
