"""The contract between the guide and the installed Pelican's internals (guide/pelican_internals.py).

A test per access in :mod:`guide.pelican_internals`, against the installed Pelican: the member it
touches still exists and behaves as the guide assumes, and the log messages the build runner
recognises are still the ones Pelican logs. When a Pelican upgrade fails one, its message names
the member that changed; guide/pelican_internals.py is the one file to update. A last test checks
that no other module of the guide touches Pelican's private members, so the seam stays one file,
and another that reading pages on every CPU really puts the pages in Pelican's reader cache.
"""

from __future__ import annotations

import ast
import contextlib
import datetime
import logging
import os
import sys
import time
from pathlib import Path

import docutils.core
import pytest
from helpers import ROOT
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import PagesGenerator, StaticGenerator
from pelican.log import LimitFilter
from pelican.readers import BaseReader, MarkdownReader, Readers, RstReader
from pelican.settings import read_settings
from pelican.utils import process_translations

from guide import pelican_internals

SEAM = "guide/pelican_internals.py"


@contextlib.contextmanager
def contract(member: str):
    """Any failure inside says loudly that Pelican changed ``member`` and where to adapt to it."""
    try:
        yield
    except Exception as error:  # an AssertionError, or the member is gone (AttributeError...)
        pytest.fail(f"Pelican {pelican_internals.version()} changed {member}: update {SEAM} ({type(error).__name__}: {error})")


@contextlib.contextmanager
def logged(name: str):
    """The records the logger ``name`` emits inside, each with the exception being handled then."""
    records: list[tuple[logging.LogRecord, BaseException | None]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record, sys.exc_info()[1]))

    logger = logging.getLogger(name)
    handler = Collect(logging.DEBUG)
    logger.addHandler(handler)
    with contract("LimitFilter._raised_messages and LimitFilter._group_count"):
        pelican_internals.forget_logged_messages()  # another test may have logged the same message
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def settings_for(content: Path, **overrides) -> dict:
    content.mkdir(parents=True, exist_ok=True)
    return read_settings(None, override={"PATH": str(content), "CACHE_PATH": str(content.parent / "cache"), **overrides})


def write_page(content: Path, relative: str, text: str = "Title: A page\n\nSome *body*.\n") -> str:
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def pages_generator(settings: dict, output: Path) -> PagesGenerator:
    """A pages generator set up as ``Pelican.run`` sets up its generators."""
    context = dict(settings, generated_content={}, static_links=set(), static_content={}, localsiteurl="")
    return PagesGenerator(
        context=context, settings=settings, path=settings["PATH"], theme=settings["THEME"], output_path=str(output)
    )


# --- The reader cache ---------------------------------------------------------------------


def test_read_file_fills_the_reader_cache_with_the_files_stamp_and_data(tmp_path):
    content = tmp_path / "content"
    readers = Readers(settings_for(content, CACHE_CONTENT=True), cache_name="pages")
    path = write_page(content, "page.md")
    readers.read_file(str(content), "page.md")
    with contract("Readers._cache"):
        assert isinstance(readers._cache, dict)
        stamp, (body, metadata) = readers._cache[path]
        assert "<em>body</em>" in body
        assert metadata["title"] == "A page"
    with contract("Readers._get_file_stamp"):
        assert stamp == pelican_internals.file_stamp(readers, path)


def test_an_entry_offered_to_the_reader_cache_is_read_instead_of_the_file(tmp_path):
    """As in a build, which caches no content: the entry is what read_file returns, file unread."""
    content = tmp_path / "content"
    readers = Readers(settings_for(content))
    read = []
    markdown = readers.readers["md"]
    markdown_read = markdown.read
    markdown.read = lambda path: read.append(os.path.basename(path)) or markdown_read(path)
    fresh, changed = write_page(content, "fresh.md"), write_page(content, "changed.md")
    data = pelican_internals.reader_cache_data("<p>read by a worker</p>", {"title": "From a worker"})
    with contract("Readers._cache (read by Readers.get_cached_data)"):
        pelican_internals.offer_to_reader_cache(readers, fresh, pelican_internals.file_stamp(readers, fresh), data)
        pelican_internals.offer_to_reader_cache(readers, changed, "a stamp the file no longer has", data)
        page = readers.read_file(str(content), "fresh.md")
        assert (pelican_internals.body_html(page), page.title) == ("<p>read by a worker</p>", "From a worker")
        assert read == []
        assert readers.read_file(str(content), "changed.md").title == "A page"
        assert read == ["changed.md"]


