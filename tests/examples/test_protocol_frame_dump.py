"""The protocol page's byte-by-byte dump: consistent in itself, and shaped like a real session.

The page prints the frames of one session between the first page's browser client and its echo
server. Masking keys are random, so the bytes of a new run differ; what must match is everything
else: direction and order, FIN/RSV bits, opcodes, mask bits, lengths and the unmasked close
payloads. A relay on 127.0.0.1 records the bytes between the echo server (websockets 17.4) and
two clients: websockets' own client offering compression as a browser does, and, when Chromium
is installed, the page's browser client itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import socket
import struct
import threading
import zlib
from collections.abc import Iterator

import pytest
from harness import Ports, example, exercises, start
from websockets.asyncio.client import connect
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

from guide.markdown.code_fences import iter_fences

#: A byte column of the dump: two-digit hex bytes, then two or more spaces, then the annotation.
HEX_COLUMN = re.compile(r"^ {2}((?:[0-9a-f]{2} )*[0-9a-f]{2})(?: {2,}(.*))?$")
DEFLATE_TAIL = b"\x00\x00\xff\xff"  # RFC 7692 section 7.2.1: stripped by the sender, restored here


@dataclasses.dataclass(frozen=True)
class Frame:
    direction: str  #: "client" or "server": who sent it
    fin: bool
    rsv: tuple[bool, bool, bool]
    opcode: int
    key: bytes | None  #: the masking key, None when not masked
    payload: bytes  #: as on the wire (still masked)
    notes: str = ""  #: the page's annotations, for the dump only

    @property
    def unmasked(self) -> bytes:
        if self.key is None:
            return self.payload
        return bytes(byte ^ self.key[i % 4] for i, byte in enumerate(self.payload))

    def shape(self) -> tuple:
        """What every run of the same session has in common (keys and masked bytes differ)."""
        close_payload = self.unmasked if self.opcode == 0x8 else None
        return (self.direction, self.fin, self.rsv, self.opcode, self.key is not None, len(self.payload), close_payload)


def parse_frames(data: bytes, direction: str) -> list[Frame]:
    """Split a byte stream after the handshake into frames (RFC 6455 section 5.2)."""
    frames, at = [], 0
    while at < len(data):
        first, second = data[at], data[at + 1]
        length, at = second & 0x7F, at + 2
        if length == 126:
            (length,), at = struct.unpack("!H", data[at : at + 2]), at + 2
        elif length == 127:
            (length,), at = struct.unpack("!Q", data[at : at + 8]), at + 8
        key = None
        if second & 0x80:
            key, at = data[at : at + 4], at + 4
        payload, at = data[at : at + length], at + length
        assert len(payload) == length, f"{direction} stream ends inside a frame"
        rsv = (bool(first & 0x40), bool(first & 0x20), bool(first & 0x10))
        frames.append(Frame(direction, bool(first & 0x80), rsv, first & 0x0F, key, payload))
    return frames


def page_frames() -> list[Frame]:
    """The frames the page prints, rebuilt from its hex column; each title line starts a frame."""
    frames, direction, data, notes = [], None, b"", []

    def flush():
        if direction is not None:
            (frame,) = parse_frames(data, direction)
            frames.append(dataclasses.replace(frame, notes="\n".join(notes)))

    for line in example("proto-frame-dump").code.splitlines():
        if line.startswith(("Client -> server", "Server -> client")):
            flush()
            direction, data, notes = ("client" if line.startswith("Client") else "server"), b"", [line]
        elif match := HEX_COLUMN.match(line):
            data += bytes.fromhex(match[1])
            notes.append(match[2] or "")
        else:
            assert not line.strip(), f"unexpected line in the dump: {line!r}"
    flush()
    return frames


def inflate(payload: bytes) -> bytes:
    return zlib.decompressobj(-15).decompress(payload + DEFLATE_TAIL)


def close_fields(payload: bytes) -> tuple[int, str]:
    return struct.unpack("!H", payload[:2])[0], payload[2:].decode("utf-8")


@exercises("proto-frame-dump")
def test_the_printed_dump_is_consistent_in_itself():
    client_text, server_text, client_close, server_close = page_frames()
    assert [f.direction for f in page_frames()] == ["client", "server", "client", "server"]
    assert [(f.opcode, f.fin) for f in page_frames()] == [(0x1, True), (0x1, True), (0x8, True), (0x8, True)]
    # Compressed text messages carry RSV1; control frames are never compressed.
    assert (client_text.rsv, server_text.rsv) == ((True, False, False), (True, False, False))
    assert (client_close.rsv, server_close.rsv) == ((False, False, False), (False, False, False))
    # Clients mask every frame with a new key; servers never mask.
    assert client_text.key is not None
    assert client_close.key is not None
    assert client_text.key != client_close.key
    assert server_text.key is None
    assert server_close.key is None
    assert inflate(client_text.unmasked) == inflate(server_text.payload) == b"Hello"
    assert close_fields(client_close.unmasked) == close_fields(server_close.payload) == (1000, "done")


def test_the_annotations_state_the_bytes_they_sit_next_to():
    for frame in page_frames():
        assert f"opcode=0x{frame.opcode:x}" in frame.notes
        assert f"RSV1={int(frame.rsv[0])}" in frame.notes
        assert f"MASK={int(frame.key is not None)}, payload len={len(frame.payload)}" in frame.notes


class Relay:
    """A TCP relay on 127.0.0.1 that records every byte it forwards, per direction."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.sent = {"client": bytearray(), "server": bytearray()}
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.spawn(self.accept_one)

    def spawn(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def accept_one(self):
        downstream, _ = self.listener.accept()
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        self.spawn(self.pump, downstream, upstream, "client")
        self.spawn(self.pump, upstream, downstream, "server")

    def pump(self, source: socket.socket, target: socket.socket, direction: str):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                self.sent[direction] += data
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def close(self):
        self.listener.close()
        for thread in self.threads[1:]:
            thread.join(10)

    def handshake(self, direction: str) -> dict[str, str]:
        head = bytes(self.sent[direction]).split(b"\r\n\r\n", 1)[0].decode("ascii")
        return {name.lower(): value for name, _, value in (line.partition(": ") for line in head.splitlines()[1:])}

    def frames(self, direction: str) -> list[Frame]:
        return parse_frames(bytes(self.sent[direction]).split(b"\r\n\r\n", 1)[1], direction)

    def session(self) -> list[Frame]:
        """Both directions in the order of this request-reply session: client, server, client, server."""
        client, server = self.frames("client"), self.frames("server")
        return [frame for pair in zip(client, server, strict=True) for frame in pair]


@contextlib.contextmanager
def relayed_echo_server(tmp_path) -> Iterator[Relay]:
    """The first page's echo server, and a relay in front of it on the port the client will use."""
    ports = Ports()
    with start("intro-echo-server", tmp_path, ports):
        relay = Relay(ports[8765])
        try:
            yield relay
        finally:
            relay.close()


def handshake_extensions() -> tuple[str, str]:
    """The Sec-WebSocket-Extensions offer and answer of the page's printed handshake."""
    for fence in iter_fences(example("proto-frame-dump").source.read_text(encoding="utf-8")):
        values = re.findall(r"^Sec-WebSocket-Extensions: (.*)$", fence.code, re.MULTILINE)
        if len(values) == 2:
            return values[0], values[1]
    pytest.fail("the protocol page no longer prints a handshake with Sec-WebSocket-Extensions")


async def browser_like_session(url: str) -> None:
    """What the page's client.js does, from Python: the browser's offer, "Hello", close(1000, "done")."""
    # ClientPerMessageDeflateFactory() offers "permessage-deflate; client_max_window_bits", as Chromium does.
    async with connect(url, extensions=[ClientPerMessageDeflateFactory()], compression=None) as ws:
        await ws.send("Hello")
        assert await ws.recv() == "Hello"
        await ws.close(1000, "done")


def shapes(frames: list[Frame]) -> list[tuple]:
    return [frame.shape() for frame in frames]


def test_a_python_client_that_offers_what_a_browser_offers_produces_the_same_frames(tmp_path):
    with relayed_echo_server(tmp_path) as relay:
        asyncio.run(browser_like_session(f"ws://127.0.0.1:{relay.port}"))
    offer, answer = handshake_extensions()
    assert relay.handshake("client")["sec-websocket-extensions"] == offer
    assert relay.handshake("server")["sec-websocket-extensions"] == answer
    captured = relay.session()
    assert shapes(captured) == shapes(page_frames())
    assert inflate(captured[0].unmasked) == inflate(captured[1].payload) == b"Hello"


def test_the_page_browser_client_in_chromium_produces_the_printed_frames(browser, static_server, tmp_path):
    with relayed_echo_server(tmp_path) as relay:
        # The page's client.js, pointed at the relay instead of the server.
        script = example("intro-browser-client").code.replace("8765", str(relay.port))
        (tmp_path / "client.js").write_text(script, encoding="utf-8")
        (tmp_path / "index.html").write_text('<!doctype html><title>dump</title><script src="client.js"></script>')
        page = browser.new_page()
        with page.expect_console_message(lambda m: m.text.startswith("Closed with code"), timeout=10_000):
            page.goto(f"{static_server}/index.html")
        page.close()
    offer, answer = handshake_extensions()
    assert relay.handshake("client")["sec-websocket-extensions"] == offer
    assert relay.handshake("server")["sec-websocket-extensions"] == answer
    captured = relay.session()
    assert shapes(captured) == shapes(page_frames())
    assert captured[0].key != captured[2].key
    assert inflate(captured[0].unmasked) == b"Hello"
