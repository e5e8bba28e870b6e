"""Pelican's entry point: ``register()`` wires the guide's code to Pelican's signals.

Only signal handlers live here, each a few calls into :mod:`guide.content`, :mod:`guide.markdown`
and :mod:`guide.build`. What a handler shares with the build runner and the other handlers is in
the build's :class:`~guide.build_state.BuildState`. Pelican reads every file, then sends
``all_generators_finalized`` before it writes anything. That is where the whole site is known, so
everything computed across pages happens there, once per build: validation
(:mod:`guide.content.validation`), the troubleshooting index (:mod:`guide.content.error_index`),
site links (:mod:`guide.content.site_links`), images' URLs and sizes
(:mod:`guide.content.image_sizes`), what the theme shows (:mod:`guide.content.theme_context`),
and the book (:mod:`guide.build.book`), whose sizes the pages show. A build with errors stops
there, before a single file is written.
"""

from __future__ import annotations

from pelican import signals

from guide.build import memo, parallel_read
from guide.build.book import book_paths, check_book_setting, plan_book, write_book
from guide.build.csp import use_policy
from guide.build.example_downloads import add_example_downloads, write_example_downloads
from guide.build.preview import reuse_static_links, writer_for
from guide.build.sitemap import write_sitemap
from guide.build.social_cards import check_cards_setting, finish_cards, start_cards
from guide.build.theme_assets import check_stylesheet_delivery, use_theme_assets, write_stylesheets
from guide.build_state import build_state
from guide.content.analytics import apply_analytics
from guide.content.announcement import apply_announcement
from guide.content.chapters import check_nav_limit
from guide.content.choices import load_icons
from guide.content.dates import check_dates
from guide.content.drafts import apply_draft_settings
from guide.content.error_index import add_error_index, extend_outlines
from guide.content.image_sizes import size_images
from guide.content.page_features import add_feature_assets
from guide.content.page_images import keep_published_links, publish_images_beside_pages
from guide.content.panels import apply_panels
from guide.content.site_index import SiteIndex
from guide.content.site_links import absolutize_bodies
from guide.content.source_files import check_source_files
from guide.content.theme_context import add_page_details, add_reader_comforts, site_context
from guide.content.tree_settings import apply_tree_settings
from guide.content.validation import check_sources, validate_site
from guide.content.web_address import check_repository_urls
from guide.markdown.data_tables import check_data_tables, reread_table_pages, write_data_tables
from guide.markdown.rst_reader import report_docutils_problems, use_guide_rst_reader
from guide.markdown.snippets import confine_snippets
from guide.problems import ContentError


def on_initialized(pelican) -> None:
    """Before any reading: the settings, the content tree and every header as written."""
    settings = pelican.settings
    state = build_state(settings)
    memo.next_build()
    check_nav_limit(settings, state.problems, state.settings_file)  # how many entries a sidebar lists
    check_stylesheet_delivery(settings, state.problems, state.settings_file)  # inline (default) or linked
    check_cards_setting(settings, state.problems, state.settings_file)  # SOCIAL_CARDS: True or False
    check_book_setting(settings, state.problems, state.settings_file)  # BOOK: True or False
    apply_announcement(settings, state.problems, state.settings_file)  # the banner's text, escaped, and its key
    check_repository_urls(settings, state.problems, state.settings_file)  # REPO_URL, EDIT_URL: http(s) with a host
    apply_analytics(settings, state.problems, state.settings_file)  # ANALYTICS: off, or one provider's script and hosts
    apply_tree_settings(settings, state.problems)  # guide.toml, pages/NN-name/_chapter.md: chapters, code policy
    apply_draft_settings(settings)  # drafts: written by `invoke serve` only, at their future URL
    confine_snippets(settings)  # a site that turns Snippets on reads only its content folder
    check_source_files(settings["PATH"], state.problems)  # no link out of the tree, no huge page
    publish_images_beside_pages(settings, state.problems)  # pages/03-servers/diagram.svg: images only
    apply_panels(settings, state.problems, state.settings_file)  # UPDATES_PANEL, UPDATES_FORM, SPONSOR_PANEL
    check_data_tables(settings, state.problems)  # data/NAME.toml and the `!data-table NAME` lines that draw them
    if state.problems.errors:  # the settings or the tree are wrong: reading pages would only add echoes
        raise ContentError(state.problems.errors)
    check_sources(settings, state.problems)  # UTF-8, readable, headers as written
    state.theme_assets = use_theme_assets(settings)
    use_policy(settings)  # each page's Content-Security-Policy, from the assets, analytics and panels


