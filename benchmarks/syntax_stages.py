"""Time parse + normalize of the real notes in two checkouts (the stages markdown_syntax.py
feeds): median wall time and peak memory of each, side by side.

Usage: .venv/bin/python benchmarks/syntax_stages.py BEFORE_DIR [AFTER_DIR] [--repeat N]

Each run is a fresh interpreter with the checkout's package first on ``sys.path``, so both
are timed with the same Python and libraries. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from glossary_build.normalize import normalize
from glossary_build.parse import parse_note
from glossary_build.types import SourceFile
notes = [SourceFile(f"concepts/{p.name}", p.read_text(encoding="utf-8"))
         for p in sorted(Path(sys.argv[1]).glob("*.md"))]
start = time.perf_counter()
for source in notes:
    note, _ = parse_note(source)
    normalize(note)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([elapsed, peak]))
"""


def run(checkout: Path, concepts: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(concepts)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    elapsed, peak = json.loads(out.strip().splitlines()[-1])
    return float(elapsed), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    concepts = ROOT / "concepts"
    results: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for _ in range(args.repeat):
        results["before"].append(run(args.before, concepts))
        results["after"].append(run(args.after, concepts))
    medians = {}
    for name, runs in results.items():
        medians[name] = (
            statistics.median(t for t, _ in runs),
            statistics.median(m for _, m in runs),
        )
        print(f"{name:6} parse+normalize {medians[name][0]:.3f} s  peak {medians[name][1]:.0f} MB")
    ratio = medians["after"][0] / medians["before"][0]
    print(f"after / before: time {ratio:.2f}x")


if __name__ == "__main__":
    main()
