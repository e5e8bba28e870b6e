"""The authors' contract: the front-matter of guide pages and blog posts, and its rules.

A guide page starts with::

    title: WebSockets
    slug: websockets
    sort-order: 0101
    meta: One sentence, used as the meta description and in social cards.
    choice1url: /why-websockets.html
    choice1icon: fa-play fa-inverse
    choice1text: Why pick WebSockets over polling or server-sent events?

Which fields there are and the rules of their values are data, in :mod:`guide.content.schema`.
The checks here apply them to one file at a time; checks across files (unique slugs, link
targets) live in :mod:`guide.content.validation`. Most read the metadata Pelican made of a file;
those Pelican cannot answer (a field given twice, which its reader merges or drops, or a field
that stops it from reading the file) read the header as written (:func:`read_header`).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re

from pelican.contents import Article, Page

from guide.build.memo import Reuse
from guide.content import schema
from guide.content.schema import PAGE

#: The parts of a "what's next" choice: the schema's choiceNurl, choiceNicon and choiceNtext.
CHOICE_PARTS = ("url", "icon", "text")
CHOICE_URL = schema.field_named("choiceNurl")

#: Names under which Pelican (or the guide's plugin) keep a page's own data: Pelican sets every
#: header field as an attribute of the page, so a field of such a name replaces that data
#: (``settings: x`` breaks the page, ``_content: x`` replaces its body).
INTERNAL_NAMES = frozenset(
    {name.lower() for name in dir(Page) + dir(Article)}
    | {
        "settings", "metadata", "translations", "source_path", "relative_source_path",
        "in_default_lang", "date_format", "timezone", "locale_date", "locale_modified",
        "override_save_as", "override_url", "_content", "_context", "_summary", "_status",
        # set by guide.plugin on every page
        "chapter", "chapter_nav", "previous_page", "next_page", "choices", "outline",
        "last_updated", "source_relpath", "_authored_content",
    }
) - schema.names()  # fmt: skip

#: Font Awesome class names that change how an icon is drawn, not which icon: ignored (the style
#: ones, ``far`` or ``fa-regular``, pick the style of a Font Awesome icon: guide.content.icons).
ICON_MODIFIERS = {
    "fa", "fas", "far", "fab", "fa-inverse", "fa-fw", "fa-lg", "fa-2x", "fa-3x", "fa-4x",
    "fa-5x", "fa-spin", "fa-pulse", "fa-border", "fa-pull-left", "fa-pull-right",
    "fa-flip-horizontal", "fa-flip-vertical",
    # Font Awesome 6 (none is an icon's name)
    "fa-solid", "fa-regular", "fa-brands", "fa-classic", "fa-sharp", "fa-2xs", "fa-xs", "fa-sm",
    "fa-xl", "fa-2xl", "fa-1x", "fa-6x", "fa-7x", "fa-8x", "fa-9x", "fa-10x", "fa-beat", "fa-beat-fade",
    "fa-bounce", "fa-fade", "fa-flip", "fa-shake", "fa-spin-pulse", "fa-spin-reverse", "fa-flip-both",
    "fa-rotate-90", "fa-rotate-180", "fa-rotate-270", "fa-rotate-by", "fa-width-auto",
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


def check_fields(metadata: dict, kind: str) -> list[FieldProblem]:
    """Problems with the fields of a page or post (``kind``) by the schema: the missing ones, the
    values that break a rule, the unknown names. Not the choices (:func:`read_choices`), nor what
    needs other pages."""
    fields = _own_fields(kind)
    problems = [
        FieldProblem(field.name, schema.MISSING[kind].format(name=field.name, example=field.example, hint=field.hint))
        for field in fields
        if kind in field.required and not text_field(metadata, field.name)
    ]
    for field in fields:
        value = text_field(metadata, field.name)
        broken = rule_problem(field, value, kind) if value else None
        if broken:
            problems.append(FieldProblem(field.name, broken[1], warning=broken[0].warning))
    if kind in schema.WARN_UNKNOWN_FIELDS:
        problems.extend(_unknown_fields(metadata, kind))
    return problems


@functools.cache
def _own_fields(kind: str) -> tuple[schema.Field, ...]:
    """The fields check_fields looks at: required or ruled ones, numbered families aside."""
    return tuple(field for field in schema.fields_for(kind) if field.numbered is None and (kind in field.required or field.rules))


def rule_problem(field: schema.Field, value: str, kind: str) -> tuple[schema.Rule, str] | None:
    """The first rule of ``field`` that a value given in this kind of content breaks, and its line."""
    for rule in field.rules:
        if kind in rule.kinds and not rule.pattern.fullmatch(value):
            return rule, rule.message.format(value=value, length=len(value), suggested_slug=suggest_slug(value))
    return None


def _unknown_fields(metadata: dict, kind: str) -> list[FieldProblem]:
    problems = []
    for name in metadata:
        field = schema.field_named(name)
        if (field is not None and kind in field.applies_to) or name in INTERNAL_NAMES:
            continue  # an internal name is an error of check_header, as is an override (unless allowed)
        hint = did_you_mean(name, schema.suggestions(kind))
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
    numbers = sorted({found[1] for name in metadata if (found := schema.numbered(name))})
    for number in numbers:
        parts = {part: text_field(metadata, f"choice{number}{part}") for part in CHOICE_PARTS}
        if number not in schema.CHOICE_NUMBERS:
            if any(parts.values()):
                first, last = schema.CHOICE_NUMBERS[0], schema.CHOICE_NUMBERS[-1]
                problems.append(
                    FieldProblem(f"choice{number}url", f"a page has choices {first} to {last}; remove this choice or renumber")
                )
            continue
        if not any(parts.values()):
            continue  # an empty choice means "no choice"
        for part in ("url", "text"):
            if not parts[part]:
                problems.append(
                    FieldProblem(
                        f"choice{number}{part}",
                        f"missing; a choice needs a url and a text (or leave all three choice{number} fields empty)",
                    )
                )
        if parts["url"] and parts["text"]:
            url_problem = check_choice_url_form(parts["url"])
            if url_problem:
                problems.append(FieldProblem(f"choice{number}url", url_problem))
            else:
                choices.append(Choice(number, parts["url"], icon_name(parts["icon"]), parts["text"]))
    return tuple(choices), tuple(problems)


def check_choice_url_form(url: str) -> str | None:
    if url.startswith("http://"):
        return f"{url} is plain http; use https://{url[len('http://') :]}"
    if url.startswith("//"):  # a browser reads it as another host, not as a site path
        return f"{url} names another host without a scheme; write https:{url}, or a site path such as /slug.html"
    broken = rule_problem(CHOICE_URL, url, PAGE)
    return broken[1] if broken else None


def icon_name(classes: str) -> str:
    """``fa-play fa-inverse`` -> ``play``; modifiers are ignored; "" when no icon is named."""
    names = [c for c in classes.split() if c not in ICON_MODIFIERS]
    return names[0].removeprefix("fa-") if names else ""


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


def check_header(
    header: Header, kind: str = "page", *, site_lang: str = "en", allow_overrides: bool = False, published_at: str = ""
) -> list[FieldProblem]:
    """Rules the header as written must follow; ``kind`` is "page" or "post"."""
    problems = _repeated_fields(header)
    for line, field in header.continued:
        known = schema.field_named(field.name)
        if known is None or not known.multiline:
            problems.append(
                FieldProblem(
                    f"line {line}",
                    f"field {field.name!r} goes on one line (Pelican makes a list of a continued value); join this line to line {field.line}",
                )
            )
    if header.stray is not None:
        shown = header.stray.value if len(header.stray.value) <= 40 else header.stray.value[:37] + "..."
        meant = did_you_mean(_ascii_digits(header.stray.value.split(":", 1)[0].strip().lower()), schema.suggestions(kind))
        problems.append(
            FieldProblem(
                f"line {header.stray.line}",
                f"{shown!r} is not a field line (a name is ASCII letters, digits, - and _), so the header "
                f"ends here and the fields below it show as text; fix the name{meant}",
            )
        )
    for field in _unique(header.fields):
        problem = _field_rule(field, kind, site_lang, allow_overrides, published_at)
        if problem:
            problems.append(FieldProblem(field.name, problem))
    return problems


def _ascii_digits(name: str) -> str:
    """``choice١url`` -> ``choice1url``: the field a name in other digits means (\\d: any digit)."""
    return re.sub(r"\d", lambda digit: str(int(digit[0])), name)


def _repeated_fields(header: Header) -> list[FieldProblem]:
    first_lines: dict[str, int] = {}
    problems = []
    for field in header.fields:
        first = first_lines.setdefault(field.name, field.line)
        if first != field.line:
            problems.append(
                FieldProblem(f"line {field.line}", f"field {field.name!r} is already given on line {first}; keep one")
            )
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
    known = schema.field_named(name)
    if known is not None and known.checked_as_written and kind in known.applies_to and value:
        broken = rule_problem(known, value, kind)
        if broken:
            return broken[1]
    if name in INTERNAL_NAMES:
        return f"Pelican keeps the {kind}'s own data under this name, so the field would replace it; remove or rename it"
    override = known.override if known is not None else None
    if override is None or allow_overrides or (override.site_lang_allowed and value == site_lang):
        return None
    where = f"the {kind} is published at {published_at}" if published_at else f"the {kind} is published at the URL of its slug"
    return override.message.format(kind=kind, value=value, site_lang=site_lang, where=where)
