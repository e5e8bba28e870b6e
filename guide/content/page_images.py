"""Images beside their page: ``content/pages/03-servers/diagram.svg`` next to the page that shows it.

A page shows such an image as ``![Diagram](diagram.svg)``: a path relative to the page's own
folder, as in MkDocs, or Pelican's ``{static}diagram.svg``, which means the same. The file is
published at the same path below the site as below the content folder,
``/pages/03-servers/diagram.svg``: Pelican's own place for a static file (so ``{static}`` needs
nothing more), which can clash neither with a page (pages publish at ``/{slug}.html``) nor with
``content/images/`` (``/images/...``, unchanged). The image of a post in ``content/blog/`` is
published below ``/blog/`` likewise. The build points a relative ``<img src>`` at that URL, and
a relative ``<a href>`` that names such an image (:mod:`guide.content.image_sizes`); a relative
``src`` that names no published file is an error naming the page and the path
(:func:`reference_problems`, called by the validation). ``{attach}`` is refused: it would move
the file next to the page's URL, the site's root, where two chapters' ``diagram.svg`` collide.

Only images (:data:`IMAGE_SUFFIXES`) are published from the folders of pages and posts: the
pages' Markdown, notes or scripts beside them never reach the site. Pelican publishes whatever a
``{static}`` link names, even ``{static}notes.txt`` beside a page or ``{static}../../.git/config``
outside the content folder, which it would also copy outside the output folder:
:func:`keep_published_links` leaves Pelican only the links to files the site publishes anyway,
and the validation names each other one as an error.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import html
import os
import posixpath
import re
import stat
from collections.abc import Iterator
from urllib.parse import quote, unquote, urlsplit

from guide import pelican_internals
from guide.build.link_check import ATTR_RE, TAG_RE
from guide.build.memo import Reuse
from guide.problems import ProblemLog

#: What the folders of pages and posts publish (lower case); nothing else beside a page does.
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif")
#: Pelican's link markers that name a content file of the site's static files.
STATIC_MARKERS = ("static", "attach")

_REFERENCES = Reuse()  #: (body, page folder, marker pattern) -> its local references


def is_image(path: str) -> bool:
    return path.lower().endswith(IMAGE_SUFFIXES)


# --- Before reading: which files beside the pages are published ----------------------------------


def content_folders(settings) -> list[str]:
    """The folders Pelican reads pages and posts from, relative to the content folder."""
    folders = []
    for setting in ("PAGE_PATHS", "ARTICLE_PATHS"):
        for configured in settings.get(setting, ()):
            folder = posixpath.normpath(configured.replace(os.sep, "/")) if configured else "."
            if folder not in folders:
                folders.append(folder)
    return folders


def images_beside_pages(settings) -> tuple[list[str], list[str]]:
    """(the image files in the folders of pages and posts, relative to the content folder; the
    files among them that are not regular files). Hidden files and folders are left out."""
    content_path = settings["PATH"]
    images, special = [], []
    for folder in content_folders(settings):
        top = os.path.join(content_path, folder)
        for path, dirs, files in os.walk(top):  # links to folders are not followed (source_files checks them)
            dirs[:] = sorted(name for name in dirs if not name.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or not is_image(name):
                    continue
                full = os.path.join(path, name)
                relative = os.path.relpath(full, content_path).replace(os.sep, "/")
                (images if _is_regular(full) else special).append(relative)
    return sorted(set(images)), special


def _is_regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # a broken link: Pelican's static generator says so


def publish_images_beside_pages(settings, log: ProblemLog) -> None:
    """``initialized``: add the images beside pages and posts to STATIC_PATHS, one file each.

    A pipe or a device named like an image would hold the build forever: it is an error.
    """
    images, special = images_beside_pages(settings)
    for relative in special:
        log.add(
            os.path.join(settings["PATH"], relative),
            "file",
            "not a regular file (a pipe or a device), which the site cannot publish; remove it",
        )
    static_paths = list(settings.get("STATIC_PATHS", ()))
    settings["STATIC_PATHS"] = static_paths + [image for image in images if not _under(image, static_paths)]


def _under(path: str, folders) -> bool:
    """True when ``path`` (relative to the content folder) is one of ``folders`` or below one."""
    for configured in folders:
        folder = posixpath.normpath(configured) if configured else "."
        if folder == "." or path == folder or path.startswith(folder + "/"):
            return True
    return False


def keep_published_links(generator) -> None:
    """``article_generator_finalized``, ``page_generator_finalized``: Pelican's static generator
    publishes every file a ``{static}`` link names. Only the links to files it publishes anyway
    (below STATIC_PATHS, which hold the images beside pages) are left to it: a link to any other
    file, or out of the content folder, publishes nothing; the validation names it."""
    links = pelican_internals.linked_static_files(generator.context)
    static_paths = generator.settings.get("STATIC_PATHS", ())
    for link in list(links):
        if not (_inside(link) and posixpath.normpath(link) == link and _under(link, static_paths)):
            links.discard(link)


def _inside(path: str | None) -> bool:
    """True for a path relative to the content folder that stays inside it."""
    return bool(path) and not posixpath.isabs(path) and path != ".." and not path.startswith("../")


# --- In a body: the tags and the files they name -------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Attribute:
    name: str  #: lower case
    value: str  #: with its character references replaced
    start: int  #: where the attribute starts and ends in its tag's text
    end: int


@dataclasses.dataclass(frozen=True)
class Tag:
    name: str  #: lower case
    start: int  #: where the tag starts and ends in the body
    end: int
    text: str
    attributes: dict[str, Attribute]

    def replaced(self, attribute: Attribute, new: str) -> str:
        """The tag's text with ``attribute`` (its name and value) written ``new``."""
        return self.text[: attribute.start] + new + self.text[attribute.end :]


