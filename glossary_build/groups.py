"""Group pages: one per group heading (by its full path), listing every concept under it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from . import urls
from .emit import group_path
from .slugs import slugify, unique_slugs
from .types import Entry, PagePath, Slug, UrlMap

__all__ = ["GroupPage", "GroupSlugs", "group_pages"]

GroupSlugs = dict[Slug, tuple[str, bool]]
"""The groups part of a URL map: each slug's group title and whether it is gone."""


class GroupPage(NamedTuple):
    """A group's page: its title (the group path joined by ›), its path and its concepts."""

    title: str
    path: PagePath
    members: list[Entry]


def group_pages(
    entries: Sequence[Entry], url_map: UrlMap | None = None
) -> tuple[list[GroupPage], GroupSlugs]:
    """A page per group heading (by its full path), listing every concept filed under it;
    with a URL map, the groups part of the updated map."""
    # A dict per group as an ordered set: `entry in list` made 2,000 concepts of one group
    # 2 million comparisons of entries.
    members: dict[tuple[str, ...], dict[Slug, Entry]] = {}
    for entry in entries:
        for path in dict.fromkeys(p.concept.groups for p in entry.parts):
            for depth in range(1, len(path) + 1):
                members.setdefault(path[:depth], {}).setdefault(entry.slug, entry)
    titles = [" › ".join(path) for path in members]
    slugs = unique_slugs([(slugify(t) or Slug("group"), "group") for t in titles])
    groups_map: GroupSlugs = {}
    if url_map is not None:
        slugs, groups_map = urls.keyed_slugs(titles, slugs, url_map.groups)
    pages = [
        GroupPage(title, group_path(slug), list(group.values()))
        for title, slug, group in zip(titles, slugs, members.values(), strict=True)
    ]
    return pages, groups_map
