"""Every tested JavaScript block passes `node --check`; browser clients run in headless Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from harness import Ports, all_examples, exercises, require_tool, start, write

JS_IDS = sorted(test_id for test_id, ex in all_examples().items() if ex.lang == "javascript")
exercises(*JS_IDS)  # each passes node --check; the ones below also run in a browser


@pytest.mark.parametrize("test_id", JS_IDS)
def test_javascript_block_passes_node_check(test_id, tmp_path):
    node = require_tool("node", "JavaScript examples are checked with node --check")
    script = write(test_id, tmp_path, Ports(), name=f"{test_id}.js")
    check = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def page_loading(tmp_path: Path, script: str) -> str:
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>example</title></head>'
        f'<body><script src="{script}"></script></body></html>'
    )
    return "index.html"


def test_intro_browser_client_echoes_and_closes(browser, static_server, tmp_path):
    ports = Ports()
    write("intro-browser-client", tmp_path, ports, name="client.js")
    with start("intro-echo-server", tmp_path, ports):
        page = browser.new_page()
        messages = []
        page.on("console", lambda message: message.type == "log" and messages.append(message.text))
        # The close is logged last: wait for it rather than for a fixed time.
        with page.expect_console_message(lambda m: m.text.startswith("Closed with code"), timeout=10_000):
            page.goto(f"{static_server}/{page_loading(tmp_path, 'client.js')}")
        assert "Echoed: Hello" in page.inner_text("body")
        page.close()
    assert messages[:2] == ["Echoed: Hello", "Closed with code 1000"]


def test_reconnecting_client_round_trips_and_stops_cleanly(browser, static_server, tmp_path):
    ports = Ports()
    write("browser-reconnecting-client", tmp_path, ports, name="reconnecting-client.js")
    with start("intro-echo-server", tmp_path, ports):
        page = browser.new_page()
        page.goto(f"{static_server}/{page_loading(tmp_path, 'reconnecting-client.js')}")
        page.wait_for_function("document.documentElement.dataset.wsState === 'open'", timeout=10_000)
        milliseconds = page.evaluate("wsClient.roundTrip('x')")
        assert isinstance(milliseconds, (int, float))
        assert milliseconds >= 0
        page.evaluate("wsClient.stop()")
        page.wait_for_function("wsClient.state === 'closed'", timeout=5_000)
        page.close()


def test_reconnecting_client_comes_back_after_the_server_restarts(browser, static_server, tmp_path):
    ports = Ports()
    write("browser-reconnecting-client", tmp_path, ports, name="reconnecting-client.js")
    page = browser.new_page()
    with start("intro-echo-server", tmp_path, ports):
        page.goto(f"{static_server}/{page_loading(tmp_path, 'reconnecting-client.js')}")
        page.wait_for_function("document.documentElement.dataset.wsState === 'open'", timeout=10_000)
    page.wait_for_function("document.documentElement.dataset.wsState !== 'open'", timeout=10_000)
    with start("intro-echo-server", tmp_path, ports):
        page.wait_for_function("document.documentElement.dataset.wsState === 'open'", timeout=40_000)
        assert page.evaluate("wsClient.roundTrip('again')") >= 0
    page.close()


def test_eventsource_and_websocket_helpers_load_in_a_page(browser, static_server, tmp_path):
    write("why-eventsource-vs-websocket", tmp_path, Ports(), name="subscribe.js")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{static_server}/{page_loading(tmp_path, 'subscribe.js')}")
    kinds = page.evaluate("[typeof followTicksWithSSE, typeof followTicksWithWebSocket]")
    page.close()
    assert (kinds, errors) == (["function", "function"], [])
