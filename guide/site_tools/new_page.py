"""`invoke new` and `invoke new-post`: a new guide page or blog post with a header that builds.

:func:`plan_page` and :func:`plan_post` read the content tree and decide everything (the slug, the
sort-order, the file, the pages to renumber) without writing; :func:`apply_plan` writes it. Every
mistake is a :class:`Refused` with the one line to show, raised before anything is written.

- **The slug** comes from the title: lowercase ASCII words joined by hyphens (accents dropped,
  ``What's new`` gives ``whats-new``). It must be unique among the pages (or posts), drafts and
  hidden ones included, and not a page the site writes itself (``index``, ``search``...). A slug
  that is taken gets a suffix, ``-2``, ``-3``...: the page is a draft, so the slug can still be
  changed before anyone links to it, and the note says so.
- **The sort-order** of a page is its chapter (a folder ``content/pages/NN-name/``; by default the
  last one) and the next position after the chapter's last page. ``--after SLUG`` puts it right
  after that page instead: the pages of the chapter from that position on move one down, as far
  as the first free position (a gap stops the move). Each of them gets only its ``sort-order``
  line rewritten, every other byte kept, and a file name that carries the old position
  (``02-why-websockets.md``) carries the new one.
- **The header** says ``status: draft``: `invoke serve` shows the page in place with a "Draft"
  banner, `build` and `publish` leave it out, so a page never goes out by accident. Its ``meta``
  is a placeholder that builds (with ``--strict``), to be replaced.

Files whose name starts with ``_`` (a chapter's ``_chapter.md``) or ``.`` are not pages.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from guide.content.front_matter import read_header
from guide.content.schema import SLUG, SORT_ORDER
from guide.content.source_files import SOURCE_SUFFIXES
from guide.problems import display_path

PAGES, POSTS = "pages", "blog"  #: the content's folders of pages and posts (pelicanconf.py)
#: ``03-servers``: the folder of chapter 03.
CHAPTER_FOLDER_RE = re.compile(r"([0-9]{2})-")
#: ``02-why-websockets.md``: a file name that carries its position.
NUMBERED_NAME_RE = re.compile(r"([0-9]+)-")
#: The sort-order line of a Markdown header (``sort-order: 0102``) or a reST docinfo (``:sort-order: 0102``).
SORT_ORDER_LINE_RE = re.compile(rb"^([ ]{0,3}:?sort-order:[ \t]*)([0-9]{4})", re.IGNORECASE)
#: Pages the site writes itself at /NAME.html (DIRECT_TEMPLATES): no page may take their slug.
GENERATED_SLUGS = frozenset({"index", "blog", "table-of-contents", "search", "404", "robots"})
LAST_POSITION = 99

PAGE_META = "One sentence that says what this page answers (search engines and social cards show it)."
PAGE_BODY = "Write the page here. Its title is the page's heading: sections start at `##`.\n"
POST_META = "One sentence that says what this post is about (the blog list and social cards show it)."
POST_BODY = "Write the post here. Its title is the post's heading: sections start at `##`.\n"


class Refused(Exception):
    """What the author asked for cannot be done; the message is the one line to show (exit 2)."""


@dataclasses.dataclass(frozen=True)
class Source:
    """A page or post file as the author wrote it: what `new` needs of its header."""

    path: Path
    slug: str
    sort_order: str  #: "" when it has none (a post), or one that is not four digits
    sort_order_line: int  #: 1-based, 0 without one
    title: str = ""


@dataclasses.dataclass(frozen=True)
class Move:
    """A page that makes room: its sort-order line rewritten, its file maybe renamed."""

    old_path: Path
    new_path: Path
    old_sort_order: str
    new_sort_order: str
    data: bytes  #: the whole new file


@dataclasses.dataclass(frozen=True)
class Plan:
    """What `new` or `new-post` will write."""

    path: Path  #: the new file
    text: str
    slug: str
    url: str  #: the site path it is published at: "/slug.html", "/blog/slug.html"
    moves: tuple[Move, ...] = ()
    notes: tuple[str, ...] = ()  #: what the author should know (a slug that got a suffix)


# --- Titles and slugs ----------------------------------------------------------------------


def clean_title(title: str) -> str:
    """The title as it goes in the header; Refused when it is empty or not one line."""
    title = (title or "").strip()
    if not title:
        raise Refused('the title is empty; give one, e.g. invoke new "Closing a connection"')
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in title):
        raise Refused(f"{title!r}: a title is one line of text, without line breaks or control characters")
    return title


def slugify(title: str) -> str:
    """Lowercase ASCII words joined by hyphens: ``Proxies & HTTP/2: what's new`` -> ``proxies-http-2-whats-new``.

    Accents are dropped (``Café`` -> ``cafe``); letters with no ASCII form are left out, so a
    title may give no slug at all (""), which the caller refuses.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    ascii_title = re.sub(r"['\u2019]", "", ascii_title)  # what's -> whats
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def unique_slug(wanted: str, taken: dict[str, Path], reserved: frozenset[str] = frozenset()) -> tuple[str, str | None]:
    """(the slug, a note when ``wanted`` was taken and a suffix was added)."""
    if wanted not in taken and wanted not in reserved:
        return wanted, None
    number = 2
    while f"{wanted}-{number}" in taken or f"{wanted}-{number}" in reserved:
        number += 1
    slug = f"{wanted}-{number}"
    owner = f"by {display(taken[wanted])}" if wanted in taken else "by a page the site writes itself"
    return slug, f"the slug {wanted!r} is taken {owner}; this one is {slug!r} (change its `slug:` line to pick another)"


