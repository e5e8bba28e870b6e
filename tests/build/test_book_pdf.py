"""The PDF book (guide.build.book.pdf): both paper sizes, bookmarks, links, text, wrapping, vectors, determinism.

The real guide is built once with BOOK on; its two PDFs are read back with poppler (pdfinfo,
pdftotext, pdftohtml's outline) and with the PDF's own streams inflated, and compared with what the
built site shows (its table of contents, its pages' links and code, the diagrams' SVG files), not
with the module's own lists. The fixture site with the every-feature page is built twice for the
byte comparison. A small book made here checks what the guide may not have today: a line of code
too long for any paper, a file outside the content folder. Poppler skips outside CI when missing.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT, add_every_feature_chapter, build_site, require_tool
from lxml import etree
from lxml import html as lxml_html

from guide.build.book import pdf
from guide.build.book.content import Book, BookChapter, BookPage

pytestmark = pytest.mark.build

SITEURL = "https://example.org/guide"
BOOK_ON = {"BOOK": True, "SITEURL": SITEURL}
PAPERS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}  # points, as pdfinfo gives them
MARGIN = 18 / 25.4 * 72  # the stylesheet's left and right page margin, 18 mm, in points


def pdf_path(output: Path, paper: str) -> Path:
    return output / "book" / f"websockets-guide-{paper}.pdf"


def tool(name: str) -> str:
    return require_tool(name, "poppler-utils, to read the PDF book back")


def run(*command) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def guide(guide_with_book) -> Path:
    """The guide built once with its book (tests/build/conftest.py), for this module and its sibling."""
    output, siteurl = guide_with_book
    assert siteurl == SITEURL
    return output


def has_class(name: str) -> str:
    """An XPath test for an element with this class (lxml's cssselect needs a package the project lacks)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def site_toc(output: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The built table of contents: (chapter title, [(page slug, page title)]) in reading order."""
    tree = lxml_html.parse(str(output / "table-of-contents.html"))
    chapters = []
    for item in tree.getroot().xpath(f"//ol[{has_class('toc')}]/li"):
        pages = [
            (a.get("href").rsplit("/", 1)[-1].removesuffix(".html"), a.text_content().strip()) for a in item.xpath("./ol/li/a")
        ]
        chapters.append((item.xpath("./h2")[0].text_content().strip(), pages))
    return chapters


def outline(path: Path) -> list:
    """The PDF's bookmarks as a tree of (title, [children]), read by poppler's pdftohtml."""
    xml = run(tool("pdftohtml"), "-xml", "-stdout", "-i", "-q", str(path))
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(recover=True))

    def items(element) -> list:
        tree = []
        for child in element:
            if child.tag == "item":
                tree.append((child.xpath("string()").strip(), []))
            elif child.tag == "outline" and tree:
                tree[-1][1].extend(items(child))
        return tree

    top = root.find("outline")
    return items(top) if top is not None else []


def inflated(path: Path) -> bytes:
    """Every stream of the PDF, decompressed (WeasyPrint puts objects in compressed object streams)."""
    data = path.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(data[match.end() : end]))
        except zlib.error:
            continue  # not Flate-encoded, or not a stream keyword after all
    return b"\n".join(parts)


def pdf_string(token: bytes) -> str:
    """A PDF string as pydyf writes it: ``(literal)`` or ``<FEFF...>`` hex in UTF-16."""
    if token.startswith(b"<"):
        return bytes.fromhex(token[1:-1].decode()).decode("utf-16")
    return re.sub(rb"\\(.)", rb"\1", token[1:-1]).decode("latin-1")


def link_targets(path: Path) -> set[str]:
    """The named destinations the PDF's link annotations go to."""
    return {pdf_string(token) for token in re.findall(rb"/Dest\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)", inflated(path))}


def named_destinations(path: Path) -> set[str]:
    """The destinations the PDF defines, as poppler lists them."""
    return set(re.findall(r'^\s*\d+\s+\[.*\]\s+"(.*)"$', run(tool("pdfinfo"), "-dests", str(path)), re.M))


def page_sizes(path: Path) -> list[tuple[float, float]]:
    pages = int(re.search(r"^Pages:\s+(\d+)", run(tool("pdfinfo"), str(path)), re.M).group(1))
    listing = run(tool("pdfinfo"), "-f", "1", "-l", str(pages), str(path))
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", listing, re.M)]


