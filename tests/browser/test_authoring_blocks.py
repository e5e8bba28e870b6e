"""Callouts, collapsible blocks, content tabs, highlighted and numbered lines, in Chromium.

The site is the fixture site plus two pages: tests/fixtures/authoring/every-feature.md (every
authoring feature) and a page of tab sets written here (two linked sets, the second far below a
tall tab of the first, and a set of the most tabs the theme switches). Without JavaScript the tabs
switch by click and by keyboard and the collapsible blocks open; with it, choosing a tab chooses
the same name in every set, on this page and the next, without moving the set clicked. Both pages
pass axe (light and dark, every tab and block shown in turn) and the Nu Html Checker, and load
with their Content-Security-Policy enforced and no console error.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import EVERY_FEATURE, FIXTURE_SITE, add_every_feature_chapter, axe_violations, build_site, vnu_errors
from playwright.sync_api import expect

from guide.content.page_features import TABS_PER_SET
from guide.markdown.code_fences import iter_fences
from guide.site_tools.chromium import VIEWPORTS
from guide.site_tools.serve import serve

PAGES = ["every-feature.html", "tabs.html"]


def tab_page() -> str:
    tall = "\n\n".join(f"    Paragraph {n} of the JavaScript tab, which is much taller than the Python one." for n in range(40))
    many = "".join(f'=== "Step {n}"\n\n    Text of step {n}.\n\n' for n in range(1, TABS_PER_SET + 1))
    return (
        "title: Linked tabs\nslug: tabs\nsort-order: 0302\nmeta: Tab sets that follow each other.\n\n"
        'The first set.\n\n=== "Python"\n\n    Short.\n\n=== "JavaScript"\n\n' + tall + "\n\n"
        + "\n\n".join(f"Filler paragraph {n} between the two sets." for n in range(30))
        + '\n\nThe second set.\n\n=== "JavaScript"\n\n    The second set, in JavaScript.\n\n'
        '=== "Python"\n\n    The second set, in Python.\n\n=== "Rust"\n\n    No Rust here.\n\n'
        "The longest set.\n\n" + many
        + "\n\n".join(f"Closing paragraph {n}, so that the second set can be scrolled to the middle." for n in range(30))
        + "\n"
    )  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The authoring site, built (strict) and served: its base URL and output folder."""
    root = tmp_path_factory.mktemp("authoring")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    chapter = add_every_feature_chapter(content)
    (chapter / "02-tabs.md").write_text(tab_page(), encoding="utf-8")
    with open(content / "guide.toml", "a", encoding="utf-8") as toml:
        toml.write('03 = "Authoring"\n')
    output = root / "output"
    build_site(content, output, strict=True, search=False)
    with serve(output) as base:
        yield {"base": base, "folder": output}


def open_page(new_context, site, name: str, **options):
    context, watch = new_context(**options)
    page = context.new_page()
    watch.where = name
    page.goto(f"{site['base']}/{name}")
    return page, watch


def tab_set(page, index: int):
    """The page's tab set number ``index`` (from 0)."""
    return page.locator(".tabbed-set").nth(index)


def block(tabs, n: int):
    return tabs.locator(f":scope > .tabbed-content > .tabbed-block:nth-child({n})")


def label(tabs, n: int):
    return tabs.locator(f":scope > .tabbed-labels > label:nth-child({n})")


def label_named(tabs, name: str):
    return tabs.locator(":scope > .tabbed-labels").get_by_text(name, exact=True)