def test_a_forgotten_entry_is_read_again(tmp_path):
    content = tmp_path / "content"
    readers = Readers(settings_for(content, CACHE_CONTENT=True), cache_name="pages")
    path = write_page(content, "page.md")
    readers.read_file(str(content), "page.md")
    read = []
    markdown = readers.readers["md"]
    markdown_read = markdown.read
    markdown.read = lambda path: read.append(os.path.basename(path)) or markdown_read(path)
    with contract("Readers._cache (an entry taken out of it is read again)"):
        readers.read_file(str(content), "page.md")
        assert read == []
        pelican_internals.forget_cached_read(readers, path)
        assert readers.read_file(str(content), "page.md").title == "A page"
        assert read == ["page.md"]


def test_reader_cache_data_leaves_out_what_metadata_processors_discard(tmp_path):
    reader = BaseReader(settings_for(tmp_path / "content"))
    with contract("pelican.readers._filter_discardable_metadata"):
        discarded = reader.process_metadata("status", "   ")  # an empty status is discarded
        assert pelican_internals.reader_cache_data("<p>x</p>", {"status": discarded, "title": "T"}) == (
            "<p>x</p>",
            {"title": "T"},
        )


# --- What the guide puts in Pelican's place -------------------------------------------------


def test_a_replaced_metadata_processor_is_what_the_readers_use(tmp_path):
    content = tmp_path / "content"
    path = write_page(content, "dated.md", "Title: Dated\nDate: 2026-11-21\nModified: 2026-11-22\n\nBody.\n")
    original = {field: pelican_internals.metadata_processor(field) for field in ("date", "modified")}
    try:
        with contract("pelican.readers.METADATA_PROCESSORS"):
            assert original["date"]("2026-11-21", {}).date() == datetime.date(2026, 11, 21)
            for field in original:
                pelican_internals.set_metadata_processor(field, lambda text, settings, field=field: (field, text))
            _, metadata = MarkdownReader(settings_for(content)).read(path)
            assert (metadata["date"], metadata["modified"]) == (("date", "2026-11-21"), ("modified", "2026-11-22"))
    finally:
        for field, process in original.items():
            pelican_internals.set_metadata_processor(field, process)


def test_a_wrapped_read_file_is_what_the_generator_calls(tmp_path):
    content = tmp_path / "content"
    write_page(content, "pages/a.md")
    generator = pages_generator(settings_for(content), tmp_path / "output")
    called = []

    def wrap(read_file):
        def read_file_and_note(base_path, path, *args, **kwargs):
            called.append(path)
            return read_file(base_path, path, *args, **kwargs)

        return read_file_and_note

    pelican_internals.wrap_read_file(generator.readers, wrap)
    generator.generate_context()
    with contract("Readers.read_file (called on the generator's Readers object)"):
        assert called == [os.path.join("pages", "a.md")]
        assert [page.title for page in generator.pages] == ["A page"]


def test_overridden_static_links_are_what_the_generator_collects(tmp_path):
    content = tmp_path / "content"
    write_page(content, "pages/a.md", "Title: A page\n\n![A diagram]({static}/images/a.svg)\n")
    generator = pages_generator(settings_for(content), tmp_path / "output")
    scanned = []

    def override(page) -> None:
        scanned.append(pelican_internals.pelican_static_links(page))
        pelican_internals.override_static_links(page, lambda: {"images/from-the-guide.svg"})

    signals.content_object_init.connect(override)
    try:
        generator.generate_context()
    finally:
        signals.content_object_init.disconnect(override)
    with contract("Content.get_static_links"):
        assert scanned == [{"images/a.svg"}]
        assert generator.context["static_links"] == {"images/from-the-guide.svg"}


def test_the_linked_static_files_are_what_the_static_generator_publishes_beside_static_paths(tmp_path):
    """A file named in the set is published though no STATIC_PATHS holds it; once taken out, it is not."""
    content = tmp_path / "content"
    settings = settings_for(content, STATIC_PATHS=[])
    for name in ("linked.svg", "removed.txt"):
        (content / name).write_text("x", encoding="utf-8")
    context = dict(settings, generated_content={}, static_links={"linked.svg", "removed.txt"}, static_content={})
    generator = StaticGenerator(
        context=context, settings=settings, path=str(content), theme=settings["THEME"], output_path=str(tmp_path / "out")
    )
    with contract('context["static_links"]'):
        pelican_internals.linked_static_files(generator.context).discard("removed.txt")
        generator.generate_context()
        assert [static.source_path for static in generator.staticfiles] == [str(content / "linked.svg")]


