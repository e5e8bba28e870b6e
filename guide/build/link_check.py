"""Links of a built site: every internal href/src names a file of the build, every #fragment an id.

:func:`check_site` reads the output folder only (no server, no network), so the build runner can
run it over the staged site before swapping it in (``invoke build --strict`` fails on a broken
link), and ``invoke linkcheck`` can run it over ``output/``. :func:`check_external` tries the
outside links on demand; it is never part of a build or of CI.

A link is internal when it resolves under the site's base: ``/slug.html`` with no SITEURL, or
``https://host/base/slug.html`` when published under SITEURL. A link to the same host outside
the base path is broken: it would leave the published site.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import functools
import html
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

#: Where links sit: (tag, attribute). srcset is parsed separately.
LINK_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"),
    ("iframe", "src"), ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"),
    ("track", "src"), ("embed", "src"), ("object", "data"), ("form", "action"), ("use", "href"),
    ("use", "xlink:href"),
}  # fmt: skip
CHECKED_SUFFIXES = (".html", ".svg")  #: files whose links are checked and whose ids fragments may name
DEV_BASE = "http://site.invalid"  #: stands for the site's origin when SITEURL is "" (root-relative links)
USER_AGENT = "websockets-guide-linkcheck/1.0"


@dataclasses.dataclass(frozen=True, order=True)
class Link:
    page: str  #: the file the link is on, relative to the site folder ("blog/launch.html")
    url: str  #: as written


@dataclasses.dataclass(frozen=True, order=True)
class BrokenLink:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


#: A start tag and its attributes. Text never holds a raw "<" before a letter (it is escaped),
#: so on the HTML the build writes this finds exactly the tags, about four times faster than
#: html.parser: the check runs on every full build.
TAG_RE = re.compile(r"""<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")
ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


class Parsed:
    """The ids a page defines and the URLs it links to, in order."""

    def __init__(self, text: str) -> None:
        self.ids: set[str] = set()
        self.urls: list[str] = []
        for tag in TAG_RE.finditer(COMMENT_RE.sub("", text)):
            name = tag[1].lower()
            for attr in ATTR_RE.finditer(tag[2]):
                value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
                if value is not None:
                    self._attribute(name, attr[1].lower(), html.unescape(value) if "&" in value else value)

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name == "id" or (name == "name" and tag == "a"):
            self.ids.add(value)
        elif (tag, name) in LINK_ATTRIBUTES:
            self.urls.append(value.strip())
        elif name == "srcset" and tag in ("img", "source"):
            self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())


class Site:
    """A built site folder, parsed lazily, one file at a time."""

    def __init__(self, folder: str | os.PathLike, siteurl: str = "") -> None:
        self.folder = Path(folder)
        self.base = (siteurl or DEV_BASE).rstrip("/")
        base = urlsplit(self.base)
        self.origin, self.base_path = (base.scheme, base.netloc), base.path
        self._parsed: dict[str, Parsed] = {}
        self._targets: dict[tuple[str | None, str], tuple[str | None, str] | ValueError] = {}
        self._files: dict[str, bool] = {}

    def pages(self) -> list[str]:
        """Every HTML file of the site, relative to its folder, sorted."""
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*.html"))

    def parsed(self, name: str) -> Parsed:
        if name not in self._parsed:
            self._parsed[name] = Parsed((self.folder / name).read_text(encoding="utf-8", errors="replace"))
        return self._parsed[name]

    def links(self, name: str) -> list[Link]:
        return [Link(name, url) for url in self.parsed(name).urls]

    def url_of(self, name: str) -> str:
        return f"{self.base}/{name}"

    def target(self, link: Link) -> tuple[str | None, str]:
        """(file name in the folder, or None for an outside link; the fragment) of a link.

        Raises ValueError with the reason when an internal-looking link cannot name a file.
        """
        # A root-relative or absolute URL names the same file from every page (the chapter
        # navigation repeats the same links on each page): resolve it once per site.
        try:
            anywhere = link.url.startswith("/") or bool(urlsplit(link.url).netloc)
        except ValueError:
            anywhere = False
        key = (None if anywhere else link.page, link.url)
        if key not in self._targets:
            try:
                self._targets[key] = self._resolve(link)
            except ValueError as error:
                self._targets[key] = error
        found = self._targets[key]
        if isinstance(found, ValueError):
            raise ValueError(*found.args)
        return found

    def is_file(self, name: str) -> bool:
        if name not in self._files:
            self._files[name] = (self.folder / name).is_file()
        return self._files[name]

    def _resolve(self, link: Link) -> tuple[str | None, str]:
        absolute = urljoin(self.url_of(link.page), link.url)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != self.origin:
            return None, ""
        if not (parts.path + "/").startswith(self.base_path + "/"):
            raise ValueError(f"leaves the site's base path {self.base_path}/")
        name = unquote(parts.path[len(self.base_path):]).lstrip("/")
        if name == "" or name.endswith("/"):
            name += "index.html"
        elif (self.folder / name).is_dir():
            name += "/index.html"  # a server redirects /dir to /dir/
        return name, unquote(parts.fragment)


