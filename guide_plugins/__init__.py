"""The project's own Pelican plugins, wired to Pelican's signals in one place.

Pelican reads every file, then sends ``all_generators_finalized`` before it writes anything.
That is where the whole site is known, so everything computed across pages happens there, once
per build: validation (:mod:`.validation`), choices (:mod:`.choices`), site links
(:mod:`.site_links`), chapters and neighbours (:mod:`.chapters`), outlines and dates
(:mod:`.page_details`). A build with errors stops there, before a single file is written.
"""

from __future__ import annotations

import os

from markupsafe import Markup
from pelican import signals

from guide_plugins import memo, parallel_read
from guide_plugins.chapters import DEFAULT_CHAPTER_NAV_LIMIT, build_chapters, guide_pages
from guide_plugins.choices import load_icons, resolve_choices
from guide_plugins.dates import check_dates
from guide_plugins.page_details import last_commit_dates, outline
from guide_plugins.preview import reuse_static_links, writer_for
from guide_plugins.problems import ContentError, ProblemLog
from guide_plugins.rst_html import report_docutils_problems, use_guide_rst_reader
from guide_plugins.site_index import SiteIndex
from guide_plugins.site_links import absolutize
from guide_plugins.sitemap import render_sitemap, sitemap_entries
from guide_plugins.source_files import check_source_files
from guide_plugins.theme_assets import STYLESHEET, make_assets
from guide_plugins.tree_settings import apply_tree_settings
from guide_plugins.validation import check_sources, validate_site

PROBLEMS_SETTING = "GUIDE_PROBLEMS"
THEME_ASSETS_SETTING = "GUIDE_THEME_ASSETS"
SITE_INDEX_SETTING = "GUIDE_SITE_INDEX"  #: the last build's SiteIndex, for the build runner

_OUTLINES = memo.Reuse()  #: body HTML -> its outline


def problem_log(settings) -> ProblemLog:
    """The build's problem log: the build runner puts one in the settings; plain pelican gets its own."""
    return settings.setdefault(PROBLEMS_SETTING, ProblemLog())


def on_initialized(pelican) -> None:
    settings = pelican.settings
    settings.setdefault("CHAPTER_NAV_LIMIT", DEFAULT_CHAPTER_NAV_LIMIT)  # the sidebar's and home page's
    memo.next_build()
    log = problem_log(settings)
    apply_tree_settings(settings, log)  # content/guide.toml: chapters, code policy
    check_source_files(settings["PATH"], log)  # no link out of the tree, no huge page
    if log.errors:  # the tree itself is wrong: reading its pages would only add echoes of that
        raise ContentError(log.errors)
    check_sources(settings, log)  # UTF-8, readable, headers as written
    assets = make_assets(settings["THEME"], settings["PYGMENTS_LIGHT_STYLE"], settings["PYGMENTS_DARK_STYLE"])
    settings[THEME_ASSETS_SETTING] = assets
    settings["THEME_ASSET_VERSION"] = assets.version
    settings["THEME_BOOT_SCRIPT"] = Markup(assets.boot_script)  # trusted theme file, inlined as is
    settings["THEME_BOOT_SCRIPT_HASH"] = assets.boot_script_hash


def on_finalized(pelican) -> None:
    """Write what needs the whole site: the stylesheet with generated highlighting, the sitemap."""
    settings = pelican.settings
    assets = settings[THEME_ASSETS_SETTING]
    _write(pelican.output_path, os.path.join(settings["THEME_STATIC_DIR"], STYLESHEET), assets.stylesheet)
    index = settings[SITE_INDEX_SETTING]
    entries = sitemap_entries(guide_pages(index.pages), index.posts)
    _write(pelican.output_path, "sitemap.xml", render_sitemap(entries, settings["SITEURL"]))


def _write(output_path: str, name: str, text: str) -> None:
    with open(os.path.join(output_path, name), "w", encoding="utf-8") as file:
        file.write(text)


def on_all_generators_finalized(generators) -> None:
    settings = generators[0].settings
    context = generators[0].context
    log = problem_log(settings)
    index = SiteIndex.from_generators(generators, settings)
    icons = load_icons(settings["THEME"])
    validate_site(index, set(icons), log, settings)
    if log.errors:
        raise ContentError(log.errors)

    siteurl = settings["SITEURL"]
    for content in index.pages + index.posts:
        # Keep what the author wrote: Pelican's cache may hand this object to a later build.
        authored = content.__dict__.setdefault("_authored_content", content._content)
        content._content = absolutize(authored, siteurl)
    dates = last_commit_dates(settings["PATH"])
    for page in index.pages:
        page.choices = resolve_choices(page, icons, siteurl)
        html = page._content
        page.outline = list(_OUTLINES.get(html, lambda: tuple(outline(html))))
        page.last_updated = dates.get(page.source_path)
        page.source_relpath = os.path.relpath(page.source_path, settings["PATH"])
    years = [p.last_updated.year for p in index.pages if p.last_updated] + [p.date.year for p in index.posts]
    context["COPYRIGHT_YEAR"] = max(years, default=settings.get("COPYRIGHT_YEAR", ""))
    context["chapters"] = build_chapters(index.pages, settings.get("CHAPTERS", {}), settings["CHAPTER_NAV_LIMIT"])
    context["guide_pages"] = guide_pages(index.pages)
    context["site_index"] = index
    settings[SITE_INDEX_SETTING] = index


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(use_guide_rst_reader)  # safe reST, its messages as problems, literals as <code>
    signals.article_generator_context.connect(report_docutils_problems)
    signals.page_generator_context.connect(report_docutils_problems)
    signals.readers_init.connect(check_dates)  # a bad date: one line naming the file and the field
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
    signals.get_writer.connect(writer_for)  # `invoke serve`: render only what changed
    signals.content_object_init.connect(reuse_static_links)
    # Pages are read on every CPU (see parallel_read).
    signals.page_generator_init.connect(parallel_read.start)
    signals.page_generator_preread.connect(parallel_read.hand_over)
    signals.page_generator_finalized.connect(parallel_read.stop)
