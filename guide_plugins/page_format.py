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
live in :mod:`guide_plugins.validation`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from guide_plugins.memo import Reuse

REQUIRED_PAGE_FIELDS = ("title", "slug", "sort-order", "meta")
REQUIRED_POST_FIELDS = ("title", "slug", "date")
MAX_CHOICES = 4
CHOICE_PARTS = ("url", "icon", "text")
CHOICE_FIELD_RE = re.compile(r"^choice(?P<number>\d+)(?P<part>url|icon|text)$")

#: Fields Pelican or the theme understand besides the required ones and the choices.
OPTIONAL_FIELDS = {
    "category", "status", "template", "modified", "date", "summary", "author", "authors",
    "lang", "translation", "tags",
    "reader",  # added by Pelican itself
}  # fmt: skip

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SORT_ORDER_RE = re.compile(r"^(?P<chapter>\d{2})(?P<position>\d{2})$")
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
        problems.append(FieldProblem("slug", f"{slug!r} must be lowercase words joined by hyphens, e.g. {suggest_slug(slug)!r}"))
    order = text_field(metadata, "sort-order")
    if order:
        match = SORT_ORDER_RE.match(order)
        if not match:
            problems.append(FieldProblem("sort-order", f"{order!r} must be exactly four digits: chapter then position, e.g. 0302"))
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
        problems.append(FieldProblem("slug", f"{slug!r} must be lowercase words joined by hyphens, e.g. {suggest_slug(slug)!r}"))
    return problems


def _unknown_fields(metadata: dict) -> list[FieldProblem]:
    known = set(REQUIRED_PAGE_FIELDS) | OPTIONAL_FIELDS
    problems = []
    for name in metadata:
        if name in known or CHOICE_FIELD_RE.match(name):
            continue
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


def suggest_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-page"
