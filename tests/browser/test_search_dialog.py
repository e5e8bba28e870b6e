"""The search dialog, in Chromium: opened by the header's field, "/" and Ctrl/Cmd+K, it finds as
the reader types, moves through the results with the arrow keys and opens one with Enter (at its
heading), keeps Tab inside and gives focus back on Escape. Nothing of it, Pagefind included, loads
before it opens; Pagefind runs in a worker, so it works under a page policy without
'wasm-unsafe-eval' (which would refuse Pagefind in the page itself: the control test). Without
JavaScript the header's form opens search.html. axe passes with results shown, light and dark.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from helpers import axe_violations
from playwright.sync_api import expect

#: Files only the dialog asks for (theme/static/js, theme/static/css, Pagefind's folder).
ON_DEMAND = re.compile(r"/(search-dialog|search-client|search-worker)\.(js|css)$|/pagefind/")
DIALOG = "dialog.search-dialog"
OPTIONS = f"{DIALOG} [role=option]"


def on_demand(requested: list[str]) -> list[str]:
    return [path for path in requested if ON_DEMAND.search(path)]


def record_requests(context) -> list[str]:
    """The path of every request of the context from now on, the worker's included."""
    requested: list[str] = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    return requested


def open_page(new_context, site, name: str, **options):
    context, watch = new_context(**options)
    page = context.new_page()
    watch.where = name
    page.goto(site.url(name), wait_until="networkidle")
    return page, watch


def search_for(page, query: str) -> None:
    page.keyboard.type(query)
    expect(page.locator(f"{DIALOG} [role=status]")).to_have_text(re.compile(f"found for “{query}”"), timeout=15_000)


def test_nothing_of_search_loads_before_the_dialog_opens(fixture_site, new_context):
    context, watch = new_context()
    requested = record_requests(context)
    page = context.new_page()
    page.goto(fixture_site.url("home.html"), wait_until="networkidle")
    page.hover("#search-box")
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    assert not on_demand(requested), "loaded before the dialog opened"
    assert not page.locator(DIALOG).count()

    page.keyboard.press("/")
    expect(page.locator(DIALOG)).to_be_visible()
    expect(page.locator(f"{DIALOG} input")).to_be_focused()
    wanted = ("search-dialog.js", "search-dialog.css", "search-worker.js", "pagefind.js", ".pf_meta")
    for _ in range(100):  # the worker asks for Pagefind as soon as it starts, before any query
        missing = [name for name in wanted if not any(path.endswith(name) for path in on_demand(requested))]
        if not missing:
            break
        page.wait_for_timeout(100)
    assert not missing, f"not loaded when the dialog opened: {missing}; loaded: {on_demand(requested)}"
    assert not watch.problems, "\n".join(watch.problems)


def test_the_dialog_finds_pages_under_a_policy_without_wasm(fixture_site, new_context):
    """The page's CSP is enforced and refuses WebAssembly; Pagefind's runs in the worker, no console error."""
    page, watch = open_page(new_context, fixture_site, "third.html")
    policy = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
    assert "script-src 'self'" in policy
    assert "wasm" not in policy
    assert "unsafe-eval" not in policy

    page.keyboard.press("Control+K")
    search_for(page, "plain")
    expect(page.locator(OPTIONS).first).to_have_attribute("href", re.compile(r"/third\.html$"))
    assert not watch.problems, "\n".join(watch.problems)


def test_the_same_policy_refuses_pagefind_in_the_page_itself(fixture_site, new_context):
    """The control: without the worker, Pagefind's WebAssembly breaks this page's policy."""
    page, _ = open_page(new_context, fixture_site, "third.html")
    outcome = page.evaluate(
        """async () => {
          const pagefind = await import("/pagefind/pagefind.js");
          await pagefind.options({ noWorker: true });  // Pagefind's own worker would hide the refusal
          try { return "found " + (await pagefind.search("plain")).results.length; } catch (error) { return String(error); }
        }"""
    )
    assert "Content Security Policy" in outcome, outcome
    assert "unsafe-eval" in outcome, outcome


@pytest.mark.parametrize("keys", ["/", "Control+K", "Meta+K"])
def test_each_shortcut_opens_the_dialog_and_escape_gives_focus_back(fixture_site, new_context, keys):
    page, watch = open_page(new_context, fixture_site, "home.html")
    page.focus(".brand")
    page.keyboard.press(keys)
    expect(page.locator(f"{DIALOG} input")).to_be_focused()
    assert page.locator(DIALOG).evaluate("dialog => dialog.matches(':modal')")  # showModal: the page behind is inert

    for _ in range(4):  # the field, Close, and round again: never the page behind
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('dialog').contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.querySelector('dialog').contains(document.activeElement)")

    page.keyboard.press("Escape")
    expect(page.locator(DIALOG)).to_be_hidden()
    expect(page.locator(".brand")).to_be_focused()
    assert not watch.problems, "\n".join(watch.problems)


