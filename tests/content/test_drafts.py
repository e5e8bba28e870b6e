"""Drafts and hidden pages (guide/content/drafts.py).

A draft (``status: draft``) is left out of `invoke build` and `publish` altogether: no file, no
sitemap entry, no feed entry, no search index entry, no place in the chapters, the table of
contents or the pager, and a link to it fails the build. `invoke serve` (the preview build)
renders it where it will be once published, with a "Draft" banner and marks. A hidden page
(``status: hidden``) is built and reachable at its URL, and listed nowhere.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, ROOT, build_site, replace, tree_digest
from pelican.generators import ArticlesGenerator, PagesGenerator

from guide.build.preview import PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, BuildFailed, build
from guide.content.chapters import build_chapters, guide_pages
from guide.content.drafts import SHOW_DRAFTS, apply_draft_settings, draft_link_problem
from guide.content.site_index import SiteIndex

BASE = "https://example.github.io/guide"
DRAFT_PAGE = "pages/01-start/03-draft.md"
HIDDEN_PAGE = "pages/02-more/02-hidden.md"
DRAFT_POST = "blog/draft-post.md"
HIDDEN_POST = "blog/hidden-post.md"
SECOND = "pages/01-start/02-second.md"
#: What each kind of content is published at, if it is.
DRAFT_URLS = ("/draft-page.html", "/blog/draft-post.html")
HIDDEN_URLS = ("/hidden-page.html", "/blog/hidden-post.html")
BANNER_WORDS = "is a preview"  #: in the banner's text, which search must not index

FILES = {
    DRAFT_PAGE: """title: A draft page
slug: draft-page
sort-order: 0103
meta: A page still being written.
status: draft

Draft text, with a [link home](/home.html).
""",
    HIDDEN_PAGE: """title: A hidden page
slug: hidden-page
sort-order: 0202
meta: A page reachable by its URL only.
status: hidden

Hidden text.
""",
    DRAFT_POST: """title: A draft post
slug: draft-post
category: post
date: 2026-12-01
meta: A post still being written.
status: draft

Draft post text.
""",
    HIDDEN_POST: """title: A hidden post
slug: hidden-post
category: post
date: 2026-11-03
status: hidden

Hidden post text.
""",
}


def add_drafts_and_hidden(content: Path) -> Path:
    for path, text in FILES.items():
        (content / path).write_text(text, encoding="utf-8")
    return content


def preview(content: Path, output: Path, session: PreviewState | None = None, **kwargs):
    """The build `invoke serve` runs (its overrides; a session of its own unless given one)."""
    overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(output.parent / f"{output.name}-cache"))
    session = session or PreviewState()
    return build(
        str(ROOT / "pelicanconf.py"), content=str(content), output=str(output), overrides=overrides, preview=session, **kwargs
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def site_paths_linked(output: Path) -> set[str]:
    """Every root-relative href of every HTML page of a development build."""
    return {a["href"].split("#")[0] for page in output.rglob("*.html") for a in soup(page).select("a[href^='/']")}


def sitemap_paths(output: Path, base: str = "") -> set[str]:
    root = ET.parse(output / "sitemap.xml").getroot()
    return {loc.text.removeprefix(base) for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}


def indexed_pages(output: Path) -> dict[str, str]:
    """What Pagefind indexed: URL -> text, from its fragments (gzip; JSON after a signature)."""
    pages = {}
    for fragment in (output / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        text = data[data.index(b"{") :].decode("utf-8")
        url = text.split('"url":"', 1)[1].split('"', 1)[0]
        pages[url.removeprefix(BASE)] = text
    return pages


# --- The built site: drafts nowhere, hidden content built but listed nowhere ----------------------


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """The fixture site with drafts and hidden content, built three ways below: build, publish, serve's preview."""
    content = tmp_path_factory.mktemp("drafts") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return add_drafts_and_hidden(content)


@pytest.fixture(scope="module")
def built(tree):
    output = tree.parent / "built"
    result = build_site(tree, output, strict=True)
    assert result.warnings == []
    return output


@pytest.fixture(scope="module")
def published(tree):
    output = tree.parent / "published"
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--siteurl", BASE, "--content", str(tree), "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SITEURL": ""},
    )
    assert run.returncode == 0, run.stderr
    return output


