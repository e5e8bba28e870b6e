"""The sidebar panels in Chromium (guide/content/panels.py): beside the article on a wide screen,
below it on a phone, gone in print; the sign-up form posts to its provider, which the CSP allows;
axe finds no violation in them."""

from __future__ import annotations

import contextlib

import pytest
from helpers import FIXTURE_SITE, axe_violations, build_site

from guide.site_tools.chromium import VIEWPORTS
from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

FORM = {"action": "https://buttondown.com/api/emails/embed-subscribe/guide", "email_field": "email", "hidden": {"embed": "1"}}
SPONSOR = {"name": "Example Inc.", "url": "https://example.com/", "logo": "images/diagram.svg", "width": 120}
BOX = "selector => { const r = document.querySelector(selector).getBoundingClientRect(); return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; }"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The fixture site with both panels, served on 127.0.0.1."""
    output = tmp_path_factory.mktemp("panels-browser") / "out"
    build_site(
        FIXTURE_SITE,
        output,
        strict=True,
        search=False,
        overrides={"UPDATES_PANEL": True, "UPDATES_FORM": FORM, "SPONSOR_PANEL": SPONSOR},
    )
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(serve(output))


@pytest.mark.parametrize("name", ["second.html", "index.html"])
def test_beside_the_article_on_a_wide_screen_below_it_on_a_phone(base, new_context, name):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(f"{base}/{name}")
    main, panels = page.evaluate(BOX, "main"), page.evaluate(BOX, "aside.panels")
    beside = panels[2] <= main[0] or panels[0] >= main[2]
    assert beside, (main, panels)  # in a column of its own
    assert panels[1] < main[3], (main, panels)  # level with the article
    page.set_viewport_size(VIEWPORTS["mobile"])
    main, panels = page.evaluate(BOX, "main"), page.evaluate(BOX, "aside.panels")
    assert panels[1] >= main[3], (main, panels)
    page.emulate_media(media="print")
    assert page.locator("aside.panels").is_hidden()
    assert watch.problems == []


def test_the_form_posts_to_its_provider(base, browser):
    context = browser.new_context()
    posted = []

    def provider(route):
        posted.append((route.request.method, route.request.post_data))
        route.fulfill(status=200, content_type="text/html", body="<p>Thanks</p>")

    context.route("https://buttondown.com/**", provider)
    page = context.new_page()
    page.goto(f"{base}/second.html")
    page.get_by_label("New chapters and fixes by email").fill("reader@example.org")
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url("https://buttondown.com/**")
    context.close()
    assert posted == [("POST", "email=reader%40example.org&embed=1")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_panels(base, new_context, axe_script, scheme):
    context, watch = new_context(color_scheme=scheme, bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    problems = []
    for name in ("second.html", "index.html"):
        page.goto(f"{base}/{name}")
        page.add_script_tag(path=str(axe_script))
        problems += axe_violations(page, f"{name} ({scheme})")
    assert problems == []
    assert watch.problems == []
