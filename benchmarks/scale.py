"""How the build scales: the real corpus and synthetic ones of 1,000 and 10,000 concepts.

Usage: .venv/bin/python benchmarks/scale.py [--sizes real,1000,10000] [--no-serve | --no-build]
       [--no-browser] [--json OUT] [--seed 1] [--repeat 1] [--workdir DIR --keep]
       .venv/bin/python benchmarks/scale.py --site DIR   (search in the browser only)

For each size, in a project directory of its own (the real notes are copied, never edited;
synthetic notes come from ``synth_corpus.generate``), prints one table with:

- our step's time per stage, in this process: discover, then ``pipeline.build_from_sources``
  itself, timed stage by stage through its ``on_stage_done`` (best of ``--repeat`` cold
  builds): outline (parse → normalize → model), places (merge, slugs, the names digest),
  links (cross-links, backlinks), graph (concept graph, related lists), pages (every page
  and the nav); and math (KaTeX renders: cold = empty cache, warm = the same cache with a
  fresh renderer, as a new ``mkdocs build`` sees it);
- the whole ``mkdocs build`` (a subprocess; ``--strict`` for the real corpus only), cold (empty
  ``GLOSSARY_KATEX_CACHE``) then warm (same cache): wall time, the plugin's own time inside
  it (``mkdocs_timed.py`` times every plugin hook and the Markdown math preprocessor), our
  share, katex processes started, peak RSS, the search index's size (every
  ``search/*.json``, and gzipped) and site size;
- ``mkdocs serve --livereload --dirty`` (warm cache, as README.md runs it): seconds until the
  first build is served, then, after appending a line to the biggest note, seconds until the
  changed page's HTML holds the new text, and the plugin's own time in that rebuild;
- the search index's own build time (the plugin's log line ``search index: … in T s (sections
  read in S s)``: T writes the index, S reads every page's sections) as a share of the build,
  with the build's peak RSS next to it;
- search in the browser (``search_load.py``, headless Chromium, on the warm build's site): bytes
  fetched from a concept page's navigation to a query's first full-text answer (gzip -6 where a
  static host compresses), split into the page and the index; time from the ``load`` event to
  the first answer and to the full text; each keystroke's time to its answer (names layer, full
  text), p50/p90. Queries are drawn from the site's own names and text (``--seed``) and listed
  under the table. ``--no-browser`` skips it; ``--site DIR`` measures only that, on a built site.

Not a test: the numbers depend on the machine (tests/test_benchmarks.py only checks that the
script runs on a tiny corpus).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import synth_corpus  # noqa: E402
from search_load import (  # noqa: E402
    BrowserRun,
    describe_queries,
    key_percentiles,
    measure_browser,
    median_max,
    worst_fetch,
)

from glossary_build.katex import DEFAULT_NPM_KATEX, KatexRenderer  # noqa: E402
from glossary_build.math_render import render_formulas  # noqa: E402
from glossary_build.normalize import normalize  # noqa: E402
from glossary_build.parse import parse_note  # noqa: E402
from glossary_build.pipeline import STAGES as PIPELINE_STAGES  # noqa: E402
from glossary_build.pipeline import build_from_sources  # noqa: E402
from glossary_build.sources import discover  # noqa: E402
from glossary_build.types import Entry, NoteOutline  # noqa: E402

T = TypeVar("T")
TIMED_MKDOCS = HERE / "mkdocs_timed.py"
# Without a renderer the pipeline's math stage does nothing: math is timed on its own below.
STAGES = ("discover", *(stage for stage in PIPELINE_STAGES if stage != "math"))
EDIT_MARKER = "ZQXEDIT"
INDEX_LOG = re.compile(
    r"search index: (\d+) pages, (\d+) files, ([\d.]+) MB in ([\d.]+) s"
    r" \(sections read in ([\d.]+) s\)"
)


def log(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- our step, in process ----------------------------------------------------------------------


@dataclass
class StageTimes:
    seconds: dict[str, float] = field(default_factory=dict)
    math_cold: float = 0.0
    math_warm: float = 0.0
    notes: int = 0
    concepts: int = 0
    pages: int = 0
    formulas: int = 0
    distinct_formulas: int = 0
    edit_note: str = ""
    edit_page: str = ""
    edit_indented: bool = False


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


class StageClock:
    """Seconds of each stage of one ``build_from_sources``, told by its ``on_stage_done``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self._last
        self._last = now


