"""The authors' contract: the front-matter of guide pages and blog posts, and its rules.

A guide page starts with::

    title: WebSockets
    slug: websockets
    sort-order: 0101
    meta: One sentence, used as the meta description and in social cards.
    choice1url: /why-websockets.html
    choice1icon: fa-play fa-inverse
    choice1text: Why pick WebSockets over polling or server-sent events?

The checks here look at one file at a time; checks across files (unique slugs, link targets)
live in :mod:`guide_plugins.validation`. Most read the metadata Pelican made of a file; those
Pelican cannot answer (a field given twice, which its reader merges or drops, or a field that
stops it from reading the file) read the header as written (:func:`read_header`).
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from pelican.contents import Article, Page

from guide_plugins.memo import Reuse

REQUIRED_PAGE_FIELDS = ("title", "slug", "sort-order", "meta")
REQUIRED_POST_FIELDS = ("title", "slug", "date")
MAX_CHOICES = 4
CHOICE_PARTS = ("url", "icon", "text")
# Digits are [0-9], never \d: \d also matches full-width and Arabic-Indic digits.
CHOICE_FIELD_RE = re.compile(r"^choice(?P<number>[0-9]+)(?P<part>url|icon|text)$")

#: Fields Pelican or the theme understand besides the required ones and the choices.
OPTIONAL_FIELDS = {
    "category", "status", "modified", "date", "summary", "author", "authors", "lang", "tags",
    "reader",  # added by Pelican itself
}  # fmt: skip
STATUSES = ("published", "hidden", "draft")
#: Fields whose value may go on several lines (indented four spaces): Pelican joins a summary
#: (FORMATTED_FIELDS); any other value becomes a list, shown as one or cut to its first line.
MULTILINE_FIELDS = ("summary",)

#: Fields Pelican honours that move a page away from /{slug}.html or render it with another
#: template: errors unless the ALLOW_PAGE_OVERRIDES setting is true. ``lang`` only when it is
#: not the site's language (another language publishes at another URL).
OVERRIDE_FIELDS = ("save_as", "url", "template", "lang", "translation")
ALLOW_OVERRIDES_SETTING = "ALLOW_PAGE_OVERRIDES"

#: Names under which Pelican (or these plugins) keep a page's own data: Pelican sets every
#: header field as an attribute of the page, so a field of such a name replaces that data
#: (``settings: x`` breaks the page, ``_content: x`` replaces its body).
INTERNAL_NAMES = frozenset(
    {name.lower() for name in dir(Page) + dir(Article)}
    | {
        "settings", "metadata", "translations", "source_path", "relative_source_path",
        "in_default_lang", "date_format", "timezone", "locale_date", "locale_modified",
        "override_save_as", "override_url", "_content", "_context", "_summary", "_status",
        # set by guide_plugins on every page
        "chapter", "chapter_nav", "previous_page", "next_page", "choices", "outline",
        "last_updated", "source_relpath", "_authored_content",
    }
) - set(REQUIRED_PAGE_FIELDS) - OPTIONAL_FIELDS - set(OVERRIDE_FIELDS)  # fmt: skip

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SORT_ORDER_RE = re.compile(r"^(?P<chapter>[0-9]{2})(?P<position>[0-9]{2})$")
META_MAX_LENGTH = 160

#: Font Awesome class names that change how an icon is drawn, not which icon: ignored.
ICON_MODIFIERS = {
    "fa", "fas", "far", "fab", "fa-inverse", "fa-fw", "fa-lg", "fa-2x", "fa-3x", "fa-4x",
    "fa-5x", "fa-spin", "fa-pulse", "fa-border", "fa-pull-left", "fa-pull-right",
    "fa-flip-horizontal", "fa-flip-vertical",
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str
    warning: bool = False


@dataclasses.dataclass(frozen=True)
class Choice:
    """One "what's next" choice as the author wrote it."""

    number: int
    url: str
    icon: str  #: the icon name without the ``fa-`` prefix, or "" for the default icon
    text: str

    @property
    def is_external(self) -> bool:
        return self.url.startswith("https://")


def did_you_mean(word: str, choices, cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]}?)" if close else ""


def text_field(metadata: dict, name: str) -> str:
    """A field's value as a stripped string ("" when absent or empty)."""
    value = metadata.get(name, "")
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return str(value).strip()


