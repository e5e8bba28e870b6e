"""The chapter table of contents and the sidebar windows, computed in guide/content/chapters.py."""

from __future__ import annotations

import types

import pytest
from helpers import FIXTURE_SITE, ROOT
from pelican import Pelican
from pelican.settings import read_settings

from guide.content.chapters import build_chapters, nav_limit_problem, window
from guide.problems import ContentError


def fake_page(sort_order: str):
    return types.SimpleNamespace(title=f"Page {sort_order}", metadata={"sort-order": sort_order}, status="published")


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (0, (list("abcde"), 0, 5, "f")),  # at the start: nothing before, so more after
        (1, (list("abcde"), 0, 5, "f")),
        (2, (list("abcde"), 0, 5, "f")),
        (3, (list("bcdef"), 1, 4, "g")),  # centred
        (6, (list("efghi"), 4, 1, "j")),
        (9, (list("fghij"), 5, 0, None)),  # at the end: nothing after
    ],
)
def test_window_centres_on_the_current_entry_within_the_edges(current, expected):
    letters = list("abcdefghij")
    found = window(letters, current, 5)
    assert (found.entries, found.hidden_before, found.hidden_after, found.first_after) == expected
    assert letters[current] in found.entries


def test_window_keeps_every_entry_when_they_fit():
    found = window(list("abc"), 1, 3)
    assert (found.entries, found.hidden_before, found.hidden_after, found.first_after) == (list("abc"), 0, 0, None)


def test_window_of_one_is_the_current_entry():
    found = window(list("abcdef"), 4, 1)
    assert (found.entries, found.hidden_before, found.hidden_after, found.first_after) == (["e"], 4, 1, "f")


@pytest.mark.parametrize("limit", [0, -3])
def test_window_needs_room_for_one_entry(limit):
    with pytest.raises(ValueError, match="at least one entry"):
        window(list("abc"), 0, limit)


@pytest.mark.parametrize(
    ("limit", "ok"), [(1, True), (12, True), (0, False), (-1, False), ("12", False), (2.5, False), (True, False), (None, False)]
)
def test_nav_limit_must_be_a_whole_number_of_one_or_more(limit, ok):
    problem = nav_limit_problem(limit)
    assert (problem is None) == ok
    if problem:
        assert repr(limit) in problem
        assert "e.g. 12" in problem


@pytest.mark.build
def test_a_plain_pelican_run_checks_the_sidebar_limit_before_reading(tmp_path):
    """The plugin checks the setting, so `pelican` without the build runner stops on it too."""
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(FIXTURE_SITE), "OUTPUT_PATH": str(tmp_path / "out"), "CHAPTER_NAV_LIMIT": 0},
    )
    with pytest.raises(ContentError) as stopped:
        Pelican(settings).run()
    assert [str(p) for p in stopped.value.problems] == [f"CHAPTER_NAV_LIMIT: {nav_limit_problem(0)}"]
    assert not (tmp_path / "out").exists()


def test_every_page_gets_a_bounded_sidebar_around_itself():
    # 30 chapters; chapter 01 has 40 pages, the others one each.
    orders = [f"01{n:02d}" for n in range(1, 41)] + [f"{c:02d}01" for c in range(2, 31)]
    pages = [fake_page(order) for order in reversed(orders)]  # reading order comes from sort-order
    chapters = build_chapters(pages, {"01": "Long chapter"}, nav_limit=12)

    assert [c.number for c in chapters] == [f"{c:02d}" for c in range(1, 31)]
    assert chapters[0].title == "Long chapter"
    assert chapters[1].title == "Page 0201"
    for page in pages:
        nav = page.chapter_nav
        assert page in nav.pages.entries
        assert page.chapter in nav.chapters.entries
        assert len(nav.pages.entries) <= 12
        assert len(nav.chapters.entries) == 12
        assert nav.pages.hidden_before + len(nav.pages.entries) + nav.pages.hidden_after == len(page.chapter.pages)
        assert nav.chapters.hidden_before + 12 + nav.chapters.hidden_after == 30

    middle = chapters[0].pages[19]  # page 20 of 40: pages 15 to 26 around it
    assert [p.metadata["sort-order"] for p in middle.chapter_nav.pages.entries] == [f"01{n:02d}" for n in range(15, 27)]
    assert (middle.chapter_nav.pages.hidden_before, middle.chapter_nav.pages.hidden_after) == (14, 14)
    assert middle.chapter_nav.pages.first_after is chapters[0].pages[26]

    late = chapters[20].pages[0]  # chapter 21 of 30: chapters 16 to 27
    assert [c.number for c in late.chapter_nav.chapters.entries] == [f"{c:02d}" for c in range(16, 28)]
    assert late.chapter_nav.chapters.first_after is chapters[27]


def test_neighbours_cross_chapter_boundaries():
    pages = [fake_page(order) for order in ("0201", "0102", "0101")]
    build_chapters(pages, {})
    first, second, third = sorted(pages, key=lambda p: p.metadata["sort-order"])
    assert (first.previous_page, first.next_page) == (None, second)
    assert (second.previous_page, second.next_page) == (first, third)
    assert (third.previous_page, third.next_page) == (second, None)


def test_a_hidden_page_gets_the_first_chapters_and_no_place_in_the_order():
    pages = [fake_page(f"{c:02d}01") for c in range(1, 6)]
    hidden = fake_page("0302")
    hidden.status = "hidden"
    hidden.chapter = "stale, from an earlier build"
    build_chapters([*pages, hidden], {}, nav_limit=3)
    assert (hidden.chapter, hidden.previous_page, hidden.next_page) == (None, None, None)
    assert [c.number for c in hidden.chapter_nav.chapters.entries] == ["01", "02", "03"]
    assert hidden.chapter_nav.pages.entries == []
    assert pages[2].next_page is pages[3]  # the reading order skips it
