"""What the book holds: the guide's chapters and pages in reading order, each body ready for a book.

Every book format (:mod:`guide.build.book.epub`, :mod:`guide.build.book.pdf`) reads the same
:class:`Book`, made once per build by :func:`book_from_site` from the pages as the site renders
them (after the build has sized their images and made their links absolute). What differs
between formats is only where a link or an image points, so the format passes those in:

- ``resolve(slug, fragment) -> str``: the href of a guide page the book holds (``fragment`` is
  an element id already passed through ``anchor``, or ``""`` for the page's top). The EPUB
  answers ``slug.xhtml#id``, a single-document PDF ``#id``.
- ``anchor(slug, element_id) -> str``: the id an element of that page gets in the book; every id
  of a page goes through it, and so does every ``#fragment`` that points at one (``for``,
  ``aria-labelledby`` and ``aria-describedby`` too). The EPUB keeps ids as they are (one file a
  page), the PDF makes them unique across pages (``slug--id``).
- ``image_src(image) -> str``: the src of a :class:`BookImage` in the book.

A link to a site path the book does not hold (``/search.html``, a zip of examples) becomes an
absolute link to the published site under ``SITEURL``; without a ``SITEURL`` (a development build)
there is no address to give, so the link becomes its text. Links to other sites stay as they are.
Heading permalinks go (a book has its own navigation), collapsible blocks open up as callouts,
tabs become their blocks one after the other under their labels, and an image from another site
(a book carries no remote resource) becomes its text alternative.

Each page's body is an lxml tree; :attr:`BookPage.html` and :attr:`BookPage.xhtml` serialise it.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
from collections.abc import Callable

from jinja2 import Environment, FileSystemLoader
from lxml import etree
from lxml import html as lxml_html

from guide import pelican_internals

Resolve = Callable[[str, str], str]
Anchor = Callable[[str, str], str]
#: Attributes that name another element of the same page by its id.
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "headers")
SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Theme partials that page.html draws inside the prose, after the body: the book draws them too
#: (the troubleshooting index holds the anchors other pages link to).
BODY_PARTIALS = ("partials/error_index.html",)


def same_id(slug: str, element_id: str) -> str:
    return element_id


@dataclasses.dataclass(frozen=True)
class BookImage:
    site_path: str  #: "/images/frame-header.svg"
    source: str  #: the file under the content folder
    alt: str

    @property
    def name(self) -> str:
        """A file name unique in the book: the site path without its leading slash."""
        return self.site_path.lstrip("/")


@dataclasses.dataclass
class BookPage:
    slug: str
    title: str
    body: lxml_html.HtmlElement = dataclasses.field(repr=False)  #: a <div> holding the page's body
    images: list[BookImage] = dataclasses.field(default_factory=list)
    last_updated: datetime.date | None = None
    site_url: str = ""  #: the page on the published site, or "" without a SITEURL

    @property
    def html(self) -> str:
        """The body's content as HTML (for WeasyPrint)."""
        return "".join(_inner(self.body, "html"))

    @property
    def xhtml(self) -> str:
        """The body's content as well-formed XHTML (for the EPUB)."""
        return "".join(_inner(self.body, "xml"))


@dataclasses.dataclass
class BookChapter:
    number: str  #: "01"
    title: str
    description: str
    pages: list[BookPage]

    @property
    def slug(self) -> str:
        return f"chapter-{self.number}"


@dataclasses.dataclass
class Book:
    title: str
    subtitle: str
    author: str
    language: str
    siteurl: str
    date: datetime.date  #: the newest page's last-updated date (or SOURCE_DATE_EPOCH's day)
    chapters: list[BookChapter]
    pygments_style: str  #: the site's light highlighting style

    @property
    def pages(self) -> list[BookPage]:
        return [page for chapter in self.chapters for page in chapter.pages]

    @property
    def images(self) -> list[BookImage]:
        """Every image once, in order of first use."""
        seen: dict[str, BookImage] = {}
        for page in self.pages:
            for image in page.images:
                seen.setdefault(image.site_path, image)
        return list(seen.values())


