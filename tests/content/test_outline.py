"""A page's in-page outline (guide/content/outline.py): its h2 and h3 headings, in order, with the
ids Markdown's toc extension gave them and their text as a reader sees it."""

from __future__ import annotations

import runpy

from helpers import ROOT
from markdown import Markdown

from guide.content.outline import OutlineEntry, outline

#: The site's own Markdown settings (toc with a "#" permalink in each heading).
MARKDOWN = runpy.run_path(str(ROOT / "pelicanconf.py"))["MARKDOWN"]


def outline_of(markdown_text: str) -> list[tuple[int, str, str]]:
    html = Markdown(**MARKDOWN).convert(markdown_text)
    return [(entry.level, entry.id, entry.text) for entry in outline(html)]


def test_h2_and_h3_in_document_order_with_their_ids():
    text = "# Title\n\n## Intro\n\nText.\n\n### First detail\n\n### Second detail\n\n#### Deeper\n\n## Next\n\n### Under next\n"
    assert outline_of(text) == [
        (2, "intro", "Intro"),
        (3, "first-detail", "First detail"),
        (3, "second-detail", "Second detail"),
        (2, "next", "Next"),
        (3, "under-next", "Under next"),
    ]


def test_the_permalink_is_not_part_of_the_text():
    html = Markdown(**MARKDOWN).convert("## Intro\n")
    assert 'class="headerlink"' in html, "the site's settings add a permalink to each heading"
    assert outline(html) == [OutlineEntry(2, "intro", "Intro")]


def test_inline_markup_is_flattened_and_entities_are_text():
    assert outline_of("## The *new* `send()` &amp; &lt;WebSocket&gt; API\n") == [
        (2, "the-new-send-websocket-api", "The new send() & <WebSocket> API"),
    ]


def test_duplicate_headings_keep_the_ids_toc_gave_them():
    assert outline_of("## Setup\n\n### Setup\n\n## Setup\n") == [
        (2, "setup", "Setup"),
        (3, "setup_1", "Setup"),
        (2, "setup_2", "Setup"),
    ]


def test_headings_without_an_id_and_other_levels_are_left_out():
    html = '<h1 id="t">T</h1><h2>No id</h2><h4 id="d">Deep</h4><h2 id="kept" class="x">Kept</h2><h5 id="e">E</h5>'
    assert outline(html) == [OutlineEntry(2, "kept", "Kept")]


def test_a_heading_over_several_lines_and_a_page_without_headings():
    [entry] = outline('<h3 id="long">A long\nheading <a class="headerlink" href="#long">#</a></h3>')
    assert (entry.level, entry.id, entry.text.split()) == (3, "long", ["A", "long", "heading"])
    assert outline("<p>No headings here.</p>") == []


def test_a_heading_with_classes_before_its_id_is_listed():
    """attr_list writes ``{ #behind-nginx .with-proxy }`` as class="with-proxy" id="behind-nginx"."""
    assert outline_of("## Behind nginx { #behind-nginx .with-proxy }\n") == [(2, "behind-nginx", "Behind nginx")]
