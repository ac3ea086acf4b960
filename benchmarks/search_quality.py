"""Search quality in the real browser: recall@1, recall@5, MRR and time to results, per kind.

Usage: .venv/bin/python benchmarks/search_quality.py [--site DIR] [--box NAME] [--json OUT]
       [--queries tests/search_queries.tsv] [--screenshots DIR]
       .venv/bin/python benchmarks/search_quality.py --site OLD --box material --site NEW --box B

Without --site, the site is built into a temporary directory with
`.venv/bin/python -m mkdocs build --strict`. The site is served on 127.0.0.1 and Debian's
Chromium (/usr/bin/chromium, never a downloaded browser) is driven through Playwright. Each
query is typed into the site's search box the way a person does it, in one page: the box is
cleared, ASCII is typed key by key, CJK text is inserted (as an input method does) and
followed by a real key (End). The script waits until the result list has changed after the
last key and then stayed still for --settle-ms, reads the titles users see (one per
first-level result), and ranks the expected title among the first 10.

Everything that knows a particular search box is one class (`MaterialSearchBox` for
Material's, `SiteSearchBox` for the site's own); `BOXES` names them for --box, and by default
each site is driven with the box it has. Given several --site/--box pairs, every site is
run with the same queries and the tables are printed side by side (one --box applies to
every site).

Not a test: the time figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.local_servers import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
KINDS = ["zh-full", "zh-part", "en", "abbr", "pinyin", "pinyin-initials", "mixed", "typo", "body"]
TOP = 10


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


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The built site on a free port: its base URL, ending in a slash."""
    with serving(site) as base:
        yield f"{base}/"


@dataclass(frozen=True)
class Shown:
    """What a search box shows after a query: the first results' titles and links."""

    titles: list[str]
    hrefs: list[str]
    ms: float | None
    """From the last key released to the last change of the results."""
    timed_out: bool


class SearchBox(Protocol):
    """Everything the benchmark knows about one site's search UI."""

    name: str

    def index_files(self, site: Path) -> list[Path]:
        """The files of the built site that make up the search index (their size is shown)."""
        ...

    def open(self, page: Page, url: str) -> None:
        """Load the site at `url` and wait until its search answers."""
        ...

    def search(self, page: Page, text: str, settle_ms: int, timeout_ms: int) -> Shown:
        """Clear the box, type `text` as a reader does, wait for the results to settle."""
        ...


def type_text(page: Page, text: str) -> None:
    """ASCII key by key; CJK committed in one go, as an input method does, then a real key
    (boxes that search on keyboard events see one)."""
    if text.isascii():
        page.keyboard.type(text)
    else:
        page.keyboard.insert_text(text)
        page.keyboard.press("End")


class MaterialSearchBox:
    """Material's search box: its worker, its result list, its keyboard handling."""

    name = "material"
    INPUT = "input.md-search__input"

    # Installed once per page: times of the last key released in the search box and of the
    # last change to the result panel (its meta line "N 个符合条件的结果" and its list).
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

    # Resolves once the panel changed after the last key and then stayed still for `settle`
    # ms, or after `timeout` ms. Polls with requestAnimationFrame-free timers (headless-safe).
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

    def index_files(self, site: Path) -> list[Path]:
        return [site / "search" / "search_index.json"]

    def open(self, page: Page, url: str) -> None:
        page.goto(url, wait_until="networkidle")
        config = json.loads(page.locator("#__config").text_content() or "{}")
        ready_text = config.get("translations", {}).get("search.result.placeholder")
        page.evaluate(self.OBSERVER_JS)
        page.click(self.INPUT)
        # The worker loads search_index.json; the meta line leaves "initializing" when ready.
        if ready_text:
            page.wait_for_function(
                "(text) => document.querySelector('.md-search-result__meta').innerText.trim()"
                " === text",
                arg=ready_text,
                timeout=60_000,
            )

    def search(self, page: Page, text: str, settle_ms: int, timeout_ms: int) -> Shown:
        page.focus(self.INPUT)
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        if not page.evaluate(self.WAIT_CLEARED_JS, [100, timeout_ms]):
            print("warning: the result list did not clear", file=sys.stderr)
        type_text(page, text)
        waited = page.evaluate(self.WAIT_SETTLED_JS, [settle_ms, timeout_ms])
        shown = page.evaluate(self.READ_RESULTS_JS, TOP)
        return Shown(
            titles=[normalize_title(item["title"]) for item in shown],
            hrefs=[item["href"] for item in shown],
            ms=waited["ms"],
            timed_out=waited["timedOut"],
        )


