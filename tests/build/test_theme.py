"""The reader's theme over a built fixture site, parsed with a real HTML parser."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup

from guide.build.runner import BuildFailed
from guide.build.theme_assets import csp_hash
from helpers import FIXTURE_SITE, ROOT, build_site, tree_digest

pytestmark = pytest.mark.build
PAGES = ["home.html", "second.html", "third.html"]


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    output = tmp_path_factory.mktemp("theme") / "output"
    build_site(FIXTURE_SITE, output, strict=True)
    return output


@pytest.mark.parametrize("name", PAGES)
def test_sidebar_marks_exactly_the_current_page(built, name):
    nav = soup(built / name).select_one("nav[aria-label=Chapters]")
    current = nav.select('[aria-current="page"]')
    assert [a["href"] for a in current] == [f"/{name}"]


def test_sidebar_lists_every_chapter_but_only_the_current_chapters_pages(built):
    nav = soup(built / "home.html").select_one("nav[aria-label=Chapters]")
    assert [a.text for a in nav.select(".chapter-title")] == ["Getting started", "Going further"]
    assert [a["href"] for a in nav.select(".chapters ol a")] == ["/home.html", "/second.html"]
    nav = soup(built / "third.html").select_one("nav[aria-label=Chapters]")
    assert [a["href"] for a in nav.select(".chapters ol a")] == ["/third.html"]


def test_narrow_screens_reach_the_chapters_before_the_article(built):
    """The chapter navigation is a <details> disclosure placed before <main>: no script needed."""
    page = soup(built / "second.html")
    details = page.select_one("details.chapter-nav")
    assert details.summary.text == "Chapters"
    assert details.find_next("main") is not None, "chapter navigation must come before the article"


def test_previous_and_next_cross_chapter_boundaries(built):
    def pager(name):
        nav = soup(built / name).select_one("nav.pager")
        return {a["rel"][0]: a["href"] for a in nav.select("a")}

    assert pager("home.html") == {"next": "/second.html"}
    assert pager("second.html") == {"prev": "/home.html", "next": "/third.html"}
    assert pager("third.html") == {"prev": "/second.html"}


def heading_text(heading) -> str:
    """A heading's text as a reader sees it, without its permalink."""
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    return heading.get_text(strip=True)


@pytest.mark.parametrize("name", PAGES)
def test_outline_lists_every_h2_and_h3_of_the_article_in_order(built, name):
    """Where each outline link leads the strict build checks; what is missing from it, only this."""
    page = soup(built / name)
    headings = [(f"level-{h.name[1]}", f"#{h['id']}", heading_text(h)) for h in page.select(".prose h2, .prose h3")]
    outline = [(li["class"][0], li.a["href"], li.a.get_text(strip=True)) for li in page.select("nav.outline li")]
    assert outline == headings
    assert bool(page.select("nav.outline")) == bool(headings), "a page without headings has no outline"


def test_headings_get_stable_ids_and_duplicates_are_suffixed(site_copy, tmp_path):
    text = (site_copy / "pages/01-start/02-second.md").read_text()
    (site_copy / "pages/01-start/02-second.md").write_text(text + "\n## A heading\n\n### Détails & co\n")
    build_site(site_copy, tmp_path / "out")
    page = soup(tmp_path / "out" / "second.html")
    outline = [(li["class"][0], li.a["href"]) for li in page.select("nav.outline li")]
    assert outline == [("level-2", "#a-heading"), ("level-2", "#a-heading_1"), ("level-3", "#details-co")]
    assert page.select_one("#a-heading_1 a.headerlink")["href"] == "#a-heading_1"


def test_table_of_contents_and_home_list_chapters_in_sort_order(built):
    for name in ("table-of-contents.html", "index.html"):
        toc = soup(built / name).select_one("ol.toc")
        assert [h.text for h in toc.select("h2")] == ["Getting started", "Going further"]
        assert [a["href"] for a in toc.select("a")] == ["/home.html", "/second.html", "/third.html"]
    latest = soup(built / "index.html").select(".latest-posts a")
    assert [a["href"] for a in latest] == ["/blog/notes.html", "/blog/launch.html"]


