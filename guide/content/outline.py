"""A page's in-page outline: its h2 and h3 headings, with the ids the toc extension gave them."""

from __future__ import annotations

import dataclasses
import html
import re

HEADING_RE = re.compile(r"<h(?P<level>[23])(?P<attrs>\s[^>]*)?>(?P<inner>.*?)</h(?P=level)>", re.S)
#: The id among a heading's attributes, wherever attr_list put it (``{ #id .class }``).
ID_RE = re.compile(r'(?:^|\s)id="(?P<id>[^"]+)"')
PERMALINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG_RE = re.compile(r"<[^>]+>")


@dataclasses.dataclass(frozen=True)
class OutlineEntry:
    level: int  #: 2 or 3
    id: str
    text: str


def outline(content_html: str) -> list[OutlineEntry]:
    """The h2/h3 headings of a page body, with the ids the toc extension gave them."""
    entries = []
    for match in HEADING_RE.finditer(content_html):
        found = ID_RE.search(match["attrs"] or "")
        if not found:
            continue  # no id, nothing to link to
        inner = PERMALINK_RE.sub("", match["inner"])
        text = html.unescape(TAG_RE.sub("", inner)).strip()
        entries.append(OutlineEntry(int(match["level"]), found["id"], text))
    return entries