def time_stages(project: Path, repeat: int) -> StageTimes:
    """The real pipeline's stages, each its best of ``repeat`` cold builds (no cache)."""
    concepts_dir = project / "concepts"
    out = StageTimes()
    # Untimed warm-up on one note: imports, compiled regexes, pypinyin's data.
    first, _ = discover(concepts_dir, project)
    build_from_sources(first[:1], "scale")

    t, (sources, _) = best_of(repeat, lambda: discover(concepts_dir, project))
    out.seconds["discover"] = t
    result = None
    for _ in range(max(1, repeat)):
        clock = StageClock()
        result = build_from_sources(sources, "scale", on_stage_done=clock.lap)
        for stage, seconds in clock.seconds.items():
            if stage in STAGES:
                out.seconds[stage] = min(out.seconds.get(stage, seconds), seconds)
    assert result is not None
    outlines = result.notes

    npm = project / DEFAULT_NPM_KATEX
    with tempfile.TemporaryDirectory(prefix="scale-katex-") as cache:
        start = time.perf_counter()
        render_formulas(outlines, KatexRenderer(Path(cache), npm_katex=npm))
        out.math_cold = time.perf_counter() - start
        out.math_warm, _ = best_of(
            repeat,
            lambda: render_formulas(outlines, KatexRenderer(Path(cache), npm_katex=npm)),
        )

    keys = [(f.tex, f.display) for o in outlines for f in o.formulas]
    out.notes, out.concepts, out.pages = len(sources), len(result.entries), len(result.pages)
    out.formulas, out.distinct_formulas = len(keys), len(set(keys))
    _choose_edit(out, outlines, result.entries)
    return out


def _choose_edit(
    out: StageTimes, outlines: Sequence[NoteOutline], entries: Sequence[Entry]
) -> None:
    """The note `mkdocs serve` is measured on (the biggest) and its last concept's page."""
    candidates = [(len(o.concepts), i) for i, o in enumerate(outlines) if o.concepts]
    if not candidates:
        return
    _, index = max(candidates)
    last = outlines[index].concepts[-1].span
    for entry in entries:
        if any(p.concept.span == last for p in entry.parts):
            out.edit_note = outlines[index].source.path
            out.edit_page = page_url(entry.path)
            raw, _ = parse_note(outlines[index].source)
            out.edit_indented = normalize(raw)[0].indented_bodies
            return


def page_url(path: str) -> str:
    """`concepts/tensor.md` → `concepts/tensor/` (use_directory_urls, MkDocs' default)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


# --- mkdocs build ------------------------------------------------------------------------------


@dataclass
class BuildRun:
    ran: bool = True
    ok: bool = False
    wall: float = 0.0
    plugin: float | None = None
    markdown_math: float | None = None
    hooks: dict[str, float] = field(default_factory=dict)
    katex_processes: int | None = None
    peak_rss_mb: float = 0.0
    search_index_mb: float | None = None
    search_index_gzip_mb: float | None = None
    """What a phone downloads from a host that compresses JSON (GitHub Pages does)."""
    site_mb: float = 0.0
    index_write_s: float | None = None
    """The plugin's on_post_build: its pages' records and every search/ file written."""
    index_sections_s: float | None = None
    """Summed over on_page_content: each page's sections read from its HTML."""
    warnings: int = 0
    error: str = ""


def _records(report: Path) -> list[dict[str, Any]]:
    if not report.exists():
        return []
    lines = report.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _tree_size(path: Path) -> int:
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                total += file.stat().st_size
    return total


def index_seconds(output: str) -> tuple[float, float] | None:
    """(T, S) of the plugin's last `search index: … in T s (sections read in S s)` line."""
    found = INDEX_LOG.findall(output)
    if not found:
        return None
    *_, write, sections = found[-1]
    return float(write), float(sections)


