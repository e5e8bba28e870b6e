"""`invoke serve --echo`: the guide's own echo server beside the preview, for the echo playground.

The browser-client page's echo playground (``theme/static/js/tools/echo-playground.js``) connects
to ws://127.0.0.1:8765/ by default, where a reader who followed the first page runs
``python echo_server.py``. ``serve --echo`` runs that very program: the block marked
``test="intro-echo-server"`` in ``content/``, read with the parser the site and the example tests
use (``guide.markdown.code_fences``), written to a temporary folder (its port rewritten when
``--echo=PORT`` asks for another) and run with this Python, until the preview stops.

It needs ``websockets``, which the lean build install does not carry: when it is missing (or
another version), the one package is installed from its entry in ``requirements/test.txt``, with
its hashes and without dependencies (it has none), at the version the ``examples`` extra of
``pyproject.toml`` pins; pip replaces a package whole or not at all, and a failed install stops
here with the command to run by hand. A busy port is one line, before anything is built.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import tomllib
from pathlib import Path

from guide.markdown.code_fences import iter_fences

HOST = "127.0.0.1"
READER_PORT = 8765  #: the port the first page's echo_server.py listens on, and the playground's default
TEST_ID = "intro-echo-server"
PACKAGE = "websockets"
LOCK = Path("requirements") / "test.txt"  #: the lock that holds the examples' packages, with their hashes
START_SECONDS = 15  #: how long the server may take to listen
ALONE = "or run the echo server alone: `python echo_server.py`, from the first page (/websockets.html)"


class EchoProblem(Exception):
    """Why the echo server cannot start; the message is the one line to show."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code  #: 2 for an option to change, 1 for anything else


@dataclasses.dataclass
class EchoServer:
    """The running echo server; :meth:`stop` ends it and removes its temporary folder."""

    process: subprocess.Popen
    folder: str
    port: int

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}/"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def port_number(text: str | int | None) -> int:
    if text is None:
        return READER_PORT
    text = str(text)
    if text.isascii() and text.isdigit() and 1024 <= int(text) <= 65535:
        return int(text)
    raise EchoProblem(
        f"--echo={text!r} is not a port from 1024 to 65535; --echo alone uses {READER_PORT}, the playground's default", code=2
    )


def check_port_free(port: int) -> None:
    """Refuse a port something already listens on (the server binds it with SO_REUSEADDR, as here)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise EchoProblem(f"--echo: cannot listen on {HOST}:{port}: {error.strerror}", code=2) from None
            other = _free_port_near(port)
            raise EchoProblem(
                f"--echo: port {port} on {HOST} is in use. If an echo server already runs there, the playground can use it: "
                f"run serve without --echo. Otherwise stop what listens there, or choose another port with "
                f"--echo={other} and type ws://{HOST}:{other}/ in the playground's URL field",
                code=2,
            ) from None


def _free_port_near(port: int) -> int:
    for candidate in [*range(port + 1, min(port + 20, 65535) + 1), 0]:
        with contextlib.suppress(OSError), socket.socket() as probe:
            probe.bind((HOST, candidate))
            return probe.getsockname()[1]
    return port + 1


def example_code(content: Path) -> str:
    """The echo server block of the guide, exactly as the page shows it."""
    for path in sorted(content.rglob("*.md")):
        for fence in iter_fences(path.read_text(encoding="utf-8")):
            if fence.test_id == TEST_ID:
                return fence.code
    raise EchoProblem(f'--echo: no code block with test="{TEST_ID}" in {content}: was it renamed?')


def pinned_version(root: Path) -> str:
    """The websockets version the `examples` extra of pyproject.toml pins (the pages name it too)."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["optional-dependencies"]["examples"]:
        name, _, version = requirement.partition("==")
        if name.strip().lower() == PACKAGE:
            return version.strip()
    raise EchoProblem(f"--echo: pyproject.toml's `examples` extra pins no {PACKAGE}")


def lock_entry(root: Path, version: str) -> str:
    """``websockets==VERSION`` and its ``--hash`` lines, from the test lock."""
    lines = (root / LOCK).read_text(encoding="utf-8").splitlines()
    head = f"{PACKAGE}=={version}"
    for number, line in enumerate(lines):
        if line.split(" ")[0] == head:
            entry = [line]
            for following in lines[number + 1 :]:
                if not following.startswith(" "):
                    break
                entry.append(following)
            return "\n".join(entry) + "\n"
    raise EchoProblem(f"--echo: {LOCK} has no {head}: run `python3 tasks.py lock`, {ALONE}")


def installed_version(python: str) -> str | None:
    """The websockets version that python imports, or None."""
    run = subprocess.run(
        [python, "-c", f"import {PACKAGE}; print({PACKAGE}.__version__)"], capture_output=True, text=True, timeout=60
    )
    return run.stdout.strip() if run.returncode == 0 else None


def ensure_websockets(python: str, root: Path) -> None:
    """Install the pinned websockets into python's environment, from the lock, when it lacks it."""
    version = pinned_version(root)
    if installed_version(python) == version:
        return
    entry = lock_entry(root, version)
    print(f"Installing {PACKAGE}=={version} for the echo server (from {LOCK}) ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="serve-echo-req-") as folder:
        requirements = os.path.join(folder, "requirements.txt")
        with open(requirements, "w", encoding="utf-8") as file:
            file.write(entry)
        pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--require-hashes"]
        subprocess.run([*pip, "--requirement", requirements])
    if installed_version(python) != version:  # pip leaves the previous state when it fails
        raise EchoProblem(
            f"--echo: pip could not install {PACKAGE}=={version} (see above; offline?). Install it yourself with "
            f"`{python} -m pip install {PACKAGE}=={version}` and run serve --echo again, {ALONE}"
        )


def start(python: str, root: Path, port: str | int | None = None) -> EchoServer:
    """Check the port, install websockets if needed, then run the guide's echo server until it listens."""
    number = port_number(port)
    check_port_free(number)
    ensure_websockets(python, root)
    code = re.sub(rf"\b{READER_PORT}\b", str(number), example_code(root / "content"))
    folder = tempfile.mkdtemp(prefix="serve-echo-")
    script = os.path.join(folder, "echo_server.py")
    with open(script, "w", encoding="utf-8") as file:
        file.write(code)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    # Ctrl+C reaches the whole process group: the server ignores it (an ignored signal stays
    # ignored across exec, and Python keeps it so), and serve stops it after the preview, so the
    # terminal shows no traceback of the example's.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen([python, script], cwd=folder, env=env)
    finally:
        signal.signal(signal.SIGINT, previous)
    server = EchoServer(process, folder, number)
    try:
        _wait_until_listening(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_listening(server: EchoServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise EchoProblem(f"--echo: the echo server exited with code {server.process.returncode} (see above); {ALONE}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, server.port), timeout=0.5):
            return
        time.sleep(0.05)
    raise EchoProblem(f"--echo: the echo server did not listen on {HOST}:{server.port} within {START_SECONDS} s")
