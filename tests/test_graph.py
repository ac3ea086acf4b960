"""The concept graph as data (glossary_build/graph.py), related concepts (related.py), the
JSON files of graph/ (graph_json.py), and what the real site ships of it."""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary_build import graph as g
from glossary_build import graph_json as gj
from glossary_build import related as r
from glossary_build.emit import concept_path
from glossary_build.incremental import BuildCache
from glossary_build.mkdocs_plugin.site_files import write_graph_files
from glossary_build.pipeline import build_from_sources
from glossary_build.search_terms import page_location
from glossary_build.types import Concept, Entry, Heading, PagePath, Part, Slug, SourceFile, Span

from .helpers import render_page

NOTE_PAGES = {"concepts/a.md": PagePath("notes/a.md"), "concepts/b.md": PagePath("notes/b.md")}


def entry(
    slug: str,
    *,
    groups: tuple[str, ...] = (),
    notes: Sequence[str] = ("a",),
    title: str | None = None,
) -> Entry:
    parts = tuple(
        Part(
            Concept(
                heading=Heading(title or slug.upper()),
                raw_heading=title or slug.upper(),
                note=note,
                groups=groups,
                span=Span(f"concepts/{note}.md", line),
                body=(),
            ),
            (),
        )
        for line, note in enumerate(notes, start=1)
    )
    return Entry(Slug(slug), concept_path(Slug(slug)), parts)


def graph_of(
    entries: Sequence[Entry], links: Mapping[str, Sequence[str]]
) -> tuple[g.ConceptGraph, dict[str, int]]:
    index = {e.slug: i for i, e in enumerate(entries)}
    by_index = {index[Slug(s)]: [index[Slug(t)] for t in ts] for s, ts in links.items()}
    return g.concept_graph(entries, by_index, NOTE_PAGES), index


def slugs(graph: g.ConceptGraph, indices: Sequence[int]) -> list[str]:
    return [graph.nodes[i].slug for i in indices]


# --- the graph ----------------------------------------------------------------------------


def test_links_once_no_self_loop_and_degree_counts_neighbours_either_way() -> None:
    graph, at = graph_of(
        [entry(s) for s in "abcd"], {"a": ["b", "b", "a", "c"], "b": ["a"], "d": ["a"]}
    )
    assert slugs(graph, graph.links[at["a"]]) == ["b", "c"]
    assert graph.degree(at["a"]) == 3  # b (both ways), c, d
    assert graph.degree(at["b"]) == 1
    assert graph.edge_count() == 4


def test_group_label_names_the_note_then_the_groups() -> None:
    graph, at = graph_of([entry("a", groups=("激活函数", "ReLU 族")), entry("b")], {})
    assert graph.nodes[at["a"]].group == "a / 激活函数 / ReLU 族"
    assert graph.nodes[at["b"]].group == ""


# --- neighbourhood ------------------------------------------------------------------------


def test_neighbourhood_is_two_hops_of_links_either_way() -> None:
    graph, at = graph_of(
        [entry(s) for s in "abcde"], {"a": ["b"], "c": ["b"], "d": ["c"], "e": ["e"]}
    )
    hood = g.neighbourhood(graph, at["a"])
    assert [(graph.nodes[i].slug, hop) for i, hop in hood.concepts] == [
        ("a", 0),
        ("b", 1),
        ("c", 2),
    ]
    assert (hood.depth, hood.capped, hood.total) == (2, False, 3)
    assert set(hood.edges) == {(0, 1, "link"), (2, 1, "link")}


def test_a_big_first_ring_is_capped_at_depth_one_by_degree_then_page() -> None:
    leaves = [f"n{i:02d}" for i in range(50)]
    # Two leaves with more links than the others: they are kept whatever their name.
    entries = [entry("center"), *(entry(s) for s in leaves), entry("x"), entry("y")]
    graph, at = graph_of(entries, {"center": leaves, "x": ["n49", "n48"], "y": ["n49", "n48", "x"]})
    hood = g.neighbourhood(graph, at["center"], cap=10)
    kept = [graph.nodes[i].slug for i, _ in hood.concepts]
    assert (hood.depth, hood.capped, hood.total) == (1, True, 51)
    assert kept == ["center", "n48", "n49", *leaves[:7]]
    assert len(kept) == 10