def test_chapter_title_falls_back_to_the_first_page_title(site_copy, tmp_path):
    page = site_copy / "pages/02-more/01-third.md"
    page.write_text(page.read_text().replace("sort-order: 0201", "sort-order: 0901"))
    build_site(site_copy, tmp_path / "out")
    toc = soup(tmp_path / "out" / "table-of-contents.html")
    assert [h.text for h in toc.select("ol.toc h2")] == ["Getting started", "Third page"]


def test_sidebar_size_does_not_grow_with_other_chapters(site_copy, tmp_path):
    build_site(site_copy, tmp_path / "small")
    for number in range(2, 40):
        (site_copy / f"pages/02-more/{number:02d}-extra.md").write_text(
            f"title: Extra {number}\nslug: extra-{number}\nsort-order: 02{number:02d}\nmeta: Filler.\n\nText.\n"
        )
    build_site(site_copy, tmp_path / "large")

    def sidebar(folder):
        return str(soup(folder / "home.html").select_one("details.chapter-nav"))

    assert sidebar(tmp_path / "small") == sidebar(tmp_path / "large")


def add_pages(site, chapter: int, positions, folder: str | None = None):
    folder = site / "pages" / (folder or f"{chapter:02d}-extra")
    folder.mkdir(parents=True, exist_ok=True)
    for position in positions:
        slug = f"extra-{chapter:02d}{position:02d}"
        (folder / f"{position:02d}-{slug}.md").write_text(
            f"title: Extra {chapter:02d}{position:02d}\nslug: {slug}\nsort-order: {chapter:02d}{position:02d}\nmeta: Filler.\n\nText.\n"
        )


def more_links(nav) -> list[tuple[str, str]]:
    return [(a.text, a["href"]) for a in nav.select("li.more a")]


def test_sidebar_of_a_long_chapter_is_a_window_around_the_current_page(site_copy, tmp_path):
    add_pages(site_copy, 2, range(2, 41), folder="02-more")  # chapter 02: third.html, then 39 more
    build_site(site_copy, tmp_path / "out", strict=True, overrides={"CHAPTER_NAV_LIMIT": 12})
    nav = soup(tmp_path / "out" / "extra-0220.html").select_one("nav[aria-label=Chapters]")

    listed = [a["href"] for a in nav.select(".chapters ol li:not(.more) a")]
    assert listed == [f"/extra-02{n:02d}.html" for n in range(15, 27)]  # 12 pages centred on 20
    assert [a["href"] for a in nav.select('[aria-current="page"]')] == ["/extra-0220.html"]
    assert more_links(nav) == [
        ("14 earlier pages", "/table-of-contents.html#chapter-02"),
        ("14 later pages", "/table-of-contents.html#chapter-02"),
    ]
    toc = soup(tmp_path / "out" / "table-of-contents.html")
    assert len(toc.select("#chapter-02 a")) == 40, "the table of contents lists what the sidebar leaves out"

    first = soup(tmp_path / "out" / "third.html").select_one("nav[aria-label=Chapters]")
    assert more_links(first) == [("28 later pages", "/table-of-contents.html#chapter-02")]

    home = soup(tmp_path / "out" / "index.html").select_one("#chapter-02")
    assert [a["href"] for a in home.select("ol > li:not(.more) > a")] == ["/third.html"] + [f"/extra-02{n:02d}.html" for n in range(2, 13)]
    assert more_links(home) == [("28 more pages in Going further", "/table-of-contents.html#chapter-02")]