def mkdocs_build(project: Path, cache: Path, strict: bool, site: Path) -> BuildRun:
    """Build `project` into `site` (kept: the browser figures are measured on it)."""
    run = BuildRun()
    with (
        tempfile.TemporaryDirectory(prefix="scale-report-") as tmp,
        tempfile.TemporaryFile() as output,
    ):
        report = Path(tmp) / "report.jsonl"
        env = {
            **os.environ,
            "GLOSSARY_KATEX_CACHE": str(cache),
            "GLOSSARY_BENCH_REPORT": str(report),
        }
        command = [sys.executable, str(TIMED_MKDOCS), "build", "--site-dir", str(site)]
        if strict:
            command.append("--strict")
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
        _, status, usage = os.wait4(proc.pid, 0)
        run.wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
        run.ok = proc.returncode == 0
        run.peak_rss_mb = usage.ru_maxrss / 1024
        run.warnings = sum(1 for line in text.splitlines() if line.startswith("WARNING"))
        match = re.search(r"(\d+) katex processes started", text)
        run.katex_processes = int(match.group(1)) if match else None
        seconds = index_seconds(text)
        if seconds is not None:
            run.index_write_s, run.index_sections_s = seconds
        records = _records(report)
        if records:
            run.plugin = float(records[-1]["plugin_s"])
            run.hooks = dict(records[-1].get("hooks", {}))
            run.markdown_math = run.hooks.get("MathPreprocessor.run")
        index = [p for p in (Path(site) / "search").rglob("*.json") if p.is_file()]
        run.search_index_mb = sum(p.stat().st_size for p in index) / 1e6 if index else None
        if index:
            run.search_index_gzip_mb = (
                sum(len(gzip.compress(p.read_bytes(), 6)) for p in index) / 1e6
            )
        run.site_mb = _tree_size(Path(site)) / 1e6
        if not run.ok:
            run.error = "\n".join(text.splitlines()[-15:])
    return run


# --- mkdocs serve ------------------------------------------------------------------------------


@dataclass
class ServeRun:
    ok: bool = False
    first_build: float | None = None
    edit_to_page: float | None = None
    rebuild_plugin: float | None = None
    rebuild_build: float | None = None
    page: str = ""
    error: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until(check: Callable[[], bool], bound: float, every: float = 0.05) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < bound:
        if check():
            return time.monotonic() - start
        time.sleep(every)
    return None


def measure_serve(project: Path, cache: Path, stages: StageTimes, bound: float) -> ServeRun:
    run = ServeRun(page=stages.edit_page)
    if not stages.edit_note:
        run.error = "no concept to edit"
        return run
    note = project / stages.edit_note
    original = note.read_bytes()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    url = base + stages.edit_page
    with (
        tempfile.TemporaryDirectory(prefix="scale-serve-") as tmp,
        tempfile.TemporaryFile() as output,
    ):
        report = Path(tmp) / "report.jsonl"
        env = {
            **os.environ,
            "SITE_URL": base,
            "GLOSSARY_KATEX_CACHE": str(cache),
            "GLOSSARY_BENCH_REPORT": str(report),
        }
        command = [
            sys.executable,
            str(TIMED_MKDOCS),
            "serve",
            "--livereload",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
        ]
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
        try:
            run.first_build = wait_until(
                lambda: http_get(url) is not None and len(_records(report)) >= 1, bound, 0.25
            )
            if run.first_build is None:
                run.error = f"not served within {bound:.0f} s"
                return run
            marker = f"{EDIT_MARKER}{time.time_ns()}"
            text = original.decode("utf-8")
            line = f"    {marker}\n" if stages.edit_indented else f"\n{marker}\n"
            note.write_bytes((text + ("" if text.endswith("\n") else "\n") + line).encode())
            run.edit_to_page = wait_until(lambda: marker in (http_get(url) or ""), bound)
            if run.edit_to_page is None:
                run.error = f"the edit did not reach {url} within {bound:.0f} s"
                return run
            if wait_until(lambda: len(_records(report)) >= 2, bound, 0.1) is not None:
                record = _records(report)[-1]
                run.rebuild_plugin = float(record["plugin_s"])
                run.rebuild_build = record.get("build_s")
            run.ok = True
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            note.write_bytes(original)
            if not run.ok and not run.error:
                output.seek(0)
                run.error = "\n".join(output.read().decode("utf-8", "replace").splitlines()[-15:])
    return run


# --- one size ----------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: str
    project: str
    stages: StageTimes
    cold: BuildRun
    warm: BuildRun
    serve: ServeRun | None
    browser: BrowserRun | None = None
    browser_error: str = ""


def prepare(size: str, workdir: Path, seed: int) -> Path:
    project = workdir / f"corpus-{size}"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    if size == "real":
        shutil.copytree(ROOT / "concepts", project / "concepts")
        synth_corpus.install_project(project)
    else:
        synth_corpus.generate(int(size), seed, project)
    return project


def measure_search(site: Path, seed: int) -> tuple[BrowserRun | None, str]:
    """search_load's figures on a built site, or the reason there are none."""
    if not (site / "search" / "names.json").is_file():
        return None, f"{site}: no search/names.json"
    try:
        return measure_browser(site, seed), ""
    except Exception as error:  # a browser that fails must not lose the build figures
        return None, f"search in the browser: {type(error).__name__}: {error}"