def words_beyond_margin(path: Path) -> list[tuple[int, str, float]]:
    """(page, word, right edge) of every word pdftotext finds right of the text column."""
    layout = run(tool("pdftotext"), "-bbox", str(path), "-")
    beyond = []
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', layout, re.S)
    for number, (width, body) in enumerate(pages, 1):
        limit = float(width) - MARGIN + 0.5  # half a point: rounding of justified text
        for right, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body):
            if float(right) > limit:
                beyond.append((number, word, float(right)))
    return beyond


def plain(text: str) -> str:
    return " ".join(text.split())


# The real guide


@pytest.mark.parametrize("paper", PAPERS)
def test_page_count_is_sane_and_every_page_has_the_paper_size(guide, paper):
    path = pdf_path(guide, paper)
    sizes = page_sizes(path)
    guide_pages = sum(len(pages) for _, pages in site_toc(guide))
    # Title page, contents, and each guide page starts a sheet; no page needs 30 sheets.
    assert guide_pages + 2 <= len(sizes) <= 30 * guide_pages
    text_pages = run(tool("pdftotext"), str(path), "-").count("\f")
    assert text_pages == len(sizes)  # pdftotext reads as many pages as pdfinfo counts
    width, height = PAPERS[paper]
    assert all(abs(w - width) < 0.5 and abs(h - height) < 0.5 for w, h in sizes), sorted(set(sizes))


@pytest.mark.parametrize("paper", PAPERS)
def test_bookmarks_for_every_chapter_and_page_in_reading_order(guide, paper):
    bookmarks = outline(pdf_path(guide, paper))
    expected = site_toc(guide)
    assert [title for title, _ in bookmarks] == [title for title, _ in expected]
    for (_, pages), (_, page_marks) in zip(expected, bookmarks, strict=True):
        assert [title for title, _ in page_marks] == [title for _, title in pages]
    sections = [section for _, pages in bookmarks for _, sections in pages for section in sections]
    assert sections, "the pages' own sections are bookmarked under them"


@pytest.mark.parametrize("paper", PAPERS)
def test_every_internal_link_goes_to_a_destination_in_the_pdf(guide, paper):
    path = pdf_path(guide, paper)
    targets, destinations = link_targets(path), named_destinations(path)
    assert targets
    assert not targets - destinations, sorted(targets - destinations)[:10]
    # What the site's pages link to inside the guide is linked inside the book.
    slugs = [slug for _, pages in site_toc(guide) for slug, _ in pages]
    expected = set(slugs)  # the contents link to every page
    for slug in slugs:
        for link in lxml_html.parse(str(guide / f"{slug}.html")).getroot().xpath(f"//*[{has_class('prose')}]//a[@href]"):
            href = link.get("href").removeprefix(SITEURL)
            page, _, fragment = href.partition("#")
            target = slug if page == "" else page.lstrip("/").removesuffix(".html")
            if target in slugs and "headerlink" not in (link.get("class") or ""):
                expected.add(f"{target}--{fragment}" if fragment else target)
    assert not expected - targets, sorted(expected - targets)[:10]


def test_text_is_extractable_with_every_page_title_and_a_line_of_its_code(guide):
    text = plain(run(tool("pdftotext"), str(pdf_path(guide, "a4")), "-"))
    checked = 0
    for _, pages in site_toc(guide):
        for slug, title in pages:
            assert plain(title) in text
            blocks = lxml_html.parse(str(guide / f"{slug}.html")).getroot().xpath(f"//*[{has_class('prose')}]//pre/code")
            lines = [plain(line) for block in blocks[:1] for line in block.text_content().splitlines()]
            line = next((line for line in lines if 12 <= len(line) <= 60), None)
            if line:
                assert line in text, f"{slug}: {line!r}"
                checked += 1
    assert checked >= 5


@pytest.mark.parametrize("paper", PAPERS)
def test_nothing_runs_past_the_right_margin(guide, paper):
    assert words_beyond_margin(pdf_path(guide, paper)) == []