def test_sidebar_lists_a_window_of_chapters_when_there_are_many(site_copy, tmp_path):
    for chapter in range(3, 21):  # 20 chapters in all
        add_pages(site_copy, chapter, [1])
    with open(site_copy / "guide.toml", "a", encoding="utf-8") as settings:  # under [chapters]: titled like 01 and 02
        settings.write("".join(f'{n:02d} = "Chapter {n}"\n' for n in range(3, 21)))
    build_site(site_copy, tmp_path / "out", strict=True, overrides={"CHAPTER_NAV_LIMIT": 5})
    nav = soup(tmp_path / "out" / "extra-1001.html").select_one("nav[aria-label=Chapters]")

    assert [a["href"] for a in nav.select(".chapter-title")] == [f"/extra-{n:02d}01.html" for n in range(8, 13)]
    assert more_links(nav) == [
        ("7 earlier chapters", "/table-of-contents.html"),
        ("8 later chapters", "/table-of-contents.html#chapter-13"),
    ]
    assert soup(tmp_path / "out" / "table-of-contents.html").find(id="chapter-13") is not None
    home = soup(tmp_path / "out" / "home.html").select_one("nav[aria-label=Chapters]")
    first_pages = ["/home.html", "/third.html", "/extra-0301.html", "/extra-0401.html", "/extra-0501.html"]
    assert [a["href"] for a in home.select(".chapter-title")] == first_pages
    assert more_links(home) == [("15 later chapters", "/table-of-contents.html#chapter-06")]


def test_sidebar_size_does_not_grow_with_the_guide(site_copy, tmp_path):
    """The same page, in a guide of 5 chapters of 6 pages and in one of 12 of 20: the same sidebar."""

    def sidebar_of_page_0203(chapters: int, pages: int, name: str) -> str:
        site = tmp_path / name
        shutil.copytree(site_copy, site)
        add_pages(site, 2, range(2, pages + 1), folder="02-more")
        for chapter in range(3, chapters + 1):
            add_pages(site, chapter, range(1, pages + 1))
        build_site(site, tmp_path / f"{name}-out", overrides={"CHAPTER_NAV_LIMIT": 3})
        html = str(soup(tmp_path / f"{name}-out" / "extra-0203.html").select_one("details.chapter-nav"))
        return re.sub(r"\d+ later (page|chapter)s", "N later", html)

    small, large = sidebar_of_page_0203(5, 6, "small"), sidebar_of_page_0203(12, 20, "large")
    assert small == large
    links = [a["href"] for a in BeautifulSoup(large, "html.parser").select("a")]
    assert len(links) == 3 + 3 + 3 + 1, links  # chapters, pages, "more" (earlier and later pages, later chapters), all pages


def test_head_carries_description_canonical_and_social_tags(built):
    head = soup(built / "second.html").head
    description = "The second page, with a choice that leads back home."
    assert head.find("meta", attrs={"name": "description"})["content"] == description
    assert head.find("link", rel="canonical")["href"] == "/second.html"
    assert head.find("meta", property="og:title")["content"] == "Second page"
    assert head.find("meta", property="og:description")["content"] == description
    assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"  # its social card
    assert head.find("meta", property="og:image")["content"].startswith("/cards/second.png?v=")
    assert head.find("link", rel="icon")["href"].endswith(".svg")


def test_scripts_are_deferred_and_the_inline_one_only_restores_the_theme(built):
    page = soup(built / "home.html")
    external = [s for s in page.find_all("script") if s.get("src")]
    assert external and all(s.has_attr("defer") or s.get("type") == "module" for s in external)
    data = ("application/ld+json", "speculationrules")  # never run as JavaScript
    [inline] = [s for s in page.find_all("script") if not s.get("src") and s.get("type") not in data]
    assert inline.string == (ROOT / "theme/inline/boot.js").read_text().strip()


