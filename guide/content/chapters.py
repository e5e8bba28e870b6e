"""The chapter table of contents, computed once per build.

Chapters are the first two digits of ``sort-order``; their titles come from the ``CHAPTERS``
setting (the chapter files' and ``guide.toml``'s titles over pelicanconf.py's, see
:mod:`guide.content.chapter_files`), falling back to the title of the chapter's first page, and
their descriptions from the chapter files. Each guide page gets its
``chapter`` and its ``previous_page``/``next_page`` in reading order, across chapter boundaries,
so templates only print what is computed here.

The sidebar of a guide page (``page.chapter_nav``) shows the chapter titles and the pages of the
current chapter, each as a window of at most ``CHAPTER_NAV_LIMIT`` entries around the current
one; what it leaves out on either side is counted, and the theme links the count to the table of
contents. So a page's HTML does not grow with the size of the site: a guide of 5,000 pages has
sidebars as small as one of 500, while a guide with chapters of a dozen pages shows them all.
"""

from __future__ import annotations

import dataclasses
import itertools

from guide.content.drafts import DRAFT, PUBLISHED, status_of
from guide.content.front_matter import text_field
from guide.content.schema import SORT_ORDER
from guide.problems import ProblemLog


@dataclasses.dataclass
class Chapter:
    number: str  #: "01"
    title: str
    pages: list = dataclasses.field(default_factory=list)
    description: str = ""  #: one sentence from the chapter's _chapter.md, or ""

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"


NAV_LIMIT_SETTING = "CHAPTER_NAV_LIMIT"  #: the setting that sets the limit below
#: The most chapter titles, and the most pages of the current chapter, one sidebar lists.
DEFAULT_CHAPTER_NAV_LIMIT = 12


@dataclasses.dataclass(frozen=True)
class Window:
    """A run of consecutive entries around a current one, and how many it leaves out on each side."""

    entries: list
    hidden_before: int = 0
    hidden_after: int = 0
    first_after: object = None  #: the first entry left out after the window, where "more" leads


@dataclasses.dataclass(frozen=True)
class ChapterNav:
    """What one page's sidebar lists: a window of chapters and a window of its chapter's pages."""

    chapters: Window
    pages: Window


def nav_limit_problem(limit) -> str | None:
    """What is wrong with a ``CHAPTER_NAV_LIMIT`` setting, or None."""
    if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1:
        return None
    return f"{limit!r}: set the most chapters and pages one sidebar lists, a whole number of 1 or more (e.g. {DEFAULT_CHAPTER_NAV_LIMIT})"


def check_nav_limit(settings, log: ProblemLog, settings_file: str = "") -> None:
    """``CHAPTER_NAV_LIMIT`` (12 when not set) is a whole number of 1 or more; else a problem
    naming the setting, in ``settings_file`` when it is known."""
    settings.setdefault(NAV_LIMIT_SETTING, DEFAULT_CHAPTER_NAV_LIMIT)
    problem = nav_limit_problem(settings[NAV_LIMIT_SETTING])
    if problem:
        log.add(settings_file, NAV_LIMIT_SETTING, problem)


def window(entries: list, current: int, limit: int) -> Window:
    """At most ``limit`` entries around ``entries[current]``, as centred as the edges allow."""
    if limit < 1:
        raise ValueError(f"a window holds at least one entry, not {limit}")
    if len(entries) <= limit:
        return Window(entries)
    start = min(max(current - (limit - 1) // 2, 0), len(entries) - limit)
    end = start + limit
    return Window(entries[start:end], start, len(entries) - end, entries[end] if end < len(entries) else None)


def sort_key(page) -> str:
    return text_field(page.metadata, "sort-order")


def guide_pages(pages: list, drafts: bool = False) -> list:
    """Published guide pages with a valid sort-order, in reading order; with ``drafts`` (`invoke
    serve`), the drafts too, each where it will be once published. Hidden pages never."""
    statuses = (PUBLISHED, DRAFT) if drafts else (PUBLISHED,)
    listed = [page for page in pages if status_of(page) in statuses and SORT_ORDER.fullmatch(sort_key(page))]
    return sorted(listed, key=sort_key)


def untitled_chapters(pages: list, chapter_titles: dict[str, str]) -> list[tuple[str, object]]:
    """(number, first page) of each chapter of the reading order that has no title of its own."""
    firsts: dict[str, object] = {}
    for page in guide_pages(pages):
        number = sort_key(page)[:2]
        if not chapter_titles.get(number):
            firsts.setdefault(number, page)
    return list(firsts.items())


def build_chapters(
    pages: list,
    chapter_titles: dict[str, str],
    nav_limit: int = DEFAULT_CHAPTER_NAV_LIMIT,
    drafts: bool = False,
    descriptions: dict[str, str] | None = None,
) -> list[Chapter]:
    """Group pages (in reading order) into chapters; give each page its neighbours and its sidebar.
    ``drafts``: the drafts take their places too (see :func:`guide_pages`); ``descriptions``: by
    chapter number."""
    descriptions = descriptions or {}
    ordered = guide_pages(pages, drafts)
    chapters = []
    for number, group in itertools.groupby(ordered, key=lambda page: sort_key(page)[:2]):
        members = list(group)
        chapter = Chapter(number, chapter_titles.get(number) or members[0].title, members, descriptions.get(number, ""))
        for page in members:
            page.chapter = chapter
        chapters.append(chapter)
    for previous, current, following in zip([None, *ordered], ordered, [*ordered[1:], None], strict=False):
        current.previous_page = previous
        current.next_page = following
    for number, chapter in enumerate(chapters):
        chapters_around = window(chapters, number, nav_limit)  # shared by the chapter's pages
        for position, page in enumerate(chapter.pages):
            page.chapter_nav = ChapterNav(chapters_around, window(chapter.pages, position, nav_limit))
    listed = set(map(id, ordered))
    unlisted = ChapterNav(window(chapters, 0, nav_limit) if chapters else Window([]), Window([]))
    for page in pages:  # hidden pages, outside the reading order: the first chapters' titles only
        if id(page) not in listed:
            page.chapter = page.previous_page = page.next_page = None
            page.chapter_nav = unlisted
    return chapters
