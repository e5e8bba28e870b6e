"""The browser-testing page's pytest files, run as its reader runs them: pytest in a folder that
holds the page's conftest.py, the browser page's reconnecting-client.js and its index.html, with
headless Chromium (CHROMIUM=/usr/bin/chromium) and, for the real-server file, the first page's echo
server on a free port.

The mocked-server tests must also fail against a broken client (one that retries after 1008, one
that never gives up on a silent server): they test the client, not themselves. The page's claims
about Playwright itself are checked directly: a mocked socket fires no "websocket" event while an
intercepted one does, and a page from a public origin cannot open ws://localhost.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from harness import Ports, exercises, python_env, require_tool, start, write

pytestmark = pytest.mark.browser

# The browser page's index.html, as it prints it.
INDEX_HTML = """<!doctype html>
<title>WebSocket client test</title>
<script src="reconnecting-client.js"></script>
"""
CLIENT = "browser-reconnecting-client"


def reader_folder(folder: Path, ports: Ports) -> Path:
    """The folder a reader builds: conftest.py, the client and its page."""
    write("browser-tests-conftest", folder, ports)
    write(CLIENT, folder, ports)
    (folder / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    return folder


def run_pytest(script: Path, *args: str) -> subprocess.CompletedProcess:
    chromium = require_tool("chromium", "the page's tests run in headless Chromium")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", script.name, *args],
        cwd=script.parent,
        env=python_env(CHROMIUM=chromium),
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_outcome(run: subprocess.CompletedProcess, outcome: str) -> None:
    """pytest's summary line must start with `outcome`, such as "4 passed" or "1 failed"."""
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    assert re.match(rf"{outcome}\b", summary), run.stdout + run.stderr


@exercises("browser-tests-conftest", "browser-tests-mocked-server")
def test_the_mocked_server_tests_pass_with_no_server_running(tmp_path):
    ports = Ports()  # nothing listens on the rewritten 8765: every socket must be routed
    reader_folder(tmp_path, ports)
    run = run_pytest(write("browser-tests-mocked-server", tmp_path, ports))
    assert run.returncode == 0, run.stdout + run.stderr
    assert_outcome(run, "4 passed")


BROKEN_CLIENTS = {
    "retries after 1008": (
        "const NO_RETRY_CODES = new Set([1008, 4001]);",
        "const NO_RETRY_CODES = new Set([4001]);",
        "test_a_policy_close_1008_is_final",
    ),
    "never gives up on silence": (
        "const HEARTBEAT_TIMEOUT_MS = 5000;",
        "const HEARTBEAT_TIMEOUT_MS = 60000;",
        "test_a_silent_server_is_dropped_after_15_plus_5_seconds",
    ),
}


@pytest.mark.parametrize("bug", BROKEN_CLIENTS)
def test_the_mocked_server_tests_catch_a_broken_client(tmp_path, bug):
    good, broken, catching_test = BROKEN_CLIENTS[bug]
    ports = Ports()
    client = reader_folder(tmp_path, ports) / "reconnecting-client.js"
    source = client.read_text(encoding="utf-8")
    assert source.count(good) == 1, f"the browser page's client no longer has {good!r}"
    client.write_text(source.replace(good, broken), encoding="utf-8")
    run = run_pytest(write("browser-tests-mocked-server", tmp_path, ports), "-k", catching_test)
    assert run.returncode == 1, run.stdout + run.stderr
    assert_outcome(run, "1 failed")
    assert f"FAILED test_mocked_server.py::{catching_test}" in run.stdout


@exercises("browser-tests-real-server")
def test_the_real_server_tests_pass_against_the_echo_server(tmp_path):
    ports = Ports()
    reader_folder(tmp_path, ports)
    script = write("browser-tests-real-server", tmp_path, ports)
    with start("intro-echo-server", tmp_path, ports):
        run = run_pytest(script)
    assert run.returncode == 0, run.stdout + run.stderr
    assert_outcome(run, "2 passed")


def test_the_real_server_tests_need_the_server(tmp_path):
    ports = Ports()
    reader_folder(tmp_path, ports)
    run = run_pytest(write("browser-tests-real-server", tmp_path, ports), "-x")  # one failure is proof enough
    assert run.returncode == 1, run.stdout + run.stderr
    assert_outcome(run, "1 failed")


@pytest.fixture
def served_client(tmp_path, static_server):
    """The reconnecting client and its page, served on 127.0.0.1; the Ports its URL uses."""
    ports = Ports()
    write(CLIENT, tmp_path, ports)
    (tmp_path / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    return f"{static_server}/index.html", ports


def mock_echo(ws) -> None:
    """A route that fakes an echo server: nothing reaches the network."""

    def answer(message):
        ws.send(message)

    ws.on_message(answer)


def pass_through(ws) -> None:
    """A route that connects to the real server and lets messages flow both ways."""
    ws.connect_to_server()


def websocket_events(browser, url: str, server_url: str, route) -> list[str]:
    """The URLs of the "websocket" events a page fires while its client makes one round trip."""
    page = browser.new_page()
    opened: list[str] = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    page.route_web_socket(server_url, route)
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.roundTrip === 'ok'", timeout=5_000)
    page.close()
    return opened


def test_mocked_sockets_fire_no_websocket_event_and_intercepted_ones_do(browser, served_client, tmp_path):
    url, ports = served_client
    server_url = f"ws://localhost:{ports[8765]}"
    with start("intro-echo-server", tmp_path, ports):
        assert websocket_events(browser, url, server_url, mock_echo) == []
        assert websocket_events(browser, url, server_url, pass_through) == [server_url + "/"]


def answer_from(folder: Path, route) -> None:
    """Fulfil a request for http://app.test/NAME with folder/NAME: same files, a public origin."""
    path = folder / route.request.url.rsplit("/", 1)[1]
    route.fulfill(path=path) if path.is_file() else route.fulfill(status=404)


def test_a_page_from_a_public_origin_cannot_open_localhost(browser, served_client, tmp_path):
    _url, ports = served_client
    page = browser.new_page()
    lines: list[str] = []
    page.on("console", lambda message: lines.append(message.text))
    page.route("http://app.test/**", lambda route: answer_from(tmp_path, route))
    is_close_line = lambda message: message.text.startswith("[ws] closed")  # noqa: E731
    # A server is there: only the page's origin stands in the way.
    with start("intro-echo-server", tmp_path, ports), page.expect_console_message(is_close_line, timeout=5_000) as closed:
        page.goto("http://app.test/index.html")
    page.close()
    assert closed.value.text == '[ws] closed: code=1006 reason="" clean=false'
    assert any("net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS" in line for line in lines), lines
