"""What each page shows around its body: the in-page outline and the "last updated" date."""

from __future__ import annotations

import dataclasses
import datetime
import html
import os
import re
import subprocess

HEADING_RE = re.compile(r'<h(?P<level>[23]) id="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h(?P=level)>', re.S)
PERMALINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG_RE = re.compile(r"<[^>]+>")


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    level: int  #: 2 or 3
    id: str
    text: str


def outline(content_html: str) -> list[OutlineEntry]:
    """The h2/h3 headings of a page body, with the ids the toc extension gave them."""
    entries = []
    for match in HEADING_RE.finditer(content_html):
        inner = PERMALINK_RE.sub("", match["inner"])
        text = html.unescape(TAG_RE.sub("", inner)).strip()
        entries.append(OutlineEntry(int(match["level"]), match["id"], text))
    return entries


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
    return subprocess.run(
        ["git", "-C", folder, *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout
