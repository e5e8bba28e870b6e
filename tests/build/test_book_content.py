"""The book's content (guide.build.book.content): pages in order, links, ids and images as a format wants them.

Pages here are stand-ins with what the module reads of a Pelican page (slug, title, url, status,
body); the formats' functions are simple ones that show what was passed in.
"""

from __future__ import annotations

import datetime
import types

from lxml import html as lxml_html

from guide.build.book.content import book_date, book_from_site
from guide.content.chapters import Chapter


def page(slug, body, status="published", last_updated=None, title=None):
    return types.SimpleNamespace(
        slug=slug, title=title or slug.title(), url=f"{slug}.html", status=status, _content=body, last_updated=last_updated
    )


def make_book(pages_by_chapter, siteurl="", images=None, tmp_path=None):
    chapters = [Chapter(f"{n + 1:02d}", f"Chapter {n + 1}", pages) for n, pages in enumerate(pages_by_chapter)]
    index = types.SimpleNamespace(static_sources=images or {})
    settings = {"SITEURL": siteurl, "PATH": str(tmp_path or "/content"), "SITENAME": "Guide", "THEME": "theme"}
    return book_from_site(
        chapters,
        index,
        settings,
        resolve=lambda slug, fragment: f"[{slug}|{fragment}]",
        image_src=lambda image: f"img:{image.name}",
        anchor=lambda slug, element_id: f"{slug}--{element_id}",
    )


def hrefs(book_page):
    return [a.get("href") for a in lxml_html.fragment_fromstring(book_page.html, create_parent="div").iter("a")]


def test_chapters_and_pages_keep_reading_order_and_leave_drafts_out():
    book = make_book([[page("a", "<p>a</p>"), page("draft", "<p>d</p>", status="draft")], [page("b", "<p>b</p>")]])
    assert [chapter.title for chapter in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert [p.slug for p in book.pages] == ["a", "b"]


def test_links_to_book_pages_go_through_resolve_and_anchor():
    body = '<p><a href="/b.html#setup">b</a> <a href="#intro">here</a> <a href="/b.html">top</a> <a href="b.html">rel</a></p>'
    book = make_book([[page("a", body), page("b", '<h2 id="setup">Setup</h2>')]])
    assert hrefs(book.pages[0]) == ["[b|b--setup]", "[a|a--intro]", "[b|]", "[b|]"]


def test_site_paths_the_book_lacks_point_at_the_published_site():
    body = '<p><a href="https://example.org/guide/search.html">s</a> <a href="https://example.org/guide/b.html#x">b</a></p>'
    book = make_book([[page("a", body), page("b", "")]], siteurl="https://example.org/guide")
    assert hrefs(book.pages[0]) == ["https://example.org/guide/search.html", "[b|b--x]"]


def test_without_a_siteurl_a_link_to_a_missing_path_becomes_its_text():
    book = make_book([[page("a", '<p>Use <a href="/search.html">the <em>search</em></a> page.</p>')]])
    assert hrefs(book.pages[0]) == []
    assert "Use the <em>search</em> page." in book.pages[0].html


def test_other_sites_and_mail_stay_as_they_are():
    body = '<p><a href="https://websockets.readthedocs.io/">docs</a> <a href="mailto:a@example.org">mail</a></p>'
    assert hrefs(make_book([[page("a", body)]]).pages[0]) == ["https://websockets.readthedocs.io/", "mailto:a@example.org"]


def test_ids_and_their_references_are_unique_in_the_page():
    body = '<h2 id="x">One</h2><h2 id="x">Two</h2><label for="x">L</label><p aria-describedby="x y">p</p>'
    tree = lxml_html.fragment_fromstring(make_book([[page("a", body)]]).pages[0].html, create_parent="div")
    assert [h.get("id") for h in tree.iter("h2")] == ["a--x", "a--x-2"]
    assert tree.find("label").get("for") == "a--x"
    assert tree.find("p").get("aria-describedby") == "a--x a--y"


def test_permalinks_go_and_collapsible_blocks_open():
    body = '<h2 id="h">Title<a class="headerlink" href="#h" title="Link">#</a> after</h2><details class="note"><summary>Why</summary><p>Because</p></details>'
    html = make_book([[page("a", body)]]).pages[0].html
    assert "headerlink" not in html
    assert "Title after</h2>" in html
    assert '<div class="admonition note"><p class="admonition-title">Why</p><p>Because</p></div>' in html


def test_tabs_become_blocks_under_their_labels():
    body = (
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">'
        '<input id="__tabbed_1_2" name="__tabbed_1" type="radio"><div class="tabbed-labels"><label for="__tabbed_1_1">Python</label>'
        '<label for="__tabbed_1_2">JavaScript</label></div><div class="tabbed-content"><div class="tabbed-block"><p>py</p></div>'
        '<div class="tabbed-block"><p>js</p></div></div></div>'
    )
    html = make_book([[page("a", body)]]).pages[0].html
    assert "<input" not in html
    assert "<label" not in html
    assert html.index("Python") < html.index("py</p>") < html.index("JavaScript") < html.index("js</p>")


def test_images_resolve_to_their_files_with_their_alt(tmp_path):
    body = '<p><img alt="A diagram" src="https://example.org/guide/images/d.svg"><img alt="Remote" src="https://cdn.example.com/x.png"></p>'
    book = make_book(
        [[page("a", body)]], siteurl="https://example.org/guide", images={"images/d.svg": "/images/d.svg"}, tmp_path=tmp_path
    )
    [image] = book.images
    assert (image.site_path, image.source, image.alt) == ("/images/d.svg", str(tmp_path / "images" / "d.svg"), "A diagram")
    html = book.pages[0].html
    assert '<img alt="A diagram" src="img:images/d.svg">' in html or '<img src="img:images/d.svg" alt="A diagram">' in html
    assert "cdn.example.com" not in html
    assert "Remote" in html


def test_xhtml_is_well_formed():
    from lxml import etree

    body = "<p>a<br>b &amp; <img alt='x' src='/nowhere.png'></p><pre><code>x &lt; y</code></pre>"
    xhtml = make_book([[page("a", body)]]).pages[0].xhtml
    etree.fromstring(f"<div>{xhtml}</div>")  # raises on anything an XML parser refuses


def test_book_date_is_the_newest_page_or_source_date_epoch():
    pages = [
        page("a", "", last_updated=datetime.date(2026, 3, 1)),
        page("b", "", last_updated=datetime.date(2026, 5, 2)),
        page("c", ""),
    ]
    assert book_date(pages, environ={}) == datetime.date(2026, 5, 2)
    assert book_date(pages, environ={"SOURCE_DATE_EPOCH": "86400"}) == datetime.date(1970, 1, 2)
