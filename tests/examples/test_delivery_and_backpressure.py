"""The delivery page's examples: a feed that resumes across a dropped connection, and per-client buffers for slow consumers.

The feed runs for real: a redis-server on a free port, the page's feed_server.py in a subprocess, and
the page's client in this process behind a small TCP proxy that can cut the connection and hold the
client off while events keep being published. The slow-consumer server runs in this process with
small socket buffers, so that a client that stops reading fills them within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import itertools
import json
import socket
import subprocess
import sys
import time

import pytest
from harness import Ports, exercises, free_port, python_env, require_tool, running, stop, wait_for_port, write
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

STREAM = "feed"


@pytest.fixture
def ports() -> Ports:
    return Ports()


@pytest.fixture
def redis_port(tmp_path):
    """A throwaway redis-server on a free port, without persistence."""
    redis_server = require_tool("redis-server", "the resumable feed keeps its events in a Redis Stream")
    port = free_port()
    process = subprocess.Popen(
        [redis_server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


def load(test_id: str, folder, ports: Ports, module_name: str):
    """A page's example as a module of this process (its ports rewritten)."""
    script = write(test_id, folder, ports)
    spec = importlib.util.spec_from_file_location(module_name, script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CuttableProxy:
    """A TCP proxy that can drop every connection at once and hold new ones until reopened."""

    def __init__(self, target_port: int):
        self.target_port = target_port
        self.open = asyncio.Event()
        self.open.set()
        self.connections = 0
        self.transports: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self.accept, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def accept(self, client_reader, client_writer):
        await self.open.wait()  # a client that connects during an outage waits here
        self.connections += 1
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.transports += [client_writer, server_writer]
        await asyncio.gather(self.pipe(client_reader, server_writer), self.pipe(server_reader, client_writer))

    @staticmethod
    async def pipe(reader, writer):
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    def cut(self) -> None:
        """Drop every connection without a Close frame (the client sees 1006) and refuse to forward new ones."""
        self.open.clear()
        for writer in self.transports:
            writer.transport.abort()
        self.transports.clear()

    async def close(self) -> None:
        self.server.close()
        await self.server.wait_closed()


async def newest_n(redis_port: int) -> int:
    import redis.asyncio as redis

    db = redis.Redis(port=redis_port, decode_responses=True)
    try:
        newest = await db.xrevrange(STREAM, count=1)
        return int(newest[0][1]["n"]) if newest else 0
    finally:
        await db.aclose()


async def wait_until(predicate, timeout: float, what: str) -> None:
    """Poll ``predicate`` (a function, or a coroutine function) until it is true, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        assert time.monotonic() < deadline, f"timed out after {timeout} s waiting for {what}"
        await asyncio.sleep(0.02)


def stream_id(text: str) -> tuple[int, int]:
    ms, seq = text.split("-")
    return int(ms), int(seq)


@contextlib.contextmanager
def feed_server(tmp_path, ports: Ports, redis_port: int):
    script = write("delivery-feed-server", tmp_path, ports)
    env = python_env(REDIS_URL=f"redis://127.0.0.1:{redis_port}/0")
    with running([sys.executable, str(script)], ports[8765], tmp_path, env) as process:
        yield process
    assert "connection handler failed" not in process.log, process.log
    assert "Traceback" not in process.log, process.log


async def follow_until(client, events: list, resets: list, count: int, timeout: float, last_id=None) -> asyncio.Task:
    """Run the page's follow() until ``count`` events arrived; return the still-running task."""
    task = asyncio.create_task(client.follow(events.append, lambda: resets.append(len(events)), last_id))

    async def enough():
        assert not task.done(), task.exception()
        return len(events) >= count

    await wait_until(enough, timeout, f"{count} events")
    return task


async def cancel(task: asyncio.Task) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def resume_across_a_cut(client, server_port: int, redis_port: int):
    proxy = CuttableProxy(server_port)
    client.URL = f"ws://localhost:{await proxy.start()}/"  # follow() reads URL on each connect
    events, resets = [], []
    task = await follow_until(client, events, resets, 15, timeout=10)
    proxy.cut()
    seen_before_cut = events[-1]["n"]

    async def published_while_away():
        return await newest_n(redis_port) >= seen_before_cut + 10

    await wait_until(published_while_away, 10, "10 events published during the outage")
    proxy.open.set()
    await wait_until(lambda: len(events) >= 60, 10, "60 events in all")
    await cancel(task)
    await proxy.close()
    return events, resets, seen_before_cut, proxy.connections


@exercises("delivery-feed-server", "delivery-feed-client")
def test_the_feed_resumes_after_a_dropped_connection_without_gap_or_duplicate(tmp_path, ports, redis_port):
    client = load("delivery-feed-client", tmp_path, ports, "feed_client_under_test")
    with feed_server(tmp_path, ports, redis_port):
        events, resets, seen_before_cut, connections = asyncio.run(resume_across_a_cut(client, ports[8765], redis_port))

    numbers = [event["n"] for event in events]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), f"gap or duplicate: {numbers}"
    ids = [stream_id(event["id"]) for event in events]
    assert ids == sorted(set(ids)), "stream ids must strictly increase"
    assert connections == 2, "exactly one reconnect"
    assert resets == []
    # Events seen_before_cut + 1 to + 10 were all published while the proxy held the client off.
    assert numbers[0] <= seen_before_cut
    assert numbers[-1] >= seen_before_cut + 10


