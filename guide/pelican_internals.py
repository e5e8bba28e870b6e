"""Every use of Pelican's internals, in one place: what a Pelican upgrade may break.

Pelican has no public API for some of what the guide needs: putting pages read elsewhere into its
reader cache, hearing every warning of every build, rewriting a page's body, knowing which of its
log messages is which. Each such access is one small function here, whose docstring names the
Pelican member it touches and why the guide needs it; no other module of :mod:`guide` touches a
private member of Pelican (``tests/test_pelican_internals.py`` checks that too).

Pelican is pinned (``pyproject.toml``). ``tests/test_pelican_internals.py`` has a contract test
per function, run against the installed Pelican: after an upgrade, a failing one says which
member changed, and this file is the one to update.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable

import pelican
from pelican import readers as pelican_readers
from pelican.log import LimitFilter

READERS_LOGGER = "pelican.readers"  #: the logger of Pelican's readers (``pelican.readers.logger``)


def version() -> str:
    """The installed Pelican's version, for the contract tests' messages."""
    return pelican.__version__


# --- The reader cache: pages read by parallel_read's workers ---------------------------------


def file_stamp(readers, path: str):
    """``Readers._get_file_stamp(path)``: the stamp Pelican stores with a reader cache entry.

    A worker of :mod:`guide.build.parallel_read` takes it before reading the file, as Pelican
    does, so that a file changed meanwhile no longer matches its entry and is read again.
    """
    return readers._get_file_stamp(path)


def reader_cache_data(content, metadata: dict) -> tuple:
    """The data Pelican caches for one reader's result: ``(content, metadata)``, the metadata
    passed through ``pelican.readers._filter_discardable_metadata``.

    ``Readers.read_file`` filters a reader's metadata (dropping the values its metadata
    processors marked ``_DISCARD``) before it caches them; a worker's entry must be the same.
    """
    return content, pelican_readers._filter_discardable_metadata(metadata)


def offer_to_reader_cache(readers, path: str, stamp, data: tuple) -> None:
    """Put a page read elsewhere into ``Readers._cache`` as ``(stamp, data)``, unless Pelican has it.

    ``Readers.read_file`` asks ``get_cached_data``, which reads ``_cache[path]`` and returns
    ``data`` when ``stamp`` is still the file's: then Pelican does not read the file. It does so
    even when the site does not cache content (``_cache`` is an empty dict then), which is what
    lets :mod:`guide.build.parallel_read` hand the pages its workers read to Pelican.
    """
    readers._cache.setdefault(path, (stamp, data))


def forget_cached_read(readers, path: str) -> None:
    """Drop ``path``'s entry from ``Readers._cache``, so that ``read_file`` reads the file again.

    A page that draws a data table (:mod:`guide.markdown.data_tables`) shows a file besides its
    own, whose changes the entry's stamp (the page's own) does not see: without this, `invoke
    serve` would keep the old table beside the new ``data/NAME.json``.
    """
    readers._cache.pop(path, None)


def wrap_read_file(readers, wrap: Callable[[Callable], Callable]) -> None:
    """Replace ``Readers.read_file`` on one Readers object by ``wrap(read_file)``.

    Pelican's generators call ``self.readers.read_file(...)`` on their own Readers object, so an
    attribute of that object takes the method's place for that build only; the guide wraps it to
    name the file a bad date is in (:mod:`guide.content.dates`).
    """
    readers.read_file = wrap(readers.read_file)


def metadata_processor(field: str) -> Callable:
    """``pelican.readers.METADATA_PROCESSORS[field]``: how every reader turns a field's text into
    its value, e.g. ``date`` with dateutil: ``process(text, settings)``."""
    return pelican_readers.METADATA_PROCESSORS[field]


def set_metadata_processor(field: str, process: Callable) -> None:
    """Replace ``pelican.readers.METADATA_PROCESSORS[field]``, for every reader of this process.

    ``BaseReader.process_metadata`` looks the table up on each call; the guide's date processors
    name a bad date and refuse a partial one (:mod:`guide.content.dates`).
    """
    pelican_readers.METADATA_PROCESSORS[field] = process


# --- reStructuredText ---------------------------------------------------------------------


def rst_language_code(reader) -> str:
    """``RstReader._language_code``: the docutils language Pelican chose from ``DEFAULT_LANG``
    (``en`` when docutils has none for it). The guide's reader publishes with its own docutils
    settings, which must keep Pelican's choice."""
    return reader._language_code