def check_page_fields(metadata: dict) -> list[FieldProblem]:
    """Problems with a guide page's own fields (not those needing other pages)."""
    problems = [
        FieldProblem(name, f"missing; add a line `{name}: ...` to the header")
        for name in REQUIRED_PAGE_FIELDS
        if not text_field(metadata, name)
    ]
    slug = text_field(metadata, "slug")
    if slug and not SLUG_RE.match(slug):
        problems.append(FieldProblem("slug", slug_problem(slug)))
    order = text_field(metadata, "sort-order")
    if order:
        match = SORT_ORDER_RE.match(order)
        if not match:
            problems.append(FieldProblem("sort-order", f"{order!r} must be exactly four digits (0-9): chapter then position, e.g. 0302"))
        elif match["chapter"] == "00" or match["position"] == "00":
            problems.append(FieldProblem("sort-order", f"{order!r}: chapters and positions start at 01, e.g. 0101"))
    meta = text_field(metadata, "meta")
    if len(meta) > META_MAX_LENGTH:
        problems.append(FieldProblem("meta", f"{len(meta)} characters; search engines cut descriptions after about {META_MAX_LENGTH}", warning=True))
    problems.extend(_unknown_fields(metadata))
    return problems


def check_post_fields(metadata: dict) -> list[FieldProblem]:
    problems = [
        FieldProblem(name, f"missing; add `{name}: ...` (Markdown) or `:{name}: ...` (reStructuredText)")
        for name in REQUIRED_POST_FIELDS
        if not metadata.get(name)
    ]
    slug = text_field(metadata, "slug")
    if slug and not SLUG_RE.match(slug):
        problems.append(FieldProblem("slug", slug_problem(slug)))
    return problems


def _unknown_fields(metadata: dict) -> list[FieldProblem]:
    known = set(REQUIRED_PAGE_FIELDS) | OPTIONAL_FIELDS
    problems = []
    for name in metadata:
        if name in known or CHOICE_FIELD_RE.match(name) or name in OVERRIDE_FIELDS or name in INTERNAL_NAMES:
            continue  # the last two: errors of check_header (or allowed by a setting)
        choice_fields = {f"choice{n}{part}" for n in range(1, MAX_CHOICES + 1) for part in CHOICE_PARTS}
        hint = did_you_mean(name, known | choice_fields)
        problems.append(FieldProblem(name, f"unknown field{hint}; it is ignored", warning=True))
    return problems


_CHOICES = Reuse()  #: a page's choice fields -> read_choices()


def read_choices(metadata: dict) -> tuple[list[Choice], list[FieldProblem]]:
    """The page's choices in order, and the problems of their fields (targets not checked)."""
    fields = tuple((name, value) for name, value in metadata.items() if name.startswith("choice"))
    try:
        choices, problems = _CHOICES.get(fields, lambda: _read_choices(metadata))
    except TypeError:  # a field with several values: unhashable, and rare
        choices, problems = _read_choices(metadata)
    return list(choices), list(problems)


def _read_choices(metadata: dict) -> tuple[tuple[Choice, ...], tuple[FieldProblem, ...]]:
    choices, problems = [], []
    numbers = sorted({int(m["number"]) for name in metadata if (m := CHOICE_FIELD_RE.match(name))})
    for number in numbers:
        parts = {part: text_field(metadata, f"choice{number}{part}") for part in CHOICE_PARTS}
        if not 1 <= number <= MAX_CHOICES:
            if any(parts.values()):
                problems.append(FieldProblem(f"choice{number}url", f"a page has choices 1 to {MAX_CHOICES}; remove this choice or renumber"))
            continue
        if not any(parts.values()):
            continue  # an empty choice means "no choice"
        for part in ("url", "text"):
            if not parts[part]:
                problems.append(FieldProblem(f"choice{number}{part}", f"missing; a choice needs a url and a text (or leave all three choice{number} fields empty)"))
        if parts["url"] and parts["text"]:
            url_problem = check_choice_url_form(parts["url"])
            if url_problem:
                problems.append(FieldProblem(f"choice{number}url", url_problem))
            else:
                choices.append(Choice(number, parts["url"], icon_name(parts["icon"]), parts["text"]))
    return tuple(choices), tuple(problems)


