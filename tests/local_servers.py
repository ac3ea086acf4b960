"""Servers on 127.0.0.1 for the browser tests and the benchmarks: a static server of a built
site, and `mkdocs serve` of a project.

No test framework here: benchmarks/ import it too (``from tests.local_servers import serving``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["free_port", "mkdocs_serving", "serving"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder, quietly; a path in ``overrides`` gets those bytes as JSON instead."""

    overrides: Mapping[str, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.overrides.get(self.path.split("?")[0])
        if body is None:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serving(
    directory: Path, port: int = 0, overrides: Mapping[str, bytes] | None = None
) -> Iterator[str]:
    """Serve ``directory`` (a free port unless given) while in the block: its base URL, with
    no trailing slash. ``overrides``: URL path → the JSON served there instead of a file."""
    handler = type("Handler", (_Handler,), {"overrides": dict(overrides or {})})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def mkdocs_serving(project: Path, katex_cache: Path, port: int = 0) -> Iterator[str]:
    """`mkdocs serve --livereload --dirty` of ``project`` (as scripts/site.sh runs it) while in
    the block: its base URL, with no trailing slash. The caller waits for the first build."""
    address = f"127.0.0.1:{port or free_port()}"
    base = f"http://{address}"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "-a", address],
        cwd=project,
        env={**os.environ, "SITE_URL": f"{base}/", "GLOSSARY_KATEX_CACHE": str(katex_cache)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
