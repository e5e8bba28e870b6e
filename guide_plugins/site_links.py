"""Site paths (/slug.html) written by authors, made to work under any SITEURL."""

from __future__ import annotations

import re

SITE_PATH_ATTR_RE = re.compile(r"""\b(?P<attr>href|src)=(?P<quote>["'])(?P<path>/(?!/)[^"']*)(?P=quote)""")


def site_url(siteurl: str, path: str) -> str:
    """``/slug.html`` under SITEURL (``""`` in development, ``https://host/base`` when published)."""
    return f"{siteurl.rstrip('/')}{path}" if siteurl else path


def absolutize(html: str, siteurl: str) -> str:
    """Prefix every root-relative href/src of an HTML fragment with SITEURL."""
    if not siteurl:
        return html
    return SITE_PATH_ATTR_RE.sub(lambda m: f"{m['attr']}={m['quote']}{site_url(siteurl, m['path'])}{m['quote']}", html)
