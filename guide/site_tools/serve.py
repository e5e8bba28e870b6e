"""A built site served on 127.0.0.1: for the browser tests, `invoke audit`, `invoke screenshots`."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".svg": "image/svg+xml"}  # noqa: RUF012  http.server's API

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: str | os.PathLike) -> Iterator[str]:
    """Serve a folder on an ephemeral port of 127.0.0.1; yields the base URL (no trailing slash)."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def existing(folder: str | os.PathLike, pages: list[str]) -> list[str]:
    """The pages that the build in ``folder`` has; the others are named and left out."""
    found = [page for page in pages if (Path(folder) / page).is_file()]
    for page in sorted(set(pages) - set(found)):
        print(f"{page}: not in the build, left out")
    return found
