"""What issue 12's attribute/link/nesting work costs on the real notes: median seconds.

Usage: .venv/bin/python benchmarks/guard_cost.py [--repeat N]

* the pipeline (`build` of concepts/) with every normalize rule, and without the two this
  work added (limit_nesting, link_bare_urls);
* Python-Markdown with the site's extensions rendering every generated page, with
  markdown_guard's treeprocessors and without them.
Both in one run, alternating, so the machine's load falls on both alike. Not a test.
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary_build import normalize  # noqa: E402
from glossary_build.katex import Rendered  # noqa: E402
from glossary_build.markdown_guard import GuardExtension  # noqa: E402
from glossary_build.markdown_math import MathExtension  # noqa: E402
from glossary_build.normalize.bare_urls import link_bare_urls  # noqa: E402
from glossary_build.normalize.nesting import limit_nesting  # noqa: E402
from glossary_build.pipeline import BuildConfig, build  # noqa: E402

ADDED_RULES = (limit_nesting, link_bare_urls)
EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc"]
EXTENSIONS += ["pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite"]
EXTENSIONS += ["pymdownx.superfences"]


def _markdown(guard: bool) -> markdown.Markdown:
    def stub(tex: str, display: bool) -> Rendered:
        return Rendered(f'<span class="katex">{html.escape(tex)}</span>')

    extensions: list[object] = [MathExtension(stub), *EXTENSIONS]
    if guard:
        extensions.insert(1, GuardExtension())
    return markdown.Markdown(extensions=extensions)  # type: ignore[arg-type]


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    all_rules = normalize.RULES
    without = tuple(r for r in all_rules if r not in ADDED_RULES)

    def pipeline(rules: tuple[normalize.Rule, ...]) -> Callable[[], object]:
        def run() -> object:
            normalize.RULES = rules
            try:
                return build(BuildConfig(ROOT))
            finally:
                normalize.RULES = all_rules

        return run

    pages = [
        re.sub(r"\A---\n.*?\n---\n", "", p, flags=re.S)
        for p in build(BuildConfig(ROOT)).pages.values()
    ]

    def render(guard: bool) -> Callable[[], object]:
        md = _markdown(guard)

        def run() -> object:
            for page in pages:
                md.reset()
                md.convert(page)
            return None

        return run

    times: dict[str, list[float]] = {k: [] for k in ("rules", "no-rules", "guard", "no-guard")}
    for _ in range(repeat):
        times["no-rules"].append(_timed(pipeline(without)))
        times["rules"].append(_timed(pipeline(all_rules)))
        times["no-guard"].append(_timed(render(False)))
        times["guard"].append(_timed(render(True)))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"pipeline, {len(pages)} pages: {med['no-rules']:.3f} s without the two rules, "
        f"{med['rules']:.3f} s with them ({med['rules'] / med['no-rules']:.3f}x)"
    )
    print(
        f"Markdown of every page: {med['no-guard']:.3f} s without markdown_guard, "
        f"{med['guard']:.3f} s with it ({med['guard'] / med['no-guard']:.3f}x)"
    )


if __name__ == "__main__":
    main()
