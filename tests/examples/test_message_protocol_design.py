"""The message-protocol page: an envelope dispatcher with correlated replies, subprotocol
negotiation (Python clients and Chromium), and the JSON / MessagePack / Protobuf benchmark.

Servers run as the page prints them (ports rewritten); clients are real websockets clients or a
real browser, so each assertion is about what crosses the wire.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re

import pytest
from harness import Ports, exercises, run_python, start, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError, InvalidStatus


@pytest.fixture
def ports() -> Ports:
    return Ports()


def lines(run) -> list[str]:
    return run.stdout.strip().splitlines()


@exercises("msgproto-envelope-server", "msgproto-rpc-client")
def test_correlating_client_gets_replies_pushes_and_error_messages(tmp_path, ports):
    with start("msgproto-envelope-server", tmp_path, ports):
        run = run_python(write("msgproto-rpc-client", tmp_path, ports), timeout=30)
    assert lines(run) == [
        "event: chat hi",
        "reply: pong and chat.sent {'seq': 1}",
        "event: chat from a v1 client",
        "reply to v1: chat.sent {'seq': 2}",
        "error: unknown_type: no message type 'chat.edit'",
        "error: unsupported_version: chat.send v3; this server speaks v1, v2",
    ]


async def envelope_edge_cases(url: str) -> dict:
    seen = {}
    async with asyncio.timeout(10):
        async with connect(url) as ws:
            await ws.send(json.dumps({"type": "ping"}))  # the guide's browser heartbeat
            seen["heartbeat"] = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "chat.edit", "id": 5, "payload": {}}))
            seen["unknown"] = json.loads(await ws.recv())
            await ws.send("{not json")
            seen["bad_json"] = json.loads(await ws.recv())
            await ws.send('{"type": "ping", "id": NaN}')
            seen["nan"] = json.loads(await ws.recv())
            await ws.send(b"\x81\xa4type\xa4ping")  # MessagePack in a binary frame
            seen["binary"] = json.loads(await ws.recv())
            extra = {"room": "general", "text": "hi", "colour": "red"}  # a field this server does not know
            await ws.send(json.dumps({"type": "chat.send", "id": 6, "payload": extra}))
            replies = [json.loads(await ws.recv()) for _ in range(2)]  # the push and the reply
            seen["extra_field"] = next(r for r in replies if r.get("id") == 6)
            await ws.send(json.dumps({"type": "ping", "id": 7}))  # still open after all the errors
            seen["after_errors"] = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "chat.send", "payload": {"text": "x" * 20_000}}))
            with pytest.raises(ConnectionClosedError) as closed:
                await ws.recv()
            seen["oversized_close"] = closed.value.rcvd.code
    return seen


@exercises()
def test_dispatcher_answers_errors_and_keeps_the_socket_open(tmp_path, ports):
    with start("msgproto-envelope-server", tmp_path, ports):
        seen = asyncio.run(envelope_edge_cases(f"ws://127.0.0.1:{ports[8765]}"))
    assert seen["heartbeat"] == {"type": "pong"}
    assert seen["unknown"] == {
        "type": "error",
        "id": 5,
        "payload": {"code": "unknown_type", "message": "no message type 'chat.edit'"},
    }
    assert seen["bad_json"]["payload"]["code"] == "bad_message"
    assert "id" not in seen["bad_json"]
    assert seen["nan"]["payload"] == {"code": "bad_message", "message": "not valid JSON"}
    assert seen["binary"]["payload"]["message"] == "expected a text frame holding JSON"
    assert seen["extra_field"]["type"] == "chat.sent"
    assert seen["after_errors"] == {"type": "pong", "id": 7}
    assert seen["oversized_close"] == 1009  # max_size, before any parsing


async def negotiate(url: str, offer: list[str] | None) -> tuple:
    async with asyncio.timeout(10):
        try:
            async with connect(url, subprotocols=offer) as ws:
                hello = json.loads(await ws.recv())
                return ws.subprotocol, hello["payload"]["protocol"]
        except InvalidStatus as refused:
            return refused.response.status_code, bytes(refused.response.body).decode()


@exercises("msgproto-subprotocol-server")
def test_subprotocol_negotiation_prefers_v2_serves_legacy_and_refuses_unknown(tmp_path, ports):
    url = f"ws://127.0.0.1:{ports[8765]}"
    offers = {
        "both": ["chat.v2", "chat.v1"],
        "both_reversed": ["chat.v1", "chat.v2"],
        "v1_only": ["chat.v1"],
        "none": None,
        "unknown": ["chat.v3"],
    }
    with start("msgproto-subprotocol-server", tmp_path, ports):
        results = {name: asyncio.run(negotiate(url, offer)) for name, offer in offers.items()}
    assert results["both"] == ("chat.v2", "chat.v2")
    assert results["both_reversed"] == ("chat.v2", "chat.v2")  # the server's preference wins
    assert results["v1_only"] == ("chat.v1", "chat.v1")
    assert results["none"] == (None, "chat.v1")  # no header echoed, served as the legacy protocol
    status, body = results["unknown"]
    assert status == 400
    assert "no supported subprotocol; this server speaks chat.v2, chat.v1" in body


def browser_run(browser, base_url: str, script_name: str) -> tuple[list[str], list[str]]:
    """Load a page running the script; return its console.log lines and console errors."""
    page = browser.new_page()
    logs, errors = [], []
    page.on("console", lambda m: (logs if m.type == "log" else errors).append(m.text))
    with page.expect_console_message(lambda m: m.text.startswith("closed:"), timeout=10_000):
        page.goto(f"{base_url}/{script_name}.html")
    page.close()
    return logs, errors


def page_for(folder, script_name: str) -> None:
    (folder / f"{script_name}.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        f'<body><script src="{script_name}.js"></script></body></html>'
    )


@pytest.mark.browser
@exercises("msgproto-browser-subprotocol")
def test_browser_gets_chat_v2_and_fails_when_the_server_ignores_the_offer(browser, static_server, tmp_path, ports):
    write("msgproto-browser-subprotocol", tmp_path, ports, name="chat-client.js")
    page_for(tmp_path, "chat-client")
    with start("msgproto-subprotocol-server", tmp_path, ports):
        logs, _ = browser_run(browser, static_server, "chat-client")
    assert logs == ["subprotocol: chat.v2", "hello: chat.v2", "closed: 1000"]

    # The guide's echo server knows no subprotocols, so it answers without the header.
    with start("intro-echo-server", tmp_path, ports, name="echo_server.py"):
        logs, errors = browser_run(browser, static_server, "chat-client")
    assert logs == ["closed: 1006"]
    assert any("Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received" in e for e in errors), errors


@pytest.mark.browser
@exercises()
def test_browser_reports_a_refused_subprotocol_as_unexpected_response_code_400(browser, static_server, tmp_path, ports):
    (tmp_path / "blank.html").write_text('<!doctype html><html lang="en"><head><title>t</title></head></html>')
    with start("msgproto-subprotocol-server", tmp_path, ports):
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"{static_server}/blank.html")
        events = page.evaluate(
            """(url) => new Promise((resolve) => {
                const socket = new WebSocket(url, ["chat.v3"]);
                const events = [];
                socket.onopen = () => events.push("open");
                socket.onclose = (event) => resolve([...events, `close ${event.code}`]);
            })""",
            f"ws://127.0.0.1:{ports[8765]}/",
        )
        page.close()
    assert events == ["close 1006"]
    assert any("Error during WebSocket handshake: Unexpected response code: 400" in e for e in errors), errors


@pytest.mark.browser
@exercises()
def test_browser_receives_binary_as_blob_until_binary_type_changes(browser, static_server, tmp_path, ports):
    (tmp_path / "blank.html").write_text('<!doctype html><html lang="en"><head><title>t</title></head></html>')
    with start("intro-echo-server", tmp_path, ports, name="echo_server.py"):
        page = browser.new_page()
        page.goto(f"{static_server}/blank.html")
        kinds = page.evaluate(
            """(url) => new Promise((resolve, reject) => {
                const socket = new WebSocket(url);
                const kinds = [];
                setTimeout(() => reject(new Error("no echo")), 5000);
                socket.onopen = () => socket.send(new Uint8Array([1, 2]));
                socket.onmessage = (event) => {
                    kinds.push(Object.prototype.toString.call(event.data));
                    if (kinds.length === 1) {
                        socket.binaryType = "arraybuffer";
                        socket.send(new Uint8Array([3]));
                    } else {
                        socket.close(1000);
                        resolve(kinds);
                    }
                };
            })""",
            f"ws://127.0.0.1:{ports[8765]}/",
        )
        page.close()
    assert kinds == ["[object Blob]", "[object ArrayBuffer]"]


def load_module(path):
    spec = importlib.util.spec_from_file_location("bench_formats_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@exercises("msgproto-benchmark")
def test_benchmark_prints_every_format_and_round_trips_every_message(tmp_path, ports):
    script = write("msgproto-benchmark", tmp_path, ports)
    run = run_python(script, "--number", "20", "--repeat", "3", timeout=60)
    rows = {}
    for line in lines(run):
        match = re.fullmatch(r"(\w+)\s+(json|msgpack|protobuf\*?)\s+(\d+)\s+(\d+\.\d\d)\s+(\d+\.\d\d)", line)
        if match:
            rows[match[1], match[2]] = int(match[3])
    messages = ("chat", "tick", "heartbeat")
    formats = ("json", "msgpack", "protobuf", "protobuf*")
    assert set(rows) == {(m, f) for m in messages for f in formats}, run.stdout
    for message in messages:  # the page's size claims: protobuf < msgpack < json
        assert rows[message, "protobuf"] < rows[message, "msgpack"] < rows[message, "json"]

    # Independently of the script's own check: every codec gives back what it was given.
    bench = load_module(script)
    for name, original in bench.MESSAGES.items():
        for format_name, (prepare, encode, decode) in bench.CODECS.items():
            value = prepare(original)
            data = encode(value)
            assert isinstance(data, bytes)
            assert len(data) == rows[name, format_name]
            assert decode(data) == value, (name, format_name)
        assert bench.protobuf_decode(bench.protobuf_encode(original)) == original
        assert json.loads(bench.CODECS["json"][1](original)) == original
