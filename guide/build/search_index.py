"""The site's search index: Pagefind reads the staged pages and writes ``pagefind/`` beside them.

Pagefind runs in its own process (the ``pagefind[bin]`` wheel carries the binary), started before
the link check and waited for after it, so that on two cores neither waits for the other.
"""

from __future__ import annotations

import subprocess
import sys

from guide.problems import ProblemLog


def start_search_index(site: str) -> subprocess.Popen:
    """Pagefind indexes the staged site (pages marked data-pagefind-body) into site/pagefind/.

    The headings' "#" permalinks are left out, so a result reads "A heading", not "A heading#".
    """
    command = [sys.executable, "-m", "pagefind", "--site", site, "--silent", "--exclude-selectors", ".headerlink"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_search_index(indexing: subprocess.Popen, problems: ProblemLog) -> None:
    """Wait for Pagefind; a failure is an error of the build, with Pagefind's own words."""
    stdout, stderr = indexing.communicate()
    if indexing.returncode != 0:
        problems.add("", "search index", f"pagefind failed: {(stderr or stdout).strip()}")
