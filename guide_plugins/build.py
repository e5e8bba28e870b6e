"""Build the site without ever losing the last good output.

Pelican writes into a fresh folder beside the output folder; only a build with no errors
(and, with ``strict``, no warnings) replaces the output folder with it. Problems found by the
plugins and errors Pelican logs are reported together, one line each, without tracebacks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from pelican import Pelican
from pelican.log import LimitFilter
from pelican.settings import read_settings

from guide_plugins import PROBLEMS_SETTING, SITE_INDEX_SETTING
from guide_plugins.problems import ERROR, WARNING, ContentError, ProblemLog


class BuildFailed(Exception):
    def __init__(self, problems: ProblemLog, strict: bool):
        self.problems = problems
        self.strict = strict
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems.problems]
        counts = f"{len(self.problems.errors)} error(s)"
        if self.strict:
            counts += f" and {len(self.problems.warnings)} warning(s), which --strict treats as errors"
        lines.append(f"Build failed: {counts}. The previous output was left as it was.")
        return "\n".join(lines)


@dataclasses.dataclass
class BuildResult:
    output_path: str
    seconds: float
    pages: int
    posts: int
    warnings: list


def build(
    settings_file: str = "pelicanconf.py",
    content: str | None = None,
    output: str | None = None,
    strict: bool = False,
    overrides: dict | None = None,
    search: bool = True,
) -> BuildResult:
    """Render the content with the theme into ``output``; raise BuildFailed on any error."""
    started = time.perf_counter()
    problems = ProblemLog()
    override = dict(overrides or {})
    if content:
        override["PATH"] = os.path.abspath(content)
        if not os.path.isdir(content):
            problems.add(content, "--content", "no such folder; name a folder of pages in the guide's format")
            raise BuildFailed(problems, strict)
    try:
        settings = read_settings(settings_file, override=override)
    except Exception as error:  # e.g. the content folder does not exist
        problems.add(settings_file, "settings", f"{error}")
        raise BuildFailed(problems, strict) from None
    output_path = os.path.abspath(output or settings["OUTPUT_PATH"])
    settings[PROBLEMS_SETTING] = problems

    staging = _staging_folder(output_path)
    settings["OUTPUT_PATH"] = staging
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    try:
        # Pelican's own "Done: ..." line goes to stdout; the caller prints its own summary.
        with _pelican_log_to(problems), contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
    except ContentError:
        pass  # its problems are in the log already
    except Exception as error:  # a template or plugin failure: still one clear line
        problems.add(settings_file, "build", f"{type(error).__name__}: {error}")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if search and not problems.errors:
        _index_for_search(staging, problems)
    if problems.errors or (strict and problems.warnings):
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(problems, strict)
    _replace_folder(staging, output_path)
    index = settings[SITE_INDEX_SETTING]
    return BuildResult(
        output_path=output_path,
        seconds=time.perf_counter() - started,
        pages=len(index.pages),
        posts=len(index.posts),
        warnings=problems.warnings,
    )


def _index_for_search(site: str, problems: ProblemLog) -> None:
    """Pagefind indexes the staged site (pages marked data-pagefind-body) into site/pagefind/."""
    command = [sys.executable, "-m", "pagefind", "--site", site, "--silent"]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        problems.add("", "search index", f"pagefind failed: {(run.stderr or run.stdout).strip()}")


def _staging_folder(output_path: str) -> str:
    parent = os.path.dirname(output_path)
    os.makedirs(parent, exist_ok=True)
    return tempfile.mkdtemp(prefix=f".{os.path.basename(output_path)}.building-", dir=parent)


def _replace_folder(new: str, target: str) -> None:
    """Swap the freshly built folder in; the old one is removed only once the new one is in place."""
    os.chmod(new, 0o755)
    retired = None
    if os.path.exists(target):
        retired = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.old-", dir=os.path.dirname(target))
        os.rmdir(retired)
        os.rename(target, retired)
    os.rename(new, target)
    if retired:
        shutil.rmtree(retired, ignore_errors=True)


MISSING_FIELD_RE = re.compile(r"^Skipping (?P<path>.+?): could not find information about '(?P<field>[\w-]+)'")
CONTENT_SUFFIXES = (".md", ".markdown", ".rst")


class _ProblemHandler(logging.Handler):
    """Turns Pelican's own warnings and errors into problems of the build."""

    def __init__(self, problems: ProblemLog):
        super().__init__(logging.WARNING)
        self.problems = problems

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}: {record.exc_info[1]}"
        severity = WARNING if record.levelno < logging.ERROR else ERROR
        missing = MISSING_FIELD_RE.match(message)
        if missing:  # Pelican skips a post without a date before the plugins see it
            field = missing["field"]
            self.problems.add(missing["path"], field, f"missing; add `{field}: ...` (Markdown) or `:{field}: ...` (reStructuredText) to the header", severity)
            return
        named = [arg for arg in record.args or () if isinstance(arg, str) and arg.endswith(CONTENT_SUFFIXES)]
        if any(known.endswith(arg) for arg in named for known in self.problems.paths()):
            return  # e.g. Pelican's "Could not process" for a file the plugins explained better
        self.problems.add(named[0] if named else "", "pelican", message, severity)


@contextlib.contextmanager
def _pelican_log_to(problems: ProblemLog):
    # Pelican drops a warning it has seen before in this process; every build must see its own.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    logger = logging.getLogger("pelican")
    handler = _ProblemHandler(problems)
    saved = logger.handlers[:], logger.propagate
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = saved
