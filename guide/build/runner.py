"""Build the site without ever losing the last good output: what `invoke build` and `invoke serve` run.

Pelican writes into a fresh folder beside the output folder; only a build with no errors
(and, with ``strict``, no warnings) replaces the output folder with it. Problems found by the
plugin and errors Pelican logs are reported together, one line each, without tracebacks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import io
import logging
import os
import sys
import time
import traceback

from jinja2 import TemplateError
from pelican import Pelican
from pelican.settings import read_settings

from guide import pelican_internals
from guide.build.output_folder import check_output, replace_folder, staging_folder
from guide.build.preview import PreviewState, merge, start
from guide.build.search_index import finish_search_index, start_search_index
from guide.build_state import build_state, start_build_state
from guide.content.drafts import SHOW_DRAFTS
from guide.content.source_files import SOURCE_SUFFIXES
from guide.problems import ERROR, WARNING, ContentError, ProblemLog


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
    preview: PreviewState | None = None,
) -> BuildResult:
    """Render the content with the theme into ``output``; raise BuildFailed on any error.

    Raises OutputRefused, before anything is written, when ``output`` is not the build's to
    replace (see :mod:`guide.build.output_folder`). ``preview`` is `invoke serve`'s session.
    """
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
    check_output(output_path, **protected_folders(settings, settings_file))
    state = start_build_state(settings, problems=problems, settings_file=settings_file)
    try:
        with staging_folder(output_path, own_default=DEFAULT_OUTPUT) as staging:
            _run_into(staging, output_path, settings, problems, strict, search, preview)
    except OSError as error:  # the output's disk is full, read-only, not ours to write...
        problems.add(error.filename or output_path, "output", f"cannot write: {error.strerror or error}; {_os_error_hint(error)}")
        raise BuildFailed(problems, strict) from None
    index = state.site_index
    return BuildResult(
        output_path=output_path,
        seconds=time.perf_counter() - started,
        pages=len(index.pages),
        posts=len(index.posts),
        warnings=problems.warnings,
    )


def _run_into(staging: str, output_path: str, settings: dict, problems: ProblemLog, strict: bool, search: bool, preview: PreviewState | None) -> None:
    """Pelican renders into ``staging``; on success the staging folder replaces the output.

    ``preview`` is `invoke serve`'s session: after its first build, only what changed is
    rendered and merged into the output, the search index is left as it is and only the links
    on the rewritten pages are checked (see :mod:`guide.build.preview`).
    """
    settings["OUTPUT_PATH"] = staging
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    run = start(preview, settings, output_path) if preview is not None else None
    incremental = run is not None and run.incremental
    try:
        # Pelican's own "Done: ..." line goes to stdout; the caller prints its own summary.
        with _pelican_log_to(problems, settings["PATH"]), contextlib.redirect_stdout(io.StringIO()):
            Pelican(settings).run()
    except ContentError:
        pass  # its problems are in the log already
    except OSError:
        raise  # the output cannot be written: build() says so
    except Exception as error:  # a template or plugin failure: still one clear line
        if os.environ.get("GUIDE_DEBUG"):
            raise
        problems.add(*_failure_line(error))
    if not incremental and not problems.errors:
        # Pagefind runs in its own process while the links are checked here: both only read
        # the staged pages (Pagefind writes pagefind/, where no page links), so on two cores
        # neither waits for the other. The report is the same as one after the other.
        indexing = start_search_index(staging) if search else None
        links = ProblemLog()
        try:
            _check_links(staging, output_path, settings, links)
        finally:
            if indexing is not None:
                finish_search_index(indexing, problems)
        if not problems.errors:  # a failed search index stops the build before the link check
            for problem in links.problems:
                problems.add(problem.path, problem.field, problem.message, problem.severity)
    if problems.errors or (strict and problems.warnings):
        raise BuildFailed(problems, strict)
    if incremental:
        written = merge(staging, output_path, keep=run.kept)
        # The links on the pages this build wrote, against the whole site: the author sees a
        # broken link on saving, as a warning like in a full build.
        _check_links(output_path, output_path, settings, problems, pages=[name for name in written if name.endswith(".html")])
    else:
        replace_folder(staging, output_path)
    if run is not None:
        run.commit()


def _os_error_hint(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some space, or choose another --output"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "make the folder writable, or choose another --output"
    return "choose another --output"


def _failure_line(error: Exception) -> tuple[str, str, str]:
    """(path, field, message) for an unexpected failure: the template and line when Jinja knows them."""
    if isinstance(error, TemplateError):
        where, line = getattr(error, "filename", None), getattr(error, "lineno", None)
        if not where:  # an error while rendering: Jinja puts the template's frames in the traceback
            frame = next((f for f in reversed(traceback.extract_tb(error.__traceback__)) if f.filename.endswith(".html")), None)
            where, line = (frame.filename, frame.lineno) if frame else ("theme", None)
        return where, f"line {line}" if line else "template", f"{type(error).__name__}: {error}"
    return "", "build", f"unexpected {type(error).__name__}: {error} (a bug: GUIDE_DEBUG=1 shows the traceback)"


#: The project's folder (this file is guide/build/runner.py), and the output folder its builds
#: wrote before they marked their output.
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUTPUT = os.path.join(PROJECT_ROOT, "output")


def protected_folders(settings: dict, settings_file: str) -> dict:
    """What the output folder must keep clear of: :func:`check_output`'s ``sources`` and ``roots``."""
    sources = {"the content folder": settings["PATH"], "the theme": settings["THEME"]}
    git_folder = os.path.join(PROJECT_ROOT, ".git")
    if os.path.isdir(git_folder):
        sources["the project's git folder"] = git_folder
    roots = {"the project": PROJECT_ROOT, "the settings file's folder": os.path.dirname(os.path.abspath(settings_file))}
    return {"sources": sources, "roots": roots, "own_default": DEFAULT_OUTPUT}