def check_site(folder: str | os.PathLike, siteurl: str = "", pages: list[str] | None = None) -> list[BrokenLink]:
    """Every broken internal link or fragment of the built site in ``folder``, sorted.

    ``pages`` limits the check to the links on those pages (`invoke serve` checks what it rewrote).
    """
    site = Site(folder, siteurl)
    broken = []
    for page in site.pages() if pages is None else pages:
        for link in site.links(page):
            reason = _internal_problem(site, link)
            if reason:
                broken.append(BrokenLink(link.page, link.url, reason))
    return sorted(set(broken))


def count_links(folder: str | os.PathLike, siteurl: str = "") -> tuple[int, int]:
    """(internal, external) link counts of the built site, for reports."""
    site = Site(folder, siteurl)
    internal = external = 0
    for page in site.pages():
        for link in site.links(page):
            try:
                name, _ = site.target(link)
            except ValueError:
                name = "?"
            if name is not None:
                internal += 1
            elif urlsplit(link.url).scheme in ("http", "https"):
                external += 1
    return internal, external


def _internal_problem(site: Site, link: Link) -> str | None:
    try:
        name, fragment = site.target(link)
    except ValueError as error:
        return str(error)
    if name is None:
        return None
    if not site.is_file(name):
        return f"no file {name} in the build"
    if not fragment or fragment == "top" or fragment.startswith(":~:") or not name.endswith(CHECKED_SUFFIXES):
        return None
    if fragment not in site.parsed(name).ids:
        where = "this page" if name == link.page else name
        return f'no element with id="{fragment}" in {where}'
    return None


def external_links(folder: str | os.PathLike, siteurl: str = "") -> dict[str, list[str]]:
    """Outside http(s) links of the built site -> the pages that carry them."""
    site = Site(folder, siteurl)
    found: dict[str, set[str]] = {}
    for page in site.pages():
        for link in site.links(page):
            if urlsplit(link.url).scheme not in ("http", "https"):
                continue
            try:
                name, _ = site.target(link)
            except ValueError:
                continue  # an internal problem, reported by check_site
            if name is None:
                found.setdefault(link.url.split("#", 1)[0], set()).add(page)
    return {url: sorted(pages) for url, pages in sorted(found.items())}


def check_external(urls, timeout: float = 10.0, workers: int = 8) -> dict[str, str | None]:
    """Try each outside URL (HEAD, then GET where HEAD is refused): url -> None if fine, else why not."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(urls, pool.map(functools.partial(_fetch_problem, timeout=timeout), urls)))


def _fetch_problem(url: str, timeout: float) -> str | None:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 429, 501):
                continue  # some servers refuse HEAD; ask again with GET
            return f"HTTP {error.code} {error.reason}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"{type(reason).__name__}: {reason}" if not isinstance(reason, str) else reason
    return None


def report(folder: str | os.PathLike, siteurl: str = "", external: bool = False, timeout: float = 10.0) -> tuple[str, int]:
    """A Markdown report of the site's links and the number of broken ones."""
    broken = check_site(folder, siteurl)
    internal, outside = count_links(folder, siteurl)
    lines = ["# Link check", "", f"Site: {folder}", ""]
    lines.append(f"## Internal links: {internal} checked, {len(broken)} broken")
    lines.extend(["", *(f"- {b.page}: `{b.url}`: {b.reason}" for b in broken), ""])
    failures = 0
    if external:
        links = external_links(folder, siteurl)
        results = check_external(list(links), timeout=timeout)
        failed = {url: why for url, why in results.items() if why}
        failures = len(failed)
        lines.append(f"## Outside links: {len(links)} checked, {failures} failed")
        lines.append("")
        for url, why in failed.items():
            lines.append(f"- <{url}>: {why} (on {', '.join(links[url])})")
        lines.append("")
    else:
        lines.extend([f"Outside links ({outside}) not checked: run `invoke linkcheck --external`.", ""])
    return "\n".join(lines), len(broken) + failures