def on_all_generators_finalized(generators) -> None:
    """Every file is read, nothing is written: check the whole site, then prepare what the theme shows."""
    settings, context = generators[0].settings, generators[0].context
    state = build_state(settings)
    index = SiteIndex.from_generators(generators, settings)
    index.paths.update(dict.fromkeys(book_paths(settings), "generated file"))  # book/*.epub, *.pdf: links resolve
    icons = load_icons(settings["THEME"])
    add_example_downloads(index, settings, state.problems)  # a zip of each page's tested blocks: its link resolves
    validate_site(index, icons, state.problems, settings)
    add_error_index(index, settings, state.problems, state.tree_settings_file)  # data-explains tags, checked and gathered
    if state.problems.errors:
        raise ContentError(state.problems.errors)
    absolutize_bodies(index.pages + index.posts, settings["SITEURL"])
    size_images(index.pages + index.posts, index, settings, state.problems)  # every <img>: width, height
    add_page_details(index.pages, icons, settings)
    extend_outlines(index.pages)  # the troubleshooting page's outline lists its index
    add_feature_assets(index.pages + index.posts, state.problems)  # callouts.css, tabs.css: only where used
    context.update(site_context(index, settings))
    # The book (BOOK = True) is made now, before any page is rendered, so the pages can give its sizes.
    book = plan_book(context["chapters"], index, settings, state.problems)
    if state.problems.errors:
        raise ContentError(state.problems.errors)
    state.book_files = book["book_files"]
    context.update(book)
    context.update(start_cards(index, settings))  # social cards: drawn while Pelican writes the pages
    add_reader_comforts(index, settings)  # breadcrumbs (they need the chapters), reading time, feedback links
    state.site_index = index


def on_finalized(pelican) -> None:
    """Write what needs the whole site: the stylesheet with generated highlighting, the sitemap, the social cards."""
    settings, state = pelican.settings, build_state(pelican.settings)
    write_stylesheets(state.theme_assets, pelican.output_path, settings["THEME_STATIC_DIR"])
    write_sitemap(state.site_index, pelican.output_path, settings["SITEURL"])
    write_example_downloads(state.site_index, pelican.output_path)  # downloads/<slug>-examples.zip
    finish_cards(settings, pelican.output_path)  # cards/*.png, from the cache (CACHE_PATH)
    write_book(state.book_files, pelican.output_path)  # book/*.epub, *.pdf when BOOK is on
    write_data_tables(settings, pelican.output_path)  # data/NAME.json: the pages' data tables, for their tools


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
    # {static} links publish only what the site publishes anyway (not notes.txt, not ../../secret).
    signals.article_generator_finalized.connect(keep_published_links)
    signals.page_generator_finalized.connect(keep_published_links)
    # A page that draws a data table is read afresh (`invoke serve`'s cache sees only its own file); before parallel_read.
    signals.page_generator_init.connect(reread_table_pages)
    signals.article_generator_init.connect(reread_table_pages)
    # Pages are read on every CPU (see parallel_read).
    signals.page_generator_init.connect(parallel_read.start)
    signals.page_generator_preread.connect(parallel_read.hand_over)
    signals.page_generator_finalized.connect(parallel_read.stop)
