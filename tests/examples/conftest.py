"""Fixtures the browser examples share: headless Chromium, and a folder served on 127.0.0.1."""

from __future__ import annotations

import pytest
from harness import require_tool
from helpers import CHROMIUM_ARGS

from guide.site_tools.serve import serve


@pytest.fixture(scope="module")
def browser():
    chromium = require_tool("chromium", "browser examples run in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def static_server(tmp_path):
    """tmp_path served on 127.0.0.1, as a reader's own page would be; yields its base URL."""
    with serve(tmp_path) as base:
        yield base
