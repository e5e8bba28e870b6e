"""What the site contains, gathered once per build from Pelican's generators."""

from __future__ import annotations

import dataclasses

from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from guide.content.drafts import draft_paths, shows_drafts


@dataclasses.dataclass
class SiteIndex:
    #: every guide page the build writes (published and hidden; drafts too when it shows drafts)
    pages: list
    posts: list  #: every blog post the build writes, likewise
    #: every path the site will serve ("/slug.html", "/images/x.svg") -> what it is
    paths: dict[str, str]
    #: the path each draft the build leaves out will have once published -> its source file
    drafts: dict[str, str] = dataclasses.field(default_factory=dict)
    #: every static file's source, relative to the content folder ("pages/01-start/x.svg") -> its path
    static_sources: dict[str, str] = dataclasses.field(default_factory=dict)
    _page_paths: list[str] | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def from_generators(cls, generators, settings) -> SiteIndex:
        pages, posts, draft_pages, draft_posts, paths, static_sources = [], [], [], [], {}, {}
        for generator in generators:
            if isinstance(generator, PagesGenerator):
                pages = list(generator.pages) + list(generator.hidden_pages)
                draft_pages = list(generator.draft_pages)
            elif isinstance(generator, ArticlesGenerator):
                posts = list(generator.articles) + list(generator.hidden_articles)
                draft_posts = list(generator.drafts)
            elif isinstance(generator, StaticGenerator):
                for static in generator.staticfiles:
                    paths[site_path(static.url)] = "static file"
                    if getattr(static, "relative_source_path", None):
                        static_sources[static.relative_source_path] = site_path(static.url)
        drafts = draft_pages + draft_posts  # left out of this build
        if shows_drafts(settings):  # `invoke serve`: each draft is written where it will be published
            pages, posts, drafts = pages + draft_pages, posts + draft_posts, []
        for content in pages + posts:
            # Pin the URL: Pelican formats it again each time it is read, and the theme reads a
            # page's URL on every page that lists it; Pelican returns an override as it is.
            content.override_url = content.url
        for page in pages:
            paths[site_path(page.url)] = "page"
        for post in posts:
            paths[site_path(post.url)] = "post"
        for name in settings.get("DIRECT_TEMPLATES", ()):
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            if save_as:
                paths[site_path(save_as)] = "generated page"
        for feed_setting in ("FEED_ALL_ATOM", "FEED_ATOM", "FEED_ALL_RSS", "FEED_RSS"):
            if settings.get(feed_setting) and "{" not in settings[feed_setting]:
                paths[site_path(settings[feed_setting])] = "feed"
        for extra in settings.get("EXTRA_SITE_PATHS", ()):
            paths[site_path(extra)] = "generated file"
        return cls(pages, posts, paths, draft_paths(drafts), static_sources=static_sources)

    def page_paths(self) -> list[str]:
        """Every path but static files, sorted (once: each did-you-mean asks again)."""
        if self._page_paths is None:
            self._page_paths = sorted(p for p, kind in self.paths.items() if kind != "static file")
        return self._page_paths

    def resolves(self, path: str) -> bool:
        path = path.split("#", 1)[0].split("?", 1)[0]
        if path in self.paths:
            return True
        return path.endswith("/") and f"{path}index.html" in self.paths


def site_path(url: str) -> str:
    """A Pelican url or save_as ("slug.html") as a root-relative site path ("/slug.html")."""
    return "/" + url.lstrip("/")
