"""``python -m benchmarks.page_load``: a reader's three-page visit, stylesheets inlined or linked.

Issue 15 asks whether the theme's stylesheets should be inlined in every page (the first paint
needs only the HTML, but every page carries the CSS) or linked (a cached file, but a first visit
waits for it before painting). This builds the guide both ways (``THEME_STYLESHEETS``), serves
each as GitHub Pages does (gzip, ``Cache-Control: max-age=600``), and visits three pages in one
Chromium profile, so the second and third pages find what the first cached, under Lighthouse's
slow-4G throttling applied by DevTools (562.5 ms round trip, 1.47 Mbit/s down, CPU four times
slower). Per page it records the first and largest contentful paints and the bytes that crossed
the network; variants alternate, each visit in a fresh profile, and the report gives medians.

The numbers go in benchmarks/README.md; nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from guide.build.runner import build
from guide.site_tools.chromium import CHROMIUM_ARGS, VIEWPORTS, chromium_path
from guide.site_tools.serve import serve_like_github_pages

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("inline", "linked")
#: A visit as a reader makes it: the home page, the first guide page, then a long one.
VISIT = ("index.html", "websocket-protocol.html", "nginx-websocket-proxy.html")
#: Lighthouse's "slow 4G" with DevTools throttling (lighthouse-core/config/constants.js).
NETWORK = {"offline": False, "latency": 562.5, "downloadThroughput": 1474.56 * 1024 / 8, "uploadThroughput": 675 * 1024 / 8}
CPU_SLOWDOWN = 4
#: The last entry of a buffered performance timeline, waiting for it if the page has not painted yet.
_LAST_ENTRY = """type => new Promise(done => {
  new PerformanceObserver(list => {
    const entries = list.getEntries().filter(entry => entry.name !== "first-paint");
    if (entries.length) done(entries.at(-1).startTime);
  }).observe({type, buffered: true});
  setTimeout(() => done(null), 5000);
})"""


def visit(browser, base: str) -> list[dict]:
    """The three pages in one fresh profile: per page, FCP and LCP (ms) and the bytes transferred."""
    context = browser.new_context(viewport=VIEWPORTS["mobile"])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    transferred = []
    cdp.on("Network.loadingFinished", lambda event: transferred.append(event["encodedDataLength"]))
    rows = []
    for name in VISIT:
        transferred.clear()
        page.goto(f"{base}/{name}", wait_until="load")
        fcp, lcp = page.evaluate(_LAST_ENTRY, "paint"), page.evaluate(_LAST_ENTRY, "largest-contentful-paint")
        rows.append({"page": name, "fcp": fcp, "lcp": lcp, "bytes": sum(transferred)})
    context.close()
    return rows


def build_variants(folder: Path) -> dict[str, Path]:
    sites = {}
    for variant in VARIANTS:
        sites[variant] = folder / variant
        build(str(ROOT / "pelicanconf.py"), content=str(ROOT / "content"), output=str(sites[variant]),
              overrides={"THEME_STYLESHEETS": variant}, search=False)  # fmt: skip
    return sites


def measure(runs: int) -> dict[str, list[list[dict]]]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[list[dict]]] = {variant: [] for variant in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="page-load-") as temp, sync_playwright() as playwright:
        sites = build_variants(Path(temp))
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for run in range(runs):
            for variant in VARIANTS if run % 2 == 0 else reversed(VARIANTS):
                with serve_like_github_pages(sites[variant]) as base:
                    results[variant].append(visit(browser, base))
        browser.close()
    return results


def report(results: dict[str, list[list[dict]]]) -> str:
    runs = len(next(iter(results.values())))
    lines = [
        f"Three-page visit, median of {runs} runs per variant, Chromium, {NETWORK['latency']} ms round trip, "
        f"{NETWORK['downloadThroughput'] * 8 / 1024:.0f} kbit/s, CPU x{CPU_SLOWDOWN}",
        f"{'page':34} | {'variant':7} | {'FCP ms':>7} | {'LCP ms':>7} | {'bytes':>7}",
    ]
    totals = {}
    for index, name in enumerate(VISIT):
        for variant, visits in results.items():
            fcp = statistics.median(v[index]["fcp"] for v in visits)
            lcp = statistics.median(v[index]["lcp"] for v in visits)
            size = statistics.median(v[index]["bytes"] for v in visits)
            total = totals.setdefault(variant, [0.0, 0.0, 0])
            total[0], total[1], total[2] = total[0] + fcp, total[1] + lcp, total[2] + size
            lines.append(f"{name:34} | {variant:7} | {fcp:7.0f} | {lcp:7.0f} | {size:7.0f}")
    for variant, (fcp, lcp, size) in totals.items():
        lines.append(f"{'visit total':34} | {variant:7} | {fcp:7.0f} | {lcp:7.0f} | {size:7.0f}")
    inline, linked = totals["inline"], totals["linked"]
    lines.append(
        f"inline/linked: FCP {inline[0] / linked[0]:.2f}, LCP {inline[1] / linked[1]:.2f}, bytes {inline[2] / linked[2]:.2f}"
    )
    return "\n".join(lines)


def lighthouse_medians(runs: int) -> str:
    """Lighthouse's own mobile FCP and LCP (simulated slow 4G, a cold cache) of each page, both ways."""
    from guide.site_tools.audit import lighthouse

    lines = [
        f"Lighthouse mobile, cold cache, median of {runs} runs",
        f"{'page':34} | {'variant':7} | {'FCP ms':>7} | {'LCP ms':>7}",
    ]
    with tempfile.TemporaryDirectory(prefix="page-load-") as temp:
        sites = build_variants(Path(temp))
        for variant, site in sites.items():
            with serve_like_github_pages(site) as base:
                rows = [row for _ in range(runs) for row in lighthouse(base, site, list(VISIT), Path(temp) / "reports")]
            for name in VISIT:
                mobile = [row for row in rows if row["page"] == name and row["form"] == "mobile" and "error" not in row]
                fcp, lcp = (statistics.median(row[key] for row in mobile) for key in ("FCP ms", "LCP ms"))
                lines.append(f"{name:34} | {variant:7} | {fcp:7.0f} | {lcp:7.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="visits per variant (default 5)")
    parser.add_argument("--lighthouse", action="store_true", help="also Lighthouse's mobile FCP and LCP, 3 runs each way")
    arguments = parser.parse_args(argv)
    if not chromium_path():
        raise SystemExit("the benchmark needs Chromium: apt-get install chromium")
    print(report(measure(arguments.runs)))
    if arguments.lighthouse:
        print(lighthouse_medians(3))


if __name__ == "__main__":
    main()