def test_depth_two_is_capped_after_the_whole_first_ring() -> None:
    entries = [entry("c")]
    links: dict[str, list[str]] = {"c": []}
    for i in range(5):
        ring = f"r{i}"
        entries.append(entry(ring))
        links["c"].append(ring)
        links[ring] = [f"s{i}{j}" for j in range(6)]
        entries.extend(entry(f"s{i}{j}") for j in range(6))
    graph, at = graph_of(entries, links)
    hood = g.neighbourhood(graph, at["c"], cap=12)
    hops = [hop for _, hop in hood.concepts]
    assert hops == [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
    assert (hood.depth, hood.capped, hood.total) == (2, True, 36)


def test_group_siblings_are_joined_to_the_center_unless_linked() -> None:
    entries = [entry(s, groups=("G",)) for s in "abc"] + [entry("d")]
    graph, at = graph_of(entries, {"a": ["b"], "c": ["d"]})
    hood = g.neighbourhood(graph, at["a"])
    local = {graph.nodes[i].slug: n for n, (i, _) in enumerate(hood.concepts)}
    assert (0, local["c"], "group") in hood.edges
    assert (0, local["b"], "group") not in hood.edges
    assert (0, local["b"], "link") in hood.edges
    assert "d" in local  # hop 2 through the sibling's link


def test_a_merged_entry_has_a_node_per_other_note() -> None:
    graph, at = graph_of([entry("a", notes=("a", "b", "a")), entry("z")], {"a": ["z"]})
    hood = g.neighbourhood(graph, at["a"])
    assert hood.sources == (g.SourceNote("b", PagePath("notes/b.md")),)
    assert (0, 2, "merge") in hood.edges
    data = json.loads(gj.graph_files(graph, r.all_related(graph))["local/a.json"])
    assert data["nodes"][2][:2] == ["notes/b/", "b"]
    assert data["notes"][data["nodes"][2][3]] == "b"


# --- related concepts ---------------------------------------------------------------------


def test_related_by_co_citation_coupling_and_group_with_reasons() -> None:
    entries = [entry(s) for s in ("a", "b", "c", "p", "q", "t", "u")]
    entries += [entry("g1", groups=("G",)), entry("g2", groups=("G",))]
    # p and q link to a and b (co-citation 2); a and c both link to t and u (coupling 2).
    graph, at = graph_of(
        entries, {"p": ["a", "b"], "q": ["a", "b"], "a": ["t", "u"], "c": ["t", "u"]}
    )
    found = {graph.nodes[s.index].slug: s.reason for s in r.related(graph, at["a"])}
    assert found["b"] == "共同引用 2"
    assert found["c"] == "共同链接 2"
    assert "p" not in found and "t" not in found and "a" not in found  # linked, or itself
    (sibling,) = r.related(graph, at["g1"])
    assert (graph.nodes[sibling.index].slug, sibling.reason) == ("g2", "同组")


def test_related_ranks_a_specific_shared_neighbour_above_a_hub() -> None:
    hub_citers = [f"h{i}" for i in range(12)]
    entries = [entry(s) for s in ("a", "rare", "hub", "p", "q", *hub_citers)]
    links: dict[str, list[str]] = {"p": ["a", "rare"], "q": ["a", "hub"]}
    links.update({h: ["hub"] for h in hub_citers})
    graph, at = graph_of(entries, links)
    assert slugs(graph, [s.index for s in r.related(graph, at["a"])]) == ["rare", "hub"]


def test_related_ties_go_by_page_and_stop_at_the_limit() -> None:
    names = ["e", "b", "d", "a", "c", "f", "g"]
    entries = [entry("x"), entry("p"), *(entry(s) for s in names)]
    graph, at = graph_of(entries, {"p": ["x", *names]})
    assert slugs(graph, [s.index for s in r.related(graph, at["x"])]) == list("abcde")


def test_related_does_not_depend_on_the_order_of_the_entries() -> None:
    names = [f"c{i}" for i in range(30)]
    rng = random.Random(7)
    links = {n: rng.sample(names, 4) for n in names}
    groups = {n: (("G",) if i % 3 == 0 else ()) for i, n in enumerate(names)}

    def suggestions(order: list[str]) -> dict[str, list[tuple[str, str]]]:
        graph, _ = graph_of([entry(n, groups=groups[n]) for n in order], links)
        return {
            graph.nodes[i].slug: [(graph.nodes[s.index].slug, s.reason) for s in found]
            for i, found in enumerate(r.all_related(graph))
        }

    shuffled = names[:]
    rng.shuffle(shuffled)
    # Group nearness is by document order, so only ungrouped concepts must agree exactly.
    first, second = suggestions(names), suggestions(shuffled)
    for name in names:
        if not groups[name]:
            assert first[name] == second[name], name


def test_group_siblings_nearest_in_the_note_come_first() -> None:
    entries = [entry(f"m{i}", groups=("G",)) for i in range(200)]
    graph, at = graph_of(entries, {})
    found = r.related(graph, at["m100"])
    # One step away, then two, then three; ties by page (`m101` before `m99`).
    assert slugs(graph, [s.index for s in found]) == ["m101", "m99", "m102", "m98", "m103"]
    assert {s.reason for s in found} == {"同组"}


# --- files --------------------------------------------------------------------------------


def test_graph_json_nodes_by_url_edges_as_index_pairs_and_pinyin() -> None:
    entries = [entry("zeta", groups=("G",)), entry("alpha"), entry("mid", notes=("b",))]
    graph, _ = graph_of(entries, {"zeta": ["alpha", "mid"], "alpha": ["zeta"]})
    files = gj.graph_files(graph, r.all_related(graph), {"concepts/alpha/": ["a er fa"]})
    data = json.loads(files["graph.json"])
    assert [n[0] for n in data["nodes"]] == ["concepts/alpha/", "concepts/mid/", "concepts/zeta/"]
    alpha, mid, zeta = data["nodes"]
    assert alpha[6] == ["a er fa"] and zeta[6] == []
    assert (alpha[4], zeta[4]) == (-1, data["groups"].index("a / G"))
    assert data["notes"][mid[3]] == "b"
    assert [alpha[5], mid[5], zeta[5]] == [1, 1, 2]
    pairs = list(zip(data["edges"][::2], data["edges"][1::2], strict=True))
    assert sorted(pairs) == [(0, 2), (2, 0), (2, 1)]
    assert sorted(files) == ["graph.json", "local/alpha.json", "local/mid.json", "local/zeta.json"]
    assert json.dumps(data, ensure_ascii=False, separators=(",", ":")) == files["graph.json"]


def test_local_files_are_json_whatever_the_names() -> None:
    title = '"引号" \\ </script> \u2028 \x00'
    entries = [entry("a", title=title), entry("b", title="b", notes=("a", "b")), entry("p")]
    graph, _ = graph_of(entries, {"p": ["a", "b"], "b": ["a"]})
    for name, text in gj.graph_files(graph, r.all_related(graph)).items():
        data = json.loads(text)
        assert json.dumps(data, ensure_ascii=False, separators=(",", ":")) == text, name
    local = json.loads(gj.graph_files(graph, r.all_related(graph))["local/b.json"])
    assert [n[1] for n in local["nodes"]] == ["b", title, "P", "b"]


def test_local_file_lists_related_concepts_as_its_nodes() -> None:
    entries = [entry(s) for s in ("a", "b", "p")]
    graph, _ = graph_of(entries, {"p": ["a", "b"]})
    data = json.loads(gj.graph_files(graph, r.all_related(graph))["local/a.json"])
    assert data["related"] == [[2, "共同引用 1"]]
    assert data["nodes"][2][0] == "concepts/b/" and data["nodes"][2][6] == 2


# --- properties ---------------------------------------------------------------------------


_GROUPS = [(), ("G",), ("H",), ("G", "K")]
_NOTES = [("a",), ("b",), ("a", "b")]
MAX_NODES = 14


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[list[Entry], dict[int, list[int]]]:
    # Few, coarse draws: CI runs 2,000 examples.
    kinds = draw(st.lists(st.integers(0, 11), min_size=1, max_size=MAX_NODES))
    entries = [
        entry(f"c{i}", groups=_GROUPS[kind % 4], notes=_NOTES[kind % 3])
        for i, kind in enumerate(kinds)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=40))
    links: dict[int, list[int]] = {}
    for source, target in pairs:
        links.setdefault(source % len(kinds), []).append(target % len(kinds))
    return entries, links


