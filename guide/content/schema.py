"""The front matter of guide pages, blog posts and chapter files, as data: one :class:`Field` per field.

A field says where it belongs (pages, posts, chapter files), whether it is required there, the rules its
value follows (a pattern, and the line the author reads when the value does not match it), what
to write (``hint``, ``example``) and its sentence in the README. Everything else reads
:data:`FIELDS`: :func:`guide.content.front_matter.check_fields` (missing fields, values of the
wrong form, unknown fields and the field they probably meant),
:func:`~guide.content.front_matter.check_header` (values that may go on several lines, fields
refused unless a setting allows them, the name a stray line probably meant) and the README's field
tables, which :func:`field_table` renders and a test keeps equal to README.md. After changing a
field, rewrite the tables with::

    python -m guide.content.schema --readme
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Mapping
from pathlib import Path

PAGE, POST = "page", "post"
BOTH = (PAGE, POST)
#: A chapter's own file, ``pages/NN-name/_chapter.md`` (:mod:`guide.content.chapter_files`): never published.
CHAPTER = "chapter"
KINDS = (*BOTH, CHAPTER)

#: The setting that lets pages and posts use the override fields (pelicanconf.py).
ALLOW_OVERRIDES_SETTING = "ALLOW_PAGE_OVERRIDES"


def ascii_pattern(pattern: str) -> re.Pattern:
    """A value's pattern, matched against the whole value. re.ASCII, because \\d, \\w and
    case-insensitive matching also accept non-ASCII look-alikes (full-width digits, ``ſ``)."""
    return re.compile(pattern, re.ASCII)


@dataclasses.dataclass(frozen=True)
class Rule:
    """The whole value must match ``pattern``; when it does not, ``message`` is the problem,
    formatted with the ``value``, its ``length`` and a ``suggested_slug`` made of it."""

    pattern: re.Pattern
    message: str
    warning: bool = False  #: a warning, which only --strict fails on, instead of an error
    kinds: tuple[str, ...] = BOTH  #: the kinds of content it is checked in


@dataclasses.dataclass(frozen=True)
class Override:
    """A field Pelican honours that publishes a page or post elsewhere or renders it with another
    template: refused unless ALLOW_OVERRIDES_SETTING is true. ``message`` is formatted with the
    ``kind``, the ``value``, the ``site_lang`` and ``where`` the page is published."""

    message: str
    site_lang_allowed: bool = False  #: a value equal to the site's language is no override


@dataclasses.dataclass(frozen=True)
class Field:
    """One field of the front matter, and everything the build and the README say about it."""

    name: str  #: as written, lowercase; a numbered family writes its number N: ``choiceNurl``
    hint: str  #: what to write, as the "missing" line says it
    example: str  #: a value that follows every rule
    #: the README's sentence: one for every kind, or one per kind; "" (or no entry): not in the table
    doc: str | Mapping[str, str]
    applies_to: tuple[str, ...] = BOTH
    required: tuple[str, ...] = ()  #: the kinds that must give it
    rules: tuple[Rule, ...] = ()  #: checked in order; the first the value breaks is its problem
    #: the rules are checked in the header as written too, before Pelican reads the file
    checked_as_written: bool = False
    multiline: bool = False  #: the value may go on several lines, indented four spaces
    override: Override | None = None
    numbered: range | None = None  #: the numbers N of a family (others are reported as out of range)

    @property
    def pattern(self) -> re.Pattern | None:
        """The form of the value (its first rule's pattern), or None for any text."""
        return self.rules[0].pattern if self.rules else None

    @property
    def names(self) -> tuple[str, ...]:
        """The names an author may write: the field's, or each of its family's."""
        if self.numbered is None:
            return (self.name,)
        return tuple(self.name.replace("N", str(number)) for number in self.numbered)

    def doc_for(self, kind: str) -> str:
        return self.doc.get(kind, "") if isinstance(self.doc, Mapping) else self.doc


#: Fields Pelican reads that the guide's theme does not show: accepted, and documented as such.
PELICAN_ONLY = "read by Pelican, not shown by the guide's theme"
#: Pelican joins a multi-line summary (FORMATTED_FIELDS); any other value becomes a list.
SEVERAL_LINES = "may go on several lines, each indented four spaces"

SLUG = ascii_pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SORT_ORDER = ascii_pattern(r"(?P<chapter>[0-9]{2})(?P<position>[0-9]{2})")
CHOICE_NUMBERS = range(1, 5)  #: a page offers at most four "what's next" choices
OUTSIDE_THE_SCHEME = "would write this {kind} outside the guide's URL scheme; remove it ({where})"
A_TRANSLATION = (
    "would publish this {kind} as a translation at another URL; remove it (the site's language is {site_lang!r}; {where})"
)

FIELDS: tuple[Field, ...] = (
    # --- What a guide page must say (a post too: its title and slug) ------------------------------
    Field(
        "title",
        applies_to=KINDS,
        required=KINDS,
        hint="the heading, also the browser tab's title",
        example="WebSockets",
        doc={
            PAGE: "the page's heading and `<title>`",
            POST: "the post's heading and `<title>` (in reStructuredText, the document's title)",
            CHAPTER: "the chapter's title in the sidebar, the table of contents and the home page",
        },
    ),
    Field(
        "slug",
        required=BOTH,
        rules=(Rule(SLUG, "{value!r} must be lowercase words joined by hyphens, e.g. {suggested_slug!r}"),),
        checked_as_written=True,  # Pelican would skip a page whose slug leaves the output folder
        hint="lowercase words joined by hyphens",
        example="websockets",
        doc={
            PAGE: "lowercase words joined by hyphens, unique; the page is published at `/{slug}.html`",
            POST: "lowercase words joined by hyphens, unique; the post is published at `/blog/{slug}.html`",
        },
    ),
    Field(
        "sort-order",
        applies_to=(PAGE,),
        required=(PAGE,),
        rules=(
            Rule(SORT_ORDER, "{value!r} must be exactly four digits (0-9): chapter then position, e.g. 0302"),
            Rule(ascii_pattern(r"(?!00)[0-9]{2}(?!00)[0-9]{2}"), "{value!r}: chapters and positions start at 01, e.g. 0101"),
        ),
        hint="four digits 0-9: the chapter, then the position in it",
        example="0302",
        doc={
            PAGE: "exactly four digits `0`-`9`, unique: the first two are the chapter, the last two the position in it "
            "(`0302` is chapter 3, second page); chapters and positions start at `01`"
        },
    ),
    Field(
        "meta",
        required=(PAGE,),
        rules=(
            Rule(
                ascii_pattern(r"(?s).{0,160}"),
                "{length} characters; search engines cut descriptions after about 160",
                warning=True,
                kinds=(PAGE,),  # a post's description was never checked; it may fall back on its summary
            ),
        ),
        hint="one sentence that says what the page answers",
        example="How a WebSocket connection opens, carries messages and closes.",
        doc={
            PAGE: "one sentence for the meta description and social cards (about 160 characters at most, or a warning)",
            POST: "one sentence for the meta description, social cards and the blog list (without it, the summary)",
        },
    ),
    # --- What a chapter file says besides its title ---------------------------------------------
    Field(
        "description",
        applies_to=(CHAPTER,),
        hint="one sentence on what the chapter's pages cover",
        example="How Python servers accept WebSocket connections, library by library.",
        doc={CHAPTER: "one sentence under the chapter's title in the table of contents (plain text)"},
    ),
    # --- The "what's next" choices of a guide page ------------------------------------------------
    Field(
        "choiceNurl",
        applies_to=(PAGE,),
        numbered=CHOICE_NUMBERS,
        rules=(Rule(ascii_pattern(r"(?s)(?:/|https://).*"), "{value} is neither a site path (/slug.html) nor an https:// URL"),),
        hint="a site path such as /websocket-protocol.html, or an https:// URL",
        example="/why-websockets.html",
        doc={PAGE: 'N from 1 to 4: where the "what\'s next" card N leads, a site path (`/slug.html`) or an `https://` URL'},
    ),
    Field(
        "choiceNicon",
        applies_to=(PAGE,),
        numbered=CHOICE_NUMBERS,
        hint="Font Awesome style names such as fa-book; empty for the default arrow",
        example="fa-play fa-inverse",
        doc={PAGE: "the card's icon: Font Awesome style names (see **Icons** below); empty, the default arrow"},
    ),
    Field(
        "choiceNtext",
        applies_to=(PAGE,),
        numbered=CHOICE_NUMBERS,
        hint="the question the reader may ask next",
        example="Why pick WebSockets over polling or server-sent events?",
        doc={PAGE: "the card's text: the question the reader may ask next"},
    ),
    # --- What a post says ------------------------------------------------------------------------
    Field(
        "date",
        required=(POST,),
        hint="the day it is published, YYYY-MM-DD; a time may follow",
        example="2026-11-21",
        doc={POST: "the day the post is published, `YYYY-MM-DD` (a time may follow)", PAGE: PELICAN_ONLY},
    ),
    Field(
        "summary",
        multiline=True,
        hint=f"a few sentences; it {SEVERAL_LINES}",
        example="The guide is back, rewritten from scratch with tested examples.",
        doc={
            POST: f"the blog list's text when there is no `meta` (else the post's first words); it {SEVERAL_LINES}",
            PAGE: PELICAN_ONLY,
        },
    ),
    # --- What Pelican understands ----------------------------------------------------------------
    Field(
        "status",
        rules=(Rule(ascii_pattern(r"(?i:published|hidden|draft)"), "{value!r} is not a status; use published, hidden or draft"),),
        checked_as_written=True,  # Pelican skips a file of another status, with a message of its own
        hint="published, hidden or draft",
        example="draft",
        doc="`published` (the default); `draft`: shown by `invoke serve` only, with a banner; "
        "`hidden`: published at its URL but listed nowhere (see **Drafts and hidden pages**)",
    ),
    Field(
        "lang",
        override=Override(A_TRANSLATION, site_lang_allowed=True),
        hint="the site's language code (DEFAULT_LANG)",
        example="en",
        doc="the site's language (`DEFAULT_LANG`)",
    ),
    Field("category", hint="one word", example="post", doc=PELICAN_ONLY),
    Field("modified", hint="the day of the last change, YYYY-MM-DD", example="2026-12-01", doc=PELICAN_ONLY),
    Field("tags", hint="words separated by commas", example="asyncio, nginx", doc=PELICAN_ONLY),
    Field("author", hint="a name", example="Ada Lovelace", doc=PELICAN_ONLY),
    Field("authors", hint="names separated by commas", example="Ada Lovelace, Alan Turing", doc=PELICAN_ONLY),
    Field("reader", hint="nothing: Pelican adds it to every page", example="markdown", doc=""),
    # --- Refused unless ALLOW_PAGE_OVERRIDES: a page is published at /{slug}.html with the guide's template
    Field(
        "save_as",
        override=Override(OUTSIDE_THE_SCHEME),
        hint="a file of the output folder",
        example="moved.html",
        doc="the file it is written to, instead of the slug's",
    ),
    Field(
        "url",
        override=Override(OUTSIDE_THE_SCHEME),
        hint="the path links use",
        example="moved.html",
        doc="the path links use, instead of the slug's",
    ),
    Field(
        "template",
        override=Override("would render this {kind} with the {value!r} template instead of the guide's; remove it"),
        hint="a template of the theme",
        example="page",
        doc="a template of the theme to render it with, instead of the guide's",
    ),
    Field(
        "translation",
        override=Override(A_TRANSLATION),
        hint="true for a translation of another page",
        example="true",
        doc="marks a translation of another page, published at another URL",
    ),
)

#: What the line of a missing required field says, by kind (guide pages are Markdown).
MISSING = {
    PAGE: "missing; add a line such as `{name}: {example}` to the header ({hint})",
    POST: "missing; add `{name}: {example}` (Markdown) or `:{name}: {example}` (reStructuredText) to the header ({hint})",
    CHAPTER: "missing; add a line such as `{name}: {example}` at the top of the file (the chapter's {name})",
}
#: The kinds whose unknown fields are warned about (a post's never were).
WARN_UNKNOWN_FIELDS = (PAGE,)


# --- Looking fields up -------------------------------------------------------------------------

_BY_NAME = {field.name: field for field in FIELDS}  #: a family by its name as written, too: choiceNurl
#: a family's name pattern -> the family: any number, so that ``choice5url`` is a choice (out of range)
_FAMILIES = tuple(
    (ascii_pattern(re.escape(field.name).replace("N", "(?P<number>[0-9]+)")), field)
    for field in FIELDS
    if field.numbered is not None
)


def field_named(name: str) -> Field | None:
    """The field a name is: an author's (lowercase) name, a family's numbered ones included."""
    field = _BY_NAME.get(name)
    if field is None:
        field = next((family for pattern, family in _FAMILIES if pattern.fullmatch(name)), None)
    return field


def numbered(name: str) -> tuple[Field, int] | None:
    """A family's field and the number N a name gives it: ``choice2url`` -> (choiceNurl, 2)."""
    for pattern, family in _FAMILIES:
        match = pattern.fullmatch(name)
        if match:
            return family, int(match["number"])
    return None


def fields_for(kind: str) -> tuple[Field, ...]:
    return tuple(field for field in FIELDS if kind in field.applies_to)


def names() -> frozenset[str]:
    """Every field's name (a family's as written, with its N)."""
    return frozenset(field.name for field in FIELDS)


def required_names(kind: str | None = None) -> tuple[str, ...]:
    """The fields a kind of content must give (any kind: None)."""
    return tuple(field.name for field in FIELDS if (kind in field.required if kind else field.required))


@functools.cache
def suggestions(kind: str) -> tuple[str, ...]:
    """The names a did-you-mean may offer: every field of the kind but those the build refuses
    by default, a family's with each of its numbers."""
    return tuple(
        name for field in fields_for(kind) if field.override is None or field.override.site_lang_allowed for name in field.names
    )


# --- The README's tables -------------------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
COMMAND = "python -m guide.content.schema --readme"


def field_table(kind: str = PAGE) -> str:
    """The README's table of a kind's fields: the required ones first, then the optional ones,
    then those refused unless a setting allows them; fields of one sentence share a row."""
    rows: dict[str, list[str]] = {}
    for field in sorted(fields_for(kind), key=lambda field: _rank(field, kind)):
        if field.doc_for(kind):
            rows.setdefault(_rule(field, kind), []).append(f"`{field.name}`")
    lines = ["| field | rule |", "|---|---|"]
    lines += [f"| {', '.join(fields)} | {rule} |" for rule, fields in rows.items()]
    return "\n".join(lines) + "\n"


def _rank(field: Field, kind: str) -> int:
    if kind in field.required:
        return 0
    return 2 if field.override and not field.override.site_lang_allowed else 1


def _rule(field: Field, kind: str) -> str:
    doc = field.doc_for(kind)
    allow = f"`{ALLOW_OVERRIDES_SETTING} = True`"
    if kind in field.required:
        return f"required; {doc}"
    if field.override and field.override.site_lang_allowed:
        return f"optional; {doc}; another language is refused unless {allow}"
    if field.override:
        return f"refused unless {allow}: {doc}"
    return f"optional; {doc}"


def _markers(kind: str) -> tuple[str, str]:
    return f"<!-- {kind} fields: generated from guide/content/schema.py; run {COMMAND} -->\n", f"<!-- /{kind} fields -->"


def readme_with_tables(text: str, kinds: tuple[str, ...] = KINDS) -> str:
    """The README's text with each kind's table rewritten between its two marker comments."""
    for kind in kinds:
        start, end = _markers(kind)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        if len(pattern.findall(text)) != 1:
            raise ValueError(f"needs one pair of lines {start.strip()} and {end} around the {kind} fields table")
        text = pattern.sub(lambda _: start + field_table(kind) + end, text)  # noqa: B023  sub calls it before the loop moves on
    return text


def main(argv: list[str]) -> int:
    """``--readme [PATH]``: rewrite the tables in README.md (or PATH); nothing: print them."""
    if not argv:
        print("\n".join(field_table(kind) for kind in KINDS))
        return 0
    if argv[0] != "--readme" or len(argv) > 2:
        print(f"usage: {COMMAND} [PATH]", file=sys.stderr)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else README
    try:
        text = path.read_text(encoding="utf-8")
        rewritten = readme_with_tables(text)
        if rewritten != text:
            path.write_text(rewritten, encoding="utf-8")
    except (OSError, ValueError) as error:
        print(f"{path}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