def test_diagrams_are_vector_drawings_with_their_text(guide):
    path = pdf_path(guide, "a4")
    streams, text = inflated(path), plain(run(tool("pdftotext"), str(path), "-"))
    assert b"/Image" not in streams  # no raster image anywhere: the SVGs were not rasterised
    used = {
        Path(src).name
        for page in guide.glob("*.html")
        for src in re.findall(r'<img[^>]+src="[^"]*/images/([^"]+\.svg)"', page.read_text("utf-8"))
    }
    assert used, "the guide has diagrams"
    for name in sorted(used):
        svg = etree.parse(str(ROOT / "content" / "images" / name))
        for label in svg.iterfind(".//{http://www.w3.org/2000/svg}text"):
            words = plain("".join(label.itertext()))
            assert words in text, f"{name}: {words!r} is not in the PDF's text"
        stroke = re.search(r"stroke:#([0-9a-fA-F]{6})", svg.findtext("{http://www.w3.org/2000/svg}style") or "")
        if stroke:  # the first stroke colour (the light one) is a drawing operator in a page
            red, green, blue = (int(stroke.group(1)[i : i + 2], 16) / 255 for i in (0, 2, 4))
            assert _near_colour(streams, (red, green, blue), b"RG"), f"{name}: stroke #{stroke.group(1)} is never drawn"


def _near_colour(streams: bytes, colour, operator: bytes) -> bool:
    for match in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) " + operator, streams):
        if all(abs(float(value) - wanted) < 0.002 for value, wanted in zip(match.groups(), colour, strict=True)):
            return True
    return False


def test_code_keeps_the_sites_light_colours(guide):
    from pygments.styles import get_style_by_name
    from pygments.token import Keyword, String

    style = get_style_by_name("xcode")  # PYGMENTS_LIGHT_STYLE in pelicanconf.py
    streams = inflated(pdf_path(guide, "a4"))
    for token in (Keyword, String):
        hex_colour = style.style_for_token(token)["color"]
        colour = tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
        assert _near_colour(streams, colour, b"rg"), f"{token}: #{hex_colour} is never a fill colour"


@pytest.mark.parametrize("paper", PAPERS)
def test_metadata_dates_are_the_books_date(guide, paper):
    info = run(tool("pdfinfo"), "-isodates", str(pdf_path(guide, paper)))
    created = re.search(r"^CreationDate:\s+(\S+)", info, re.M).group(1)
    assert created == re.search(r"^ModDate:\s+(\S+)", info, re.M).group(1)
    day = datetime.date.fromisoformat(created[:10])
    sitemap = dict(re.findall(r"<loc>([^<]+)</loc><lastmod>([\d-]+)</lastmod>", (guide / "sitemap.xml").read_text("utf-8")))
    pages = [f"{SITEURL}/{slug}.html" for _, chapter_pages in site_toc(guide) for slug, _ in chapter_pages]
    assert day.isoformat() == max(sitemap[page] for page in pages if page in sitemap)  # the newest dated guide page
    assert f"{day.day} {day:%B %Y}" in run(tool("pdftotext"), "-l", "1", str(pdf_path(guide, paper)), "-")


@pytest.mark.parametrize("paper", PAPERS)
def test_fonts_are_dejavu_and_embedded(guide, paper):
    listing = run(tool("pdffonts"), str(pdf_path(guide, paper))).splitlines()[2:]
    fonts = [line.split() for line in listing if line.strip()]
    assert fonts
    for font in fonts:
        name, embedded = font[0], font[-5]  # ... emb sub uni object ID
        assert "+DejaVu-" in name, font
        assert embedded == "yes", font


# The fixture site, twice


@pytest.fixture(scope="module")
def fixture_books(tmp_path_factory) -> list[Path]:
    content = tmp_path_factory.mktemp("fixture-pdf") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_every_feature_chapter(content)
    outputs = []
    for name in ("one", "two"):
        outputs.append(content.parent / name)
        build_site(content, outputs[-1], overrides=BOOK_ON)
    return outputs


@pytest.mark.parametrize("paper", PAPERS)
def test_same_content_and_date_give_the_same_bytes(fixture_books, paper):
    one, two = (pdf_path(output, paper).read_bytes() for output in fixture_books)
    assert one[:5] == b"%PDF-"
    assert one == two