@given(small_graphs(), st.integers(1, 12))
def test_graph_invariants(case: tuple[list[Entry], dict[int, list[int]]], cap: int) -> None:
    entries, links = case
    graph = g.concept_graph(entries, links, NOTE_PAGES)
    n = len(entries)
    for i in range(n):
        expected = {t for t in links.get(i, ()) if t != i} | {
            s for s, ts in links.items() if i in ts and s != i
        }
        assert graph.degree(i) == len(expected)
        hood = g.neighbourhood(graph, i, cap)
        local = len(hood.concepts) + len(hood.sources)
        assert hood.concepts[0] == (i, 0)
        assert local <= max(cap, 1 + len(hood.sources))
        assert hood.capped == (hood.total > local)
        assert all(0 <= s < local and 0 <= t < local and s != t for s, t, _ in hood.edges)
        for index, hop in hood.concepts[1:]:
            if hop == 1:
                assert index in graph.neighbours[i] or index in g.siblings(graph, i)
        found = r.related(graph, i)
        assert len(found) <= r.RELATED_LIMIT
        assert all(s.index != i and s.index not in expected for s in found)
        assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
        assert all(s.score > 0 and s.reason for s in found)
    files = gj.graph_files(graph, r.all_related(graph))
    for text in files.values():  # written by hand as json.dumps writes it
        assert json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")) == text
    data = json.loads(files["graph.json"])
    pairs = list(zip(data["edges"][::2], data["edges"][1::2], strict=True))
    assert len(pairs) == len(set(pairs)) == graph.edge_count()
    assert all(0 <= s < n and 0 <= t < n and s != t for s, t in pairs)
    for number, node in enumerate(data["nodes"]):
        touching = {t for s, t in pairs if s == number} | {s for s, t in pairs if t == number}
        assert node[5] == len(touching)