# --- A page's body ------------------------------------------------------------------------


def test_the_body_html_is_the_body_pelican_renders(tmp_path):
    settings = settings_for(tmp_path / "content", SITEURL="https://example.org")
    page = Page(
        '<p><a href="{filename}/pages/b.md">B</a></p>',
        metadata={"title": "A"},
        settings=settings,
        source_path=str(tmp_path / "content" / "a.md"),
        context={"generated_content": {}, "static_content": {}, "localsiteurl": ""},
    )
    with contract("Content._content"):
        assert pelican_internals.body_html(page) == '<p><a href="{filename}/pages/b.md">B</a></p>'
        pelican_internals.set_body_html(page, '<p><a href="https://example.org/b.html">B</a></p>')
        assert page.content == '<p><a href="https://example.org/b.html">B</a></p>'


# --- reStructuredText -----------------------------------------------------------------------


def test_rst_reader_keeps_the_language_pelican_chose(tmp_path):
    with contract("RstReader._language_code"):
        assert pelican_internals.rst_language_code(RstReader(settings_for(tmp_path / "content", DEFAULT_LANG="de"))) == "de"


def test_rst_metadata_is_pelicans_docinfo_without_its_title_warning(tmp_path):
    reader = RstReader(settings_for(tmp_path / "content"))
    document = docutils.core.publish_doctree(":slug: contract\n:sort-order: 0101\n\nA body without a title.\n")
    with contract("RstReader._parse_metadata and its 'Document title missing' warning"):
        with logged(pelican_internals.READERS_LOGGER) as records:
            fields = reader._parse_metadata(document, "post.rst")
        assert fields == {"slug": "contract", "sort-order": "0101"}
        assert [str(r.msg).startswith(pelican_internals.TITLE_MISSING_PREFIX) for r, _ in records] == [True]
        with logged(pelican_internals.READERS_LOGGER) as records:
            assert pelican_internals.rst_metadata(reader, document, "post.rst") == fields
        assert records == []


# --- Pelican's log ------------------------------------------------------------------------


def test_forgetting_logged_messages_lets_a_repeated_warning_log_again():
    name = "pelican.guide_contract"  # a logger of Pelican's class, as every pelican.* logger is
    with contract("LimitFilter._raised_messages and LimitFilter._group_count"):
        assert isinstance(LimitFilter._raised_messages, set)
        assert isinstance(LimitFilter._group_count, dict)
        with logged(name) as records:
            logger = logging.getLogger(name)
            for _ in range(2):
                logger.warning("The same warning")
            assert len(records) == 1  # Pelican drops the repeat...
            pelican_internals.forget_logged_messages()
            logger.warning("The same warning")
            assert len(records) == 2  # ...until the guide makes it forget
            pelican_internals.forget_logged_messages()
            for _ in range(2):
                for number in range(8):
                    logger.warning("Item %s", number, extra={"limit_msg": "More items"})
                pelican_internals.forget_logged_messages()
            # Pelican logs the first 4 of a group and then its limit message, in each build
            assert [r.getMessage() for r, _ in records[2:]] == [*(f"Item {n}" for n in range(4)), "More items"] * 2


def test_pelicans_error_about_a_missing_field_is_recognised(tmp_path):
    settings = settings_for(tmp_path / "content")
    source = str(tmp_path / "content" / "untitled.md")
    with contract("Content._has_valid_mandatory_properties's message (MISSING_FIELD_RE)"):
        with logged("pelican.contents") as records:
            assert not Page("<p>x</p>", metadata={"slug": "x"}, settings=settings, source_path=source, context={}).is_valid()
        assert [pelican_internals.missing_field(r.getMessage()) for r, _ in records] == [(source, "title")]


