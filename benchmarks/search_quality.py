"""Search quality in the real browser: recall@1, recall@5, MRR and time to results.

Usage: .venv/bin/python benchmarks/search_quality.py [--site DIR] [--json OUT]
       [--queries tests/search_queries.tsv] [--screenshots DIR]

Without --site, the site is built into a temporary directory with
`.venv/bin/python -m mkdocs build --strict`. The site is served on 127.0.0.1 and Debian's
Chromium (/usr/bin/chromium, never a downloaded browser) is driven through Playwright. Each
query is typed into Material's search box the way a person does it, in one page: the box is
cleared (Ctrl+A, Backspace), ASCII is typed key by key, CJK text is inserted (as an input
method does) and followed by a real key (End), because Material searches on keyboard events.
The script waits until the result list has changed after the last key and then stayed still
for --settle-ms, reads the titles users see (the `h1` of each first-level result), and ranks
the expected title among the first 10.

Not a test: the time figures depend on the machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import math
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KINDS = ["zh-full", "zh-part", "body", "en", "abbr", "pinyin"]
TOP = 10
SEARCH_INPUT = "input.md-search__input"

# Installed once per page: times of the last key released in the search box and of the last
# change to the result panel (its meta line "N 个符合条件的结果" and its list).
OBSERVER_JS = """() => {
  const state = {lastKey: 0, lastChange: 0, changes: 0};
  window.__searchBench = state;
  document.querySelector('input.md-search__input').addEventListener('keyup', () => {
    state.lastKey = performance.now();
  }, true);
  new MutationObserver(() => {
    state.lastChange = performance.now();
    state.changes += 1;
  }).observe(document.querySelector('.md-search-result'),
             {childList: true, subtree: true, characterData: true});
}"""

# Resolves once the panel changed after the last key and then stayed still for `settle` ms,
# or after `timeout` ms. Polls with requestAnimationFrame-free timers (headless-safe).
WAIT_SETTLED_JS = """async ([settle, timeout]) => {
  const state = window.__searchBench;
  const start = performance.now();
  while (true) {
    const now = performance.now();
    const changed = state.lastChange > state.lastKey;
    if (changed && now - state.lastChange >= settle) {
      return {ms: state.lastChange - state.lastKey, timedOut: false};
    }
    if (now - start >= timeout) {
      return {ms: changed ? state.lastChange - state.lastKey : null, timedOut: true};
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}"""

# What a reader sees: the title line of each first-level result, in order.
READ_RESULTS_JS = """(top) => Array.from(
  document.querySelectorAll('.md-search-result__list > li.md-search-result__item')
).slice(0, top).map(li => {
  const link = li.querySelector('a.md-search-result__link');
  const h1 = li.querySelector('article h1');
  return {title: h1 ? h1.innerText : '', href: link ? link.getAttribute('href') : ''};
})"""

# Resolves once the list is empty and the panel has been still for `settle` ms.
WAIT_CLEARED_JS = """async ([settle, timeout]) => {
  const state = window.__searchBench;
  const start = performance.now();
  while (performance.now() - start < timeout) {
    const empty = !document.querySelector('.md-search-result__list > li');
    if (empty && performance.now() - state.lastChange >= settle) return true;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  return false;
}"""


@dataclass
class Query:
    query: str
    expected: str
    kind: str


@dataclass
class Outcome:
    query: str
    expected: str
    kind: str
    rank: int | None
    titles: list[str]
    hrefs: list[str]
    ms: float | None
    timed_out: bool


def normalize_title(text: str) -> str:
    """Material's index joins jieba's words with U+200B; a reader does not see them."""
    return " ".join(text.replace("\u200b", "").split())


def read_queries(path: Path) -> list[Query]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    if header != ["query", "expected_title", "kind"]:
        raise SystemExit(f"{path}: header must be query<TAB>expected_title<TAB>kind")
    queries = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3 or fields[2] not in KINDS:
            raise SystemExit(f"{path}:{number}: expected 3 fields, kind in {KINDS}: {line!r}")
        queries.append(Query(*fields))
    return queries


def build_site(root: Path, out: Path) -> None:
    python = root / ".venv" / "bin" / "python"
    command = [str(python if python.exists() else sys.executable), "-m", "mkdocs"]
    start = time.perf_counter()
    proc = subprocess.run(
        [*command, "build", "--strict", "--site-dir", str(out)],
        cwd=root,
        check=False,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"mkdocs build --strict failed in {root} (exit {proc.returncode})")
    print(f"built the site into {out} in {time.perf_counter() - start:.1f} s")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def open_search(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    config = json.loads(page.locator("#__config").text_content() or "{}")
    ready_text = config.get("translations", {}).get("search.result.placeholder")
    page.evaluate(OBSERVER_JS)
    page.click(SEARCH_INPUT)
    # The worker loads search_index.json; the meta line leaves "initializing" when it is ready.
    if ready_text:
        page.wait_for_function(
            "(text) => document.querySelector('.md-search-result__meta').innerText.trim() === text",
            arg=ready_text,
            timeout=60_000,
        )


def type_query(page: Page, text: str) -> None:
    if text.isascii():
        page.keyboard.type(text)
    else:
        # An input method commits CJK text in one go; Material only reacts to key events.
        page.keyboard.insert_text(text)
        page.keyboard.press("End")


def clear_box(page: Page, settle_ms: int, timeout_ms: int) -> None:
    page.focus(SEARCH_INPUT)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if not page.evaluate(WAIT_CLEARED_JS, [settle_ms, timeout_ms]):
        print("warning: the result list did not clear", file=sys.stderr)


def run_query(page: Page, query: Query, settle_ms: int, timeout_ms: int) -> Outcome:
    clear_box(page, settle_ms=100, timeout_ms=timeout_ms)
    type_query(page, query.query)
    waited = page.evaluate(WAIT_SETTLED_JS, [settle_ms, timeout_ms])
    shown = page.evaluate(READ_RESULTS_JS, TOP)
    titles = [normalize_title(item["title"]) for item in shown]
    want = normalize_title(query.expected)
    rank = next((i for i, title in enumerate(titles, start=1) if title == want), None)
    return Outcome(
        query=query.query,
        expected=query.expected,
        kind=query.kind,
        rank=rank,
        titles=titles,
        hrefs=[item["href"] for item in shown],
        ms=waited["ms"],
        timed_out=waited["timedOut"],
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarize(outcomes: list[Outcome]) -> dict[str, Any]:
    n = len(outcomes)
    times = [o.ms for o in outcomes if o.ms is not None]
    return {
        "n": n,
        "recall@1": sum(o.rank == 1 for o in outcomes) / n,
        "recall@5": sum(o.rank is not None and o.rank <= 5 for o in outcomes) / n,
        "mrr": sum(1 / o.rank for o in outcomes if o.rank is not None) / n,
        "median_ms": statistics.median(times) if times else None,
        "p90_ms": percentile(times, 0.9) if times else None,
        "timed_out": sum(o.timed_out for o in outcomes),
    }


def print_table(summaries: dict[str, dict[str, Any]]) -> None:
    print(
        f"{'kind':<9}{'n':>4}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}"
        f"{'median ms':>11}{'p90 ms':>9}"
    )
    for kind, s in summaries.items():
        median = "-" if s["median_ms"] is None else f"{s['median_ms']:.0f}"
        p90 = "-" if s["p90_ms"] is None else f"{s['p90_ms']:.0f}"
        print(
            f"{kind:<9}{s['n']:>4}{s['recall@1']:>10.1%}{s['recall@5']:>10.1%}"
            f"{s['mrr']:>8.3f}{median:>11}{p90:>9}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--root", type=Path, default=ROOT, help="project to build (no --site)")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search_queries.tsv")
    parser.add_argument("--json", type=Path, help="write per-query results here")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot per missed query")
    parser.add_argument("--settle-ms", type=int, default=300, help="still time = results shown")
    parser.add_argument("--timeout-ms", type=int, default=5000, help="bound per query")
    args = parser.parse_args()
    queries = read_queries(args.queries)
    started = time.perf_counter()

    with tempfile.TemporaryDirectory() as tmp:
        site: Path = args.site or Path(tmp) / "site"
        if args.site is None:
            build_site(args.root, site)
        index = site / "search" / "search_index.json"
        size = index.stat().st_size
        outcomes: list[Outcome] = []
        with serve(site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            open_search(page, url)
            for query in queries:
                outcome = run_query(page, query, args.settle_ms, args.timeout_ms)
                outcomes.append(outcome)
                if args.screenshots and outcome.rank != 1:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    name = f"{len(outcomes):02d}-{outcome.kind}.png"
                    page.screenshot(path=str(args.screenshots / name))
            browser.close()

    summaries = {
        kind: summarize([o for o in outcomes if o.kind == kind])
        for kind in KINDS
        if any(o.kind == kind for o in outcomes)
    }
    summaries["overall"] = summarize(outcomes)
    print(f"search_index.json: {size:,} bytes ({size / 1e6:.2f} MB, {size / 2**20:.2f} MiB)")
    print(f"queries: {len(outcomes)} from {args.queries}")
    print_table(summaries)
    print("ms: from the last key released to the last change of the result panel")
    print(f"\nnot first (rank; first 3 titles shown; top {TOP} read):")
    for o in outcomes:
        if o.rank != 1:
            shown = " | ".join(o.titles[:3]) or "(no results)"
            rank = "-" if o.rank is None else str(o.rank)
            print(f"  {o.kind:<8}{o.query!r:<28}→ {o.expected}  rank {rank:>2}  [{shown}]")
    timed_out = summaries["overall"]["timed_out"]
    if timed_out:
        print(f"warning: {timed_out} queries hit the {args.timeout_ms} ms bound")
    print(f"wall time: {time.perf_counter() - started:.1f} s")

    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "index_bytes": size,
                    "summary": summaries,
                    "queries": [asdict(o) for o in outcomes],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
