"""The build-speed benchmark (`invoke bench`): its content generator, its harness and its report.

The benchmark itself is a command: nothing here measures or asserts on time. The harness runs
with a fake runner that returns made-up timings, so the arithmetic can be checked exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import build_site

from benchmarks import generator, harness, report
from benchmarks.run import parse_sizes

GENERATED_PATHS = {"/table-of-contents.html", "/index.html", "/blog.html"}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("bench") / "content"
    return generator.generate(str(content), 12, chapters=3)


def test_generator_writes_the_requested_pages_and_chapters(small_site):
    content = Path(small_site.content)
    pages = sorted(content.glob("pages/*/*.md"))
    assert len(pages) == len(small_site.pages) == 12
    assert sorted(p.name for p in (content / "pages").iterdir()) == ["01-chapter", "02-chapter", "03-chapter"]
    assert small_site.chapters == 3
    assert len(list(content.glob("blog/*"))) == len(small_site.posts) == 3
    orders = [page.sort_order for page in small_site.pages]
    assert orders == sorted(orders)
    assert len(set(orders)) == 12
    assert len({page.slug for page in small_site.pages}) == 12


def test_generated_pages_follow_the_page_format(small_site):
    text = Path(small_site.page_path(0)).read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    fields = dict(line.split(":", 1) for line in header.splitlines())
    assert {"title", "slug", "sort-order", "meta", "choice1url", "choice1icon", "choice1text"} <= set(fields)
    assert re.search(r"^## ", body, re.M)
    assert re.search(r"^### ", body, re.M)
    assert "```python {illustrative}\n" in text
    assert '```nginx {illustrative context="server"}\n' in text


def test_choices_and_links_point_at_pages_that_exist(small_site):
    pages = {f"/{page.slug}.html" for page in small_site.pages}
    for page in small_site.pages:
        assert page.choice_urls, page.path
        for url in page.choice_urls + page.link_urls:
            assert url.startswith("https://") or url in pages | GENERATED_PATHS, (page.path, url)


@pytest.mark.build
def test_generated_content_builds_strictly_with_the_project_build(small_site, tmp_path):
    output = tmp_path / "output"
    result = build_site(Path(small_site.content), output, strict=True)
    assert (result.pages, result.posts, result.warnings) == (12, 3, [])
    for page in small_site.pages:  # where they lead, the strict build has checked
        html = BeautifulSoup((output / f"{page.slug}.html").read_text(encoding="utf-8"), "html.parser")
        assert [a["href"] for a in html.select(".choices a")] == list(page.choice_urls)


def test_default_layout_has_twenty_or_more_chapters_within_the_format():
    assert [generator.default_chapters(n) for n in (100, 1000, 5000)] == [20, 32, 71]
    for pages in (100, 1000, 5000):
        sizes = generator.chapter_sizes(pages, generator.default_chapters(pages))
        assert sum(sizes) == pages
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) <= 99
    with pytest.raises(ValueError, match="sort-order holds at most"):
        generator.chapter_sizes(10_000, 99)  # sort-order holds 99 chapters of 99 pages
    with pytest.raises(ValueError, match="3 chapters need at least 3 pages"):
        generator.chapter_sizes(2, 3)


def test_a_page_has_the_same_shape_at_every_size(tmp_path):
    """The largest page must not grow with N because of the generator itself."""
    small = generator.generate(str(tmp_path / "small"), 12, chapters=3)
    large = generator.generate(str(tmp_path / "large"), 40, chapters=4)
    for index in range(10):
        a = Path(small.page_path(index)).read_text(encoding="utf-8").split("\n\n", 1)[1]
        b = Path(large.page_path(index)).read_text(encoding="utf-8").split("\n\n", 1)[1]
        assert a.count("\n## ") == b.count("\n## ")
        assert a.count("```") == b.count("```")
        assert abs(len(a) - len(b)) < 300  # only link targets differ


def without_targets(text: str) -> str:
    """A page's text without its slug, sort-order and link targets, its lines joined."""
    return " ".join(re.sub(r"(slug|sort-order): .*|/[a-z-]+-\d{5}\.html", "", text).split())


def test_page_texts_repeat_so_every_size_has_the_same_largest_body(tmp_path):
    site = generator.generate(str(tmp_path / "site"), generator.BODY_PERIOD + 10, chapters=20)
    for index in range(5):
        a = Path(site.page_path(index)).read_text(encoding="utf-8")
        b = Path(site.page_path(index + generator.BODY_PERIOD)).read_text(encoding="utf-8")
        assert a != b  # a different page: its own slug, sort-order and link targets
        assert without_targets(a) == without_targets(b)


def test_edit_page_changes_the_text_only(small_site, tmp_path):
    path = tmp_path / "page.md"
    original = Path(small_site.page_path(1)).read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    generator.edit_page(str(path), 7)
    edited = path.read_text(encoding="utf-8")
    assert edited.split("\n\n", 1)[0] == original.split("\n\n", 1)[0]
    assert "Revision 7:" in edited
    assert edited != original


def fake_runner(timings: dict, calls: list):
    """A runner that returns made-up timings: (kind, pages) -> list of seconds, in call order."""

    def run(args):
        kind, content = args[0], args[1]
        calls.append(kind)
        if kind == "rebuild":
            return harness.Sample(9.0, 1, {"first_seconds": 4.0, "rebuild_seconds": [0.5, 0.3, 0.4, 0.9, 0.2]})
        pages = len(list(Path(content).glob("pages/*/*.md")))
        output = Path(args[2])
        output.mkdir(parents=True)
        (output / "table-of-contents.html").write_text("x" * 5000)
        (output / "blog").mkdir()
        (output / "blog" / "post-01.html").write_text("x" * 300)
        first = generator.slug_for(0)
        (output / f"{first}.html").write_text("x" * 1200)
        seconds, peak = timings[kind, pages].pop(0)
        return harness.Sample(seconds, peak, {})

    return run


