"""Fixtures shared by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import FIXTURE_SITE, ROOT


@pytest.fixture
def site_copy(tmp_path) -> Path:
    """A private copy of the fixture site that a test may break."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return content


@pytest.fixture(autouse=True)
def _run_from_root(monkeypatch):
    """Tests run from the project root, as the tasks do."""
    monkeypatch.chdir(ROOT)
