"""The folders a build makes beside the project's output/ (guide/build/output_folder.py) are ignored by git."""

from __future__ import annotations

import os
import subprocess

from helpers import ROOT, require_tool

from guide.build import output_folder


def ignored(name: str) -> bool:
    """Whether git ignores a folder of that name at the project's root."""
    git = require_tool("git", "the test asks git what it ignores")
    run = subprocess.run([git, "-C", str(ROOT), "check-ignore", "-q", f"{name}/"], capture_output=True)
    assert run.returncode in (0, 1), run.stderr
    return run.returncode == 0


def test_the_staging_and_retired_folders_of_output_are_ignored(tmp_path, monkeypatch):
    made = []
    mkdtemp = output_folder.tempfile.mkdtemp

    def recording_mkdtemp(*args, **kwargs):
        made.append(os.path.basename(mkdtemp(*args, **kwargs)))
        return os.path.join(kwargs["dir"], made[-1])

    monkeypatch.setattr(output_folder.tempfile, "mkdtemp", recording_mkdtemp)
    output = str(tmp_path / "output")  # named as the project's own, so the names are the ones made beside it
    for _ in range(2):  # the second build retires the first one's folder
        with output_folder.staging_folder(output) as staging:
            output_folder.replace_folder(staging, output)
    assert {name.split("-")[0] for name in made} == {".output.building", ".output.old"}, made
    assert [name for name in made if not ignored(name)] == []


def test_only_the_builds_folders_are_ignored():
    assert not ignored(".output.notes")
    assert not ignored(".outputs")
