"""Every ``<img>`` of a page or post gets the width and height of its file.

A browser that knows an image's size before the file arrives keeps its place in the layout, so
the text below it does not jump when it loads; the theme's ``img { max-width: 100%; height:
auto }`` then scales it to the column, keeping that ratio. :func:`size_images` runs once per build
on the bodies (after :func:`~guide.content.site_links.absolutize_bodies`, which starts each body
afresh from what its author wrote): it points each image written beside its page
(``diagram.svg``) at the URL the file is published at, and adds ``width`` and ``height`` to each
image whose file the site publishes. What the author set wins: both are left alone, and with one
of them the other follows the file's ratio.

The sizes come from the files' headers, read here with the standard library alone: SVG (the root
element's ``width``/``height``, else its ``viewBox``), PNG (IHDR), GIF (the logical screen), JPEG
(the frame header, turned as its EXIF orientation says), WebP (VP8, VP8L, VP8X) and AVIF (the
largest ``ispe``). A file that cannot be read is a warning naming the page and the file; its
``<img>`` is left as it is. Each file is read once per build, and `invoke serve` reads it again
only when it changed (its size or modification time).
"""

from __future__ import annotations

import html
import math
import os
import stat
import struct
from collections.abc import Callable

from guide import pelican_internals
from guide.build.link_check import ATTR_RE, TAG_RE
from guide.build.memo import Reuse
from guide.content import page_images
from guide.content.site_links import site_url
from guide.problems import ProblemLog

#: How much of a file the readers look at: the size is in the first bytes of every format but
#: JPEG (whose frame header may follow 64 KiB segments of EXIF, XMP and ICC data, skipped).
HEAD_BYTES = 64 * 1024
#: SVG lengths in CSS pixels per unit (CSS Values 4); em, ex and % depend on where the SVG is drawn.
SVG_UNITS = {"": 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6}
MAX_SIDE = 1_000_000  #: a larger side is a broken header, not an image

_SIZES = Reuse()  #: (file, size, mtime) -> its (width, height), or why it cannot be read


class UnreadableImage(Exception):
    """The file's size cannot be told; the message says why, in an author's words."""


# --- Reading a file's size ---------------------------------------------------------------------


def image_size(path: str) -> tuple[int, int]:
    """(width, height) in CSS pixels of the image file at ``path``; raises UnreadableImage."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise UnreadableImage(f"cannot read it: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableImage("not a regular file")  # a pipe or a device: reading may never end
    try:
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
            reader = _reader_for(head, path)
            width, height = reader(head, file)
    except OSError as error:
        raise UnreadableImage(f"cannot read it: {error.strerror or error}") from None
    except (struct.error, IndexError, ValueError):
        raise UnreadableImage("its header is cut short or corrupt") from None
    return _whole_pixels(width, height)


def _reader_for(head: bytes, path: str) -> Callable:
    """The reader of the format the file's first bytes say, whatever its name says."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png_size
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return _gif_size
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _webp_size
    if head[4:8] == b"ftyp":
        return _avif_size
    if path.lower().endswith(".svg") or head.lstrip()[:1] == b"<":
        return _svg_size
    raise UnreadableImage("not an SVG, PNG, JPEG, GIF, WebP or AVIF file")


def _whole_pixels(width: float, height: float) -> tuple[int, int]:
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise UnreadableImage(f"its header gives a size of {width:g} x {height:g}")
    return max(1, round(width)), max(1, round(height))


def _png_size(head: bytes, file) -> tuple[int, int]:
    if head[12:16] != b"IHDR":
        raise UnreadableImage("a PNG file without its IHDR header")
    return struct.unpack(">II", head[16:24])


def _gif_size(head: bytes, file) -> tuple[int, int]:
    return struct.unpack("<HH", head[6:10])


#: JPEG markers of a frame header (SOF0-15 but DHT, JPG and DAC), which holds the image's size.
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
#: Markers without a length: TEM, RST0-7.
_JPEG_BARE = {0x01, *range(0xD0, 0xD8)}
_JPEG_MAX_SEGMENTS = 1000


def _jpeg_size(head: bytes, file) -> tuple[int, int]:
    """Segment by segment up to the frame header; EXIF orientations 5 to 8 turn the image a
    quarter, which browsers apply: width and height swap."""
    file.seek(2)
    turned = False
    for _ in range(_JPEG_MAX_SEGMENTS):
        marker = _next_jpeg_marker(file)
        if marker in _JPEG_BARE:
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before them
            break
        (length,) = struct.unpack(">H", _read_exactly(file, 2))
        if length < 2:
            break
        data = _read_exactly(file, length - 2) if marker == 0xE1 or marker in _JPEG_FRAMES else None
        if data is None:
            file.seek(length - 2, os.SEEK_CUR)
        elif marker == 0xE1:
            turned = turned or _exif_orientation(data) in (5, 6, 7, 8)
        else:
            height, width = struct.unpack(">HH", data[1:5])
            return (height, width) if turned else (width, height)
    raise UnreadableImage("a JPEG file without a frame header")


