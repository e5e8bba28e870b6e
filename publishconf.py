"""Pelican settings for the published site (`invoke publish`, the GitHub Pages deploy).

SITEURL comes from the environment, e.g. https://example.github.io/websockets-guide for a
GitHub Pages project site: every link the site writes starts with it.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/atom.xml"

# The published site carries the book (book/*.epub, book/*.pdf): see BOOK in pelicanconf.py.
BOOK = True
