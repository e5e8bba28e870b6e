"""Site paths (/slug.html) written by authors, made to work under any SITEURL."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guide import pelican_internals

SITE_PATH_ATTR_RE = re.compile(r"""\b(?P<attr>href|src)=(?P<quote>["'])(?P<path>/(?!/)[^"']*)(?P=quote)""")
#: The same pattern without its leading ``\b``, which keeps the regex engine from skipping
#: ahead to the next ``h`` or ``s``: :func:`iter_site_paths` checks the word boundary itself.
_UNBOUNDED_RE = re.compile(SITE_PATH_ATTR_RE.pattern.removeprefix(r"\b"))
_WORD_CHAR_RE = re.compile(r"\w")


def iter_site_paths(html: str) -> Iterator[re.Match]:
    """The matches of SITE_PATH_ATTR_RE in ``html``, exactly as its ``finditer`` finds them."""
    position = 0
    while match := _UNBOUNDED_RE.search(html, position):
        start = match.start()
        if start and _WORD_CHAR_RE.match(html, start - 1):
            position = start + 1  # no word boundary here: SITE_PATH_ATTR_RE tries the next place
            continue
        yield match
        position = match.end()


def site_url(siteurl: str, path: str) -> str:
    """``/slug.html`` under SITEURL (``""`` in development, ``https://host/base`` when published)."""
    return f"{siteurl.rstrip('/')}{path}" if siteurl else path


def absolutize(html: str, siteurl: str) -> str:
    """Prefix every root-relative href/src of an HTML fragment with SITEURL."""
    if not siteurl:
        return html
    parts, position = [], 0
    for m in iter_site_paths(html):
        parts += [html[position : m.start()], f"{m['attr']}={m['quote']}{site_url(siteurl, m['path'])}{m['quote']}"]
        position = m.end()
    parts.append(html[position:])
    return "".join(parts)


def absolutize_bodies(contents: list, siteurl: str) -> None:
    """Make the site paths of every page's and post's body absolute under ``siteurl``.

    Each body is made from the one its author wrote, kept on the object the first time: Pelican's
    content cache may hand the same object to a later build, whose SITEURL may differ.
    """
    for content in contents:
        authored = content.__dict__.setdefault("_authored_content", pelican_internals.body_html(content))
        pelican_internals.set_body_html(content, absolutize(authored, siteurl))
