"""Fast rebuilds for `invoke serve`: render only the guide pages whose HTML can have changed.

`invoke serve` keeps one :class:`PreviewState` for its whole session and passes it to every build
(``build(..., preview=state)``). The session's first build is a full build: staging folder, search
index, link check, swap. Each later build reads through Pelican's content cache and renders into
a fresh staging folder as usual, but a guide page is rendered only when its signature changed:

- the *site signature* covers what every guide page may show of the rest of the site: the
  settings, the theme's templates and icons, every page's and post's fields, URL, status and
  dates, the chapters, the posts' bodies, the copyright year and the site's paths;
- the *page signature* adds what the page shows of itself: its file, template and body (its
  outline comes from its body, its choices from its fields and the theme's icons).

A guide page's HTML shows other pages' fields (titles and URLs in the chapter navigation and the
pager), never another page's body. So editing the text of one page changes one signature and
that page alone is rendered; editing a title, a slug, a choice or a template renders them all.
Posts, the site's own pages (index, table of contents...) and static files are always rendered.

When the build succeeds, the staged files replace their counterparts in the output folder, the
pages left alone stay as they are, and files the build no longer produces are removed. When it
fails, the staging folder is removed and the output is exactly as it was. The links on the
rewritten pages are checked against the whole site. The search index (``pagefind/``) is the one
the session's first build made: re-indexing the whole site on every save would take longer than
the rest of the rebuild; a new session or `invoke build` refreshes it.
A skipped page is checked on disk first: if its output file is not the one this session wrote
(`invoke build` or `invoke clean` ran meanwhile), it is rendered again.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import shutil

from jinja2 import BytecodeCache
from pelican.contents import Page
from pelican.writers import Writer

from guide import pelican_internals
from guide.build.memo import Reuse
from guide.build_state import SETTING as STATE_SETTING
from guide.build_state import build_state

SEARCH_FOLDER = "pagefind"  #: kept from the session's first build
_STATIC_LINKS = Reuse()  #: (content folder, source, body) -> the {static} files a body links to


@dataclasses.dataclass
class PreviewState:
    """What one `invoke serve` session knows about the output folder it last wrote."""

    output_path: str | None = None
    #: guide page file (relative to the output) -> (signature, size, mtime_ns) as last written
    pages: dict[str, tuple[tuple, int, int]] = dataclasses.field(default_factory=dict)
    #: compiled templates, by the Jinja options they were compiled with
    templates: dict[str, BytecodeCache] = dataclasses.field(default_factory=dict)

    def knows(self, output_path: str) -> bool:
        """True once a build of this session succeeded into ``output_path`` and it still exists."""
        return self.output_path == output_path and os.path.isdir(output_path)


def start(state: PreviewState, settings: dict, output_path: str) -> PreviewRun:
    """Set up one preview build of ``state``'s session: returns its PreviewRun, also in the build's state."""
    run = build_state(settings).preview = PreviewRun(state, output_path, incremental=state.knows(output_path))
    options = dict(settings.get("JINJA_ENVIRONMENT") or {})
    options["bytecode_cache"] = state.templates.setdefault(repr(sorted(options.items())), _CompiledTemplates())
    settings["JINJA_ENVIRONMENT"] = options
    return run


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for a session (a changed template is compiled again)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class PreviewRun:
    """One preview build: which guide pages it rendered (with their signatures) and which it kept."""

    def __init__(self, state: PreviewState, output_path: str, incremental: bool) -> None:
        self.state = state
        self.output_path = output_path
        self.incremental = incremental
        self.rendered: dict[str, tuple] = {}  #: file -> signature
        self.kept: set[str] = set()
        self._site_signature: str | None = None

    def should_render(self, name: str, context: dict, page) -> bool:
        signature = self.page_signature(name, context, page)
        known = self.state.pages.get(name)
        if self.incremental and known and known[0] == signature and _stamp(os.path.join(self.output_path, name)) == known[1:]:
            self.kept.add(name)
            return False
        self.rendered[name] = signature
        return True

    def page_signature(self, name: str, context: dict, page) -> tuple:
        """The site's signature, plus the page's file, template and body.

        The rest of what a page shows of itself comes from its fields (in the site's signature)
        or from its body (the outline). The body is compared by length and ``hash()``, which the
        build has computed already: a session's state lives in one process, like ``hash()``.
        """
        if self._site_signature is None:
            self._site_signature = site_signature(context, page.settings)
        body = pelican_internals.body_html(page) or ""
        return (self._site_signature, name, page.template, len(body), hash(body))

    def commit(self) -> None:
        """Record what the output folder now holds (call once the build is in place)."""
        pages = {name: known for name, known in self.state.pages.items() if name in self.kept}
        for name, signature in self.rendered.items():
            stamp = _stamp(os.path.join(self.output_path, name))
            if stamp:
                pages[name] = (signature, *stamp)
        self.state.pages = pages
        self.state.output_path = self.output_path


class PreviewWriter(Writer):
    """Pelican's writer, except that it leaves alone a guide page whose signature is unchanged."""

    def write_file(self, name, template, context, *args, **kwargs):
        page = kwargs.get("page")
        run = build_state(self.settings).preview
        if run and isinstance(page, Page) and template.name == "page.html" and not run.should_render(name, context, page):
            return None
        return super().write_file(name, template, context, *args, **kwargs)


def settle() -> None:
    """Once a session's first build is done: collect its garbage, and keep what stays (modules,
    compiled templates, remembered results) out of later collections, which would otherwise
    walk all of it during every rebuild."""
    gc.collect()
    gc.freeze()


def writer_for(pelican):
    """The ``get_writer`` signal: the preview writer while `invoke serve` builds, else Pelican's."""
    return PreviewWriter if build_state(pelican.settings).preview else None


def reuse_static_links(content) -> None:
    """``content_object_init``: in a preview build, reuse Pelican's scan of an unchanged body.

    Pelican scans every body for ``{static}`` links on every build, cached or not; the answer
    depends only on the body and where its source is.
    """
    if not build_state(content.settings).preview or not isinstance(pelican_internals.body_html(content), str):
        return

    def get_static_links() -> set[str]:
        body = pelican_internals.body_html(content)
        key = (content.settings["PATH"], content.source_path, content.settings["INTRASITE_LINK_REGEX"], body)
        return set(_STATIC_LINKS.get(key, lambda: frozenset(pelican_internals.pelican_static_links(content))))

    pelican_internals.override_static_links(content, get_static_links)


def site_signature(context: dict, settings: dict) -> str:
    """A digest of everything of the site (not of one page) that a guide page's HTML may show."""
    digest = hashlib.blake2b(digest_size=20)
    for key in sorted(settings):
        if key not in ("OUTPUT_PATH", STATE_SETTING):  # the build's state is not configuration
            _feed(digest, key, repr(settings[key]))
    for part in ("templates", "icons"):  # the choices' icons are drawn from theme/icons
        top = os.path.join(settings["THEME"], part)
        for folder, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                with open(path, "rb") as file:
                    _feed(digest, os.path.relpath(path, settings["THEME"]), file.read())
    index = context.get("site_index")
    if index is not None:
        _feed(digest, repr(sorted(index.paths.items())))
        for content in index.pages + index.posts:
            _feed(digest, content.source_path, content.url, getattr(content, "status", ""))
            _feed(digest, repr(sorted(content.metadata.items(), key=lambda item: item[0])))
            _feed(digest, repr(getattr(content, "last_updated", None)))
            _feed(digest, repr(getattr(content, "example_download", None)))  # its size, its pins
            chapter = getattr(content, "chapter", None)
            _feed(digest, repr((chapter.number, chapter.title) if chapter else None))
        for post in index.posts:
            _feed(digest, pelican_internals.body_html(post))
    _feed(digest, repr(context.get("COPYRIGHT_YEAR")))
    return digest.hexdigest()


def merge(staging: str, output_path: str, keep: set[str]) -> list[str]:
    """Move the staged files into ``output_path``; remove what the build no longer produces.

    ``keep`` names the files of ``output_path`` this build left in place; the search index is kept
    too. Each file is replaced in one step, so a browser never reads half a page. Returns the
    files moved in (relative paths, with ``/``), sorted.
    """
    produced = set()
    for folder, _, files in os.walk(staging):
        relative = os.path.relpath(folder, staging)
        os.makedirs(os.path.normpath(os.path.join(output_path, relative)), exist_ok=True)
        for name in files:
            path = os.path.normpath(os.path.join(relative, name))
            os.replace(os.path.join(folder, name), os.path.join(output_path, path))
            produced.add(path)
    shutil.rmtree(staging, ignore_errors=True)
    visited = []
    for folder, dirs, files in os.walk(output_path):
        relative = os.path.relpath(folder, output_path)
        if relative == ".":
            dirs[:] = [name for name in dirs if name != SEARCH_FOLDER]
        else:
            visited.append(folder)
        for name in files:
            path = os.path.normpath(os.path.join(relative, name))
            if path not in produced and path not in keep:
                os.remove(os.path.join(folder, name))
    for folder in reversed(visited):  # deepest first
        if not os.listdir(folder):
            os.rmdir(folder)
    return sorted(path.replace(os.sep, "/") for path in produced)


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


def _feed(digest, *parts) -> None:
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