#: What `invoke serve` adds to the settings: Pelican's content cache, kept between rebuilds
#: (not compressed: gzip took longer than the rest of a one-page rebuild), and the drafts, each
#: rendered in its place with a "Draft" banner (guide.content.drafts).
PREVIEW_OVERRIDES = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "GZIP_CACHE": False, SHOW_DRAFTS: True}


def preview_build(state: PreviewState, settings_file: str = "pelicanconf.py", content: str | None = None, output: str | None = None, cache: str | None = None) -> BuildResult:
    """The build `invoke serve` runs on every change, in one session (``cache`` overrides CACHE_PATH)."""
    overrides = dict(PREVIEW_OVERRIDES, **({"CACHE_PATH": os.path.abspath(cache)} if cache else {}))
    return build(settings_file, content=content, output=output, overrides=overrides, preview=state)


def _check_links(site: str, output_path: str, settings, problems: ProblemLog, pages: list[str] | None = None) -> None:
    """Every internal link and #fragment of the staged site must resolve: a warning, so --strict fails.

    The problem names the page's source file when the page has one, else the built file.
    """
    from guide.build.link_check import check_site

    broken_links = check_site(site, settings["SITEURL"], pages=pages)
    index = build_state(settings).site_index
    sources = {c.save_as: c.source_path for c in index.pages + index.posts} if index and broken_links else {}
    for broken in broken_links:
        where = sources.get(broken.page) or os.path.join(output_path, broken.page)
        problems.warn(where, "link", f"{broken.url} (in {broken.page}): {broken.reason}")


class _ProblemHandler(logging.Handler):
    """Turns Pelican's own warnings and errors into problems of the build."""

    def __init__(self, problems: ProblemLog, content_path: str):
        super().__init__(logging.WARNING)
        self.problems = problems
        self.content_path = content_path

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().strip()
        # Pelican logs "Could not process X" from inside its `except`, without the exception
        # unless DEBUG is set; the exception being handled is still the reason.
        error = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if error is not None:
            message = f"{message}: {_reason(error)}"
        severity = WARNING if record.levelno < logging.ERROR else ERROR
        if pelican_internals.is_duplicate_slug_warning(record):
            return  # the validation says which two files share a slug, in one line
        missing = pelican_internals.missing_field(message)
        if missing:  # Pelican skips a post without a date before the plugin sees it
            path, field = missing
            self.problems.add(path, field, f"missing; add `{field}: ...` (Markdown) or `:{field}: ...` (reStructuredText) to the header", severity)
            return
        # A file is named as a path (absolute, or relative to the content) or as the page itself.
        named = [str(arg) for arg in record.args or () if str(arg).endswith(SOURCE_SUFFIXES)]
        if any(known.endswith(arg) or os.path.abspath(known) == arg for arg in named for known in self.problems.paths()):
            return  # e.g. Pelican's "Could not process" for a file the plugin explained better
        path = os.path.join(self.content_path, named[0]) if named else ""
        if error is not None and pelican_internals.is_unreadable_file_error(message):
            self.problems.add(path, "read", f"cannot read this file: {_reason(error)}", severity)
            return
        self.problems.add(path, "pelican", message, severity)


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "its Markdown nests too deeply (lists or quotes inside each other); flatten it"
    return f"{type(error).__name__}: {error}"


@contextlib.contextmanager
def _pelican_log_to(problems: ProblemLog, content_path: str):
    # Pelican drops a warning it has seen before in this process; every build must see its own.
    pelican_internals.forget_logged_messages()
    logger = logging.getLogger("pelican")
    handler = _ProblemHandler(problems, content_path)
    saved = logger.handlers[:], logger.propagate
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = saved
