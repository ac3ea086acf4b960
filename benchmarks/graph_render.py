"""How fast a graph of the glossary renders in headless Chromium: the library spike and the map.

Usage:
  .venv/bin/python benchmarks/graph_render.py spike --npm DIR [--nodes 10000 --edges 40000]
  .venv/bin/python benchmarks/graph_render.py site SITE_DIR [--synthetic 10000 --edges 40000]
  .venv/bin/python benchmarks/graph_render.py graph OUT.json [--nodes N --edges M --seed 1]

``graph`` writes a synthetic graph.json in GRAPH-FORMAT's format (fixed seed: the same file on
every run): notes, groups, concepts whose links mostly stay in their group, degrees from the
edges, a few hubs (preferential attachment), spaced pinyin.

``spike`` compares graph libraries on that synthetic graph, each drawn with the same cheap
deterministic layout (groups on a sunflower spiral, each group's concepts on a small one around
its centre: O(n), no force simulation). ``--npm DIR`` is an npm prefix holding the candidates,
installed by hand, never by the site:
``npm install --prefix DIR sigma@3.0.3 graphology@0.26.0 force-graph@1.52.0 cytoscape@3.34.4``.

``site`` measures the map page (``graph/``) of a built site; with ``--synthetic N`` the site's
``graph/graph.json`` is answered with a synthetic graph of N concepts (the site is not edited).

For each page, printed as one table row:
- first render: ms from navigation start to the first frame with the graph drawn (the page
  sets the performance mark ``gb-map-rendered`` once that frame has run);
- frames/s: requestAnimationFrame callbacks counted in the page while the mouse pans (a drag in
  a circle, 1.5 s) and zooms (the wheel in and out, 1.5 s) over the graph, as trusted input;
- bytes: every response of the page, raw and gzip-compressed (what a server that gzips would
  send), and the library's own file(s).

Chromium runs with --disable-gpu, so WebGL is SwiftShader (software) on the CPU: measured as it
is. Not a test: the numbers depend on the machine. One Chromium at a time.
"""

# ruff: noqa: E501 — the spike pages' JavaScript is kept as it is written, line by line
from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import math
import random
import shutil
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.local_servers import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RENDERED_MARK = "gb-map-rendered"
VIEWPORT = {"width": 1280, "height": 800}

# --------------------------------------------------------------------------- synthetic graph

_SYLLABLES = tuple(
    [
        "zhang",
        "liang",
        "ju",
        "zhen",
        "juan",
        "ji",
        "shen",
        "jing",
        "wang",
        "luo",
        "xue",
        "xi",
        "sun",
        "shi",
        "han",
        "shu",
        "ti",
        "du",
        "xia",
        "jiang",
        "pi",
        "gui",
        "yi",
        "hua",
        "ceng",
        "zhu",
        "yi",
        "li",
        "mo",
        "xing",
        "can",
        "cu",
        "bian",
        "ma",
        "qi",
        "jie",
        "shu",
        "ru",
        "chu",
    ]
)


def _name(rng: random.Random) -> tuple[str, list[str]]:
    """A Chinese-looking title of 2–4 syllables and its spaced pinyin."""
    syllables = [rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))]
    title = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in syllables)
    return title, [" ".join(syllables)]


