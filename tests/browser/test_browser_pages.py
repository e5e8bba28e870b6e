"""Every page of both sites, in Chromium and through the checkers: loads cleanly, fits a phone,
passes axe (light and dark), is valid HTML (Nu Html Checker). That every link resolves is the
strict build's own check (conftest.py builds both sites with --strict)."""

from __future__ import annotations

import re

import pytest
from helpers import axe_violations, vnu_errors

from guide.site_tools.chromium import VIEWPORTS

#: A search with results, so that the results list is checked too.
SEARCHES = {"fixture": "search.html?q=plain", "guide": "search.html?q=websocket"}


def pages_of(site) -> list[str]:
    return [*site.pages(), SEARCHES[site.name]]


def load(page, site, name: str, wait_until: str = "load") -> None:
    page.goto(site.url(name), wait_until=wait_until)
    if name.startswith("search.html?"):
        from playwright.sync_api import expect

        expect(page.locator("#search-status")).to_have_text(re.compile("found"), timeout=15_000)


def test_every_page_loads_without_errors_or_outside_requests(site, new_context):
    """No console error (a CSP violation is one), no uncaught exception, no failed request, no other host."""
    context, watch = new_context()
    page = context.new_page()
    for name in pages_of(site):
        watch.where = name
        load(page, site, name, wait_until="networkidle")  # every request done, the favicon included
    assert not watch.problems, "\n".join(watch.problems)
    print(f"{site.name}: {len(pages_of(site))} pages loaded cleanly")


def test_no_page_scrolls_sideways_on_a_phone(site, new_context):
    """At 375 x 812, with the chapter navigation closed and open, nothing is wider than the screen."""
    context, watch = new_context(viewport=VIEWPORTS["mobile"])
    page = context.new_page()
    wide = []
    for name in pages_of(site):
        watch.where = name
        load(page, site, name)
        states = ["closed"]
        if page.locator("details.chapter-nav").count():
            states.append("open")
        for state in states:
            if state == "open":
                page.click("details.chapter-nav > summary")
                assert page.locator("details.chapter-nav").get_attribute("open") is not None
            width, view = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            if width > view:
                culprits = page.evaluate(WIDEST_ELEMENTS)
                wide.append(f"{name} (navigation {state}): {width}px wide in {view}px; widest: {culprits}")
    assert not wide, "\n".join(wide)
    assert not watch.problems, "\n".join(watch.problems)


#: Chromium's layout shifts since the page started loading, those after a reader's input left out.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let sum = 0;
  new PerformanceObserver(list => {
    for (const shift of list.getEntries()) if (!shift.hadRecentInput) sum += shift.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(sum), 400);
})"""


@pytest.mark.parametrize("form", ["mobile", "desktop"])
def test_no_page_shifts_its_layout_as_it_loads(site, new_context, form):
    """Images carry their size, the theme and the announcement apply before the first paint: shift 0."""
    context, watch = new_context(viewport=VIEWPORTS[form])
    page = context.new_page()
    shifted = {}
    for name in pages_of(site):
        watch.where = name
        load(page, site, name)
        shift = page.evaluate(LAYOUT_SHIFT)
        if shift:
            shifted[name] = round(shift, 4)
    assert shifted == {}, f"layout shift at {form} size: {shifted}"
    assert not watch.problems, "\n".join(watch.problems)


WIDEST_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(site, new_context, axe_script, scheme):
    """axe-core with the WCAG 2.2 A/AA and best-practice rules, on every page in light and dark mode.

    axe is injected as an inline script, which the pages' Content-Security-Policy forbids (rightly),
    so this context bypasses CSP; the test above checks CSP with it enforced.
    """
    context, watch = new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    violations = []
    for name in pages_of(site):
        watch.where = name
        load(page, site, name)
        page.add_script_tag(path=str(axe_script))
        violations += axe_violations(page, name)
    assert not violations, "\n".join(violations)
    assert not watch.problems, "\n".join(watch.problems)
    print(f"{site.name} ({scheme}): axe checked {len(pages_of(site))} pages, 0 violations")


def test_html_and_css_are_valid(site, vnu_jar):
    """The Nu Html Checker, run once over every page and stylesheet of the build: no error."""
    files = [p for p in sorted(site.folder.rglob("*")) if p.suffix in (".html", ".css") and "pagefind" not in p.parts]
    errors = vnu_errors(vnu_jar, files, site.folder)
    assert not errors, "\n".join(errors)
    pages = sum(p.suffix == ".html" for p in files)
    print(f"{site.name}: vnu checked {pages} pages and {len(files) - pages} stylesheets, 0 errors")
