"""What a reader does, in Chromium: open the chapters on a phone, switch to dark mode and keep it,
copy code, follow choices, previous/next and outline links, and search."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from helpers import FIXTURE_SITE
from playwright.sync_api import expect

from guide.markdown.code_fences import iter_fences
from guide.site_tools.chromium import VIEWPORTS

BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(18, 22, 28)"  # --bg in theme/static/css/site.css


def path_of(page) -> str:
    return urlsplit(page.url).path


def test_chapter_navigation_opens_and_closes_on_a_phone(fixture_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["mobile"])
    page = context.new_page()
    page.goto(fixture_site.url("second.html"))
    details = page.locator("details.chapter-nav")
    current = details.locator('a[aria-current="page"]')
    expect(details).not_to_have_attribute("open", re.compile(".*"))
    expect(current).to_be_hidden()

    page.click("details.chapter-nav > summary")
    expect(details).to_have_attribute("open", "")
    expect(current).to_be_visible()
    assert current.bounding_box()["y"] < page.locator("main").bounding_box()["y"], "chapters come before the article"

    page.click("details.chapter-nav > summary")
    expect(current).to_be_hidden()

    page.focus("details.chapter-nav > summary")
    page.keyboard.press("Enter")
    expect(current).to_be_visible()
    details.get_by_role("link", name="Home page of the fixture").click()
    page.wait_for_url("**/home.html")
    assert not watch.problems, "\n".join(watch.problems)


def test_phone_header_keeps_to_three_rows(fixture_site, new_context):
    """Name and theme button on the first row, the site links on the second, search on the third."""
    context, watch = new_context(viewport=VIEWPORTS["mobile"])
    page = context.new_page()
    page.goto(fixture_site.url("second.html"))
    box = {name: page.locator(selector).bounding_box() for name, selector in {
        "brand": ".site-header .brand", "toggle": ".theme-toggle", "nav": ".site-nav", "search": ".search-form",
    }.items()}  # fmt: skip
    assert box["toggle"]["y"] < box["brand"]["y"] + box["brand"]["height"], "the theme button shares the name's row"
    assert box["brand"]["y"] + box["brand"]["height"] <= box["nav"]["y"] < box["search"]["y"]
    header = page.locator(".site-header").bounding_box()
    assert box["search"]["width"] > 0.85 * header["width"], "the search box takes the whole row"
    assert not watch.problems, "\n".join(watch.problems)


def test_chapter_navigation_is_always_open_on_a_wide_screen(fixture_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(fixture_site.url("second.html"))
    expect(page.locator("details.chapter-nav > summary")).to_be_hidden()
    expect(page.locator('details.chapter-nav a[aria-current="page"]')).to_be_visible()
    assert not watch.problems, "\n".join(watch.problems)


def test_dark_mode_toggle_is_remembered_across_pages(fixture_site, new_context):
    context, watch = new_context(color_scheme="light")
    page = context.new_page()
    page.goto(fixture_site.url("home.html"))
    toggle = page.locator(".theme-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate(BACKGROUND) == LIGHT_BG

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(BACKGROUND) == DARK_BG
    assert page.evaluate("() => [document.documentElement.dataset.theme, localStorage.getItem('theme')]") == ["dark", "dark"]
    expect(page.locator("p.visually-hidden[role=status]")).to_have_text("Dark mode on")

    # The next page is dark from its first paint: the inline boot script does it, not site.js.
    page.route("**/site.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page.goto(fixture_site.url("second.html"))
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(BACKGROUND) == DARK_BG
    page.unroute("**/site.js")

    page.goto(fixture_site.url("third.html"))
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("p.visually-hidden[role=status]")).to_have_text("Dark mode off")
    page.reload()
    assert page.evaluate("() => localStorage.getItem('theme')") == "light"
    assert page.evaluate(BACKGROUND) == LIGHT_BG
    assert not watch.problems, "\n".join(watch.problems)


def test_dark_mode_follows_the_system_until_the_reader_picks(fixture_site, new_context):
    context, watch = new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(fixture_site.url("home.html"))
    toggle = page.locator(".theme-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(BACKGROUND) == DARK_BG
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.goto(fixture_site.url("second.html"))
    assert page.evaluate(BACKGROUND) == LIGHT_BG, "the reader's choice wins over the system's"
    assert not watch.problems, "\n".join(watch.problems)


def fixture_blocks(source: str) -> list[str]:
    """The code of each highlighted block of a fixture page, as the author wrote it."""
    text = (FIXTURE_SITE / source).read_text(encoding="utf-8")
    return [fence.code for fence in iter_fences(text) if fence.lang]


@pytest.mark.parametrize(
    ("name", "source"), [("home.html", "pages/01-start/01-home.md"), ("third.html", "pages/02-more/01-third.md")]
)
def test_copy_button_copies_the_exact_code_and_says_so(fixture_site, new_context, name, source):
    context, watch = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(fixture_site.url(name))
    buttons = page.locator("figure.code .copy")
    expected = fixture_blocks(source)
    expect(buttons).to_have_count(len(expected))
    for index, code in enumerate(expected):
        page.evaluate("() => navigator.clipboard.writeText('')")
        button = buttons.nth(index)
        button.click()
        expect(button).to_have_text("Copied")
        expect(page.locator("p.visually-hidden[role=status]")).to_have_text("Copied")
        assert page.evaluate("() => navigator.clipboard.readText()") == code
        expect(button).to_have_text("Copy", timeout=5_000)
    assert not watch.problems, "\n".join(watch.problems)


def test_choices_and_previous_next_links_land_on_their_pages(fixture_site, new_context):
    context, watch = new_context()
    page = context.new_page()
    page.goto(fixture_site.url("home.html"))
    page.get_by_role("link", name="What comes second?").click()
    page.wait_for_url("**/second.html")
    page.get_by_role("link", name="Back to the start?").click()
    page.wait_for_url("**/home.html")
    page.get_by_role("link", name="Where is everything?").click()
    page.wait_for_url("**/table-of-contents.html")
    page.go_back()
    rfc = page.get_by_role("link", name="Where is the RFC?")
    assert rfc.get_attribute("href") == "https://datatracker.ietf.org/doc/html/rfc6455"  # not followed: no outside requests

    page.click("nav.pager a[rel=next]")
    page.wait_for_url("**/second.html")
    page.click("nav.pager a[rel=next]")
    page.wait_for_url("**/third.html")
    page.click("nav.pager a[rel=prev]")
    page.wait_for_url("**/second.html")
    page.click("nav.pager a[rel=prev]")
    page.wait_for_url("**/home.html")
    assert not watch.problems, "\n".join(watch.problems)


def heading_in_view(page, fragment: str) -> bool:
    """The heading sits at the top of the window, or the page cannot scroll any further."""
    return page.evaluate(
        """id => {
            const top = document.getElementById(id).getBoundingClientRect().top;
            const bottom = window.scrollY + window.innerHeight >= document.scrollingElement.scrollHeight - 1;
            return top >= 0 && (top <= 40 || bottom);
        }""",
        fragment,
    )


def test_outline_and_fragment_links_land_on_their_headings(fixture_site, new_context):
    context, watch = new_context(viewport={"width": 375, "height": 400})
    page = context.new_page()
    page.goto(fixture_site.url("second.html"))
    page.locator("nav.outline").get_by_role("link", name="A heading").click()
    page.wait_for_url("**/second.html#a-heading")
    assert heading_in_view(page, "a-heading")

    page.goto(fixture_site.url("home.html"))
    page.get_by_role("link", name="the second page").click()
    page.wait_for_url("**/second.html#a-heading")
    assert heading_in_view(page, "a-heading")
    assert page.evaluate("() => window.scrollY") > 0
    assert not watch.problems, "\n".join(watch.problems)


def search_results(page, site, query: str) -> list[str]:
    page.goto(site.url(f"search.html?q={query}"))
    expect(page.locator("#search-status")).to_have_text(re.compile("found|Nothing"), timeout=15_000)
    return [
        urlsplit(href).path for href in page.locator("#search-results > li > a").evaluate_all("links => links.map(a => a.href)")
    ]


def test_search_finds_a_word_of_the_third_page(fixture_site, new_context):
    context, watch = new_context()
    page = context.new_page()
    assert search_results(page, fixture_site, "plain")[:1] == ["/third.html"]

    # The search page's own form; the header's field opens the dialog (test_search_dialog.py).
    page.goto(fixture_site.url("search.html"))
    page.fill("#search-query", "plain")
    page.press("#search-query", "Enter")
    page.wait_for_url("**/search.html?q=plain")
    expect(page.locator("#search-results > li > a").first).to_have_attribute("href", re.compile(r"/third\.html$"))
    page.locator("#search-results > li > a").first.click()
    page.wait_for_url("**/third.html")
    assert not watch.problems, "\n".join(watch.problems)


def test_search_answers_the_guides_questions(guide_site, new_context):
    context, watch = new_context()
    page = context.new_page()
    assert search_results(page, guide_site, "Sec-WebSocket-Accept")[:1] == ["/websocket-protocol.html"]
    assert "/nginx-websocket-proxy.html" in search_results(page, guide_site, "proxy_http_version")[:3]
    assert not watch.problems, "\n".join(watch.problems)
