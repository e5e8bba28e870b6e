"""Pelican settings for development builds (`invoke build`, `invoke serve`)."""

import os

AUTHOR = "The WebSockets Guide authors"
SITENAME = "WebSockets for Python developers"
SITESUBTITLE = "A practical guide to WebSockets in Python: protocol, clients, servers, deployment."
SITEURL = ""  # root-relative links while developing; publishconf.py sets the real one
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"

PATH = "content"
THEME = "theme"
OUTPUT_PATH = "output"

# Guide pages live in content/pages/ (a folder per chapter) and publish at /{slug}.html.
PAGE_PATHS = ["pages"]
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
# Blog posts live in content/blog/ and publish at /blog/{slug}.html.
ARTICLE_PATHS = ["blog"]
ARTICLE_URL = ARTICLE_SAVE_AS = "blog/{slug}.html"
# A page's or post's own save_as, url, template, lang (other than DEFAULT_LANG) or translation
# field would move it out of this scheme or render it with another template: the build refuses
# them. True lets them through (a page still cannot take a path the site writes, like /index.html).
ALLOW_PAGE_OVERRIDES = False
STATIC_PATHS = ["images", "extra/.nojekyll"]
# GitHub Pages: serve files as they are (no Jekyll processing).
EXTRA_PATH_METADATA = {"extra/.nojekyll": {"path": ".nojekyll"}}

# Pages the theme renders once per build, besides guide pages and posts.
DIRECT_TEMPLATES = ["index", "blog", "table-of-contents", "search", "404", "robots"]
ROBOTS_SAVE_AS = "robots.txt"

# No taxonomy pages: the guide is organised by chapters, the blog is small.
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = TAG_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
# Drafts (`status: draft`) are written by `invoke serve` only, which sets SHOW_DRAFTS: each one at
# the URL it will have, in its chapter, with a "Draft" banner. `build` and `publish` leave them out
# (no file, no listing) and fail on a link to one. guide/content/drafts.py sets the DRAFT_* URLs.
SHOW_DRAFTS = False

# Feeds need absolute URLs, so they are written by publishconf.py only.
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

PLUGINS = ["guide.plugin"]  # the project's signal handlers (guide/plugin/__init__.py)
# Files the site serves that no generator reports: links to them are valid.
EXTRA_SITE_PATHS = ["sitemap.xml", "pagefind/pagefind.js"]

# reStructuredText posts read no other file of the machine (`include`, `csv-table :file:`) and pass
# no raw HTML through: either directive fails the build. The project's reader enforces this
# whatever DOCUTILS_SETTINGS says; RST_RAW_HTML = True lets `.. raw:: html` through, for a site
# whose authors are all trusted (file insertion stays off).
DOCUTILS_SETTINGS = {"file_insertion_enabled": False, "raw_enabled": False}
RST_RAW_HTML = False

# The Markdown of Material for MkDocs and Zensical, rendered by PyMdown Extensions: callouts
# (admonition, details), content tabs, and SuperFences, whose every block the project's extension
# draws (highlighted only with the named lexer, with its file name and "tested" mark); toc gives
# headings stable ids. pymdownx.snippets stays off: it would insert files of the machine.
MARKDOWN = {
    "extensions": [
        "guide.markdown.code_blocks",
        "markdown.extensions.admonition",
        "pymdownx.details",
        "pymdownx.tabbed",
        "markdown.extensions.tables",
        "guide.markdown.table_align",  # a column's alignment as a class: the CSP refuses inline styles
        "guide.markdown.data_tables",  # `!data-table NAME`: the table of content/data/NAME.toml
        "markdown.extensions.footnotes",
        "markdown.extensions.attr_list",
        "markdown.extensions.def_list",
        "markdown.extensions.abbr",
        "markdown.extensions.md_in_html",
        "markdown.extensions.toc",
        "markdown.extensions.smarty",
    ],
    "extension_configs": {
        # Stable heading ids from the heading text (duplicates get _1, _2...), with a
        # permalink anchor the outline and readers can link to.
        "markdown.extensions.toc": {"permalink": "#", "permalink_title": "Link to this section"},
        # Tabs as radio buttons and labels: they switch without JavaScript (theme/static/css/tabs.css).
        "pymdownx.tabbed": {"alternate_style": True},
    },
    "output_format": "html5",
}

