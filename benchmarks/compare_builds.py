"""Time two checkouts' `mkdocs build` of the same notes side by side: wall time and peak memory.

Usage: .venv/bin/python benchmarks/compare_builds.py BEFORE_DIR [AFTER_DIR] [--repeat N]

Each checkout builds with its `.venv` (its own code first on the path) and its mkdocs.yml,
into a temporary site directory, with a warm KaTeX cache (one untimed build each). Builds alternate
(before, after, before, ...) so that whatever else the machine does falls on both alike.
Peak memory is the child's maximum resident set (``os.wait4``), per build. Prints the
median of each and the ratio after / before. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(checkout: Path, site_dir: Path) -> tuple[float, float]:
    """One `mkdocs build` in ``checkout``: (seconds, peak resident MB)."""
    command = [str(checkout / ".venv/bin/mkdocs"), "build", "--quiet", "--site-dir", str(site_dir)]
    start = time.perf_counter()
    # The checkout's own code first: a worktree may share another checkout's .venv, whose
    # editable install points at that other checkout.
    env = {**os.environ, "PYTHONPATH": str(checkout.resolve())}
    process = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed in {checkout}:\n{errors[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    checkouts = {"before": args.before.resolve(), "after": args.after.resolve()}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for name, checkout in checkouts.items():
            timed_build(checkout, Path(tmp) / name)  # warm the KaTeX cache, untimed
        for _ in range(args.repeat):
            for name, checkout in checkouts.items():
                results[name].append(timed_build(checkout, Path(tmp) / name))
    print(f"{'':8} {'build s (median)':>17} {'peak MB (median)':>17}   runs (s)")
    medians = {}
    for name, runs in results.items():
        seconds = statistics.median(r[0] for r in runs)
        memory = statistics.median(r[1] for r in runs)
        medians[name] = (seconds, memory)
        shown = ", ".join(f"{r[0]:.2f}" for r in runs)
        print(f"{name:8} {seconds:17.2f} {memory:17.0f}   {shown}")
    (before_s, before_mb), (after_s, after_mb) = medians["before"], medians["after"]
    print(f"{'ratio':8} {after_s / before_s:17.2f} {after_mb / before_mb:17.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