def _slug_for(title: str) -> str:
    slug = slugify(title)
    if not slug or not SLUG.fullmatch(slug):
        raise Refused(f"{title!r} gives no slug (a URL needs letters a-z or digits); give a title with some")
    return slug


# --- Reading the content tree ----------------------------------------------------------------


def read_sources(folder: Path) -> list[Source]:
    """The pages or posts below ``folder`` (not ``_chapter.md`` and other files starting with ``_`` or ``.``)."""
    sources = []
    for directory, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith((".", "_")))
        for name in sorted(files):
            if name.startswith(("_", ".")) or not name.endswith(SOURCE_SUFFIXES):
                continue
            path = Path(directory, name)
            try:
                text = path.read_bytes().decode("utf-8", errors="replace")
            except OSError as error:
                raise Refused(
                    f"{display(path)}: cannot read it ({error.strerror or error}); fix it, then run this again"
                ) from None
            text = text.replace("\r\n", "\n").replace("\r", "\n")  # as the build reads it
            header = read_header(text, rst=name.endswith(".rst"))
            line = next((field.line for field in header.fields if field.name == "sort-order"), 0)
            sources.append(Source(path, header.first("slug"), header.first("sort-order"), line, header.first("title")))
    return sources


def chapter_folders(content: Path) -> dict[str, Path]:
    """Chapter number ("03") -> its folder (``content/pages/03-servers``)."""
    folders: dict[str, Path] = {}
    pages = content / PAGES
    for entry in sorted(pages.iterdir()) if pages.is_dir() else ():
        match = CHAPTER_FOLDER_RE.match(entry.name)
        if match and entry.is_dir():
            number = match[1]
            if number in folders:
                raise Refused(f"chapter {number} has two folders, {display(folders[number])} and {display(entry)}; merge them")
            folders[number] = entry
    return folders


def _chapter_list(folders: dict[str, Path]) -> str:
    return ", ".join(f"{number} ({path.name})" for number, path in folders.items()) or "none"


# --- A guide page ------------------------------------------------------------------------------


def page_text(title: str, slug: str, sort_order: str) -> str:
    return f"title: {title}\nslug: {slug}\nsort-order: {sort_order}\nmeta: {PAGE_META}\nstatus: draft\n\n{PAGE_BODY}"


