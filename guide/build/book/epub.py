"""The guide as an EPUB 3 book, made with EbookLib: ``book/websockets-guide.epub``.

One XHTML document per chapter opener and per page, in reading order (a cover first, then the
navigation document); the navigation document and the NCX list each chapter with its pages.
Links between pages point inside the book (:mod:`guide.build.book.content` rewrites them with
:func:`resolve`); the diagrams are the site's SVG files with their alt text; the code keeps the
site's highlighting, with the light Pygments style's CSS inside the book. No script and no remote
resource: epubcheck accepts it with no error and no warning (tests/build/test_book_epub.py).

Deterministic: EbookLib stamps the zip entries with the time of writing and lets the modified
date default to now, so the date comes from the newest page's last-updated date
(:func:`guide.build.book.content.book_date`) and :func:`repack` writes the zip again with fixed
dates, modes and compression, ``mimetype`` first and the rest sorted. The identifier is a UUID
derived from ``SITEURL`` (or the site's name), stable from build to build.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import uuid
import zipfile

from ebooklib import epub
from pygments.formatters import HtmlFormatter

from guide.build.book.content import Book, BookChapter, BookImage, BookPage, book_from_site

FILE_NAME = "websockets-guide.epub"
STYLESHEET = "style/book.css"
COVER_IMAGE = "images/cover.svg"
ZIP_LEVEL = 9
FILE_MODE = 0o644
UNIX = 3  #: the zip "made by" system: the same bytes whichever system builds it
MEDIA_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip

#: The book's own layout; the highlighting rules are added from the site's light Pygments style.
BOOK_CSS = """\
body { font-family: serif; line-height: 1.45; margin: 0 0.5em; }
h1, h2, h3, h4 { font-family: sans-serif; line-height: 1.2; page-break-after: avoid; }
h1 { font-size: 1.6em; margin: 0.5em 0 0.8em; }
a { color: #0b5cad; }
code, pre, kbd { font-family: monospace; font-size: 0.85em; }
pre { white-space: pre-wrap; word-wrap: break-word; background: #f6f8fa; border: 1px solid #d0d7de; padding: 0.5em; }
figure { margin: 1em 0; }
figure.code { page-break-inside: avoid; }
figcaption.code-head { font-family: sans-serif; font-size: 0.8em; color: #444; }
.code-head span + span { margin-left: 0.8em; }
.code-tested { font-weight: bold; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
.align-right { text-align: right; }
.align-center { text-align: center; }
.admonition { border-left: 4px solid #0b5cad; padding: 0.2em 0.8em; margin: 1em 0; background: #f3f6fa; }
.admonition.warning, .admonition.danger { border-left-color: #b3261e; }
.admonition-title, .tab-label { font-family: sans-serif; font-weight: bold; }
.chapter-number { font-family: sans-serif; color: #555; margin-bottom: 0; }
.chapter-description { font-style: italic; }
.page-source { font-size: 0.8em; color: #555; }
.cover { margin: 0; padding: 0; text-align: center; }
.cover img { max-width: 100%; max-height: 100%; }
nav ol { list-style: none; padding-left: 1em; }
"""

DOCUMENT = """\
<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head>
<meta charset="utf-8"/>
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{stylesheet}"/>
</head>
<body{body_class}>
{body}
</body>
</html>
"""


class Document(epub.EpubHtml):
    """An XHTML document written here in full: EbookLib's own rendering re-parses the body as HTML
    and pretty-prints it, which would add line breaks inside ``<pre>``."""

    def __init__(self, uid: str, file_name: str, title: str, xhtml: str, lang: str) -> None:
        super().__init__(uid=uid, file_name=file_name, title=title, lang=lang)
        self.content = xhtml.encode("utf-8")

    def get_content(self, default=None) -> bytes:
        return self.content


def page_file(slug: str) -> str:
    return f"{slug}.xhtml"


def resolve(slug: str, fragment: str) -> str:
    return page_file(slug) + (f"#{fragment}" if fragment else "")


def image_src(image: BookImage) -> str:
    return image.name  # documents sit at the top of the book's folder, images under it at their site path


def build_epub(chapters: list, index, settings) -> bytes:
    """The EPUB of the site's ``chapters`` (what :mod:`guide.build.book` calls)."""
    return render_epub(book_from_site(chapters, index, settings, resolve, image_src))


def render_epub(book: Book) -> bytes:
    ebook = epub.EpubBook()
    ebook.set_identifier(identifier(book))
    ebook.set_title(book.title)
    ebook.set_language(book.language)
    if book.author:
        ebook.add_author(book.author)
    ebook.add_metadata("DC", "date", book.date.isoformat())
    if book.subtitle:
        ebook.add_metadata("DC", "description", book.subtitle)
    ebook.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css", content=stylesheet(book).encode()))
    ebook.set_cover(COVER_IMAGE, cover_svg(book).encode("utf-8"), create_page=False)
    cover = document(book, "cover", "cover.xhtml", book.title, cover_body(book), body_class="cover")
    documents = [cover]
    toc = []
    for chapter in book.chapters:
        opener = document(book, chapter.slug, page_file(chapter.slug), chapter.title, chapter_body(chapter))
        pages = [document(book, f"page-{page.slug}", page_file(page.slug), page.title, page_body(page)) for page in chapter.pages]
        documents += [opener, *pages]
        toc.append((epub.Section(chapter.title, opener.file_name), pages))
    for image in book.images:
        with open(image.source, "rb") as file:
            ebook.add_item(epub.EpubItem(uid=item_id("image", image.name), file_name=image.name, media_type=media_type(image.name), content=file.read()))  # fmt: skip
    for item in documents:
        ebook.add_item(item)
    nav = epub.EpubNav(title="Contents")
    nav.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    ebook.add_item(nav)
    ebook.add_item(epub.EpubNcx())
    ebook.toc = toc
    ebook.spine = [cover, nav, *documents[1:]]
    ebook.guide = [
        {"type": "cover", "href": cover.file_name, "title": "Cover"},
        {"type": "toc", "href": nav.file_name, "title": "Contents"},
    ]
    if len(documents) > 1:
        ebook.guide.append({"type": "text", "href": documents[1].file_name, "title": "Start of the guide"})
    modified = datetime.datetime.combine(book.date, datetime.time(), tzinfo=datetime.UTC)
    buffer = io.BytesIO()
    epub.write_epub(buffer, ebook, {"mtime": modified, "epub3_pages": False, "raise_exceptions": True})
    return repack(buffer.getvalue(), modified)


def identifier(book: Book) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, book.siteurl or book.title)}"


def item_id(kind: str, name: str) -> str:
    """A manifest id (an XML name) from a file name."""
    return f"{kind}-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in name)


def media_type(name: str) -> str:
    return MEDIA_TYPES[os.path.splitext(name)[1].lower()]


def stylesheet(book: Book) -> str:
    highlight = HtmlFormatter(style=book.pygments_style).get_style_defs(".highlight")
    return (
        f"{BOOK_CSS}/* Code highlighting: the Pygments style {book.pygments_style!r}, as on the site (light). */\n{highlight}\n"
    )


def document(book: Book, uid: str, file_name: str, title: str, body: str, body_class: str = "") -> Document:
    text = DOCUMENT.format(
        lang=book.language,
        title=html.escape(title),
        stylesheet=STYLESHEET,
        body_class=f' class="{body_class}"' if body_class else "",
        body=body,
    )
    return Document(uid, file_name, title, text, book.language)


def cover_body(book: Book) -> str:
    alt = html.escape(f"{book.title}, {long_date(book.date)}")
    return f'<section epub:type="cover"><img src="{COVER_IMAGE}" alt="{alt}"/></section>'


def chapter_body(chapter: BookChapter) -> str:
    number = html.escape(f"Chapter {int(chapter.number)}")
    parts = [f'<section epub:type="part"><p class="chapter-number">{number}</p><h1>{html.escape(chapter.title)}</h1>']
    if chapter.description:
        parts.append(f'<p class="chapter-description">{html.escape(chapter.description)}</p>')
    parts.append("<ol>")
    parts += [f'<li><a href="{page_file(page.slug)}">{html.escape(page.title)}</a></li>' for page in chapter.pages]
    parts.append("</ol></section>")
    return "\n".join(parts)


def page_body(page: BookPage) -> str:
    source = ""
    if page.site_url:
        url = html.escape(page.site_url)
        source = f'<p class="page-source">Online: <a href="{url}">{url}</a></p>\n'
    return f'<section epub:type="chapter">\n<h1>{html.escape(page.title)}</h1>\n{page.xhtml}\n{source}</section>'


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def cover_svg(book: Book) -> str:
    """The cover image: the title, subtitle and date on a plain background, drawn the same every time."""
    lines = wrap(book.title, 16)
    title = "".join(f'<tspan x="300" dy="{0 if n == 0 else 62}">{html.escape(line)}</tspan>' for n, line in enumerate(lines))
    subtitle_lines = wrap(book.subtitle, 38)
    subtitle = "".join(
        f'<tspan x="300" dy="{0 if n == 0 else 30}">{html.escape(line)}</tspan>' for n, line in enumerate(subtitle_lines)
    )
    subtitle_y = 260 + 62 * len(lines) + 40
    return f"""<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800" viewBox="0 0 600 800">
<title>{html.escape(book.title)}</title>
<rect width="600" height="800" fill="#0b3d6e"/>
<rect x="40" y="40" width="520" height="720" fill="none" stroke="#8fb8e0" stroke-width="3"/>
<text x="300" y="260" fill="#ffffff" font-family="sans-serif" font-size="52" font-weight="bold" text-anchor="middle">{title}</text>
<text x="300" y="{subtitle_y}" fill="#dce9f5" font-family="sans-serif" font-size="24" text-anchor="middle">{subtitle}</text>
<text x="300" y="700" fill="#ffffff" font-family="sans-serif" font-size="26" text-anchor="middle">{html.escape(long_date(book.date))}</text>
</svg>
"""


def wrap(text: str, width: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word takes a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def repack(data: bytes, modified: datetime.datetime) -> bytes:
    """The zip again, with nothing of the time or machine of the build: ``mimetype`` first and
    stored (as EPUB requires), every other entry sorted, with the book's date and fixed modes."""
    stamp = max(modified, datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        names = ["mimetype", *sorted(name for name in entries if name != "mimetype")]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = UNIX
            info.external_attr = FILE_MODE << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, entries[name], compresslevel=ZIP_LEVEL)
    return out.getvalue()