def check_choice_url_form(url: str) -> str | None:
    if url.startswith("https://"):
        return None
    if url.startswith("http://"):
        return f"{url} is plain http; use https://{url[len('http://'):]}"
    if url.startswith("/"):
        return None
    return f"{url} is neither a site path (/slug.html) nor an https:// URL"


def icon_name(classes: str) -> str:
    """``fa-play fa-inverse`` -> ``play``; modifiers are ignored; "" when no icon is named."""
    names = [c for c in classes.split() if c not in ICON_MODIFIERS]
    return names[0].removeprefix("fa-") if names else ""


def slug_problem(slug: str) -> str:
    """The one message for a slug that is not lowercase words joined by hyphens (from the
    metadata or from the header as written: the log keeps one of two equal lines)."""
    return f"{slug!r} must be lowercase words joined by hyphens, e.g. {suggest_slug(slug)!r}"


def suggest_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-page"


# --- The header as written ------------------------------------------------------------------

#: Python-Markdown's ``meta`` extension, which Pelican's Markdown reader uses: a field line, a
#: continuation line (indented four spaces), the optional YAML-style fences around the header.
MD_FIELD_RE = re.compile(r"^[ ]{0,3}(?P<name>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
MD_MORE_RE = re.compile(r"^[ ]{4,}")
MD_BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
MD_END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")
#: A reStructuredText field (``:date: 2026-11-01``) and a section title's adornment line.
RST_FIELD_RE = re.compile(r"^:(?P<name>[^:\s][^:]*):(?:\s+(?P<value>.*)|$)")
RST_ADORNMENT_RE = re.compile(r"""^([!-/:-@\[-`{-~])\1+\s*$""")


@dataclasses.dataclass(frozen=True)
class HeaderField:
    name: str  #: lowercased, as Pelican sees it
    value: str  #: the first line of the value
    line: int  #: 1-based


@dataclasses.dataclass(frozen=True)
class Header:
    """The fields at the top of a source file, as the author wrote them, in order."""

    fields: tuple[HeaderField, ...] = ()
    #: a line that ends a Markdown header early although fields follow it (``sort order: 0101``)
    stray: HeaderField | None = None
    lost: tuple[str, ...] = ()  #: the names of the fields after the stray line: Pelican never sees them
    #: Markdown continuation lines (indented four spaces): (line, the field they continue)
    continued: tuple[tuple[int, HeaderField], ...] = ()

    def first(self, name: str) -> str:
        return next((field.value for field in self.fields if field.name == name), "")


def read_header(text: str, rst: bool = False) -> Header:
    """The header of a Markdown file (the lines before the first blank one) or the docinfo of a
    reStructuredText one, read the way Pelican's readers read it."""
    lines = text.removeprefix("\ufeff").split("\n")
    return _read_rst_header(lines) if rst else _read_markdown_header(lines)


def _read_markdown_header(lines: list[str]) -> Header:
    fields: list[HeaderField] = []
    continued: list[tuple[int, HeaderField]] = []
    start = 1 if lines and MD_BEGIN_RE.match(lines[0]) else 0
    for number in range(start, len(lines)):
        line = lines[number].expandtabs(4)  # as Python-Markdown sees it
        if not line.strip() or MD_END_RE.match(line):
            break
        field = MD_FIELD_RE.match(line)
        if field:
            fields.append(HeaderField(field["name"].lower(), field["value"].strip(), number + 1))
        elif MD_MORE_RE.match(line) and fields:
            continued.append((number + 1, fields[-1]))
        else:
            return Header(tuple(fields), *_stray(lines, number), tuple(continued))
    return Header(tuple(fields), continued=tuple(continued))


def _stray(lines: list[str], number: int) -> tuple[HeaderField | None, tuple[str, ...]]:
    """The line that ended a header, when field lines follow it before the next blank line."""
    lost = []
    for line in lines[number + 1 :]:
        if not line.strip():
            break
        field = MD_FIELD_RE.match(line.expandtabs(4))
        if field:
            lost.append(field["name"].lower())
    if not lost:
        return None, ()  # the body simply starts here
    return HeaderField("", lines[number].strip(), number + 1), tuple(lost)


def _read_rst_header(lines: list[str]) -> Header:
    """The first field list after the document's title(s): Pelican's metadata of a reST file."""
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
        elif title := _rst_title_length(lines, start):
            start += title
        else:
            break
    fields = []
    for number in range(start, len(lines)):
        line = lines[number]
        field = RST_FIELD_RE.match(line)
        if field:
            fields.append(HeaderField(field["name"].strip().lower(), (field["value"] or "").strip(), number + 1))
        elif not (fields and line[:1].isspace() and line.strip()):  # a field's value goes on, indented
            break
    return Header(tuple(fields))


def _rst_title_length(lines: list[str], number: int) -> int:
    """How many lines a section title starting at ``number`` takes: 3 with an overline, 2 without, else 0."""

    def adornment(at: int) -> bool:
        return at < len(lines) and bool(RST_ADORNMENT_RE.match(lines[at]))

    if adornment(number) and number + 1 < len(lines) and lines[number + 1].strip() and adornment(number + 2):
        return 3
    return 2 if adornment(number + 1) else 0


def check_header(header: Header, kind: str = "page", *, site_lang: str = "en", allow_overrides: bool = False, published_at: str = "") -> list[FieldProblem]:
    """Rules the header as written must follow; ``kind`` is "page" or "post"."""
    problems = _repeated_fields(header)
    for line, field in header.continued:
        if field.name not in MULTILINE_FIELDS:
            problems.append(FieldProblem(f"line {line}", f"field {field.name!r} goes on one line (Pelican makes a list of a continued value); join this line to line {field.line}"))
    if header.stray is not None:
        shown = header.stray.value if len(header.stray.value) <= 40 else header.stray.value[:37] + "..."
        problems.append(FieldProblem(
            f"line {header.stray.line}",
            f"{shown!r} is not a field line (a name is ASCII letters, digits, - and _), so the header "
            "ends here and the fields below it show as text; fix the name",
        ))  # fmt: skip
    for field in _unique(header.fields):
        problem = _field_rule(field, kind, site_lang, allow_overrides, published_at)
        if problem:
            problems.append(FieldProblem(field.name, problem))
    return problems


def _repeated_fields(header: Header) -> list[FieldProblem]:
    first_lines: dict[str, int] = {}
    problems = []
    for field in header.fields:
        first = first_lines.setdefault(field.name, field.line)
        if first != field.line:
            problems.append(FieldProblem(f"line {field.line}", f"field {field.name!r} is already given on line {first}; keep one"))
    return problems


def _unique(fields) -> list[HeaderField]:
    """Each field's first occurrence (a repeated one is reported once, as repeated)."""
    firsts: dict[str, HeaderField] = {}
    for field in fields:
        firsts.setdefault(field.name, field)
    return list(firsts.values())


def _field_rule(field: HeaderField, kind: str, site_lang: str, allow_overrides: bool, published_at: str) -> str | None:
    """What is wrong with one field of the header, or None."""
    name, value = field.name, field.value
    if name == "slug" and value and not SLUG_RE.match(value):
        return slug_problem(value)  # here too, as Pelican skips a page whose slug leaves the output folder
    if name == "status" and value and value.lower() not in STATUSES:
        return f"{value!r} is not a status; use {', '.join(STATUSES[:-1])} or {STATUSES[-1]}"
    if name in INTERNAL_NAMES:
        return f"Pelican keeps the {kind}'s own data under this name, so the field would replace it; remove or rename it"
    if name not in OVERRIDE_FIELDS or allow_overrides:
        return None
    where = f"the {kind} is published at {published_at}" if published_at else f"the {kind} is published at the URL of its slug"
    if name in ("save_as", "url"):
        return f"would write this {kind} outside the guide's URL scheme; remove it ({where})"
    if name == "template":
        return f"would render this {kind} with the {value!r} template instead of the guide's; remove it"
    if name == "lang" and value == site_lang:
        return None
    return f"would publish this {kind} as a translation at another URL; remove it (the site's language is {site_lang!r}; {where})"
