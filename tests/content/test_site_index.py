"""The index of what a site serves (guide/content/site_index.py), gathered from stand-ins for
Pelican's generators: which paths, of which kind, and which links resolve."""

from __future__ import annotations

import types

from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from guide.content.site_index import SiteIndex, site_path

#: What the index reads from settings, as the site's own settings give it.
SETTINGS = {
    "DIRECT_TEMPLATES": ["index", "table-of-contents", "search", "robots", "archives"],
    "ROBOTS_SAVE_AS": "robots.txt",
    "ARCHIVES_SAVE_AS": "",  # not written: not a path of the site
    "FEED_ALL_ATOM": "feeds/atom.xml",
    "FEED_RSS": "feeds/{slug}.rss.xml",  # one feed per something: no single path
    "EXTRA_SITE_PATHS": ["sitemap.xml"],
}


def content(url: str):
    return types.SimpleNamespace(url=url)


# The index tells generators apart by their class, so the stand-ins are subclasses that skip
# Pelican's constructor and hold only what the index reads.
class Pages(PagesGenerator):
    def __init__(self, pages, hidden_pages=(), draft_pages=()):
        self.pages, self.hidden_pages, self.draft_pages = list(pages), list(hidden_pages), list(draft_pages)


class Articles(ArticlesGenerator):
    def __init__(self, articles, hidden_articles=(), drafts=()):
        self.articles, self.hidden_articles, self.drafts = list(articles), list(hidden_articles), list(drafts)


class Statics(StaticGenerator):
    def __init__(self, staticfiles):
        self.staticfiles = list(staticfiles)


def index_of(pages=(), hidden=(), posts=(), statics=(), settings=SETTINGS) -> SiteIndex:
    generators = [Pages(pages, hidden), Articles(posts), Statics(statics)]
    return SiteIndex.from_generators(generators, settings)


def test_every_path_the_site_serves_with_its_kind():
    index = index_of(
        pages=[content("home.html")],
        hidden=[content("draft-ish.html")],
        posts=[content("blog/launch.html")],
        statics=[content("images/diagram.svg")],
    )
    assert index.paths == {
        "/home.html": "page",
        "/draft-ish.html": "page",
        "/blog/launch.html": "post",
        "/images/diagram.svg": "static file",
        "/index.html": "generated page",
        "/table-of-contents.html": "generated page",
        "/search.html": "generated page",
        "/robots.txt": "generated page",
        "/feeds/atom.xml": "feed",
        "/sitemap.xml": "generated file",
    }


def test_pages_hold_the_hidden_ones_too_and_posts_are_the_articles():
    home, second, hidden, post = content("home.html"), content("second.html"), content("hidden.html"), content("blog/a.html")
    index = index_of(pages=[home, second], hidden=[hidden], posts=[post])
    assert (index.pages, index.posts) == ([home, second, hidden], [post])


def test_each_page_and_post_url_is_pinned_for_the_theme():
    """Pelican formats a URL again on each read; the index pins it once (Pelican returns an
    override as it is)."""
    page, post = content("home.html"), content("blog/a.html")
    index_of(pages=[page], posts=[post])
    assert (page.override_url, post.override_url) == ("home.html", "blog/a.html")


def test_a_link_resolves_to_a_path_with_or_without_fragment_and_query():
    index = index_of(pages=[content("home.html"), content("guide/index.html")], statics=[content("images/d.svg")])
    for link in ("/home.html", "/home.html#a-heading", "/home.html?ref=1", "/images/d.svg", "/guide/", "/feeds/atom.xml"):
        assert index.resolves(link), link
    for link in ("/nowhere.html", "/home.htm", "home.html", "/images/", "/guide", "/archives.html", "/feeds/x.rss.xml"):
        assert not index.resolves(link), link


def test_page_paths_are_sorted_and_leave_static_files_out():
    index = index_of(pages=[content("zeta.html"), content("alpha.html")], statics=[content("images/a.svg")])
    assert index.page_paths() == [
        "/alpha.html",
        "/feeds/atom.xml",
        "/index.html",
        "/robots.txt",
        "/search.html",
        "/sitemap.xml",
        "/table-of-contents.html",
        "/zeta.html",
    ]


def test_site_path_is_root_relative():
    assert [site_path(url) for url in ("slug.html", "/slug.html", "blog/")] == ["/slug.html", "/slug.html", "/blog/"]
