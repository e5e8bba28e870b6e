"""Settings for the baseline build (b): plain Pelican 4.12 with its default theme, no plugins.

It reads the same content as the project's build, with the same Markdown settings (the MARKDOWN
dict of pelicanconf.py, so the project's code block extension too); everything else is Pelican's
default, except that the menu does not list every page and category. The harness sets PATH and
OUTPUT_PATH to the generated content and a scratch folder.
"""

import copy
import os
import sys

# pelicanconf.py is a settings file beside the project, not an installed module, and Pelican loads
# this file by path without putting its folder on sys.path: the project's folder must be there.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import pelicanconf  # noqa: E402

SITENAME = "Plain Pelican baseline"
SITEURL = ""
TIMEZONE = "UTC"
PATH = "content"
OUTPUT_PATH = "output"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["blog"]
STATIC_PATHS = ["images"]

THEME = "notmyidea"
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
PLUGINS = []

MARKDOWN = copy.deepcopy(pelicanconf.MARKDOWN)
