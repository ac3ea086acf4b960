"""Server-side KaTeX behind a persistent, shared render cache.

markdown-katex starts one katex process per formula (~130 ms here), looks its binary up on
every call and sweeps its whole cache directory on every call. This module keeps what it
renders in ``.cache/katex/`` of the project (keyed by KaTeX version, display mode and TeX; never
swept, independent of where the virtualenv lives), so a warm build starts no process at all.

Cache misses are rendered by one of two engines of the same KaTeX version, whose HTML is
byte-identical (a test checks it on the corpus):

- ``markdown-katex``: the katex binary bundled with markdown-katex, one process per formula,
  as many at once as there are cores;
- ``node``: npm's ``katex`` package of that version (installed for its CSS and fonts anyway),
  all misses in one Node process (``katex_batch.js``).

``auto`` (the default) takes ``node`` when Node and the package are there, else
``markdown-katex``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE_DIR = Path(".cache") / "katex"
DEFAULT_NPM_KATEX = Path(".cache") / "npm" / "node_modules" / "katex"
ENGINES = ("auto", "node", "markdown-katex")
_BATCH_SCRIPT = Path(__file__).with_name("katex_batch.js")
# Formulas per Node process: bounds memory; big cold builds use one process per core.
NODE_BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class Rendered:
    """KaTeX's HTML for one formula, or the message KaTeX rejected it with."""

    html: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether KaTeX rendered it (else ``error`` says why)."""
        return self.html is not None


MathKey = tuple[str, bool]
"""(TeX, display mode)."""


def bundled_katex_binary() -> Path:
    """The katex executable shipped inside the markdown-katex wheel for this platform."""
    from markdown_katex import wrapper

    machine = platform.machine()
    machine = "x86_64" if machine == "AMD64" else machine
    candidates = sorted(wrapper.PKG_BIN_DIR.glob(f"*_{machine}-{platform.system()}*"))
    if not candidates:
        raise RuntimeError(
            f"markdown-katex ships no katex binary for {machine}-{platform.system()}; "
            "set `katex_command` to a katex CLI (e.g. from `npm install katex`)"
        )
    return Path(candidates[-1])


_VERSION_IN_NAME_RE = re.compile(r"katex_v(\d+\.\d+\.\d+)")


class KatexRenderer:
    """Renders TeX with a katex command line tool; thread-safe; caches on disk."""

    def __init__(
        self,
        cache_dir: Path = DEFAULT_CACHE_DIR,
        command: Sequence[str] | None = None,
        version: str | None = None,
        jobs: int | None = None,
        engine: str = "auto",
        npm_katex: Path = DEFAULT_NPM_KATEX,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown KaTeX engine {engine!r}; choose one of {ENGINES}")
        self.command = list(command) if command else [str(bundled_katex_binary())]
        self.version = version or self._detect_version()
        self.cache_dir = cache_dir / self.version
        self.jobs = jobs or os.cpu_count() or 1
        self.processes_started = 0
        self._memory: dict[MathKey, Rendered] = {}
        self._lock = threading.Lock()
        self.npm_katex = npm_katex
        self.engine = self._choose_engine(engine)

    def _choose_engine(self, wanted: str) -> str:
        if wanted == "markdown-katex":
            return wanted
        node_ok = shutil.which("node") is not None and npm_package_version(self.npm_katex) == (
            self.version
        )
        if wanted == "node" and not node_ok:
            raise RuntimeError(
                f"the node engine needs `node` and npm's katex@{self.version} at {self.npm_katex}"
            )
        return "node" if node_ok else "markdown-katex"

    def _detect_version(self) -> str:
        match = _VERSION_IN_NAME_RE.search(Path(self.command[0]).name)
        if match:
            return match.group(1)
        self._count_process()
        out = subprocess.run(
            [*self.command, "--version"], capture_output=True, text=True, check=True
        ).stdout
        return out.strip()

    def _count_process(self) -> None:
        with self._lock:
            self.processes_started += 1

    def _cache_file(self, key: MathKey) -> Path:
        tex, display = key
        digest = hashlib.sha256(f"{int(display)}\0{tex}".encode()).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def cached(self, key: MathKey) -> Rendered | None:
        """The formula's rendering if the memory or the disk cache has it, else None."""
        if key in self._memory:
            return self._memory[key]
        path = self._cache_file(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        rendered = Rendered(data.get("html"), data.get("error"))
        self._memory[key] = rendered
        return rendered

    def _store(self, key: MathKey, rendered: Rendered) -> None:
        self._memory[key] = rendered
        path = self._cache_file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"html": rendered.html, "error": rendered.error}), "utf-8")
        tmp.replace(path)

    def _run(self, key: MathKey) -> Rendered:
        tex, display = key
        self._count_process()
        proc = subprocess.run(
            [*self.command, *(["--display-mode"] if display else [])],
            input=tex.encode("utf-8"),
            capture_output=True,
            check=False,
        )
        if proc.returncode != 0:
            return Rendered(None, _katex_message(proc.stderr.decode("utf-8", "replace")))
        return Rendered(proc.stdout.decode("utf-8").strip())

    def render(self, tex: str, display: bool) -> Rendered:
        """One formula, from the cache or rendered now."""
        return self.render_many([(tex, display)])[(tex, display)]

    def _run_batch(self, keys: Sequence[MathKey]) -> list[Rendered]:
        self._count_process()
        command = ["node", str(_BATCH_SCRIPT), str(self.npm_katex.resolve())]
        try:
            proc = subprocess.run(
                command,
                input=json.dumps([[tex, display] for tex, display in keys]).encode("utf-8"),
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise KatexEngineError(f"KaTeX's Node engine could not start ({exc})", "") from exc
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0:
            raise KatexEngineError(
                f"KaTeX's Node engine (`{' '.join(command)}`) exited with {proc.returncode}",
                stderr,
            )
        return [
            Rendered(item.get("html"), _katex_message(item["error"]) if "error" in item else None)
            for item in json.loads(proc.stdout)
        ]

    def render_many(self, keys: Iterable[MathKey]) -> dict[MathKey, Rendered]:
        """Render all ``keys``; cache misses are batched (node) or run one per core."""
        unique = list(dict.fromkeys(keys))
        results = {k: hit for k in unique if (hit := self.cached(k)) is not None}
        misses = [k for k in unique if k not in results]
        if not misses:
            return results
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            if self.engine == "node":
                size = max(1, min(NODE_BATCH_SIZE, -(-len(misses) // self.jobs)))
                batches = [misses[i : i + size] for i in range(0, len(misses), size)]
                rendered = [r for batch in pool.map(self._run_batch, batches) for r in batch]
            else:
                rendered = list(pool.map(self._run, misses))
        for key, result in zip(misses, rendered, strict=True):
            self._store(key, result)
            results[key] = result
        return results


class KatexEngineError(RuntimeError):
    """The KaTeX engine itself failed (not a formula): ``node`` missing or crashing, npm's
    ``katex`` not installed. Carries what the engine wrote to stderr, for the build's error."""

    def __init__(self, message: str, stderr: str) -> None:
        super().__init__(message)
        self.stderr = stderr


def npm_package_version(package_dir: Path) -> str | None:
    """The version in an npm package's package.json, or None if it is not installed."""
    try:
        version = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
    return str(version)


def _katex_message(stderr: str) -> str:
    """KaTeX's own sentence, e.g. ``KaTeX parse error: Expected '}', got 'EOF' at end of input``."""
    for line in stderr.splitlines():
        if "KaTeX parse error:" in line:
            return line.split("KaTeX parse error:", 1)[1].strip()
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    return lines[0] if lines else "katex failed without a message"


__all__ = [
    "DEFAULT_CACHE_DIR",
    "DEFAULT_NPM_KATEX",
    "ENGINES",
    "NODE_BATCH_SIZE",
    "KatexEngineError",
    "KatexRenderer",
    "MathKey",
    "Rendered",
    "bundled_katex_binary",
    "npm_package_version",
]
