"""Read the guide's pages on every CPU: Markdown is most of a build, and Pelican reads one file at a time.

When the pages generator starts, forked worker processes begin reading the pages that are not in
Pelican's content cache, from the last one backwards, while Pelican reads them from the first
one forwards. Before each file Pelican reads, what the workers have finished goes into Pelican's
reader cache (the one `invoke serve` keeps on disk), where Pelican finds it instead of reading
the file again. They meet in the middle.

What Pelican gets is exactly what it would have read itself: the same reader objects (the
workers are forks of this process), the same cache entry format, stamped with the file's
modification stamp as it was before the worker read it, so a file changed meanwhile is read
again. A file whose reading logs anything (a warning, an error) or whose result cannot be sent
back is left to Pelican, so its messages reach the build's report as they always did.

Only on Linux (``fork``) with more than one CPU and enough pages to be worth a process.
"""

from __future__ import annotations

import atexit
import collections
import concurrent.futures
import logging
import multiprocessing
import os
import sys

from pelican.utils import file_suffix

from guide.pelican_internals import file_stamp, offer_to_reader_cache, reader_cache_data

MIN_FILES = 64  #: fewer files to read than this: not worth starting a process
MAX_WORKERS = 3

_readers = None  #: the generator's Readers, inherited by the forked workers
_logged: list[logging.LogRecord] = []  #: in a worker: what reading the current file logged
_current: _PreReader | None = None


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _PreReader:
    def __init__(self, readers, paths: list[str], workers: int) -> None:
        global _readers
        _readers = readers
        self.readers = readers
        self.ready: collections.deque = collections.deque()
        context = multiprocessing.get_context("fork")
        self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker)
        for path in reversed(paths):
            self.pool.submit(_read, path).add_done_callback(self._done)

    def _done(self, future) -> None:
        if not future.cancelled() and future.exception() is None and future.result() is not None:
            self.ready.append(future.result())

    def hand_over(self) -> None:
        """Put what the workers have read into Pelican's reader cache."""
        while self.ready:
            path, stamp, data = self.ready.popleft()
            offer_to_reader_cache(self.readers, path, stamp, data)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def start(generator) -> None:
    """``page_generator_init``: start reading the generator's pages in worker processes."""
    stop()
    workers = min(cpu_count() - 1, MAX_WORKERS)
    if workers < 1 or not sys.platform.startswith("linux"):
        return
    settings, readers = generator.settings, generator.readers
    paths = []
    for name in generator.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"]):
        path = os.path.abspath(os.path.join(generator.path, name))
        if file_suffix(path) in readers.readers and readers.get_cached_data(path, None) is None:
            paths.append(path)
    if len(paths) < MIN_FILES:
        return
    global _current
    _current = _PreReader(readers, paths, workers)


def hand_over(generator) -> None:
    """``page_generator_preread``: before Pelican reads a file, take what the workers have read."""
    if _current is not None and _current.readers is generator.readers:
        _current.hand_over()


def stop(generator=None) -> None:
    """``page_generator_finalized``: every page is read; stop the workers."""
    global _current
    if _current is not None:
        current, _current = _current, None
        current.close()


atexit.register(stop)


class _Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _logged.append(record)


def _start_worker() -> None:
    """In a worker: what is logged goes nowhere but ``_logged``; a file that logs is left to Pelican.

    Every record reaches ``_logged``: no logger filters it (Pelican's filter drops repeats) or
    keeps it from propagating to the root logger.
    """
    handler = _Collect(logging.DEBUG)
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            logger.handlers[:] = []
            logger.filters[:] = []
            logger.propagate = True
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def _read(path: str):
    """In a worker: the reader cache entry Pelican would make for ``path``, or None to leave it to Pelican."""
    _logged.clear()
    try:
        stamp = file_stamp(_readers, path)
        data = reader_cache_data(*_readers.readers[file_suffix(path)].read(path))
    except Exception:
        return None
    if any(record.levelno >= logging.WARNING for record in _logged):
        return None
    return path, stamp, data
