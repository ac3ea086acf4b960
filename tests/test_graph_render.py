"""The graph benchmark's synthetic graph (benchmarks/graph_render.py): GRAPH-FORMAT's format,
the same file for the same seed, and its PNG reader (the "inked" check). Nothing is timed."""

from __future__ import annotations

import importlib.util
import struct
import sys
import zlib
from types import ModuleType

from .helpers import ROOT


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "benchmarks_graph_render", ROOT / "benchmarks" / "graph_render.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


graph_render = _load()


def test_the_synthetic_graph_follows_the_spec_and_its_seed() -> None:
    graph = graph_render.synthetic_graph(500, 2000, seed=3)
    assert graph_render.graph_text(graph) == graph_render.graph_text(
        graph_render.synthetic_graph(500, 2000, seed=3)
    )
    assert graph_render.graph_text(graph) != graph_render.graph_text(
        graph_render.synthetic_graph(500, 2000, seed=4)
    )
    assert graph["version"] == 1
    nodes, edges = graph["nodes"], graph["edges"]
    assert len(nodes) == 500
    assert [row[0] for row in nodes] == sorted(row[0] for row in nodes)
    pairs = list(zip(edges[::2], edges[1::2], strict=True))
    assert len(pairs) == 2000
    assert len(set(pairs)) == len(pairs)
    assert all(s != t for s, t in pairs)
    neighbours: list[set[int]] = [set() for _ in nodes]
    for s, t in pairs:
        neighbours[s].add(t)
        neighbours[t].add(s)
    for i, (url, title, aliases, note, group, degree, pinyin) in enumerate(nodes):
        assert url.startswith("concepts/") and url.endswith("/")
        assert title and isinstance(aliases, list) and isinstance(pinyin, list)
        assert 0 <= note < len(graph["notes"])
        assert -1 <= group < len(graph["groups"])
        assert degree == len(neighbours[i])


def _png(width: int, height: int, pixels: list[tuple[int, int, int]]) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(p) for p in pixels[y * width : (y + 1) * width])
        for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_inked_counts_what_is_not_background() -> None:
    white, ink = (255, 255, 255), (20, 40, 200)
    blank = _png(24, 24, [white] * 576)
    assert graph_render.inked(blank) == 0
    half = _png(24, 24, [ink if x < 12 else white for _ in range(24) for x in range(24)])
    assert 0.3 < graph_render.inked(half) <= 0.5
