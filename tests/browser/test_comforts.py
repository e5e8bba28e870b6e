"""Reader comforts in Chromium: the announcement is dismissed with the keyboard and stays away
(from the first paint, without a layout shift) until its text changes; breadcrumbs, reading time,
the feedback links and the banner pass axe in light and dark mode, and the Nu Html Checker."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, LAYOUT_SHIFT, axe_violations, build_site, vnu_errors

from guide.content.announcement import announcement_key
from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

TEXT = "Version 2 is out: [read the notes](/blog/launch.html)."
REPO = "https://github.com/example/guide"
#: Pages and how many crumbs and feedback links each shows (three crumbs, "Yes" and "No").
COMFORTS = {"index.html": 0, "second.html": 5, "blog/launch.html": 5, "search.html": 0}
PAGES = list(COMFORTS)
SHOWN = "() => getComputedStyle(document.querySelector('.announcement')).display !== 'none'"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture site with an announcement and a repository."""
    output = tmp_path_factory.mktemp("comforts") / "out"
    build_site(FIXTURE_SITE, output, strict=True, overrides={"ANNOUNCEMENT": TEXT, "REPO_URL": REPO})
    return output


@pytest.fixture(scope="module")
def base(built):
    """That site served on 127.0.0.1."""
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(serve(built))


def test_the_announcement_is_dismissed_and_remembered_until_it_changes(base, new_context):
    from playwright.sync_api import expect

    context, watch = new_context()
    page = context.new_page()
    page.goto(f"{base}/second.html")
    banner = page.locator("section.announcement")
    dismiss = banner.get_by_role("button", name="Dismiss the announcement")
    expect(banner).to_be_visible()
    expect(dismiss).to_be_visible()  # site.js unhid it

    dismiss.focus()
    page.keyboard.press("Enter")
    expect(banner).to_be_hidden()
    expect(page.locator(".brand")).to_be_focused()  # focus is not lost with the button
    expect(page.locator("p.visually-hidden[role=status]")).to_have_text("Announcement dismissed")
    assert page.evaluate("() => localStorage.getItem('announcement')") == announcement_key(TEXT)

    # Every other page: hidden by the boot script before the first paint, not by site.js later.
    page.route("**/site.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    for name in PAGES:
        page.goto(f"{base}/{name}")
        assert not page.evaluate(SHOWN), name
        assert page.evaluate(LAYOUT_SHIFT) == 0, name
    page.unroute("**/site.js")

    # A new announcement (another key) shows again.
    page.evaluate("() => localStorage.setItem('announcement', 'an-older-key')")
    page.reload()
    expect(banner).to_be_visible()
    assert not watch.problems, "\n".join(watch.problems)


def test_without_javascript_the_banner_shows_with_nothing_to_dismiss_it(base, new_context):
    context, watch = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/second.html")
    assert page.locator("section.announcement").is_visible()
    assert page.locator("section.announcement button").is_hidden()
    assert not watch.problems, "\n".join(watch.problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_with_every_comfort_shown(base, new_context, axe_script, scheme):
    context, watch = new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    violations = []
    for name in PAGES:
        page.goto(f"{base}/{name}")
        assert page.locator("section.announcement button").is_visible()
        assert page.locator(".crumbs li, .helpful a").count() == COMFORTS[name]  # what axe is checking
        page.add_script_tag(path=str(axe_script))
        violations += axe_violations(page, name)
    assert not violations, "\n".join(violations)
    assert not watch.problems, "\n".join(watch.problems)


def test_every_page_with_every_comfort_is_valid_html(built, vnu_jar):
    pages = [p for p in sorted(built.rglob("*.html")) if "pagefind" not in p.parts]
    assert not vnu_errors(vnu_jar, pages, built)
