"""`invoke serve --echo`: the first page's echo server beside the preview (guide/site_tools/echo_server.py).

The server is the page's block, as the example tests run it; it answers on its port while the
preview runs and stops with it, on Ctrl+C (SIGINT to the terminal's process group) as on SIGTERM.
A busy or nonsense port is one line before anything is built, and a failed install of websockets
leaves nothing behind and names the command to run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT

from guide.markdown.code_fences import iter_fences
from guide.site_tools import echo_server
from guide.site_tools.echo_server import EchoProblem

FIRST_PAGE = ROOT / "content" / "pages" / "01-foundations" / "01-websockets.md"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def serve_echo(*options: str, output: Path) -> list[str]:
    return [
        sys.executable, "-m", "invoke", "serve", "--port", str(free_port()), *options,
        "--content", str(FIXTURE_SITE), "--output", str(output),
    ]  # fmt: skip


def test_the_server_is_the_first_pages_block():
    [block] = [fence for fence in iter_fences(FIRST_PAGE.read_text(encoding="utf-8")) if fence.test_id == echo_server.TEST_ID]
    assert echo_server.example_code(ROOT / "content") == block.code
    assert str(echo_server.READER_PORT) in block.code  # what --echo=PORT rewrites


def test_the_install_comes_from_the_test_lock_at_the_examples_pin():
    version = echo_server.pinned_version(ROOT)
    entry = echo_server.lock_entry(ROOT, version).splitlines()
    assert entry[0] == f"websockets=={version} \\"
    assert all(line.startswith("    ") for line in entry[1:])
    assert sum("--hash=sha256:" in line for line in entry) >= 2, "pip --require-hashes needs the lock's hashes"
    # The test install came from that lock: the version the server is run with is the pinned one.
    assert echo_server.installed_version(sys.executable) == version


def test_a_failed_install_leaves_nothing_and_names_the_command(tmp_path, capsys):
    """A Python without pip (a bare venv) cannot install: one message, and websockets still absent."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    assert echo_server.installed_version(python) is None
    with pytest.raises(EchoProblem) as refusal:
        echo_server.ensure_websockets(python, ROOT)
    message = str(refusal.value)
    version = echo_server.pinned_version(ROOT)
    assert f"`{python} -m pip install websockets=={version}`" in message
    assert "python echo_server.py" in message
    assert echo_server.installed_version(python) is None
    assert f"Installing websockets=={version} for the echo server" in capsys.readouterr().out


@pytest.mark.parametrize("port", ["abc", "80", "70000", "8765.0", "-1"])
def test_a_nonsense_port_is_refused(port):
    with pytest.raises(EchoProblem, match=r"--echo='.*' is not a port from 1024 to 65535") as refusal:
        echo_server.port_number(port)
    assert refusal.value.code == 2


def test_a_busy_port_is_refused_with_another_to_try():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EchoProblem, match=f"port {port} on 127.0.0.1 is in use") as refusal:
            echo_server.check_port_free(port)
    message = str(refusal.value)
    assert "run serve without --echo" in message
    other = int(message.split("--echo=")[1].split()[0])
    assert other != port
    assert f"ws://127.0.0.1:{other}/" in message


@pytest.mark.build
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_serve_echo_answers_beside_the_preview_and_stops_with_it(tmp_path, stop):
    from websockets.sync.client import connect

    port, log = free_port(), tmp_path / "serve.log"
    command = serve_echo(f"--echo={port}", output=tmp_path / "out")
    # As a terminal starts it, whatever started pytest: a signal ignored here (SIGINT, in a
    # background job) would stay ignored in serve; a handled one is reset to the default.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with open(log, "wb") as sink:
            serve = subprocess.Popen(command, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        deadline = time.monotonic() + 120
        while "Serving http://" not in log.read_text(errors="replace"):
            assert serve.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        text = log.read_text()
        assert f"Echo server (the first page's echo_server.py) on ws://127.0.0.1:{port}/" in text
        assert text.index("Echo server") < text.index("Built "), "the echo server starts before the first build"
        with connect(f"ws://127.0.0.1:{port}/", open_timeout=10) as websocket:
            websocket.send("are you there?")
            assert websocket.recv(timeout=10) == "are you there?"
            websocket.send(b"\x00\xff")
            assert websocket.recv(timeout=10) == b"\x00\xff"
            websocket.close(4000, "bye")
        # What the browser-client page says the terminal shows after that close.
        deadline = time.monotonic() + 10
        while "ConnectionClosedError: received 4000 (private use) bye" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        preview = text.split("Serving ")[1].split()[0]
        with urllib.request.urlopen(preview, timeout=10) as page:
            assert page.status == 200

        if stop == "ctrl-c":
            os.killpg(serve.pid, signal.SIGINT)  # what the terminal sends to serve and the echo server alike
        else:
            serve.send_signal(signal.SIGTERM)  # serve alone
        assert serve.wait(timeout=30) == 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
    for _ in range(50):
        if not listening(port):
            break
        time.sleep(0.1)
    assert not listening(port), f"the echo server still listens on {port} after serve stopped"
    stopping = log.read_text().split("ConnectionClosedError")[-1]
    assert "Traceback" not in stopping, log.read_text()  # neither serve nor the echo server shows one on stopping


@pytest.mark.build
def test_serve_echo_on_a_busy_port_says_what_to_do_before_building(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = serve_echo(f"--echo={port}", output=tmp_path / "out")
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, (run.stdout, run.stderr)
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"--echo: port {port} on 127.0.0.1 is in use."), line
    assert "Traceback" not in run.stdout + run.stderr
    assert not (tmp_path / "out").exists(), "nothing is built when the echo server cannot start"


@pytest.mark.build
def test_serve_refuses_a_nonsense_echo_port_before_building(tmp_path):
    run = subprocess.run(
        serve_echo("--echo=eighty", output=tmp_path / "out"), cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2, (run.stdout, run.stderr)
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("--echo='eighty' is not a port"), line
    assert not (tmp_path / "out").exists()
