"""Seconds from saving a note to the changed page being served by `mkdocs serve`.

Usage: .venv/bin/python benchmarks/serve_reload.py [--runs 5]
Copies the project to a temporary directory, starts `mkdocs serve --livereload` there,
appends a sentence to a note N times and polls the concept's page until it shows it.
Prints each time and the median. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import site_project  # noqa: E402
from tests.local_servers import mkdocs_serving  # noqa: E402

NOTES = ROOT / "concepts"
NOTE = "早期草稿.md"
PAGE = "concepts/qian-yi-xue-xi/"


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_until(check: object, bound: float = 300.0) -> float:
    start = time.monotonic()
    while time.monotonic() - start < bound:
        if check():  # type: ignore[operator]
            return time.monotonic() - start
        time.sleep(0.05)
    raise TimeoutError("gave up")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = site_project(Path(tmp), {p.name: p.read_text("utf-8") for p in NOTES.iterdir()})
        with mkdocs_serving(project, ROOT / ".cache" / "katex") as base:
            first = wait_until(lambda: bool(fetch(f"{base}/{PAGE}")))
            print(f"first build served after {first:.1f} s")
            times = []
            note = project / "concepts" / NOTE
            for run in range(args.runs):
                marker = f"编辑测量 {run} {time.time_ns()}"
                note.write_text(note.read_text(encoding="utf-8") + f"\n{marker}\n", "utf-8")
                seconds = wait_until(lambda m=marker: m in fetch(f"{base}/{PAGE}"))
                times.append(seconds)
                print(f"save → page updated: {seconds:.2f} s")
                time.sleep(1.0)
            print(f"median of {len(times)}: {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
