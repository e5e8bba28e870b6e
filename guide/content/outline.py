"""A page's in-page outline: its h2 and h3 headings, with the ids the toc extension gave them."""

from __future__ import annotations

import dataclasses
import html
import re

HEADING_RE = re.compile(r'<h(?P<level>[23]) id="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h(?P=level)>', re.S)
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
        inner = PERMALINK_RE.sub("", match["inner"])
        text = html.unescape(TAG_RE.sub("", inner)).strip()
        entries.append(OutlineEntry(int(match["level"]), match["id"], text))
    return entries
