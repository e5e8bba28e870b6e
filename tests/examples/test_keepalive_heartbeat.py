"""The keepalive page's heartbeat.js, run in headless Chromium against the page's own server.

The page says: the client sends {"type": "ping"} after a quiet period, the server answers
{"type": "pong"}, an answered heartbeat keeps the socket, and a frozen server (kill -STOP) is
given up on after the quiet period plus the timeout, without waiting for a close event. The
timers are passed scaled down (15 s and 5 s become 300 ms and 300 ms).
"""

from __future__ import annotations

import signal

import pytest
from harness import Ports, exercises, start, write

exercises("keepalive-heartbeat")

IDLE_MS, TIMEOUT_MS = 300, 300

# What a reader's page would add: open a socket, start the heartbeat, note what happens.
PAGE_SCRIPT = f"""
window.events = [];
const socket = new WebSocket("ws://127.0.0.1:8765");
socket.addEventListener("open", () => {{
  events.push("open");
  startHeartbeat(socket, () => events.push("dead at " + socket.readyState), {IDLE_MS}, {TIMEOUT_MS});
}});
socket.addEventListener("message", (event) => events.push("message " + event.data));
"""


@pytest.fixture
def page(browser, static_server, tmp_path):
    ports = Ports()
    write("keepalive-heartbeat", tmp_path, ports)
    (tmp_path / "page.js").write_text(ports.rewrite(PAGE_SCRIPT))
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>heartbeat</title><script src="heartbeat.js"></script><script src="page.js"></script>'
    )
    page = browser.new_page()
    page.ports = ports
    page.site = f"{static_server}/index.html"
    yield page
    page.close()


def events(page) -> list[str]:
    return page.evaluate("window.events")


def test_answered_heartbeats_keep_the_socket_and_a_frozen_server_is_dropped(page, tmp_path):
    with start("keepalive-server", tmp_path, page.ports) as server:
        try:
            page.goto(page.site)
            page.wait_for_function("window.events.includes('open')", timeout=10_000)

            # Quiet for four periods: each ping is answered with the JSON pong, nothing dies.
            page.wait_for_timeout(4 * (IDLE_MS + 50))
            seen = events(page)
            assert seen.count('message {"type": "pong"}') >= 2, seen
            assert not [event for event in seen if event.startswith("dead")], seen

            # Frozen: no answer, so onDead runs after one quiet period plus the timeout, while the
            # socket is still OPEN (1): the close event of a half-open link would come much later.
            server.send_signal(signal.SIGSTOP)
            page.wait_for_function("window.events.some((e) => e.startsWith('dead'))", timeout=IDLE_MS + TIMEOUT_MS + 1_000)
            assert [event for event in events(page) if event.startswith("dead")] == ["dead at 1"]
        finally:
            server.send_signal(signal.SIGCONT)
