"""The outline follows the reader, and guide pages are prefetched before the click (issue 15).

In Chromium, over the real guide (the fixture site's pages have one heading at most): scrolling
marks exactly one outline link ``aria-current="location"``, with no scroll listener; a keyboard
jump marks the section jumped to, even a short last one; the speculation rules are allowed by
their hash and make Chromium prefetch a hovered guide page; and the script fallback of
``theme/static/js/reader.js``, for browsers without speculation rules, prefetches a handful of
pages at most, each once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from playwright.sync_api import expect

from guide.site_tools.chromium import VIEWPORTS

PAGE = "websocket-protocol.html"  #: the guide's page with the longest outline
CURRENT = '.outline a[aria-current="location"]'
LIMIT = 5  #: the fallback's most prefetches per page (reader.js)
NO_SPECULATION_RULES = "HTMLScriptElement.supports = () => false;"  #: before any script of the page


def watch_prefetches(page) -> dict[str, str]:
    """URL -> the status of Chromium's prefetch of it ("Running", "Ready"...), as DevTools reports it.

    DevTools, not the page's request events: a context whose requests are routed (Watch) does
    not report the browser's own prefetch requests.
    """
    statuses: dict[str, str] = {}
    cdp = page.context.new_cdp_session(page)
    cdp.on("Preload.prefetchStatusUpdated", lambda event: statuses.__setitem__(event["prefetchUrl"], event["status"]))
    cdp.send("Preload.enable")
    return statuses


def wait_until(page, condition, timeout_ms: int = 5000) -> bool:
    for _ in range(timeout_ms // 100):
        if condition():
            return True
        page.wait_for_timeout(100)
    return condition()


def outline_ids(page) -> list[str]:
    ids = page.locator(".outline a").evaluate_all("links => links.map(a => a.getAttribute('href').slice(1))")
    assert len(ids) >= 4, f"{PAGE} should have a long outline: {ids}"
    return ids


def scroll_heading_to(page, heading_id: str, offset: int) -> None:
    """Scroll so the heading's top is ``offset`` px below the top of the window (above it if negative)."""
    page.evaluate("([id, offset]) => scrollTo(0, document.getElementById(id).offsetTop - offset)", [heading_id, offset])


def expect_current(page, heading_id: str) -> None:
    expect(page.locator(CURRENT)).to_have_count(1)
    expect(page.locator(CURRENT)).to_have_attribute("href", f"#{heading_id}")


def listener_types(page, target: str) -> set[str]:
    """The event types listened to on ``window`` or ``document``, as DevTools lists them."""
    cdp = page.context.new_cdp_session(page)
    handle = cdp.send("Runtime.evaluate", {"expression": target})["result"]["objectId"]
    return {listener["type"] for listener in cdp.send("DOMDebugger.getEventListeners", {"objectId": handle})["listeners"]}


