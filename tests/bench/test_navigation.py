"""The navigation benchmark (`python -m benchmarks.navigation`): its "before" site and its report, not its timings."""

from __future__ import annotations

from benchmarks.navigation import HOPS, NETWORKS, copy_without_rules, report, strip_speculation_rules

RULES = '<script type="speculationrules">{"prefetch":[{"where":{"href_matches":"/*.html"}}]}</script>\n'


def page_with_rules(body: str = "<p>text</p>") -> str:
    return f'<!doctype html><html><head><script>boot()</script></head><body>{body}\n{RULES}<script src="a.js" defer></script></body></html>'


def test_stripping_removes_the_rules_and_nothing_else():
    html = page_with_rules()
    bare = strip_speculation_rules(html)
    assert "speculationrules" not in bare
    assert bare == html.replace(RULES, "")
    assert "<script>boot()</script>" in bare
    assert '<script src="a.js" defer></script>' in bare


def test_the_copy_without_rules_strips_every_page_and_keeps_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "blog").mkdir(parents=True)
    (site / "index.html").write_text(page_with_rules())
    (site / "blog" / "post.html").write_text(page_with_rules("<p>post</p>"))
    (site / "plain.html").write_text("<p>no rules here</p>")
    (site / "style.css").write_text("p{}")
    assert copy_without_rules(site, tmp_path / "copy") == 2
    assert "speculationrules" not in (tmp_path / "copy" / "blog" / "post.html").read_text()
    assert (tmp_path / "copy" / "plain.html").read_text() == "<p>no rules here</p>"
    assert (tmp_path / "copy" / "style.css").read_text() == "p{}"
    assert "speculationrules" in (site / "index.html").read_text(), "the site itself is left as built"


def test_the_report_gives_medians_and_how_many_navigations_were_prefetched():
    def hop(fcp: float, delivery: str = "", prefetches: int = 0) -> dict:
        return {"fcp": fcp, "load": fcp + 50, "delivery": delivery, "prefetches": prefetches}

    without = [[hop(900)] * len(HOPS), [hop(1000)] * len(HOPS), [hop(5000)] * len(HOPS)]
    with_rules = [
        [hop(300, "navigational-prefetch", 1)] * len(HOPS),
        [hop(400, "", 2)] * len(HOPS),
        [hop(200, "navigational-prefetch", 1)] * len(HOPS),
    ]
    text = report({network: {"without": without, "with": with_rules} for network in NETWORKS}, 1000)
    start, selector = HOPS[0]
    where = f"{start} -> {selector}"
    assert f"{where:42} | without |    1000 |    1050 | 0/3 (0 requests)" in text  # the median, not the mean
    assert f"{where:42} | with    |     300 |     350 | 2/3 (4 requests)" in text
    assert text.count("median of 3 runs") == len(NETWORKS)
