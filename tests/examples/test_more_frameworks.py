"""The library page's Litestar, Sanic and Falcon echoes, each started the way its first comment
says (or as a script), spoken to by a websockets client: the text comes back and the connection
closes cleanly."""

from __future__ import annotations

import asyncio
import shlex
import sys

import pytest
from harness import Ports, example, exercises, running, write
from websockets.asyncio.client import connect

EXAMPLES = ["falcon-echo", "litestar-echo", "sanic-echo"]
exercises(*EXAMPLES)
RUN_WITH = "# Run with: "


def command(test_id: str, script_name: str, ports: Ports) -> list[str]:
    """The page's own "Run with:" line (ports rewritten), else `python FILE`, with this Python."""
    first = example(test_id).code.splitlines()[0]
    if not first.startswith(RUN_WITH):
        return [sys.executable, script_name]
    program, *args = shlex.split(ports.rewrite(first.removeprefix(RUN_WITH)))
    return [sys.executable, "-m", program, *args]


async def echo_once(url: str) -> tuple[str, int]:
    async with connect(url, proxy=None) as ws:
        await ws.send("Hello")
        reply = await asyncio.wait_for(ws.recv(), 5)
    return reply, ws.close_code


@pytest.mark.parametrize("test_id", EXAMPLES)
def test_framework_echo_answers_and_closes_cleanly(test_id, tmp_path):
    ports = Ports()
    script = write(test_id, tmp_path, ports)
    with running(command(test_id, script.name, ports), ports[8765], tmp_path):
        assert asyncio.run(echo_once(f"ws://127.0.0.1:{ports[8765]}/ws")) == ("Hello", 1000)