def test_typing_in_the_header_field_carries_on_in_the_dialog(fixture_site, new_context):
    page, watch = open_page(new_context, fixture_site, "home.html")
    page.focus("#search-box")
    page.wait_for_timeout(200)
    assert not page.locator(DIALOG).count(), "focus alone opens nothing (WCAG 3.2.1)"
    search_for(page, "plain")  # the first letter opens the dialog; the others follow it there
    expect(page.locator(f"{DIALOG} input")).to_have_value("plain")
    expect(page.locator(OPTIONS).first).to_have_attribute("href", re.compile(r"/third\.html$"))

    page.keyboard.press("Escape")
    expect(page.locator("#search-box")).to_be_focused()
    expect(page.locator("#search-box")).to_have_value("plain")
    page.wait_for_timeout(200)
    expect(page.locator(DIALOG)).to_be_hidden()  # focus given back does not open it again
    page.click("#search-box")
    expect(page.locator(DIALOG)).to_be_visible()
    expect(page.locator(OPTIONS).first).to_have_attribute("href", re.compile(r"/third\.html$"))
    assert not watch.problems, "\n".join(watch.problems)


def test_arrow_keys_choose_a_result_and_enter_opens_it_at_its_heading(fixture_site, new_context):
    page, watch = open_page(new_context, fixture_site, "home.html")
    page.keyboard.press("/")
    search_for(page, "text")
    field = page.locator(f"{DIALOG} input")
    first, second = page.locator(OPTIONS).nth(0), page.locator(OPTIONS).nth(1)
    expect(first).to_have_attribute("href", re.compile(r"/second\.html#a-heading$"))
    expect(first.locator(".search-dialog-heading")).to_have_text("A heading")
    expect(first.locator(".search-dialog-page")).to_have_text("Second page")
    expect(first.locator(".search-dialog-excerpt mark")).to_have_text(re.compile("text", re.I))
    assert field.get_attribute("aria-activedescendant") is None

    page.keyboard.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(field).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(field).to_be_focused()  # the field keeps focus: the results are its listbox

    page.keyboard.press("Enter")
    page.wait_for_url("**/second.html#a-heading")
    assert page.evaluate("() => document.querySelector(':target').tagName") == "H2"
    assert not watch.problems, "\n".join(watch.problems)


def test_a_result_on_the_same_page_closes_the_dialog_and_shows_its_heading(fixture_site, new_context):
    page, watch = open_page(new_context, fixture_site, "second.html")
    page.keyboard.press("/")
    search_for(page, "text")
    page.locator(OPTIONS).first.click()
    page.wait_for_url("**/second.html#a-heading")
    expect(page.locator(DIALOG)).to_be_hidden()
    expect(page.locator("#a-heading")).to_be_in_viewport()
    assert not watch.problems, "\n".join(watch.problems)


def test_without_javascript_the_header_form_opens_the_search_page(fixture_site, new_context):
    page, watch = open_page(new_context, fixture_site, "home.html", java_script_enabled=False)
    page.fill("#search-box", "plain")
    page.press("#search-box", "Enter")
    page.wait_for_url("**/search.html?q=plain")
    assert not page.locator(DIALOG).count()
    assert not watch.problems, "\n".join(watch.problems)


def test_screen_readers_hear_names_roles_and_the_count(fixture_site, new_context):
    page, _ = open_page(new_context, fixture_site, "home.html")
    assert page.locator("#search-box").get_attribute("aria-keyshortcuts") == "/ Control+K Meta+K"
    page.keyboard.press("/")
    search_for(page, "text")
    dialog = page.get_by_role("dialog", name="Search the guide")
    expect(dialog.get_by_role("combobox", name="Search the guide")).to_have_attribute("aria-expanded", "true")
    expect(dialog.get_by_role("combobox")).to_have_accessible_description(re.compile("arrows.*Enter.*Escape"))
    expect(dialog.get_by_role("listbox", name="Results")).to_be_visible()
    expect(dialog.get_by_role("option").first).to_have_accessible_name(
        re.compile(r"^A heading\s*Second page\s*A heading\. Some text")
    )
    expect(dialog.get_by_role("status")).to_have_text("2 pages found for “text”.")
    expect(dialog.get_by_role("button", name="Close")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_the_open_dialog(fixture_site, new_context, axe_script, scheme):
    """axe is injected inline, so this context bypasses the CSP (the tests above keep it)."""
    page, watch = open_page(new_context, fixture_site, "home.html", color_scheme=scheme, bypass_csp=True)
    page.keyboard.press("/")
    search_for(page, "text")
    page.keyboard.press("ArrowDown")
    page.add_script_tag(path=str(axe_script))
    violations = axe_violations(page, "home.html, dialog open")
    assert not violations, "\n".join(violations)
    assert not watch.problems, "\n".join(watch.problems)


def test_the_dialog_answers_the_guides_questions(guide_site, new_context):
    page, watch = open_page(new_context, guide_site, "index.html")
    page.keyboard.press("Control+K")
    search_for(page, "Sec-WebSocket-Accept")
    expect(page.locator(OPTIONS).first).to_have_attribute("href", re.compile(r"/websocket-protocol\.html(#[\w-]+)?$"))
    assert not watch.problems, "\n".join(watch.problems)
