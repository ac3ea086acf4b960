"""Run the mkdocs command line with the glossary plugin's own time measured, for scale.py.

Usage: GLOSSARY_BENCH_REPORT=FILE python benchmarks/mkdocs_timed.py build|serve [mkdocs args]

Before mkdocs starts, every ``on_*`` hook of the glossary plugin, the Markdown math
preprocessor and the KaTeX renderer's entry points are wrapped in a timer. Nested calls count
once, so the total is the wall time spent in our code during the build, wherever mkdocs calls
it from. One JSON line per build is appended to the report file (``mkdocs serve`` writes one
per rebuild): ``plugin_s`` (our time), ``build_s`` (from ``on_config`` to the end of
``on_post_build``), ``hooks`` (seconds per hook) and ``maxrss_kb`` of this process so far.
The one-time load of jieba's dictionary is reported on its own (``jieba load``): Material's
search would pay it if we did not.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPORT_ENV = "GLOSSARY_BENCH_REPORT"


class Clock:
    """Wall time inside wrapped calls; a call inside another wrapped call is not counted."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.lock = threading.Lock()
        self.total = 0.0
        self.parts: dict[str, float] = {}
        self.build_start: float | None = None

    def reset(self) -> None:
        with self.lock:
            self.total = 0.0
            self.parts = {}
            self.build_start = time.perf_counter()

    def wrap(
        self, name: str, func: Callable[..., Any], reports: bool = False
    ) -> Callable[..., Any]:
        """``func`` timed under ``name``; ``reports``: it ends a build (writes the record)."""
        clock = self

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth = getattr(clock.local, "depth", 0)
            if name == "on_config" and depth == 0:
                clock.reset()
            clock.local.depth = depth + 1
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                clock.local.depth = depth
                if depth == 0:
                    seconds = time.perf_counter() - start
                    with clock.lock:
                        clock.total += seconds
                        clock.parts[name] = clock.parts.get(name, 0.0) + seconds
                    if reports:
                        clock.report()

        return timed

    def observe_jieba(self) -> None:
        """Record the one-time load of jieba's dictionary (Material's search needs it too):
        under ``jieba load`` when our code triggers it, ``jieba load (mkdocs)`` otherwise.
        Not added to the total: when it happens inside a hook, the hook's time has it."""
        try:
            import jieba
        except ImportError:
            return
        tokenizer = jieba.Tokenizer
        original = tokenizer.initialize
        clock = self

        @functools.wraps(original)
        def initialize(self: Any, *args: Any, **kwargs: Any) -> Any:
            if getattr(self, "initialized", False):
                return original(self, *args, **kwargs)
            inside = getattr(clock.local, "depth", 0) > 0
            start = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                name = "jieba load" if inside else "jieba load (mkdocs)"
                with clock.lock:
                    clock.parts[name] = clock.parts.get(name, 0.0) + time.perf_counter() - start

        tokenizer.initialize = initialize

    def report(self) -> None:
        path = os.environ.get(REPORT_ENV)
        if not path:
            return
        end = time.perf_counter()
        record = {
            "plugin_s": round(self.total, 4),
            "build_s": round(end - self.build_start, 4) if self.build_start else None,
            "hooks": {k: round(v, 4) for k, v in sorted(self.parts.items())},
            "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "time": time.time(),
        }
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def install(clock: Clock) -> None:
    """Wrap the plugin's hooks and the math entry points (whatever of them exists)."""
    from mkdocs.plugins import CombinedEvent

    from glossary_build import katex, markdown_math, mkdocs_plugin

    plugin = mkdocs_plugin.GlossaryPlugin
    for name, value in list(vars(plugin).items()):
        if not name.startswith("on_"):
            continue
        if isinstance(value, CombinedEvent):
            # Several handlers under one event name; functools.wraps keeps their priority.
            # The one MkDocs runs last (lowest priority) ends a build.
            last = min(value.methods, key=lambda m: getattr(m, "mkdocs_priority", 0))
            wrapped = [
                clock.wrap(name, m, reports=name == "on_post_build" and m is last)
                for m in value.methods
            ]
            setattr(plugin, name, CombinedEvent(*wrapped))
        elif callable(value):
            setattr(plugin, name, clock.wrap(name, value, reports=name == "on_post_build"))
    targets: list[tuple[type, str]] = [
        (markdown_math.MathPreprocessor, "run"),
        (katex.KatexRenderer, "render"),
        (katex.KatexRenderer, "render_many"),
    ]
    for owner, name in targets:
        value = vars(owner).get(name)
        if callable(value):
            setattr(owner, name, clock.wrap(f"{owner.__name__}.{name}", value))


def main() -> None:
    clock = Clock()
    install(clock)
    clock.observe_jieba()
    from mkdocs.__main__ import cli

    cli(prog_name="mkdocs")


if __name__ == "__main__":
    main()