@pytest.fixture(scope="module")
def previewed(tree):
    output = tree.parent / "previewed"
    result = preview(tree, output, strict=True)
    assert result.warnings == []
    return output


@pytest.mark.build
def test_build_and_publish_write_no_file_for_a_draft_and_one_for_hidden_content(built, published):
    for output in (built, published):
        for path in DRAFT_URLS:
            assert not (output / path.lstrip("/")).exists(), (output.name, path)
        for path in HIDDEN_URLS:
            assert (output / path.lstrip("/")).is_file(), (output.name, path)
        assert not (output / "drafts").exists()  # nor where Pelican writes drafts by default


@pytest.mark.build
def test_no_page_links_to_a_draft_or_lists_a_hidden_page(built):
    linked = site_paths_linked(built)
    assert "/home.html" in linked
    assert "/blog/notes.html" in linked
    assert not linked & set(DRAFT_URLS + HIDDEN_URLS)


@pytest.mark.build
def test_the_chapters_toc_and_pager_skip_drafts_and_hidden_pages(built):
    toc = [a.get_text(strip=True) for a in soup(built / "table-of-contents.html").select(".toc a")]
    assert toc == ["Home page of the fixture", "Second page", "Third page"]
    second = soup(built / "second.html")
    assert second.select_one(".pager .next")["href"] == "/third.html"
    assert [a.get_text(strip=True) for a in second.select(".chapters ol a")] == ["Home page of the fixture", "Second page"]
    hidden = soup(built / "hidden-page.html")
    assert hidden.select_one(".pager") is None
    assert [crumb.get_text(strip=True) for crumb in hidden.select(".crumbs li")] == ["Home", "A hidden page"]  # no chapter


@pytest.mark.build
def test_the_sitemap_lists_neither_drafts_nor_hidden_content(built, published):
    for output, base in ((built, ""), (published, BASE)):
        listed = sitemap_paths(output, base)
        assert {"/home.html", "/blog/notes.html"} <= listed
        assert not listed & set(DRAFT_URLS + HIDDEN_URLS), output.name


@pytest.mark.build
def test_the_feed_holds_neither_draft_nor_hidden_posts(published):
    feed = (published / "feeds" / "atom.xml").read_text(encoding="utf-8")
    assert "/blog/notes.html" in feed
    assert "/blog/launch.html" in feed
    for path in DRAFT_URLS + HIDDEN_URLS:
        assert path not in feed, path


@pytest.mark.build
def test_search_indexes_neither_drafts_nor_hidden_content(built):
    indexed = indexed_pages(built)
    assert {"/home.html", "/second.html", "/blog/notes.html"} <= set(indexed)
    assert not set(indexed) & set(DRAFT_URLS + HIDDEN_URLS)
    assert soup(built / "hidden-page.html").select("[data-pagefind-body]") == []  # why the hidden page is left out


@pytest.mark.build
def test_no_published_page_shows_a_draft_banner_or_mark_or_loads_their_styles(built):
    for page in built.rglob("*.html"):
        assert not soup(page).select(".draft-banner, .draft-mark, link[href*='drafts.css']"), page.name


# --- serve's preview: each draft in its place, marked ------------------------------------------------


@pytest.mark.build
def test_the_preview_renders_drafts_with_a_banner(previewed):
    for path in DRAFT_URLS:
        page = soup(previewed / path.lstrip("/"))
        banner = page.select_one(".draft-banner")
        assert banner is not None, path
        assert "Draft" in banner.get_text()
        assert not banner.has_attr("style")  # styled by the theme's CSS: the CSP allows no inline style
        (styles,) = page.select("link[href*='/css/drafts.css']")
        assert (previewed / styles["href"].lstrip("/")).is_file()
    assert soup(previewed / "second.html").select(".draft-banner") == []


@pytest.mark.build
def test_the_preview_lists_a_draft_where_it_will_be_published_marked_as_draft(previewed):
    toc = soup(previewed / "table-of-contents.html")
    assert [a["href"] for a in toc.select(".toc a")] == ["/home.html", "/second.html", "/draft-page.html", "/third.html"]
    assert [a["href"] for a in toc.select(".toc a:has(.draft-mark)")] == ["/draft-page.html"]
    second = soup(previewed / "second.html")
    assert second.select_one(".pager .next")["href"] == "/draft-page.html"
    assert [a["href"] for a in second.select(".chapters ol a:has(.draft-mark)")] == ["/draft-page.html"]
    draft = soup(previewed / "draft-page.html")
    assert (draft.select_one(".pager .previous")["href"], draft.select_one(".pager .next")["href"]) == (
        "/second.html",
        "/third.html",
    )
    blog = [a["href"] for a in soup(previewed / "blog.html").select(".post-list h2:has(.draft-mark) a")]
    assert blog == ["/blog/draft-post.html"]
    assert not set(site_paths_linked(previewed)) & set(HIDDEN_URLS)  # hidden stays unlisted in the preview too


