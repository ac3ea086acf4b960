"""A static server of a built site on 127.0.0.1, for the browser tests and the benchmarks.

No test framework here: benchmarks/ import it too (``from tests.static_server import serving``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

__all__ = ["serving"]


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