def iter_tags(body: str, name: str | None = None) -> Iterator[Tag]:
    """The start tags of a body (only those named ``name``, when given), outside comments.

    Each is matched with the link checker's grammar (:data:`guide.build.link_check.TAG_RE`)
    where a ``<`` starts it, so the body is read once, and text between tags not at all.
    """
    lowered = body.lower()
    comments = _Comments(body)
    opening = f"<{name}" if name else "<"
    position = lowered.find(opening)
    while position >= 0:
        match = None if comments.hide(position) else TAG_RE.match(body, position)
        if match and (name is None or match[1].lower() == name):
            yield _tag(match)
            position = lowered.find(opening, match.end())
        else:
            position = lowered.find(opening, position + 1)


def _tag(match: re.Match) -> Tag:
    attributes = {}
    offset = match.start(2) - match.start()
    for attr in ATTR_RE.finditer(match[2]):
        value = next((v for v in attr.group(2, 3, 4) if v is not None), "")
        name = attr[1].lower()
        if name not in attributes:  # as in browsers, the first of two is the one that counts
            unescaped = html.unescape(value) if "&" in value else value
            attributes[name] = Attribute(name, unescaped, offset + attr.start(), offset + attr.end())
    return Tag(match[1].lower(), match.start(), match.end(), match[0], attributes)


class _Comments:
    """Where a body's ``<!-- comments -->`` are: a tag in one is not a tag."""

    def __init__(self, body: str) -> None:
        self.starts, self.ends = [], []
        position = body.find("<!--")
        while position >= 0:
            end = body.find("-->", position + 4)
            end = len(body) if end < 0 else end + 3
            self.starts.append(position)
            self.ends.append(end)
            position = body.find("<!--", end)

    def hide(self, position: int) -> bool:
        at = bisect.bisect_right(self.starts, position) - 1
        return at >= 0 and position < self.ends[at]


@dataclasses.dataclass(frozen=True)
class Reference:
    """A URL in a body that names a file of the content folder."""

    written: str  #: as the author wrote it
    how: str  #: "relative" (to the page's folder), "static" or "attach" (Pelican's {static}, {attach})
    source: str | None  #: the file it names, relative to the content folder; None: out of it
    is_image: bool  #: in an <img src>
    suffix: str = ""  #: its query and fragment, as written ("#layer-2")

    def label(self) -> str:
        return f"{'image' if self.is_image else 'link'} {self.written}"


def marker_pattern(settings) -> re.Pattern:
    """Pelican's ``{what}`` link marker at the start of a URL (INTRASITE_LINK_REGEX)."""
    return re.compile("(?:" + settings.get("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]") + ")")


def local_reference(value: str, page_folder: str, markers: re.Pattern, is_img: bool, relative: bool = False) -> Reference | None:
    """The content file a URL names, marked ``{static}`` or, in an image (or when ``relative``),
    relative to the page's folder (``diagram.svg``); None for anything else: site paths
    (``/images/x.svg``), outside URLs, ``{filename}`` links, fragments."""
    marked = markers.match(value)
    if marked:
        how = marked.group("what")
        if how not in STATIC_MARKERS:
            return None
        path = value[marked.end() :]
    elif (is_img or relative) and value and not value.startswith(("/", "#", "?", "\\")):
        how, path = "relative", value
    else:
        return None
    try:
        parts = urlsplit(path)
    except ValueError:
        return Reference(value, how, None, is_img)
    if how == "relative" and (parts.scheme or parts.netloc):
        return None  # https://..., data:..., //host/...
    path = unquote(parts.path).replace("\\", "/")
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(page_folder, path)
    source = posixpath.normpath(joined) if joined else ""
    if path.endswith("/") and source not in ("", "."):
        source += "/"  # names a folder (normpath would make it look like a file)
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return Reference(value, how, source if _inside(source) else None, is_img, suffix)


def references(body: str, page_folder: str, markers: re.Pattern) -> tuple[Reference, ...]:
    """The local references of a body: relative ``<img src>`` and ``{static}`` URLs in any tag."""

    def find() -> tuple[Reference, ...]:
        found = []
        any_marker = any(marker + end in body for marker in STATIC_MARKERS for end in "}|")  # {static} or |static|
        for tag in iter_tags(body, None if any_marker else "img"):
            for attribute in tag.attributes.values():
                is_img = tag.name == "img" and attribute.name == "src"
                if is_img or (any_marker and markers.match(attribute.value)):
                    reference = local_reference(attribute.value, page_folder, markers, is_img)
                    if reference is not None:
                        found.append(reference)
        return tuple(found)

    return _REFERENCES.get((body, page_folder, markers.pattern), find)


