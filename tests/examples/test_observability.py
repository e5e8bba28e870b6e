"""The observability page's server: its metrics and its per-connection logs, scraped for real.

The page's observed_server.py runs as a subprocess with its ping interval cut from 20 s to 0.2 s.
Five websockets clients exchange a few messages, wait together long enough for some keepalive
pings, and end in five ways: close codes 1000, 1001, 4000 and 4999, and a TCP abort without a
Close frame. One plain HTTP request is refused. The test scrapes the Prometheus endpoint while
the clients are connected and after they leave, and reads the JSON log lines the server wrote.
"""

from __future__ import annotations

import asyncio
import collections
import json
import sys
import time
import urllib.error
import urllib.request

import pytest
from harness import Ports, exercises, running, write
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import connect

#: How each client ends its session, and how many messages it sends first.
SESSIONS = {1000: 3, 1001: 1, 4000: 2, 4999: 1, "abort": 1}
SCALED_INTERVAL = 0.2


@pytest.fixture
def ports() -> Ports:
    return Ports()


def scrape(port: int) -> dict[tuple[str, frozenset], float]:
    """The metrics endpoint as {(sample name, labels): value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def by_label(metrics: dict, name: str, label: str) -> dict[str, float]:
    return {dict(labels)[label]: value for (sample, labels), value in metrics.items() if sample == name}


async def client(url: str, ending, sent: int, together: asyncio.Barrier, leave: asyncio.Event) -> None:
    async with connect(url) as ws:
        for n in range(sent):
            await ws.send(json.dumps({"type": "ping"} if n == 0 else {"type": "chat", "n": n}))
            reply = json.loads(await ws.recv())
            assert reply == ({"type": "pong"} if n == 0 else {"type": "chat", "n": n})
        await together.wait()
        await leave.wait()
        if ending == "abort":
            ws.transport.abort()  # no Close frame: the server must count 1006
        else:
            await ws.close(ending)


async def sessions(ports: Ports) -> dict:
    """Run the five clients; scrape once while all are open and pings have had time to run."""
    url = f"ws://127.0.0.1:{ports[8765]}/"
    together, leave = asyncio.Barrier(len(SESSIONS) + 1), asyncio.Event()
    async with asyncio.timeout(15):
        tasks = [asyncio.create_task(client(url, end, n, together, leave)) for end, n in SESSIONS.items()]
        await together.wait()
        await asyncio.sleep(4 * SCALED_INTERVAL)  # a few keepalive rounds, and a few samples
        while_open = await asyncio.to_thread(scrape, ports[8766])
        leave.set()
        await asyncio.gather(*tasks)
    return while_open


def scrape_when_all_closed(port: int) -> dict:
    """The server counts a close after the client has gone; poll a bounded number of times."""
    for _ in range(50):
        metrics = scrape(port)
        if sum(by_label(metrics, "ws_closes_total", "code").values()) >= len(SESSIONS):
            return metrics
        time.sleep(0.1)
    return metrics


def scaled_server(tmp_path, ports: Ports):
    script = write("obs-server", tmp_path, ports)
    source = script.read_text(encoding="utf-8")
    scaled = source.replace("PING_INTERVAL = 20  #", f"PING_INTERVAL = {SCALED_INTERVAL}  #")
    assert scaled != source, "the page's server no longer sets PING_INTERVAL = 20"
    script.write_text(scaled, encoding="utf-8")
    return running([sys.executable, str(script)], ports[8765], tmp_path)


@exercises("obs-server")
def test_metrics_and_connection_logs_of_the_observed_server(tmp_path, ports):
    with scaled_server(tmp_path, ports) as server:
        while_open = asyncio.run(sessions(ports))
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{ports[8765]}/", timeout=5)
        refused.value.close()  # an open response would hold the server's shutdown for 10 s
        after = scrape_when_all_closed(ports[8766])

    # The gauge counted every client, then came back to zero.
    assert while_open[("ws_open_connections", frozenset())] == len(SESSIONS)
    assert after[("ws_open_connections", frozenset())] == 0
    # One counter per close code; the unknown private code is filed under "other".
    assert by_label(after, "ws_closes_total", "code") == {"1000": 1, "1001": 1, "4000": 1, "other": 1, "1006": 1}
    assert refused.value.code == 426
    assert by_label(after, "ws_handshakes_total", "status") == {"101": len(SESSIONS), "426": 1}
    messages = sum(SESSIONS.values())
    assert by_label(after, "ws_messages_total", "direction") == {"in": messages, "out": messages}
    assert after[("ws_message_handling_seconds_count", frozenset())] == messages
    # websocket.latency was measured by the keepalive pings and sampled.
    rtt_count = after[("ws_ping_rtt_seconds_count", frozenset())]
    assert rtt_count >= len(SESSIONS)
    assert 0 < after[("ws_ping_rtt_seconds_sum", frozenset())] / rtt_count < 0.5
    assert -0.01 < after[("ws_event_loop_lag_seconds", frozenset())] < 1

    # Every line is JSON; the lines of one connection share its id, and each id is one session.
    records = [json.loads(line) for line in server.log.splitlines()]
    by_connection = collections.defaultdict(list)
    for record in records:
        if "conn" in record:
            by_connection[record["conn"]].append(record["msg"])
    sessions_seen = {}
    for lines in by_connection.values():
        ends = [line for line in lines if line.startswith("session end")]
        if not ends:  # the refused HTTP request, or the harness's TCP probe for the port
            assert lines[0].startswith("connection rejected (426") or lines == ["connection closed"], lines
            continue
        assert len(ends) == 1, lines
        assert lines.count("connection open") == 1, lines
        assert "connection closed" in lines, lines
        fields = dict(pair.split("=") for pair in ends[0].split()[2:])
        sessions_seen[int(fields["code"])] = (int(fields["in"]), int(fields["out"]))
    expected = {(1006 if end == "abort" else end): (n, n) for end, n in SESSIONS.items()}
    assert sessions_seen == expected
    assert any(lines[0].startswith("connection rejected (426") for lines in by_connection.values())