def synthetic_graph(nodes: int, edges: int, seed: int = 1) -> dict[str, Any]:
    """A graph.json (GRAPH-FORMAT version 1) of ``nodes`` concepts and about ``edges`` links."""
    rng = random.Random(seed)
    note_names = [f"合成笔记 {k}" for k in range(5)]
    group_count = max(1, nodes // 40)
    groups = [f"{note_names[g % len(note_names)]} / 分组 {g}" for g in range(group_count)]
    group_of = [rng.randrange(group_count) if rng.random() > 0.05 else -1 for _ in range(nodes)]
    members: dict[int, list[int]] = {}
    for i, g in enumerate(group_of):
        members.setdefault(g, []).append(i)
    pairs: set[tuple[int, int]] = set()
    targets: list[int] = list(range(nodes))  # grows with each edge's target: hubs emerge
    while len(pairs) < edges:
        source = rng.randrange(nodes)
        if rng.random() < 0.6:
            target = rng.choice(members[group_of[source]])
        else:
            target = rng.choice(targets)
        if target != source and (source, target) not in pairs:
            pairs.add((source, target))
            targets.append(target)
    neighbours: list[set[int]] = [set() for _ in range(nodes)]
    for s, t in pairs:
        neighbours[s].add(t)
        neighbours[t].add(s)
    rows = []
    for i in range(nodes):
        title, pinyin = _name(rng)
        note = group_of[i] % len(note_names) if group_of[i] >= 0 else rng.randrange(len(note_names))
        aliases = [f"Concept {i}"] if rng.random() < 0.6 else []
        rows.append(
            [f"concepts/c{i:05d}/", title, aliases, note, group_of[i], len(neighbours[i]), pinyin]
        )
    flat = [k for pair in sorted(pairs) for k in pair]
    return {"version": 1, "notes": note_names, "groups": groups, "nodes": rows, "edges": flat}


def graph_text(graph: dict[str, Any]) -> str:
    return json.dumps(graph, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- spike pages

# The same layout for every library: O(n), deterministic, drawn at once.
_LAYOUT_JS = """
function clusterLayout(data) {
  const n = data.nodes.length, xs = new Float64Array(n), ys = new Float64Array(n);
  const byGroup = new Map();
  data.nodes.forEach((row, i) => {
    const key = row[4] >= 0 ? "g" + row[4] : "n" + row[3];
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key).push(i);
  });
  const golden = Math.PI * (3 - Math.sqrt(5));
  let placed = 0, k = 0;
  for (const members of [...byGroup.values()].sort((a, b) => b.length - a.length)) {
    const r = Math.sqrt(placed + members.length / 2) * 12, a = k++ * golden;
    const cx = r * Math.cos(a), cy = r * Math.sin(a);
    members.forEach((i, j) => {
      const rr = Math.sqrt(j + 0.5) * 8, aa = j * golden;
      xs[i] = cx + rr * Math.cos(aa); ys[i] = cy + rr * Math.sin(aa);
    });
    placed += members.length;
  }
  return { xs, ys };
}
const PALETTE = ["#4e79a7","#f28e2b","#e15759","#76b7b2","#59a14f","#edc948","#b07aa1","#ff9da7","#9c755f","#bab0ac"];
function colour(row) { return PALETTE[(row[4] >= 0 ? row[4] : row[3]) % PALETTE.length]; }
function markRendered() {
  requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("%MARK%")));
}
""".replace("%MARK%", RENDERED_MARK)


@dataclass(frozen=True)
class Candidate:
    name: str
    files: tuple[str, ...]  # paths inside node_modules, loaded in order
    draw_js: str  # uses `data`, `layout`, `el`; calls markRendered() after its first frame


CANDIDATES = (
    Candidate(
        "sigma 3.0.3 + graphology 0.26.0 (WebGL)",
        ("graphology/dist/graphology.umd.min.js", "sigma/dist/sigma.min.js"),
        """
const SigmaCtor = window.Sigma.Sigma || window.Sigma.default || window.Sigma;
const g = new graphology.Graph({ type: "directed", allowSelfLoops: false });
data.nodes.forEach((row, i) => g.addNode(i, {
  x: layout.xs[i], y: -layout.ys[i], size: 1.5 + Math.sqrt(row[5]) * 0.8,
  color: colour(row), label: row[1] }));
for (let k = 0; k < data.edges.length; k += 2) g.addEdge(data.edges[k], data.edges[k + 1]);
new SigmaCtor(g, el, { defaultEdgeColor: "#cccccc", labelRenderedSizeThreshold: 12 });
markRendered();
""",
    ),
    Candidate(
        "force-graph 1.52.0 (canvas)",
        ("force-graph/dist/force-graph.min.js",),
        """
const nodes = data.nodes.map((row, i) => ({ id: i, x: layout.xs[i], y: layout.ys[i],
  fx: layout.xs[i], fy: layout.ys[i], val: 1 + row[5], color: colour(row), name: row[1] }));
const links = [];
for (let k = 0; k < data.edges.length; k += 2) links.push({ source: data.edges[k], target: data.edges[k + 1] });
let first = true;
const fg = ForceGraph()(el).width(el.clientWidth).height(el.clientHeight)
  .nodeRelSize(1.5).nodeLabel("name").linkColor(() => "rgba(160,160,160,0.35)")
  .cooldownTicks(0).graphData({ nodes, links })
  .onRenderFramePost(() => { if (first) { first = false; markRendered(); } });
fg.zoomToFit(0, 10);
""",
    ),
    Candidate(
        "sigma, edges and labels hidden while moving",
        ("graphology/dist/graphology.umd.min.js", "sigma/dist/sigma.min.js"),
        """
const SigmaCtor = window.Sigma.Sigma || window.Sigma.default || window.Sigma;
const g = new graphology.Graph({ type: "directed", allowSelfLoops: false });
data.nodes.forEach((row, i) => g.addNode(i, {
  x: layout.xs[i], y: -layout.ys[i], size: 1.5 + Math.sqrt(row[5]) * 0.8,
  color: colour(row), label: row[1] }));
for (let k = 0; k < data.edges.length; k += 2) g.addEdge(data.edges[k], data.edges[k + 1]);
new SigmaCtor(g, el, { defaultEdgeColor: "#cccccc", labelRenderedSizeThreshold: 12,
  hideEdgesOnMove: true, hideLabelsOnMove: true });
markRendered();
""",
    ),
    Candidate(
        "force-graph, links hidden while moving",
        ("force-graph/dist/force-graph.min.js",),
        """
const nodes = data.nodes.map((row, i) => ({ id: i, x: layout.xs[i], y: layout.ys[i],
  fx: layout.xs[i], fy: layout.ys[i], val: 1 + row[5], color: colour(row), name: row[1] }));
const links = [];
for (let k = 0; k < data.edges.length; k += 2) links.push({ source: data.edges[k], target: data.edges[k + 1] });
let first = true, moving = false, settle = 0;
const fg = ForceGraph()(el).width(el.clientWidth).height(el.clientHeight)
  .nodeRelSize(1.5).nodeLabel("name").linkColor(() => "rgba(160,160,160,0.35)")
  .linkVisibility(() => !moving)
  .onZoom(() => { moving = true; clearTimeout(settle); settle = setTimeout(() => { moving = false; }, 150); })
  .cooldownTicks(0).graphData({ nodes, links })
  .onRenderFramePost(() => { if (first) { first = false; markRendered(); } });
fg.zoomToFit(0, 10);
""",
    ),
    Candidate(
        "cytoscape 3.34.4 (canvas)",
        ("cytoscape/dist/cytoscape.min.js",),
        """
const elements = data.nodes.map((row, i) => ({ group: "nodes", data: { id: "n" + i,
  s: 3 + Math.sqrt(row[5]) * 2, c: colour(row) }, position: { x: layout.xs[i], y: layout.ys[i] } }));
for (let k = 0; k < data.edges.length; k += 2)
  elements.push({ group: "edges", data: { source: "n" + data.edges[k], target: "n" + data.edges[k + 1] } });
const cy = cytoscape({ container: el, elements, layout: { name: "preset" },
  style: [{ selector: "node", style: { width: "data(s)", height: "data(s)", "background-color": "data(c)" } },
          { selector: "edge", style: { "curve-style": "haystack", width: 0.5, "line-color": "#ccc" } }] });
cy.one("render", markRendered);
""",
    ),
)


def spike_page(candidate: Candidate) -> str:
    scripts = "".join(f'<script src="lib/{Path(f).name}"></script>' for f in candidate.files)
    return (
        '<!doctype html><meta charset="utf-8"><style>html,body{margin:0}'
        "#g{width:100vw;height:100vh}</style><div id=g></div>"
        f"{scripts}<script>{_LAYOUT_JS}\n"
        'fetch("graph.json").then(r => r.json()).then(data => {\n'
        'const el = document.getElementById("g"); const layout = clusterLayout(data);\n'
        f"{candidate.draw_js}\n}});</script>"
    )


# --------------------------------------------------------------------------- serving, measuring


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGB/RGBA non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(png):
        length = int.from_bytes(png[pos : pos + 4], "big")
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour = header[8], header[9]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (
                    line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)
                ) & 255
        rows.append(bytes(line[i] for i in range(stride) if i % step < 3))
        previous = line
    return width, height, rows


def inked(png: bytes) -> float:
    """The share of pixels that differ from the most common colour (the background): a check
    that a library drew the graph at all (a blank canvas renders fast)."""
    width, _, rows = png_pixels(png)
    counts: dict[bytes, int] = {}
    for row in rows[::4]:
        for x in range(0, width * 3, 12):
            pixel = row[x : x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = sum(counts.values())
    return 1 - max(counts.values()) / total if total else 0.0


@dataclass(frozen=True)
class Measure:
    first_render_ms: float
    fps: float
    frames: int
    gap_p95_ms: float
    inked: float
    files: tuple[tuple[str, int, int], ...]  # (path, raw, gzip) of each response, largest first
    bytes_raw: int
    bytes_gzip: int
    requests: int
    other_hosts: int


_COUNT_FRAMES = """() => { window.__frames = []; window.__t0 = performance.now();
  (function tick(t) { window.__frames.push(t); requestAnimationFrame(tick); })(performance.now()); }"""


def pan_and_zoom(page: Any, selector: str, seconds: float = 3.0) -> tuple[int, float, float]:
    """Drag in a circle for half the time, wheel in and out for the rest: the frames counted,
    the ms it took, the 95th percentile of the gap between two frames (a long one is a stall)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.evaluate(_COUNT_FRAMES)
    start = time.perf_counter()
    page.mouse.down()
    step = 0
    while time.perf_counter() - start < seconds / 2:
        step += 1
        angle = step / 10
        page.mouse.move(cx + 120 * math.cos(angle), cy + 120 * math.sin(angle))
    page.mouse.up()
    while time.perf_counter() - start < seconds:
        step += 1
        page.mouse.wheel(0, -120 if (step // 8) % 2 == 0 else 120)
    times, elapsed = page.evaluate("() => [window.__frames, performance.now() - window.__t0]")
    gaps = sorted(b - a for a, b in itertools.pairwise(times)) or [elapsed]
    return len(times), float(elapsed), float(gaps[int(len(gaps) * 0.95)])


def measure_median(browser: Any, url: str, selector: str, repeat: int) -> Measure:
    """The median run by frames/s (the machine is shared: one run can catch another's load)."""
    runs = sorted((measure(browser, url, selector) for _ in range(repeat)), key=lambda m: m.fps)
    return runs[len(runs) // 2]


def _middle(page: Any, selector: str) -> dict[str, float]:
    """The middle 400 × 300 px of the graph (decoding a whole screenshot in Python is slow)."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not on the page"
    width, height = min(400, box["width"]), min(300, box["height"])
    return {
        "x": box["x"] + (box["width"] - width) / 2,
        "y": box["y"] + (box["height"] - height) / 2,
        "width": width,
        "height": height,
    }


def measure(browser: Any, url: str, selector: str, timeout_ms: int = 60_000) -> Measure:
    """Open ``url`` in a fresh context (empty cache), wait for the rendered mark, pan and zoom."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    page.wait_for_function(
        f"performance.getEntriesByName({RENDERED_MARK!r}).length > 0", timeout=timeout_ms
    )
    first = float(page.evaluate(f"performance.getEntriesByName({RENDERED_MARK!r})[0].startTime"))
    page.wait_for_timeout(300)
    ink = inked(page.screenshot(type="png", clip=_middle(page, selector)))
    frames, elapsed, gap = pan_and_zoom(page, selector)
    host = url.split("/")[2]
    others = 0
    files: list[tuple[str, int, int]] = []
    for response in responses:
        if response.url.split("/")[2] != host:
            others += 1
            continue
        with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
            body = response.body()
            path = "/" + response.url.split("/", 3)[3]
            files.append((path, len(body), len(gzip.compress(body, 6))))
    files.sort(key=lambda f: -f[1])
    raw, zipped = sum(f[1] for f in files), sum(f[2] for f in files)
    context.close()
    return Measure(
        first,
        frames * 1000 / elapsed,
        frames,
        gap,
        ink,
        tuple(files),
        raw,
        zipped,
        len(responses),
        others,
    )


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def _row(name: str, m: Measure, library: tuple[int, int] | None) -> str:
    lib = f"{_kib(library[0])} / {_kib(library[1])}" if library else "-"
    return (
        f"| {name} | {m.inked:.0%} | {m.first_render_ms:,.0f} ms | {m.fps:.1f} | {m.gap_p95_ms:.0f} ms | {lib} "
        f"| {_kib(m.bytes_raw)} / {_kib(m.bytes_gzip)} | {m.requests} | {m.other_hosts} |"
    )


HEADER = (
    "| page | inked | first render | frames/s pan+zoom | frame gap p95 | library raw / gzip "
    "| page fetches raw / gzip | requests | other hosts |\n|---|---|---|---|---|---|---|---|---|"
)


def _chromium() -> Any:
    from playwright.sync_api import sync_playwright

    return sync_playwright()


def run_spike(npm: Path, nodes: int, edges: int, seed: int, repeat: int, only: str = "") -> int:
    modules = npm / "node_modules"
    text = graph_text(synthetic_graph(nodes, edges, seed)).encode()
    print(f"synthetic graph: {nodes:,} nodes, {edges:,} edges, graph.json {_kib(len(text))}")
    print(HEADER)
    with tempfile.TemporaryDirectory() as tmp, _chromium() as playwright:
        root = Path(tmp)
        (root / "lib").mkdir()
        (root / "graph.json").write_bytes(text)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        with serving(root) as base:
            for k, candidate in enumerate(CANDIDATES):
                if only not in candidate.name:
                    continue
                missing = [f for f in candidate.files if not (modules / f).is_file()]
                if missing:
                    print(f"| {candidate.name} | not installed in {npm}: {missing} |")
                    continue
                raw = zipped = 0
                for f in candidate.files:
                    data = (modules / f).read_bytes()
                    shutil.copy(modules / f, root / "lib" / Path(f).name)
                    raw += len(data)
                    zipped += len(gzip.compress(data, 6))
                (root / f"spike{k}.html").write_text(spike_page(candidate), encoding="utf-8")
                result = measure_median(browser, f"{base}/spike{k}.html", "#g", repeat)
                print(_row(candidate.name, result, (raw, zipped)), flush=True)
        browser.close()
    return 0


def run_site(site: Path, synthetic: int | None, edges: int, seed: int, repeat: int) -> int:
    overrides: dict[str, bytes] = {}
    graph_json = site / "graph" / "graph.json"
    if synthetic:
        overrides["/graph/graph.json"] = graph_text(
            synthetic_graph(synthetic, edges, seed)
        ).encode()
        nodes = synthetic
    else:
        nodes = len(json.loads(graph_json.read_text(encoding="utf-8"))["nodes"])
    size = len(overrides.get("/graph/graph.json") or graph_json.read_bytes())
    print(f"map of {nodes:,} concepts, graph.json {_kib(size)}")
    print(HEADER)
    with _chromium() as playwright, serving(site, overrides=overrides) as base:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        result = measure_median(browser, f"{base}/graph/", ".gb-map", repeat)
        print(_row("graph/ (the site's map)", result, None), flush=True)
        print("\nlargest fetches (raw / gzip):")
        for path, raw, zipped in result.files[:6]:
            print(f"  {path}: {_kib(raw)} / {_kib(zipped)}")
        browser.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    spike = commands.add_parser("spike")
    spike.add_argument("--npm", type=Path, required=True)
    spike.add_argument("--only", default="", help="only the candidates whose name holds this")
    site = commands.add_parser("site")
    site.add_argument("site_dir", type=Path)
    site.add_argument("--synthetic", type=int, default=None)
    graph = commands.add_parser("graph")
    graph.add_argument("out", type=Path)
    for sub in (spike, site, graph):
        sub.add_argument("--nodes", type=int, default=10_000)
        sub.add_argument("--edges", type=int, default=40_000)
        sub.add_argument("--seed", type=int, default=1)
        sub.add_argument("--repeat", type=int, default=3, help="runs per page; the median shown")
    args = parser.parse_args(argv)
    if args.command == "spike":
        return run_spike(args.npm, args.nodes, args.edges, args.seed, args.repeat, args.only)
    if args.command == "site":
        return run_site(args.site_dir, args.synthetic, args.edges, args.seed, args.repeat)
    args.out.write_text(graph_text(synthetic_graph(args.nodes, args.edges, args.seed)), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
