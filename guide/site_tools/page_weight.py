"""What a built page costs its reader, in gzip bytes: the first screen, the whole first load.

The first screen is what the browser needs before it can paint what a reader sees first: the
HTML up to the end of the first :data:`FIRST_SCREEN_CHARACTERS` characters of the page's main
text (``<main>``; white space counted as one space), plus every render-blocking request (a
stylesheet ``<link>``, a script without ``defer``, ``async`` or ``type="module"``). A page with
less text than that needs its whole HTML. Fourteen KiB of it fits the first round trip of a new
TCP connection (ten segments of about 1,460 bytes), so the page paints after one round trip, at
any length.

The whole first load adds everything else the page asks for: deferred scripts, images and
preloads. Each file is gzipped on its own at level 9, as a static host would serve it.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

#: About the first screen of a phone, or the top of a laptop's, in characters of text.
FIRST_SCREEN_CHARACTERS = 1500
_SPACES = re.compile(r"\s+")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


@dataclasses.dataclass(frozen=True)
class PageWeight:
    first_screen: int  #: gzip bytes of the HTML up to the first screen's text, plus render-blocking files
    whole: int  #: gzip bytes of the HTML and of every file it requests (each once)
    blocking: tuple[str, ...]  #: the render-blocking requests, by URL
    requests: tuple[str, ...]  #: every other request, by URL


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


class _Scan(HTMLParser):
    """Where the first screen's text ends, and what the page requests, blocking or not."""

    def __init__(self, characters: int):
        super().__init__(convert_charrefs=True)
        self.wanted = characters
        self.depth = 0  # open elements inside <main>; 0 outside it
        self.text = 0
        self.reached = False  # the text read so far is the first screen's
        self.cut: tuple[int, int] | None = None  # (line, column) where the text that reached it ends
        self.blocking: list[str] = []
        self.requests: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._mark_cut()
        attributes = dict(attrs)
        self._request(tag, attributes)
        if tag == "main" and not self.depth:
            self.depth = 1
        elif self.depth and tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        self._mark_cut()
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.reached:
            self.text += len(_SPACES.sub(" ", data))
            self.reached = self.text >= self.wanted

    def _mark_cut(self) -> None:
        """At the first tag after the text that reached the first screen: that text ends here."""
        if self.reached and not self.cut:
            self.cut = self.getpos()

    def _request(self, tag: str, attributes: dict) -> None:
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and "stylesheet" in rel and attributes.get("href"):
            blocks = attributes.get("media", "all") not in ("print", "none")
            (self.blocking if blocks else self.requests).append(attributes["href"])
        elif tag == "link" and ("preload" in rel or "modulepreload" in rel) and attributes.get("href"):
            self.requests.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            deferred = "defer" in attributes or "async" in attributes or attributes.get("type") == "module"
            (self.requests if deferred else self.blocking).append(attributes["src"])
        elif tag in ("img", "source") and attributes.get("src"):
            self.requests.append(attributes["src"])


def _scan(html: str, characters: int) -> _Scan:
    scan = _Scan(characters)
    scan.feed(html)
    scan.close()
    return scan


def _index(html: str, position: tuple[int, int] | None) -> int:
    """The index in ``html`` of an HTMLParser (line, column), or the end of ``html`` for None."""
    if not position:
        return len(html)
    line, column = position
    starts = [0] + [match.end() for match in re.finditer("\n", html)]
    return min(starts[line - 1] + column, len(html))


def first_screen_end(html: str, characters: int = FIRST_SCREEN_CHARACTERS) -> int:
    """The index in ``html`` where the first ``characters`` of its ``<main>`` text end (or its length)."""
    return _index(html, _scan(html, characters).cut)


def local_file(site: Path, url: str) -> Path:
    """The built file a same-site URL names; :class:`ValueError` for another host."""
    parts = urlsplit(url)
    if parts.netloc or parts.scheme:
        raise ValueError(f"a request to another host: {url}")
    return site / parts.path.lstrip("/")


def page_weight(site: Path, page: Path) -> PageWeight:
    html = page.read_text(encoding="utf-8")
    scan = _scan(html, FIRST_SCREEN_CHARACTERS)
    blocking = sum(gzipped_size(local_file(site, url).read_bytes()) for url in dict.fromkeys(scan.blocking))
    others = sum(gzipped_size(local_file(site, url).read_bytes()) for url in dict.fromkeys(scan.requests))
    first_screen = gzipped_size(html[: _index(html, scan.cut)].encode()) + blocking
    whole = gzipped_size(html.encode()) + blocking + others
    return PageWeight(first_screen, whole, tuple(scan.blocking), tuple(scan.requests))