def measure(
    size: str,
    workdir: Path,
    seed: int,
    repeat: int,
    serve: bool,
    build: bool = True,
    browser: bool = True,
) -> SizeResult:
    log(f"{size}: preparing the project")
    project = prepare(size, workdir, seed)
    log(f"{size}: timing our stages in process")
    stages = time_stages(project, repeat)
    log(f"{size}: {stages.concepts} concepts, {stages.pages} pages")
    if not build:
        return SizeResult(
            size, str(project), stages, BuildRun(ran=False), BuildRun(ran=False), None
        )
    log(f"{size}: mkdocs build (cold)")
    strict = size == "real"
    cache = workdir / f"katex-cache-{size}"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir()
    site = workdir / f"site-{size}"
    cold = mkdocs_build(project, cache, strict, site)
    log(f"{size}: cold build {cold.wall:.1f} s; mkdocs build (warm)")
    warm = mkdocs_build(project, cache, strict, site)
    log(f"{size}: warm build {warm.wall:.1f} s")
    search_run, search_error = None, ""
    if browser and warm.ok:
        log(f"{size}: search in the browser")
        search_run, search_error = measure_search(site, seed)
        log(f"{size}: search in the browser done {search_error}")
    serve_run = None
    if serve:
        bound = max(120.0, 4 * max(cold.wall, warm.wall))
        log(f"{size}: mkdocs serve, editing {stages.edit_note} (bound {bound:.0f} s)")
        serve_run = measure_serve(project, cache, stages, bound)
        log(f"{size}: serve edit → page {serve_run.edit_to_page} s {serve_run.error}")
    return SizeResult(size, str(project), stages, cold, warm, serve_run, search_run, search_error)


# --- the table ---------------------------------------------------------------------------------


def _fmt(value: float | int | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def table(results: Sequence[SizeResult]) -> str:
    columns: list[tuple[SizeResult, str]] = [(r, c) for r in results for c in ("cold", "warm")]
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, get: Callable[[SizeResult, str], str]) -> None:
        rows.append((label, [get(r, c) for r, c in columns]))

    def section(label: str) -> None:
        rows.append((label, [""] * len(columns)))

    def run_of(r: SizeResult, c: str) -> BuildRun:
        return r.cold if c == "cold" else r.warm

    def ours(r: SizeResult, c: str) -> float:
        math = r.stages.math_cold if c == "cold" else r.stages.math_warm
        return sum(r.stages.seconds.values()) + math

    row("notes", lambda r, c: _fmt(r.stages.notes))
    row("concepts (pages of concepts)", lambda r, c: _fmt(r.stages.concepts))
    row("generated pages", lambda r, c: _fmt(r.stages.pages))
    row(
        "formulas (distinct)",
        lambda r, c: f"{r.stages.formulas:,} ({r.stages.distinct_formulas:,})",
    )
    section("our step, in process (s)")

    def stage_time(stage: str) -> Callable[[SizeResult, str], str]:
        return lambda r, c: _fmt(r.stages.seconds.get(stage), 3)

    for stage in STAGES:
        row(f"  {stage}", stage_time(stage))
    row(
        "  math (KaTeX render cache)",
        lambda r, c: _fmt(r.stages.math_cold if c == "cold" else r.stages.math_warm, 3),
    )
    row("  total", lambda r, c: _fmt(ours(r, c), 3))
    section("mkdocs build (subprocess)")

    def build_row(label: str, get: Callable[[SizeResult, str], str]) -> None:
        row(label, lambda r, c: get(r, c) if run_of(r, c).ran else "–")

    build_row(
        "  wall (s)",
        lambda r, c: _fmt(run_of(r, c).wall, 1) + ("" if run_of(r, c).ok else " FAILED"),
    )
    build_row("  plugin's own time (s)", lambda r, c: _fmt(run_of(r, c).plugin))
    build_row("    of it Markdown math (s)", lambda r, c: _fmt(run_of(r, c).markdown_math))
    build_row(
        "    of it jieba dictionary load (s)",
        lambda r, c: _fmt(run_of(r, c).hooks.get("jieba load")),
    )
    build_row(
        "  our share: plugin / wall",
        lambda r, c: _percent(run_of(r, c).plugin, run_of(r, c).wall),
    )
    build_row(
        "  our share: in-process / wall",
        lambda r, c: _percent(ours(r, c), run_of(r, c).wall),
    )
    build_row("  katex processes", lambda r, c: _fmt(run_of(r, c).katex_processes))
    build_row("  peak RSS (MB; budget 3 GB)", lambda r, c: _fmt(run_of(r, c).peak_rss_mb, 0))
    build_row("  search index build: write T (s)", lambda r, c: _fmt(run_of(r, c).index_write_s))
    build_row(
        "  search index build: sections S (s)",
        lambda r, c: _fmt(run_of(r, c).index_sections_s),
    )
    build_row(
        "  search index build: (T+S) / wall (≤ 15%)",
        lambda r, c: _percent(index_build_seconds(run_of(r, c)), run_of(r, c).wall),
    )
    build_row("  search index, all files (MB)", lambda r, c: _fmt(run_of(r, c).search_index_mb))
    build_row("  search index gzip -6 (MB)", lambda r, c: _fmt(run_of(r, c).search_index_gzip_mb))
    build_row("  site (MB)", lambda r, c: _fmt(run_of(r, c).site_mb, 1))
    build_row("  warnings", lambda r, c: _fmt(run_of(r, c).warnings))
    if any(r.serve is not None for r in results):
        section("mkdocs serve (warm cache)")

        def serve_value(
            get: Callable[[ServeRun], float | None],
        ) -> Callable[[SizeResult, str], str]:
            def value(r: SizeResult, c: str) -> str:
                if c == "cold" or r.serve is None:
                    return ""
                got = get(r.serve)
                return _fmt(got, 2) if got is not None else "FAILED" if not r.serve.ok else "–"

            return value

        row("  first build served (s)", serve_value(lambda s: s.first_build))
        row("  edit → page updated (s)", serve_value(lambda s: s.edit_to_page))
        row("  rebuild: plugin's own time (s)", serve_value(lambda s: s.rebuild_plugin))
        row("  rebuild: on_config→post_build (s)", serve_value(lambda s: s.rebuild_build))

    if any(r.browser is not None or r.browser_error for r in results):
        section("search in the browser (warm site, headless Chromium)")
        for label, get in browser_rows():
            row(label, browser_value(get))
    return render_table([f"{r.size} {c}" for r, c in columns], rows)


