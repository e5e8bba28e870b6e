"""The browser page's first example, run in headless Chromium: what its console shows against the
first page's echo server, when that server stops, when nothing listens, and for a message over
websockets' default 1 MiB max_size (the close-code table's 1009 row)."""

from __future__ import annotations

import functools
import http.server
import signal
import sys
import threading

import pytest
from harness import Ports, exercises, require_tool, running, write
from helpers import CHROMIUM_ARGS

exercises("browser-first-socket")

CLOSED = "closed: "


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def browser():
    chromium = require_tool("chromium", "the first browser example runs in headless Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(tmp_path):
    """A folder served on 127.0.0.1 holding the example and a page that loads it."""
    (tmp_path / "index.html").write_text('<!doctype html><title>first socket</title><script src="first-socket.js"></script>')
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()


def open_logging(browser, url: str, until: str):
    """Open the page and return it with the list its console lines go to, once a line starts with `until`."""
    page = browser.new_page()
    lines: list[str] = []
    page.on("console", lambda message: message.type == "log" and lines.append(message.text))
    with page.expect_console_message(lambda m: m.text.startswith(until), timeout=10_000):
        page.goto(url)
    return page, lines


def wait_for_close(page, lines: list[str], timeout_ms: int = 10_000) -> str:
    """The close line the page logged, waiting for it up to timeout_ms."""
    for _ in range(timeout_ms // 50):
        closed = [line for line in lines if line.startswith(CLOSED)]
        if closed:
            return closed[0]
        page.wait_for_timeout(50)  # lets Playwright deliver queued console events
    pytest.fail(f"no close event logged within {timeout_ms} ms: {lines}")


def echo_server(folder, ports: Ports):
    script = write("intro-echo-server", folder, ports)
    return running([sys.executable, str(script)], ports[8765], folder)


def test_echo_then_ctrl_c_on_the_server_closes_with_1001(browser, site):
    folder, url = site
    ports = Ports()
    write("browser-first-socket", folder, ports)
    with echo_server(folder, ports) as server:
        page, lines = open_logging(browser, url, "received: ")
        server.send_signal(signal.SIGINT)  # what Ctrl-C sends
        server.wait(10)
    assert lines[0] == "received: Hello"
    assert wait_for_close(page, lines) == "closed: code=1001 clean=true"
    assert "error" not in lines


def test_no_server_gives_error_then_1006(browser, site):
    folder, url = site
    write("browser-first-socket", folder, Ports())  # nothing listens on the rewritten port
    _page, lines = open_logging(browser, url, CLOSED)
    assert lines == ["error", "closed: code=1006 clean=false"]


def test_a_message_over_one_mebibyte_is_closed_with_1009(browser, site):
    folder, url = site
    ports = Ports()
    write("browser-first-socket", folder, ports)
    with echo_server(folder, ports):
        page, lines = open_logging(browser, url, "received: ")
        page.evaluate("ws.send('x'.repeat(2 ** 20))")  # exactly max_size: still echoed
        page.evaluate("ws.send('x'.repeat(2 ** 20 + 1))")  # one byte over
        closed = wait_for_close(page, lines)
    assert closed == "closed: code=1009 clean=true"
    assert sum(line.startswith("received: x") for line in lines) == 1