def outline_of(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")


def underlined(locator) -> bool:
    """The chosen tab's label is underlined (the others' border is transparent)."""
    return locator.evaluate("e => getComputedStyle(e).borderBottomColor") != "rgba(0, 0, 0, 0)"


# --- Without JavaScript ------------------------------------------------------------------------


def test_tabs_switch_by_click_without_javascript(site, new_context):
    page, watch = open_page(new_context, site, "tabs.html", java_script_enabled=False)
    longest = tab_set(page, 2)
    for n in range(1, TABS_PER_SET + 1):  # every position the stylesheet knows
        label(longest, n).click()
        expect(block(longest, n)).to_be_visible()
        expect(longest.locator(".tabbed-block:visible")).to_have_count(1)
        assert [underlined(label(longest, m)) for m in range(1, TABS_PER_SET + 1)].count(True) == 1
        assert underlined(label(longest, n))
    page.goto(f"{site['base']}/every-feature.html")
    tabs = tab_set(page, 0)
    expect(block(tabs, 1)).to_be_visible()
    expect(block(tabs, 2)).to_be_hidden()
    label_named(tabs, "JavaScript").click()
    expect(block(tabs, 2)).to_be_visible()
    expect(block(tabs, 1)).to_be_hidden()
    assert not watch.problems, "\n".join(watch.problems)


def test_tabs_switch_by_keyboard_with_a_visible_focus_without_javascript(site, new_context):
    page, watch = open_page(new_context, site, "every-feature.html", java_script_enabled=False)
    page.focus("a.footnote-ref")  # the last link before the tab set
    page.keyboard.press("Tab")
    tabs = tab_set(page, 0)
    assert page.evaluate("() => document.activeElement.id") == "__tabbed_1_1"
    assert outline_of(label(tabs, 1)).startswith("solid"), "the focus ring is drawn on the label"
    assert outline_of(label(tabs, 2)).startswith("none")

    page.keyboard.press("ArrowRight")
    expect(page.locator("#__tabbed_1_2")).to_be_checked()
    expect(block(tabs, 2)).to_be_visible()
    expect(block(tabs, 1)).to_be_hidden()
    assert outline_of(label(tabs, 2)).startswith("solid")
    assert outline_of(label(tabs, 1)).startswith("none")

    page.keyboard.press("ArrowLeft")
    expect(block(tabs, 1)).to_be_visible()
    page.keyboard.press("Tab")  # on to the tab's content: the label loses its ring
    assert outline_of(label(tabs, 1)).startswith("none")
    assert not watch.problems, "\n".join(watch.problems)


def test_collapsible_blocks_open_by_click_and_keyboard_without_javascript(site, new_context):
    page, watch = open_page(new_context, site, "every-feature.html", java_script_enabled=False)
    closed, opened = page.locator("details.note"), page.locator("details.tip")
    expect(closed.locator("p")).to_be_hidden()
    expect(opened.locator("p")).to_be_visible()  # ???+ starts open
    summary = closed.locator("summary")
    assert summary.evaluate("e => getComputedStyle(e).listStyleType") == "disclosure-closed", "a visible marker"
    summary.click()
    expect(closed.locator("p")).to_be_visible()
    assert summary.evaluate("e => getComputedStyle(e).listStyleType") == "disclosure-open"

    summary.click()
    expect(closed.locator("p")).to_be_hidden()
    page.focus("details.note > summary")
    page.keyboard.press("Enter")
    expect(closed.locator("p")).to_be_visible()
    assert outline_of(summary).startswith("solid"), "the focus ring shows on the summary"
    page.keyboard.press("Space")
    expect(closed.locator("p")).to_be_hidden()
    assert not watch.problems, "\n".join(watch.problems)


# --- With JavaScript ---------------------------------------------------------------------------


def chosen_names(page) -> list[str]:
    """The name of the checked tab of each set on the page."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.tabbed-set')].map(set =>
             set.querySelector(`label[for="${set.querySelector(':scope > input:checked').id}"]`).textContent)"""
    )


def test_linked_tabs_follow_across_sets_and_pages(site, new_context):
    page, watch = open_page(new_context, site, "tabs.html")
    assert chosen_names(page) == ["Python", "JavaScript", "Step 1"]
    label(tab_set(page, 1), 2).click()  # "Python" in the second set
    assert chosen_names(page) == ["Python", "Python", "Step 1"]
    label_named(tab_set(page, 0), "JavaScript").click()
    assert chosen_names(page) == ["JavaScript", "JavaScript", "Step 1"]
    assert json.loads(page.evaluate("() => localStorage.getItem('guide.tabs')")) == ["JavaScript", "Python"]

    watch.where = "every-feature.html"
    page.goto(f"{site['base']}/every-feature.html")
    assert chosen_names(page) == ["JavaScript"], "the next page shows the name chosen last"
    expect(block(tab_set(page, 0), 2)).to_be_visible()
    page.reload()
    assert chosen_names(page) == ["JavaScript"]

    # A name this page has not: the one chosen before it that it has.
    watch.where = "tabs.html"
    page.goto(f"{site['base']}/tabs.html")
    label(tab_set(page, 1), 3).click()  # "Rust", which only this set has
    assert chosen_names(page) == ["JavaScript", "Rust", "Step 1"]
    page.goto(f"{site['base']}/every-feature.html")
    assert chosen_names(page) == ["JavaScript"]
    assert not watch.problems, "\n".join(watch.problems)


