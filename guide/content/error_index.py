"""The troubleshooting index: every section tagged with the errors it explains, gathered on one page.

An author tags a heading with what a reader sees when that section holds the answer::

    ## The proxy closes idle connections { #proxy-idle data-explains="1006; 502; keepalive ping timeout" }

Entries are separated by ``;``. A four-digit number is a WebSocket close code, a three-digit one an
HTTP status, anything else the exact text of an error message. The page that ``error_index_page``
in ``guide.toml`` names shows the index after its own text: an entry per code and message, each with
a stable anchor (``#close-1006``, ``#http-502``, ``#error-keepalive-ping-timeout``) and links to
every section that carries it. Pagefind indexes it with that page, so searching for the text of
an error lands there, and the link check keeps every link alive like any other.
"""

from __future__ import annotations

import dataclasses
import html
import http
import re

from guide import pelican_internals
from guide.content.close_codes import CLOSE_CODES, close_code_name
from guide.content.outline import OutlineEntry
from guide.content.site_links import site_url
from guide.problems import ProblemLog

SETTING = "ERROR_INDEX_PAGE"  #: the slug of the page that shows the index (guide.toml: error_index_page)
ATTRIBUTE = "data-explains"
HEADING_RE = re.compile(r"<h(?P<level>[1-6])(?P<attrs>\s[^>]*)>(?P<inner>.*?)</h(?P=level)>", re.S)
TAGGED_ELEMENT_RE = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)\s[^>]*\bdata-explains=")
VALUE_RE = re.compile(r'\bdata-explains="(?P<value>[^"]*)"')
ID_RE = re.compile(r'(?:^|\s)id="(?P<id>[^"]+)"')
ANY_ID_RE = re.compile(r'\sid="([^"]+)"')
PERMALINK_RE = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
MAX_MESSAGE = 200  #: longer than any error line worth searching for, shorter than a paragraph
INDEX_ID = "error-index"
GROUPS = (  # (kind, the group's heading id, its title)
    ("close", "error-index-close-codes", "Close codes"),
    ("http", "error-index-http-statuses", "HTTP statuses at the handshake"),
    ("message", "error-index-messages", "Error messages"),
)
INDEX_TITLE = "Every code and message in the guide"


@dataclasses.dataclass(frozen=True)
class Section:
    url: str  #: where the section is, under SITEURL
    page: str  #: the title of its page
    heading: str  #: the text of its heading


@dataclasses.dataclass
class Entry:
    kind: str  #: "close", "http" or "message"
    label: str  #: what the reader sees: "1006", "502", "keepalive ping timeout"
    name: str  #: the registry's name for a code ("Abnormal Closure", "Bad Gateway"), "" for a message
    anchor: str = ""  #: its id on the index page
    sections: list[Section] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Group:
    id: str
    title: str
    entries: list[Entry]


