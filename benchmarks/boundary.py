"""Wall time and peak memory of `mkdocs build` with one hostile note beside the real notes.

Usage: .venv/bin/python benchmarks/boundary.py [--cases real,parens,group2000]
       [--before /work/base] [--before-cases real,group2000] [--repeat 3]
       [--parens 100000] [--group 2000] [--letter 10000]

Cases (each a temporary copy of the project: the real notes, plus for all but ``real`` one
more note):

- ``real``: the real notes alone (``--strict``);
- ``parens``: ``### 括号`` followed by ``--parens`` ``(`` (issue 12 row 7: every library call
  on a name must be bounded by its size; ``jieba.add_word`` of the whole name took 9.7 GB);
- ``group2000``: ``## 组`` then ``--group`` concepts ``### 子1`` ... (row 8: Material's nav
  is quadratic in one section's length; the nav must never hold a long section);
- ``letter10000``: the same with ``--letter`` concepts, all under one initial letter (row 8:
  it must finish; slow, run it on purpose only: not in the default cases).

Each build runs in a child process (``.venv/bin/mkdocs``, which does not put the working
directory on ``sys.path``) with ``PYTHONPATH`` set to the checkout being measured, so the same
environment measures this tree and ``--before`` (a read-only checkout of another commit, e.g.
``/work/base``: nothing is written there; the KaTeX cache is a copy). Peak memory is the
child's ``ru_maxrss`` (``os.wait4``). Prints the median of ``--repeat`` runs: wall time and
CPU time (user + system of the build process, which other processes on a shared machine
disturb far less than wall time), and each case's CPU time as a multiple of the ``real``
build's of the same checkout.

Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"


def parens(count: int) -> str:
    return f"### 括号{'(' * count}\n\n正文\n"


def group(count: int) -> str:
    return "## 组\n\n" + "".join(f"### 子{i}\n\n" for i in range(1, count + 1))


@dataclass
class Run:
    ok: bool
    seconds: float
    cpu: float
    peak_mb: float
    tail: str


def prepare(project: Path, checkout: Path, note: str | None) -> None:
    shutil.copytree(ROOT / "concepts", project / "concepts")
    if note is not None:
        (project / "concepts" / "zz-hostile.md").write_text(note, encoding="utf-8")
    shutil.copyfile(checkout / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(checkout / "docs", project / "docs")
    (project / ".cache").mkdir()
    (project / ".cache" / "npm").symlink_to((ROOT / ".cache" / "npm").resolve())


def build(checkout: Path, note: str | None, strict: bool, cache: Path) -> Run:
    with tempfile.TemporaryDirectory(prefix="boundary-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        prepare(project, checkout, note)
        command = [str(MKDOCS), "build", "--site-dir", str(Path(tmp) / "site")]
        if strict:
            command.append("--strict")
        env = {
            **os.environ,
            "PYTHONPATH": str(checkout),
            "GLOSSARY_KATEX_CACHE": str(cache),
            "NO_MKDOCS_2_WARNING": "1",
        }
        with tempfile.TemporaryFile() as output:
            start = time.perf_counter()
            proc = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=output)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            output.seek(0)
            tail = output.read().decode("utf-8", "replace")[-600:]
        ok = os.waitstatus_to_exitcode(status) == 0
        cpu = usage.ru_utime + usage.ru_stime
        return Run(ok, seconds, cpu, usage.ru_maxrss / 1024, tail)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", default="real,parens,group2000")
    parser.add_argument("--before", type=Path, default=None, help="another checkout to compare")
    parser.add_argument("--before-cases", default="real,group2000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parens", type=int, default=100_000)
    parser.add_argument("--group", type=int, default=2000)
    parser.add_argument("--letter", type=int, default=10_000)
    args = parser.parse_args(argv)
    notes: dict[str, Callable[[], str | None]] = {
        "real": lambda: None,
        "parens": lambda: parens(args.parens),
        "group2000": lambda: group(args.group),
        "letter10000": lambda: group(args.letter),
    }
    checkouts = [("this tree", ROOT, args.cases.split(","))]
    if args.before is not None:
        checkouts.insert(0, ("before", args.before.resolve(), args.before_cases.split(",")))
    with tempfile.TemporaryDirectory(prefix="boundary-katex-") as tmp:
        cache = Path(tmp) / "katex"
        source = ROOT / ".cache" / "katex"
        if source.exists():
            shutil.copytree(source, cache)  # warm, and nobody's cache is written
        else:
            cache.mkdir()
        header = ("checkout", "case", "wall s", "cpu s", "× real", "peak MB")
        print("{:10} {:12} {:>7} {:>7} {:>7} {:>8}  ok".format(*header))
        for label, checkout, cases in checkouts:
            real_seconds: float | None = None
            for case in cases:
                # A case that is only slow, not broken, is timed once: it is the point.
                repeat = 1 if case == "letter10000" else args.repeat
                runs = [
                    build(checkout, notes[case](), case == "real", cache) for _ in range(repeat)
                ]
                seconds = statistics.median(r.seconds for r in runs)
                cpu = statistics.median(r.cpu for r in runs)
                peak = statistics.median(r.peak_mb for r in runs)
                if case == "real":
                    real_seconds = cpu
                ratio = f"{cpu / real_seconds:.1f}" if real_seconds else "-"
                ok = all(r.ok for r in runs)
                print(
                    f"{label:10} {case:12} {seconds:7.1f} {cpu:7.1f} {ratio:>7} {peak:8.0f}  {ok}"
                )
                if not ok:
                    print(next(r.tail for r in runs if not r.ok), file=sys.stderr)
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