class SiteSearchBox(MaterialSearchBox):
    """The site's own box (glossary_build/assets/search/search.js): Material's markup and
    classes, so typing and reading the results are Material's; its index is search/names.json
    with term shards and text chunks, ready once names.json is loaded."""

    name = "site"

    def index_files(self, site: Path) -> list[Path]:
        return sorted(path for path in (site / "search").rglob("*.json"))

    def open(self, page: Page, url: str) -> None:
        page.goto(url, wait_until="networkidle")
        page.evaluate(self.OBSERVER_JS)
        page.click(self.INPUT)
        page.wait_for_selector(".gb-search-result[data-names=ready]", timeout=60_000)


BOXES: dict[str, Callable[[], SearchBox]] = {"material": MaterialSearchBox, "site": SiteSearchBox}
"""The search boxes --box can drive, by name."""


def box_of(site: Path) -> str:
    """The box a built site has: its own index (search/names.json) or Material's."""
    return "site" if (site / "search" / "names.json").is_file() else "material"


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


def rank_of(titles: Sequence[str], expected: str) -> int | None:
    want = normalize_title(expected)
    return next((i for i, title in enumerate(titles, start=1) if title == want), None)


def run_queries(
    site: Path,
    box: SearchBox,
    queries: Sequence[Query],
    settle_ms: int,
    timeout_ms: int,
    screenshots: Path | None = None,
) -> list[Outcome]:
    """Serve `site`, open it in Chromium and put every query into `box`."""
    outcomes: list[Outcome] = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        box.open(page, url)
        for query in queries:
            shown = box.search(page, query.query, settle_ms, timeout_ms)
            outcome = Outcome(
                query=query.query,
                expected=query.expected,
                kind=query.kind,
                rank=rank_of(shown.titles, query.expected),
                titles=shown.titles,
                hrefs=shown.hrefs,
                ms=shown.ms,
                timed_out=shown.timed_out,
            )
            outcomes.append(outcome)
            if screenshots and outcome.rank != 1:
                screenshots.mkdir(parents=True, exist_ok=True)
                name = f"{box.name}-{len(outcomes):03d}-{outcome.kind}.png"
                page.screenshot(path=str(screenshots / name))
        browser.close()
    return outcomes


def summaries_by_kind(outcomes: Sequence[Outcome]) -> dict[str, dict[str, Any] | None]:
    """Every kind of KINDS (None where the query set has none of it), then `overall`."""
    table: dict[str, dict[str, Any] | None] = {
        kind: summarize([o for o in outcomes if o.kind == kind])
        if any(o.kind == kind for o in outcomes)
        else None
        for kind in KINDS
    }
    table["overall"] = summarize(list(outcomes))
    return table


def print_table(summaries: dict[str, dict[str, Any] | None]) -> None:
    print(
        f"{'kind':<16}{'n':>4}{'recall@1':>10}{'recall@5':>10}{'MRR':>8}"
        f"{'median ms':>11}{'p90 ms':>9}"
    )
    for kind, s in summaries.items():
        if s is None:
            print(f"{kind:<16}{0:>4}{'-':>10}{'-':>10}{'-':>8}{'-':>11}{'-':>9}")
            continue
        median = "-" if s["median_ms"] is None else f"{s['median_ms']:.0f}"
        p90 = "-" if s["p90_ms"] is None else f"{s['p90_ms']:.0f}"
        print(
            f"{kind:<16}{s['n']:>4}{s['recall@1']:>10.1%}{s['recall@5']:>10.1%}"
            f"{s['mrr']:>8.3f}{median:>11}{p90:>9}"
        )