def test_choosing_a_tab_does_not_move_the_set_clicked(site, new_context):
    """The first set grows by its tall JavaScript tab; the second, clicked, stays where it was.

    Chromium keeps it in place by itself (scroll anchoring); Safari and older browsers do not,
    so the page turns anchoring off to see what tabs.js does (element.style: the CSP allows it).
    """
    page, watch = open_page(new_context, site, "tabs.html", viewport=VIEWPORTS["desktop"])
    page.evaluate("() => { document.documentElement.style.overflowAnchor = 'none'; }")
    lower = tab_set(page, 1)
    lower.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 300)")
    label(lower, 2).click()  # "Python", which the first set shows already
    first_height = tab_set(page, 0).evaluate("e => e.offsetHeight")
    before = lower.evaluate("e => e.getBoundingClientRect().top")
    label(lower, 1).click()  # "JavaScript": the first set, above, switches to its tall tab
    assert tab_set(page, 0).evaluate("e => e.offsetHeight") > first_height + 300
    after = lower.evaluate("e => e.getBoundingClientRect().top")
    assert abs(after - before) <= 1, f"the clicked set moved from {before} to {after}"
    assert not watch.problems, "\n".join(watch.problems)


def test_pages_load_with_their_csp_and_no_console_error(site, new_context):
    context, watch = new_context()
    page = context.new_page()
    for name in PAGES:
        watch.where = name
        page.goto(f"{site['base']}/{name}", wait_until="networkidle")
        assert page.evaluate("() => document.querySelectorAll('[style]').length") == 0, "no style attribute"
        page.locator(".tabbed-labels > label:nth-child(2)").first.click()
    assert not watch.problems, "\n".join(watch.problems)


# --- Code blocks -------------------------------------------------------------------------------


def test_line_numbers_are_not_selected_nor_copied(site, new_context):
    page, watch = open_page(new_context, site, "every-feature.html", permissions=["clipboard-read", "clipboard-write"])
    numbers = page.locator(".linenos")
    expect(numbers.first).to_be_visible()
    assert numbers.first.evaluate("e => getComputedStyle(e).userSelect") == "none"
    expected = next(f.code for f in iter_fences(EVERY_FEATURE.read_text(encoding="utf-8")) if "linenums" in f.info)
    page.locator("figure.code", has=numbers.first).locator(".copy").click()
    assert page.evaluate("() => navigator.clipboard.readText()") == expected
    assert not watch.problems, "\n".join(watch.problems)


def test_highlighted_lines_span_the_block_even_when_it_scrolls(site, new_context):
    page, watch = open_page(new_context, site, "every-feature.html", viewport=VIEWPORTS["mobile"])
    for figure in page.locator("figure.code:has(.hll)").all():
        pre, line = figure.locator("pre"), figure.locator(".hll").first
        if not pre.is_visible():
            continue
        scroll_width, left = pre.evaluate("e => [e.scrollWidth, e.getBoundingClientRect().left + e.clientLeft]")
        box = line.evaluate("e => { const r = e.getBoundingClientRect(); return [r.left, r.width]; }")
        assert abs(box[0] - left) <= 1, "the band starts at the block's left edge"
        assert box[1] >= scroll_width - 1, f"the band is {box[1]}px wide in a block {scroll_width}px wide"
    assert page.locator("figure.code:has(.hll) pre").evaluate_all("l => l.some(e => e.scrollWidth > e.clientWidth)"), (
        "one highlighted block is wider than a phone, so the test sees a scrolled band"
    )
    assert not watch.problems, "\n".join(watch.problems)


# --- Checkers ----------------------------------------------------------------------------------


def show_every_state(page) -> Iterator[str]:
    """Each state to check: as loaded, then with every collapsible open and each set's second tab."""
    yield "as loaded"
    page.evaluate("() => document.querySelectorAll('.prose details').forEach(d => { d.open = true; })")
    for set_ in page.locator(".tabbed-set").all():
        set_.locator(".tabbed-labels > label:nth-child(2)").click()
    yield "details open, second tabs"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation(site, new_context, axe_script, scheme):
    """axe-core (WCAG 2.2 A/AA, best practices) on both pages, as loaded and with everything shown.
    axe is injected inline, so this context bypasses the CSP (the test above enforces it)."""
    context, watch = new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    violations = []
    for name in PAGES:
        watch.where = name
        page.goto(f"{site['base']}/{name}")
        page.add_script_tag(path=str(axe_script))
        for state in show_every_state(page):
            violations += axe_violations(page, f"{name} ({state})")
    assert not violations, "\n".join(violations)
    assert not watch.problems, "\n".join(watch.problems)


def test_html_and_css_are_valid(site, vnu_jar):
    """The Nu Html Checker over both pages and every stylesheet they link."""
    folder: Path = site["folder"]
    files = [folder / name for name in PAGES] + sorted((folder / "theme" / "css").glob("*.css"))
    errors = vnu_errors(vnu_jar, files, folder)
    assert not errors, "\n".join(errors)
