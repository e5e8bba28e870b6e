"""The book as PDF: every guide page in one HTML document, laid out by WeasyPrint for A4 and US Letter.

One document, so links between pages are links inside the PDF: the book's content
(:mod:`guide.build.book.content`) prefixes each page's ids with its slug, and links to another
guide page become ``#slug--id`` through :func:`resolve`. The stylesheet beside this module,
``pdf.css``, does the book's layout: title page, table of contents whose page numbers WeasyPrint
fills in (``target-counter``), running headers with the chapter and page (``string-set``), page
numbers, bookmarks from the chapter, page and section headings (``bookmark-level``), code that
wraps, the light Pygments colours (appended here, from the site's own light style).

Deterministic: the metadata dates are the book's date, WeasyPrint writes no other clock or random
value without a PDF/A or PDF/UA variant, and the file identifier is a hash of the bytes. Nothing
is fetched from the network: :func:`local_files_only` serves files under the content folder and
refuses anything else, and a refused address fails the build with one line per address; what
WeasyPrint logs becomes a warning of the build (so ``--strict`` and publishing stop on it).
Diagrams stay vector drawings (WeasyPrint draws SVG itself); their ``font: bold 14px ...``
shorthands are spelled out first, which WeasyPrint 70 needs to draw that text at all.

A layout takes about half a minute of one CPU per paper: :func:`build_pdfs` lays out both papers
at once, one process each; :func:`build_pdf` is the one-paper form.
"""

from __future__ import annotations

import contextlib
import logging
import mimetypes
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from html import escape
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from pygments.formatters import HtmlFormatter

from guide.build.book import SETTING
from guide.build.book.content import book_from_site
from guide.build_state import build_state
from guide.problems import ContentError, Problem

#: The paper sizes the book is laid out for -> the CSS ``size`` of each.
PAPERS = {"a4": "A4", "letter": "letter"}
STYLESHEET = Path(__file__).with_name("pdf.css")


class PdfRefused(Exception):
    """The book asked for something outside its files (a web address, a file elsewhere)."""

    def __init__(self, refused: list[str]):
        self.refused = refused
        super().__init__("; ".join(refused))


def resolve(slug: str, fragment: str) -> str:
    """The href of a guide page (``#slug``) or of an element of it (``fragment``, already ``slug--id``)."""
    return f"#{fragment}" if fragment else f"#{slug}"


def anchor(slug: str, element_id: str) -> str:
    """An element's id in the book: unique across pages, as every page is in one document."""
    return f"{slug}--{element_id}"


def image_src(image) -> str:
    """An image's src: its file under the content folder, which :func:`local_files_only` serves."""
    return Path(image.source).resolve().as_uri()


def build_pdf(chapters: list, index, settings, paper: str) -> bytes:
    """The PDF of the site's ``chapters`` on ``paper`` ("a4", "letter"): what :mod:`guide.build.book` calls."""
    return build_pdfs(chapters, index, settings, (paper,))[paper]


def build_pdfs(chapters: list, index, settings, papers=tuple(PAPERS)) -> dict[str, bytes]:
    """The PDF of the site's ``chapters`` on each paper, laid out side by side on as many CPUs.

    Images are read from the content folder and nothing else. WeasyPrint's warnings (a CSS
    property it ignores, an image it cannot read) become warnings of the build, so ``--strict``
    and the publish build stop on them; an address outside the content folder is an error.
    """
    book = book_from_site(chapters, index, settings, resolve, image_src, anchor)
    markup = book_html(book)
    jobs = [(markup, paper, [settings["PATH"]], book.pygments_style) for paper in papers]
    workers = min(len(jobs), os.cpu_count() or 1)
    # A layout takes half a minute of one CPU: one process per paper, forked like the other
    # workers of the build (guide.build.parallel_read, social_cards), so on Linux only.
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_render_job, jobs))
    else:
        results = [_render_job(job) for job in jobs]
    refused = [url for _, _, urls in results for url in urls]
    if refused:
        message = "the PDF book cannot read {}: it reads files of the content folder only; use one there"
        raise ContentError([Problem("", SETTING, message.format(url)) for url in dict.fromkeys(refused)])
    state = build_state(settings)
    for paper, (_, warnings, _) in zip(papers, results, strict=True):
        for warning in warnings:
            state.problems.warn("", SETTING, f"PDF book ({paper}): WeasyPrint: {warning}")
    return {paper: data for paper, (data, _, _) in zip(papers, results, strict=True)}


