"""Stage 6: render the Markdown pages: concepts, notes, groups, home and the map (nav: nav.py)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from .markdown_syntax import HEADING_ATTRIBUTES_RE
from .math import expand_math
from .text import escape_markdown, html_text
from .types import Concept, Entry, Formula, GroupHeading, Line, NoteOutline, PagePath, Part, Slug

CONCEPTS_DIR = "concepts"
NOTES_DIR = "notes"
GROUPS_DIR = "groups"
HOME_PAGE = PagePath("index.md")
INDEX_PAGE = PagePath("terms.md")
GRAPH_PAGE = PagePath("graph/index.md")
"""The whole-glossary map, at ``graph/`` beside the graph's data (graph.json)."""
GRAPH_TITLE = "概念图谱"


def concept_path(slug: Slug) -> PagePath:
    """The page of the concept ``slug``: ``concepts/<slug>.md``."""
    return PagePath(f"{CONCEPTS_DIR}/{slug}.md")


def note_path(note_slug: Slug) -> PagePath:
    """The page of the note ``note_slug``: ``notes/<slug>.md``."""
    return PagePath(f"{NOTES_DIR}/{note_slug}.md")


def group_path(group_slug: Slug) -> PagePath:
    """The page of the group ``group_slug``: ``groups/<slug>.md``."""
    return PagePath(f"{GROUPS_DIR}/{group_slug}.md")


