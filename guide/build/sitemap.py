"""sitemap.xml: every page of the site once, with a last-modified date that comes from content.

Written here rather than with pelican-sitemap because that plugin stamps pages without a date
with the time of the build, and two builds of the same content must be byte-identical.
"""

from __future__ import annotations

import datetime
import os
from xml.sax.saxutils import escape

from guide.content.chapters import guide_pages
from guide.content.drafts import PUBLISHED, status_of
from guide.content.site_links import site_url

#: Generated pages worth listing; 404 and search result pages are not.
LISTED_GENERATED = ("index.html", "table-of-contents.html", "blog.html")


def sitemap_entries(pages: list, posts: list) -> list[tuple[str, datetime.date | None]]:
    """(site path, last modified) for every page, post and listed generated page, sorted by path."""
    entries = {f"/{page.url}": page.last_updated for page in pages}
    for post in posts:
        entries[f"/{post.url}"] = (getattr(post, "modified", None) or post.date).date()
    newest = max((day for day in entries.values() if day), default=None)
    for name in LISTED_GENERATED:
        entries[f"/{name}"] = newest
    return sorted(entries.items())


def render_sitemap(entries, siteurl: str) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, day in entries:
        loc = site_url(siteurl, "/" if path == "/index.html" else path)
        lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(index, output_path: str, siteurl: str) -> None:
    """Write ``sitemap.xml`` for the site's :class:`~guide.content.site_index.SiteIndex`."""
    # Published pages and posts only: neither hidden ones nor the drafts `invoke serve` shows.
    posts = [post for post in index.posts if status_of(post) == PUBLISHED]
    entries = sitemap_entries(guide_pages(index.pages), posts)
    with open(os.path.join(output_path, "sitemap.xml"), "w", encoding="utf-8") as file:
        file.write(render_sitemap(entries, siteurl))
