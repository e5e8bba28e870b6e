"""Social cards: the 1200x630 PNG a link preview shows, one per page and post, drawn at build time.

A card shows the theme's logo and the site's name, then the page's chapter (a post: "Blog" and
its date) and its title; the site's other pages (index, blog, search...) share the site's card,
which shows the site's subtitle. :func:`plan_cards` decides each card's text once the chapters
are known (``all_generators_finalized``), the theme's ``head.html`` names it in ``og:image``, and
:func:`write_cards` puts the files into the output on ``finalized``.

Drawing is done with Pillow, in the font the theme ships (``theme/fonts/``: Atkinson
Hyperlegible, SIL Open Font License), never a font of the machine, with Pillow's own text layout
(not Raqm, which depends on the machine's libraries), into a fixed palette, saved without any
metadata: the same text gives the same bytes on every machine with the pinned Pillow. Each card
is kept in the build's cache folder (``CACHE_PATH``/social-cards), named by a digest of its text,
the font files and :data:`RENDERER_VERSION`: a rebuild copies the card it drew last time instead
of drawing it again. The font covers Latin scripts; a character it has no glyph for is drawn as
its unaccented letter when there is one, and left out otherwise (``og:title`` has the real title).
"""

from __future__ import annotations

import atexit
import concurrent.futures
import dataclasses
import functools
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

from guide.build import parallel_read
from guide.build_state import build_state
from guide.problems import ContentError, ProblemLog, display_path

#: Bump when the drawing changes, so that every cached card is drawn again.
RENDERER_VERSION = "1"
SETTING = "SOCIAL_CARDS"  #: False: no cards, and pages keep ``twitter:card=summary``
WIDTH, HEIGHT = 1200, 630
FOLDER = "cards"  #: in the output: cards/<page>.png, cards/blog/<post>.png, cards/index.png (the site's)
CACHE_FOLDER = "social-cards"  #: under CACHE_PATH
SITE_CARD_PAGE = "index.html"  #: the page whose card every page without its own shares

FONTS_FOLDER = os.path.join(os.path.dirname(__file__), "..", "..", "theme", "fonts")
BOLD_FONT = "AtkinsonHyperlegible-Bold.ttf"
REGULAR_FONT = "AtkinsonHyperlegible-Regular.ttf"

#: The theme's light colours (theme/static/css/site.css; tests/build/test_social_cards.py compares).
BACKGROUND = "#ffffff"  # --bg
FOREGROUND = "#1f2328"  # --fg
MUTED = "#57606a"  # --muted
ACCENT = "#0a58ca"  # --accent

MARGIN = 80
TITLE_SIZES = (72, 62, 54)  #: the title's font sizes, largest first: the first at which it fits
TITLE_LINES = 3
TEXT_TOP, TEXT_BOTTOM = 200, HEIGHT - 56  #: where the eyebrow and the title go, below the logo, above the accent rule
EYEBROW_SIZE = 32
EYEBROW_GAP = 20
SITE_NAME_SIZE = 36
LOGO_SIZE = 88
ELLIPSIS = "…"


@dataclasses.dataclass(frozen=True)
class CardText:
    site_name: str
    eyebrow: str  #: the chapter, "Blog · 21 November 2026", or ""
    title: str


@dataclasses.dataclass(frozen=True)
class Card:
    """One card of the site: where the output has it, what it shows, and its text for ``og:image:alt``."""

    path: str  #: relative to the output: "cards/websocket-security.png"
    text: CardText
    key: str  #: the digest its cached file is named by (also the URL's ``?v=``, so previews refresh)
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def url(self) -> str:
        return f"{self.path}?v={self.key[:12]}"

    @property
    def alt(self) -> str:
        parts = [self.text.title, self.text.eyebrow, self.text.site_name]
        return " · ".join(dict.fromkeys(part for part in parts if part))


@dataclasses.dataclass
class WriteReport:
    drawn: int = 0  #: cards drawn by this build
    reused: int = 0  #: cards copied from the cache
    kept: int = 0  #: cards `invoke serve` left in the output as they were
    kept_paths: set[str] = dataclasses.field(default_factory=set)  #: their paths, for the merge to keep


def enabled(settings) -> bool:
    return settings.get(SETTING, True) is True