@given(
    small_graphs(),
    st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=4),
    st.integers(0, 99),
)
def test_an_update_of_the_links_equals_a_graph_made_afresh(
    case: tuple[list[Entry], dict[int, list[int]]], added: list[tuple[int, int]], dropped: int
) -> None:
    entries, links = case
    size = len(entries)
    before = g.concept_graph(entries, links, NOTE_PAGES)
    related_before = r.all_related(before)
    files_before = gj.graph_files(before, related_before)
    changed = {source: list(targets) for source, targets in links.items()}
    if changed:  # one concept loses its first link...
        source = sorted(changed)[dropped % len(changed)]
        changed[source] = changed[source][1:]
    for source, target in added:  # ...and some gain one
        changed.setdefault(source % size, []).append(target % size)
    after = g.concept_graph(entries, changed, NOTE_PAGES, previous=before)
    related = r.all_related(after)
    assert r.all_related(after, (before, related_before)) == related
    assert gj.graph_files(after, related, previous=(before, files_before)) == gj.graph_files(
        after, related
    )


def test_a_change_of_names_makes_everything_again() -> None:
    before, _ = graph_of([entry("a"), entry("b")], {"a": ["b"]})
    after, _ = graph_of([entry("a"), entry("b", title="B2")], {"a": ["b"]})
    assert g.affected(before, after) is None
    same, _ = graph_of([entry("a"), entry("b")], {})
    assert g.affected(before, same) == {0, 1}


# --- the pipeline and the sanitizer ---------------------------------------------------------

FORGED = [
    # The glossary's indented bodies: raw HTML there is shown as text.
    """\
### 张量(tensor)
    是一个数据容器。<div class="gb-local-graph" data-gb-graph="../../evil">x</div>

### 矩阵(matrix)
    二维张量。<div class="gb-map" data-gb-map>y</div>
""",
    # A Markdown note: raw HTML there goes through the allowlist.
    """\
## 张量(tensor)

是一个数据容器。

<div class="gb-local-graph" data-gb-graph="../../evil" markdown>x</div>

## 矩阵(matrix)

<div class="gb-map" data-gb-map data-gb-graph="tensor">y</div> 二维张量。
""",
]
_OPEN_TAG_RE = re.compile(r"<[a-z][^>]*>")


@pytest.mark.parametrize("note", FORGED)
def test_a_note_cannot_write_the_graph_placeholders(note: str) -> None:
    result = build_from_sources([SourceFile("concepts/n.md", note)])
    pages = {path: text for path, text in result.pages.items() if path.startswith("concepts/")}
    assert len(pages) == 2
    for path, text in pages.items():
        slug = path.removeprefix("concepts/").removesuffix(".md")
        tags = _OPEN_TAG_RE.findall(render_page(text))
        assert [t for t in tags if "data-gb" in t or "gb-map" in t or "gb-local" in t] == [
            f'<div class="gb-local-graph" data-gb-graph="{slug}">'
        ]


