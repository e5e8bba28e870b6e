"""sitemap.xml from made-up pages and posts (guide/build/sitemap.py): which entries, in which
order, with which date, and the XML written for them under a base path."""

from __future__ import annotations

import datetime
import types
import xml.etree.ElementTree as ET

from guide.build.sitemap import LISTED_GENERATED, render_sitemap, sitemap_entries

BASE = "https://example.github.io/guide"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DAY = datetime.date


def page(url: str, last_updated: datetime.date | None):
    return types.SimpleNamespace(url=url, last_updated=last_updated)


def post(url: str, date: datetime.datetime, modified: datetime.datetime | None = None):
    return types.SimpleNamespace(url=url, date=date, modified=modified)


def parsed(xml: str) -> list[tuple[str, str | None]]:
    root = ET.fromstring(xml.encode("utf-8"))
    return [(url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS)) for url in root.findall("s:url", NS)]


def test_entries_are_every_page_post_and_listed_generated_page_sorted_by_path():
    pages = [page("zeta.html", DAY(2026, 1, 5)), page("alpha.html", DAY(2026, 1, 2))]
    posts = [post("blog/launch.html", datetime.datetime(2026, 1, 3, 9, 30))]
    entries = sitemap_entries(pages, posts)
    paths = [path for path, _ in entries]
    assert paths == sorted(paths)
    assert set(paths) == {"/zeta.html", "/alpha.html", "/blog/launch.html"} | {f"/{name}" for name in LISTED_GENERATED}
    assert "/404.html" not in paths and "/search.html" not in paths


def test_a_page_is_dated_by_its_last_update_and_a_post_by_its_modified_date_or_its_date():
    pages = [page("dated.html", DAY(2026, 2, 1)), page("undated.html", None)]
    posts = [
        post("blog/old.html", datetime.datetime(2025, 12, 31, 23, 59)),
        post("blog/edited.html", datetime.datetime(2025, 6, 1), modified=datetime.datetime(2026, 3, 4, 8)),
    ]
    entries = dict(sitemap_entries(pages, posts))
    assert entries["/dated.html"] == DAY(2026, 2, 1)
    assert entries["/undated.html"] is None
    assert entries["/blog/old.html"] == DAY(2025, 12, 31)
    assert entries["/blog/edited.html"] == DAY(2026, 3, 4)


def test_generated_pages_take_the_newest_date_of_the_content_or_none():
    entries = dict(sitemap_entries([page("a.html", DAY(2026, 1, 1)), page("b.html", DAY(2026, 4, 9))], []))
    assert [entries[f"/{name}"] for name in LISTED_GENERATED] == [DAY(2026, 4, 9)] * len(LISTED_GENERATED)
    undated = dict(sitemap_entries([page("a.html", None)], []))
    assert [undated[f"/{name}"] for name in LISTED_GENERATED] == [None] * len(LISTED_GENERATED)


def test_urls_are_absolute_under_the_base_path_and_the_home_page_is_the_base():
    entries = [("/index.html", DAY(2026, 1, 2)), ("/second.html", None), ("/blog/launch.html", DAY(2026, 1, 1))]
    expected = [(f"{BASE}/", "2026-01-02"), (f"{BASE}/second.html", None), (f"{BASE}/blog/launch.html", "2026-01-01")]
    assert parsed(render_sitemap(entries, BASE)) == expected
    assert parsed(render_sitemap(entries, BASE + "/")) == expected, "a trailing slash in SITEURL makes no //"
    assert [loc for loc, _ in parsed(render_sitemap(entries, ""))] == ["/", "/second.html", "/blog/launch.html"]


def test_the_sitemap_is_well_formed_and_escaped():
    xml = render_sitemap([("/q&a.html", None), ("/<odd>.html", DAY(2026, 1, 1))], BASE)
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n') and xml.endswith("</urlset>\n")
    assert "&amp;" in xml and "<odd>" not in xml
    assert parsed(xml) == [(f"{BASE}/q&a.html", None), (f"{BASE}/<odd>.html", "2026-01-01")]


def test_the_same_content_gives_the_same_bytes():
    """Two builds of the same content must be byte-identical: no date comes from the clock."""
    pages = [page("b.html", None), page("a.html", DAY(2026, 1, 1))]
    assert render_sitemap(sitemap_entries(pages, []), BASE) == render_sitemap(sitemap_entries(pages[::-1], []), BASE)
