"""The EPUB book (guide.build.book.epub): epubcheck-clean, complete, linked inside, deterministic.

The real guide is built once with BOOK on and a SITEURL; the book is read back with zipfile and
lxml and compared with what the site itself shows (its table of contents, its pages' images, its
sitemap's dates), not with the module's own lists. The fixture site, with the every-feature page
(tabs, callouts, footnotes, a diagram beside its page), is built twice for the byte comparison
and checked by epubcheck too. epubcheck (Debian's package) skips outside CI when missing.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, ROOT, add_every_feature_chapter, build_site, require_tool
from lxml import etree
from lxml import html as lxml_html

from guide.build.runner import BuildFailed

pytestmark = pytest.mark.build

SITEURL = "https://example.org/guide"
EPUB = Path("book") / "websockets-guide.epub"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
BOOK_ON = {"BOOK": True, "SITEURL": SITEURL}


@pytest.fixture(scope="module")
def guide(guide_with_book) -> Path:
    """The guide built once with its book (tests/build/conftest.py), for this module and its sibling."""
    output, siteurl = guide_with_book
    assert siteurl == SITEURL
    return output


@pytest.fixture(scope="module")
def fixture_books(tmp_path_factory) -> list[Path]:
    content = tmp_path_factory.mktemp("fixture-book") / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_every_feature_chapter(content)
    with open(content / "pages" / "01-start" / "01-home.md", "a", encoding="utf-8") as file:
        file.write("\nSee [the search page](/search.html) and [the top](#a-heading).\n")
    outputs = []
    for name in ("one", "two"):
        outputs.append(content.parent / name)
        build_site(content, outputs[-1], overrides=BOOK_ON)
    return outputs


class Epub:
    """An EPUB read back: its files, package document and XHTML documents."""

    def __init__(self, path: Path):
        self.data = path.read_bytes()
        with zipfile.ZipFile(path) as archive:
            self.infos = archive.infolist()
            self.files = {info.filename: archive.read(info) for info in self.infos}
        container = etree.fromstring(self.files["META-INF/container.xml"])
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.opf = etree.fromstring(self.files[self.opf_path])
        self.base = posixpath.dirname(self.opf_path)
        self.manifest = {item.get("id"): item for item in self.opf.iterfind(".//opf:manifest/opf:item", NS)}

    def path_of(self, href: str, relative_to: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(relative_to), href))

    def documents(self) -> dict[str, object]:
        return {
            self.path_of(item.get("href"), self.opf_path): etree.fromstring(
                self.files[self.path_of(item.get("href"), self.opf_path)]
            )
            for item in self.manifest.values()
            if item.get("media-type") == "application/xhtml+xml"
        }

    def nav(self) -> tuple[str, object]:
        [item] = [item for item in self.manifest.values() if "nav" in (item.get("properties") or "").split()]
        path = self.path_of(item.get("href"), self.opf_path)
        return path, etree.fromstring(self.files[path])

    def metadata(self, tag: str) -> list[str]:
        return [element.text for element in self.opf.iterfind(f".//opf:metadata/{tag}", NS)]


def site_toc(output: Path) -> list[tuple[str, list[str]]]:
    """(chapter title, [page slugs]) as the site's table of contents lists them."""
    tree = lxml_html.parse(str(output / "table-of-contents.html"))
    chapters = []
    for chapter in tree.xpath("//ol[@class='toc']/li[starts-with(@id, 'chapter-')]"):
        title = chapter.find("h2").text_content().strip()
        slugs = [Path(a.get("href")).stem for a in chapter.xpath("./ol/li/a")]
        chapters.append((title, slugs))
    return chapters


def epubcheck(path: Path) -> str:
    jar = require_tool("epubcheck", "it checks the EPUB book")
    java = require_tool("java", "epubcheck runs on Java")
    run = subprocess.run([java, "-jar", jar, str(path)], capture_output=True, text=True, timeout=600)
    return run.stdout + run.stderr


@pytest.mark.parametrize("which", ["guide", "fixture"])
def test_epubcheck_finds_no_error_and_no_warning(which, request):
    output = request.getfixturevalue("guide") if which == "guide" else request.getfixturevalue("fixture_books")[0]
    report = epubcheck(output / EPUB)
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in report, report[-4000:]


def test_two_builds_give_the_same_bytes(fixture_books):
    one, two = (output / EPUB for output in fixture_books)
    assert one.read_bytes() == two.read_bytes()
    book = Epub(one)
    assert book.infos[0].filename == "mimetype"
    assert book.infos[0].compress_type == zipfile.ZIP_STORED
    assert [info.filename for info in book.infos[1:]] == sorted(info.filename for info in book.infos[1:])


def test_the_nav_lists_every_chapter_and_page_in_order(guide):
    book = Epub(guide / EPUB)
    _nav_path, nav = book.nav()
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    listed = []
    for chapter in toc.findall("x:ol/x:li", NS):
        title = "".join(chapter.find("x:a", NS).itertext()).strip()
        pages = [Path(a.get("href")).stem for a in chapter.iterfind("x:ol/x:li/x:a", NS)]
        listed.append((title, pages))
    expected = site_toc(guide)
    assert expected, "the site's table of contents changed shape"
    assert all(pages for _, pages in expected), "the site's table of contents changed shape"
    assert listed == expected
    spine = [book.manifest[ref.get("idref")].get("href") for ref in book.opf.iterfind(".//opf:spine/opf:itemref", NS)]
    reading = [Path(href).stem for href in spine if Path(href).stem in {s for _, pages in expected for s in pages}]
    assert reading == [slug for _, pages in expected for slug in pages]


