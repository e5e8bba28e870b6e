"""Social cards (guide/build/social_cards.py): what each card says, how a title is laid out, the
same bytes on every draw, the cache that spares a rebuild the drawing, and the built site's
``og:image`` pointing at a card that is there."""

from __future__ import annotations

import io
import re
import struct
import types
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build_site, tree_digest
from PIL import Image

from guide.build import social_cards
from guide.build.social_cards import (
    BOLD_FONT,
    ELLIPSIS,
    MARGIN,
    TITLE_LINES,
    TITLE_SIZES,
    WIDTH,
    CardText,
    Drawing,
    draw_card,
    drawable,
    layout_title,
    plan_cards,
    wrap,
    write_cards,
)

SITE = "WebSockets for Python developers"
LINE_WIDTH = WIDTH - 2 * MARGIN


def page(url: str, title: str, chapter: str | None = None):
    return types.SimpleNamespace(url=url, title=title, chapter=types.SimpleNamespace(title=chapter) if chapter else None)


def post(url: str, title: str, date: str):
    return types.SimpleNamespace(url=url, title=title, locale_date=date)


SETTINGS = {"SITENAME": SITE, "SITESUBTITLE": "A practical guide.", "CACHE_PATH": ""}


def chunks(png: bytes) -> list[str]:
    """The PNG's chunk types, in order."""
    types_, position = [], 8
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        types_.append(kind.decode("ascii"))
        position += 12 + length
    return types_


def counting_draws(monkeypatch) -> list[CardText]:
    drawn: list[CardText] = []

    def draw(text: CardText) -> bytes:
        drawn.append(text)
        return original(text)

    original = social_cards.draw_card
    monkeypatch.setattr(social_cards, "draw_card", draw)
    return drawn


# -- What each card says and where it goes ------------------------------------------------------


def test_each_page_and_post_gets_a_card_beside_its_path_and_the_site_gets_one():
    cards = plan_cards(
        [page("security.html", "Securing WebSockets", "Production")],
        [post("blog/launch.html", "Launch", "21 November 2026")],
        SETTINGS,
    )
    assert cards["security.html"].path == "cards/security.png"
    assert cards["security.html"].text == CardText(SITE, "Production", "Securing WebSockets")
    assert cards["blog/launch.html"].path == "cards/blog/launch.png"
    assert cards["blog/launch.html"].text.eyebrow == "Blog · 21 November 2026"
    assert cards["index.html"].path == "cards/index.png"
    assert cards["index.html"].text.title == "A practical guide."
    assert cards["security.html"].alt == "Securing WebSockets · Production · WebSockets for Python developers"


def test_a_card_key_changes_with_its_text_and_the_renderer_so_previews_refresh(monkeypatch):
    first = plan_cards([page("a.html", "Title", "One")], [], SETTINGS)["a.html"]
    assert plan_cards([page("a.html", "Title", "One")], [], SETTINGS)["a.html"].key == first.key
    assert plan_cards([page("a.html", "Title!", "One")], [], SETTINGS)["a.html"].key != first.key
    assert plan_cards([page("a.html", "Title", "Two")], [], SETTINGS)["a.html"].key != first.key
    assert first.url == f"cards/a.png?v={first.key[:12]}"
    monkeypatch.setattr(social_cards, "RENDERER_VERSION", "another")
    assert plan_cards([page("a.html", "Title", "One")], [], SETTINGS)["a.html"].key != first.key


