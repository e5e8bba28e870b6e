"""The output folder: which folders a build may replace, and how it replaces one safely.

A build owns only folders it made. It writes into a staging folder beside the output, marks it
with :data:`MARKER` and swaps it in only when the build succeeded. So a folder may be replaced
when it does not exist, is empty, or carries the mark; every other folder is refused before
anything is written, with one line that says why:

- the content folder, the theme or the project itself, any folder inside them (a second build
  would read the first one's pages as content), and any folder that holds them (``--output .``
  would replace the repository);
- a folder that holds files the build did not write;
- a symbolic link or a file.

A staging folder is locked (``flock`` on its marker) while its build runs. Leftovers of an
interrupted build, staging or retired folders whose lock nobody holds, are removed by the next
build into the same output. Folders from before the mark existed are recognised by their
names: the project's own ``output/`` and the ``.output.building-*`` folders beside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile

#: The file that marks a folder as written by this build (its text says so to a curious reader).
MARKER = ".guide-build"
MARKER_TEXT = "Written by the guide's build (invoke build). The next build replaces this folder.\n"
_STAGING, _RETIRED = "building", "old"


class OutputRefused(Exception):
    """The build may not write this output folder; the message says why and what to do."""


def check_output(output: str, sources: dict[str, str], roots: dict[str, str], own_default: str | None = None) -> None:
    """Raise OutputRefused unless the build may replace ``output``.

    ``sources`` name folders ("the content folder": path) that the output may neither be, lie
    in, nor hold; ``roots`` name folders it may lie in but neither be nor hold (the project:
    ``output/`` is inside it). ``own_default`` is the project's default output folder, the
    build's own even without the mark (it was written before the mark existed).
    """
    real = os.path.realpath(output)
    for name, folder in {**roots, **sources}.items():
        folder = os.path.realpath(folder)
        if real == folder:
            raise OutputRefused(f"{output} is {name}; the build would replace it. Choose another --output, e.g. output/")
        if _inside(folder, real):
            raise OutputRefused(f"{output} holds {name} ({folder}); the build would replace it. Choose a new or empty folder")
        if name in sources and _inside(real, folder):
            raise OutputRefused(f"{output} is inside {name} ({folder}); choose a folder outside it, e.g. output/")
    if os.path.islink(output):
        raise OutputRefused(f"{output} is a symbolic link; name the folder itself ({real})")
    existing = _nearest_existing(output)
    if not os.path.isdir(existing):
        raise OutputRefused(f"{existing} is a file, not a folder; choose another --output")
    if os.path.isdir(output) and not is_own(output, own_default):
        raise OutputRefused(
            f"{output} holds files the build did not write; it replaces only folders it made. "
            "Choose a new or empty folder, or empty this one yourself"
        )


def is_own(folder: str, own_default: str | None = None) -> bool:
    """True when the build wrote ``folder`` (its mark), or it is empty, or the old default output."""
    if os.path.isfile(os.path.join(folder, MARKER)):
        return True
    if own_default and os.path.realpath(folder) == os.path.realpath(own_default):
        return True
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _nearest_existing(path: str) -> str:
    while not os.path.lexists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder and path != folder


@contextlib.contextmanager
def staging_folder(output: str, own_default: str | None = None):
    """A new marked, locked folder beside ``output`` to build into; removed unless handed over.

    Yields its path. Leftovers of interrupted builds of the same output are cleaned up first.
    """
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    remove_leftovers(output, own_default)
    staging = tempfile.mkdtemp(prefix=_prefix(output, _STAGING), dir=parent)
    marker = os.open(os.path.join(staging, MARKER), os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(marker, fcntl.LOCK_EX)
        os.write(marker, MARKER_TEXT.encode())
        yield staging
    finally:
        os.close(marker)  # releases the lock
        if os.path.isdir(staging):
            shutil.rmtree(staging, ignore_errors=True)


def replace_folder(new: str, target: str) -> None:
    """Swap the freshly built folder in; the old one is removed only once the new one is in place."""
    os.chmod(new, 0o755)
    retired = None
    if os.path.exists(target):
        retired = tempfile.mkdtemp(prefix=_prefix(target, _RETIRED), dir=os.path.dirname(target))
        os.rmdir(retired)
        os.rename(target, retired)
    os.rename(new, target)
    if retired:
        shutil.rmtree(retired, ignore_errors=True)


def remove_leftovers(output: str, own_default: str | None = None) -> list[str]:
    """Remove staging and retired folders of ``output`` that no running build holds.

    A folder from before the mark existed is removed only beside the project's default output,
    where the old build left them. Returns the removed paths.
    """
    parent, name = os.path.split(output)
    pattern = re.compile(rf"\.{re.escape(name)}\.(?:{_STAGING}|{_RETIRED})-[A-Za-z0-9_]{{8}}")
    legacy = own_default is not None and os.path.realpath(output) == os.path.realpath(own_default)
    removed = []
    try:
        candidates = os.listdir(parent)
    except FileNotFoundError:
        return removed
    for entry in sorted(candidates):
        path = os.path.join(parent, entry)
        if not pattern.fullmatch(entry) or os.path.islink(path) or not os.path.isdir(path):
            continue
        if _abandoned(path, legacy):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _abandoned(folder: str, legacy: bool) -> bool:
    """A marked folder whose lock nobody holds, or (``legacy``) an unmarked one."""
    try:
        marker = os.open(os.path.join(folder, MARKER), os.O_RDONLY)
    except FileNotFoundError:
        return legacy
    try:
        fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False  # a build is writing it right now
    finally:
        os.close(marker)
    return True


def _prefix(output: str, kind: str) -> str:
    return f".{os.path.basename(output)}.{kind}-"
