"""tasks.py refuses nonsense options with one line and exit status 2, before building anything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import FIXTURE_SITE, ROOT

pytestmark = pytest.mark.build  # they run building tasks (which must refuse before building)


def invoke(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "siteurl",
    [
        "https://",
        "https:/example.com",
        "https://example.com/my guide",
        'https://example.com/a"b',
        "https://ex<am>ple.com",
        "https://example.com/?x",
    ],
)
def test_publish_refuses_a_nonsense_site_url(tmp_path, siteurl):
    run = invoke("publish", f"--siteurl={siteurl}", "--content", str(FIXTURE_SITE), "--output", str(tmp_path / "o"))
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"--siteurl {siteurl!r}: "), line
    assert not (tmp_path / "o").exists()


def test_publish_refuses_a_nonsense_siteurl_from_the_environment(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--content", str(FIXTURE_SITE), "--output", str(tmp_path / "o")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SITEURL": "https://"}, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "SITEURL 'https://': " in run.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("runs", ["abc", "0", "-2", "1.5"])
def test_audit_refuses_runs_that_are_not_a_whole_number(runs):
    run = invoke("audit", f"--runs={runs}", "--content", "/nonexistent-folder-for-audit")
    assert run.returncode == 2, (run.stdout, run.stderr)
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"--runs {runs!r}: give a whole number"), line
    assert "Traceback" not in run.stdout + run.stderr
