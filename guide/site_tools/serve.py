"""A built site served on 127.0.0.1: for the browser tests, `invoke audit`, `invoke screenshots`, the benchmarks."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".svg": "image/svg+xml"}  # noqa: RUF012  http.server's API

    def log_message(self, *args) -> None:
        pass


COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml"}


class _GitHubPagesLike(_Handler):
    """Static files with gzip and the ten-minute cache GitHub Pages sends."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: a file-like object do_GET copies to the socket."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@contextlib.contextmanager
def serve(folder: str | os.PathLike, like_github_pages: bool = False) -> Iterator[str]:
    """Serve a folder on an ephemeral port of 127.0.0.1; yields the base URL (no trailing slash).

    ``like_github_pages``: gzip and ``Cache-Control: max-age=600``, as the published site is
    served (for `invoke audit` and the benchmarks); else files as they are, uncached.
    """
    handler = functools.partial(_GitHubPagesLike if like_github_pages else _Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_like_github_pages(folder: str | os.PathLike) -> contextlib.AbstractContextManager[str]:
    """Like :func:`serve`, with gzip and the ten-minute cache GitHub Pages sends: what readers get."""
    return serve(folder, like_github_pages=True)


def existing(folder: str | os.PathLike, pages: list[str]) -> list[str]:
    """The pages that the build in ``folder`` has; the others are named and left out."""
    found = [page for page in pages if (Path(folder) / page).is_file()]
    for page in sorted(set(pages) - set(found)):
        print(f"{page}: not in the build, left out")
    return found