def _render_job(job) -> tuple[bytes, list[str], list[str]]:
    """(PDF, WeasyPrint's warnings, refused addresses) of one paper: in a worker process, plain data only."""
    markup, paper, roots, light_style = job
    with weasyprint_warnings() as warnings:
        try:
            return render(markup, paper, roots, light_style).write_pdf(pdf_identifier=True), warnings, []
        except PdfRefused as refused:
            return b"", warnings, refused.refused


def pdf_bytes(book, paper: str, roots: list[str]) -> bytes:
    """The PDF of a :class:`~guide.build.book.content.Book` made with this module's :func:`resolve`,
    :func:`anchor` and :func:`image_src`; it may read files under ``roots`` only (:class:`PdfRefused`)."""
    return render(book_html(book), paper, roots, book.pygments_style).write_pdf(pdf_identifier=True)


def render(markup: str, paper: str, roots: list[str], light_style: str):
    """WeasyPrint's laid-out Document for the book's HTML (pages, anchors, links, bookmarks)."""
    from weasyprint import CSS, HTML  # imported here: a build without the book never loads it

    fetcher = local_files_only(roots)
    base = Path(roots[0]).resolve().as_uri() + "/"
    stylesheets = [CSS(string=book_css(paper, light_style), url_fetcher=fetcher, base_url=base)]
    document = HTML(string=markup, base_url=base, url_fetcher=fetcher).render(stylesheets=stylesheets)
    if fetcher.refused:
        raise PdfRefused(fetcher.refused)
    return document


