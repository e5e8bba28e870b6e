"""The browser suite's fixtures: both sites built once, served on 127.0.0.1, and Chromium.

Two sites: the fixture site (tests/fixtures/site), which every behaviour test uses, and the
real guide (content/), over which the per-page checks run too. What a test needs and does not
find (Chromium, java, node_modules, a guide that builds) skips it with the reason, except in CI
(CI=true), where it fails: that rule lives in helpers.unavailable, which every check uses.
"""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from helpers import CHROMIUM_ARGS, FIXTURE_SITE, ROOT, build_site, require_tool, unavailable

from guide.site_tools.audit import NODE_MODULES
from guide.site_tools.serve import serve

SITES = ["fixture", "guide"]
#: The checkers the browser tests run, from node_modules/ (`npm ci --ignore-scripts`, pinned in
#: package.json and package-lock.json).
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def need_node_module(path: Path) -> Path:
    if not path.is_file():
        name = path.relative_to(NODE_MODULES).parts[0]
        unavailable(f"node_modules/{name} is missing: run `npm ci --ignore-scripts` in {ROOT}")
    return path


@pytest.fixture(scope="session")
def axe_script() -> Path:
    return need_node_module(AXE)


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    return need_node_module(VNU)


@dataclasses.dataclass
class Site:
    name: str
    folder: Path
    base: str  #: http://127.0.0.1:PORT

    def pages(self) -> list[str]:
        """Every HTML page of the build (the Pagefind folder holds none), relative to its root."""
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*.html"))

    def url(self, page: str) -> str:
        return f"{self.base}/{page}"


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory):
    """name -> output folder, or the reason it did not build; each built once per session."""
    from guide.build.runner import BuildFailed

    folders: dict[str, Path | str] = {}
    for name, content in (("fixture", FIXTURE_SITE), ("guide", ROOT / "content")):
        output = tmp_path_factory.mktemp(f"browser-{name}") / "output"
        try:
            build_site(content, output, strict=True)
            folders[name] = output
        except BuildFailed as failure:
            folders[name] = f"content/ does not build yet with --strict:\n{failure.report()}"
    return folders


@pytest.fixture(scope="session")
def served(built_sites):
    """name -> Site served on 127.0.0.1 (sites that did not build are left out)."""
    with contextlib.ExitStack() as stack:
        yield {
            name: Site(name, folder, stack.enter_context(serve(folder)))
            for name, folder in built_sites.items()
            if isinstance(folder, Path)
        }


@pytest.fixture(params=SITES)
def site(request, built_sites, served) -> Site:
    """Each site in turn; the guide is skipped (failed in CI) when it does not build."""
    return site_named(request.param, built_sites, served)


@pytest.fixture
def fixture_site(built_sites, served) -> Site:
    return site_named("fixture", built_sites, served)


@pytest.fixture
def guide_site(built_sites, served) -> Site:
    return site_named("guide", built_sites, served)


def site_named(name, built_sites, served) -> Site:
    if name not in served:
        unavailable(built_sites[name])
    return served[name]


@pytest.fixture(scope="module")
def browser():
    """Chromium, per module: the sync Playwright API allows one instance at a time in a thread,
    and tests/examples/ starts its own."""
    chromium = require_tool("chromium", "the browser tests drive Debian's Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed: pip install the [test] extras")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """What went wrong while pages loaded: console errors (CSP violations included), uncaught
    exceptions, failed or 4xx/5xx requests, and requests to any host but 127.0.0.1 (aborted)."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.where = ""

    def add(self, what: str) -> None:
        self.problems.append(f"{self.where}: {what}")

    def attach(self, context) -> None:
        def route(route):
            host = urlsplit(route.request.url).hostname
            if host != "127.0.0.1":
                self.add(f"third-party request {route.request.url}")
                route.abort()
            else:
                route.continue_()

        context.route("**/*", route)
        context.on("page", self.attach_page)

    def request_failed(self, request) -> None:
        # ERR_ABORTED: cancelled by the next navigation (the favicon, say) or by route() above.
        if request.failure != "net::ERR_ABORTED":
            self.add(f"request failed: {request.url} ({request.failure})")

    def attach_page(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.add(f"console error: {message.text}"))
        page.on("pageerror", lambda error: self.add(f"uncaught {error}"))
        page.on("requestfailed", self.request_failed)
        page.on("response", lambda response: response.status >= 400 and self.add(f"HTTP {response.status} for {response.url}"))


@pytest.fixture
def new_context(browser):
    """Make browser contexts that are watched (see Watch) and closed after the test.

    ``new_context(**options)`` returns (context, watch); options go to Browser.new_context.
    """
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        watch = Watch()
        watch.attach(context)
        return context, watch

    yield make
    for context in contexts:
        context.close()