def test_scrolling_marks_the_section_being_read_and_only_it(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(guide_site.url(PAGE))
    ids = outline_ids(page)
    expect_current(page, ids[0])  # at the top, before any heading has gone by: the first
    for heading_id in ids[1:3]:
        scroll_heading_to(page, heading_id, 100)  # just below the top: read from here on
        expect_current(page, heading_id)
    scroll_heading_to(page, ids[2], 700)  # back down the window, below the line: the one before
    expect_current(page, ids[1])
    page.evaluate("scrollTo(0, 0)")
    expect_current(page, ids[0])
    assert not {"scroll", "wheel"} & (listener_types(page, "window") | listener_types(page, "document"))
    assert not watch.problems, "\n".join(watch.problems)


def jump_with_the_keyboard(page, heading_id: str) -> None:
    page.locator(f'.outline a[href="#{heading_id}"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#{heading_id}")


def test_a_keyboard_jump_marks_the_section_jumped_to_even_the_last(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(guide_site.url(PAGE))
    ids = outline_ids(page)
    jump_with_the_keyboard(page, ids[2])
    expect_current(page, ids[2])

    # A window so tall that the last section, scrolled as far as the page goes, stays below the line
    # a quarter down it: the heading jumped to is still the one marked.
    tail = page.evaluate("id => document.scrollingElement.scrollHeight - document.getElementById(id).offsetTop", ids[-1])
    page.set_viewport_size({"width": VIEWPORTS["desktop"]["width"], "height": max(600, int(tail / 0.7))})
    jump_with_the_keyboard(page, ids[-1])
    assert page.evaluate("id => document.getElementById(id).getBoundingClientRect().top > innerHeight / 4", ids[-1])
    expect_current(page, ids[-1])
    page.evaluate("scrollTo(0, 0)")  # scrolling away from it: the outline follows the scroll again
    expect_current(page, ids[0])
    assert not watch.problems, "\n".join(watch.problems)


def test_speculation_rules_are_allowed_by_their_hash_and_chromium_prefetches_a_hovered_page(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(guide_site.url(PAGE))
    rules = page.locator('script[type="speculationrules"]')
    expect(rules).to_have_count(1)
    text = rules.text_content()
    assert json.loads(text)["prefetch"][0]["eagerness"] == "moderate"
    digest = "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert f"'{digest}'" in policy
    assert "unsafe-inline" not in policy
    assert page.evaluate("HTMLScriptElement.supports('speculationrules')")

    prefetches = watch_prefetches(page)
    following = page.locator(".pager a.next")
    href = following.evaluate("a => a.href")
    following.hover()
    assert wait_until(page, lambda: prefetches.get(href) == "Ready"), prefetches
    with page.expect_navigation():
        following.click()
    assert page.evaluate("performance.getEntriesByType('navigation')[0].deliveryType") == "navigational-prefetch"
    assert not watch.problems, "\n".join(watch.problems)


def test_speculation_rules_leave_the_search_page_and_pagefind_alone(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(guide_site.url(PAGE))
    prefetches = watch_prefetches(page)
    page.evaluate("""() => {
        for (const href of ["search.html", "pagefind/pagefind-ui.html", "sitemap.xml", "why-websockets.html"]) {
            const link = document.querySelector("main").appendChild(document.createElement("a"));
            link.href = href; link.textContent = "to " + href; link.style.display = "block";
        }
    }""")
    for target in ("search.html", "pagefind/pagefind-ui.html", "sitemap.xml", "why-websockets.html"):
        page.locator(f'main > a[href="{target}"]').hover()
        page.wait_for_timeout(400)  # Chromium's "moderate" waits 200 ms on a hovered link
    assert wait_until(page, lambda: prefetches)
    assert [url.rsplit("/", 1)[-1] for url in prefetches] == ["why-websockets.html"]
    assert not watch.problems, "\n".join(watch.problems)


def prefetch_hints(page) -> list[str]:
    return page.locator('link[rel="prefetch"]').evaluate_all("links => links.map(link => new URL(link.href).pathname)")


def test_without_speculation_rules_the_script_prefetches_a_handful_of_pages_each_once(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(NO_SPECULATION_RULES)
    page = context.new_page()
    page.goto(guide_site.url("index.html"))
    links = page.locator("main a[href$='.html']")
    assert links.count() > LIMIT + 1
    links.nth(0).hover()
    page.wait_for_timeout(200)
    links.nth(0).hover(position={"x": 2, "y": 2})  # the same link again: fetched once
    page.wait_for_timeout(200)
    assert len(prefetch_hints(page)) == 1
    for index in range(1, LIMIT + 2):
        links.nth(index).hover()
        page.wait_for_timeout(200)
    hints = prefetch_hints(page)
    assert len(hints) == LIMIT, hints
    assert len(set(hints)) == LIMIT, hints
    assert all(re.fullmatch(r"/[\w/-]+\.html", hint) for hint in hints)
    assert not watch.problems, "\n".join(watch.problems)


def test_without_speculation_rules_a_link_passed_over_or_the_search_page_is_not_prefetched(guide_site, new_context):
    context, watch = new_context(viewport=VIEWPORTS["desktop"])
    context.add_init_script(NO_SPECULATION_RULES)
    page = context.new_page()
    page.goto(guide_site.url(PAGE))
    page.evaluate("""() => {
        const over = (element) => element.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
        over(document.querySelector(".pager a.next"));  // passed over: the next element follows at once
        over(document.querySelector("main p"));
        const search = document.querySelector("main").appendChild(document.createElement("a"));
        search.href = "search.html"; search.textContent = "search";
        over(search);
    }""")
    page.wait_for_timeout(300)
    assert prefetch_hints(page) == []
    page.locator(".pager a.next").dispatch_event("touchstart")  # a finger on it: at once
    assert len(prefetch_hints(page)) == 1
    assert not watch.problems, "\n".join(watch.problems)
