"""``python -m benchmarks.navigation``: from a click on a hovered link to the next page, with and without prefetch.

Issue 15 asks for instant pages: Chromium prefetches a guide page when the reader's pointer
rests on its link (the speculation rules in ``theme/templates/base.html``). This builds the
guide once, copies it with the rules stripped from every page (as the theme was before), serves
both as GitHub Pages does (:func:`guide.site_tools.serve.serve_like_github_pages`), and in a fresh
Chromium profile per navigation opens a page, hovers a link, waits as a reader would, clicks, and
times the next page from the click: its first contentful paint and its load event. Variants
alternate; each network (Lighthouse's slow 4G, then none) gets the median of the runs. Each row
also says how many of the navigations Chromium served from a prefetch (the navigation entry's
``deliveryType``) and how many prefetch requests it made, which shows the rules are used.

The numbers go in benchmarks/README.md; nothing here is a test.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
from pathlib import Path

from benchmarks.page_load import CPU_SLOWDOWN, NETWORK, ROOT
from guide.build.runner import build
from guide.site_tools.chromium import CHROMIUM_ARGS, VIEWPORTS, chromium_path
from guide.site_tools.serve import serve_like_github_pages

VARIANTS = ("without", "with")  #: speculation rules stripped, as built
#: (page, the link a reader clicks there): the home page's call to action, then "Next" twice.
HOPS = (("index.html", "a.button"), ("websocket-protocol.html", ".pager a.next"), ("websocket-security.html", ".pager a.next"))
NETWORKS = {"slow 4G": (NETWORK, CPU_SLOWDOWN), "unthrottled": (None, 1)}
DWELL_MS = 1000  #: how long the pointer rests on the link before the click
_RULES = re.compile(r'<script type="speculationrules">.*?</script>\n?', re.S)

#: In the page clicked from: remember the click's time, in the clock every page of the tab shares.
_REMEMBER_CLICK = """() => addEventListener("click", () => {
  sessionStorage.setItem("clickedAt", String(performance.timeOrigin + performance.now()));
}, {capture: true})"""
#: In the page clicked to: its first contentful paint and load event, in ms after the click.
_SINCE_CLICK = """() => new Promise(done => {
  const clickedAt = Number(sessionStorage.getItem("clickedAt"));
  const navigation = performance.getEntriesByType("navigation")[0];
  const since = time => performance.timeOrigin + time - clickedAt;
  new PerformanceObserver(list => {
    const paint = list.getEntriesByName("first-contentful-paint")[0];
    if (paint) done({fcp: since(paint.startTime), load: since(navigation.loadEventEnd), delivery: navigation.deliveryType});
  }).observe({type: "paint", buffered: true});
})"""


def strip_speculation_rules(html: str) -> str:
    """The page without its ``<script type="speculationrules">``: the theme before instant pages."""
    return _RULES.sub("", html)


def copy_without_rules(site: Path, copy: Path) -> int:
    """Copy ``site`` to ``copy`` with the rules stripped from every page; how many pages had them."""
    shutil.copytree(site, copy)
    stripped = 0
    for page in copy.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        bare = strip_speculation_rules(html)
        if bare != html:
            page.write_text(bare, encoding="utf-8")
            stripped += 1
    return stripped


def navigate(browser, base: str, start: str, selector: str, network: str, dwell_ms: int) -> dict:
    """One navigation in a fresh profile: ms from the click to the next page's FCP and load."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    conditions, cpu = NETWORKS[network]
    cdp = context.new_cdp_session(page)
    if conditions:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", conditions)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    prefetches = []
    page.on(
        "request",
        lambda request: request.headers.get("sec-purpose", "").startswith("prefetch") and prefetches.append(request.url),
    )
    page.goto(f"{base}/{start}", wait_until="load")
    page.evaluate(_REMEMBER_CLICK)
    link = page.locator(selector).first
    link.hover()
    page.wait_for_timeout(dwell_ms)
    with page.expect_navigation(wait_until="load"):
        link.click()
    timing = page.evaluate(_SINCE_CLICK)
    context.close()
    return {**timing, "prefetches": len(prefetches)}


def measure(runs: int, dwell_ms: int) -> dict[str, dict[str, list[list[dict]]]]:
    """network -> variant -> one list per run of one result per hop."""
    from playwright.sync_api import sync_playwright

    results = {network: {variant: [] for variant in VARIANTS} for network in NETWORKS}
    with tempfile.TemporaryDirectory(prefix="navigation-") as temp, sync_playwright() as playwright:
        sites = {"with": Path(temp) / "with"}
        build(str(ROOT / "pelicanconf.py"), content=str(ROOT / "content"), output=str(sites["with"]), search=False)
        sites["without"] = Path(temp) / "without"
        if not copy_without_rules(sites["with"], sites["without"]):
            raise SystemExit("no page has speculation rules: nothing to compare")
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for network, by_variant in results.items():
            for run in range(runs):
                for variant in VARIANTS if run % 2 == 0 else reversed(VARIANTS):
                    with serve_like_github_pages(sites[variant]) as base:
                        by_variant[variant].append([navigate(browser, base, *hop, network, dwell_ms) for hop in HOPS])
        browser.close()
    return results


def report(results: dict[str, dict[str, list[list[dict]]]], dwell_ms: int) -> str:
    lines = [f"Click to next page, pointer resting {dwell_ms} ms on the link first; Chromium, desktop viewport"]
    for network, by_variant in results.items():
        runs = len(by_variant[VARIANTS[0]])
        lines += [
            "",
            f"{network}, median of {runs} runs",
            f"{'from -> link':42} | {'variant':7} | {'FCP ms':>7} | {'load ms':>7} | prefetched",
        ]
        for index, (start, selector) in enumerate(HOPS):
            for variant in VARIANTS:
                hops = [visit[index] for visit in by_variant[variant]]
                fcp = statistics.median(hop["fcp"] for hop in hops)
                load = statistics.median(hop["load"] for hop in hops)
                served = sum(hop["delivery"] == "navigational-prefetch" for hop in hops)
                requests = sum(hop["prefetches"] for hop in hops)
                where = f"{start} -> {selector}"
                lines.append(f"{where:42} | {variant:7} | {fcp:7.0f} | {load:7.0f} | {served}/{len(hops)} ({requests} requests)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="navigations per hop, variant and network (default 5)")
    parser.add_argument("--dwell", type=int, default=DWELL_MS, help=f"ms the pointer rests on the link (default {DWELL_MS})")
    arguments = parser.parse_args(argv)
    if not chromium_path():
        raise SystemExit("the benchmark needs Chromium: apt-get install chromium")
    print(report(measure(arguments.runs, arguments.dwell), arguments.dwell))


if __name__ == "__main__":
    main()
