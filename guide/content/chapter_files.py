"""A chapter's own file: ``_chapter.md`` in the chapter's folder of pages gives its title and description::

    # content/pages/03-servers/_chapter.md
    title: Servers in Python
    description: Which Python library or framework to serve WebSockets with, and how each one works.

The folder's first two digits say which chapter the file describes: ``03-servers`` is chapter 03,
the pages whose ``sort-order`` starts with 03. The header is read like a page's
(:func:`guide.content.front_matter.read_header`) and checked against the schema's ``chapter``
fields (:mod:`guide.content.schema`); the file holds nothing else, and text below its header is a
warning, since nothing would show it. Pelican never reads the file (its name joins
``IGNORE_FILES``): it is not a page, and nothing of it is published but its title and description.

A chapter's title is the first of: its ``_chapter.md``, ``[chapters]`` in ``guide.toml``,
``CHAPTERS`` in the Pelican settings (:func:`chapter_titles`), then the title of its first page
(:func:`guide.content.chapters.build_chapters`). A ``_chapter.md`` and ``guide.toml`` that give one
chapter two titles is a warning naming both files.

The sort-order decides a page's chapter, as it always has; a page whose folder names another
chapter (``03-servers/x.md`` with ``sort-order: 0402``) is a warning (:func:`check_page_folders`).
A folder whose name does not start with two digits and a hyphen names no chapter and is not
checked; a ``_chapter.md`` in one is an error, since it would describe nothing.

The files are read as the build starts, before Pelican reads anything, and defensively (the tree
may come from a pull request): a link out of the tree is left to :mod:`guide.content.source_files`,
a pipe or a device is never opened, and at most :data:`MAX_BYTES` are read.
"""

from __future__ import annotations

import collections
import dataclasses
import difflib
import os
import re
import stat

from guide.content import front_matter, schema
from guide.content.chapters import guide_pages, sort_key
from guide.content.front_matter import FieldProblem, did_you_mean
from guide.problems import ERROR, WARNING, ProblemLog, display_path

FILE_NAME = "_chapter.md"
#: A chapter file is a short header: a larger one is a mistake (or an attack), not a chapter.
MAX_BYTES = 64 * 1024
#: ``03-servers``: chapter 03. ASCII digits only, as in a sort-order.
FOLDER_NUMBER_RE = re.compile(r"([0-9]{2})-")
#: The setting that holds the descriptions, by chapter number (``CHAPTERS`` holds the titles).
DESCRIPTIONS_SETTING = "CHAPTER_DESCRIPTIONS"


@dataclasses.dataclass(frozen=True)
class ChapterFile:
    path: str
    number: str  #: "03"
    title: str
    description: str = ""


def folder_number(path: str) -> str | None:
    """The chapter the folder of ``path`` names (``.../03-servers/x.md``: "03"), or None."""
    match = FOLDER_NUMBER_RE.match(os.path.basename(os.path.dirname(path)))
    return match[1] if match else None


def ignore_chapter_files(settings) -> None:
    """Pelican reads no ``_chapter.md`` as a page, nor copies one as a static file."""
    ignored = list(settings.get("IGNORE_FILES") or [])
    if FILE_NAME not in ignored:
        settings["IGNORE_FILES"] = [*ignored, FILE_NAME]  # a new list: the default one is shared


# --- One file's text ---------------------------------------------------------------------------


