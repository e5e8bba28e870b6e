"""One measured build, run by the harness in a fresh interpreter: ``python -m benchmarks.child MODE ...``.

Modes:

- ``project CONTENT OUTPUT``: the project's full build (``guide.build.runner.build`` with
  pelicanconf.py, search index included), as ``invoke build --content --output`` runs it.
- ``plain CONTENT OUTPUT``: plain Pelican with ``benchmarks/plain_pelicanconf.py``.
- ``rebuild CONTENT OUTPUT CACHE PAGE EDITS``: what ``invoke serve`` does in its one long-lived
  process: a first build with the content cache, then EDITS times: edit PAGE, rebuild, and time
  the rebuild.

It prints one JSON object on stdout: the seconds spent inside the build (the harness measures wall
time and peak memory from outside).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT_SETTINGS = os.path.join(ROOT, "pelicanconf.py")
PLAIN_SETTINGS = os.path.join(ROOT, "benchmarks", "plain_pelicanconf.py")


def project(content: str, output: str) -> dict:
    from guide.build.runner import build

    started = time.perf_counter()
    result = build(PROJECT_SETTINGS, content=content, output=output)
    return {
        "seconds": time.perf_counter() - started,
        "pages": result.pages,
        "posts": result.posts,
        "warnings": len(result.warnings),
    }


def plain(content: str, output: str) -> dict:
    import logging

    from pelican import Pelican
    from pelican.settings import read_settings

    started = time.perf_counter()
    settings = read_settings(PLAIN_SETTINGS, override={"PATH": content, "OUTPUT_PATH": output})
    logging.getLogger("pelican").setLevel(logging.ERROR)  # e.g. "feeds without SITEURL"
    with contextlib.redirect_stdout(io.StringIO()):
        Pelican(settings).run()
    return {"seconds": time.perf_counter() - started}


def rebuild(content: str, output: str, cache: str, page: str, edits: int) -> dict:
    from benchmarks.generator import edit_page
    from guide.build.preview import PreviewState, settle
    from guide.build.runner import preview_build

    session = PreviewState()  # what `invoke serve` keeps between its rebuilds
    started = time.perf_counter()
    preview_build(session, PROJECT_SETTINGS, content=content, output=output, cache=cache)
    first = time.perf_counter() - started
    settle()  # as `invoke serve` does once its first build is done
    times = []
    for revision in range(1, edits + 1):
        edit_page(page, revision)
        started = time.perf_counter()
        preview_build(session, PROJECT_SETTINGS, content=content, output=output, cache=cache)
        times.append(time.perf_counter() - started)
    with open(os.path.join(output, os.path.basename(page).split("-", 1)[1].replace(".md", ".html")), encoding="utf-8") as html:
        if f"Revision {edits}:" not in html.read():
            raise SystemExit("the edited page was not rebuilt")
    return {"first_seconds": first, "rebuild_seconds": times}


def main(argv: list[str]) -> None:
    os.chdir(ROOT)  # the tasks run from the project root
    mode, *args = argv
    if mode == "project":
        result = project(*args)
    elif mode == "plain":
        result = plain(*args)
    elif mode == "rebuild":
        content, output, cache, page, edits = args
        result = rebuild(content, output, cache, page, int(edits))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
