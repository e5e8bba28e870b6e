"""Image sizes (guide/content/image_sizes.py): the header readers on tiny files made here, byte by
byte from each format's specification, and what the build does with the sizes in a body."""

from __future__ import annotations

import os
import struct
import types
import zlib

import pytest

from guide.build import memo
from guide.content.image_sizes import HEAD_BYTES, UnreadableImage, image_size, known_size, size_images
from guide.problems import ProblemLog

# --- Tiny files of each format ----------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00;"


def segment(marker: int, data: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def exif(orientation: int, byte_order: bytes = b"MM") -> bytes:
    """An APP1 EXIF segment whose first directory holds the Orientation tag alone."""
    order = ">" if byte_order == b"MM" else "<"
    entry = struct.pack(order + "HHI", 0x0112, 3, 1) + struct.pack(order + "HH", orientation, 0)
    tiff = byte_order + struct.pack(order + "HI", 42, 8) + struct.pack(order + "H", 1) + entry + struct.pack(order + "I", 0)
    return segment(0xE1, b"Exif\x00\x00" + tiff)


def jpeg(width: int, height: int, frame: int = 0xC0, before: bytes = b"") -> bytes:
    """SOI, a JFIF header, ``before`` (more segments), the frame header, an empty scan, EOI."""
    jfif = segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    frame_header = segment(frame, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01")
    scan = segment(0xDA, b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00")
    return b"\xff\xd8" + jfif + before + frame_header + scan + b"\x00" * 4 + b"\xff\xd9"


def riff(chunk: bytes, data: bytes) -> bytes:
    body = b"WEBP" + chunk + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_lossy(width: int, height: int) -> bytes:
    return riff(b"VP8 ", b"\x30\x01\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\x00" * 10)


def webp_lossless(width: int, height: int) -> bytes:
    return riff(b"VP8L", b"\x2f" + struct.pack("<I", (width - 1) | (height - 1) << 14) + b"\x00" * 4)


def webp_extended(width: int, height: int) -> bytes:
    return riff(b"VP8X", b"\x10\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little"))


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def avif(*extents: tuple[int, int], brand: bytes = b"avif") -> bytes:
    """ftyp, then meta > iprp > ipco with one ispe per extent (a thumbnail's among them)."""
    properties = b"".join(box(b"ispe", b"\x00" * 4 + struct.pack(">II", w, h)) for w, h in extents)
    handler = box(b"hdlr", b"\x00" * 8 + b"pict" + b"\x00" * 13)
    meta = box(b"meta", b"\x00" * 4 + handler + box(b"iprp", box(b"ipco", properties)))
    return box(b"ftyp", brand + b"\x00\x00\x00\x00" + b"mif1miaf" + brand) + meta + box(b"mdat", b"\x00" * 16)


def svg(attributes: str, prolog: str = "") -> bytes:
    return f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect width="1" height="1"/></svg>'.encode()


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- The readers --------------------------------------------------------------------------------

READABLE = [
    ("png", "a.png", png(640, 480), (640, 480)),
    ("gif", "a.gif", gif(320, 200), (320, 200)),
    ("jpeg baseline", "a.jpg", jpeg(1024, 768), (1024, 768)),
    ("jpeg progressive", "a.jpeg", jpeg(1200, 900, frame=0xC2), (1200, 900)),
    (
        "jpeg with 120 KiB of metadata before its frame",
        "big.jpg",
        jpeg(800, 600, before=segment(0xE2, b"\x00" * 60_000) * 2),
        (800, 600),
    ),
    ("jpeg with padding bytes before a marker", "pad.jpg", jpeg(30, 20).replace(b"\xff\xc0", b"\xff\xff\xff\xc0"), (30, 20)),
    ("jpeg turned a quarter by EXIF (6)", "turned.jpg", jpeg(4000, 3000, before=exif(6)), (3000, 4000)),
    ("jpeg turned by little-endian EXIF (8)", "turned-ii.jpg", jpeg(40, 30, before=exif(8, b"II")), (30, 40)),
    ("jpeg upside down by EXIF (3): same size", "flipped.jpg", jpeg(40, 30, before=exif(3)), (40, 30)),
    ("webp lossy", "a.webp", webp_lossy(550, 368), (550, 368)),
    ("webp lossless", "b.webp", webp_lossless(386, 395), (386, 395)),
    ("webp extended", "c.webp", webp_extended(1920, 1080), (1920, 1080)),
    ("avif: the largest extent, not the thumbnail's", "a.avif", avif((160, 120), (1600, 1200)), (1600, 1200)),
    ("png named .jpg: the bytes decide", "liar.jpg", png(12, 34), (12, 34)),
    ("svg width and height", "a.svg", svg('width="680" height="400" viewBox="0 0 1 1"'), (680, 400)),
    ("svg in px", "px.svg", svg('width="120px" height="80px"'), (120, 80)),
    ("svg in pt and mm", "units.svg", svg('width="72pt" height="25.4mm"'), (96, 96)),
    ("svg viewBox alone", "box.svg", svg('viewBox="0 0 720 340"'), (720, 340)),
    ("svg viewBox with commas", "commas.svg", svg('viewBox="0,0,300,150"'), (300, 150)),
    ("svg width alone scales the viewBox", "w.svg", svg('width="200" viewBox="0 0 400 100"'), (200, 50)),
    ("svg height alone scales the viewBox", "h.svg", svg('height="50" viewBox="0 0 400 100"'), (200, 50)),
    ("svg width in % uses the viewBox", "pct.svg", svg('width="100%" height="100%" viewBox="0 0 64 32"'), (64, 32)),
    ("svg width in em uses the viewBox", "em.svg", svg('width="10em" viewBox="0 0 64 32"'), (64, 32)),
    (
        "svg after a declaration, a comment and a doctype with an internal subset",
        "prolog.svg",
        svg(
            'width="33" height="44"',
            prolog='<?xml version="1.0"?>\n<!-- <svg width="1" height="1"> -->\n'
            "<!DOCTYPE svg [ <!ENTITY x \"<svg width='2'>\"> ]>\n",
        ),
        (33, 44),
    ),
    (
        "svg with a prefixed root",
        "prefixed.svg",
        b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="7" height="9"/>',
        (7, 9),
    ),
    ("svg with a tiny viewBox: at least one pixel", "tiny.svg", svg('viewBox="0 0 0.2 0.2"'), (1, 1)),
]


@pytest.mark.parametrize(("name", "data", "expected"), [case[1:] for case in READABLE], ids=[case[0] for case in READABLE])
def test_each_format_gives_its_size(tmp_path, name, data, expected):
    assert image_size(write(tmp_path, name, data)) == expected


UNREADABLE = [
    ("empty png", "a.png", b"", "not an SVG, PNG"),
    ("random bytes", "noise.png", bytes(range(7, 200)), "not an SVG, PNG"),
    ("png without IHDR", "a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "IHDR"),
    ("png cut in its header", "a.png", png(10, 10)[:20], "cut short or corrupt"),
    ("png of zero width", "a.png", png(0, 5), "size of 0 x 5"),
    ("gif cut short", "a.gif", b"GIF89a\x01", "cut short or corrupt"),
    ("jpeg without a frame header", "a.jpg", b"\xff\xd8" + segment(0xE0, b"JFIF\x00") + b"\xff\xd9", "without a frame header"),
    ("jpeg cut in a segment", "a.jpg", jpeg(10, 10)[:30], "cut short"),
    ("jpeg with garbage between segments", "a.jpg", b"\xff\xd8" + b"garbage" * 4, "segments are corrupt"),
    ("webp of an unknown kind", "a.webp", riff(b"VP9 ", b"\x00" * 20), "WebP file of a kind"),
    ("iso media that is not avif", "a.avif", avif((10, 10), brand=b"heic"), "not an AVIF file"),
    ("avif without ispe", "a.avif", box(b"ftyp", b"avif\x00\x00\x00\x00") + box(b"meta", b"\x00" * 4), "no ispe box"),
    ("avif with a box of size 3", "a.avif", box(b"ftyp", b"avif\x00\x00\x00\x00") + b"\x00\x00\x00\x03meta", "boxes are corrupt"),
    ("svg without a size", "a.svg", svg('class="x"'), "without width and height in pixels or a viewBox"),
    ("svg with width only, no viewBox", "a.svg", svg('width="20"'), "without width and height"),
    ("svg with a broken viewBox", "a.svg", svg('viewBox="0 0 x 10"'), "without width and height"),
    ("svg with nan and inf", "a.svg", svg('width="nan" height="inf"'), "without width and height"),
    ("html named .svg", "a.svg", b"<html><body>no</body></html>", "no <svg> element"),
    ("svg cut in its comment", "a.svg", b"<!-- never closed <svg width='1' height='1'>", "cut short"),
    ("svg larger than a million pixels", "a.svg", svg('width="1e9" height="10"'), "size of 1e+09 x 10"),
    ("svg root past the first 64 KiB", "a.svg", b"<!--" + b"x" * HEAD_BYTES + b"-->" + svg('width="1" height="1"'), "cut short"),
]


@pytest.mark.parametrize(("name", "data", "words"), [case[1:] for case in UNREADABLE], ids=[case[0] for case in UNREADABLE])
def test_a_corrupt_file_says_why(tmp_path, name, data, words):
    with pytest.raises(UnreadableImage) as unreadable:
        image_size(write(tmp_path, name, data))
    assert words in str(unreadable.value)


def test_a_pipe_named_like_an_image_is_not_read(tmp_path):
    """Opening a pipe would wait for a writer forever."""
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(UnreadableImage, match="not a regular file"):
        image_size(str(tmp_path / "pipe.png"))


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(UnreadableImage, match="cannot read it"):
        image_size(str(tmp_path / "gone.png"))


def test_a_changed_file_is_read_again(tmp_path):
    """`invoke serve` remembers sizes between builds, by the file's size and modification time."""
    path = write(tmp_path, "a.png", png(10, 10))
    assert known_size(path) == (10, 10)
    memo.next_build()
    (tmp_path / "a.png").write_bytes(png(20, 30))  # the same length: only the time tells
    os.utime(path, ns=(1, 2_000_000_000))
    assert known_size(path) == (20, 30)


# --- The bodies ---------------------------------------------------------------------------------

FOLDER = "pages/01-start"


@pytest.fixture
def site(tmp_path):
    """A content folder with an image beside a page, one in images/ and a corrupt one; its index."""
    content = tmp_path / "content"
    (content / FOLDER).mkdir(parents=True)
    (content / "images").mkdir()
    (content / FOLDER / "wide.png").write_bytes(png(400, 200))
    (content / "images" / "logo.svg").write_bytes(svg('viewBox="0 0 30 10"'))
    (content / "images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    sources = [f"{FOLDER}/wide.png", "images/logo.svg", "images/broken.png"]
    index = types.SimpleNamespace(static_sources={source: f"/{source}" for source in sources})
    return content, index


def sized(site, body: str, siteurl: str = "") -> tuple[str, ProblemLog]:
    content_path, index = site
    settings = {"PATH": str(content_path), "SITEURL": siteurl, "STATIC_PATHS": ["images", f"{FOLDER}/wide.png"]}
    page = types.SimpleNamespace(
        _content=body, source_path=str(content_path / FOLDER / "page.md"), relative_dir=FOLDER, settings=settings
    )
    log = ProblemLog()
    size_images([page], index, settings, log)
    return page._content, log


def test_an_image_gets_the_size_of_its_file(site):
    body, log = sized(site, '<p><img alt="logo" src="/images/logo.svg"></p>')
    assert body == '<p><img alt="logo" src="/images/logo.svg" width="30" height="10"></p>'
    assert log.problems == []


def test_an_image_beside_the_page_points_at_its_url_with_its_size(site):
    body, _ = sized(site, '<img alt="w" src="wide.png"> <img alt="again" src="./wide.png#part">')
    assert body == (
        '<img alt="w" src="/pages/01-start/wide.png" width="400" height="200"> '
        '<img alt="again" src="/pages/01-start/wide.png#part" width="400" height="200">'
    )


def test_under_a_siteurl_both_kinds_of_image_are_sized(site):
    body, _ = sized(site, '<img src="https://example.org/base/images/logo.svg"><img src="wide.png">', "https://example.org/base/")
    assert body == (
        '<img src="https://example.org/base/images/logo.svg" width="30" height="10">'
        '<img src="https://example.org/base/pages/01-start/wide.png" width="400" height="200">'
    )


def test_a_static_image_is_sized_and_left_to_pelican(site):
    body, _ = sized(site, '<img src="{static}wide.png"><img src="{static}/images/logo.svg">')
    assert (
        body == '<img src="{static}wide.png" width="400" height="200"><img src="{static}/images/logo.svg" width="30" height="10">'
    )


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<img src="wide.png" width="300" height="7">', '<img src="/pages/01-start/wide.png" width="300" height="7">'),
        ('<img src="wide.png" width="100">', '<img src="/pages/01-start/wide.png" width="100" height="50">'),
        ('<img src="wide.png" height="100">', '<img src="/pages/01-start/wide.png" height="100" width="200">'),
        ('<img src="wide.png" width="50%">', '<img src="/pages/01-start/wide.png" width="50%">'),
        ('<img src="wide.png" HEIGHT="auto">', '<img src="/pages/01-start/wide.png" HEIGHT="auto">'),
        ('<img src="wide.png" width="²">', '<img src="/pages/01-start/wide.png" width="²">'),
        ("<img src=wide.png alt=x/>", '<img src="/pages/01-start/wide.png" alt=x/ width="400" height="200">'),
    ],
    ids=[
        "both set",
        "width set",
        "height set",
        "width in %",
        "height auto",
        "a digit that is not ASCII",
        "unquoted value ending in /",
    ],
)
def test_what_the_author_set_wins_and_one_side_keeps_the_ratio(site, tag, expected):
    assert sized(site, tag)[0] == expected


def test_a_self_closing_tag_stays_self_closing(site):
    assert (
        sized(site, '<img alt="x" src="/images/logo.svg" />')[0]
        == '<img alt="x" src="/images/logo.svg" width="30" height="10" />'
    )


def test_a_corrupt_image_is_a_warning_naming_the_page_and_the_file_and_stays_as_written(site):
    body, log = sized(site, '<img src="/images/broken.png">')
    assert body == '<img src="/images/broken.png">'
    [problem] = log.problems
    assert problem.severity == "warning"
    assert problem.path.endswith(os.path.join(FOLDER, "page.md"))
    assert problem.message.startswith("image /images/broken.png: ")
    assert "images/broken.png (a PNG file without its IHDR header)" in problem.message


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="https://example.org/photo.png">',
        '<img src="//cdn.example.org/photo.png">',
        '<img src="data:image/png;base64,AAAA">',
        '<img src="/images/not-published.png">',
        "<img alt=x>",
        '<!-- <img src="wide.png"> -->',
        '<code>&lt;img src="wide.png"&gt;</code>',
    ],
    ids=["outside", "protocol-relative", "data", "unpublished site path", "no src", "in a comment", "in code"],
)
def test_what_the_site_does_not_publish_is_left_alone_without_a_word(site, tag):
    body, log = sized(site, tag)
    assert body == tag
    assert log.problems == []


def test_a_link_to_an_image_beside_the_page_points_at_its_url(site):
    body, _ = sized(
        site, '<a href="wide.png"><img alt="" src="wide.png"></a> <a href="other.html">next</a> <abbr title="x">X</abbr>'
    )
    assert body == (
        '<a href="/pages/01-start/wide.png"><img alt="" src="/pages/01-start/wide.png" width="400" height="200"></a> '
        '<a href="other.html">next</a> <abbr title="x">X</abbr>'
    )


def test_escaped_characters_in_a_path_name_the_file(site):
    content_path, index = site
    (content_path / FOLDER / "a b&c.png").write_bytes(png(8, 4))
    index.static_sources[f"{FOLDER}/a b&c.png"] = f"/{FOLDER}/a b&c.png"
    body, _ = sized(site, '<img src="a%20b&amp;c.png">')
    assert body == '<img src="/pages/01-start/a%20b%26c.png" width="8" height="4">'