def print_side_by_side(runs: Sequence[tuple[str, dict[str, dict[str, Any] | None]]]) -> None:
    """recall@1 / recall@5 / MRR of each run, one column group per run."""
    header = f"{'kind':<16}{'n':>4}" + "".join(f"  {label:>24}" for label, _ in runs)
    print(header)
    print(f"{'':<20}" + "".join(f"  {'r@1':>7} {'r@5':>7} {'MRR':>7}" for _ in runs))
    for kind in [*KINDS, "overall"]:
        n = next((s["n"] for _, table in runs if (s := table[kind]) is not None), 0)
        cells = []
        for _, table in runs:
            s = table[kind]
            if s is None:
                cells.append(f"  {'-':>7} {'-':>7} {'-':>7}")
            else:
                cells.append(f"  {s['recall@1']:>7.1%} {s['recall@5']:>7.1%} {s['mrr']:>7.3f}")
        print(f"{kind:<16}{n:>4}" + "".join(cells))


def report(
    label: str,
    box: SearchBox,
    site: Path,
    outcomes: Sequence[Outcome],
    summaries: dict[str, dict[str, Any] | None],
    queries_path: Path,
    timeout_ms: int,
) -> int:
    """Print one run's table and misses; return its index size in bytes."""
    size = sum(path.stat().st_size for path in box.index_files(site) if path.is_file())
    print(f"\n== {label}: {site}")
    print(f"{box.name} index: {size:,} bytes ({size / 1e6:.2f} MB, {size / 2**20:.2f} MiB)")
    print(f"queries: {len(outcomes)} from {queries_path}")
    print_table(summaries)
    print("ms: from the last key released to the last change of the results")
    print(f"\nnot first (rank; first 3 titles shown; top {TOP} read):")
    for o in outcomes:
        if o.rank != 1:
            shown = " | ".join(o.titles[:3]) or "(no results)"
            rank = "-" if o.rank is None else str(o.rank)
            print(f"  {o.kind:<16}{o.query!r:<28}→ {o.expected}  rank {rank:>2}  [{shown}]")
    overall = summaries["overall"]
    timed_out = overall["timed_out"] if overall else 0
    if timed_out:
        print(f"warning: {timed_out} queries hit the {timeout_ms} ms bound")
    s = overall or {"n": 0, "recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0}
    print(
        f"overall {s['n']} recall@1 {s['recall@1']:.1%} recall@5 {s['recall@5']:.1%}"
        f" MRR {s['mrr']:.3f}"
    )
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--site", type=Path, action="append", help="a built site (default: build one); repeatable"
    )
    parser.add_argument(
        "--box",
        action="append",
        choices=sorted(BOXES),
        help="the search box to drive, one per --site or one for all (default: the one each"
        " site has)",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="project to build (no --site)")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search_queries.tsv")
    parser.add_argument("--json", type=Path, help="write per-query results here")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot per missed query")
    parser.add_argument("--settle-ms", type=int, default=300, help="still time = results shown")
    parser.add_argument("--timeout-ms", type=int, default=5000, help="bound per query")
    args = parser.parse_args()
    queries = read_queries(args.queries)
    started = time.perf_counter()
    boxes: list[str] | None = args.box
    sites: list[Path] | None = args.site
    if sites is not None and boxes is not None and len(boxes) not in (1, len(sites)):
        parser.error("give one --box, or one --box per --site")

    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        if sites is None:
            sites = [Path(tmp) / "site"]
            build_site(args.root, sites[0])
        if boxes is None:
            boxes = [box_of(site) for site in sites]
        elif len(boxes) == 1:
            boxes = boxes * len(sites)
        for number, (site, box_name) in enumerate(zip(sites, boxes, strict=True), start=1):
            box = BOXES[box_name]()
            outcomes = run_queries(
                site, box, queries, args.settle_ms, args.timeout_ms, args.screenshots
            )
            summaries = summaries_by_kind(outcomes)
            label = f"run {number} ({box_name})"
            size = report(label, box, site, outcomes, summaries, args.queries, args.timeout_ms)
            runs.append(
                {
                    "label": label,
                    "site": str(site),
                    "box": box_name,
                    "index_bytes": size,
                    "summary": summaries,
                    "queries": [asdict(o) for o in outcomes],
                }
            )

    if len(runs) > 1:
        print("\nside by side:")
        print_side_by_side([(r["label"], r["summary"]) for r in runs])
    print(f"wall time: {time.perf_counter() - started:.1f} s")

    if args.json:
        args.json.write_text(
            json.dumps(runs[0] if len(runs) == 1 else {"runs": runs}, ensure_ascii=False, indent=2)
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
