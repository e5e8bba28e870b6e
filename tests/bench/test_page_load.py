"""The page-load benchmark (`python -m benchmarks.page_load`): its report, not its timings (its server: tests/site_tools/test_serve.py)."""

from __future__ import annotations

from benchmarks.page_load import VISIT, report


def test_the_report_gives_medians_per_page_and_the_visit_ratios():
    def visit(fcp: float, size: int) -> list[dict]:
        return [{"page": name, "fcp": fcp, "lcp": fcp + 100, "bytes": size} for name in VISIT]

    text = report({"inline": [visit(900, 10), visit(1000, 10), visit(5000, 10)], "linked": [visit(1500, 8)] * 3})
    assert f"{VISIT[0]:34} | inline  |    1000 |    1100 |      10" in text  # the median, not the mean
    assert "visit total                        | inline  |    3000 |    3300 |      30" in text
    assert "inline/linked: FCP 0.67, LCP 0.69, bytes 1.25" in text
