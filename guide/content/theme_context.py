"""What the theme's templates read that Pelican does not give them, computed once the site is known.

Each guide page gets its "what's next" choices (:mod:`guide.content.choices`), its outline
(:mod:`guide.content.outline`), its "last updated" date (:mod:`guide.content.last_updated`) and
its source file; the templates' context gets the chapters (:mod:`guide.content.chapters`), the
guide pages in reading order, the site's index and the copyright year. Once the chapters are
known, pages and posts get their reader comforts: breadcrumbs (:mod:`guide.content.breadcrumbs`),
reading time (:mod:`guide.content.reading_time`) and "was this page helpful?" links
(:mod:`guide.content.feedback`).
"""

from __future__ import annotations

import os

from guide import pelican_internals
from guide.build import memo
from guide.content.breadcrumbs import add_breadcrumbs
from guide.content.chapter_files import DESCRIPTIONS_SETTING
from guide.content.chapters import NAV_LIMIT_SETTING, build_chapters, guide_pages
from guide.content.choices import resolve_choices
from guide.content.drafts import is_draft, shows_drafts
from guide.content.feedback import add_feedback_links
from guide.content.icons import Icons
from guide.content.last_updated import last_commit_dates
from guide.content.outline import outline
from guide.content.reading_time import add_reading_times
from guide.content.site_index import SiteIndex

_OUTLINES = memo.Reuse()  #: body HTML -> its outline


def add_page_details(pages: list, icons: Icons, settings) -> None:
    """Give each page its choices, outline, "last updated" date and source file (relative to the content)."""
    siteurl = settings["SITEURL"]
    dates = last_commit_dates(settings["PATH"])
    for page in pages:
        page.choices = resolve_choices(page, icons, siteurl)
        html = pelican_internals.body_html(page)
        page.outline = list(_OUTLINES.get(html, lambda: tuple(outline(html))))  # noqa: B023  Reuse.get calls it at once
        page.last_updated = dates.get(page.source_path)
        page.source_relpath = os.path.relpath(page.source_path, settings["PATH"])


def site_context(index: SiteIndex, settings) -> dict:
    """What every template may show of the whole site (call after :func:`add_page_details`)."""
    drafts = shows_drafts(settings)  # `invoke serve` lists each draft where it will be published
    years = [p.last_updated.year for p in index.pages if p.last_updated] + [p.date.year for p in index.posts]
    return {
        "COPYRIGHT_YEAR": max(years, default=settings.get("COPYRIGHT_YEAR", "")),
        "chapters": build_chapters(
            index.pages, settings.get("CHAPTERS", {}), settings[NAV_LIMIT_SETTING], drafts, settings.get(DESCRIPTIONS_SETTING)
        ),
        "guide_pages": guide_pages(index.pages, drafts),
        "draft_posts": [post for post in index.posts if is_draft(post)],  # `invoke serve` lists them in the blog
        "drafts_shown": any(is_draft(content) for content in index.pages + index.posts),  # their marks' stylesheet
        "site_index": index,
    }


def add_reader_comforts(index: SiteIndex, settings) -> None:
    """Breadcrumbs, reading time and feedback links on every page and post (call after
    :func:`site_context`, which gives pages their chapters)."""
    contents = index.pages + index.posts
    add_breadcrumbs(index.pages, index.posts, settings["SITEURL"])
    add_reading_times(contents, pelican_internals.body_html)
    add_feedback_links(contents, settings)