def read_chapter_text(text: str) -> tuple[dict[str, str], list[FieldProblem]]:
    """The fields of a chapter file (each one's first value) and its problems: a field unknown,
    given twice or on several lines, a title missing or empty, text below the header."""
    header = front_matter.read_header(text)
    known = schema.suggestions(schema.CHAPTER)
    fields: dict[str, str] = {}
    for field in header.fields:
        fields.setdefault(field.name, field.value)
    unknown = [name for name in fields if name not in known]
    # check_header's line for an unknown name speaks of pages (Pelican's names, overrides): the
    # chapter's own line below replaces it.
    problems = [problem for problem in front_matter.check_header(header, schema.CHAPTER) if problem.field not in unknown]
    problems += [
        FieldProblem(name, f"unknown field{did_you_mean(name, known)}; a chapter file has {' and '.join(known)}")
        for name in unknown
    ]
    meant = {close for name in unknown for close in difflib.get_close_matches(name, known, n=1)}  # as did_you_mean
    given = {name: value for name, value in fields.items() if name in known}
    for problem in front_matter.check_fields(given, schema.CHAPTER):
        name = problem.field
        if name in meant and name not in given:
            continue  # ``titel: A``: one mistake, the unknown field's line says which name it meant
        if name in given and not given[name]:  # written, without a value: not "missing"
            example = schema.field_named(name).example
            problems.append(FieldProblem(name, f"empty; write the chapter's {name} after `{name}:`, e.g. `{name}: {example}`"))
        else:
            problems.append(problem)
    if header.fields and header.stray is None:
        problems += _text_below(text, header)
    return given, problems


def _text_below(text: str, header: front_matter.Header) -> list[FieldProblem]:
    """A warning for the first line below the header, which nothing shows."""
    last = max([field.line for field in header.fields] + [line for line, _ in header.continued])
    lines = text.split("\n")
    for number in range(last, len(lines)):
        line = lines[number]
        if not line.strip() or (number == last and front_matter.MD_END_RE.match(line)):
            continue  # the blank line (or the closing ---) that ends the header
        if front_matter.MD_FIELD_RE.match(line):
            message = "this field is below the blank line that ends the header, so it is not read; remove the blank line above it"
        else:
            message = "text below the header is shown nowhere; put one sentence in `description:` and remove the rest"
        return [FieldProblem(f"line {number + 1}", message, warning=True)]
    return []


# --- The files of a content tree ---------------------------------------------------------------


def find_chapter_files(content_path: str) -> list[str]:
    """Every ``_chapter.md`` below the content folder (folders of that name too: each is a mistake)."""
    found = []
    for folder, dirs, files in os.walk(content_path):  # links are not followed: source_files checks them
        found += [os.path.join(folder, name) for name in dirs + files if name == FILE_NAME]
    return sorted(found)


def read_chapter_files(settings, log: ProblemLog) -> dict[str, ChapterFile]:
    """The chapter files of the tree at ``settings["PATH"]``, by chapter number; their problems go to ``log``."""
    content_path = settings["PATH"]
    chapters: dict[str, ChapterFile] = {}
    for path in find_chapter_files(content_path):
        text = _read(path, content_path, log)
        if text is None:
            continue
        fields, problems = read_chapter_text(text)
        for problem in problems:
            log.add(path, problem.field, problem.message, WARNING if problem.warning else ERROR)
        number = _chapter_number(path, settings, log)
        if number is None or any(not problem.warning for problem in problems):
            continue
        if number in chapters:
            log.add(
                path, "file", f"chapter {number} already has {display_path(chapters[number].path)}; keep one file per chapter"
            )
        else:
            chapters[number] = ChapterFile(path, number, fields["title"], fields.get("description", ""))
    return chapters