def plan_page(
    content: Path, title: str, chapter: str | None = None, after: str | None = None, reserved: frozenset[str] = GENERATED_SLUGS
) -> Plan:
    """Where a new page titled ``title`` goes (chapter ``chapter``, or right after the page ``after``)."""
    title = clean_title(title)
    folders = chapter_folders(content)
    if not folders:
        raise Refused(f"no chapter folder in {display(content / PAGES)}: make one first, e.g. {PAGES}/01-basics/")
    pages = read_sources(content / PAGES)
    if after is not None:
        number, position = _after(after, pages, chapter, folders)
    else:
        number = _chapter(chapter, folders)
        position = max((int(p.sort_order[2:]) for p in pages if _in_chapter(p, number)), default=0) + 1
    if position > LAST_POSITION:
        raise Refused(
            f"chapter {number} has a page at position {LAST_POSITION}, the last one; use --after SLUG to put it between two pages"
        )
    slug, note = unique_slug(_slug_for(title), {p.slug: p.path for p in pages if p.slug}, reserved)
    sort_order = f"{number}{position:02d}"
    moves = _make_room(pages, number, position)
    path = folders[number] / f"{position:02d}-{slug}.md"
    _check_free(path, moves)
    return Plan(path, page_text(title, slug, sort_order), slug, f"/{slug}.html", moves, (note,) if note else ())


def _chapter(chapter: str | None, folders: dict[str, Path]) -> str:
    """The chapter number asked for ("3" or "03"), or the last one."""
    if chapter is None:
        return list(folders)[-1]
    text = str(chapter).strip()
    number = text.zfill(2) if text.isascii() and text.isdigit() and len(text) <= 2 else None
    if number not in folders:
        problem = f"no folder {PAGES}/{number}-*" if number else "not a chapter number (two digits, e.g. 03)"
        raise Refused(f"--chapter {text}: {problem}; the chapters are {_chapter_list(folders)}")
    return number


def _in_chapter(page: Source, number: str) -> bool:
    return bool(SORT_ORDER.fullmatch(page.sort_order)) and page.sort_order[:2] == number


