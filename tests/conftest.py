"""Fixtures shared by the tests, and the tiers they run in.

A test is a unit test unless it is marked with one of the slow tiers (registered in
pyproject.toml): ``build`` (it builds a site, or needs one built), ``browser`` (Chromium) or
``examples`` (the guide's code examples, run). `invoke test --quick` runs the unit tests alone.
The browser/ and examples/ folders are one tier each and are marked here, by folder. A build can
hide in any folder, so ``build`` is written by hand (``pytestmark`` when a whole module builds);
and since a forgotten mark would slow the quick tier without anyone noticing, an unmarked test
that starts a build fails, saying which mark it needs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from unittest import mock

import pelican
import pytest
from helpers import FIXTURE_SITE, ROOT

SLOW_TIERS = ("build", "browser", "examples")
#: Folders (under tests/) every test of which is in one tier.
FOLDER_TIERS = {"browser": "browser", "examples": "examples"}
#: The tasks of tasks.py that build a site: run as a command, they make a test a build test.
BUILDING_TASKS = {"build", "serve", "publish", "gh-pages", "linkcheck", "audit", "screenshots", "bench"}
TESTS = Path(__file__).resolve().parent


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A private copy of the fixture site that a test may break."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return content


@pytest.fixture
def previous_output(tmp_path, site_copy) -> Path:
    """An output folder holding a good build of ``site_copy``: what a failed build must leave as it is."""
    from helpers import build_site

    output = tmp_path / "output"
    build_site(site_copy, output)
    return output


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch):
    """Tests run from the project root, as the tasks do."""
    monkeypatch.chdir(ROOT)


def pytest_collection_modifyitems(items):
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else None
        if folder in FOLDER_TIERS:
            item.add_marker(FOLDER_TIERS[folder])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Around a unit test (its fixtures included), starting Pelican or a building task fails."""
    if any(item.get_closest_marker(tier) for tier in SLOW_TIERS):
        return (yield)
    with _builds_refused(item.nodeid):
        return (yield)


@contextlib.contextmanager
def _builds_refused(test: str):
    def refuse(what: str):
        pytest.fail(f"{test} {what}: mark it @pytest.mark.build (`invoke test --quick` leaves builds out)", pytrace=False)

    def no_pelican(self, *args, **kwargs):
        refuse("starts Pelican")

    popen_init = subprocess.Popen.__init__

    def no_building_command(self, args, *rest, **kwargs):
        command = _building_command(args)
        if command:
            refuse(f"runs `{command}`")
        popen_init(self, args, *rest, **kwargs)

    with (
        mock.patch.object(pelican.Pelican, "__init__", no_pelican),
        mock.patch.object(subprocess.Popen, "__init__", no_building_command),
    ):
        yield


def _building_command(args) -> str | None:
    """`pelican ...`, or a building task run by invoke or tasks.py (`python -m invoke publish ...`),
    shortened for the message; None for any other command."""
    words = [os.fsdecode(word) for word in ([args] if isinstance(args, str | bytes | os.PathLike) else args)]
    if len(words) == 1:
        words = words[0].split()  # a command line for the shell
    names = [os.path.basename(word) for word in words]
    if "pelican" in names:
        return "pelican ..."
    runner = next((n for n, name in enumerate(names) if name in ("invoke", "tasks.py")), None)
    if runner is None:
        return None
    task = next((name for name in names[runner + 1 :] if name in BUILDING_TASKS), None)
    return f"{names[runner]} {task} ..." if task else None