@pytest.mark.build
def test_the_preview_sitemap_and_search_leave_the_banner_and_hidden_content_out(previewed):
    assert not sitemap_paths(previewed) & set(DRAFT_URLS + HIDDEN_URLS)
    indexed = indexed_pages(previewed)
    assert "/draft-page.html" in indexed  # found by search in the preview, where it will be
    assert "Draft text" in indexed["/draft-page.html"]
    assert BANNER_WORDS not in indexed["/draft-page.html"]
    assert not set(indexed) & set(HIDDEN_URLS)


@pytest.mark.build
def test_in_a_serve_session_a_new_draft_shows_in_place_then_publishes_as_a_full_build_would(site_copy, tmp_path):
    session, output = PreviewState(), tmp_path / "serve"
    preview(site_copy, output, session)
    (site_copy / DRAFT_PAGE).write_text(FILES[DRAFT_PAGE], encoding="utf-8")
    preview(site_copy, output, session)  # a rebuild: only what changed is rendered
    assert soup(output / "draft-page.html").select(".draft-banner")
    assert [a["href"] for a in soup(output / "home.html").select(".chapters ol a:has(.draft-mark)")] == ["/draft-page.html"]
    replace(DRAFT_PAGE, "status: draft", "status: published")(site_copy)
    preview(site_copy, output, session)
    assert not soup(output / "home.html").select(".draft-mark, link[href*='drafts.css']")
    build_site(site_copy, tmp_path / "full")

    def without_search(folder):
        return {name: digest for name, digest in tree_digest(folder).items() if not name.startswith("pagefind/")}

    assert without_search(output) == without_search(tmp_path / "full")


# --- Links to drafts ---------------------------------------------------------------------------------


@pytest.mark.build
def test_a_link_to_a_draft_fails_the_build_and_is_fine_in_the_preview(site_copy, tmp_path):
    add_drafts_and_hidden(site_copy)
    replace(SECOND, "Some text.", "Some text, see [the draft](/draft-page.html) and [the post](/blog/draft-post.html).")(
        site_copy
    )
    replace(SECOND, "choice1url: /home.html", "choice1url: /draft-page.html")(site_copy)
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, tmp_path / "built")
    errors = [str(problem) for problem in failed.value.problems.errors]
    assert len(errors) == 3, errors
    for field, link, source in (
        ("choice1url", "/draft-page.html", DRAFT_PAGE),
        ("body", "/draft-page.html", DRAFT_PAGE),
        ("body", "/blog/draft-post.html", DRAFT_POST),
    ):
        assert any(f"02-second.md: {field}: " in e and f"{link} leads to a draft" in e and source in e for e in errors), (
            field,
            link,
        )
    assert not (tmp_path / "built").exists()
    preview(site_copy, tmp_path / "previewed", strict=True)
    assert (tmp_path / "previewed" / "draft-page.html").is_file()


@pytest.mark.build
def test_a_link_to_a_hidden_page_is_fine(site_copy, tmp_path):
    add_drafts_and_hidden(site_copy)
    replace(SECOND, "Some text.", "See [hidden](/hidden-page.html) and [post](/blog/hidden-post.html).")(site_copy)
    build_site(site_copy, tmp_path / "built", strict=True)


# --- The pieces, without a build ----------------------------------------------------------------------


def settings(show: bool) -> dict:
    return {
        SHOW_DRAFTS: show,
        "PAGE_URL": "{slug}.html",
        "PAGE_SAVE_AS": "{slug}.html",
        "ARTICLE_URL": "blog/{slug}.html",
        "ARTICLE_SAVE_AS": "blog/{slug}.html",
        "DRAFT_PAGE_SAVE_AS": "drafts/pages/{slug}.html",  # Pelican's defaults
        "DRAFT_SAVE_AS": "drafts/{slug}.html",
    }


