"""The chapter table of contents, computed once per build.

Chapters are the first two digits of ``sort-order``; their titles come from the ``CHAPTERS``
setting, falling back to the title of the chapter's first page. Each guide page gets its
``chapter`` and its ``previous_page``/``next_page`` in reading order, across chapter boundaries,
so templates only print what is computed here.
"""

from __future__ import annotations

import dataclasses
import itertools

from guide_plugins.page_format import SORT_ORDER_RE, text_field


@dataclasses.dataclass
class Chapter:
    number: str  #: "01"
    title: str
    pages: list = dataclasses.field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"


def sort_key(page) -> str:
    return text_field(page.metadata, "sort-order")


def guide_pages(pages: list) -> list:
    """Published guide pages with a valid sort-order, in reading order."""
    listed = [
        page for page in pages
        if getattr(page, "status", "published") == "published" and SORT_ORDER_RE.match(sort_key(page))
    ]  # fmt: skip
    return sorted(listed, key=sort_key)


def build_chapters(pages: list, chapter_titles: dict[str, str]) -> list[Chapter]:
    """Group pages (in reading order) into chapters and link each page to its neighbours."""
    ordered = guide_pages(pages)
    chapters = []
    for number, members in itertools.groupby(ordered, key=lambda page: sort_key(page)[:2]):
        members = list(members)
        chapter = Chapter(number, chapter_titles.get(number) or members[0].title, members)
        for page in members:
            page.chapter = chapter
        chapters.append(chapter)
    for previous, current, following in zip([None, *ordered], ordered, [*ordered[1:], None]):
        current.previous_page = previous
        current.next_page = following
    return chapters
