"""Page weight budgets over the built guide, by byte counts (gzip level 9, each file on its own).

- the first screen (the HTML up to the end of the first 1,500 characters of text, plus anything
  render-blocking) <= 14 KiB, and nothing render-blocking at all: the page paints after the first
  round trip of a new TCP connection (10 segments of about 1,460 bytes), at any length;
- whole first load, images and deferred scripts included, <= 50 KiB;
- the theme's JavaScript together <= 6 KiB, all of it deferred or a module;
- no request to any other host.

How a page is weighed is :mod:`guide.site_tools.page_weight` (tested in tests/site_tools/).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from guide.site_tools.page_weight import gzipped_size, page_weight
from helpers import ROOT, build_site

pytestmark = pytest.mark.build

KIB = 1024
FIRST_SCREEN_BUDGET = 14 * KIB
WHOLE_BUDGET = 50 * KIB
SCRIPT_BUDGET = 6 * KIB


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("budget") / "output"
    build_site(ROOT / "content", output)
    return output


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_paints_after_one_round_trip_and_fits_the_whole_budget(site):
    weights = {page.relative_to(site).as_posix(): page_weight(site, page) for page in all_pages(site)}
    heaviest = max(weights, key=lambda name: weights[name].first_screen)
    report = f"heaviest first screen {heaviest}: {weights[heaviest].first_screen} bytes, {weights[heaviest].whole} whole"
    blocking = {name: weight.blocking for name, weight in weights.items() if weight.blocking}
    assert not blocking, f"render-blocking requests: {blocking}"
    over = {
        name: (weight.first_screen, weight.whole)
        for name, weight in weights.items()
        if weight.first_screen > FIRST_SCREEN_BUDGET or weight.whole > WHOLE_BUDGET
    }
    assert not over, f"over budget (first screen, whole): {over}; {report}"


def test_the_longest_page_is_weighed_by_its_first_screen_not_its_length(site):
    """The budget holds at any length because a page's first screen is a prefix of its HTML."""
    longest = max(all_pages(site), key=lambda page: page.stat().st_size)
    weight = page_weight(site, longest)
    assert weight.first_screen < gzipped_size(longest.read_bytes()) / 2, f"{longest.name}: {weight}"


def test_theme_javascript_is_small_and_never_blocks_rendering(site):
    scripts = sorted((site / "theme" / "js").glob("*.js"))
    total = sum(gzipped_size(script.read_bytes()) for script in scripts)
    assert scripts and total <= SCRIPT_BUDGET, f"{total} bytes of JavaScript"
    for page in all_pages(site):
        for script in BeautifulSoup(page.read_text(), "html.parser").find_all("script", src=True):
            assert script.has_attr("defer") or script.get("type") == "module", f"{page.name}: {script}"


def test_no_page_requests_another_host(site):
    for page in all_pages(site):
        html = BeautifulSoup(page.read_text(), "html.parser")
        requested = [tag.get("src") for tag in html.find_all(["script", "img", "iframe", "source", "video", "audio"])]
        requested += [link["href"] for link in html.find_all("link", href=True) if link.get("rel") != ["canonical"] and link.get("rel") != ["alternate"]]
        for url in filter(None, requested):
            assert not urlsplit(url).netloc, f"{page.name} requests {url}"


def test_diagrams_are_svg_and_light(site):
    images = sorted((site / "images").iterdir())
    assert images and all(image.suffix == ".svg" for image in images)
    assert max(gzipped_size(image.read_bytes()) for image in images) < 4 * KIB