def check_cards_setting(settings, log: ProblemLog, settings_file: str = "") -> None:
    """``SOCIAL_CARDS`` (True when not set) is True or False: "no" would otherwise mean yes."""
    value = settings.setdefault(SETTING, True)
    if not isinstance(value, bool):
        log.add(settings_file, SETTING, f"{value!r}: set it to True or False")


# -- What each card shows ------------------------------------------------------------------------


def plan_cards(pages: Iterable, posts: Iterable, settings) -> dict[str, Card]:
    """Page URL ("websocket-security.html") -> its card, plus the site's card under :data:`SITE_CARD_PAGE`."""
    site_name = settings.get("SITENAME", "")
    texts = {SITE_CARD_PAGE: CardText(site_name, "", settings.get("SITESUBTITLE") or site_name)}
    for page in pages:
        chapter = getattr(page, "chapter", None)
        texts[page.url] = CardText(site_name, chapter.title if chapter else "", page.title)
    for post in posts:
        texts[post.url] = CardText(site_name, f"Blog · {post.locale_date}", post.title)
    return {url: Card(card_path(url), text, card_key(text)) for url, text in texts.items()}


def card_path(url: str) -> str:
    """'blog/launch.html' -> 'cards/blog/launch.png': a card mirrors its page's path."""
    stem = url[: -len(".html")] if url.endswith(".html") else url
    return f"{FOLDER}/{stem}.png"


def card_key(text: CardText) -> str:
    fields = [RENDERER_VERSION, fonts_digest(), WIDTH, HEIGHT, text.site_name, text.eyebrow, text.title]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


class FontError(OSError):
    """A theme font that cannot be read, or is not a font."""


class _Fonts:
    """The theme's fonts as this build read them. FreeType draws from these bytes, not from the
    files, so a font replaced while `invoke serve` runs cannot pull the file from under it."""

    digest = ""
    data: dict[str, bytes] = {}  # noqa: RUF012  one per process, replaced whole


def load_fonts() -> str:
    """Read the fonts (each build): a changed file clears what was measured with the old one.

    Raises OSError for a file that cannot be read or is not a font (an LFS pointer, a truncated copy).
    """
    data = {}
    for name in (BOLD_FONT, REGULAR_FONT):
        path = os.path.join(FONTS_FOLDER, name)
        try:
            with open(path, "rb") as file:
                data[name] = file.read()
        except OSError as error:
            raise FontError(error.errno, error.strerror or str(error), path) from None
    digest = hashlib.sha256(b"".join(data[name] for name in sorted(data))).hexdigest()
    if digest != _Fonts.digest:
        for cached in (_font, _has_glyph, _base):
            cached.cache_clear()
        _Fonts.digest, _Fonts.data = digest, data
        for name in data:  # an unreadable font fails here, named, not while drawing
            try:
                _font(name, EYEBROW_SIZE)
            except OSError as error:
                _Fonts.digest, _Fonts.data = "", {}
                raise FontError(error.errno, str(error), os.path.join(FONTS_FOLDER, name)) from None
    return digest


def fonts_digest() -> str:
    return _Fonts.digest or load_fonts()


# -- Into the cache (drawn while Pelican writes the pages), then into the output ------------------

MIN_PARALLEL = 32  #: fewer cards to draw than this: not worth a process
MAX_WORKERS = 3
CHUNK = 16  #: cards a worker draws per task


