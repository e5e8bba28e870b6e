"""The load-testing page's script, run for real against the guide's echo server on 127.0.0.1.

The page says the script holds N connections, checks every echo, prints connections, messages per
second and p50/p99 round trips, caps the handshakes in flight with a semaphore, exits 1 when an
echo is missing or a connect fails, and refuses to start when ``ulimit -n`` is too low.
"""

from __future__ import annotations

import asyncio
import re
import resource
import subprocess
import sys
import textwrap

from harness import Ports, exercises, python_env, run_python, running, start, write
from websockets.asyncio.server import serve

LINE_PATTERNS = {
    "held": r"connections held: (\d+) of (\d+), failed: (\{.*\})",
    "handshake": r"handshake: p50 ([\d.]+) ms, p99 ([\d.]+) ms",
    "echoed": r"messages echoed: (\d+) of (\d+) in ([\d.]+) s \((\d+) msg/s\)",
    "round trip": r"round trip: p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms",
    "lag": r"generator loop lag: max ([\d.]+) ms",
}


def parse(output: str) -> dict[str, tuple[str, ...]]:
    """The script's report, line by line; fails on a line the page's format does not have."""
    found = {}
    for line in output.strip().splitlines():
        for name, pattern in LINE_PATTERNS.items():
            if match := re.fullmatch(pattern, line):
                found[name] = match.groups()
                break
        else:
            raise AssertionError(f"unexpected output line: {line!r}")
    return found


def run_load(script, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *args],
        cwd=script.parent,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


@exercises("load-ws-script")
def test_every_message_comes_back_and_the_numbers_are_sane(tmp_path):
    ports = Ports()
    script = write("load-ws-script", tmp_path, ports)
    with start("intro-echo-server", tmp_path, ports):
        # No URL: the script's default, ws://127.0.0.1:8765, rewritten to the server's port.
        run = run_python(script, "--connections", "20", "--messages", "5", "--concurrency", "4")
    report = parse(run.stdout)
    assert report["held"] == ("20", "20", "{}")
    echoed, sent, seconds, rate = report["echoed"]
    assert (echoed, sent) == ("100", "100")
    assert float(seconds) >= 0
    assert int(rate) > 0
    p50, p99, slowest = map(float, report["round trip"])
    assert 0 < p50 <= p99 <= slowest < 5000
    handshake_p50, handshake_p99 = map(float, report["handshake"])
    assert 0 < handshake_p50 <= handshake_p99 < 10_000
    assert float(report["lag"][0]) >= 0


def test_a_wrong_echo_or_a_failed_connect_fails_the_run(tmp_path):
    ports = Ports()
    script = write("load-ws-script", tmp_path, ports)
    mangler = tmp_path / "mangling_server.py"
    mangler.write_text(
        textwrap.dedent(f"""\
            import asyncio
            from websockets.asyncio.server import serve

            async def mangle(websocket):
                async for message in websocket:
                    await websocket.send(message.upper())  # every echo is wrong

            async def main():
                async with serve(mangle, "127.0.0.1", {ports[8766]}) as server:
                    await server.serve_forever()

            asyncio.run(main())
            """),
        encoding="utf-8",
    )
    with running([sys.executable, str(mangler)], ports[8766], tmp_path):
        wrong = run_load(script, f"ws://127.0.0.1:{ports[8766]}", "--connections", "4", "--messages", "5")
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert parse(wrong.stdout)["echoed"][:2] == ("0", "20")

    refused = run_load(script, f"ws://127.0.0.1:{ports[8080]}", "--connections", "3", "--messages", "2")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert parse(refused.stdout)["held"] == ("0", "3", "{'ConnectionRefusedError': 3}")


def test_the_semaphore_caps_handshakes_in_flight(tmp_path):
    script = write("load-ws-script", tmp_path, Ports())
    in_flight, most = 0, 0

    async def slow_handshake(connection, request):
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.05)  # long enough for uncapped connects to pile up
        in_flight -= 1

    async def echo(websocket):
        async for message in websocket:
            await websocket.send(message)

    async def main():
        async with serve(echo, "127.0.0.1", 0, process_request=slow_handshake) as server:
            port = server.sockets[0].getsockname()[1]
            load = await asyncio.create_subprocess_exec(
                sys.executable, str(script), f"ws://127.0.0.1:{port}",
                "--connections", "12", "--messages", "1", "--concurrency", "3",
                stdout=asyncio.subprocess.PIPE, env=python_env(),
            )  # fmt: skip
            async with asyncio.timeout(30):
                output, _ = await load.communicate()
        return load.returncode, output.decode()

    returncode, output = asyncio.run(main())
    assert returncode == 0, output
    assert parse(output)["held"] == ("12", "12", "{}")
    assert most == 3  # reached, never exceeded


def test_a_low_descriptor_limit_stops_the_script_before_it_starts(tmp_path):
    script = write("load-ws-script", tmp_path, Ports())

    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    run = run_load(script, "--connections", "100", preexec_fn=low_limit)
    assert run.returncode == 1
    assert run.stdout == ""
    assert "ulimit -n is 64" in run.stderr
