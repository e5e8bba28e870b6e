"""The build replaces only folders it wrote: everything else is refused before a byte is written."""

from __future__ import annotations

import errno
import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guide.build import runner
from guide.build.output_folder import MARKER, OutputRefused
from guide.build.runner import BuildFailed
from helpers import ROOT, build_site, invoke_build, leftovers, tree_digest

pytestmark = pytest.mark.build


def refused(site_copy: Path, output: Path) -> str:
    with pytest.raises(OutputRefused) as refusal:
        build_site(site_copy, output)
    return str(refusal.value)


def test_the_content_folder_is_refused_and_kept(site_copy):
    before = tree_digest(site_copy)
    assert "is the content folder" in refused(site_copy, site_copy)
    assert tree_digest(site_copy) == before


def test_a_folder_inside_the_content_is_refused(site_copy):
    message = refused(site_copy, site_copy / "pages" / "site")
    assert "is inside the content folder" in message
    assert not (site_copy / "pages" / "site").exists()


def test_a_folder_holding_the_content_is_refused(site_copy, tmp_path):
    before = tree_digest(tmp_path)
    assert "holds the content folder" in refused(site_copy, tmp_path)
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("where", ["theme", "theme/static/out"])
def test_the_theme_and_folders_inside_it_are_refused(where, site_copy):
    before = tree_digest(ROOT / "theme")
    assert "the theme" in refused(site_copy, ROOT / where)
    assert tree_digest(ROOT / "theme") == before


@pytest.mark.parametrize("where", [".", "..", "/"])
def test_the_project_and_its_parents_are_refused_from_the_command_line(where, site_copy):
    run = invoke_build("--content", str(site_copy), "--output", where)
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith(f"--output: {os.path.normpath(ROOT / where)} ") and "the project" in line, line
    assert line.endswith("(nothing was written)")
    assert "Traceback" not in run.stderr
    assert (ROOT / ".git").is_dir() and (ROOT / "tasks.py").is_file()


def test_the_git_folder_is_refused(site_copy):
    if not (ROOT / ".git").is_dir():
        pytest.skip("not a git checkout")
    assert "git folder" in refused(site_copy, ROOT / ".git" / "site")


def test_a_folder_of_someone_elses_files_is_refused_and_kept(site_copy, tmp_path):
    output = tmp_path / "mine"
    output.mkdir()
    (output / "thesis.tex").write_text("two years of work")
    message = refused(site_copy, output)
    assert "holds files the build did not write" in message
    assert (output / "thesis.tex").read_text() == "two years of work"
    assert leftovers(output) == []


def test_an_empty_folder_and_a_new_folder_are_built_into(site_copy, tmp_path):
    (tmp_path / "empty").mkdir()
    for output in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        build_site(site_copy, output)
        assert (output / "home.html").is_file() and (output / MARKER).is_file()


def test_a_file_and_a_symbolic_link_are_refused(site_copy, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    assert "is a file" in refused(site_copy, tmp_path / "notes.txt")
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert "symbolic link" in refused(site_copy, tmp_path / "link")


def test_the_marker_is_what_makes_a_folder_the_builds_own(site_copy, tmp_path):
    output = tmp_path / "output"
    build_site(site_copy, output)
    build_site(site_copy, output)  # its own output: replaced
    (output / MARKER).unlink()
    assert "did not write" in refused(site_copy, output)


def test_the_projects_old_output_without_marker_is_still_its_own(site_copy, tmp_path, monkeypatch):
    """Migration: output/ and its .output.building-* leftovers from before the marker."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("built before the marker existed")
    legacy = tmp_path / ".output.building-abcd1234"
    legacy.mkdir()
    (legacy / "index.html").write_text("an interrupted old build")
    monkeypatch.setattr(runner, "DEFAULT_OUTPUT", str(output))
    build_site(site_copy, output)
    assert (output / MARKER).is_file() and "built before" not in (output / "index.html").read_text()
    assert leftovers(output) == []


def test_unmarked_lookalikes_beside_another_output_are_left_alone(site_copy, tmp_path):
    output = tmp_path / "site"
    lookalike = tmp_path / ".site.building-abcd1234"
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("not the build's")
    build_site(site_copy, output)
    assert (lookalike / "notes.txt").read_text() == "not the build's"


def test_leftovers_of_an_interrupted_build_are_removed_unless_a_build_is_running(site_copy, tmp_path):
    output = tmp_path / "output"
    build_site(site_copy, output)
    dead, alive = tmp_path / ".output.building-dead0000", tmp_path / ".output.building-live0000"
    for folder in (dead, alive):
        folder.mkdir()
        (folder / MARKER).write_text("")
        (folder / "half.html").write_text("half a page")
    holder = os.open(alive / MARKER, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a build in progress does
    try:
        build_site(site_copy, output)
    finally:
        os.close(holder)
    assert not dead.exists()
    assert (alive / "half.html").is_file()
    build_site(site_copy, output)
    assert leftovers(output) == []


def test_an_unwritable_output_is_one_line_and_keeps_the_previous_output(site_copy, tmp_path, monkeypatch):
    output = tmp_path / "output"
    build_site(site_copy, output)
    before = tree_digest(output)

    def disk_full(self, name, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(self.output_path, name))

    monkeypatch.setattr("pelican.writers.Writer.write_file", disk_full)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, output)
    [line, summary] = failure.value.report().splitlines()
    assert ": output: cannot write: No space left on device; free some space" in line and "Traceback" not in line
    assert summary.startswith("Build failed: 1 error(s).")
    assert tree_digest(output) == before
    assert leftovers(output) == []


def test_an_output_below_a_file_is_refused_from_the_command_line(site_copy, tmp_path):
    (tmp_path / "a-file").write_text("")
    run = invoke_build("--content", str(site_copy), "--output", str(tmp_path / "a-file" / "site"))
    assert run.returncode == 2
    assert run.stderr.strip() == f"--output: {tmp_path / 'a-file'} is a file, not a folder; choose another --output (nothing was written)"
    assert "Traceback" not in run.stderr
