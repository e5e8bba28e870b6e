"""A built site served on 127.0.0.1 and the tools that look at it in a browser.

Shared by the browser tests (tests/browser/) and the on-demand tasks `invoke audit`
(Lighthouse scores) and `invoke screenshots`. Node tools come from node_modules/
(`npm ci --ignore-scripts`, versions pinned in package.json and package-lock.json); the browser
is Debian's Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from helpers import CHROMIUM_ARGS, ROOT

NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
#: The rules axe runs: WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "mobile": {"width": 375, "height": 812}}
#: Pages `invoke audit` and `invoke screenshots` look at: the home page and two guide pages.
AUDIT_PAGES = ["index.html", "websocket-protocol.html", "nginx-websocket-proxy.html"]
LIGHTHOUSE_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".svg": "image/svg+xml"}

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: str | os.PathLike) -> Iterator[str]:
    """Serve a folder on an ephemeral port of 127.0.0.1; yields the base URL (no trailing slash)."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def existing(folder: str | os.PathLike, pages: list[str]) -> list[str]:
    found = [page for page in pages if (Path(folder) / page).is_file()]
    for page in sorted(set(pages) - set(found)):
        print(f"{page}: not in the build, left out")
    return found


def lighthouse(base: str, folder: str | os.PathLike, pages: list[str], reports: str | os.PathLike) -> list[dict]:
    """Run Lighthouse on each page of the site served at ``base`` from ``folder``, mobile and
    desktop; write the HTML and JSON reports; return the scores."""
    chromium = chromium_path()
    if not chromium or not LIGHTHOUSE.is_file():
        raise SystemExit("Lighthouse needs Chromium (apt-get install chromium) and node_modules (npm ci --ignore-scripts)")
    Path(reports).mkdir(parents=True, exist_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    rows = []
    for page in existing(folder, pages):
        for form in ("mobile", "desktop"):
            stem = Path(reports) / f"{page.replace('/', '_').removesuffix('.html')}-{form}"
            command = [
                "node", str(LIGHTHOUSE), f"{base}/{page}", "--quiet", f"--chrome-flags={flags}",
                f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}", "--output=json", "--output=html",
                f"--output-path={stem}", *(["--preset=desktop"] if form == "desktop" else []),
            ]  # fmt: skip
            run = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": chromium})
            if run.returncode != 0:
                rows.append({"page": page, "form": form, "error": (run.stderr or run.stdout).strip().splitlines()[-1:]})
                continue
            result = json.loads(Path(f"{stem}.report.json").read_text())
            scores = {name: round(100 * (result["categories"][name]["score"] or 0)) for name in LIGHTHOUSE_CATEGORIES}
            rows.append({"page": page, "form": form, **scores})
    return rows


def score_table(rows: list[dict]) -> str:
    header = ["page", "form", *LIGHTHOUSE_CATEGORIES]
    lines = [" | ".join(header), " | ".join("---" for _ in header)]
    for row in rows:
        cells = [str(row.get(name, "")) for name in header] if "error" not in row else [row["page"], row["form"], f"failed: {row['error']}"]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def screenshots(folder: str | os.PathLike, pages: list[str], shots: str | os.PathLike) -> list[Path]:
    """Full-page screenshots of each page: desktop and mobile, light and dark."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_path()
    if not chromium:
        raise SystemExit("screenshots need Chromium: apt-get install chromium")
    Path(shots).mkdir(parents=True, exist_ok=True)
    saved = []
    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for form, viewport in VIEWPORTS.items():
            for scheme in ("light", "dark"):
                context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                page = context.new_page()
                for name in existing(folder, pages):
                    page.goto(f"{base}/{name}", wait_until="load")
                    path = Path(shots) / f"{name.replace('/', '_').removesuffix('.html')}-{form}-{scheme}.png"
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
                context.close()
        browser.close()
    return saved