@functools.lru_cache(maxsize=1 << 16)  # a page links to few others, from few directories
def relative_link(from_page: PagePath, to_page: PagePath) -> str:
    """The link from ``from_page`` to ``to_page``, relative, as Markdown links take it."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


# libyaml's emitter (bundled with PyYAML's wheels) when there is one: 1 page in 5 of our
# step's time at 2,000 concepts went to the pure-Python one.
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def page_front_matter(data: Mapping[str, Any]) -> str:
    """Front matter; the title, which Material inserts as HTML (the header and `<title>`),
    as HTML text."""
    meta = dict(data)
    if isinstance(meta.get("title"), str):
        meta["title"] = str(html_text(meta["title"]))
    dumped = yaml.dump(meta, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False).strip()
    return f"---\n{dumped}\n---\n"


def _body_text(lines: Iterable[Line], formulas: Sequence[Formula]) -> str:
    return expand_math("\n".join(line.text for line in lines), formulas).strip("\n")


def plain_title(title: str, formulas: Sequence[Formula]) -> str:
    """A title for places that show no Markdown (nav, browser tab): formulas as bare TeX."""
    return expand_math(title, formulas, plain=True)


def _part_text(part: Part, depth_offset: int) -> list[str]:
    concept, formulas = part.concept, part.formulas
    out = []
    body = _body_text(concept.body, formulas)
    if body:
        out.append(body + "\n")
    for sub in concept.subsections:
        level = "#" * min(6, sub.depth + 1 + depth_offset)
        out.append(f"{level} {expand_math(sub.title, formulas)}\n")
        sub_body = _body_text(sub.body, formulas)
        if sub_body:
            out.append(sub_body + "\n")
    return out


def _as_written(part: Part) -> str:
    """The heading as the author wrote it (theme attributes aside), if the title differs."""
    written = HEADING_ATTRIBUTES_RE.sub("", part.concept.raw_heading).strip()
    written = expand_math(written, part.formulas, plain=True)
    if written == plain_title(part.concept.title, part.formulas):
        return ""
    return escape_markdown(written)


def _source(part: Part, page: PagePath, note_pages: Mapping[str, PagePath]) -> str:
    concept = part.concept
    link = relative_link(page, note_pages[concept.span.path])
    line = concept.span.line
    text = f"[{escape_markdown(concept.note)}]({link}) 第 {line} 行 / line {line}"
    written = _as_written(part)
    return f"{text}（原标题 / as written: {written}）" if written else text


def local_graph_placeholder(slug: Slug) -> str:
    """Where the browser draws a concept's local graph (from ``graph/local/<slug>.json``).
    Ours: a note cannot write it (the sanitizer drops a note's class and data attributes)."""
    return f'<div class="gb-local-graph" data-gb-graph="{slug}"></div>\n'


def render_entry(
    entry: Entry,
    note_pages: Mapping[str, PagePath],
    referenced_by: Sequence[Entry],
    related: Sequence[tuple[Entry, str]] = (),
) -> str:
    """A concept's page: every source's text (identical ones once), facts, its local graph,
    sources, related concepts (with the reason for each), backlinks."""
    primary = entry.parts[0]
    named = entry.title_part
    h1 = expand_math(escape_markdown(entry.title), named.formulas)
    title = plain_title(entry.title, named.formulas)
    aliases = [plain_title(a, primary.formulas) for a in entry.aliases]
    meta = {"title": title}
    out = [page_front_matter(meta), f"# {h1}\n"]
    facts: list[str] = []
    if aliases:
        facts.append("别名 / Aliases: " + " · ".join(f"**{escape_markdown(a)}**" for a in aliases))
    groups = list(dict.fromkeys(p.concept.groups for p in entry.parts if p.concept.groups))
    if groups:
        shown = ["› ".join(escape_markdown(g) for g in path) for path in groups]
        facts.append("分类 / Group: " + "；".join(shown))
    status = list(dict.fromkeys(s for p in entry.parts for s in p.concept.heading.status))
    if status:
        facts.append("标记 / Status: " + " ".join(f"`{s}`" for s in status))
    if facts:
        out.append('<div class="gb-facts" markdown>\n\n' + "  \n".join(facts) + "\n\n</div>\n")
    out.append(local_graph_placeholder(entry.slug))
    out.extend(_part_text(primary, 0))
    for part in entry.parts[1:]:
        if part.same_as is not None:
            continue
        concept = part.concept
        title = escape_markdown(plain_title(concept.title, part.formulas))
        out.append(
            f"## {title} · {escape_markdown(concept.note)} 第 {concept.span.line} 行"
            " { .gb-version }\n"
        )
        out.extend(_part_text(part, 1))
    if all(p.concept.is_empty for p in entry.parts):
        out.append(
            '<p class="gb-empty">（此条目在笔记中暂无内容 / this entry has no text yet）</p>\n'
        )
    sources = []
    for part in entry.parts:
        source = _source(part, entry.path, note_pages)
        if part.same_as is not None:
            source += " · 内容相同 / same text"
        sources.append(source)
    # The source line and the backlinks are for finding one's way, not for search (the index
    # leaves out .gb-source and .gb-backlinks: glossary_build/search_index.py).
    out.append('<p class="gb-source" markdown>来源 / Source: ' + "；".join(sources) + "</p>\n")
    if related:
        # What the local graph shows, as text: for readers without it and for print (left
        # out of the search index like the backlinks).
        out.append("## 相关概念 { .gb-related }\n")
        out.extend(
            f"- [{escape_markdown(plain_title(e.title, e.title_part.formulas))}]"
            f"({relative_link(entry.path, e.path)}) · {escape_markdown(reason)}"
            for e, reason in related
        )
        out.append("")
    if referenced_by:
        out.append("## 被引用 / Referenced by { .gb-backlinks }\n")
        out.extend(
            f"- [{escape_markdown(plain_title(e.title, e.title_part.formulas))}]"
            f"({relative_link(entry.path, e.path)})"
            for e in referenced_by
        )
        out.append("")
    return "\n".join(out)


def render_note(
    outline: NoteOutline, page: PagePath, pages: Mapping[tuple[str, int], Entry]
) -> str:
    """A note's overview: its front matter, text before the first heading, its outline."""
    name = outline.source.name
    parts = [
        page_front_matter({"title": name}),
        f"# {escape_markdown(name)}\n",
    ]
    facts = _front_matter_facts(outline.front_matter)
    if facts:
        parts.append('<div class="gb-facts" markdown>\n\n' + "  \n".join(facts) + "\n\n</div>\n")
    parts.append(
        f"来源文件 / Source file: `{outline.source.path}` · "
        f"{len(outline.concepts)} 个概念 / concepts\n"
    )
    preamble = _body_text(outline.preamble, outline.formulas)
    if preamble:
        parts.append(preamble + "\n")
    # Every group heading as written where the note has it (also one without concepts),
    # then its concepts.
    headings: list[GroupHeading | Concept] = [*outline.group_headings, *outline.concepts]
    for item in sorted(headings, key=lambda h: h.span.line):
        if isinstance(item, GroupHeading):
            level = "#" * min(6, len(item.path) + 1)
            parts.append(f"{level} {escape_markdown(item.written)}\n")
            continue
        concept = item
        entry = pages[(concept.span.path, concept.span.line)]
        title = plain_title(concept.title, outline.formulas)
        parts.append(
            f"- [{escape_markdown(title)}]({relative_link(page, entry.path)})"
            f" <small>第 {concept.span.line} 行</small>"
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
    """The home page: the site's name, how many concepts, and a line per note with its groups."""
    parts = [
        page_front_matter({"title": site_name}),
        f"# {escape_markdown(site_name)}\n",
        f"{total_concepts} 个概念，来自 {len(notes)} 篇笔记。"
        f" / {total_concepts} concepts from {len(notes)} notes."
        f" [索引 / Index]({relative_link(HOME_PAGE, INDEX_PAGE)})"
        f" · [{GRAPH_TITLE} / Concept map]({relative_link(HOME_PAGE, GRAPH_PAGE)})\n",
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


def render_graph_page(total_concepts: int, cross_links: int) -> str:
    """The map of every concept: the browser draws it into the placeholder from
    ``graph/graph.json``; the sentence says what it shows where it cannot."""
    return (
        page_front_matter({"title": GRAPH_TITLE}) + f"\n# {GRAPH_TITLE}\n\n"
        f"全部 {total_concepts} 个概念与它们之间的 {cross_links} 条交叉链接，按笔记与分类着色；"
        f"可按名称或拼音查找，按笔记筛选。"
        f" / Every concept and the {cross_links} cross-links between them.\n\n"
        '<div class="gb-map" data-gb-map></div>\n'
    )


def render_group(title: str, page: PagePath, entries: Sequence[Entry]) -> str:
    """A group's page: its title, its aliases, and a link to every concept under it."""
    lines = [page_front_matter({"title": title})]
    lines.append(f"# {escape_markdown(title)}\n")
    aliases = _group_aliases(title, entries)
    if aliases:
        shown = " · ".join(f"**{escape_markdown(a)}**" for a in aliases)
        lines.append(f'<div class="gb-facts" markdown>\n\n别名 / Aliases: {shown}\n\n</div>\n')
    lines.append(f"{len(entries)} 个概念 / concepts\n")
    lines.extend(
        f"- [{escape_markdown(plain_title(e.title, e.title_part.formulas))}]"
        f"({relative_link(page, e.path)})"
        for e in entries
    )
    return "\n".join(lines) + "\n"


def _group_aliases(title: str, entries: Sequence[Entry]) -> list[str]:
    """The aliases its headings give the group ``title`` (`A › B`), in every note."""
    aliases: list[str] = []
    for entry in entries:
        for part in entry.parts:
            concept = part.concept
            for depth, names in enumerate(concept.group_aliases):
                if " › ".join(concept.groups[: depth + 1]) == title:
                    aliases.extend(names)
    return list(dict.fromkeys(aliases))


__all__ = [
    "CONCEPTS_DIR",
    "GRAPH_PAGE",
    "GRAPH_TITLE",
    "GROUPS_DIR",
    "HOME_PAGE",
    "INDEX_PAGE",
    "NOTES_DIR",
    "SHOWN_FRONT_MATTER",
    "concept_path",
    "group_path",
    "local_graph_placeholder",
    "note_path",
    "page_front_matter",
    "plain_title",
    "relative_link",
    "render_entry",
    "render_graph_page",
    "render_group",
    "render_home",
    "render_note",
]