def test_the_card_colours_are_the_themes_light_colours():
    css = (ROOT / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    light = dict(re.findall(r"--([a-z-]+):\s*light-dark\((#[0-9a-f]{6}),", css))
    assert (
        light["bg"],
        light["fg"],
        light["muted"],
        light["accent"],
    ) == (social_cards.BACKGROUND, social_cards.FOREGROUND, social_cards.MUTED, social_cards.ACCENT)


# -- Laying out a title ------------------------------------------------------------------------


def test_a_short_title_is_one_line_at_the_largest_size():
    font, lines = layout_title("Securing WebSockets")
    assert (font.size, lines) == (TITLE_SIZES[0], ["Securing WebSockets"])


def test_a_long_title_wraps_within_the_card_in_at_most_three_lines_keeping_every_word():
    title = "Securing WebSocket servers in production: origins, tokens, rate limits and the size of messages"
    font, lines = layout_title(title)
    assert 1 < len(lines) <= TITLE_LINES
    assert all(font.getlength(line) <= LINE_WIDTH for line in lines)
    assert " ".join(lines) == title


def test_a_title_too_long_for_three_lines_at_the_smallest_size_ends_with_an_ellipsis():
    title = " ".join(["permessage-deflate compression and its context takeover"] * 6)
    font, lines = layout_title(title)
    assert font.size == TITLE_SIZES[-1]
    assert len(lines) == TITLE_LINES
    assert lines[-1].endswith(ELLIPSIS)
    assert all(font.getlength(line) <= LINE_WIDTH for line in lines)


def test_a_word_wider_than_a_line_is_cut_where_the_line_ends():
    font = social_cards._font(BOLD_FONT, TITLE_SIZES[0])
    word = "x" * 80
    lines = wrap(word, font, LINE_WIDTH)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(font.getlength(line) <= LINE_WIDTH for line in lines)


def test_characters_the_font_lacks_become_their_base_letter_or_are_left_out():
    font = social_cards._font(BOLD_FONT, TITLE_SIZES[0])
    assert drawable("Café “quotes” – dash", font) == "Café “quotes” – dash"  # the font has these
    assert drawable("ḃ → 中 x", font) == "b x"


# -- The same bytes, every time ------------------------------------------------------------------


def test_a_card_is_a_1200x630_png_without_metadata_and_the_same_bytes_on_every_draw():
    text = CardText(SITE, "Production", "Securing WebSockets")
    png = draw_card(text)
    assert png == draw_card(text)
    assert png != draw_card(CardText(SITE, "Production", "Securing WebSocket"))
    assert Image.open(io.BytesIO(png)).size == (1200, 630)
    assert set(chunks(png)) == {"IHDR", "PLTE", "IDAT", "IEND"}  # no tIME, tEXt or pHYs


def test_forked_workers_draw_the_same_bytes_as_this_process(tmp_path, monkeypatch):
    cards = plan_cards([page(f"p{n}.html", f"Page {n}", "Chapter") for n in range(5)], [], SETTINGS)
    monkeypatch.setattr(social_cards, "MIN_PARALLEL", 1)
    monkeypatch.setattr(social_cards, "CHUNK", 2)
    monkeypatch.setattr(social_cards.parallel_read, "cpu_count", lambda: 2)
    drawing = Drawing(cards, str(tmp_path / "cache"))
    assert drawing.pool is not None
    report = drawing.write(str(tmp_path / "out"))
    assert report.drawn == len(cards)
    for card in cards.values():
        assert (tmp_path / "out" / card.path).read_bytes() == draw_card(card.text)


# -- The cache -----------------------------------------------------------------------------------


def test_an_unchanged_card_is_copied_from_the_cache_not_drawn_again(tmp_path, monkeypatch):
    drawn = counting_draws(monkeypatch)
    pages = [page("a.html", "First page", "One"), page("b.html", "Second page", "One")]
    cards = plan_cards(pages, [], SETTINGS)
    first = write_cards(cards, str(tmp_path / "out1"), str(tmp_path / "cache"))
    assert (first.drawn, len(drawn)) == (3, 3)  # two pages and the site
    second = write_cards(cards, str(tmp_path / "out2"), str(tmp_path / "cache"))
    assert (second.drawn, second.reused, len(drawn)) == (0, 3, 3)
    assert tree_digest(tmp_path / "out1") == tree_digest(tmp_path / "out2")
    pages[1].title = "Second page, renamed"
    third = write_cards(plan_cards(pages, [], SETTINGS), str(tmp_path / "out3"), str(tmp_path / "cache"))
    assert third.drawn == 1
    assert drawn[-1].title == "Second page, renamed"


def test_a_serve_rebuild_keeps_the_cards_its_output_has_already(tmp_path):
    cards = plan_cards([page("a.html", "First", "One"), page("b.html", "Second", "One")], [], SETTINGS)
    write_cards(cards, str(tmp_path / "served"), str(tmp_path / "cache"))
    (tmp_path / "served" / "cards" / "b.png").write_bytes(b"not the cached card")
    report = write_cards(cards, str(tmp_path / "staging"), str(tmp_path / "cache"), keep_from=str(tmp_path / "served"))
    assert report.kept_paths == {"cards/a.png", "cards/index.png"}
    assert sorted(p.name for p in (tmp_path / "staging" / "cards").iterdir()) == ["b.png"]


# -- In a built site -----------------------------------------------------------------------------


def metas(html: Path) -> dict[str, str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in soup.find_all("meta") if tag.get("content")}


@pytest.mark.build
def test_every_page_names_a_card_that_is_built_and_a_rebuild_draws_none_and_writes_the_same_bytes(
    site_copy, tmp_path, monkeypatch
):

    cache = tmp_path / "cache"
    build_site(site_copy, tmp_path / "out1", overrides={"CACHE_PATH": str(cache)})
    drawn = counting_draws(monkeypatch)
    build_site(site_copy, tmp_path / "out2", overrides={"CACHE_PATH": str(cache)})
    assert drawn == []
    first, second = tree_digest(tmp_path / "out1" / "cards"), tree_digest(tmp_path / "out2" / "cards")
    assert first
    assert first == second
    pages = sorted((tmp_path / "out2").glob("*.html")) + sorted((tmp_path / "out2" / "blog").glob("*.html"))
    for html in pages:
        meta = metas(html)
        assert meta["twitter:card"] == "summary_large_image", html.name
        image = meta["og:image"].split("?")[0]
        assert image.startswith("/cards/"), html.name
        assert Image.open(tmp_path / "out2" / image.lstrip("/")).size == (
            int(meta["og:image:width"]),
            int(meta["og:image:height"]),
        )


@pytest.mark.build
def test_published_cards_are_absolute_and_cards_can_be_turned_off(site_copy, tmp_path):

    overrides = {"CACHE_PATH": str(tmp_path / "cache"), "SITEURL": "https://example.org/guide", "RELATIVE_URLS": False}
    build_site(site_copy, tmp_path / "published", overrides=overrides, search=False)
    index = metas(tmp_path / "published" / "index.html")
    assert index["og:image"].startswith("https://example.org/guide/cards/index.png?v=")
    build_site(site_copy, tmp_path / "off", overrides={**overrides, "SOCIAL_CARDS": False}, search=False)
    assert not (tmp_path / "off" / "cards").exists()
    assert "og:image" not in metas(tmp_path / "off" / "index.html")
    assert metas(tmp_path / "off" / "index.html")["twitter:card"] == "summary"


# -- When the cache, the fonts or the setting are wrong ------------------------------------------


def test_a_truncated_or_overwritten_cached_card_is_drawn_again_not_published(tmp_path, monkeypatch):
    cards = plan_cards([page("a.html", "First", "One"), page("b.html", "Second", "One")], [], SETTINGS)
    write_cards(cards, str(tmp_path / "out1"), str(tmp_path / "cache"))
    cached = {card.path: tmp_path / "cache" / "social-cards" / f"{card.key}.png" for card in cards.values()}
    good = cached["cards/a.png"].read_bytes()
    cached["cards/a.png"].write_bytes(good[:100])  # a copy cut short
    cached["cards/b.png"].write_bytes(b"garbage\n")
    drawn = counting_draws(monkeypatch)
    report = write_cards(cards, str(tmp_path / "out2"), str(tmp_path / "cache"))
    assert report.drawn == 2
    assert sorted(text.title for text in drawn) == ["First", "Second"]
    assert (tmp_path / "out2" / "cards" / "a.png").read_bytes() == good
    Image.open(tmp_path / "out2" / "cards" / "b.png").verify()


def test_cards_are_readable_by_everyone_like_the_pages(tmp_path):
    cards = plan_cards([page("a.html", "First", "One")], [], SETTINGS)
    write_cards(cards, str(tmp_path / "out"), str(tmp_path / "cache"))
    modes = {path.name: path.stat().st_mode & 0o777 for path in (tmp_path / "out" / "cards").iterdir()}
    assert modes == {"a.png": 0o644, "index.png": 0o644}


def test_a_font_replaced_between_builds_is_read_again_from_its_new_bytes(tmp_path, monkeypatch):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for name in (social_cards.BOLD_FONT, social_cards.REGULAR_FONT):
        (fonts / name).write_bytes((Path(social_cards.FONTS_FOLDER) / name).read_bytes())
    monkeypatch.setattr(social_cards, "FONTS_FOLDER", str(fonts))
    before = social_cards.load_fonts()
    key = plan_cards([], [], SETTINGS)["index.html"].key
    # What `cp` does to a file `invoke serve` has open: the same inode, new bytes.
    (fonts / social_cards.BOLD_FONT).write_bytes((fonts / social_cards.REGULAR_FONT).read_bytes())
    after = social_cards.load_fonts()
    assert after != before
    assert plan_cards([], [], SETTINGS)["index.html"].key != key  # every card is drawn again
    assert draw_card(CardText(SITE, "One", "Drawn with the new bold"))[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.undo()
    social_cards.load_fonts()


@pytest.mark.build
def test_a_broken_font_or_cache_is_named_in_one_line_and_the_output_is_kept(site_copy, previous_output, tmp_path, monkeypatch):
    from guide.build.runner import BuildFailed

    before = tree_digest(previous_output)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / social_cards.BOLD_FONT).write_text("version https://git-lfs.github.com/spec/v1\n")  # an LFS pointer
    (fonts / social_cards.REGULAR_FONT).write_bytes((Path(social_cards.FONTS_FOLDER) / social_cards.REGULAR_FONT).read_bytes())
    with monkeypatch.context() as patched:
        patched.setattr(social_cards, "FONTS_FOLDER", str(fonts))
        with pytest.raises(BuildFailed) as failure:
            build_site(site_copy, previous_output, overrides={"CACHE_PATH": str(tmp_path / "cache")}, search=False)
    report = failure.value.report()
    assert f"{fonts / social_cards.BOLD_FONT}: font: cannot be read" in report
    assert "output" not in report.split("font: cannot be read")[1].splitlines()[0]
    social_cards.load_fonts()
    (tmp_path / "not-a-folder").write_text("a file where the cache should be")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output, overrides={"CACHE_PATH": str(tmp_path / "not-a-folder")}, search=False)
    assert "social-cards: CACHE_PATH: cannot keep social cards here" in failure.value.report()
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output, overrides={"SOCIAL_CARDS": "no"}, search=False)
    assert "SOCIAL_CARDS: 'no': set it to True or False" in failure.value.report()
    assert tree_digest(previous_output) == before