@contextlib.contextmanager
def weasyprint_warnings():
    """Collect what WeasyPrint logs (warnings and errors) instead of letting it print to stderr."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage().strip())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def book_css(paper: str, light_style: str) -> str:
    """The book's stylesheet for one paper size, then the code colours of the site's light style."""
    if paper not in PAPERS:
        raise ValueError(f"paper {paper!r}: choose one of {', '.join(PAPERS)}")
    page_size = f"@page {{ size: {PAPERS[paper]}; }}\n"
    colours = HtmlFormatter(style=light_style).get_style_defs(".highlight")
    return page_size + STYLESHEET.read_text(encoding="utf-8") + "\n" + colours + "\n"


def book_html(book) -> str:
    """The whole book as one HTML document: title page, contents, then each chapter and its pages."""
    stamp = f"{book.date.isoformat()}T00:00:00Z"  # the metadata's dates: the book's, never the clock
    head = [
        '<meta charset="utf-8">',
        f"<title>{escape(book.title)}</title>",
        f'<meta name="dcterms.created" content="{stamp}">',
        f'<meta name="dcterms.modified" content="{stamp}">',
    ]
    if book.author:
        head.append(f'<meta name="author" content="{escape(book.author)}">')
    if book.subtitle:
        head.append(f'<meta name="description" content="{escape(book.subtitle)}">')
    body = [title_page(book), contents(book.chapters), *(chapter_html(chapter) for chapter in book.chapters)]
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(book.language or "en")}">\n<head>{"".join(head)}</head>\n<body>\n'
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def title_page(book) -> str:
    day = f"{book.date.day} {book.date:%B %Y}"
    lines = [f'<p class="book-title">{escape(book.title)}</p>']
    if book.subtitle:
        lines.append(f'<p class="book-subtitle">{escape(book.subtitle)}</p>')
    lines.append(f'<p class="book-date"><time datetime="{book.date.isoformat()}">{day}</time></p>')
    if book.siteurl:
        lines.append(f'<p class="book-site"><a href="{escape(book.siteurl)}">{escape(book.siteurl)}</a></p>')
    return f'<section class="title-page">{"".join(lines)}</section>'


def contents(chapters: list) -> str:
    """The table of contents: each chapter, its pages; the stylesheet adds their page numbers."""
    items = []
    for chapter in chapters:
        pages = "".join(f'<li><a href="#{page.slug}">{escape(page.title)}</a></li>' for page in chapter.pages)
        items.append(f'<li class="toc-chapter"><a href="#{chapter.slug}">{escape(chapter.title)}</a><ol>{pages}</ol></li>')
    return f'<nav class="contents"><p class="contents-title">Contents</p><ol>{"".join(items)}</ol></nav>'


def chapter_html(chapter) -> str:
    lead = f'<p class="chapter-description">{escape(chapter.description)}</p>' if chapter.description else ""
    pages = "\n".join(
        f'<article class="page" id="{page.slug}"><h2 class="page-title">{escape(page.title)}</h2>\n'
        f'<div class="page-body">{page.html}</div></article>'
        for page in chapter.pages
    )
    return f'<section class="chapter" id="{chapter.slug}"><h1 class="chapter-title">{escape(chapter.title)}</h1>{lead}\n{pages}</section>'


def local_files_only(roots: list[str]):
    """WeasyPrint's URL fetcher for the book: files under ``roots``, nothing else (no network).

    A refused address is remembered (and answered with an error WeasyPrint only logs), so that
    :func:`render` can fail the book naming every one of them. Defined on first use: importing
    WeasyPrint takes over a second, which a build without the book should not pay.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFilesOnly(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.roots = [Path(root).resolve() for root in roots]
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            path = local_path(url, self.roots)
            if path is None:
                self.refused.append(url)
                raise ValueError(f"the book reads only files under its own folders: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = path.read_bytes()
            if content_type == "image/svg+xml":
                data = expand_font_shorthands(data.decode("utf-8")).encode("utf-8")
            return URLFetcherResponse(path.as_uri(), data, {"Content-Type": content_type})

    return LocalFilesOnly()


def local_path(url: str, roots: list[Path]) -> Path | None:
    """The file a ``file:`` URL names when it is under one of ``roots`` and exists; None otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()  # resolve: no way out through .. or a link
    if not path.is_file() or not any(path.is_relative_to(root) for root in roots):
        return None
    return path


#: ``font:`` in an SVG's style, up to the end of its declaration.
FONT_SHORTHAND_RE = re.compile(r"(?<![\w-])font\s*:\s*([^;{}\"<>\n]*)")
FONT_KEYWORDS = {
    "italic": "font-style",
    "oblique": "font-style",
    "small-caps": "font-variant",
    "bold": "font-weight",
    "bolder": "font-weight",
    "lighter": "font-weight",
    **{str(weight): "font-weight" for weight in range(100, 1000, 100)},
}


def expand_font_shorthands(svg: str) -> str:
    """An SVG's ``font: bold 14px family`` as longhands, which WeasyPrint's SVG renderer needs.

    WeasyPrint 70 reads an SVG's ``font`` as "size family" only: with a weight or a style first,
    the text is not drawn at all (browsers draw it). Longhands mean the same to every renderer.
    """
    return FONT_SHORTHAND_RE.sub(_longhands, svg)


def _longhands(match: re.Match) -> str:
    following = match.string[match.end() : match.end() + 2]
    if following[:1] == '"' and following[1:].isalnum():  # a quoted family in a <style>: leave it be
        return match.group(0)
    words = match.group(1).strip().split(None)
    declarations = []
    while words and words[0].lower() in FONT_KEYWORDS | {"normal": ""}:
        word = words.pop(0).lower()
        if FONT_KEYWORDS.get(word):
            declarations.append(f"{FONT_KEYWORDS[word]}:{word}")
    if not words or not any(char.isdigit() for char in words[0]):
        return match.group(0)  # not a shorthand this reads ("inherit", a quoted family): as written
    size = words.pop(0).split("/", 1)[0]  # "14px/1.2": the line height means nothing in SVG text
    declarations.append(f"font-size:{size}")
    if words:
        declarations.append(f"font-family:{' '.join(words)}")
    return ";".join(declarations)