def book_date(pages, environ=os.environ) -> datetime.date:
    """SOURCE_DATE_EPOCH's day when set (reproducible-builds.org), else the newest last-updated date."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    dates = [page.last_updated for page in pages if getattr(page, "last_updated", None)]
    return max(dates, default=datetime.date(1980, 1, 1))


def book_from_site(
    chapters: list,
    index,
    settings,
    resolve: Resolve,
    image_src: Callable[[BookImage], str],
    anchor: Anchor = same_id,
) -> Book:
    """The :class:`Book` of the site's ``chapters`` (:func:`guide.content.chapters.build_chapters`;
    published pages only, drafts never), with links and images as the format wants them."""
    siteurl = settings.get("SITEURL", "")
    images = {site: os.path.join(settings["PATH"], source) for source, site in index.static_sources.items()}
    chapters = [_published(chapter) for chapter in chapters]
    chapters = [chapter for chapter in chapters if chapter.pages]
    slugs = {f"/{page.url}": page.slug for chapter in chapters for page in chapter.pages}
    partials = _partials(settings)
    rewriter = _Rewriter(slugs, images, siteurl, resolve, anchor, image_src, partials)
    book_chapters = [
        BookChapter(chapter.number, chapter.title, chapter.description, [rewriter.page(page) for page in chapter.pages])
        for chapter in chapters
    ]
    all_pages = [page for chapter in chapters for page in chapter.pages]
    return Book(
        title=settings.get("SITENAME", ""),
        subtitle=settings.get("SITESUBTITLE", ""),
        author=settings.get("AUTHOR", ""),
        language=settings.get("DEFAULT_LANG", "en"),
        siteurl=siteurl,
        date=book_date(all_pages),
        chapters=book_chapters,
        pygments_style=settings.get("PYGMENTS_LIGHT_STYLE", "default"),
    )


def _published(chapter):
    from guide.content.drafts import PUBLISHED, status_of

    return dataclasses.replace(chapter, pages=[page for page in chapter.pages if status_of(page) == PUBLISHED])


@dataclasses.dataclass
class _Rewriter:
    slugs: dict[str, str]  #: "/slug.html" -> slug, for every page the book holds
    images: dict[str, str]  #: "/images/x.svg" -> its file
    siteurl: str
    resolve: Resolve
    anchor: Anchor
    image_src: Callable[[BookImage], str]
    partials: list = dataclasses.field(default_factory=list)

    def page(self, page) -> BookPage:
        text = (pelican_internals.body_html(page) or "") + "".join(partial.render(page=page) for partial in self.partials)
        body = lxml_html.fragment_fromstring(text, create_parent="div")
        book_page = BookPage(page.slug, page.title, body, [], getattr(page, "last_updated", None))
        if self.siteurl:
            book_page.site_url = f"{self.siteurl.rstrip('/')}/{page.url}"
        _drop_permalinks(body)
        _open_details(body)
        _flatten_tabs(body)
        self._ids(body, page.slug)
        self._links(body, page.slug)
        self._images(body, book_page)
        return book_page

    def _ids(self, body, slug: str) -> None:
        seen: set[str] = set()
        for element in body.iter(etree.Element):
            element_id = element.get("id")
            if element_id is None:
                continue
            unique, number = element_id, 1
            while unique in seen:  # a page's ids are unique on the site; the book keeps them so
                number += 1
                unique = f"{element_id}-{number}"
            seen.add(unique)
            element.set("id", self.anchor(slug, unique))
        for name in ID_REFERENCES:
            for element in body.iter(etree.Element):
                if element.get(name):
                    element.set(name, " ".join(self.anchor(slug, ref) for ref in element.get(name).split()))

    def _links(self, body, slug: str) -> None:
        for link in list(body.iter("a")):
            href = link.get("href")
            if href is None:
                continue
            target = self.link_target(href, slug)
            if target is None:
                _unwrap(link)
            else:
                link.set("href", target)

    def link_target(self, href: str, slug: str) -> str | None:
        """Where ``href`` (written on page ``slug``) points in the book; None: nowhere (keep the text)."""
        if href.startswith("#"):
            return self.resolve(slug, self.anchor(slug, href[1:]) if href[1:] else "")
        path = self._site_path(href)
        if path is None:
            return href  # another site, mailto:...
        page_path, _, fragment = path.partition("#")
        page_path = page_path.split("?", 1)[0]
        if page_path in self.slugs:
            target = self.slugs[page_path]
            return self.resolve(target, self.anchor(target, fragment) if fragment else "")
        if self.siteurl:
            return f"{self.siteurl.rstrip('/')}{path}"
        return None

    def _site_path(self, href: str) -> str | None:
        """``/path#fragment`` of a link into this site, else None."""
        base = self.siteurl.rstrip("/")
        if base and (href == base or href.startswith((f"{base}/", f"{base}#"))):
            return href[len(base) :] or "/"
        if href.startswith("//") or SCHEME_RE.match(href):
            return None
        return href if href.startswith("/") else f"/{href}"  # pages live at the site's root

    def _images(self, body, book_page: BookPage) -> None:
        for img in list(body.iter("img")):
            path = self._site_path(img.get("src", ""))
            source = self.images.get(path.split("#", 1)[0]) if path else None
            alt = img.get("alt", "")
            if not source:  # another site's image, or a file the site does not publish
                _replace_with_text(img, alt)
                continue
            image = BookImage(path, source, alt)
            book_page.images.append(image)
            img.set("src", self.image_src(image))
            img.set("alt", alt)