def index_build_seconds(run: BuildRun) -> float | None:
    """The search index's own time in a build: its records written plus sections read."""
    if run.index_write_s is None or run.index_sections_s is None:
        return None
    return run.index_write_s + run.index_sections_s


def _kb(value: int | None) -> str:
    return "–" if value is None else f"{value / 1000:,.1f}"


def _pair(values: tuple[float, float] | None) -> str:
    return "–" if values is None else f"{values[0]:,.0f} / {values[1]:,.0f}"


def browser_rows() -> list[tuple[str, Callable[[BrowserRun], str]]]:
    """The browser section's rows: a label and its value from one BrowserRun. Bytes are the
    cold query that fetched the most; kB = 1,000 bytes as served (gzip -6 where hosts do)."""

    def fetched(get: Callable[[Any], int]) -> Callable[[BrowserRun], str]:
        return lambda b: _kb(None if (f := worst_fetch(b)) is None else get(f))

    return [
        ("  queries (cold runs; keys typed)", lambda b: f"{len(b.cold)}; {len(b.keys)}"),
        ("  page: HTML + CSS + JS (kB)", fetched(lambda f: f.html + f.css + f.js)),
        ("    of it JS (kB)", fetched(lambda f: f.js)),
        ("  page: fonts, images, raw (kB)", fetched(lambda f: f.fonts_images)),
        ("  page: other, e.g. sitemap.xml (kB)", fetched(lambda f: f.other)),
        ("  index: names.json (kB)", fetched(lambda f: f.names)),
        ("  index: term shards (kB)", fetched(lambda f: f.terms)),
        ("  index: text chunks (kB)", fetched(lambda f: f.text)),
        ("  fetched to 1st full text, worst (≤ 600 kB)", fetched(lambda f: f.total)),
        ("  requests to other hosts", lambda b: _fmt(sum(c.fetched.off_host for c in b.cold))),
        (
            "  load event after navigation start (ms)",
            lambda b: _pair(median_max([c.load_ms for c in b.cold])),
        ),
        (
            "  load → names.json ready, med / max (ms)",
            lambda b: _pair(median_max([c.names_ready_ms for c in b.cold])),
        ),
        (
            "  load → 1st answer, med / max (≤ 1,500 ms)",
            lambda b: _pair(median_max([c.first_ms for c in b.cold])),
        ),
        (
            "  load → full text, med / max (ms)",
            lambda b: _pair(median_max([c.done_ms for c in b.cold])),
        ),
        (
            "  key → names answer p50 / p90 (p90 ≤ 60 ms)",
            lambda b: _pair(key_percentiles([k.names_ms for k in b.keys])),
        ),
        (
            "  key → full text p50 / p90 (ms)",
            lambda b: _pair(key_percentiles([k.done_ms for k in b.keys])),
        ),
    ]