class Drawing:
    """The cards of one build, the missing ones being drawn into the cache by forked workers.

    Started once the cards are planned (``all_generators_finalized``), so that on a first build
    the workers draw while Pelican renders the pages; :meth:`finish` draws what they have not
    started in this process and waits for the rest.
    """

    def __init__(self, cards: dict[str, Card], cache_path: str) -> None:
        self.cards = list({card.path: card for card in cards.values()}.values())  # the site's card is shared
        self.cache = os.path.join(cache_path, CACHE_FOLDER)
        os.makedirs(self.cache, exist_ok=True)
        self.missing = [card for card in self.cards if not is_card(self.cached(card))]
        self.pool = None
        self.tasks: list[tuple[concurrent.futures.Future, list[CardText]]] = []
        workers = min(parallel_read.cpu_count() - 1, MAX_WORKERS)
        if len(self.missing) >= MIN_PARALLEL and workers >= 1 and sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context)
            for first in range(0, len(self.missing), CHUNK):
                chunk = [card.text for card in self.missing[first : first + CHUNK]]
                self.tasks.append((self.pool.submit(_draw_into_cache, chunk, self.cache), chunk))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def cached(self, card: Card) -> str:
        return os.path.join(self.cache, f"{card.key}.png")

    def finish(self) -> int:
        """Every card is in the cache: returns how many were drawn."""
        for future, chunk in reversed(self.tasks):  # the workers took the first ones
            # Not started: draw it here. Failed (e.g. the disk is full): draw it here, where it is reported.
            if future.cancel() or future.exception() is not None:
                _draw_into_cache(chunk, self.cache)
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        for card in self.missing:  # drawn in this process when no worker was started
            if not is_card(self.cached(card)):
                _write_atomically(self.cached(card), draw_card(card.text))
        return len(self.missing)

    def write(self, output_path: str, keep_from: str | None = None) -> WriteReport:
        """Put every card into ``output_path``, drawing what is missing first.

        ``keep_from`` is `invoke serve`'s output folder on a rebuild: a card it has already (the
        cached file's copy: same size and time) is left there (``report.kept_paths``), not copied.
        """
        report = WriteReport(drawn=self.finish())
        report.reused = len(self.cards) - report.drawn
        for card in self.cards:
            cached = self.cached(card)
            if keep_from and _same_copy(cached, os.path.join(keep_from, card.path)):
                report.kept_paths.add(card.path)
                report.kept += 1
                continue
            target = os.path.join(output_path, card.path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(cached, target)  # its time too: `invoke serve` knows its copy by size and time
            os.chmod(target, 0o644)  # a cache file written before cards were made readable to all
        return report


class _Current:
    drawing: Drawing | None = None  #: the build's cards, from ``all_generators_finalized`` to ``finalized``


def start_cards(index, settings) -> dict:
    """``all_generators_finalized``: plan the site's cards, start drawing the missing ones; the templates' context."""
    stop_cards()  # a build that failed before writing its cards
    if not enabled(settings):
        return {"social_cards": {}}
    try:
        load_fonts()  # each build: a font changed under `invoke serve` is read again
        cards = plan_cards(index.pages, index.posts, settings)
        _Current.drawing = Drawing(cards, settings["CACHE_PATH"])
    except OSError as error:
        _stop_with(error, settings)
    return {"social_cards": cards}


def finish_cards(settings, output_path: str) -> WriteReport | None:
    """``finalized``: every card into the output; `invoke serve` keeps those its output has already."""
    drawing, _Current.drawing = _Current.drawing, None
    if drawing is None:
        return None
    run = build_state(settings).preview
    keep_from = run.output_path if run is not None and run.incremental else None
    try:
        report = drawing.write(output_path, keep_from)
    except OSError as error:
        if not _in_folder(error.filename, drawing.cache):
            raise  # the output's own problem: the runner names the output folder
        _stop_with(error, settings)
    if run is not None:
        run.kept |= report.kept_paths
    return report


def _stop_with(error: OSError, settings) -> None:
    """One line naming the font or the cache folder (not the output), and the build stops."""
    problems = build_state(settings).problems
    off = "or set SOCIAL_CARDS = False"
    reason = error.strerror or str(error)
    if isinstance(error, FontError):
        problems.add(
            display_path(error.filename), "font", f"cannot be read ({reason}): restore it (git checkout -- theme/fonts), {off}"
        )
    else:
        cache = os.path.join(settings["CACHE_PATH"], CACHE_FOLDER)
        problems.add(
            display_path(cache),
            "CACHE_PATH",
            f"cannot keep social cards here ({reason}): make it a writable folder, set CACHE_PATH to one, {off}",
        )
    stop_cards()
    raise ContentError(problems.errors) from None


def _in_folder(path, folder: str) -> bool:
    return bool(path) and os.path.abspath(os.path.dirname(os.fspath(path))) == os.path.abspath(folder)


def stop_cards() -> None:
    drawing, _Current.drawing = _Current.drawing, None
    if drawing is not None:
        drawing.close()


atexit.register(stop_cards)


def _draw_into_cache(texts: list[CardText], cache: str) -> None:
    for text in texts:
        path = os.path.join(cache, f"{card_key(text)}.png")
        if not is_card(path):
            _write_atomically(path, draw_card(text))


def write_cards(cards: dict[str, Card], output_path: str, cache_path: str, keep_from: str | None = None) -> WriteReport:
    """Every card into ``output_path``, through the cache: :class:`Drawing` in one call."""
    return Drawing(cards, cache_path).write(output_path, keep_from)


PNG_START = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  #: the IEND chunk every whole PNG ends with


def is_card(path: str) -> bool:
    """A whole PNG is there: a truncated or overwritten cache file is drawn again, never published."""
    try:
        with open(path, "rb") as file:
            start = file.read(len(PNG_START))
            file.seek(-len(PNG_END), os.SEEK_END)
            return start == PNG_START and file.read() == PNG_END
    except OSError:  # missing, a folder, or shorter than the two marks
        return False


def _same_copy(cached: str, copy: str) -> bool:
    try:
        first, second = os.stat(cached), os.stat(copy)
    except OSError:
        return False
    return (first.st_size, first.st_mtime_ns) == (second.st_size, second.st_mtime_ns)


def _write_atomically(path: str, data: bytes) -> None:
    """Another build may read the cache meanwhile: it sees the whole file or none."""
    handle, temporary = tempfile.mkstemp(prefix=".drawing-", suffix=".png", dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would follow the card into the output: a web server could not read it
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# -- Drawing -------------------------------------------------------------------------------------


def draw_card(text: CardText) -> bytes:
    """The card's PNG: the same bytes for the same text, font and Pillow."""
    image = _base(text.site_name).copy()
    draw = ImageDraw.Draw(image)
    title_font, lines = layout_title(text.title)
    line_height = round(title_font.size * 1.2)
    # The eyebrow and the title, centred together in the space between the site's name and the bottom.
    block = (EYEBROW_SIZE + EYEBROW_GAP if text.eyebrow else 0) + len(lines) * line_height
    top = TEXT_TOP + (TEXT_BOTTOM - TEXT_TOP - block) // 2
    if text.eyebrow:
        eyebrow_font = _font(REGULAR_FONT, EYEBROW_SIZE)
        eyebrow = fit_line(drawable(text.eyebrow, eyebrow_font).upper(), eyebrow_font, WIDTH - 2 * MARGIN)
        draw.text((MARGIN, top), eyebrow, font=eyebrow_font, fill=MUTED, anchor="la")
        top += EYEBROW_SIZE + EYEBROW_GAP
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * line_height), line, font=title_font, fill=FOREGROUND, anchor="la")
    paletted = image.quantize(palette=_palette(), dither=Image.Dither.NONE)
    output = io.BytesIO()
    paletted.save(output, "PNG", optimize=False, compress_level=6)  # no pnginfo: no time, no text chunks
    return output.getvalue()