class PublishedFiles:
    """The files the site publishes (STATIC_PATHS and the images beside pages), by source and by URL."""

    def __init__(self, index, settings) -> None:
        self.content_path = settings["PATH"]
        self.siteurl = (settings.get("SITEURL") or "").rstrip("/")
        self.static_paths = list(settings.get("STATIC_PATHS", ()))
        self.markers = marker_pattern(settings)
        self.by_source: dict[str, str] = index.static_sources  #: source -> site path
        self._by_url: dict[str, str] | None = None

    @property
    def by_url(self) -> dict[str, str]:
        """Site path -> source (made on first use: the validation needs only by_source)."""
        if self._by_url is None:
            self._by_url = {url: source for source, url in self.by_source.items()}
        return self._by_url

    def path_of(self, source: str) -> str:
        return os.path.join(self.content_path, *source.split("/"))

    def image_for(self, content, src: str) -> tuple[str | None, str | None]:
        """(the published file an ``<img src>`` shows, relative to the content folder; the URL
        to write in its place, percent-encoded, when it is written relative to its page, else None).
        (None, None) for an outside image or one that names no published file."""
        reference = local_reference(src, page_folder(content), self.markers, is_img=True)
        if reference is not None:
            url = self.by_source.get(reference.source) if reference.how != "attach" else None
            written = quote(url) + reference.suffix if reference.how == "relative" else None
            return (reference.source, written) if url else (None, None)
        path = src[len(self.siteurl) :] if self.siteurl and src.startswith(self.siteurl + "/") else src
        if not path.startswith("/") or path.startswith("//"):
            return None, None
        source = self.by_url.get(unquote(path.split("#", 1)[0].split("?", 1)[0]))
        return source, None

    def linked_image_url(self, content, href: str) -> str | None:
        """The URL of the image beside the page a relative ``<a href>`` names (``[full
        size](diagram.svg)``), else None: other relative links are left as written."""
        if not is_image(href.split("#", 1)[0].split("?", 1)[0]):
            return None  # most links: a fragment, a page, another site
        reference = local_reference(href, page_folder(content), self.markers, is_img=False, relative=True)
        if reference is None or reference.how != "relative" or not is_image(reference.source or ""):
            return None
        url = self.by_source.get(reference.source)
        return quote(url) + reference.suffix if url else None

    def problem(self, reference: Reference) -> str | None:
        """What is wrong with a reference, or None when it names a file the site publishes."""
        label = reference.label()
        if reference.how == "attach":
            static = "{static}" + reference.written[len("{attach}") :] if reference.written.startswith("{attach}") else "{static}"
            return (
                f"{label}: {{attach}} would move the file to the folder of this page's URL, the site's root; "
                f"write {static} or the path alone"
            )
        if reference.source is None:
            return f"{label} leads out of the content folder; put the file beside the page and write its name"
        if reference.source in self.by_source:
            return None
        full = self.path_of(reference.source)
        if os.path.isdir(full):
            return f"{label} names the folder {reference.source}, not a file"
        if os.path.exists(full) and not is_image(reference.source):
            return (
                f"{label} names {reference.source}, which is not an image: only images ({', '.join(IMAGE_SUFFIXES)}) "
                f"beside a page are published; put other files in a folder of STATIC_PATHS ({', '.join(self._folders())})"
            )
        if os.path.exists(full) and posixpath.basename(reference.source).startswith("."):
            return f"{label} names {reference.source}, a hidden file, which the site does not publish; rename it"
        if os.path.exists(full):
            where = ", ".join(self._folders())
            return f"{label} names {reference.source}, which the site does not publish; put it beside the page or in {where}"
        return f"{label}: no file {reference.source} in the content folder{self._hint(reference.source)}"

    def _folders(self) -> list[str]:
        folders = [path for path in self.static_paths if os.path.isdir(self.path_of(path))]
        return [f"{os.path.basename(self.content_path.rstrip(os.sep))}/{path}/" for path in folders] or ["STATIC_PATHS"]

    def _hint(self, source: str) -> str:
        """A published file of the same folder with a name close to the one written."""
        folder, name = posixpath.split(source)
        near = {posixpath.basename(s): s for s in self.by_source if posixpath.dirname(s) == folder}
        close = difflib.get_close_matches(name, list(near), n=1, cutoff=0.6)
        return f" (did you mean {near[close[0]]}?)" if close else ""


def page_folder(content) -> str:
    """The folder of a page's or post's source, relative to the content folder ("pages/01-start")."""
    return content.relative_dir


def reference_problems(content, body: str, files: PublishedFiles) -> list[str]:
    """One message per relative image or ``{static}`` link of a body that names no published file."""
    found = references(body, page_folder(content), files.markers)
    return [message for message in dict.fromkeys(files.problem(reference) for reference in found) if message]
