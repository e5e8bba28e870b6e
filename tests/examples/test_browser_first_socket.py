"""The browser page's first example, run in headless Chromium: what its console shows against the
first page's echo server, when that server stops, when nothing listens, and for a message over
websockets' default 1 MiB max_size (the close-code table's 1009 row)."""

from __future__ import annotations

import signal

import pytest
from harness import Ports, exercises, start, write

exercises("browser-first-socket")

CLOSED = "closed: "


@pytest.fixture
def site(tmp_path, static_server):
    """The example's folder, served, and a page of it that loads the example."""
    (tmp_path / "index.html").write_text('<!doctype html><title>first socket</title><script src="first-socket.js"></script>')
    return tmp_path, f"{static_server}/index.html"


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


def test_echo_then_ctrl_c_on_the_server_closes_with_1001(browser, site):
    folder, url = site
    ports = Ports()
    write("browser-first-socket", folder, ports)
    with start("intro-echo-server", folder, ports) as server:
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
    with start("intro-echo-server", folder, ports):
        page, lines = open_logging(browser, url, "received: ")
        page.evaluate("ws.send('x'.repeat(2 ** 20))")  # exactly max_size: still echoed
        page.evaluate("ws.send('x'.repeat(2 ** 20 + 1))")  # one byte over
        closed = wait_for_close(page, lines)
    assert closed == "closed: code=1009 clean=true"
    assert sum(line.startswith("received: x") for line in lines) == 1