def test_speculation_rules_follow_the_content_and_are_allowed_by_their_hash(built):
    """Data for Chromium's prefetch, after <main> so the first screen's bytes do not carry it."""
    page = soup(built / "home.html")
    [rules] = page.find_all("script", type="speculationrules")
    assert rules.find_previous("main") is not None
    assert json.loads(rules.string)["prefetch"][0]["where"]["and"][0] == {"href_matches": "/*.html"}
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"'{csp_hash(rules.string)}'" in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_the_stylesheet_is_inline_and_allowed_by_its_hash_alone(built):
    """No render-blocking request: the first paint needs only the HTML (THEME_STYLESHEETS = "inline")."""
    page = soup(built / "home.html")
    [style] = page.find_all("style")
    assert style.string == (built / "theme/css/site.css").read_text(encoding="utf-8")
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"style-src 'self' '{csp_hash(style.string)}';" in policy
    assert "unsafe-inline" not in policy
    assert not page.find_all("link", rel="stylesheet")


def test_linked_stylesheets_are_cached_files_and_the_policy_allows_no_inline_style(tmp_path):
    build_site(FIXTURE_SITE, tmp_path / "out", overrides={"THEME_STYLESHEETS": "linked"})
    page = soup(tmp_path / "out" / "home.html")
    assert not page.find_all("style")
    [link] = page.find_all("link", rel="stylesheet")
    assert re.fullmatch(r"/theme/css/site\.css\?v=\w{10}", link["href"])
    assert "style-src 'self';" in page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def test_an_unknown_stylesheet_delivery_is_named_and_keeps_the_output(site_copy, previous_output):
    before = tree_digest(previous_output)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output, overrides={"THEME_STYLESHEETS": "inlined"})
    assert "pelicanconf.py: THEME_STYLESHEETS: 'inlined': set it to \"inline\" or \"linked\"" in failure.value.report()
    assert tree_digest(previous_output) == before


def test_highlighting_css_is_generated_for_light_and_dark(built):
    css = (built / "theme/css/site.css").read_text()
    # Keywords: the light style's (xcode) purple, the dark style's (lightbulb) orange.
    assert ".highlight .k{color:light-dark(#A90D91,#FFAD66)}" in css
    assert "/*" not in css, "the stylesheet is served minified"


def test_page_shows_last_updated_from_git(built):
    meta = soup(built / "second.html").select_one("footer.page-meta")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta.time["datetime"])


def structured_data(path) -> dict:
    return json.loads(soup(path).find("script", type="application/ld+json").string)


def test_a_page_with_a_git_date_says_when_it_was_modified(built):
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", structured_data(built / "second.html")["dateModified"])


def test_a_page_without_a_git_date_leaves_date_modified_out(site_copy, tmp_path):
    build_site(site_copy, tmp_path / "out", strict=True, search=False)  # the copy is outside git: no dates
    page = tmp_path / "out" / "second.html"
    assert soup(page).select_one("footer.page-meta time") is None
    data = structured_data(page)
    assert data["@type"] == "TechArticle"
    assert "dateModified" not in data


def test_no_edit_link_without_a_repository(tmp_path):
    build_site(FIXTURE_SITE, tmp_path / "out", overrides={"EDIT_URL": ""})
    assert soup(tmp_path / "out" / "third.html").find("a", string="Edit this page") is None


def test_edit_link_points_at_the_source_file(tmp_path):
    build_site(FIXTURE_SITE, tmp_path / "out", overrides={"EDIT_URL": "https://github.com/o/r/edit/main/content"})
    link = soup(tmp_path / "out" / "third.html").find("a", string="Edit this page")
    assert link["href"] == "https://github.com/o/r/edit/main/content/pages/02-more/01-third.md"


def test_a_hidden_page_is_built_with_the_chapters_and_no_current_page(site_copy, tmp_path):
    third = site_copy / "pages/02-more/01-third.md"
    third.write_text(third.read_text().replace("sort-order: 0201\n", "sort-order: 0201\nstatus: hidden\n"))
    build_site(site_copy, tmp_path / "out")
    page = soup(tmp_path / "out" / "third.html")
    nav = page.select_one("nav[aria-label=Chapters]")
    assert [a.text for a in nav.select(".chapter-title")] == ["Getting started"]  # chapter 02 had only this page
    assert nav.select('[aria-current="page"]') == [] and nav.select(".chapters ol") == []
    assert page.select("nav.pager a") == []