def _partials(settings) -> list:
    theme = os.path.join(settings.get("THEME", "theme"), "templates")
    environment = Environment(loader=FileSystemLoader(theme), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return [environment.get_template(name) for name in BODY_PARTIALS if os.path.exists(os.path.join(theme, name))]


def _drop_permalinks(body) -> None:
    for link in list(body.iter("a")):
        if "headerlink" in link.get("class", "").split():
            _remove(link)


def _open_details(body) -> None:
    """``<details class="note">`` (a collapsible callout) as an open callout: a book has no clicks."""
    for details in list(body.iter("details")):
        details.tag = "div"
        details.set("class", " ".join(["admonition", *details.get("class", "").split()]))
        details.attrib.pop("open", None)
        for summary in details.findall("summary"):
            summary.tag = "p"
            summary.set("class", "admonition-title")


def _flatten_tabs(body) -> None:
    """PyMdown's tabs (radio buttons and labels) as each block under its label."""
    for tab_set in list(body.find_class("tabbed-set")):
        labels = [label.text_content().strip() for label in tab_set.iterfind(".//div[@class='tabbed-labels']/label")]
        blocks = tab_set.xpath("./div[contains(@class, 'tabbed-content')]/div[contains(@class, 'tabbed-block')]")
        for element in list(tab_set):
            if element.tag == "input" or "tabbed-labels" in element.get("class", ""):
                _remove(element)
        for label, block in zip(labels, blocks, strict=False):
            title = etree.Element("p", {"class": "tab-label"})
            title.text = label
            block.insert(0, title)


def _remove(element) -> None:
    """Remove ``element``, keeping the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _unwrap(element) -> None:
    """Replace ``element`` with its content."""
    element.drop_tag()


def _replace_with_text(element, text: str) -> None:
    span = etree.Element("span", {"class": "image-alt"})
    span.text = text
    span.tail = element.tail
    element.getparent().replace(element, span)


def _inner(body, method: str):
    if body.text:
        yield _escape(body.text)
    for child in body:
        yield etree.tostring(child, method=method, encoding="unicode", with_tail=True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
