"""The page-load benchmark (`python -m benchmarks.page_load`): its server and its report, not its timings."""

from __future__ import annotations

import gzip
import urllib.request

from benchmarks.page_load import VISIT, report
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


def test_the_report_gives_medians_per_page_and_the_visit_ratios():
    def visit(fcp: float, size: int) -> list[dict]:
        return [{"page": name, "fcp": fcp, "lcp": fcp + 100, "bytes": size} for name in VISIT]

    text = report({"inline": [visit(900, 10), visit(1000, 10), visit(5000, 10)], "linked": [visit(1500, 8)] * 3})
    assert f"{VISIT[0]:34} | inline  |    1000 |    1100 |      10" in text  # the median, not the mean
    assert "visit total                        | inline  |    3000 |    3300 |      30" in text
    assert "inline/linked: FCP 0.67, LCP 0.69, bytes 1.25" in text