def _after(slug: str, pages: list[Source], chapter: str | None, folders: dict[str, Path]) -> tuple[str, int]:
    """(chapter, position) right after the page ``slug``."""
    found = next((page for page in pages if page.slug == slug), None)
    if found is None:
        close = difflib.get_close_matches(slug, sorted({p.slug for p in pages if p.slug}), n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise Refused(f"--after {slug}: no page has this slug{hint}")
    if not SORT_ORDER.fullmatch(found.sort_order):
        raise Refused(f"--after {slug}: {display(found.path)} has no valid sort-order ({found.sort_order!r}); fix it first")
    number = found.sort_order[:2]
    if chapter is not None and _chapter(chapter, folders) != number:
        raise Refused(f"--after {slug} is in chapter {number}, not --chapter {chapter}; give one of the two")
    if number not in folders:
        raise Refused(
            f"--after {slug}: its chapter {number} has no folder {PAGES}/{number}-*; the chapters are {_chapter_list(folders)}"
        )
    return number, int(found.sort_order[2:]) + 1


def _make_room(pages: list[Source], number: str, position: int) -> tuple[Move, ...]:
    """Each page of the chapter from ``position`` on moves one down, up to the first free position."""
    by_position = {int(p.sort_order[2:]): p for p in pages if _in_chapter(p, number)}
    run = []
    while position + len(run) in by_position:
        run.append(by_position[position + len(run)])
    if run and position + len(run) > LAST_POSITION:
        raise Refused(f"chapter {number} is full up to position {LAST_POSITION}: no page can move down to make room")
    moves = [_move(page, f"{number}{int(page.sort_order[2:]) + 1:02d}") for page in run]
    return tuple(reversed(moves))  # the last page first, so that no file is renamed onto the next one


def _move(page: Source, sort_order: str) -> Move:
    data = page.path.read_bytes()
    lines = data.splitlines(keepends=True)  # \n, \r\n or \r, as the header's line numbers count them
    index = page.sort_order_line - 1
    match = SORT_ORDER_LINE_RE.match(lines[index]) if 0 <= index < len(lines) else None
    if not match or match[2].decode() != page.sort_order:
        raise Refused(
            f"{display(page.path)}: cannot find its `sort-order: {page.sort_order}` line to renumber it; fix it by hand"
        )
    lines[index] = match[1] + sort_order.encode() + lines[index][match.end() :]
    return Move(
        page.path,
        _renamed(page.path, int(page.sort_order[2:]), int(sort_order[2:])),
        page.sort_order,
        sort_order,
        b"".join(lines),
    )


def _renamed(path: Path, old: int, new: int) -> Path:
    """``02-why-websockets.md`` -> ``03-why-websockets.md`` when the name carries the old position."""
    match = NUMBERED_NAME_RE.match(path.name)
    if not match or int(match[1]) != old:
        return path
    return path.with_name(f"{new:0{len(match[1])}d}-{path.name[match.end() :]}")


def _check_free(path: Path, moves: tuple[Move, ...]) -> None:
    """No file is written over one that stays: the new page's, and each renamed page's."""
    leaving = {move.old_path for move in moves if move.new_path != move.old_path}
    for target in [move.new_path for move in moves if move.new_path != move.old_path] + [path]:
        if target.exists() and target not in leaving:
            raise Refused(f"{display(target)} exists already; move or rename it, then run this again")
        leaving.discard(target)  # from now on that name is taken again


# --- A blog post -------------------------------------------------------------------------------


def post_text(title: str, slug: str, day: datetime.date) -> str:
    return (
        f"title: {title}\nslug: {slug}\ncategory: post\ndate: {day.isoformat()}\nmeta: {POST_META}\nstatus: draft\n\n{POST_BODY}"
    )


def plan_post(content: Path, title: str, day: datetime.date) -> Plan:
    """A post titled ``title``, dated ``day``: ``content/blog/YYYY-MM-DD-slug.md``."""
    title = clean_title(title)
    posts = read_sources(content / POSTS)
    slug, note = unique_slug(_slug_for(title), {p.slug: p.path for p in posts if p.slug})
    path = content / POSTS / f"{day.isoformat()}-{slug}.md"
    if path.exists():
        raise Refused(f"{display(path)} exists already; move or rename it, then run this again")
    return Plan(path, post_text(title, slug, day), slug, f"/blog/{slug}.html", (), (note,) if note else ())


# --- Writing -------------------------------------------------------------------------------------


def apply_plan(plan: Plan, report: Callable[[str], object] = lambda line: None) -> list[str]:
    """Write the plan: the moves first (the last page first), then the new file, which is created,
    never written over. ``report`` gets one line per file as soon as it is changed (so a failure
    half-way leaves a true account); the lines are returned too."""
    changed: list[str] = []

    def done(line: str) -> None:
        changed.append(line)
        report(line)

    for move in plan.moves:
        _write_replacing(move.new_path, move.data, like=move.old_path)
        renumbered = f"sort-order {move.old_sort_order} -> {move.new_sort_order}"
        if move.new_path != move.old_path:
            move.old_path.unlink()
            done(f"Renumbered {display(move.old_path)} -> {display(move.new_path)} ({renumbered})")
        else:
            done(f"Renumbered {display(move.new_path)} ({renumbered})")
    with open(plan.path, "x", encoding="utf-8", newline="\n") as file:
        file.write(plan.text)
    done(f"Created {display(plan.path)}")
    return changed


def _write_replacing(path: Path, data: bytes, like: Path) -> None:
    """Write ``data`` to ``path`` in one step (a reader never sees half a file), with ``like``'s permissions."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, like.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def display(path: Path) -> str:
    """A path relative to the working directory when it lies below it, else absolute."""
    return display_path(os.path.abspath(path))