def _next_jpeg_marker(file) -> int:
    byte = _read_exactly(file, 1)
    if byte != b"\xff":
        raise UnreadableImage("a JPEG file whose segments are corrupt")
    while byte == b"\xff":  # any number of 0xFF may pad a marker
        byte = _read_exactly(file, 1)
    return byte[0]


def _read_exactly(file, count: int) -> bytes:
    data = file.read(count)
    if len(data) != count:
        raise UnreadableImage("its header is cut short")
    return data


def _exif_orientation(segment: bytes) -> int:
    """The Orientation tag (0x0112) of an APP1 EXIF segment's first directory; 0 without one."""
    if not segment.startswith(b"Exif\x00\x00"):
        return 0
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 0
    (first,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[first : first + 2])
    for entry in range(first + 2, first + 2 + 12 * count, 12):
        tag, kind = struct.unpack(order + "HH", tiff[entry : entry + 4])
        if tag == 0x0112 and kind == 3:  # a SHORT, in the entry's value field
            return struct.unpack(order + "H", tiff[entry + 8 : entry + 10])[0]
    return 0


def _webp_size(head: bytes, file) -> tuple[int, int]:
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy: the key frame's start code
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20] == 0x2F:  # lossless: 14 bits each, minus one
        (bits,) = struct.unpack("<I", head[21:25])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":  # extended: the canvas, 24 bits each, minus one
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    raise UnreadableImage("a WebP file of a kind this build does not know")


def _avif_size(head: bytes, file) -> tuple[int, int]:
    """The largest image spatial extent (``ispe``) in meta/iprp/ipco: the primary image's, as a
    thumbnail's is smaller and an alpha plane's the same."""
    if not any(brand in head[8:64] for brand in (b"avif", b"avis")):
        raise UnreadableImage("not an AVIF file (an ISO media file of another brand)")
    extents = []
    for kind, start, end in _boxes(head, 0, len(head)):
        if kind == b"meta":
            for kind2, start2, end2 in _boxes(head, start + 4, end):  # meta is a full box: version, flags
                if kind2 == b"iprp":
                    for kind3, start3, end3 in _boxes(head, start2, end2):
                        if kind3 == b"ipco":
                            extents += [
                                struct.unpack(">II", head[s + 4 : s + 12])
                                for k, s, _ in _boxes(head, start3, end3)
                                if k == b"ispe"
                            ]
    if not extents:
        raise UnreadableImage("an AVIF file without its size (no ispe box)")
    return max(extents, key=lambda extent: extent[0] * extent[1])


def _boxes(data: bytes, start: int, end: int):
    """(type, content start, content end) of each ISO media box in ``data[start:end]``."""
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[position + 8 : position + 16])
            header = 16
        elif size == 0:
            size = end - position
        if size < header:
            raise UnreadableImage("an AVIF file whose boxes are corrupt")
        yield kind, position + header, min(position + size, end)
        position += size


def _svg_size(head: bytes, file) -> tuple[float, float]:
    """The root element's width and height in absolute units; else its viewBox, scaled to the
    one absolute length given (browsers draw it so)."""
    attributes = _svg_root_attributes(head.decode("utf-8", errors="replace"))
    width, height = _svg_length(attributes.get("width")), _svg_length(attributes.get("height"))
    if width and height:
        return width, height
    box = _view_box(attributes.get("viewbox"))
    if box is None:
        raise UnreadableImage("an SVG file without width and height in pixels or a viewBox")
    if width:
        return width, width * box[1] / box[0]
    if height:
        return height * box[0] / box[1], height
    return box


def _svg_root_attributes(text: str) -> dict[str, str]:
    """The attributes of the first element, past the XML declaration, comments and doctype."""
    position = 0
    while True:
        position = text.find("<", position)
        if position < 0:
            break
        if text.startswith("<?", position):
            position = _past(text, "?>", position)
        elif text.startswith("<!--", position):
            position = _past(text, "-->", position)
        elif text.startswith("<!", position):  # a doctype, perhaps with an internal subset
            bracket, close = text.find("[", position), text.find(">", position)
            position = _past(text, "]>", bracket) if 0 <= bracket < close else _past(text, ">", position)
        else:
            tag = TAG_RE.match(text, position)
            if tag is None or tag[1].lower().rpartition(":")[2] != "svg":
                break
            return {name.lower(): html.unescape(value) for name, value in _attributes(tag[2])}
    raise UnreadableImage("no <svg> element at the start of the file")


def _past(text: str, end: str, position: int) -> int:
    found = text.find(end, position)
    if found < 0:
        raise UnreadableImage("an SVG file cut short before its <svg> element")
    return found + len(end)