# Chapter titles belong to the content (content/pages/NN-name/_chapter.md, then [chapters] in
# content/guide.toml, which also holds the code-block policy). CHAPTERS here is only the fallback
# for a chapter the content tree does not title.
CHAPTERS = {}
# A page's sidebar lists at most this many chapter titles, and this many pages of its chapter,
# around the current one; the rest are a link to the table of contents away. This keeps every
# page's size the same however large the guide grows.
CHAPTER_NAV_LIMIT = 12

# `invoke serve` turns the content cache on; plain builds read everything afresh.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
CACHE_PATH = "cache"

# Social cards: a 1200x630 PNG per page and post (title, chapter, site name, logo), named by each
# page's og:image; the other pages share the site's card. Drawn with Pillow in the theme's own
# font (theme/fonts/) and kept in CACHE_PATH/social-cards, so a rebuild draws only what changed
# (guide/build/social_cards.py). False: no cards, and link previews are the small summary.
SOCIAL_CARDS = True

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# The theme's stylesheets, inlined in each page (allowed by their hashes in the page's CSP) so the
# first paint needs nothing but the HTML: "inline", or "linked" for cached files that a first
# visit must fetch before it paints (benchmarks/README.md measures both).
THEME_STYLESHEETS = "inline"

# Code highlighting: two Pygments styles with WCAG AA contrast, merged into one stylesheet.
PYGMENTS_LIGHT_STYLE = "xcode"
PYGMENTS_DARK_STYLE = "lightbulb"

# "Edit this page", "Source" and "Was this page helpful?" links, when the repository is known (GitHub Actions sets
# GITHUB_REPOSITORY); without one the links are left out rather than pointing nowhere.
_repository = os.environ.get("GITHUB_REPOSITORY")
REPO_URL = os.environ.get("REPO_URL") or (f"https://github.com/{_repository}" if _repository else "")
EDIT_URL = f"{REPO_URL.rstrip('/')}/edit/main/content" if REPO_URL else ""

# A banner at the top of every page, until the reader dismisses it (remembered in the browser; a
# new text shows again): one line of plain text in which [text](/page.html) and
# [text](https://...) are links; "" shows none. guide/content/announcement.py checks it.
ANNOUNCEMENT = ""

# Sidebar panels, after the article (beside it on wide screens, below it on phones, never printed);
# off by default. guide/content/panels.py checks them. UPDATES_PANEL = True shows a sign-up form
# when UPDATES_FORM is set (the provider's embed address, e.g. {"action":
# "https://buttondown.com/api/emails/embed-subscribe/NAME", "email_field": "email"}; the page's CSP
# then allows that origin in form-action), else a link to the Atom feed. SPONSOR_PANEL: {"name":
# ..., "url": "https://...", "logo": "images/sponsor.svg"} (logo optional, from the content folder).
UPDATES_PANEL = False
UPDATES_FORM = {}
SPONSOR_PANEL = {}

# Analytics: none unless set. {"provider": "plausible", "domain": "guide.example.org"}, {"provider":
# "goatcounter", "code": "NAME"} or {"provider": "umami", "website_id": "UUID"}, plus "address":
# "https://..." when self-hosted. Every page then loads that one script, deferred; its CSP allows
# exactly the provider's hosts, and the footer says so. guide/content/analytics.py checks it.
ANALYTICS = {}

# The guide as a book in book/: an EPUB and a PDF for A4 and US Letter (guide/build/book/), linked
# with their sizes from the home page and the table of contents. Off here (the PDFs take a minute
# to make); publishconf.py turns it on, `invoke book` builds with it on, `invoke serve` never does.
BOOK = False
