"""`invoke serve` for real, in Chromium: a save reloads the open page under the site's own CSP, a
failed rebuild shows its report in the page and goes away with the next good build; a bad or busy
--port is one line before anything is built.

The serve runs as a subprocess on a copy of the fixture site, into a temporary output folder, and
is stopped with its whole process group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ROOT, tree_digest
from playwright.sync_api import expect

EDITED = Path("pages") / "01-start" / "02-second.md"  #: published as /second.html
SAVES = 5
RELOAD_TIMEOUT_MS = 20_000
BANNER = "#preview-build-failed"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_command(port, content: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "invoke", "serve", "--port", str(port), "--content", str(content), "--output", str(output)]


@contextlib.contextmanager
def serving(content: Path, output: Path, log: Path):
    """`invoke serve` on a free port until it says it serves; yields http://127.0.0.1:PORT."""
    port = free_port()
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            serve_command(port, content, output), cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while "Serving http://" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"serve did not start (exit code {process.poll()}):\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def save(path: Path, text: str) -> float:
    """Write the file as an editor does; returns when it was saved (time.monotonic())."""
    path.write_text(text, encoding="utf-8")
    return time.monotonic()


def test_saves_reload_the_page_and_a_failed_build_shows_in_it(site_copy, tmp_path, new_context, capsys):
    output, log = tmp_path / "output", tmp_path / "serve.log"
    source = site_copy / EDITED
    original = source.read_text(encoding="utf-8")
    with serving(site_copy, output, log) as base:
        context, watch = new_context()
        page = context.new_page()
        watch.where = "preview of second.html"
        page.goto(f"{base}/second.html")
        expect(page.locator("main h1")).to_have_text("Second page")
        assert "/__preview__/" not in (output / "second.html").read_text(encoding="utf-8"), (
            "the preview script is added when served, never written"
        )

        seconds = []
        for number in range(1, SAVES + 1):
            page.evaluate("window.notReloaded = true")
            saved = save(source, original.replace("Some text.", f"Saved edit {number}."))
            expect(page.locator("main")).to_contain_text(f"Saved edit {number}.", timeout=RELOAD_TIMEOUT_MS)
            seconds.append(time.monotonic() - saved)
            assert page.evaluate("window.notReloaded") is None, "the page was reloaded, not patched"

        good_output = tree_digest(output)
        save(
            source, original.replace("Some text.", "Broken edit.").replace("choice1url: /home.html", "choice1url: /missing.html")
        )
        banner = page.locator(BANNER)
        expect(banner).to_contain_text("choice1url: /missing.html matches no page", timeout=RELOAD_TIMEOUT_MS)
        expect(banner).to_contain_text("02-second.md")
        expect(page.locator("main")).to_contain_text(f"Saved edit {SAVES}.")  # the last good build, still shown
        assert tree_digest(output) == good_output, "a failed rebuild leaves the output as it was"

        page.evaluate("window.notReloaded = true")
        save(source, original.replace("Some text.", "Fixed edit."))
        expect(page.locator("main")).to_contain_text("Fixed edit.", timeout=RELOAD_TIMEOUT_MS)
        expect(page.locator(BANNER)).to_have_count(0)
        assert page.evaluate("window.notReloaded") is None
        assert watch.problems == [], "\n".join(watch.problems)  # CSP violations are console errors

    with capsys.disabled():
        print(
            f"\nsave-to-reload in Chromium, {SAVES} saves: median {statistics.median(seconds):.2f} s ({', '.join(f'{s:.2f}' for s in seconds)})"
        )


def test_when_the_first_build_fails_every_url_shows_why_until_a_save_fixes_it(site_copy, tmp_path, new_context):
    source = site_copy / EDITED
    original = source.read_text(encoding="utf-8")
    save(source, original.replace("choice1url: /home.html", "choice1url: /missing.html"))
    with serving(site_copy, tmp_path / "output", tmp_path / "serve.log") as base:
        context, watch = new_context()
        page = context.new_page()
        page.goto(f"{base}/second.html")  # nothing built yet: a 404 page that carries the script
        expect(page.locator(BANNER)).to_contain_text("choice1url: /missing.html matches no page")

        save(source, original)
        expect(page.locator("main h1")).to_have_text("Second page", timeout=RELOAD_TIMEOUT_MS)
        expect(page.locator(BANNER)).to_have_count(0)
        problems = [problem for problem in watch.problems if "404" not in problem]  # the first visit's, as said
        assert problems == [], "\n".join(problems)


def run_serve(port, tmp_path) -> tuple[subprocess.CompletedProcess, Path]:
    output = tmp_path / "output"
    done = subprocess.run(serve_command(port, tmp_path, output), cwd=ROOT, capture_output=True, text=True, timeout=60)
    return done, output


@pytest.mark.parametrize("port", ["abc", "0", "70000", "-1", "８０００", ""])
def test_a_bad_port_is_one_line_before_any_build(port, tmp_path):
    done, output = run_serve(port, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"--port {port!r} is not a port number; give a number from 1 to 65535, e.g. --port 8000\n"
    assert not output.exists()


def test_a_busy_port_is_one_line_before_any_build(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done, output = run_serve(port, tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    first, _, rest = done.stderr.partition("\n")
    assert first.startswith(f"port {port} on 127.0.0.1 is in use (another serve?); pick another with --port "), done.stderr
    assert int(first.rsplit(" ", 1)[1]) != port
    assert rest == ""
    assert not output.exists()
