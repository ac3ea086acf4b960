"""Stage 6: render Markdown pages (concept pages, note pages, home page) and the nav."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from .math import expand_math
from .normalize import HEADING_ATTRIBUTES_RE
from .text import escape_markdown
from .types import Formula, Line, NoteOutline, PagePath, PageRef, Slug

CONCEPTS_DIR = "concepts"
NOTES_DIR = "notes"
HOME_PAGE = PagePath("index.md")


def concept_path(slug: Slug) -> PagePath:
    return PagePath(f"{CONCEPTS_DIR}/{slug}.md")


def note_path(note_slug: Slug) -> PagePath:
    return PagePath(f"{NOTES_DIR}/{note_slug}.md")


def relative_link(from_page: PagePath, to_page: PagePath) -> str:
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def _front_matter(data: Mapping[str, Any]) -> str:
    dumped = yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False).strip()
    return f"---\n{dumped}\n---\n"


def _body_text(lines: Iterable[Line], formulas: Sequence[Formula]) -> str:
    return expand_math("\n".join(line.text for line in lines), formulas).strip("\n")


def plain_title(title: str, formulas: Sequence[Formula]) -> str:
    """A title for places that show no Markdown (nav, browser tab): formulas as bare TeX."""
    return expand_math(title, formulas, plain=True)


def render_concept(ref: PageRef, note_page: PagePath, formulas: Sequence[Formula]) -> str:
    concept = ref.concept
    heading = concept.heading
    h1 = expand_math(escape_markdown(heading.title), formulas)
    parts = [_front_matter({"title": plain_title(heading.title, formulas)}), f"# {h1}\n"]
    facts: list[str] = []
    if heading.aliases:
        facts.append(
            "别名 / Aliases: " + " · ".join(f"**{escape_markdown(a)}**" for a in heading.aliases)
        )
    if concept.groups:
        facts.append("分类 / Group: " + " › ".join(escape_markdown(g) for g in concept.groups))
    if heading.status:
        facts.append("标记 / Status: " + " ".join(f"`{s}`" for s in heading.status))
    if facts:
        parts.append('<div class="gb-facts" markdown>\n\n' + "  \n".join(facts) + "\n\n</div>\n")
    body = _body_text(concept.body, formulas)
    if body:
        parts.append(body + "\n")
    for sub in concept.subsections:
        parts.append(f"{'#' * min(6, sub.depth + 1)} {expand_math(sub.title, formulas)}\n")
        sub_body = _body_text(sub.body, formulas)
        if sub_body:
            parts.append(sub_body + "\n")
    if concept.is_empty:
        parts.append(
            '<p class="gb-empty">（此条目在笔记中暂无内容 / this entry has no text yet）</p>\n'
        )
    link = relative_link(ref.path, note_page)
    as_written = ""
    written = HEADING_ATTRIBUTES_RE.sub("", concept.raw_heading).strip()
    written = expand_math(written, formulas, plain=True)
    if written != plain_title(heading.title, formulas):
        # The heading as the author wrote it (theme attributes aside): the title is cleaned up.
        as_written = f" · 原标题 / as written: {escape_markdown(written)}"
    parts.append(
        '<p class="gb-source" markdown>来源 / Source: '
        f"[{escape_markdown(concept.note)}]({link}) · "
        f"第 {concept.span.line} 行 / line {concept.span.line}{as_written}</p>\n"
    )
    return "\n".join(parts)


def render_note(outline: NoteOutline, page: PagePath, refs: Sequence[PageRef]) -> str:
    name = outline.source.name
    parts = [_front_matter({"title": name}), f"# {escape_markdown(name)}\n"]
    meta = _front_matter_facts(outline.front_matter)
    if meta:
        parts.append('<div class="gb-facts" markdown>\n\n' + "  \n".join(meta) + "\n\n</div>\n")
    parts.append(
        f"来源文件 / Source file: `{outline.source.path}` · "
        f"{len(outline.concepts)} 个概念 / concepts\n"
    )
    preamble = _body_text(outline.preamble, outline.formulas)
    if preamble:
        parts.append(preamble + "\n")
    current: tuple[str, ...] = ()
    for ref in refs:
        groups = ref.concept.groups
        if groups != current:
            for depth in range(len(groups)):
                if groups[: depth + 1] != current[: depth + 1]:
                    parts.append(f"{'#' * min(6, depth + 2)} {escape_markdown(groups[depth])}\n")
            current = groups
        link = relative_link(page, ref.path)
        title = plain_title(ref.concept.title, outline.formulas)
        parts.append(
            f"- [{escape_markdown(title)}]({link}) <small>第 {ref.concept.span.line} 行</small>"
        )
    return "\n".join(parts) + "\n"


# Front-matter keys a reader cares about; the rest (theme colours, plugins) is for other tools.
SHOWN_FRONT_MATTER = ("title", "intro", "description", "author", "date", "tags", "categories")


def _front_matter_facts(front_matter: Mapping[str, Any]) -> list[str]:
    facts = []
    for key in SHOWN_FRONT_MATTER:
        if key not in front_matter:
            continue
        value = front_matter[key]
        if isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            shown = ", ".join(f"{k}: {v}" for k, v in value.items())
        else:
            shown = str(value).strip()
        facts.append(f"**{escape_markdown(str(key))}**: {escape_markdown(shown)}")
    return facts


def render_home(
    site_name: str,
    notes: Sequence[tuple[NoteOutline, PagePath]],
    total_concepts: int,
) -> str:
    parts = [
        _front_matter({"title": site_name}),
        f"# {escape_markdown(site_name)}\n",
        f"{total_concepts} 个概念，来自 {len(notes)} 篇笔记。"
        f" / {total_concepts} concepts from {len(notes)} notes.\n",
        "## 笔记 / Notes\n",
    ]
    for outline, page in notes:
        line = (
            f"- [{escape_markdown(outline.source.name)}]({relative_link(HOME_PAGE, page)})"
            f" — {len(outline.concepts)} 个概念"
        )
        top_groups = [g for g in outline.groups if len(g) == 1]
        if top_groups:
            line += "：" + "、".join(escape_markdown(g[0]) for g in top_groups)
        parts.append(line)
    return "\n".join(parts) + "\n"


def build_nav(
    notes: Sequence[tuple[NoteOutline, PagePath, Sequence[PageRef]]],
) -> tuple[Any, ...]:
    """Nav: home, then one section per note, with a sub-section per group heading."""
    nav: list[Any] = [{"首页": HOME_PAGE}]
    for outline, page, refs in notes:
        entries: list[Any] = [{"概览 / Overview": page}]
        sections: dict[tuple[str, ...], list[Any]] = {(): entries}
        for ref in refs:
            target = entries
            for depth in range(len(ref.concept.groups)):
                key = ref.concept.groups[: depth + 1]
                if key not in sections:
                    sections[key] = []
                    sections[key[:-1]].append({key[-1]: sections[key]})
                target = sections[key]
            target.append({plain_title(ref.concept.title, outline.formulas): ref.path})
        nav.append({outline.source.name: entries})
    return tuple(nav)


__all__ = [
    "build_nav",
    "concept_path",
    "note_path",
    "render_concept",
    "render_home",
    "render_note",
]