def test_fixture_book_has_no_dangling_link_and_a_bookmark_per_page(fixture_books):
    path = pdf_path(fixture_books[0], "letter")
    assert not link_targets(path) - named_destinations(path)
    pages = [title for _, page_marks in outline(path) for title, _ in page_marks]
    assert pages == [title for _, chapter_pages in site_toc(fixture_books[0]) for _, title in chapter_pages]


# A book made here


def small_book(body: str, tmp_path: Path) -> Book:
    page = BookPage("only", "The only page", lxml_html.fragment_fromstring(body, create_parent="div"))
    chapter = BookChapter("01", "Chapter one", "", [page])
    return Book("A small book", "", "", "en", "", datetime.date(2026, 1, 2), [chapter], "xcode")


def test_long_code_and_tables_wrap_inside_the_text_column(tmp_path):
    long_line = "token_" + "x" * 400
    body = (
        f'<pre class="highlight"><code>{long_line} = "{"y" * 300}"</code></pre>'
        f"<p>Inline <code>{'z' * 300}</code> and <a href='https://example.org/{'p' * 200}'>https://example.org/{'p' * 200}</a>.</p>"
        f"<table><tr><th>Code</th><th>Address</th><th>Binary</th></tr>"
        f"<tr><td><code>{'w' * 200}</code></td><td><a href='https://example.org/'>https://example.org/{'v' * 200}</a></td><td>yes</td></tr></table>"
    )
    for paper in PAPERS:
        path = tmp_path / f"{paper}.pdf"
        path.write_bytes(pdf.pdf_bytes(small_book(body, tmp_path), paper, [str(tmp_path)]))
        assert words_beyond_margin(path) == []
        text = run(tool("pdftotext"), str(path), "-")
        assert "x" * 40 in text  # the code is there, wrapped
        assert {"Code", "Binary"} <= set(text.split())  # while a cell's words stay whole


def test_files_outside_the_content_folder_and_the_network_are_refused(tmp_path):
    content, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    content.mkdir()
    elsewhere.mkdir()
    for file in (elsewhere / "secret.svg", elsewhere / "other.svg", content / "fine.svg"):
        file.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "utf-8")
    outside = [(elsewhere / "secret.svg").as_uri(), "http://127.0.0.1:9/x.png", f"{content.as_uri()}/../elsewhere/other.svg"]
    body = "".join(f'<img src="{src}" alt="">' for src in [(content / "fine.svg").as_uri(), *outside])
    with pytest.raises(pdf.PdfRefused) as refused:
        pdf.pdf_bytes(small_book(body, content), "a4", [str(content)])
    assert len(refused.value.refused) == len(outside)
    assert not any("fine.svg" in url for url in refused.value.refused)


def test_svg_font_shorthands_become_longhands_weasyprint_draws():
    svg = "<style>.a{fill:#000;font:bold 14px system-ui,sans-serif}.b{font:12px sans-serif}.c{font:inherit}</style>"
    assert pdf.expand_font_shorthands(svg) == (
        "<style>.a{fill:#000;font-weight:bold;font-size:14px;font-family:system-ui,sans-serif}"
        ".b{font-size:12px;font-family:sans-serif}.c{font:inherit}</style>"
    )


def test_bold_svg_text_is_drawn(tmp_path):
    (tmp_path / "d.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><style>.hd{font:bold 14px sans-serif}</style>'
        '<text class="hd" x="5" y="20">Boldlabel</text></svg>',
        "utf-8",
    )
    path = tmp_path / "book.pdf"
    path.write_bytes(
        pdf.pdf_bytes(small_book(f'<p><img src="{(tmp_path / "d.svg").as_uri()}" alt="d"></p>', tmp_path), "a4", [str(tmp_path)])
    )
    assert "Boldlabel" in run(tool("pdftotext"), str(path), "-")


def test_what_weasyprint_warns_about_is_handed_back(tmp_path):
    """build_pdfs turns these into warnings of the build (so --strict and publishing stop on them)."""
    markup = '<html><body><p style="colour: red; bookmark-level: sideways">Text</p></body></html>'
    data, warnings, refused = pdf._render_job((markup, "a4", [str(tmp_path)], "xcode"))
    assert data.startswith(b"%PDF-")
    assert refused == []
    assert any("colour" in warning for warning in warnings), warnings