def _read(path: str, content_path: str, log: ProblemLog) -> str | None:
    """The text of a chapter file, or None once its problem is in the log."""
    root = os.path.realpath(content_path)
    if os.path.commonpath([root, os.path.realpath(path)]) != root:
        return None  # a link out of the tree: source_files reports it, and it is never read
    try:
        status = os.stat(path)
    except FileNotFoundError:
        log.add(path, "file", f"a link to {os.path.realpath(path)}, which does not exist; fix or remove the link")
        return None
    if stat.S_ISDIR(status.st_mode):
        log.add(path, "file", f"a folder: a chapter's title and description go in a file named {FILE_NAME}; rename the folder")
        return None
    if not stat.S_ISREG(status.st_mode):  # reading a pipe or a device may never end
        log.add(path, "file", "not a regular file (a pipe or a device), which the build cannot read; remove it")
        return None
    too_large = f"a chapter file is a short header (title, description) of at most {MAX_BYTES // 1024} KiB; shorten it"
    if status.st_size > MAX_BYTES:
        log.add(path, "file", f"{status.st_size / 1024:.0f} KiB; {too_large}")
        return None
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as error:
        log.add(path, "file", f"cannot read it: {error.strerror or error}; check its permissions")
        return None
    if len(data) > MAX_BYTES:
        log.add(path, "file", f"more than {MAX_BYTES // 1024} KiB; {too_large}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        log.add(path, "encoding", f"not valid UTF-8 (byte 0x{data[error.start]:02x} on line {line}); save the file as UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as Pelican's readers see lines


def _chapter_number(path: str, settings, log: ProblemLog) -> str | None:
    """The chapter a file's folder names, or None once the log says why it names none."""
    relative = os.path.relpath(path, settings["PATH"])
    page_folders = [os.path.normpath(folder) if folder else "" for folder in settings.get("PAGE_PATHS", ())]
    example = os.path.join(page_folders[0] if page_folders else "pages", "03-name", FILE_NAME)
    if os.path.dirname(relative) == "" or not any(not f or relative.startswith(f + os.sep) for f in page_folders):
        log.add(path, "file", f"a chapter file goes in a chapter's folder of pages (e.g. {example}); move it there")
        return None
    folder = os.path.basename(os.path.dirname(path))
    number = folder_number(path)
    if number is None:
        log.add(
            path,
            "file",
            f"its folder {folder!r} names no chapter: name the folder NN-name, NN being the first two digits "
            f"of its pages' sort-order (e.g. 03-{folder})",
        )
    elif number == "00":
        log.add(path, "file", f"its folder {folder!r} names chapter 00, but chapters start at 01; rename the folder")
        return None
    return number


# --- Titles, descriptions and folders across the tree ----------------------------------------


def chapter_titles(files: dict[str, ChapterFile], tree_titles: dict, fallback: dict, tree_file: str, log: ProblemLog) -> dict:
    """Each chapter's title: its ``_chapter.md``'s, else ``guide.toml``'s (``tree_titles``, from
    ``tree_file``), else the Pelican settings' ``CHAPTERS`` (``fallback``)."""
    titles = {**(fallback if isinstance(fallback, dict) else {}), **tree_titles}
    for number, chapter in sorted(files.items()):
        listed = tree_titles.get(number)
        if listed and listed != chapter.title:
            log.warn(
                chapter.path,
                "title",
                f"{chapter.title!r} differs from {listed!r}, chapter {number}'s title under [chapters] in "
                f"{display_path(tree_file)}; this file's title wins: remove {number} from [chapters] there",
            )
        titles[number] = chapter.title
    return titles


def title_hint(number: str, page_path: str, tree_file: str) -> str:
    """What to add to give chapter ``number`` (whose first page is ``page_path``) a title."""
    if folder_number(page_path) == number:
        return f"add {display_path(os.path.join(os.path.dirname(page_path), FILE_NAME))} with a line `title: ...`"
    return f'add "{number}" = "Title" under [chapters] in {display_path(tree_file)}'


def check_page_folders(pages: list, log: ProblemLog) -> None:
    """A warning for each page in a chapter's list whose folder names another chapter: the
    sort-order wins, but the next author looks for the page in the folder. A sort-order that
    two pages share is an error of its own (validation.check_unique), which this one would echo."""
    listed = guide_pages(pages, drafts=True)  # the drafts the build shows are in their chapters too
    shared = {order for order, count in collections.Counter(map(sort_key, listed)).items() if count > 1}
    for page in listed:
        folder_chapter, chapter = folder_number(page.source_path), sort_key(page)[:2]
        if folder_chapter is not None and folder_chapter != chapter and sort_key(page) not in shared:
            folder = os.path.basename(os.path.dirname(page.source_path))
            log.warn(
                page.source_path,
                "sort-order",
                f"{sort_key(page)} puts this page in chapter {chapter}, but its folder is {folder}; the sort-order wins "
                f"(move the file to chapter {chapter}'s folder, or change its sort-order)",
            )
