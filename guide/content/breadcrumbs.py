"""Breadcrumbs, home › chapter › page (home › blog › post), and their BreadcrumbList, once per build.

A guide page's trail is the home page, its chapter (a link to the chapter's entry in the table of
contents, ``#chapter-NN``: chapters have no page of their own) and the page itself; a page outside
the reading order (hidden) has no chapter, so its trail is home › page. A post's trail is home ›
blog › post. The theme prints the trail (the last crumb is the current page, not a link) and the
same trail as schema.org structured data: a ``BreadcrumbList`` whose ``ListItem``\\ s have a
``position`` (from 1), a ``name`` and an ``item`` URL, absolute under an absolute ``SITEURL``
(publishconf.py), as Google's breadcrumb rich result asks.
"""

from __future__ import annotations

import dataclasses

HOME = ("Home", "index.html")
BLOG = ("Blog", "blog.html")
TABLE_OF_CONTENTS = "table-of-contents.html"


@dataclasses.dataclass(frozen=True)
class Crumb:
    name: str
    url: str  #: SITEURL + "/" + path: root-relative while developing, absolute when published


def page_trail(page, siteurl: str) -> list[Crumb]:
    """Home, the page's chapter when it has one, then the page."""
    trail = [Crumb(HOME[0], f"{siteurl}/{HOME[1]}")]
    chapter = getattr(page, "chapter", None)
    if chapter is not None:
        trail.append(Crumb(chapter.title, f"{siteurl}/{TABLE_OF_CONTENTS}#{chapter.anchor}"))
    trail.append(Crumb(page.title, f"{siteurl}/{page.url}"))
    return trail


def post_trail(post, siteurl: str) -> list[Crumb]:
    """Home, the blog, then the post."""
    return [Crumb(name, f"{siteurl}/{path}") for name, path in (HOME, BLOG)] + [Crumb(post.title, f"{siteurl}/{post.url}")]


def breadcrumb_list(trail: list[Crumb]) -> dict:
    """The trail as a schema.org BreadcrumbList (a JSON-LD object of its own)."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": crumb.name, "item": crumb.url}
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def add_breadcrumbs(pages: list, posts: list, siteurl: str) -> None:
    """Give each page and post its ``breadcrumbs`` (a list of :class:`Crumb`) and their
    ``breadcrumb_list``; call once the chapters are known (:func:`guide.content.chapters.build_chapters`)."""
    for content, trail_of in [(page, page_trail) for page in pages] + [(post, post_trail) for post in posts]:
        content.breadcrumbs = trail_of(content, siteurl)
        content.breadcrumb_list = breadcrumb_list(content.breadcrumbs)
