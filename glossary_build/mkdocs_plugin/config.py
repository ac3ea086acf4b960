"""The plugin's options in mkdocs.yml, validated when the config is loaded."""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..codes import Code, unknown_codes
from ..katex import DEFAULT_CACHE_DIR, DEFAULT_NPM_KATEX, ENGINES
from ..urls import DEFAULT_URL_MAP

__all__ = ["GlossaryPluginConfig", "QuietCodes"]


class QuietCodes(base.BaseConfigOption[list[str]]):
    """A list of diagnostic codes (glossary_build/codes.py): a typo is a config error that
    names the valid codes, not a warning that silently stays loud."""

    def __init__(self) -> None:
        super().__init__()
        self.default = []

    def run_validation(self, value: object) -> list[str]:
        """The codes listed, or a config error naming the unknown ones and every valid code."""
        if value is None:
            return []
        unknown = unknown_codes(value)
        if unknown:
            raise base.ValidationError(
                f"unknown diagnostic code(s) {', '.join(unknown)}; the codes are: "
                + ", ".join(code.value for code in Code)
            )
        names: list[Any] = list(value)  # type: ignore[call-overload]
        return [str(name) for name in names]


class GlossaryPluginConfig(base.Config):
    """``plugins: - glossary: …`` in mkdocs.yml (README's "Commands and options")."""

    concepts_dir = c.Type(str, default="concepts")
    """Where the notes are, relative to mkdocs.yml."""
    quiet = QuietCodes()
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
