"""The concept graph's pure functions (glossary_build/assets/graph/graph.js) under Node: the
map's layout, its find box, the local graph's caption. One `node` process for all the cases."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from typing import Any

import pytest

from glossary_build.mkdocs_plugin import GRAPH_ASSETS

NODE = shutil.which("node")

# Reads [[function, args], ...] as JSON on stdin, prints the results as JSON (typed arrays as lists).
DRIVER = """
const graph = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(([name, args]) => {
    if (name === "clusterLayout") {
      const [clusters, spacing] = args;
      const { xs, ys } = graph.clusterLayout(clusters.length, (i) => clusters[i], spacing);
      return [Array.from(xs), Array.from(ys)];
    }
    if (name === "findConcepts") {
      const [concepts, query, limit] = args;
      const keys = concepts.map(([title, aliases, pinyin]) => graph.findKeys(title, aliases, pinyin));
      return graph.findConcepts(keys, query, limit);
    }
    return graph[name](...args);
  });
  process.stdout.write(JSON.stringify(results));
});
"""

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

CONCEPTS = [
    ["张量", ["tensor", "Tensor"], ["zhang liang"]],
    ["张量变形", ["reshape"], ["zhang liang bian xing"]],
    ["矩阵", ["matrix"], ["ju zhen"]],
    ["卷积神经网络", ["CNN", "convolutional neural network"], ["juan ji shen jing wang luo"]],
    ["<img src=x onerror=alert(1)>", [], []],
]


def run_js(calls: list[tuple[str, list[Any]]]) -> list[Any]:
    assert NODE is not None
    proc = subprocess.run(
        [NODE, "-e", DRIVER, str(GRAPH_ASSETS / "graph.js")],
        input=json.dumps(calls, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout))


def titles(found: list[int]) -> list[str]:
    return [CONCEPTS[i][0] for i in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("张量", ["张量", "张量变形"]),  # the exact title first, then a longer one it starts
        ("TENSOR", ["张量"]),  # aliases, any case
        ("zhang liang", ["张量", "张量变形"]),  # spaced pinyin
        ("zhangliangbian", ["张量变形"]),  # pinyin without its spaces
        ("jjsjwl", ["卷积神经网络"]),  # pinyin initials
        ("cnn", ["卷积神经网络"]),
        ("神经", ["卷积神经网络"]),  # inside a title
        ("onerror", ["<img src=x onerror=alert(1)>"]),  # an HTML title is a title like any
        ("qqq", []),
        ("   ", []),
    ],
)
def test_the_find_box_ranks_names_aliases_and_pinyin(query: str, expected: list[str]) -> None:
    [found] = run_js([("findConcepts", [CONCEPTS, query, 5])])
    assert titles(found) == expected


def test_the_find_box_shows_at_most_its_limit() -> None:
    [found] = run_js([("findConcepts", [CONCEPTS, "a", 2])])
    assert len(found) == 2


def test_the_caption_says_when_the_graph_is_capped() -> None:
    assert run_js([("caption", [40, 120, True]), ("caption", [7, 7, False])]) == [
        "显示 40 / 120",
        "7 个概念",
    ]


def test_the_layout_is_deterministic_and_keeps_clusters_apart() -> None:
    clusters = [f"g{i % 7}" for i in range(700)]
    first, again = run_js([("clusterLayout", [clusters, 6]), ("clusterLayout", [clusters, 6])])
    assert first == again
    xs, ys = first
    assert all(math.isfinite(v) for v in xs + ys)
    points = list(zip(xs, ys, strict=True))
    assert len(set(points)) == len(points)  # no two concepts on the same spot

    def centre(group: str) -> tuple[float, float]:
        members = [points[i] for i, g in enumerate(clusters) if g == group]
        return (
            sum(p[0] for p in members) / len(members),
            sum(p[1] for p in members) / len(members),
        )

    # Each concept is nearer its own cluster's centre than any other cluster's.
    centres = {g: centre(g) for g in set(clusters)}
    for (x, y), group in zip(points, clusters, strict=True):
        nearest = min(centres, key=lambda g: math.dist((x, y), centres[g]))
        assert nearest == group
