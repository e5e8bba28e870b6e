"""Every Python example of the guide, run for real on 127.0.0.1: servers and clients against each other."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys

import pytest
from harness import Ports, exercises, python_env, require_tool, run_python, start, stop, write
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus


@pytest.fixture
def ports() -> Ports:
    return Ports()


def assert_pytest_passes(script, count: int) -> None:
    """Run a page's own pytest file, as its reader would, and expect every test to pass."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)],
        cwd=script.parent,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(rf"\b{count} passed\b", run.stdout), run.stdout


def lines(run: subprocess.CompletedProcess) -> list[str]:
    return run.stdout.strip().splitlines()


async def echo_round_trip(url: str) -> tuple:
    async with connect(url) as ws:
        await ws.send("Hello")
        text = await ws.recv()
        await ws.send(b"\x00\x01\xfe")
        data = await ws.recv()
        pong = await ws.ping()
        await asyncio.wait_for(pong, 5)
    return text, data, ws.close_code


@exercises("intro-echo-server")
def test_intro_echo_server_echoes_text_and_binary(tmp_path, ports):
    with start("intro-echo-server", tmp_path, ports):
        text, data, code = asyncio.run(echo_round_trip(f"ws://localhost:{ports[8765]}"))
    assert (text, data, code) == ("Hello", b"\x00\x01\xfe", 1000)


@exercises("proto-accept")
def test_accept_value_of_the_rfc_sample_key(tmp_path, ports):
    run = run_python(write("proto-accept", tmp_path, ports))
    assert lines(run) == ["s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]


@exercises("pyclient-asyncio", "pyclient-sync", "pyclient-websocket-client", "pyclient-aiohttp")
@pytest.mark.parametrize(
    ("client", "expected"),
    [
        ("pyclient-asyncio", ["echo: first", "echo: second", "echo: third"]),
        ("pyclient-sync", ["echo: alpha", "echo: beta", "echo: b'\\x00\\x01\\x02'", "closed with code 1000"]),
        ("pyclient-websocket-client", ["echo: one", "echo: two", "closed: code=1000 reason=None"]),
        ("pyclient-aiohttp", ["echo: hello from aiohttp", "echo: {'kind': 'greeting', 'n': 1}", "closed with code 1000"]),
    ],
)
def test_python_clients_against_the_echo_server(client, expected, tmp_path, ports):
    with start("intro-echo-server", tmp_path, ports):
        run = run_python(write(client, tmp_path, ports))
    assert lines(run) == expected


@exercises("h2ws-hypercorn-server", "h2ws-extended-connect-client")
def test_websocket_over_http2_with_extended_connect(tmp_path, ports):
    with start("h2ws-hypercorn-server", tmp_path, ports) as server:
        run = run_python(write("h2ws-extended-connect-client", tmp_path, ports))
    assert lines(run) == [
        "SETTINGS_ENABLE_CONNECT_PROTOCOL = 1: True",
        "status: 200",
        "received: echo: hello over one h2 stream",
        "closed with code 1000",
    ]
    assert "http_version: 2" in server.log
    assert "sec-websocket-key present: False" in server.log


@exercises("channels-asgi", "channels-consumer", "channels-communicator")
def test_channels_consumer_with_the_communicator(tmp_path, ports):
    for test_id in ("channels-asgi", "channels-consumer", "channels-communicator"):
        write(test_id, tmp_path, ports)
    run = run_python(tmp_path / "test_chat.py")
    assert lines(run)[-1] == "channels chat test passed"


@exercises("flask-sock-echo", "quart-echo", "flask-echo-client")
@pytest.mark.parametrize("server", ["flask-sock-echo", "quart-echo"])
def test_flask_and_quart_echo_servers(server, tmp_path, ports):
    with start(server, tmp_path, ports):
        run = run_python(write("flask-echo-client", tmp_path, ports))
    assert lines(run) == ["echo: hello", "closed: 1000 see you"]


@exercises("keepalive-server", "keepalive-client")
def test_keepalive_server_answers_messages_and_heartbeats(tmp_path, ports):
    with start("keepalive-server", tmp_path, ports):
        run = run_python(write("keepalive-client", tmp_path, ports))
    echo, heartbeat, timing = lines(run)
    assert (echo, heartbeat) == ("echo: hello", 'heartbeat: {"type": "pong"}')
    assert re.fullmatch(r"pong after \d+\.\d ms", timing)


@exercises("scale-graceful-shutdown")
def test_graceful_shutdown_closes_clients_with_1001(tmp_path, ports):
    async def client_sees_shutdown(server):
        async with connect(f"ws://localhost:{ports[8765]}") as ws:
            await ws.send("hello")
            assert await ws.recv() == "hello"
            server.send_signal(signal.SIGTERM)
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 15)
        return closed.value.rcvd

    with start("scale-graceful-shutdown", tmp_path, ports) as server:
        rcvd = asyncio.run(client_sees_shutdown(server))
        assert server.wait(15) == 0
    assert (rcvd.code, rcvd.reason) == (1001, "server shutting down")
    assert "shutdown complete" in server.log


