"""The browser page's reconnecting client pings only when the connection is quiet, and drops a
silent one at once instead of waiting for a close event.

The page says a busy connection never sends redundant pings, and that a frozen server (kill -STOP)
makes the client give up and reconnect. The client runs in headless Chromium with its timers
scaled down (15 s and 5 s become 400 ms and 300 ms); every heartbeat it sends is counted.
"""

from __future__ import annotations

import signal

import pytest
from harness import Ports, start, write

HEARTBEAT_EVERY_MS, HEARTBEAT_TIMEOUT_MS = 400, 300

COUNT_PINGS = """
window.sentPings = 0;
const pageSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  if (typeof data === "string" && JSON.parse(data).type === "ping") window.sentPings += 1;
  return pageSend.call(this, data);
};
"""

BUSY_FOR_TWO_SECONDS = """async () => {
  for (let i = 0; i < 20; i++) {
    await wsClient.roundTrip(`busy ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}"""


@pytest.fixture
def page(browser, static_server, tmp_path):
    """A page of the served folder that will load client.js, its heartbeats counted."""
    (tmp_path / "index.html").write_text('<!doctype html><title>heartbeat</title><script src="client.js"></script>')
    page = browser.new_page()
    page.add_init_script(COUNT_PINGS)
    page.site = f"{static_server}/index.html"
    yield page
    page.close()


def write_scaled_client(tmp_path, ports: Ports) -> None:
    script = write("browser-reconnecting-client", tmp_path, ports, name="client.js")
    source = script.read_text(encoding="utf-8")
    scaled = source.replace("HEARTBEAT_EVERY_MS = 15000;", f"HEARTBEAT_EVERY_MS = {HEARTBEAT_EVERY_MS};").replace(
        "HEARTBEAT_TIMEOUT_MS = 5000;", f"HEARTBEAT_TIMEOUT_MS = {HEARTBEAT_TIMEOUT_MS};"
    )
    assert scaled.count(f"= {HEARTBEAT_EVERY_MS};") == 1
    assert scaled.count(f"= {HEARTBEAT_TIMEOUT_MS};") == 1
    script.write_text(scaled, encoding="utf-8")


def pings_since_last_call(page) -> int:
    return page.evaluate("(() => { const n = window.sentPings; window.sentPings = 0; return n; })()")


def test_busy_connections_send_no_heartbeat_and_a_frozen_server_is_dropped(page, tmp_path):
    ports = Ports()
    write_scaled_client(tmp_path, ports)
    with start("intro-echo-server", tmp_path, ports) as server:
        try:
            page.goto(page.site)
            page.wait_for_function("document.documentElement.dataset.wsState === 'open'", timeout=10_000)
            pings_since_last_call(page)

            # Traffic every ~100 ms for two seconds: five heartbeat periods, and no heartbeat.
            page.evaluate(BUSY_FOR_TWO_SECONDS)
            assert pings_since_last_call(page) == 0

            # Quiet for three periods: the heartbeat starts, the echo answers, the socket stays.
            page.wait_for_timeout(3 * HEARTBEAT_EVERY_MS)
            assert pings_since_last_call(page) >= 2
            assert page.evaluate("wsClient.state") == "open"

            # A frozen server answers nothing: the client gives up within one period plus the
            # timeout (not after the browser's closing handshake timeout) and reconnects.
            with page.expect_console_message(lambda m: "dropping connection" in m.text, timeout=3_000):
                server.send_signal(signal.SIGSTOP)
            page.wait_for_function("document.documentElement.dataset.wsState !== 'open'", timeout=1_000)
            server.send_signal(signal.SIGCONT)
            page.wait_for_function("document.documentElement.dataset.wsState === 'open'", timeout=10_000)
            assert page.evaluate("wsClient.roundTrip('back')") >= 0
        finally:
            server.send_signal(signal.SIGCONT)
