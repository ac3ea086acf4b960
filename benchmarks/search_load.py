"""What the site's own search costs a reader, in headless Chromium: for benchmarks/scale.py.

Used by scale.py (its "search in the browser" rows; ``scale.py --site DIR`` measures a built
site alone). Three figures of issue 13 ("Scale"), on a built site served from 127.0.0.1:

- **bytes**: every file the browser fetches from the start of a concept page's navigation until
  the first full-text answer of a query (``.gb-search-result[data-state=done]``), counted as a
  static host serves them: the body gzip-compressed at level 6 for .html/.css/.js/.json/.svg/
  .xml, raw for fonts and images. Split into the page itself (HTML, CSS, JS, fonts, images, the
  sitemap.xml Material's link previews fetch) and the search index (``search/**.json``:
  names.json, term shards, text chunks). Each query runs in a fresh browser context (nothing
  cached). Read from the page's Resource Timing entries that ended before the answer, so a
  snippet chunk fetched later (on scroll) is not counted.
- **time**: the same cold runs: from the ``load`` event (navigation start = 0) to the first
  answer rendered (``data-state=names``, the names layer, to the first keys typed) and to the
  whole query's full text (``data-state=done``). The box is focused and the query typed right
  after ``load``: typing is part of the wait, and so is a main thread busy with names.json.
- **keystrokes**: in one warm page, each query typed key by key (ASCII) or committed a word
  (two characters) at a time like an input method (CJK); for each key, from the key event to
  the result list holding the answer for the box's text: names layer and full text. The next
  key waits for the full text, so each figure is one key's own cost.

Times are read in the page (``performance.now()`` at the key event and in a MutationObserver on
the result element's data-state/data-query), not by the driver. Queries are drawn from the
built site's own names.json and text chunks with a seeded ``random.Random``.

Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from search_quality import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    SiteSearchBox,
    percentile,
    serve,
    type_text,
)

GZIPPED = frozenset({".html", ".css", ".js", ".json", ".svg", ".map", ".txt", ".xml"})
"""What a static host compresses (GitHub Pages, Netlify, nginx's gzip_types as usually set)."""
FONTS = frozenset({".woff2", ".woff", ".ttf", ".otf", ".eot"})
INDEX_PARTS = (("names.json", "search/names.json"), ("term shards", "search/terms/"))
TIMEOUT_MS = 60_000
IME_WORD = 2
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
"""Characters an input method commits at once for a CJK query (one word of two)."""

# Installed before any of the page's scripts: a log of the result element's (query, state)
# with the time each was set, the time of the key event armed by the driver, and a Resource
# Timing buffer large enough for every fetch.
BENCH_JS = """(() => {
  const bench = {log: [], keyAt: null, armed: false, namesAt: null, inputAt: null,
                 firstKeyAt: null};
  window.__scaleBench = bench;
  performance.setResourceTimingBufferSize(100000);
  const onKey = (event) => {
    if (bench.firstKeyAt === null) bench.firstKeyAt = event.timeStamp;
    if (bench.armed) { bench.armed = false; bench.keyAt = event.timeStamp; }
  };
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('beforeinput', onKey, true);
  window.addEventListener('input', () => { bench.inputAt = performance.now(); }, true);
  new MutationObserver(() => {
    const box = document.querySelector('.gb-search-result');
    if (!box) return;
    const t = performance.now();
    if (box.dataset.names === 'ready' && bench.namesAt === null) bench.namesAt = t;
    bench.log.push({t, query: box.dataset.query || '', state: box.dataset.state || ''});
  }).observe(document, {subtree: true, attributes: true,
                        attributeFilter: ['data-state', 'data-query', 'data-names']});
})();"""

# The time (performance.now()) the box first showed one of `states` for `query` (null: for any
# query typed) since `after` (null: the armed key), or null.
ANSWER_JS = """([query, states, after]) => {
  const bench = window.__scaleBench;
  const from = after === null ? bench.keyAt : after;
  if (from === null) return null;
  const wanted = (e) => (query === null ? e.query !== '' : e.query === query);
  const hit = bench.log.find(e => e.t >= from && wanted(e) && states.includes(e.state));
  return hit ? hit.t : null;
}"""

# Every fetch of the page so far, the document first: URL and the time it ended.
RESOURCES_JS = """() => [
  ...performance.getEntriesByType('navigation'),
  ...performance.getEntriesByType('resource'),
].map(e => ({url: e.name, end: e.responseEnd}))"""


# --- the queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str


def concept_pages(site: Path) -> list[tuple[int, list[Any]]]:
    """(document id, names.json record) of every concept page."""
    names = json.loads((site / "search" / "names.json").read_text(encoding="utf-8"))
    concept = names["kinds"].index("concept")
    return [(d, page) for d, page in enumerate(names["pages"]) if page[4] == concept]


def typo_of(word: str, rng: random.Random) -> str:
    """Two adjacent letters swapped inside the word (a Damerau–Levenshtein distance of 1)."""
    spots = [i for i in range(1, len(word) - 2) if word[i] != word[i + 1]]
    if not spots:
        return word[:-1]
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def body_phrase(site: Path, d: int, chunk: int, rng: random.Random) -> str | None:
    """Four adjacent Han characters (two words) from page `d`'s text, or None."""
    sections = json.loads((site / "search" / "text" / f"{d // chunk}.json").read_text("utf-8"))
    runs = [run for _, _, text in sections[d % chunk] for run in HAN_RUN.findall(text)]
    if not runs:
        return None
    run: str = rng.choice(runs)
    start = rng.randrange(len(run) - 3)
    return run[start : start + 4]


def pick_queries(site: Path, seed: int) -> list[BenchQuery]:
    """A title, a Latin alias, a typo of a Latin word, pinyin initials and a body phrase, each
    from a concept page drawn with `seed` (a kind the site has no material for is left out)."""
    rng = random.Random(f"search-load-{seed}")
    pages = concept_pages(site)
    chunk = int(json.loads((site / "search" / "names.json").read_text("utf-8"))["chunk"])
    queries = [BenchQuery("title", rng.choice(pages)[1][1])]
    latin = [a for _, page in pages for a in page[2] if a.isascii() and len(a) >= 5]
    if latin:
        queries.append(BenchQuery("latin", rng.choice(latin)))
        words = [w for w in re.findall(r"[A-Za-z]{5,}", rng.choice(latin))]
        if words:
            queries.append(BenchQuery("typo", typo_of(max(words, key=len).lower(), rng)))
    spoken = [p[5][0].split() for _, p in pages if p[5] and len(p[5][0].split()) >= 3]
    if spoken:
        queries.append(BenchQuery("pinyin-initials", "".join(s[0] for s in rng.choice(spoken))))
    for _ in range(10):
        phrase = body_phrase(site, rng.choice(pages)[0], chunk, rng)
        if phrase:
            queries.append(BenchQuery("body", phrase))
            break
    return queries


# --- bytes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    """Bytes as served (gzip -6 where a host compresses), by part of the page."""

    html: int = 0
    css: int = 0
    js: int = 0
    fonts_images: int = 0
    other: int = 0
    """Anything else the page asks for (Material's previews fetch sitemap.xml)."""
    names: int = 0
    terms: int = 0
    text: int = 0
    term_files: int = 0
    text_files: int = 0
    off_host: int = 0
    """Requests to another host (there must be none)."""

    @property
    def page(self) -> int:
        return self.html + self.css + self.js + self.fonts_images + self.other

    @property
    def index(self) -> int:
        return self.names + self.terms + self.text

    @property
    def total(self) -> int:
        return self.page + self.index


def file_of(site: Path, url: str) -> Path:
    """The site file a URL of the local server names (a folder URL: its index.html)."""
    path = site / unquote(urlparse(url).path).lstrip("/")
    return path / "index.html" if path.is_dir() else path


def served_size(file: Path) -> int:
    """The body's size on the wire: gzip -6 for what hosts compress; 0 for a 404."""
    if not file.is_file():
        return 0
    data = file.read_bytes()
    return len(gzip.compress(data, 6)) if file.suffix in GZIPPED else len(data)


def fetched_bytes(site: Path, base: str, urls: Sequence[str]) -> Fetched:
    """Sum what each URL costs, by part (search/**.json is the index; the rest is the page)."""
    parts: dict[str, int] = dict.fromkeys(
        ("html", "css", "js", "fonts_images", "other", "names", "terms", "text"), 0
    )
    term_files = text_files = off_host = 0
    for url in urls:
        if not url.startswith(base):
            off_host += 1
            continue
        file = file_of(site, url)
        relative = file.relative_to(site).as_posix()
        size = served_size(file)
        if relative == "search/names.json":
            parts["names"] += size
        elif relative.startswith("search/terms/"):
            parts["terms"] += size
            term_files += 1
        elif relative.startswith("search/text/"):
            parts["text"] += size
            text_files += 1
        elif file.suffix == ".html":
            parts["html"] += size
        elif file.suffix == ".css":
            parts["css"] += size
        elif file.suffix in (".js", ".mjs"):
            parts["js"] += size
        elif file.suffix in GZIPPED:
            parts["other"] += size
        else:
            parts["fonts_images"] += size
    return Fetched(**parts, term_files=term_files, text_files=text_files, off_host=off_host)


# --- one cold query: a fresh page, bytes and time ----------------------------------------------


@dataclass(frozen=True)
class ColdQuery:
    query: BenchQuery
    load_ms: float
    """The load event, from navigation start."""
    names_ready_ms: float | None
    """names.json loaded and indexed, from the load event."""
    first_ms: float | None
    """The first answer rendered (names layer, to the first keys typed), from the load event."""
    first_key_ms: float | None
    """The first key event, from the load event (the driver's delay after load)."""
    typed_ms: float | None
    """The last key's input event, from the load event (typing is part of the wait)."""
    done_ms: float | None
    """The full-text answer rendered, from the load event."""
    fetched: Fetched


def open_fresh(browser: Browser, url: str) -> Page:
    """A new context (empty cache) with the bench hooks, at `url`, after its load event."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(BENCH_JS)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


def cold_query(browser: Browser, site: Path, base: str, url: str, query: BenchQuery) -> ColdQuery:
    """Open `url` cold, type `query` right after load; time the answers, count the bytes."""
    page = open_fresh(browser, url)
    try:
        page.focus(SiteSearchBox.INPUT)
        type_text(page, query.text)
        load = float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart"))
        page.wait_for_function(
            ANSWER_JS, arg=[query.text, ["done", "failed"], 0], timeout=TIMEOUT_MS
        )
        first = page.evaluate(ANSWER_JS, [None, ["names", "done"], 0])
        first_key = page.evaluate("window.__scaleBench.firstKeyAt")
        typed = page.evaluate("window.__scaleBench.inputAt")
        done = page.evaluate(ANSWER_JS, [query.text, ["done"], 0])
        names_ready = page.evaluate("window.__scaleBench.namesAt")
        resources = page.evaluate(RESOURCES_JS)
        before = [r["url"] for r in resources if done is None or r["end"] <= done]
        fetched = fetched_bytes(site, base, before)
    finally:
        page.context.close()

    def since_load(t: float | None) -> float | None:
        return None if t is None else t - load

    return ColdQuery(
        query,
        load,
        since_load(names_ready),
        since_load(first),
        since_load(first_key),
        since_load(typed),
        since_load(done),
        fetched,
    )


# --- keystrokes in a warm page -----------------------------------------------------------------


@dataclass(frozen=True)
class KeyTiming:
    query: BenchQuery
    typed: str
    """The box's text after the key."""
    names_ms: float | None
    done_ms: float | None


def keystrokes(query: BenchQuery) -> list[str]:
    """What a reader enters: ASCII a key at a time, CJK a word at a time (an input method)."""
    if query.text.isascii():
        return list(query.text)
    return [query.text[i : i + IME_WORD] for i in range(0, len(query.text), IME_WORD)]


def clear_box(page: Page) -> None:
    page.focus(SiteSearchBox.INPUT)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.wait_for_function(
        "() => (document.querySelector('.gb-search-result').dataset.state || 'idle') === 'idle'",
        timeout=TIMEOUT_MS,
    )


def key_timings(page: Page, query: BenchQuery) -> list[KeyTiming]:
    """Type `query` into a ready box key by key; each key's time to its two answers."""
    clear_box(page)
    timings = []
    typed = ""
    for key in keystrokes(query):
        typed += key
        page.evaluate("window.__scaleBench.armed = true; window.__scaleBench.keyAt = null")
        type_text(page, key)
        want = typed.strip()
        page.wait_for_function(ANSWER_JS, arg=[want, ["done", "failed"], None], timeout=TIMEOUT_MS)
        key_at = float(page.evaluate("window.__scaleBench.keyAt"))
        names = page.evaluate(ANSWER_JS, [want, ["names"], None])
        done = page.evaluate(ANSWER_JS, [want, ["done"], None])
        timings.append(
            KeyTiming(
                query,
                typed,
                None if names is None else names - key_at,
                None if done is None else done - key_at,
            )
        )
    return timings


# --- the whole measurement ---------------------------------------------------------------------


@dataclass(frozen=True)
class BrowserRun:
    page_url: str
    queries: list[BenchQuery]
    cold: list[ColdQuery]
    keys: list[KeyTiming]
    error: str = ""


def measure_browser(site: Path, seed: int) -> BrowserRun:
    """Cold runs of every query on one concept page, then every query typed key by key."""
    queries = pick_queries(site, seed)
    rng = random.Random(f"search-load-page-{seed}")
    page_path = rng.choice(concept_pages(site))[1][0]
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            cold = [cold_query(browser, site, base, base + page_path, q) for q in queries]
            page = open_fresh(browser, base + page_path)
            page.click(SiteSearchBox.INPUT)
            page.wait_for_selector(".gb-search-result[data-names=ready]", timeout=TIMEOUT_MS)
            keys = [t for q in queries for t in key_timings(page, q)]
        finally:
            browser.close()
    return BrowserRun(page_path, queries, cold, keys)


# --- summaries (what the table shows) ----------------------------------------------------------


def worst_fetch(run: BrowserRun) -> Fetched | None:
    """The cold query that fetched the most before its full-text answer."""
    return max((c.fetched for c in run.cold), key=lambda f: f.total, default=None)


def median_max(values: Sequence[float | None]) -> tuple[float, float] | None:
    """(median, max) of the values, None when any is missing (an answer never came)."""
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    return statistics.median(known), max(known)


def key_percentiles(values: Sequence[float | None]) -> tuple[float, float] | None:
    """(p50, p90) nearest-rank, None when a key got no answer."""
    if not values or any(v is None for v in values):
        return None
    known = [v for v in values if v is not None]
    return percentile(known, 0.5), percentile(known, 0.9)


def describe_queries(run: BrowserRun) -> list[str]:
    """One line per query: its kind, text, keys, and its cold run's figures."""
    lines = [f"search queries (page {run.page_url}):"]
    for cold in run.cold:
        q, f = cold.query, cold.fetched
        keys = [k for k in run.keys if k.query == q]
        lines.append(
            f"  {q.kind:<16}{q.text!r:<34} {len(keys):>2} keys; cold: first "
            f"{_ms(cold.first_ms)} (keys from {_ms(cold.first_key_ms)} to"
            f" {_ms(cold.typed_ms)}), full text {_ms(cold.done_ms)}"
            f" after load; "
            f"{f.total / 1000:.0f} kB ({f.term_files} shards {f.terms / 1000:.1f} kB,"
            f" {f.text_files} chunks {f.text / 1000:.1f} kB)"
        )
    return lines


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms"