def test_a_draft_has_its_future_url_and_is_written_only_when_drafts_are_shown():
    hidden_away, shown = settings(False), settings(True)
    apply_draft_settings(hidden_away)
    apply_draft_settings(shown)
    for config in (hidden_away, shown):
        assert (config["DRAFT_PAGE_URL"], config["DRAFT_URL"]) == (config["PAGE_URL"], config["ARTICLE_URL"])
    assert (hidden_away["DRAFT_PAGE_SAVE_AS"], hidden_away["DRAFT_SAVE_AS"]) == ("", "")
    assert (shown["DRAFT_PAGE_SAVE_AS"], shown["DRAFT_SAVE_AS"]) == (shown["PAGE_SAVE_AS"], shown["ARTICLE_SAVE_AS"])


def test_the_project_settings_show_drafts_in_serve_only():
    from pelican.settings import read_settings

    assert read_settings(str(ROOT / "pelicanconf.py"))[SHOW_DRAFTS] is False
    assert read_settings(str(ROOT / "publishconf.py"))[SHOW_DRAFTS] is False
    assert PREVIEW_OVERRIDES[SHOW_DRAFTS] is True


def content(url: str, status: str = "published", sort_order: str = "", source: str = ""):
    return types.SimpleNamespace(
        url=url, status=status, metadata={"sort-order": sort_order}, source_path=source or url, title=url
    )


class Pages(PagesGenerator):
    def __init__(self, pages=(), hidden=(), drafts=()):
        self.pages, self.hidden_pages, self.draft_pages = list(pages), list(hidden), list(drafts)


class Articles(ArticlesGenerator):
    def __init__(self, articles=(), hidden=(), drafts=()):
        self.articles, self.hidden_articles, self.drafts = list(articles), list(hidden), list(drafts)


def test_the_index_leaves_drafts_out_and_names_them_unless_drafts_are_shown():
    page, hidden = content("a.html"), content("h.html", "hidden")
    draft_page, draft_post = content("d.html", "draft", source="pages/d.md"), content("blog/p.html", "draft", source="blog/p.md")
    post, hidden_post = content("blog/a.html"), content("blog/h.html", "hidden")

    def index(show: bool) -> SiteIndex:
        generators = [Pages([page], [hidden], [draft_page]), Articles([post], [hidden_post], [draft_post])]
        return SiteIndex.from_generators(generators, {SHOW_DRAFTS: show})

    built = index(False)
    assert (built.pages, built.posts) == ([page, hidden], [post, hidden_post])
    assert not built.resolves("/d.html")
    assert not built.resolves("/blog/p.html")
    assert built.drafts == {"/d.html": "pages/d.md", "/blog/p.html": "blog/p.md"}
    assert built.resolves("/h.html")
    assert built.resolves("/blog/h.html")
    shown = index(True)
    assert (shown.pages, shown.posts, shown.drafts) == ([page, hidden, draft_page], [post, hidden_post, draft_post], {})
    assert shown.resolves("/d.html")
    assert shown.resolves("/blog/p.html")


def test_a_link_to_a_draft_names_the_draft_and_what_to_do():
    drafts = {"/d.html": "content/pages/01-x/03-d.md"}
    assert draft_link_problem("/other.html", drafts) is None
    problem = draft_link_problem("/d.html", drafts)
    assert "/d.html" in problem
    assert "content/pages/01-x/03-d.md" in problem
    assert "status: published" in problem


def test_the_reading_order_holds_drafts_only_when_asked_and_hidden_pages_never():
    first, draft, hidden, last = (
        content("first.html", sort_order="0101"),
        content("draft.html", "draft", "0102"),
        content("hidden.html", "hidden", "0103"),
        content("last.html", sort_order="0104"),
    )
    pages = [last, hidden, draft, first]
    assert guide_pages(pages) == [first, last]
    assert guide_pages(pages, drafts=True) == [first, draft, last]
    build_chapters(pages, {}, drafts=True)
    assert (first.next_page, draft.next_page, last.previous_page) == (draft, last, draft)
    assert hidden.chapter is None
    assert hidden.next_page is None
    build_chapters(pages, {})
    assert (first.next_page, last.previous_page) == (last, first)
    assert draft.chapter is None  # outside the reading order, like a hidden page
