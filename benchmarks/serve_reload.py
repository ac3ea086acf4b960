"""Seconds from saving a note to the changed page being served by `mkdocs serve`.

Usage: .venv/bin/python benchmarks/serve_reload.py [--runs 5]
Copies the project to a temporary directory, starts `mkdocs serve --livereload` there,
appends a sentence to a note N times and polls the concept's page until it shows it.
Prints each time and the median. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
        project = Path(tmp)
        for name in ("concepts", "docs"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        (project / ".cache").mkdir()
        (project / ".cache" / "npm").symlink_to(ROOT / ".cache" / "npm")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "SITE_URL": f"{base}/",
            "GLOSSARY_KATEX_CACHE": str(ROOT / ".cache" / "katex"),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "--livereload",
                "--dirty",
                "-a",
                f"127.0.0.1:{port}",
            ],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
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
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
