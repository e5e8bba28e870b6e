"""Page weight budgets over the built guide, by byte counts (gzip level 9, each file on its own).

- critical first load (HTML + stylesheets + render-blocking scripts + fonts) <= 14 KiB: it fits
  the first round trip of a new TCP connection (10 segments of about 1,460 bytes);
- whole first load, images and deferred scripts included, <= 50 KiB;
- the theme's JavaScript together <= 6 KiB, all of it deferred or a module;
- no request to any other host.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_site

pytestmark = pytest.mark.build

KIB = 1024
CRITICAL_BUDGET = 14 * KIB
WHOLE_BUDGET = 50 * KIB
SCRIPT_BUDGET = 6 * KIB


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("budget") / "output"
    build_site(ROOT / "content", output)
    return output


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def local_file(site: Path, url: str) -> Path:
    parts = urlsplit(url)
    assert not parts.netloc, f"request to another host: {url}"
    return site / parts.path.lstrip("/")


def page_weight(site: Path, page: Path) -> tuple[int, int]:
    """(critical, whole) gzip bytes of a page's first load."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    critical = gzipped_size(page)
    deferred = 0
    for link in html.find_all("link", rel="stylesheet"):
        critical += gzipped_size(local_file(site, link["href"]))
    for link in html.find_all("link", rel="preload"):
        critical += gzipped_size(local_file(site, link["href"]))  # fonts would be preloaded
    for script in html.find_all("script", src=True):
        size = gzipped_size(local_file(site, script["src"]))
        if script.has_attr("defer") or script.has_attr("async") or script.get("type") == "module":
            deferred += size
        else:
            critical += size
    for image in html.find_all("img", src=True):
        deferred += gzipped_size(local_file(site, image["src"]))
    return critical, critical + deferred


def all_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_fits_the_critical_and_whole_budgets(site):
    weights = {page.relative_to(site).as_posix(): page_weight(site, page) for page in all_pages(site)}
    heaviest = max(weights, key=lambda name: weights[name][0])
    report = f"heaviest page {heaviest}: {weights[heaviest][0]} bytes critical, {weights[heaviest][1]} whole"
    over = {name: w for name, w in weights.items() if w[0] > CRITICAL_BUDGET or w[1] > WHOLE_BUDGET}
    assert not over, f"over budget (critical, whole): {over}; {report}"


def test_theme_javascript_is_small_and_never_blocks_rendering(site):
    scripts = sorted((site / "theme" / "js").glob("*.js"))
    total = sum(gzipped_size(script) for script in scripts)
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
    assert max(gzipped_size(image) for image in images) < 4 * KIB
