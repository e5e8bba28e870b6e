"""What the build will not read from a content tree: links that lead out of it, oversized pages.

Pelican follows symbolic links when it looks for pages, posts and static files. A link such as
``content/images/logo.svg -> ../../.git/config`` (or ``-> /proc/self/environ``) in a tree from
a pull request would publish a file of the build machine. Links that stay inside the tree are
fine (an image shared by two chapters); any other link is an error.

Python-Markdown reads about 100 KB a second and slows down more than linearly on deeply nested
text, so a 10 MB page would hold a build (and CI) for minutes. The guide's longest page is
about 40 KB; a page or post over :data:`MAX_SOURCE_BYTES` is an error that says to split it.

Both checks run before Pelican reads anything.
"""

from __future__ import annotations

import os

from guide.content.chapter_files import FILE_NAME as CHAPTER_FILE
from guide.problems import ProblemLog

MAX_SOURCE_BYTES = 1024 * 1024
#: What Pelican's Markdown and reStructuredText readers read.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
SOURCE_SUFFIXES = (*MARKDOWN_SUFFIXES, ".rst")


def outside_links(content_path: str) -> list[tuple[str, str]]:
    """(link, where it leads) for each symbolic link below ``content_path`` that leaves it."""
    root = os.path.realpath(content_path)
    found = []
    for folder, dirs, files in os.walk(content_path):  # does not follow links: each is seen once
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                continue
            target = os.path.realpath(path)
            if os.path.commonpath([root, target]) != root:
                found.append((path, target))
    return found


def oversized_sources(content_path: str) -> list[tuple[str, int]]:
    """(file, size) for each page or post larger than MAX_SOURCE_BYTES (a chapter file has its own
    limit, checked where it is read: guide.content.chapter_files)."""
    found = []
    for folder, _, files in os.walk(content_path):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(SOURCE_SUFFIXES) and name != CHAPTER_FILE and not os.path.islink(path):
                size = os.path.getsize(path)
                if size > MAX_SOURCE_BYTES:
                    found.append((path, size))
    return found


def check_source_files(content_path: str, log: ProblemLog) -> None:
    for link, target in outside_links(content_path):
        log.add(
            link,
            "file",
            f"a symbolic link to {target}, outside the content folder, which the site would publish; copy the file into the content folder instead",
        )
    for path, size in oversized_sources(content_path):
        log.add(
            path,
            "file",
            f"{size / 1024 / 1024:.1f} MiB; a page or post may have at most {MAX_SOURCE_BYTES // 1024 // 1024} MiB: split it into several pages",
        )