def test_pelicans_warnings_about_one_slug_twice_are_recognised(tmp_path):
    settings = settings_for(tmp_path / "content")
    date = datetime.datetime(2026, 11, 21)
    posts = [
        Article(
            "<p>x</p>",
            metadata={"title": name, "slug": "same", "date": date},
            settings=settings,
            source_path=str(tmp_path / f"{name}.md"),
            context={},
        )
        for name in ("a", "b")
    ]
    with contract("pelican.utils.get_original_items's messages (DUPLICATE_SLUG_RE)"):
        with logged("pelican.utils") as records:
            process_translations(posts, translation_id="slug")
        assert len(records) == 2
        assert all(pelican_internals.is_duplicate_slug_warning(r) for r, _ in records)


def test_pelicans_error_about_a_file_it_cannot_read_is_recognised_with_its_reason(tmp_path):
    content = tmp_path / "content"
    write_page(content, "pages/broken.md")
    generator = pages_generator(settings_for(content), tmp_path / "output")
    reason = ValueError("the reader failed")

    def fail(path):
        raise reason

    generator.readers.readers["md"].read = fail
    with contract("Generator.generate_context's 'Could not process' error"):
        with logged("pelican.generators") as records:
            generator.generate_context()
        [(record, handled)] = [(r, e) for r, e in records if r.levelno >= logging.ERROR]
        assert pelican_internals.is_unreadable_file_error(record.getMessage())
        assert handled is reason  # logged inside the except: the runner gives this reason
        assert [str(arg) for arg in record.args] == [os.path.join("pages", "broken.md")]


# --- The seam stays one file ----------------------------------------------------------------


def private_accesses(path: Path) -> list[str]:
    """``x._name`` (x not self or cls) and ``from pelican... import _name`` in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        private = isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        if private and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pelican"):
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith("_")
            ]
    return found


def test_only_pelican_internals_touches_private_members():
    modules = sorted(path for path in (ROOT / "guide").rglob("*.py") if path != ROOT / SEAM)
    assert modules, "no module found under guide/"
    found = [access for path in modules for access in private_accesses(path)]
    assert found == [], f"go through a function of {SEAM} (with a contract test here): {found}"


# --- Reading pages on every CPU fills Pelican's reader cache --------------------------------


@pytest.mark.build
def test_the_workers_pages_are_taken_from_the_reader_cache(tmp_path, monkeypatch):
    """More pages than parallel_read starts workers for: Pelican reads some of them from the cache.

    Pelican's first read waits until the worker has read a few of the last pages, so that their
    entries reach the cache before Pelican gets to them, however busy the machine.
    """
    from guide.build import parallel_read
    from guide.build.runner import build

    content = tmp_path / "content"
    count = parallel_read.MIN_FILES + 6
    pages = {
        write_page(
            content,
            f"pages/01-chapter/{n:02d}-page-{n}.md",
            f"title: Page {n}\nslug: page-{n}\nsort-order: 01{n:02d}\nmeta: Page {n}.\n\nText of page {n}.\n",
        )
        for n in range(1, count + 1)
    }
    monkeypatch.setattr(parallel_read, "cpu_count", lambda: 2)  # one worker, on any machine
    main, worker_log = os.getpid(), tmp_path / "read-by-the-worker"
    read_by_pelican, offered = [], set()
    read_markdown = MarkdownReader.read

    def read(reader, source_path):
        result = read_markdown(reader, source_path)
        if os.getpid() != main:
            with open(worker_log, "a", encoding="utf-8") as log:
                log.write(f"{source_path}\n")
        else:
            if not read_by_pelican:
                wait_for_lines(worker_log, 3)
            read_by_pelican.append(source_path)
        return result

    offer = parallel_read.offer_to_reader_cache

    def offer_and_note(readers, path, stamp, data):
        offered.add(path)
        offer(readers, path, stamp, data)

    monkeypatch.setattr(MarkdownReader, "read", read)
    monkeypatch.setattr(parallel_read, "offer_to_reader_cache", offer_and_note)
    build(str(ROOT / "pelicanconf.py"), content=str(content), output=str(tmp_path / "output"), search=False)
    assert offered, "parallel_read's worker handed no page over to Pelican's reader cache (guide/build/parallel_read.py)"
    taken = offered - set(read_by_pelican)
    with contract("Readers._cache (a page in it is not read again)"):
        assert taken, f"Pelican read all {len(pages)} pages itself, although the worker's {len(offered)} were in its reader cache"
    assert set(read_by_pelican) | offered == pages


def wait_for_lines(path: Path, lines: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text(encoding="utf-8").splitlines()) >= lines:
            return
        time.sleep(0.01)