def browser_value(get: Callable[[BrowserRun], str]) -> Callable[[SizeResult, str], str]:
    """A browser figure in the warm column (the site measured is the warm build's)."""

    def value(r: SizeResult, c: str) -> str:
        if c == "cold":
            return ""
        if r.browser is None:
            return "FAILED" if r.browser_error else "–"
        return get(r.browser)

    return value


def render_table(headers: Sequence[str], rows: Sequence[tuple[str, list[str]]]) -> str:
    """Labels left, one right-aligned column per header."""
    label_width = max(len(label) for label, _ in rows)
    widths = [max(len(h), *(len(v[i]) for _, v in rows)) for i, h in enumerate(headers)]
    lines = [
        " " * label_width
        + "  "
        + "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    ]
    for label, values in rows:
        cells = "  ".join(v.rjust(w) for v, w in zip(values, widths, strict=True))
        lines.append(label.ljust(label_width) + "  " + cells)
    return "\n".join(lines)


def _percent(part: float | None, whole: float) -> str:
    if part is None or whole <= 0:
        return "–"
    return f"{100 * part / whole:.1f}%"


# --- command line ------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip() for s in text.split(",") if s.strip()]
    for size in sizes:
        if size != "real" and not (size.isdigit() and int(size) > 0):
            raise argparse.ArgumentTypeError(f"a size is `real` or a number of concepts: {size!r}")
    return sizes


def search_only(site: Path, seed: int) -> int:
    """The browser section alone, on a site built before (e.g. kept with --workdir --keep)."""
    run, error = measure_search(site, seed)
    if run is None:
        print(error)
        return 1
    rows = [(label, [get(run)]) for label, get in browser_rows()]
    print(render_table([site.name], rows))
    print("\n" + "\n".join(describe_queries(run)))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("real,1000,10000"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="stage timings: best of N")
    parser.add_argument("--no-serve", dest="serve", action="store_false")
    parser.add_argument(
        "--no-build",
        dest="build",
        action="store_false",
        help="our stages in process only: no mkdocs build, no mkdocs serve",
    )
    parser.add_argument(
        "--no-browser",
        dest="browser",
        action="store_false",
        help="no search in the browser (Chromium) on the built sites",
    )
    parser.add_argument(
        "--site",
        type=Path,
        help="only search in the browser, on this built site (no corpus, no build)",
    )
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    parser.add_argument("--workdir", type=Path, help="where the projects go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    args = parser.parse_args(argv)
    if args.site is not None:
        return search_only(args.site, args.seed)

    workdir: Path = args.workdir or Path(tempfile.mkdtemp(prefix="glossary-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    try:
        for size in args.sizes:
            results.append(
                measure(size, workdir, args.seed, args.repeat, args.serve, args.build, args.browser)
            )
    finally:
        if not args.keep:
            for size in args.sizes:
                shutil.rmtree(workdir / f"corpus-{size}", ignore_errors=True)
                shutil.rmtree(workdir / f"katex-cache-{size}", ignore_errors=True)
                shutil.rmtree(workdir / f"site-{size}", ignore_errors=True)
            if args.workdir is None:
                shutil.rmtree(workdir, ignore_errors=True)
    print(table(results))
    for r in results:
        if r.browser is not None:
            print(f"\n{r.size}: " + "\n".join(describe_queries(r.browser)))
    failed = [f"{r.size} {r.browser_error}" for r in results if r.browser_error] + [
        f"{r.size} {name}: {run.error}"
        for r in results
        for name, run in (("cold build", r.cold), ("warm build", r.warm), ("serve", r.serve))
        if run is not None and run.error
    ]
    for failure in failed:
        print(f"\n{failure}")
    if args.json:
        data = {
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "seed": args.seed,
            "results": [asdict(r) for r in results],
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 1 if any(run.ran and not run.ok for r in results for run in (r.cold, r.warm)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
