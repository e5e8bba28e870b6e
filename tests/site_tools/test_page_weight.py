"""How a built page is weighed: where its first screen ends, what blocks rendering, what it requests."""

from __future__ import annotations

import pytest

from guide.site_tools.page_weight import first_screen_end, gzipped_size, local_file, page_weight


def page(body: str, head: str = "") -> str:
    return f"<!doctype html>\n<html><head>{head}</head>\n<body><nav>menu</nav>\n<main>{body}</main>\n<footer>end</footer></body></html>\n"


def test_the_first_screen_ends_after_the_text_that_reaches_the_count():
    html = page("<p>" + "a" * 8 + "</p>\n<p>" + "b" * 8 + "</p><p>" + "c" * 8 + "</p>")
    end = first_screen_end(html, characters=10)
    assert html[:end].endswith("b" * 8)  # the paragraph that passed 10 characters, whole


def test_only_the_main_text_counts_and_white_space_counts_once():
    html = page("<p>one   \n\n   two</p><p>three</p>")
    assert html[: first_screen_end(html, characters=7)].endswith("two")  # "one two" is 7
    assert first_screen_end(page("short"), characters=10) == len(page("short"))  # "menu" is outside <main>


def test_text_split_over_lines_and_character_references_is_cut_at_its_source_end():
    html = page("<p>caf&eacute;\nau\nlait</p><p>next</p>")
    assert html[: first_screen_end(html, characters=5)].endswith("lait")


def test_stylesheets_and_classic_scripts_block_rendering_deferred_ones_do_not(tmp_path):
    (tmp_path / "a.css").write_text("p{color:red}")
    (tmp_path / "print.css").write_text("p{color:blue}")
    (tmp_path / "a.js").write_text("console.log(1)")
    (tmp_path / "b.js").write_text("console.log(2)")
    (tmp_path / "m.js").write_text("console.log(3)")
    (tmp_path / "i.svg").write_text("<svg/>")
    head = (
        '<link rel="stylesheet" href="/a.css"><link rel="stylesheet" media="print" href="/print.css">'
        '<script src="/a.js"></script><script src="/b.js" defer></script><script type="module" src="/m.js"></script>'
    )
    (tmp_path / "index.html").write_text(page('<img src="/i.svg" alt="">' + "x" * 2000, head))
    weight = page_weight(tmp_path, tmp_path / "index.html")
    assert weight.blocking == ("/a.css", "/a.js")
    assert weight.requests == ("/print.css", "/b.js", "/m.js", "/i.svg")
    blocking = gzipped_size(b"p{color:red}") + gzipped_size(b"console.log(1)")
    html = (tmp_path / "index.html").read_text()
    assert weight.first_screen == gzipped_size(html[: first_screen_end(html)].encode()) + blocking
    assert weight.first_screen < weight.whole


def test_a_request_to_another_host_is_refused(tmp_path):
    with pytest.raises(ValueError, match="another host"):
        local_file(tmp_path, "https://cdn.example/x.css")
    assert local_file(tmp_path, "/theme/site.css?v=1") == tmp_path / "theme" / "site.css"
