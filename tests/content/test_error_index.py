"""The troubleshooting index (guide/content/error_index.py): tags read and checked, entries grouped
with stable anchors, and, in a built site, an index on the page guide.toml names whose every link
leads to the tagged section."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from helpers import build_site

from guide.build.runner import BuildFailed
from guide.content.error_index import Entry, groups, parse_tag, tagged_headings

# --- Reading a tag -----------------------------------------------------------------------------


def test_numbers_are_close_codes_or_statuses_and_the_rest_is_message_text():
    items, problems = parse_tag("1006; 502;  keepalive ping timeout ; 4001; Unexpected response code: 400")
    assert problems == []
    assert items == [
        ("close", "1006"),
        ("http", "502"),
        ("message", "keepalive ping timeout"),
        ("close", "4001"),
        ("message", "Unexpected response code: 400"),
    ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("1006;;502", "empty entry"),
        ("1006; 1006", "1006 is listed twice"),
        ("timed out; timed  out", "listed twice"),  # the same words, however spaced
        ("1200", "reserved and never used"),
        ("2999", "reserved and never used"),
        ("42", "neither a close code"),
        ("99999", "neither a close code"),
        ("700", "neither a close code"),
        ("x" * 201, "201 characters"),
    ],
)
def test_a_wrong_entry_is_named(value, problem):
    _, problems = parse_tag(value)
    [found] = problems
    assert problem in found


def test_the_attribute_authors_write_reaches_the_heading():
    """attr_list and toc, as pelicanconf.py configures them, keep the tag and give the heading its id."""
    body = markdown.markdown(
        '## Idle timeouts { #idle data-explains="1006; upstream timed out (110: Connection timed out)" }\n\ntext',
        extensions=["attr_list", "toc"],
    )
    assert list(tagged_headings(body)) == [("idle", "Idle timeouts", "1006; upstream timed out (110: Connection timed out)")]


# --- Grouping ----------------------------------------------------------------------------------


def entries(*pairs: tuple[str, str]) -> dict:
    return {pair: Entry(pair[0], pair[1], "") for pair in pairs}


def test_codes_sort_by_number_messages_by_text_and_anchors_are_stable():
    found = groups(
        entries(
            ("close", "4001"), ("http", "502"), ("close", "1011"), ("message", "b error"), ("http", "400"), ("message", "A error")
        )
    )
    assert [g.title for g in found] == ["Close codes", "HTTP statuses at the handshake", "Error messages"]
    assert [[(e.label, e.anchor) for e in g.entries] for g in found] == [
        [("1011", "close-1011"), ("4001", "close-4001")],
        [("400", "http-400"), ("502", "http-502")],
        [("A error", "error-a-error"), ("b error", "error-b-error")],
    ]


def test_messages_that_slug_alike_get_distinct_anchors():
    [group] = groups(entries(("message", "Timed out!"), ("message", "timed-out")))
    assert sorted(e.anchor for e in group.entries) == ["error-timed-out", "error-timed-out-2"]


def test_an_anchor_never_takes_an_id_the_host_page_already_has():
    [group] = groups(entries(("close", "1006")), frozenset({"close-1006"}))
    assert group.entries[0].anchor == "close-1006-2"


def test_a_group_without_entries_is_left_out():
    assert [g.id for g in groups(entries(("http", "426")))] == ["error-index-http-statuses"]


# --- In a built site ---------------------------------------------------------------------------

TAGGED = '\n## Proxies cut quiet connections { #idle data-explains="1006; 502; keepalive ping timeout" }\n\nPing more often.\n'


def tag_the_fixture(content: Path, index_page: str = "second") -> None:
    with open(content / "pages" / "01-start" / "01-home.md", "a", encoding="utf-8") as page:
        page.write(TAGGED)
    with open(content / "guide.toml", "r+", encoding="utf-8") as settings:
        text = settings.read()
        settings.seek(0)
        settings.write(f'error_index_page = "{index_page}"\n' + text)


@pytest.mark.build
def test_the_named_page_lists_every_tag_with_links_to_its_section(site_copy, tmp_path):
    tag_the_fixture(site_copy)
    build_site(site_copy, tmp_path / "out", strict=True, search=False)  # strict: every link and #anchor resolves
    second = BeautifulSoup((tmp_path / "out" / "second.html").read_text(), "html.parser")
    index = second.select_one("section.error-index")
    assert index is not None
    for anchor in ("close-1006", "http-502", "error-keepalive-ping-timeout"):
        term = index.find("dt", id=anchor)
        assert term is not None, anchor
        link = term.find_next_sibling("dd").a
        assert link["href"] == "/home.html#idle"
        assert "Proxies cut quiet connections" in link.text
    assert "Abnormal Closure" in index.find("dt", id="close-1006").text
    assert "Bad Gateway" in index.find("dt", id="http-502").text
    outline = [a["href"] for a in second.select(".outline a")]
    assert {"#error-index", "#error-index-close-codes", "#error-index-http-statuses"} <= set(outline)
    home = BeautifulSoup((tmp_path / "out" / "home.html").read_text(), "html.parser")
    assert home.select_one("section.error-index") is None  # only the named page shows it


@pytest.mark.build
def test_a_bad_tag_fails_the_build_naming_file_line_and_heading(site_copy, tmp_path):
    tag_the_fixture(site_copy)
    page = site_copy / "pages" / "01-start" / "01-home.md"
    page.write_text(page.read_text().replace("1006; 502", "1006; 1200"))
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, tmp_path / "out", search=False)
    lines = [str(p) for p in failed.value.problems.problems if "data-explains" in str(p)]
    assert len(lines) == 1
    number = page.read_text().splitlines().index(TAGGED.strip().splitlines()[0].replace("1006; 502", "1006; 1200")) + 1
    assert f"01-home.md: body line {number}: " in lines[0]
    assert '"Proxies cut quiet connections": close code 1200 is reserved' in lines[0]


@pytest.mark.build
def test_an_index_page_that_does_not_exist_is_named_in_guide_toml(site_copy, tmp_path):
    tag_the_fixture(site_copy, index_page="troubleshooting")
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, tmp_path / "out", search=False)
    assert any(
        "guide.toml: error_index_page: no page has the slug 'troubleshooting'" in str(p) for p in failed.value.problems.problems
    )
