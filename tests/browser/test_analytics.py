"""Opt-in analytics in Chromium (guide/content/analytics.py): the default build asks no other host
for anything; with ``ANALYTICS`` set, each page asks exactly the provider's hosts (routed here to a
stub, so no real network is used) and its CSP refuses any other."""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site

from guide.site_tools.serve import serve

pytestmark = pytest.mark.browser

UUID = "b59e9c65-ae32-47f1-8400-119fcf4861c4"
#: Each provider's setting -> the hosts its pages may ask: the script's, then the counter's.
PROVIDERS = {
    "plausible": ({"provider": "plausible", "domain": "guide.example.org"}, {"plausible.io"}),
    "goatcounter": ({"provider": "goatcounter", "code": "guide"}, {"gc.zgo.at", "guide.goatcounter.com"}),
    "umami": ({"provider": "umami", "website_id": UUID}, {"cloud.umami.is", "gateway.umami.is"}),
    "umami-self-hosted": (
        {"provider": "umami", "website_id": UUID, "address": "https://stats.example.org"},
        {"stats.example.org"},
    ),
}
#: Stands in for every provider's script: it sends a page view where the real one does (from its
#: data-* attributes), then tries a host the CSP does not allow, which must never be asked.
STUB = """
const s = document.currentScript, d = s.dataset;
const endpoint = d.goatcounter || (d.hostUrl && d.hostUrl + "/api/send") || d.api || new URL(s.src).origin + "/api/event";
fetch(endpoint, {method: "POST", body: "{}", mode: "no-cors", keepalive: true}).then(() => document.documentElement.dataset.counted = "yes");
fetch("https://elsewhere.example/collect", {mode: "no-cors"}).catch(() => document.documentElement.dataset.refused = "yes");
"""
PAGES = ["index.html", "second.html", "blog/launch.html", "search.html", "table-of-contents.html"]


def record_requests(context) -> list[str]:
    """Every URL the context's pages request; any not on 127.0.0.1 is answered here, never sent."""
    requested: list[str] = []

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        elif url.endswith(".js"):
            route.fulfill(status=200, content_type="text/javascript", body=STUB)
        else:
            route.fulfill(status=204, headers={"access-control-allow-origin": "*"})

    context.route("**/*", route)
    context.on("request", lambda request: requested.append(request.url))
    return requested


def other_hosts(urls: list[str]) -> set[str]:
    return {urlsplit(url).hostname for url in urls} - {"127.0.0.1"}


def load_every_page(context, base: str, pages: list[str]) -> None:
    page = context.new_page()
    for name in pages:
        page.goto(f"{base}/{name}", wait_until="load")
        page.wait_for_timeout(150)  # deferred scripts, their imports and any beacon
    page.close()


def test_the_default_build_asks_no_other_host(site, browser):
    """Both sites, every page: no analytics code, no CSP allowance, no request off 127.0.0.1."""
    context = browser.new_context()
    requested = record_requests(context)
    load_every_page(context, site.base, site.pages())
    context.close()
    assert len(requested) >= len(site.pages())
    assert other_hosts(requested) == set()
    for name in site.pages():
        html = (site.folder / name).read_text("utf-8")
        assert "https://" not in csp_of(html), name
        assert "privacy-note" not in html, name


def csp_of(html: str) -> str:
    return BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


@pytest.fixture(scope="module", params=list(PROVIDERS))
def analytics_site(request, tmp_path_factory):
    """The fixture site built with one provider set, served on 127.0.0.1."""
    setting, hosts = PROVIDERS[request.param]
    output = tmp_path_factory.mktemp(f"analytics-{request.param}") / "out"
    build_site(FIXTURE_SITE, output, strict=True, search=False, overrides={"ANALYTICS": setting})
    with contextlib.ExitStack() as stack:
        yield output, stack.enter_context(serve(output)), hosts


def test_with_a_provider_each_page_asks_exactly_its_hosts(analytics_site, browser):
    _output, base, hosts = analytics_site
    context = browser.new_context()
    requested = record_requests(context)
    page = context.new_page()
    for name in PAGES:
        page.goto(f"{base}/{name}", wait_until="load")
        page.wait_for_function("document.documentElement.dataset.counted && document.documentElement.dataset.refused")
        assert other_hosts(requested) == hosts, name  # the script's host and the counter's, nothing else
    context.close()
    assert "elsewhere.example" not in " ".join(requested)


def test_with_a_provider_the_csp_and_the_footer_name_its_hosts_only(analytics_site):
    output, _, hosts = analytics_site
    for path in sorted(Path(output).rglob("*.html")):
        html = path.read_text("utf-8")
        soup = BeautifulSoup(html, "html.parser")
        named = {urlsplit(word).hostname for word in csp_of(html).replace(";", " ").split() if word.startswith("https://")}
        assert named == hosts, path.name
        scripts = [tag for tag in soup.find_all("script", src=True) if urlsplit(tag["src"]).hostname]
        assert len(scripts) == 1, path.name
        assert scripts[0].has_attr("defer"), path.name
        note = soup.select_one("footer .privacy-note").get_text()
        assert all(host in note for host in hosts), note
