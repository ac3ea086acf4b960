/* The concept graph: a local graph on each concept page and the whole-glossary map (graph/).
 *
 * The data is GRAPH-FORMAT's (written by the build): graph/local/<slug>.json fills each
 * `.gb-local-graph[data-gb-graph]`, graph/graph.json fills `.gb-map[data-gb-map]`. The renderer
 * is force-graph (canvas), pinned and served by the site (assets/vendor/force-graph/), loaded
 * only on a page that has a graph; benchmarks/graph_render.py chose it and measures the map.
 *
 * Plain JavaScript, no build step. Under Node (`module` exists) nothing touches a document: the
 * pure functions (layout, find, caption) are exported for the tests.
 *
 * Author text (titles, aliases, note and group names) reaches the page only through textContent
 * and canvas fillText: never innerHTML. force-graph's tooltip sets a string as HTML, so it is
 * only ever given an element built here.
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------- pure functions

  const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  /** Positions for every node, drawn at once (no force simulation: O(n), deterministic):
   * clusters (`clusterOf(i)`, largest first) on a sunflower spiral, each cluster's nodes on a
   * small sunflower around its centre, so a group reads as a patch of one colour. */
  function clusterLayout(count, clusterOf, spacing) {
    const xs = new Float64Array(count);
    const ys = new Float64Array(count);
    const clusters = new Map();
    for (let i = 0; i < count; i++) {
      const key = clusterOf(i);
      let members = clusters.get(key);
      if (!members) clusters.set(key, (members = []));
      members.push(i);
    }
    const ordered = [...clusters.entries()].sort(
      (a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0]))
    );
    let placed = 0;
    ordered.forEach(([, members], k) => {
      // A cluster's own radius is about sqrt(size) * spacing: centres spread by area placed.
      const r = Math.sqrt(placed + members.length / 2) * spacing * 1.6;
      const cx = r * Math.cos(k * GOLDEN_ANGLE);
      const cy = r * Math.sin(k * GOLDEN_ANGLE);
      members.forEach((i, j) => {
        const rr = Math.sqrt(j + 0.5) * spacing;
        xs[i] = cx + rr * Math.cos(j * GOLDEN_ANGLE);
        ys[i] = cy + rr * Math.sin(j * GOLDEN_ANGLE);
      });
      placed += members.length;
    });
    return { xs, ys };
  }

  function normalize(text) {
    return String(text).normalize("NFKC").toLowerCase().trim();
  }

  /** What the map's find box compares a query with, for one concept. */
  function findKeys(title, aliases, pinyin) {
    const compact = pinyin.map((p) => normalize(p).replace(/\s+/g, ""));
    const initials = pinyin.map((p) =>
      normalize(p)
        .split(/\s+/)
        .map((s) => s.charAt(0))
        .join("")
    );
    return {
      title: normalize(title),
      aliases: aliases.map(normalize),
      pinyin: compact,
      initials,
    };
  }

  /** How well `query` names a concept: 0 is best, -1 is not at all. */
  function findRank(keys, query) {
    if (!query) return -1;
    const compact = query.replace(/\s+/g, "");
    if (keys.title === query) return 0;
    if (keys.aliases.includes(query)) return 1;
    if (keys.title.startsWith(query)) return 2;
    if (keys.aliases.some((a) => a.startsWith(query))) return 3;
    if (compact && keys.pinyin.some((p) => p.startsWith(compact))) return 4;
    if (compact.length >= 2 && keys.initials.some((p) => p.startsWith(compact))) return 5;
    if (keys.title.includes(query) || keys.aliases.some((a) => a.includes(query))) return 6;
    return -1;
  }

  /** The indices of the best `limit` concepts for `query` (rank, then shorter title). */
  function findConcepts(allKeys, query, limit) {
    const q = normalize(query);
    const hits = [];
    for (let i = 0; i < allKeys.length; i++) {
      const rank = findRank(allKeys[i], q);
      if (rank >= 0) hits.push([rank, allKeys[i].title.length, i]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return hits.slice(0, limit).map((h) => h[2]);
  }

  /** The local graph's caption: how many concepts it shows, and of how many when capped. */
  function caption(shown, total, capped) {
    return capped ? `显示 ${shown} / ${total}` : `${shown} 个概念`;
  }

  const api = { clusterLayout, findKeys, findRank, findConcepts, caption, normalize };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
    return;
  }

  // ---------------------------------------------------------------- the site

  const LIBRARY = "assets/vendor/force-graph/force-graph.min.js";
  const RENDERED_MARK = "gb-map-rendered";
  const PHONE = "(max-width: 600px)";
  const RELATED_HOP = 3; // GRAPH-FORMAT: a related concept beyond depth 2
  // Tableau 10: distinct hues, legible on Material's white and on its slate background.
  const PALETTE = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
  ];
  const TEXT = {
    show: "显示关系图",
    hide: "收起关系图",
    title: "关系图：本概念与它链接、链接它的概念",
    mapTitle: "全部概念的图谱",
    loading: "正在加载关系图…",
    failed: "关系图加载失败",
    find: "查找概念（名称、别名或拼音）",
    allNotes: "全部笔记",
    none: "没有找到",
    count: (n) => `${n.toLocaleString("zh-CN")} 个概念`,
  };

  const script = document.currentScript;
  const ROOT = script ? new URL("../", script.src) : new URL("./", location.href);

  let libraryPromise = null;

  /** force-graph, loaded once per visit (instant navigation keeps it). */
  function loadLibrary() {
    if (window.ForceGraph) return Promise.resolve(window.ForceGraph);
    if (!libraryPromise) {
      libraryPromise = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = new URL(LIBRARY, ROOT).href;
        tag.onload = () => resolve(window.ForceGraph);
        tag.onerror = () => reject(new Error(`${LIBRARY} did not load`));
        document.head.appendChild(tag);
      });
      libraryPromise.catch(() => {
        libraryPromise = null;
      });
    }
    return libraryPromise;
  }

  function fetchJSON(path) {
    return fetch(new URL(path, ROOT), { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response.json();
    });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Material's colours of the current scheme (light or slate), read from its CSS variables. */
  function theme(host) {
    const style = getComputedStyle(host);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      text: read("--md-default-fg-color", "#000000de"),
      faint: read("--md-default-fg-color--lighter", "#00000052"),
      edge: read("--md-default-fg-color--lightest", "#00000012"),
      background: read("--md-default-bg-color", "#ffffff"),
      accent: read("--md-accent-fg-color", "#526cfe"),
    };
  }

  function colourOf(index) {
    return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length];
  }

  /** Follow a concept's link as a click would, so Material's instant navigation (when on)
   * loads it, and the browser does otherwise. */
  function navigate(host, url) {
    const link = document.createElement("a");
    link.href = new URL(url, ROOT).href;
    link.hidden = true;
    host.appendChild(link);
    link.click();
    link.remove();
  }

  /** The hover card: title, then aliases, as text. */
  function tooltipFor(node, extra) {
    const card = element("span", "gb-graph-tip");
    card.appendChild(element("strong", "gb-graph-tip__title", node.title));
    if (node.aliases.length) {
      card.appendChild(element("span", "gb-graph-tip__aliases", node.aliases.join(" / ")));
    }
    if (extra) card.appendChild(element("span", "gb-graph-tip__note", extra));
    return card;
  }

  /** A label beside a node, as canvas text. */
  function drawLabel(ctx, node, text, size, colour, weight) {
    ctx.font = `${weight || "normal"} ${size}px sans-serif`;
    ctx.fillStyle = colour;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(text, node.x, node.y + node.__radius + size * 0.25);
  }

  const live = new Set();

  /** Stop the renderers of graphs that instant navigation took off the page. */
  function dropDetached() {
    for (const graph of live) {
      if (!graph.host.isConnected) {
        graph.destroy();
        live.delete(graph);
      }
    }
  }

  /** Draw one more frame. Accessors read the state they close over; setting a property
   * instead would make force-graph digest the whole graph again (and reheat a local graph). */
  function redraw(renderer) {
    renderer.autoPauseRedraw(false);
    requestAnimationFrame(() => requestAnimationFrame(() => renderer.autoPauseRedraw(true)));
  }

  function fitWidth(graph) {
    const width = graph.box.clientWidth;
    if (width > 0 && graph.renderer) graph.renderer.width(width);
  }

  // ---------------------------------------------------------------- local graph

  function mountLocal(host) {
    host.dataset.gbMounted = "1";
    const slug = host.dataset.gbGraph;
    const head = element("div", "gb-local-graph__head");
    const toggle = element("button", "gb-local-graph__toggle md-button", TEXT.show);
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    const note = element("span", "gb-local-graph__caption", "");
    head.append(toggle, note);
    const box = element("div", "gb-local-graph__canvas");
    box.hidden = true;
    // The canvas says what it is; the page's 相关概念 list is its readable equivalent.
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", TEXT.title);
    host.replaceChildren(head, box);
    const graph = { host, box, renderer: null, destroy: () => {} };
    live.add(graph);
    let started = false;

    const open = (opened) => {
      box.hidden = !opened;
      toggle.textContent = opened ? TEXT.hide : TEXT.show;
      toggle.setAttribute("aria-expanded", String(opened));
      host.classList.toggle("gb-local-graph--open", opened);
      if (opened && !started) {
        started = true;
        note.textContent = TEXT.loading;
        Promise.all([loadLibrary(), fetchJSON(`graph/local/${encodeURIComponent(slug)}.json`)])
          .then(([ForceGraph, data]) => drawLocal(graph, ForceGraph, data, note))
          .catch((error) => {
            started = false;
            note.textContent = TEXT.failed;
            console.error(error);
          });
      } else if (opened) {
        fitWidth(graph);
      }
    };
    toggle.addEventListener("click", () => open(box.hidden));
    open(!window.matchMedia(PHONE).matches);
  }

  function drawLocal(graph, ForceGraph, data, note) {
    const { host, box } = graph;
    note.textContent = caption(data.nodes.length, data.total, data.capped);
    const nodes = data.nodes.map((row, i) => ({
      id: i,
      url: row[0],
      title: row[1],
      aliases: row[2],
      note: row[3],
      group: row[4],
      degree: row[5],
      hop: row[6],
      center: i === data.center,
    }));
    // Size by degree, on a log scale: a hub of 100 links is three times a leaf, not ten.
    for (const n of nodes) n.__radius = 2 + 1.2 * Math.log2(1 + n.degree);
    const centre = nodes[data.center];
    if (centre) {
      centre.fx = 0;
      centre.fy = 0;
    }
    host.dataset.gbNodes = String(nodes.length);
    const links = data.edges.map(([s, t, kind]) => ({ source: s, target: t, kind }));
    // A related concept that shares no edge with the page is tied to it by a dashed line:
    // otherwise the layout's repulsion would push it to the edge of the picture.
    const attached = new Set(links.flatMap((l) => [l.source, l.target]));
    for (const [index] of data.related || []) {
      if (!attached.has(index) && index !== data.center) {
        links.push({ source: data.center, target: index, kind: "related" });
      }
    }
    let colours = theme(host);
    const colourKey = (n) => (n.group >= 0 ? n.group : data.groups.length + n.note);
    let fitted = false;
    let hovered = null;
    const renderer = ForceGraph()(box)
      .width(box.clientWidth || 320)
      .height(box.clientHeight || 300)
      .backgroundColor("rgba(0,0,0,0)")
      .graphData({ nodes, links })
      .nodeVal((n) => n.__radius * n.__radius)
      .nodeRelSize(1)
      .nodeColor((n) => colourOf(colourKey(n)))
      .nodeLabel((n) => tooltipFor(n, data.notes[n.note]))
      .nodeCanvasObjectMode(() => "after")
      .nodeCanvasObject((n, ctx, scale) => {
        if (n.center) {
          ctx.beginPath();
          ctx.arc(n.x, n.y, n.__radius + 2.5 / scale, 0, 2 * Math.PI);
          ctx.lineWidth = 2 / scale;
          ctx.strokeStyle = colours.text;
          ctx.stroke();
        }
        // Far neighbours are labelled once the reader zooms in (or hovers them).
        if (n.hop >= 2 && n.hop !== RELATED_HOP && scale < 1.6 && n !== hovered) return;
        const size = Math.max(10 / scale, 2.5);
        drawLabel(ctx, n, n.title, size, n.center ? colours.text : colours.faint, n.center && "bold");
      })
      .nodePointerAreaPaint((n, colour, ctx) => {
        ctx.fillStyle = colour;
        ctx.beginPath();
        ctx.arc(n.x, n.y, n.__radius + 2, 0, 2 * Math.PI);
        ctx.fill();
      })
      .linkColor(() => colours.faint)
      .linkLineDash((l) => (l.kind === "link" ? null : [2, 2]))
      .linkDirectionalArrowLength((l) => (l.kind === "link" ? 3 : 0))
      .linkDirectionalArrowRelPos(1)
      .onNodeClick((n, event) => clickTo(host, renderer, box, nodes)(event))
      .onBackgroundClick((event) => clickTo(host, renderer, box, nodes)(event))
      .onNodeHover((n) => {
        hovered = n;
        box.style.cursor = n ? "pointer" : "";
      })
      .cooldownTime(2500)
      .onEngineStop(() => {
        if (!fitted) {
          fitted = true;
          renderer.zoomToFit(300, 24);
        }
      });
    renderer.d3Force("charge").strength(-40).distanceMax(160);
    renderer.d3Force("pull", towardsCentre(nodes, 0.06));
    graph.renderer = renderer;
    graph.retheme = () => {
      colours = theme(host);
      redraw(renderer);
    };
    graph.nodes = () => screenNodes(renderer, box, nodes);
    graph.colours = () => colours;
    graph.destroy = () => renderer._destructor();
    host.gbGraph = graph;
    host.dataset.gbReady = "1";
  }

  /** The node under a click, from the nodes' positions now. force-graph's own answer comes
   * from a hidden canvas repainted at most every 800 ms, so just after the view or the layout
   * moved it can name a node that was there before. */
  function nodeAt(renderer, box, nodes, event, keep) {
    const rect = box.getBoundingClientRect();
    const p = renderer.screen2GraphCoords(event.clientX - rect.left, event.clientY - rect.top);
    const slack = 3 / renderer.zoom();
    let best = null;
    let bestDistance = Infinity;
    for (const n of nodes) {
      if (keep && !keep(n)) continue;
      const d = Math.hypot(n.x - p.x, n.y - p.y);
      if (d <= n.__radius + slack && d < bestDistance) {
        best = n;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Follow the node under a click, if any (see nodeAt). */
  function clickTo(host, renderer, box, nodes, keep) {
    return (event) => {
      const node = event && nodeAt(renderer, box, nodes, event, keep);
      if (node) navigate(host, node.url);
    };
  }

  /** A force that draws every node gently towards the centre (the page's concept), so that
   * what the layout repels stays in the picture. */
  function towardsCentre(nodes, strength) {
    return (alpha) => {
      for (const n of nodes) {
        n.vx -= n.x * strength * alpha;
        n.vy -= n.y * strength * alpha;
      }
    };
  }

  /** Where each node is on the screen (for tests and the benchmark: what to hover or click). */
  function screenNodes(renderer, box, nodes) {
    const rect = box.getBoundingClientRect();
    return nodes.map((n) => {
      const p = renderer.graph2ScreenCoords(n.x, n.y);
      return { url: n.url, title: n.title, x: rect.left + p.x, y: rect.top + p.y };
    });
  }

  // ---------------------------------------------------------------- the map

  function mountMap(host) {
    host.dataset.gbMounted = "1";
    const bar = element("div", "gb-map__bar");
    const find = element("div", "gb-map__find");
    const input = element("input", "gb-map__input");
    input.type = "search";
    input.placeholder = TEXT.find;
    input.setAttribute("aria-label", TEXT.find);
    input.autocomplete = "off";
    const results = element("ul", "gb-map__results");
    results.hidden = true;
    find.append(input, results);
    const filter = element("select", "gb-map__filter");
    filter.setAttribute("aria-label", "按笔记筛选");
    const count = element("span", "gb-map__count", TEXT.loading);
    bar.append(find, filter, count);
    const legend = element("div", "gb-map__legend");
    const box = element("div", "gb-map__canvas");
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", TEXT.mapTitle);
    host.replaceChildren(bar, legend, box);
    const graph = { host, box, renderer: null, destroy: () => {} };
    live.add(graph);
    Promise.all([loadLibrary(), fetchJSON("graph/graph.json")])
      .then(([ForceGraph, data]) =>
        drawMap(graph, ForceGraph, data, { input, results, filter, count, legend })
      )
      .catch((error) => {
        count.textContent = TEXT.failed;
        console.error(error);
      });
  }

  function drawMap(graph, ForceGraph, data, ui) {
    const { host, box } = graph;
    const rows = data.nodes;
    const n = rows.length;
    const spacing = 6;
    const layout = clusterLayout(n, (i) => (rows[i][4] >= 0 ? `g${rows[i][4]}` : `n${rows[i][3]}`), spacing);
    const nodes = new Array(n);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      const radius = 1.2 + Math.sqrt(row[5]) * 0.6;
      nodes[i] = {
        id: i,
        url: row[0],
        title: row[1],
        aliases: row[2],
        note: row[3],
        degree: row[5],
        x: layout.xs[i],
        y: layout.ys[i],
        fx: layout.xs[i],
        fy: layout.ys[i],
        __radius: radius,
        __val: radius * radius,
      };
    }
    const links = new Array(data.edges.length / 2);
    for (let k = 0; k < links.length; k++) {
      links[k] = { source: data.edges[2 * k], target: data.edges[2 * k + 1] };
    }
    const keys = rows.map((row) => findKeys(row[1], row[2], row[6] || []));

    let colours = theme(host);
    let noteShown = -1;
    let focused = null;
    let moving = false;
    let settle = 0;
    let first = true;
    const visible = (node) => noteShown < 0 || node.note === noteShown;

    ui.count.textContent = TEXT.count(n);
    ui.filter.replaceChildren(element("option", "", TEXT.allNotes));
    ui.filter.firstChild.value = "-1";
    data.notes.forEach((name, k) => {
      const option = element("option", "", name);
      option.value = String(k);
      ui.filter.appendChild(option);
      const chip = element("span", "gb-map__chip", name);
      chip.style.setProperty("--gb-chip", colourOf(k));
      ui.legend.appendChild(chip);
    });

    const renderer = ForceGraph()(box)
      .width(box.clientWidth || 600)
      .height(box.clientHeight || 500)
      .backgroundColor("rgba(0,0,0,0)")
      .autoPauseRedraw(true)
      .enableNodeDrag(false)
      .nodeRelSize(1)
      .nodeVal((node) => node.__val)
      .nodeColor((node) => colourOf(node.note))
      .nodeVisibility(visible)
      .linkVisibility((link) => !moving && visible(link.source) && visible(link.target))
      .linkColor(() => colours.edge)
      .linkWidth(0.5)
      // Links are not hovered or clicked: no need to paint 40,000 of them for the pointer.
      .linkPointerAreaPaint(() => {})
      .nodeLabel((node) => tooltipFor(node, data.notes[node.note]))
      // force-graph would fill each of 10,000 circles on its own; they are painted below, one
      // path per colour (its own canvas still paints them for the pointer, every 800 ms).
      .nodeCanvasObjectMode(() => "replace")
      .nodeCanvasObject(() => {})
      .onRenderFramePost((ctx, scale) => {
        const a = renderer.screen2GraphCoords(0, 0);
        const b = renderer.screen2GraphCoords(renderer.width(), renderer.height());
        const view = { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
        const shown = paintNodes(ctx, view, scale);
        paintLabels(ctx, scale, shown);
        host.dataset.gbDrawn = String(shown.length);
        if (first) {
          first = false;
          requestAnimationFrame(() => performance.mark(RENDERED_MARK));
        }
      })
      .onZoom(() => {
        // Panning and zooming draw the nodes alone; the links come back once it stops.
        moving = true;
        clearTimeout(settle);
        settle = setTimeout(() => {
          moving = false;
          redraw(renderer);
        }, 160);
      })
      .onNodeClick((node, event) => clickTo(host, renderer, box, nodes, visible)(event))
      .onBackgroundClick((event) => clickTo(host, renderer, box, nodes, visible)(event))
      .onNodeHover((node) => {
        box.style.cursor = node ? "pointer" : "";
      })
      .d3Force("charge", null)
      .d3Force("link", null)
      .d3Force("center", null)
      .cooldownTicks(0)
      .graphData({ nodes, links });
    renderer.zoomToFit(0, 16);

    // The nodes of each colour, in one list each: one path and one fill per colour and frame.
    const byColour = new Map();
    for (const node of nodes) {
      const colour = colourOf(node.note);
      if (!byColour.has(colour)) byColour.set(colour, []);
      byColour.get(colour).push(node);
    }

    /** Paint the nodes the filter keeps that are in view; the ones painted. A node under
     * 2.5 px on screen is a square: the eye cannot tell, and squares fill several times faster
     * than circles on a CPU (--disable-gpu). */
    function paintNodes(ctx, view, scale) {
      const square = 2.5 / scale;
      const shown = [];
      let kept = 0;
      for (const [colour, members] of byColour) {
        ctx.beginPath();
        for (const node of members) {
          const r = node.__radius;
          if (!visible(node)) continue;
          kept++;
          if (node.x + r < view.x0 || node.x - r > view.x1) continue;
          if (node.y + r < view.y0 || node.y - r > view.y1) continue;
          if (r < square) {
            ctx.rect(node.x - r, node.y - r, 2 * r, 2 * r);
          } else {
            ctx.moveTo(node.x + r, node.y);
            ctx.arc(node.x, node.y, r, 0, 2 * Math.PI);
          }
          shown.push(node);
        }
        ctx.fillStyle = colour;
        ctx.fill();
      }
      host.dataset.gbKept = String(kept);
      return shown;
    }

    /** Labels once a group is big enough on screen to read them (not while moving); the
     * focused concept always, ringed. */
    function paintLabels(ctx, scale, shown) {
      if (!moving && scale >= 2.5) {
        for (const node of shown) drawLabel(ctx, node, node.title, 11 / scale, colours.faint);
      }
      if (focused && visible(focused)) {
        ctx.beginPath();
        ctx.arc(focused.x, focused.y, focused.__radius + 3 / scale, 0, 2 * Math.PI);
        ctx.lineWidth = 2.5 / scale;
        ctx.strokeStyle = colours.text;
        ctx.stroke();
        drawLabel(ctx, focused, focused.title, 13 / scale, colours.text, "bold");
      }
    }

    function focus(index) {
      const node = nodes[index];
      if (!visible(node)) {
        noteShown = -1;
        ui.filter.value = "-1";
      }
      focused = node;
      host.dataset.gbFocused = node.url;
      renderer.centerAt(node.x, node.y, 600);
      renderer.zoom(5, 600);
    }

    let hits = [];
    function showHits() {
      hits = findConcepts(keys, ui.input.value, 8);
      ui.results.replaceChildren();
      if (!ui.input.value.trim()) {
        ui.results.hidden = true;
        return;
      }
      if (!hits.length) ui.results.appendChild(element("li", "gb-map__none", TEXT.none));
      for (const index of hits) {
        const item = element("li");
        const pick = element("button", "gb-map__hit");
        pick.type = "button";
        pick.appendChild(element("span", "gb-map__hit-title", nodes[index].title));
        if (nodes[index].aliases.length) {
          pick.appendChild(element("span", "gb-map__hit-aliases", nodes[index].aliases.join(" / ")));
        }
        pick.addEventListener("click", () => {
          ui.results.hidden = true;
          focus(index);
        });
        item.appendChild(pick);
        ui.results.appendChild(item);
      }
      ui.results.hidden = false;
    }
    ui.input.addEventListener("input", showHits);
    ui.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && hits.length) {
        event.preventDefault();
        ui.results.hidden = true;
        focus(hits[0]);
      } else if (event.key === "Escape") {
        ui.results.hidden = true;
      }
    });
    ui.filter.addEventListener("change", () => {
      noteShown = Number(ui.filter.value);
      redraw(renderer);
    });

    graph.renderer = renderer;
    graph.retheme = () => {
      colours = theme(host);
      redraw(renderer);
    };
    graph.nodes = () => screenNodes(renderer, box, nodes);
    graph.colours = () => colours;
    graph.focus = focus;
    graph.destroy = () => renderer._destructor();
    host.gbGraph = graph;
    host.dataset.gbNodes = String(n);
    host.dataset.gbReady = "1";
  }

  // ---------------------------------------------------------------- start

  function mount() {
    dropDetached();
    for (const host of document.querySelectorAll(".gb-local-graph[data-gb-graph]")) {
      if (!host.dataset.gbMounted) mountLocal(host);
    }
    for (const host of document.querySelectorAll(".gb-map[data-gb-map]")) {
      if (!host.dataset.gbMounted) mountMap(host);
    }
  }

  function start() {
    mount();
    // Material's instant navigation replaces the page's content: mount again on each
    // document it emits (document$), or when the content is swapped without it.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(() => mount());
    } else {
      new MutationObserver(() => mount()).observe(document.body, { childList: true });
    }
    // The palette toggle switches data-md-color-scheme: redraw with the new scheme's colours.
    new MutationObserver(() => {
      for (const graph of live) if (graph.retheme) graph.retheme();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    let resizing = 0;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => live.forEach(fitWidth), 100);
    });
  }

  start();
})();