def _svg_length(value: str | None) -> float | None:
    """A length in CSS pixels, or None for none, a relative one (%, em) or a bad one."""
    if not value:
        return None
    text = value.strip().lower()
    unit = text[-2:] if text[-2:].isalpha() else text[-1:] if text[-1:] == "q" else ""
    try:
        number = float(text[: len(text) - len(unit)])
    except ValueError:
        return None
    factor = SVG_UNITS.get(unit)
    return number * factor if factor and math.isfinite(number) and number > 0 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    parts = (value or "").replace(",", " ").split()
    if len(parts) != 4:
        return None
    try:
        width, height = float(parts[2]), float(parts[3])
    except ValueError:
        return None
    return (width, height) if math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0 else None


def _attributes(text: str):
    """(name, value) of each attribute in a start tag's attribute text (link_check's grammar)."""
    for attr in ATTR_RE.finditer(text):
        value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
        if value is not None:
            yield attr[1], value


def known_size(path: str) -> tuple[int, int] | str:
    """The file's (width, height), or why it cannot be read; asked again only when it changed."""
    try:
        status = os.stat(path)
    except OSError as error:
        return f"cannot read it: {error.strerror or error}"

    def read() -> tuple[int, int] | str:
        try:
            return image_size(path)
        except UnreadableImage as error:
            return str(error)

    return _SIZES.get((path, status.st_size, status.st_mtime_ns, status.st_ino), read)


# --- The bodies -------------------------------------------------------------------------------


def size_images(contents: list, index, settings, log: ProblemLog) -> None:
    """Point each image beside its page at its URL and give every published image its size.

    Runs on the bodies :func:`~guide.content.site_links.absolutize_bodies` has just made from what
    their authors wrote, so each build starts from the authored text.
    """
    files = page_images.PublishedFiles(index, settings)
    for content in contents:
        body = pelican_internals.body_html(content)
        if body:
            pelican_internals.set_body_html(content, sized_body(content, body, files, log))


def sized_body(content, body: str, files: page_images.PublishedFiles, log: ProblemLog) -> str:
    """``body`` with each ``<img>`` sized, and each image written beside the page (in an ``<img
    src>`` or an ``<a href>``) pointed at its URL."""
    lowered = body.lower()
    if "<img" not in lowered and not any(suffix in lowered for suffix in page_images.IMAGE_SUFFIXES):
        return body  # most bodies: no image, no link to one
    tags = sorted([*page_images.iter_tags(body, "img"), *page_images.iter_tags(body, "a")], key=lambda tag: tag.start)
    parts, position = [], 0
    for tag in tags:
        new = _sized_tag(content, tag, files, log) if tag.name == "img" else _linked_image(content, tag, files)
        if new is not None:
            parts += [body[position : tag.start], new]
            position = tag.end
    return "".join(parts) + body[position:] if parts else body


def _linked_image(content, tag: page_images.Tag, files: page_images.PublishedFiles) -> str | None:
    href = tag.attributes.get("href")
    url = files.linked_image_url(content, href.value) if href else None
    return tag.replaced(href, _url_attribute("href", files, url)) if url else None


def _url_attribute(name: str, files: page_images.PublishedFiles, url: str) -> str:
    return f'{name}="{html.escape(site_url(files.siteurl, url), quote=True)}"'


def _sized_tag(content, tag: page_images.Tag, files: page_images.PublishedFiles, log: ProblemLog) -> str | None:
    """The tag as it should be, or None to leave it as it is."""
    src = tag.attributes.get("src")
    if src is None:
        return None
    source, url = files.image_for(content, src.value)
    if source is None:
        return None  # an outside image, or one the validation reported
    text = tag.text
    if url is not None:  # written beside the page: its published URL, under SITEURL
        text = tag.replaced(src, _url_attribute("src", files, url))
    width, height = tag.attributes.get("width"), tag.attributes.get("height")
    if width is not None and height is not None:
        return text
    size = known_size(files.path_of(source))
    if isinstance(size, str):
        log.warn(
            content.source_path,
            "body",
            f"image {src.value}: cannot tell its size from {source} ({size}); it is shown without width and height",
        )
        return text
    return _with_size(text, size, width.value if width else None, height.value if height else None)


def _with_size(tag: str, size: tuple[int, int], width: str | None, height: str | None) -> str:
    """The tag with the width and height it lacks, keeping the file's ratio to the one given."""
    file_width, file_height = size
    if width is not None or height is not None:
        given = _pixels(width if width is not None else height)
        if given is None:
            return tag  # "50%" or "auto": the author's choice, which no ratio can follow
        if width is not None:
            added = f'height="{max(1, round(given * file_height / file_width))}"'
        else:
            added = f'width="{max(1, round(given * file_width / file_height))}"'
    else:
        added = f'width="{file_width}" height="{file_height}"'
    # "/>" closes the tag only after a space or a quote: in <img src=a/>, the "/" is the URL's.
    closing = "/>" if tag.endswith("/>") and tag[-3:-2] in (" ", "\t", "\n", '"', "'") else ">"
    return f"{tag[: -len(closing)].rstrip()} {added}{' ' if closing == '/>' else ''}{closing}"


def _pixels(value: str) -> int | None:
    """A width or height attribute as HTML reads it: a whole number of pixels, or None."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 7 else None
