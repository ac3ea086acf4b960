"""Every published address keeps working: the URL map written back, a page at each old address."""

from __future__ import annotations

import html
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from ..types import BuildResult
from ..urls import dumps

__all__ = [
    "add_redirects",
    "keep_url_map",
    "redirect_page",
]

log = get_plugin_logger("glossary_build.mkdocs_plugin")


def keep_url_map(
    result: BuildResult, path: Path, shown: str, *, serving: bool, strict: bool
) -> None:
    """Write the updated URL map (not while serving: a concept half typed would become a
    redirect). A change of URLs is a warning under `--strict`: CI fails while the
    committed map is stale; digests alone changing are not (see urls.py)."""
    if result.url_map is None:
        return
    changed = "; ".join(result.url_changes[:5]) + (
        f"; and {len(result.url_changes) - 5} more" if len(result.url_changes) > 5 else ""
    )
    if serving:
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
        report = log.warning if strict else log.info
        report(
            "%s: updated, URLs changed (%s); commit it, so that the published site keeps "
            "these URLs",
            shown,
            changed,
        )
    else:
        log.info("%s: updated (what recognises renamed concepts)", shown)


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


def add_redirects(result: BuildResult, files: Files, config: MkDocsConfig) -> None:
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
