"""Run the guide's code blocks: find them by test ID, write them to files, start and stop them.

Blocks are read with the same parser the site uses (guide.markdown.code_fences), so a block
marked ``test="ID"`` on a page is exactly what runs here. Examples listen on the ports a reader
would use (8765, 8080); the harness rewrites those to free ports so that tests never collide with
anything else on the machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import require_tool  # noqa: F401 (re-exported for the example tests)

from guide.markdown.code_fences import iter_fences

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
READER_PORTS = (8765, 8766, 8080)  # the ports the guide's examples use
EXERCISED: set[str] = set()  #: test IDs claimed by @exercises, checked by test_coverage.py


@dataclasses.dataclass(frozen=True)
class Example:
    test_id: str
    lang: str
    code: str
    title: str | None
    context: str
    source: Path
    line: int

    @property
    def filename(self) -> str:
        extension = {"python": ".py", "javascript": ".js", "nginx": ".conf"}.get(self.lang, ".txt")
        return self.title or f"{self.test_id}{extension}"


@functools.cache
def all_examples() -> dict[str, Example]:
    """Every block of the content marked test="ID", by ID."""
    found = {}
    for path in sorted(CONTENT.rglob("*.md")):
        for fence in iter_fences(path.read_text(encoding="utf-8")):
            if fence.test_id:
                found[fence.test_id] = Example(
                    fence.test_id, fence.lang, fence.code, fence.title, fence.nginx_context, path, fence.line
                )
    return found


def example(test_id: str) -> Example:
    try:
        return all_examples()[test_id]
    except KeyError:
        pytest.fail(f'no code block with test="{test_id}" in content/: was it renamed?')


def exercises(*test_ids: str):
    """Mark a test as the one that runs these examples (test_coverage.py checks none is missed)."""
    EXERCISED.update(test_ids)

    def mark(function):
        return function

    return mark


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class Ports:
    """Free ports standing in for the ports the guide prints."""

    mapping: dict[int, int] = dataclasses.field(default_factory=lambda: {port: free_port() for port in READER_PORTS})

    def __getitem__(self, reader_port: int) -> int:
        return self.mapping[reader_port]

    def rewrite(self, text: str) -> str:
        return re.sub(r"\b(8765|8766|8080)\b", lambda m: str(self.mapping[int(m[1])]), text)


def write(test_id: str, folder: Path, ports: Ports, name: str | None = None) -> Path:
    """Write an example into a folder (as its title, e.g. chat/consumers.py) with ports rewritten."""
    ex = example(test_id)
    path = folder / (name or ex.filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ports.rewrite(ex.code), encoding="utf-8")
    return path


def python_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra}
    env.pop("PYTHONPATH", None)
    return env


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout} s")


@contextlib.contextmanager
def running(args: list[str], port: int, cwd: Path, env: dict | None = None) -> Iterator[subprocess.Popen]:
    """Start a server, wait until it accepts connections, stop it afterwards; show its output on failure."""
    log = cwd / f"server-{port}.log"
    with open(log, "w") as output:
        process = subprocess.Popen(args, cwd=cwd, env=env or python_env(), stdout=output, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, process)
        except (RuntimeError, TimeoutError) as error:
            pytest.fail(f"{error}\n--- server output ---\n{log.read_text()}")
        yield process
    finally:
        stop(process)
        process.log = log.read_text()  # type: ignore[attr-defined]


def start(test_id: str, folder: Path, ports: Ports, port: int = 8765, env: dict | None = None, name: str | None = None):
    """Write a Python server example into ``folder`` and run it (:func:`running`) on its rewritten ``port``."""
    script = write(test_id, folder, ports, name)
    return running([sys.executable, str(script)], ports[port], folder, env)


def stop(process: subprocess.Popen, timeout: float = 10) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def run_python(script: Path, *args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    run = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=script.parent,
        env=env or python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert run.returncode == 0, f"{script.name} exited {run.returncode}\n{run.stdout}\n{run.stderr}"
    return run
