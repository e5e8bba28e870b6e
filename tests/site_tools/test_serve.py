"""The built site served on 127.0.0.1 as GitHub Pages serves it (`invoke audit`, the benchmarks)."""

from __future__ import annotations

import gzip
import urllib.request

from guide.site_tools.serve import serve_like_github_pages


def test_the_server_gzips_text_and_sends_github_pages_cache_header(tmp_path):
    (tmp_path / "page.html").write_text("<p>" + "hello " * 200 + "</p>")
    (tmp_path / "image.png").write_bytes(b"\x89PNG not text")
    with serve_like_github_pages(tmp_path) as base:
        request = urllib.request.Request(f"{base}/page.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Cache-Control"] == "max-age=600"
            body = response.read()
        assert gzip.decompress(body) == (tmp_path / "page.html").read_bytes()
        with urllib.request.urlopen(f"{base}/page.html") as plain:  # no Accept-Encoding: as stored
            assert plain.headers["Content-Encoding"] is None
            assert plain.read().startswith(b"<p>hello")
        request = urllib.request.Request(f"{base}/image.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as image:
            assert image.headers["Content-Encoding"] is None
            assert image.read() == b"\x89PNG not text"
