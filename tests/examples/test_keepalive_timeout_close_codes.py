"""What the keepalive page's server logs when a peer stops answering Pings.

The page's server runs in this process with its ping values scaled down (15 s and 10 s become
0.4 s and 0.4 s); a raw TCP client completes the handshake and then ignores everything. The page
says: a Ping comes after ping_interval, a Close frame with 1011 after ping_interval +
ping_timeout, the log line names the 1011 that was sent, and close_code would have said 1006.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import importlib.util
import logging
import os
import struct

from harness import Ports, write

INTERVAL, TIMEOUT = 0.4, 0.4


def load_page_server(tmp_path, ports: Ports):
    """The page's keepalive_server.py as a module, with its ping values scaled down."""
    script = write("keepalive-server", tmp_path, ports)
    source = script.read_text(encoding="utf-8")
    scaled = source.replace("PING_INTERVAL = 15", f"PING_INTERVAL = {INTERVAL}").replace(
        "PING_TIMEOUT = 10", f"PING_TIMEOUT = {TIMEOUT}"
    )
    assert scaled.count(str(INTERVAL)) == 2, "the page no longer sets PING_INTERVAL = 15 and PING_TIMEOUT = 10"
    script.write_text(scaled, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("keepalive_server_under_test", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def read_frame(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    first, second = await reader.readexactly(2)
    assert not second & 0x80, "a server must not mask"
    length = second & 0x7F
    return first & 0x0F, await reader.readexactly(length)


async def open_when_listening(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    for _ in range(250):
        try:
            return await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.02)  # the server task has not bound its socket yet
    raise AssertionError(f"the page's server never listened on {port}")


async def silent_client(port: int) -> list[tuple[float, int, bytes]]:
    """Open a WebSocket, answer nothing, and note when each frame arrives; close on the server's EOF."""
    reader, writer = await open_when_listening(port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    assert (await reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 101")
    loop, frames = asyncio.get_running_loop(), []
    opened = loop.time()
    with contextlib.suppress(asyncio.IncompleteReadError):
        while True:
            opcode, payload = await read_frame(reader)
            frames.append((loop.time() - opened, opcode, payload))
    writer.close()
    return frames


async def run_session(module, port: int, closed_codes: list) -> list:
    page_handler = module.handler

    async def handler_noting_close_code(websocket):
        await page_handler(websocket)
        closed_codes.append((websocket.close_code, websocket.close_reason))

    module.handler = handler_noting_close_code  # main() looks the handler up when it runs
    server_task = asyncio.create_task(module.main())
    try:
        return await silent_client(port)
    finally:
        await asyncio.sleep(0.2)  # the handler logs once the TCP connection is gone
        server_task.cancel()  # the page's serve_forever() closes the server when cancelled
        with contextlib.suppress(asyncio.CancelledError):
            await server_task


def test_a_keepalive_timeout_sends_1011_logs_it_and_close_code_says_1006(tmp_path, caplog):
    ports = Ports()
    module = load_page_server(tmp_path, ports)
    closed_codes: list = []
    with caplog.at_level(logging.INFO):
        frames = asyncio.run(run_session(module, ports[8765], closed_codes))

    (ping_at, ping, _), (close_at, close, payload) = frames
    assert (ping, close) == (0x9, 0x8)
    assert INTERVAL * 0.8 < ping_at < INTERVAL + 0.3
    assert INTERVAL + TIMEOUT - 0.1 < close_at < INTERVAL + TIMEOUT + 0.5
    assert (struct.unpack("!H", payload[:2])[0], payload[2:]) == (1011, b"keepalive ping timeout")

    closed_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("closed ")]
    assert len(closed_lines) == 1
    assert closed_lines[0].endswith(": sent 1011 (internal error) keepalive ping timeout; no close frame received")
    assert closed_codes == [(1006, "")]
