"""`invoke screenshots`: full-page screenshots of a build, desktop and mobile, light and dark."""

from __future__ import annotations

import os
from pathlib import Path

from guide.site_tools.chromium import CHROMIUM_ARGS, VIEWPORTS, chromium_path
from guide.site_tools.serve import existing, serve


def screenshots(folder: str | os.PathLike, pages: list[str], shots: str | os.PathLike) -> list[Path]:
    """Full-page screenshots of each page: desktop and mobile, light and dark."""
    from playwright.sync_api import sync_playwright  # the `audit` extra; the build does not need it

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