async def subscribers(port: int, channel: str, count: int, timeout: float = 10) -> None:
    """Wait until ``count`` clients of the Redis server on ``port`` subscribe to ``channel``."""
    import redis.asyncio

    client = redis.asyncio.Redis(port=port)
    try:
        async with asyncio.timeout(timeout):
            while (await client.pubsub_numsub(channel))[0][1] < count:
                await asyncio.sleep(0.02)
    finally:
        await client.aclose()


@exercises("scale-redis-fanout")
def test_redis_fanout_reaches_clients_of_every_process(tmp_path, ports):
    redis_server = require_tool("redis-server", "the fan-out example publishes through Redis")
    redis_port = ports[8080]  # any free port will do for Redis
    redis = subprocess.Popen(
        [redis_server, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        env = python_env(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", WS_CHANNEL="chat")
        first = start("scale-redis-fanout", tmp_path, ports, env={**env, "WS_PORT": str(ports[8765])})
        second = start(
            "scale-redis-fanout", tmp_path, ports, port=8766, env={**env, "WS_PORT": str(ports[8766])}, name="fanout_2.py"
        )
        with first, second:

            async def fan_out():
                async with connect(f"ws://localhost:{ports[8765]}") as a, connect(f"ws://localhost:{ports[8766]}") as b:
                    await subscribers(redis_port, "chat", 2)
                    await a.send("hello")
                    received = await asyncio.wait_for(a.recv(), 10), await asyncio.wait_for(b.recv(), 10)
                    # Bytes that are not UTF-8 are refused, and every process keeps relaying.
                    async with connect(f"ws://localhost:{ports[8765]}") as c:
                        await c.send(b"\xff\xfe")
                        with pytest.raises(ConnectionClosed) as refused:
                            await asyncio.wait_for(c.recv(), 10)
                    await a.send("still here")
                    after = await asyncio.wait_for(a.recv(), 10), await asyncio.wait_for(b.recv(), 10)
                return received, refused.value.rcvd.code, after

            assert asyncio.run(fan_out()) == (("hello", "hello"), 1003, ("still here", "still here"))
    finally:
        stop(redis)


@exercises("security-first-message-auth", "security-auth-client")
def test_security_server_rejects_foreign_origins_and_bad_tokens(tmp_path, ports):
    with start("security-first-message-auth", tmp_path, ports):
        run = run_python(write("security-auth-client", tmp_path, ports))

        async def foreign_origin():
            with pytest.raises(InvalidStatus) as refused:
                async with connect(f"ws://localhost:{ports[8765]}", origin="https://evil.example"):
                    pass
            return refused.value.response.status_code

        assert asyncio.run(foreign_origin()) == 403
    assert lines(run) == [
        "wrong origin: HTTP 403",
        "bad token: closed with 1008 (auth failed)",
        "good token: welcome",
        "too long: error",
        "valid chat: hello",
        "oversized: closed with 1009",
    ]


@exercises("testing-pytest-real-server")
def test_the_testing_pages_pytest_example_passes(tmp_path, ports):
    script = write("testing-pytest-real-server", tmp_path, ports)
    assert_pytest_passes(script, count=4)


@exercises("lib-server", "lib-sync-client")
def test_library_server_health_check_origins_and_echo(tmp_path, ports):
    with start("lib-server", tmp_path, ports) as server:
        run = run_python(write("lib-sync-client", tmp_path, ports))
        assert stop(server) == 0  # SIGTERM closes the server cleanly
    assert lines(run) == ["healthz: 200 OK", "received: echo: hello", "received: echo: bye", "rejected: 403"]
    assert "path=/chat" in server.log


@exercises("lib-broadcast", "lib-broadcast-client")
def test_broadcast_reaches_every_client_with_the_same_tick(tmp_path, ports):
    with start("lib-broadcast", tmp_path, ports):
        run = run_python(write("lib-broadcast-client", tmp_path, ports))
    assert lines(run)[-1] == "ok"
    assert sum(line.startswith("both clients got tick") for line in lines(run)) == 3


@exercises("asgi-raw-echo", "asgi-raw-client")
def test_raw_asgi_app_under_uvicorn(tmp_path, ports):
    with start("asgi-raw-echo", tmp_path, ports):
        run = run_python(write("asgi-raw-client", tmp_path, ports))
    assert lines(run) == ["text: hello", "bytes: b'\\x00\\x01\\x02'", "closed: 1000 goodbye"]


@exercises("asgi-fastapi-endpoint", "asgi-fastapi-testclient")
def test_fastapi_endpoint_passes_its_own_testclient_tests(tmp_path, ports):
    write("asgi-fastapi-endpoint", tmp_path, ports)
    script = write("asgi-fastapi-testclient", tmp_path, ports)
    assert_pytest_passes(script, count=4)


@exercises()
def test_fastapi_endpoint_refuses_foreign_origins_under_uvicorn(tmp_path, ports):
    with start("asgi-fastapi-endpoint", tmp_path, ports):

        async def handshake(origin):
            try:
                async with connect(f"ws://localhost:{ports[8765]}/ws/echo", origin=origin) as ws:
                    await ws.send("hi")
                    return json.loads(await ws.recv())
            except InvalidStatus as refused:
                return refused.response.status_code

        assert asyncio.run(handshake("http://localhost:8000")) == {"echo": "hi", "length": 2}
        assert asyncio.run(handshake("https://evil.example")) == 403


@exercises("asgi-denial-app", "asgi-denial-client")
def test_denial_response_reaches_the_client_as_401_and_429(tmp_path, ports):
    with start("asgi-denial-app", tmp_path, ports) as server:
        run = run_python(write("asgi-denial-client", tmp_path, ports))
    assert lines(run) == [
        "refused: HTTP 401 missing or expired ticket",
        "accepted: hello alice",
        "accepted: hello alice",
        "refused: HTTP 429 slow down",
    ]
    assert '"WebSocket /feed" 401' in server.log
    assert '"WebSocket /feed?ticket=t-123" 429' in server.log


@exercises()
def test_denial_response_under_starlettes_testclient(tmp_path, ports):
    """The page says TestClient raises WebSocketDenialResponse with the status, headers and body."""
    import importlib.util

    from starlette.testclient import TestClient, WebSocketDenialResponse

    spec = importlib.util.spec_from_file_location("denial_app", write("asgi-denial-app", tmp_path, ports))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    client = TestClient(module.app)
    with pytest.raises(WebSocketDenialResponse) as unauthorized, client.websocket_connect("/feed"):
        pass
    assert (unauthorized.value.status_code, unauthorized.value.text) == (401, "missing or expired ticket\n")
    assert unauthorized.value.headers["www-authenticate"] == 'Bearer realm="feed"'
    for _ in range(2):
        with client.websocket_connect("/feed?ticket=t-123") as websocket:
            assert websocket.receive_text() == "hello alice"
    with pytest.raises(WebSocketDenialResponse) as limited, client.websocket_connect("/feed?ticket=t-123"):
        pass
    assert (limited.value.status_code, limited.value.headers["retry-after"]) == (429, "60")