def test_every_concept_page_lists_its_related_concepts_and_the_map_page_exists() -> None:
    notes = "### 张量(tensor)\n    矩阵的推广。\n\n### 矩阵(matrix)\n    数。\n\n### 向量(vector)\n    矩阵与张量。\n"
    result = build_from_sources([SourceFile("concepts/n.md", notes)])
    assert result.concept_graph is not None
    page = result.pages[PagePath("concepts/tensor.md")]
    assert '<div class="gb-local-graph" data-gb-graph="tensor"></div>' in page
    # 张量 and 向量 both link to 矩阵, and 向量 links to 张量 too: nothing left to suggest.
    assert "## 相关概念" not in page
    graph_page = result.pages[PagePath("graph/index.md")]
    assert "概念图谱" in graph_page and '<div class="gb-map" data-gb-map></div>' in graph_page
    assert "(graph/index.md)" in result.pages[PagePath("index.md")]
    assert list(result.nav[2].values()) == ["graph/index.md"]


def test_an_edit_that_changes_no_link_reuses_the_graph() -> None:
    notes = "### 张量(tensor)\n    矩阵的推广。\n\n### 矩阵(matrix)\n    数。\n\n### 向量(vector)\n    一列数。\n"
    cache = BuildCache()
    first = build_from_sources([SourceFile("concepts/n.md", notes)], cache=cache)
    same = build_from_sources(
        [SourceFile("concepts/n.md", notes.replace("一列数", "一行数"))], cache=cache
    )
    assert same.concept_graph is first.concept_graph
    linked = build_from_sources(
        [SourceFile("concepts/n.md", notes.replace("一列数", "一列数，矩阵的一行"))], cache=cache
    )
    assert linked.concept_graph is not first.concept_graph
    assert linked.concept_graph is not None and linked.concept_graph.edge_count() == 2


def test_graph_files_are_rewritten_only_where_they_changed(tmp_path: Path) -> None:
    folder = tmp_path / "graph"
    first = {"graph.json": "{}", "local/a.json": "[1]", "local/b.json": "[2]"}
    write_graph_files(folder, first)
    (folder / "local" / "stray.json").write_text("x")  # a clean write starts afresh
    write_graph_files(folder, first)
    assert sorted(p.name for p in (folder / "local").iterdir()) == ["a.json", "b.json"]
    for path in folder.rglob("*.json"):
        os.utime(path, (1, 1))
    second = {"graph.json": "{}", "local/a.json": "[3]", "local/c.json": "[4]"}
    size = write_graph_files(folder, second, previous=first)
    assert size == len("{}[3][4]")
    assert sorted(p.name for p in (folder / "local").iterdir()) == ["a.json", "c.json"]
    assert (folder / "local" / "a.json").read_text() == "[3]"
    assert (folder / "graph.json").stat().st_mtime == 1  # unchanged: not written again


# --- the real site ------------------------------------------------------------------------


@pytest.mark.site
def test_the_real_site_ships_the_graph(site: tuple[Path, str]) -> None:
    site_dir, log = site
    folder = site_dir / "graph"
    data = json.loads((folder / "graph.json").read_text(encoding="utf-8"))
    pages = sorted(
        p.parent.relative_to(site_dir).as_posix() + "/"
        for p in (site_dir / "concepts").glob("*/index.html")
        if "已移动 / Moved" not in p.read_text(encoding="utf-8")[:400]
    )
    assert [n[0] for n in data["nodes"]] == pages
    for url in pages:
        slug = url.removeprefix("concepts/").rstrip("/")
        assert (folder / "local" / f"{slug}.json").is_file(), slug
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        assert f'<div class="gb-local-graph" data-gb-graph="{slug}"></div>' in html
    tensor = json.loads((folder / "local" / "tensor.json").read_text(encoding="utf-8"))
    titles = {node[1] for node in tensor["nodes"]}
    assert {"张量", "矩阵", "张量变形"} <= titles
    assert tensor["nodes"][0][0] == page_location("concepts/tensor.md")
    assert re.search(r"concept graph: \d+ nodes, \d+ edges, \d+ files, \d+ KB in", log)
    assert "data-gb-map" in (folder / "index.html").read_text(encoding="utf-8")
