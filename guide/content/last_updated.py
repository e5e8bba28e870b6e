"""A page's "last updated" date: the date of the last commit that touched its source file."""

from __future__ import annotations

import datetime
import os
import subprocess


def last_commit_dates(folder: str) -> dict[str, datetime.date]:
    """Absolute path -> date of the last commit that touched it, for files under a git folder.

    One ``git log`` for the whole folder (not one per page), so it costs the same at any size.
    Commit dates come from history, so two builds of the same commit agree. Outside a
    repository, or without git, there are no dates and pages show none.
    """
    try:
        top = _git(folder, "rev-parse", "--show-toplevel").strip()
        log = _git(folder, "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, datetime.date] = {}
    for entry in log.split("\x00")[1:]:
        day, *names = entry.strip().splitlines()
        for name in names:
            dates.setdefault(os.path.join(top, name), datetime.date.fromisoformat(day))
    return dates


def _git(folder: str, *args: str) -> str:
    return subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, check=True, timeout=60).stdout