async def reset_after_trimming(client, server_port: int, redis_port: int):
    import redis.asyncio as redis

    client.URL = f"ws://localhost:{server_port}/"
    first, resets = [], []
    task = await follow_until(client, first, resets, 5, timeout=10)
    await cancel(task)
    last_seen = first[-1]

    db = redis.Redis(port=redis_port, decode_responses=True)
    try:

        async def moved_on():
            return await newest_n(redis_port) >= last_seen["n"] + 20

        await wait_until(moved_on, 10, "20 more events")
        await db.xtrim(STREAM, maxlen=5, approximate=False)  # the client's position is gone
    finally:
        await db.aclose()

    second = []
    task = await follow_until(client, second, resets, 10, timeout=10, last_id=last_seen["id"])
    await cancel(task)
    return last_seen, second, resets


@exercises("delivery-feed-server", "delivery-feed-client")
def test_a_client_whose_position_was_trimmed_gets_one_reset_then_live_events(tmp_path, ports, redis_port):
    client = load("delivery-feed-client", tmp_path, ports, "feed_client_under_test")
    with feed_server(tmp_path, ports, redis_port):
        last_seen, second, resets = asyncio.run(reset_after_trimming(client, ports[8765], redis_port))

    assert resets == [0], "one reset, before any event of the new connection"
    numbers = [event["n"] for event in second]
    assert numbers[0] > last_seen["n"] + 20, "the trimmed events are not replayed"
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def small_buffer_socket(option: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, option, 4096)
    return sock


async def slow_and_fast_clients(module):
    published: list[tuple[float, int]] = []
    page_publish = module.publish

    def publish_and_record(message):
        page_publish(message)
        published.append((time.monotonic(), json.loads(message)["seq"]))

    module.publish = publish_and_record  # produce() looks publish() up on every call

    listener = small_buffer_socket(socket.SO_SNDBUF)  # accepted sockets inherit the small send buffer
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    async with serve(module.handler, sock=listener, write_limit=1024):
        producer = asyncio.create_task(module.produce())
        slow_sock = small_buffer_socket(socket.SO_RCVBUF)
        slow_sock.connect(("127.0.0.1", port))
        fast_seqs, slow_seqs = [], []
        async with (
            connect(f"ws://127.0.0.1:{port}") as fast,
            connect(f"ws://127.0.0.1:{port}", sock=slow_sock, max_queue=4) as slow,
        ):

            async def read(websocket, into):
                async for message in websocket:
                    into.append(json.loads(message)["seq"])

            fast_reader = asyncio.create_task(read(fast, fast_seqs))
            # The slow client reads nothing until its queue is full, then for half a second more,
            # so that the queue drops its oldest messages.
            await wait_until(lambda: module.QUEUE_SIZE in [q.qsize() for q in module.QUEUES], 15, "a full queue")
            await asyncio.sleep(0.5)
            newest_at_resume = published[-1][1]
            slow_reader = asyncio.create_task(read(slow, slow_seqs))
            await asyncio.sleep(1.0)
            await cancel(producer)
            last_published = published[-1][1]
            await wait_until(lambda: slow_seqs[-1:] == fast_seqs[-1:] == [last_published], 5, "both clients to catch up")
            await cancel(fast_reader)
            await cancel(slow_reader)
    return published, fast_seqs, slow_seqs, newest_at_resume


@exercises("delivery-drop-oldest")
def test_a_stalled_client_loses_the_oldest_messages_while_the_producer_and_others_keep_going(tmp_path, ports):
    module = load("delivery-drop-oldest", tmp_path, ports, "ticker_queues_under_test")
    published, fast, slow, newest_at_resume = asyncio.run(slow_and_fast_clients(module))

    # The producer never waited: it kept publishing through the stall at its own pace.
    times = [at for at, _ in published]
    assert max(b - a for a, b in itertools.pairwise(times)) < 0.5
    # The reading client got every message, in order.
    assert fast == list(range(fast[0], fast[-1] + 1))
    # The stalled one: what its buffers held, a gap, then the newest messages and the live feed.
    gaps = [(a, b) for a, b in itertools.pairwise(slow) if b != a + 1]
    assert gaps, "the full queue dropped messages"
    assert all(b > a for a, b in itertools.pairwise(slow)), "no duplicate, no reordering"
    resumed_at = gaps[0][1]
    assert resumed_at >= newest_at_resume - module.QUEUE_SIZE + 1, "only messages that were among the newest survive"
    assert slow[-1] == published[-1][1]


@exercises("delivery-drop-oldest")
def test_the_ticker_server_runs_as_printed(tmp_path, ports):
    script = write("delivery-drop-oldest", tmp_path, ports)

    async def first_messages():
        async with connect(f"ws://localhost:{ports[8765]}") as websocket:
            return [json.loads(await asyncio.wait_for(websocket.recv(), 5))["seq"] for _ in range(50)]

    with running([sys.executable, str(script)], ports[8765], tmp_path):
        seqs = asyncio.run(first_messages())
    assert seqs == list(range(seqs[0], seqs[0] + 50))


@exercises("delivery-coalesce")
def test_coalescing_keeps_the_newest_value_per_key(tmp_path, ports):
    module = load("delivery-coalesce", tmp_path, ports, "coalesce_under_test")

    async def scenario():
        buffer = module.LatestByKey()
        for key, value in [("ACME", 1), ("INIT", 7), ("ACME", 2), ("ACME", 3)]:
            buffer.put(key, (key, value))
        drained = [await buffer.get(), await buffer.get()]
        waiting = asyncio.create_task(buffer.get())
        await asyncio.sleep(0.05)
        assert not waiting.done(), "get() waits while nothing is pending"
        buffer.put("INIT", ("INIT", 8))
        return drained, await asyncio.wait_for(waiting, 1), buffer.pending

    drained, woken, pending = asyncio.run(scenario())
    assert drained == [("ACME", 3), ("INIT", 7)]
    assert woken == ("INIT", 8)
    assert pending == {}