def test_harness_alternates_the_builds_and_takes_medians(tmp_path):
    timings = {
        ("project", 12): [(3.0, 100_000), (1.0, 120_000), (2.0, 110_000)],
        ("plain", 12): [(1.0, 50_000), (2.0, 40_000), (1.5, 45_000)],
    }
    calls = []
    result = harness.run_bench(
        [12], repeat=3, rebuild_size=12, workdir=str(tmp_path), runner=fake_runner(timings, calls), progress=lambda line: None
    )
    assert calls == ["project", "plain", "plain", "project", "project", "plain", "rebuild"]
    [size] = result.sizes
    assert (size.pages, size.project_seconds, size.plain_seconds) == (12, 2.0, 1.5)
    assert size.ratio == pytest.approx(2.0 / 1.5)
    assert size.ms_per_page(size.project_seconds) == pytest.approx(2000 / 12)
    assert (size.project_peak_kib, size.plain_peak_kib) == (120_000, 50_000)
    assert size.largest_page == (f"{generator.slug_for(0)}.html", 1200)  # guide pages and posts only
    assert size.largest_file == ("table-of-contents.html", 5000)
    assert result.rebuild.median_seconds == 0.4
    assert result.rebuild.first_seconds == 4.0
    assert result.growth() is None  # needs both 1,000 and 5,000


def sizes_result() -> harness.BenchResult:
    def size(pages, project, plain, largest):
        return harness.SizeResult(
            pages,
            20,
            [harness.Sample(s, 200_000, {}, 2 * s) for s in project],
            [harness.Sample(s, 100_000, {}, s) for s in plain],
            largest_page=("a-page.html", largest),
            largest_file=("table-of-contents.html", largest * 3),
            largest_page_nav=pages + 7,
        )

    return harness.BenchResult(
        [
            size(100, [1.0, 1.2, 1.1], [1.0, 0.9, 0.8], 40_000),
            size(1000, [10.0, 12.0, 11.0], [9.0, 10.0, 8.0], 41_000),
            size(5000, [60.5, 60.0, 70.0], [45.0, 50.0, 55.0], 41_800),
        ],
        harness.RebuildResult(1000, 30.0, [0.61, 0.52, 0.58]),
        repeat=3,
    )


def test_growth_is_the_ratio_of_medians():
    result = sizes_result()
    assert result.growth() == pytest.approx(60.5 / 11.0)
    assert result.growth(which="plain") == pytest.approx(50.0 / 9.0)
    assert result.growth(100, 1000) == pytest.approx(11.0 / 1.1)


def test_report_prints_every_figure():
    text = report.format_report(sizes_result())
    for figure in (
        "11.00", "11.00", "9.00", "1.22",  # (a), ms/page at 1,000, (b), a/b
        "22.00", "2.44",  # CPU seconds of (a) at 1,000, a/b in CPU time
        "60.50", "12.10", "50.00", "10.00", "1.21",  # at 5,000
        "195", "98",  # peak memory, MiB
        "40000", "41000", "41800", "a-page.html", "123000 table-of-contents.html",  # largest HTML
        "(a) 5.50, (b) 5.56",  # growth
        "median 0.580 s", "0.610, 0.520, 0.580", "30.00 s",  # one-page rebuild
        "chapter navigation: 107 at 100, 1007 at 1000, 5007 at 5000 bytes",
    ):  # fmt: skip
        assert figure in text, figure
    assert "Machine: " in text
    assert "CPUs" in text
    assert "Python " in text
    targets = text.split("Targets:")[1]
    assert "a/b at 1,000 pages <= 1.3: 1.22, met" in targets
    assert "t(5,000)/t(1,000) <= 5.5: 5.50, met" in targets
    assert "0.580 s, met" in targets
    assert "spread 4.5%, met" in targets


def test_report_says_which_targets_are_missed_or_not_measured():
    result = sizes_result()
    result.sizes[1].project[:] = [harness.Sample(20.0, 1, {})]
    result.sizes = result.sizes[:2]
    result.rebuild = None
    targets = report.format_report(result).split("Targets:")[1]
    assert "a/b at 1,000 pages <= 1.3: 2.22, MISSED" in targets
    assert "t(5,000)/t(1,000) <= 5.5: n/a" in targets
    assert "one-page rebuild < 1.0 s: n/a" in targets


def test_chapter_navigation_is_measured_in_the_largest_page(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b'<body><details class="chapter-nav"><summary>Chapters</summary>\xc3\xa9</details><main>x</main>')
    assert harness.chapter_nav_bytes(str(page)) == len(
        b'<details class="chapter-nav"><summary>Chapters</summary>\xc3\xa9</details>'
    )
    page.write_bytes(b"<body><main>x</main>")
    assert harness.chapter_nav_bytes(str(page)) is None
    assert harness.chapter_nav_bytes(str(tmp_path / "missing.html")) is None


def test_sizes_option():
    assert parse_sizes("100,1000") == [100, 1000]
    assert parse_sizes(" 5_000 ") == [5000]
    with pytest.raises(ValueError, match="at least 1"):
        parse_sizes("0")
    with pytest.raises(ValueError, match="at least 1"):
        parse_sizes(",")