def test_every_internal_link_target_exists(guide, fixture_books):
    for output in (guide, fixture_books[0]):
        book = Epub(output / EPUB)
        documents = book.documents()
        ids = {path: {element.get("id") for element in tree.iter() if element.get("id")} for path, tree in documents.items()}
        broken, internal = [], 0
        for path, tree in documents.items():
            for link in tree.iter("{http://www.w3.org/1999/xhtml}a"):
                href = link.get("href")
                if href is None or re.match(r"^[a-z]+:", href):
                    continue
                internal += 1
                target, _, fragment = href.partition("#")
                target_path = book.path_of(target, path) if target else path
                if target_path not in book.files or (fragment and fragment not in ids.get(target_path, ())):
                    broken.append(f"{path}: {href}")
        assert internal > 10  # the nav alone links every page
        assert not broken, broken


def test_links_the_book_lacks_point_at_the_published_site(fixture_books):
    book = Epub(fixture_books[0] / EPUB)
    home = next(tree for path, tree in book.documents().items() if path.endswith("/home.xhtml"))
    hrefs = [a.get("href") for a in home.iter("{http://www.w3.org/1999/xhtml}a")]
    assert f"{SITEURL}/search.html" in hrefs
    assert "second.xhtml#a-heading" in hrefs  # [the second page](/second.html#a-heading)
    assert not [href for href in hrefs if href.startswith("/")]


def test_images_are_inside_with_their_alt_text(guide):
    book = Epub(guide / EPUB)
    site_images = {}
    for page in guide.glob("*.html"):
        for img in lxml_html.parse(str(page)).xpath("//main//article//img"):
            src = img.get("src").removeprefix(SITEURL)
            site_images[src] = img.get("alt")
    assert site_images, "the guide has diagrams"
    seen = {}
    for path, tree in book.documents().items():
        for img in tree.iter("{http://www.w3.org/1999/xhtml}img"):
            target = book.path_of(img.get("src"), path)
            assert target in book.files, f"{path}: {img.get('src')} is not in the book"
            assert img.get("alt"), f"{path}: an image without alt text"
            seen["/" + posixpath.relpath(target, book.base)] = img.get("alt")
    for src, alt in site_images.items():
        assert seen.get(src) == alt, src
        assert book.files[posixpath.join(book.base, src.lstrip("/"))] == (ROOT / "content" / src.lstrip("/")).read_bytes()


def test_cover_metadata_and_code_highlighting(guide):
    book = Epub(guide / EPUB)
    [cover] = [item for item in book.manifest.values() if "cover-image" in (item.get("properties") or "")]
    cover_bytes = book.files[book.path_of(cover.get("href"), book.opf_path)]
    sitemap = (guide / "sitemap.xml").read_text(encoding="utf-8")
    newest = max(re.findall(r"<lastmod>(\d{4}-\d\d-\d\d)</lastmod>", sitemap))
    assert b"WebSockets for Python developers" in cover_bytes
    assert newest[:4].encode() in cover_bytes
    first = book.opf.find(".//opf:spine/opf:itemref", NS).get("idref")
    first_doc = etree.fromstring(book.files[book.path_of(book.manifest[first].get("href"), book.opf_path)])
    assert first_doc.find(".//x:img", NS) is not None  # the cover page comes first
    assert book.metadata("dc:title") == ["WebSockets for Python developers"]
    assert book.metadata("dc:language") == ["en"]
    assert book.metadata("dc:creator") == ["The WebSockets Guide authors"]
    modified = book.opf.find(".//opf:meta[@property='dcterms:modified']", NS).text
    assert modified == f"{newest}T00:00:00Z"
    assert book.metadata("dc:identifier")[0].startswith("urn:uuid:")
    css = b"".join(data for name, data in book.files.items() if name.endswith(".css")).decode()
    assert ".highlight .kn" in css  # Pygments' keyword rule: the code's colours are in the book
    assert not [name for name in book.files if name.endswith(".js")]
    assert b"<script" not in b"".join(book.files.values())


def test_home_and_contents_link_the_book_with_its_size(guide):
    size = (guide / EPUB).stat().st_size
    for name in ("index.html", "table-of-contents.html"):
        tree = lxml_html.parse(str(guide / name))
        [link] = tree.xpath(f"//a[@href='{SITEURL}/book/websockets-guide.epub']")
        shown = re.search(r"\(([\d.]+) (KB|MB)\)", link.getparent().text_content())
        assert shown, name
        number, unit = float(shown[1]), 1000 if shown[2] == "KB" else 1_000_000
        assert abs(number * unit - size) <= unit / 2 * (10 if unit > 1000 else 1), (name, shown[0], size)


def test_without_the_setting_there_is_no_book_and_no_link(tmp_path, site_copy):
    build_site(site_copy, tmp_path / "out")
    assert not (tmp_path / "out" / "book").exists()
    assert "book/" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_a_setting_that_is_not_a_bool_is_one_line(tmp_path, site_copy):
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", overrides={"BOOK": "yes"})
    lines = [line for line in failure.value.report().splitlines() if "BOOK" in line]
    assert len(lines) == 1, failure.value.report()
    assert "'yes'" in lines[0]
    assert "True" in lines[0]