def rst_metadata(reader, document, source_path: str) -> dict:
    """``RstReader._parse_metadata(document, source_path)``: the fields of a reStructuredText
    file's docinfo, processed as Pelican processes them, without Pelican's title warning.

    The guide's reader publishes the document itself (to hear docutils' messages), then reads
    its fields the way Pelican does. Pelican warns "Document title missing in file X" when the
    document has no top-level title; the validation says ``title: missing`` when a post really
    has none, and a post may give its title as a ``:title:`` field, so the warning is dropped.
    """
    with _without_title_warning():
        return reader._parse_metadata(document, source_path)


#: How Pelican's warning about a reStructuredText file without a top-level title begins.
TITLE_MISSING_PREFIX = "Document title missing"


class _NoTitleWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(TITLE_MISSING_PREFIX)


@contextlib.contextmanager
def _without_title_warning():
    logger = logging.getLogger(READERS_LOGGER)
    title_filter = _NoTitleWarning()
    logger.addFilter(title_filter)
    try:
        yield
    finally:
        logger.removeFilter(title_filter)


# --- A page's body ------------------------------------------------------------------------


def body_html(content) -> str | None:
    """``Content._content``: a page's or post's body HTML as read, before Pelican rewrites its
    ``{filename}`` links. The checks, the outline and the preview's signatures read it; the public
    ``content`` property would rewrite the links on every read."""
    return content._content


def set_body_html(content, html: str) -> None:
    """Set ``Content._content``, the body Pelican renders: the guide makes its site paths
    (``/slug.html``) absolute under ``SITEURL`` (:mod:`guide.content.site_links`)."""
    content._content = html


def pelican_static_links(content) -> set[str]:
    """``Content.get_static_links()`` as Pelican defines it: the ``{static}`` files a body links to."""
    return type(content).get_static_links(content)


def override_static_links(content, scan: Callable[[], set[str]]) -> None:
    """Replace ``get_static_links`` on one page or post by ``scan``.

    Pelican's generators call ``content.get_static_links()`` on every page and post of every
    build, cached or not; an attribute of the object takes the method's place. `invoke serve`
    answers from memory for a body it has scanned before (:mod:`guide.build.preview`).
    """
    content.get_static_links = scan


def linked_static_files(context: dict) -> set[str]:
    """``context["static_links"]``: the files the ``{static}`` and ``{attach}`` links of every
    page and post name, relative to the content folder, as written (``../x`` included).

    ``StaticGenerator.generate_context`` publishes each of them besides the files of
    STATIC_PATHS, whatever it is and wherever it lies; the guide removes from this set, once the
    pages and posts are read, every file the site must not publish (:mod:`guide.content.page_images`).
    """
    return context["static_links"]


# --- Pelican's log: every build hears every message, and knows some of them ------------------


def forget_logged_messages() -> None:
    """Empty ``LimitFilter._raised_messages`` and ``LimitFilter._group_count``.

    Pelican's loggers drop a warning they have logged before in this process, and all but the
    first few of a group; both are remembered in these class attributes. `invoke serve` builds
    many times in one process, and each build must report its own warnings.
    """
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


#: Pelican's error about a page or post without a mandatory field
#: (``Content._has_valid_mandatory_properties``): "Skipping %s: could not find information about '%s'".
MISSING_FIELD_RE = re.compile(r"^Skipping (?P<path>.+?): could not find information about '(?P<field>[\w-]+)'")
#: Pelican's warnings about two pages or posts with one slug (``pelican.utils.get_original_items``),
#: matched on the message's template.
DUPLICATE_SLUG_RE = re.compile(r"^There are %s (?:items|original \(not translated\) items)")
#: How Pelican's error about a file its reader failed on begins (``Generator.generate_context``,
#: logged inside the ``except`` that caught the reader's exception).
UNREADABLE_PREFIX = "Could not process"


def missing_field(message: str) -> tuple[str, str] | None:
    """(path, field) when ``message`` is Pelican's error about a page or post without a mandatory
    field (it skips a post without a date before the plugin sees it); else None."""
    missing = MISSING_FIELD_RE.match(message)
    return (missing["path"], missing["field"]) if missing else None


def is_duplicate_slug_warning(record: logging.LogRecord) -> bool:
    """True for Pelican's warnings about two items with one slug: the validation names both files."""
    return isinstance(record.msg, str) and DUPLICATE_SLUG_RE.match(record.msg) is not None


def is_unreadable_file_error(message: str) -> bool:
    """True for Pelican's "Could not process X": the exception being handled is the reason."""
    return message.startswith(UNREADABLE_PREFIX)
