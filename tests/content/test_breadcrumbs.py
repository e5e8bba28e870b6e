"""Breadcrumbs (guide/content/breadcrumbs.py): the trail of pages and posts, printed and as a
schema.org BreadcrumbList, root-relative while developing and absolute when published."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site

from guide.content.breadcrumbs import Crumb, breadcrumb_list, page_trail, post_trail
from guide.content.chapters import build_chapters

BASE = "https://example.github.io/guide"


def fake_page(title: str, slug: str, sort_order: str, status: str = "published"):
    return types.SimpleNamespace(title=title, url=f"{slug}.html", metadata={"sort-order": sort_order}, status=status)


def test_a_guide_page_trail_runs_home_chapter_page():
    first, second = fake_page("Intro", "intro", "0101"), fake_page("Servers", "servers", "0201")
    build_chapters([first, second], {"01": "Basics", "02": "Going live"})
    assert page_trail(second, BASE) == [
        Crumb("Home", f"{BASE}/index.html"),
        Crumb("Going live", f"{BASE}/table-of-contents.html#chapter-02"),
        Crumb("Servers", f"{BASE}/servers.html"),
    ]


def test_a_page_outside_the_reading_order_has_no_chapter_crumb():
    listed, hidden = fake_page("Intro", "intro", "0101"), fake_page("Secret", "secret", "0102", status="hidden")
    build_chapters([listed, hidden], {"01": "Basics"})
    assert [crumb.name for crumb in page_trail(hidden, "")] == ["Home", "Secret"]


def test_a_post_trail_runs_home_blog_post():
    post = types.SimpleNamespace(title="Launch", url="blog/launch.html")
    assert post_trail(post, "") == [
        Crumb("Home", "/index.html"),
        Crumb("Blog", "/blog.html"),
        Crumb("Launch", "/blog/launch.html"),
    ]


def test_the_breadcrumb_list_numbers_its_items_from_one():
    trail = [Crumb("Home", f"{BASE}/index.html"), Crumb("A & B", f"{BASE}/a.html")]
    data = breadcrumb_list(trail)
    assert (data["@context"], data["@type"]) == ("https://schema.org", "BreadcrumbList")
    assert data["itemListElement"] == [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{BASE}/index.html"},
        {"@type": "ListItem", "position": 2, "name": "A & B", "item": f"{BASE}/a.html"},
    ]


# --- In a built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    """The fixture site built for development (root-relative) and for publishing (absolute)."""
    root = tmp_path_factory.mktemp("breadcrumbs")
    build_site(FIXTURE_SITE, root / "dev", strict=True, search=False)
    build_site(
        FIXTURE_SITE, root / "pub", "publishconf.py", strict=True, search=False, overrides={"SITEURL": BASE, "FEED_DOMAIN": BASE}
    )
    return {"": root / "dev", BASE: root / "pub"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def breadcrumb_data(page: BeautifulSoup) -> dict:
    found = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    [data] = [d for d in found if d.get("@type") == "BreadcrumbList"]
    return data


@pytest.mark.build
@pytest.mark.parametrize("base", ["", BASE])
@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("second.html", ["Home", "Getting started", "Second page"]),
        ("third.html", ["Home", "Going further", "Third page"]),
        ("blog/launch.html", ["Home", "Blog", "Launching the fixture"]),
    ],
)
def test_the_printed_trail_and_its_structured_data_agree(sites, base, path, names):
    page = soup(sites[base] / path)
    nav = page.select_one('nav.crumbs[aria-label="Breadcrumb"]')
    items = nav.select("ol > li")
    assert [item.get_text(strip=True) for item in items] == names
    *linked, current = items
    assert current.get("aria-current") == "page"
    assert current.find("a") is None
    hrefs = [item.a["href"] for item in linked]
    data = breadcrumb_data(page)
    elements = data["itemListElement"]
    assert [e["position"] for e in elements] == list(range(1, len(names) + 1))
    assert [e["name"] for e in elements] == names
    assert [e["item"] for e in elements] == [*hrefs, page.find("link", rel="canonical")["href"]]
    assert all(url.startswith(f"{base}/") for url in hrefs)  # absolute exactly when SITEURL is


@pytest.mark.build
def test_the_chapter_crumb_leads_to_the_chapter_in_the_table_of_contents(sites):
    href = soup(sites[""] / "third.html").select(".crumbs li")[1].a["href"]
    path, _, anchor = href.partition("#")
    assert path == "/table-of-contents.html"
    entry = soup(sites[""] / "table-of-contents.html").find(id=anchor)
    assert entry is not None
    assert entry.h2.get_text(strip=True) == "Going further"


@pytest.mark.build
def test_the_breadcrumb_data_comes_after_the_article(sites):
    """Out of the first screen's bytes: the BreadcrumbList follows the article, not the head."""
    page = soup(sites[""] / "second.html")
    script = next(s for s in page.find_all("script", type="application/ld+json") if "BreadcrumbList" in s.string)
    assert script.find_parent("head") is None
    assert page.find("article") in script.find_all_previous("article")