def parse_tag(value: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The ``(kind, label)`` pairs of a ``data-explains`` value, and what is wrong with it."""
    items, problems = [], []
    for raw in value.split(";"):
        label = " ".join(raw.split())
        if not label:
            problems.append('an empty entry: separate entries with one ";" and leave none blank')
        elif label.isdigit():
            kind, problem = _number_kind(int(label), label)
            if problem:
                problems.append(problem)
            elif (kind, label) in items:
                problems.append(f"{label} is listed twice")
            else:
                items.append((kind, label))
        elif len(label) > MAX_MESSAGE:
            problems.append(f"{label[:40]!r}... is {len(label)} characters; tag the line a reader sees, at most {MAX_MESSAGE}")
        elif ("message", label) in items:
            problems.append(f"{label!r} is listed twice")
        else:
            items.append(("message", label))
    return items, problems


def _number_kind(number: int, label: str) -> tuple[str, str | None]:
    if len(label) == 4 and (number in CLOSE_CODES or 3000 <= number <= 4999):
        return "close", None
    if len(label) == 4 and 1000 <= number <= 2999:
        return "", f"close code {number} is reserved and never used (RFC 6455, 7.4.2); tag 1000-1015 or 3000-4999"
    if len(label) == 3 and 100 <= number <= 599:
        return "http", None
    return "", f"{label} is neither a close code (1000-1015, 3000-4999) nor an HTTP status (100-599)"


def tagged_headings(body: str):
    """``(id, text, value)`` for each heading of a rendered body that carries ``data-explains``."""
    for match in HEADING_RE.finditer(body):
        attrs = match["attrs"]
        value = VALUE_RE.search(attrs)
        if not value:
            continue
        found = ID_RE.search(attrs)
        text = html.unescape(TAG_RE.sub("", PERMALINK_RE.sub("", match["inner"]))).strip()
        yield (found["id"] if found else None), text, html.unescape(value["value"])


def misplaced_tags(body: str) -> list[str]:
    """The names of elements other than headings that carry ``data-explains``."""
    return [m["name"] for m in TAGGED_ELEMENT_RE.finditer(body) if not re.fullmatch(r"h[1-6]", m["name"])]


def _anchor(kind: str, label: str, taken: set[str]) -> str:
    if kind == "close":
        base = f"close-{label}"
    elif kind == "http":
        base = f"http-{label}"
    else:
        base = "error-" + ("-".join(re.findall(r"[a-z0-9]+", label.lower()))[:60].strip("-") or "message")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _source_line(path: str, value: str) -> str:
    """Where a tag is written in its source file ("body line 12"), or "body" when it cannot be found."""
    try:
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, 1):
                if ATTRIBUTE in line and value in line:
                    return f"body line {number}"
    except OSError:
        pass
    return "body"


def collect(contents: list, siteurl: str, log: ProblemLog) -> dict[tuple[str, str], Entry]:
    """Every tagged code and message of the pages and posts, with the sections that explain it."""
    entries: dict[tuple[str, str], Entry] = {}
    for content in contents:
        body = pelican_internals.body_html(content) or ""
        if ATTRIBUTE not in body:
            continue
        for name in misplaced_tags(body):
            log.add(content.source_path, "body", f'{ATTRIBUTE} on a <{name}>: tag a heading, ## Title {{ {ATTRIBUTE}="..." }}')
        for heading_id, text, value in tagged_headings(body):
            items, problems = parse_tag(value)
            where = _source_line(content.source_path, value)
            for problem in problems:
                log.add(content.source_path, where, f'{ATTRIBUTE} of "{text}": {problem}')
            if heading_id is None:
                continue  # the toc extension gives every heading an id; a tree without it gets no index
            section = Section(site_url(siteurl, f"/{content.url}#{heading_id}"), content.title, text)
            for kind, label in items:
                entry = entries.setdefault((kind, label), Entry(kind, label, _name(kind, label)))
                entry.sections.append(section)
    return entries


def _name(kind: str, label: str) -> str:
    if kind == "close":
        return close_code_name(int(label))
    if kind == "http":
        try:
            return http.HTTPStatus(int(label)).phrase
        except ValueError:
            return ""
    return ""


def groups(entries: dict[tuple[str, str], Entry], taken_ids: frozenset[str] = frozenset()) -> list[Group]:
    """The entries by kind: codes in numeric order, messages alphabetically, each with an anchor
    that no id in ``taken_ids`` (the host page's own) already has."""
    taken = {INDEX_ID, *(group_id for _, group_id, _ in GROUPS), *taken_ids}
    result = []
    for kind, group_id, title in GROUPS:
        chosen = [entry for (k, _), entry in entries.items() if k == kind]
        chosen.sort(key=lambda e: (int(e.label), "") if kind != "message" else (0, e.label.casefold()))
        for entry in chosen:
            entry.anchor = _anchor(kind, entry.label, taken)
        if chosen:
            result.append(Group(group_id, title, chosen))
    return result


def add_error_index(index, settings, log: ProblemLog, settings_file: str) -> None:
    """Check every tag of the site, and give the page ``ERROR_INDEX_PAGE`` names its index (``error_index``)."""
    contents = index.pages + index.posts
    entries = collect(contents, settings["SITEURL"], log)
    slug = settings.get(SETTING)
    for content in contents:
        content.error_index = []
    if not slug:
        return
    host = next((page for page in index.pages if page.slug == slug), None)
    if host is None:
        slugs = ", ".join(sorted(page.slug for page in index.pages)[:5])
        log.add(settings_file, "error_index_page", f"no page has the slug {slug!r}; name one of the guide's pages ({slugs}...)")
        return
    own_ids = frozenset(ANY_ID_RE.findall(pelican_internals.body_html(host) or ""))
    host.error_index = groups(entries, own_ids)


def extend_outlines(pages: list) -> None:
    """Add the index to its page's outline, after the page's own headings (call after the outlines are made)."""
    for page in pages:
        if getattr(page, "error_index", None):
            page.outline = [*page.outline, OutlineEntry(2, INDEX_ID, INDEX_TITLE)]
            page.outline += [OutlineEntry(3, group.id, group.title) for group in page.error_index]