def layout_title(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest of :data:`TITLE_SIZES` at which the title wraps into at most three lines, else the smallest, ellipsized."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = _font(BOLD_FONT, size)
        lines = wrap(drawable(title, font), font, width)
        if len(lines) <= TITLE_LINES:
            return font, lines
    kept = lines[:TITLE_LINES]
    kept[-1] = fit_line(kept[-1] + " " + " ".join(lines[TITLE_LINES:]), font, width)
    return font, kept


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words into lines no wider than ``width``, measured with the font; a word wider than a line is cut."""
    lines: list[str] = []
    current = ""
    for whole_word in text.split():
        word = whole_word
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width:  # e.g. a long identifier: cut where the line ends
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def fit_line(line: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The line, or its longest start that fits with an ellipsis (at a word's end when it can)."""
    if font.getlength(line) <= width:
        return line
    cut = _longest_prefix(line + ELLIPSIS, font, width - font.getlength(ELLIPSIS))
    start = line[:cut].rstrip()
    at_word = start.rsplit(" ", 1)[0] if " " in start else start
    return (at_word if len(at_word) >= len(start) * 0.6 else start).rstrip(" ,;:·-–—") + ELLIPSIS


def _longest_prefix(text: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """How many of the text's first characters fit in ``width`` (at least one): a binary search."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def drawable(text: str, font: ImageFont.FreeTypeFont) -> str:
    """The text with what the font cannot draw replaced: an accented letter by its base letter, the rest left out."""
    font_key = (font.guide_name, font.size)
    characters = []
    for character in " ".join(text.split()):
        if character == " " or _has_glyph(font_key, character):
            characters.append(character)
            continue
        base = "".join(part for part in unicodedata.normalize("NFKD", character) if _has_glyph(font_key, part))
        characters.append(base)
    return " ".join("".join(characters).split())


@functools.cache
def _has_glyph(font_key: tuple, character: str) -> bool:
    """Whether the font draws the character as something else than its "missing glyph" box."""
    if unicodedata.category(character).startswith(("C", "M")):  # controls, unassigned, combining marks
        return False
    font = _font(*font_key)
    return _glyph_image(font, character) != _glyph_image(font, "\ue000")  # a private-use point: no font has it


def _glyph_image(font: ImageFont.FreeTypeFont, character: str) -> tuple:
    mask = font.getmask(character)
    return mask.size, bytes(mask)


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    if not _Fonts.data:
        load_fonts()
    # Pillow's own layout: with Raqm, the result would depend on the machine's FriBiDi and HarfBuzz.
    font = ImageFont.truetype(io.BytesIO(_Fonts.data[name]), size, layout_engine=ImageFont.Layout.BASIC)
    font.guide_name = name  # what drawable() caches its glyph answers under
    return font


@functools.cache
def _base(site_name: str) -> Image.Image:
    """What every card of the site shares: background, logo, site name, the accent rule at the bottom."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    logo = _logo(LOGO_SIZE)
    image.paste(logo, (MARGIN, MARGIN), logo)
    name_font = _font(BOLD_FONT, SITE_NAME_SIZE)
    name = fit_line(drawable(site_name, name_font), name_font, WIDTH - 2 * MARGIN - LOGO_SIZE - 28)
    draw.text((MARGIN + LOGO_SIZE + 28, MARGIN + LOGO_SIZE // 2), name, font=name_font, fill=FOREGROUND, anchor="lm")
    draw.rectangle((0, HEIGHT - 16, WIDTH, HEIGHT), fill=ACCENT)
    return image


@functools.cache
def _logo(size: int) -> Image.Image:
    """The header's logo (theme/templates/partials/header.html, a 32x32 SVG): a rounded square, two arrows.

    Drawn four times larger and reduced, since Pillow's shapes have no anti-aliasing.
    """
    scale = 4
    unit = size * scale / 32
    image = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size * scale - 1, size * scale - 1), radius=round(7 * unit), fill=ACCENT)
    stroke = round(3 * unit)
    for path in (((7, 12), (20, 12), (16, 8)), ((25, 20), (12, 20), (16, 24))):  # M7 12h13l-4-4, M25 20H12l4 4
        points = [(x * unit, y * unit) for x, y in path]
        draw.line(points, fill=BACKGROUND, width=stroke, joint="curve")
        for x, y in (points[0], points[-1]):  # stroke-linecap="round"
            draw.ellipse((x - stroke / 2, y - stroke / 2, x + stroke / 2, y + stroke / 2), fill=BACKGROUND)
    return image.resize((size, size), Image.Resampling.LANCZOS)


@functools.cache
def _palette() -> Image.Image:
    """256 colours: the background blended towards each colour a card draws, in even steps.

    Text and the logo's edges are anti-aliased against the background (and the arrows against the
    accent): mapping each pixel to the nearest of these keeps them smooth in one byte a pixel,
    which makes a card a third of the size and faster to compress than in RGB, the same way on
    every machine (a fixed palette, no colour search).
    """
    ramps = [
        (BACKGROUND, FOREGROUND, 96),
        (BACKGROUND, MUTED, 48),
        (BACKGROUND, ACCENT, 48),
        (ACCENT, BACKGROUND, 64),
    ]
    colours: list[int] = []
    for start, end, steps in ramps:
        first, last = _rgb(start), _rgb(end)
        for step in range(steps):
            colours += [round(a + (b - a) * step / (steps - 1)) for a, b in zip(first, last, strict=True)]
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours)
    return palette


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
