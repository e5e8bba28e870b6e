"""The guide as a book: ``book/`` in the site, an EPUB and a PDF for A4 and US Letter.

The ``BOOK`` setting (False in pelicanconf.py, True in publishconf.py; `invoke book` is a build
with it on, `invoke serve` turns it off) makes the build write the book into the staged output,
which the build swaps in with every other file: a later build or preview never deletes a book it
did not replace, and a failed build leaves the previous one in place.

The books are made on ``all_generators_finalized``, once the bodies are final (links absolute,
images sized) and before Pelican renders a single page: :func:`plan_book` returns the context
value ``book_files`` (label, path, exact size in bytes) that the home page and the table of
contents show (``partials/book_links.html``), so the sizes printed are those of the very files
written on ``finalized`` by :func:`write_book`. With ``BOOK`` off, ``book_files`` is empty and the
pages carry no link to a book, so the link check holds either way.

Each format is a module with one function from the site's chapters to its files' bytes:
``epub.build_epub(chapters, index, settings)`` and ``pdf.build_pdfs(chapters, index, settings)``
(both papers at once). They are imported only when the book is built: a build without it needs neither
EbookLib nor WeasyPrint.
"""

from __future__ import annotations

import dataclasses
import importlib
import os

from guide.content.site_index import site_path
from guide.problems import ProblemLog

SETTING = "BOOK"
FOLDER = "book"


@dataclasses.dataclass(frozen=True)
class BookFile:
    label: str  #: "EPUB", "PDF (A4)"
    path: str  #: relative to the site: book/websockets-guide.epub
    bytes: int
    data: bytes = dataclasses.field(repr=False, compare=False)

    @property
    def size(self) -> str:
        """The size as a reader reads it: "1.2 MB", "850 KB"."""
        if self.bytes >= 1_000_000:
            return f"{self.bytes / 1_000_000:.1f} MB"
        return f"{max(1, round(self.bytes / 1000))} KB"


#: (label, file name, module, the key of its file among those the module makes) of each file of
#: the book, in the order shown.
FORMATS = (
    ("EPUB", "websockets-guide.epub", "epub", "epub"),
    ("PDF, A4", "websockets-guide-a4.pdf", "pdf", "a4"),
    ("PDF, US Letter", "websockets-guide-letter.pdf", "pdf", "letter"),
)
#: What each module makes in one call, by key: the PDF module lays out both papers side by side
#: (a layout takes half a minute of one CPU), so one call makes both.
BUILDERS = {
    "epub": lambda module, *arguments: {"epub": module.build_epub(*arguments)},
    "pdf": lambda module, *arguments: module.build_pdfs(*arguments),
}


def enabled(settings) -> bool:
    return settings.get(SETTING, False) is True


def check_book_setting(settings, log: ProblemLog, settings_file: str = "") -> None:
    """``BOOK`` (False when not set) is True or False: "no" would otherwise mean yes."""
    value = settings.setdefault(SETTING, False)
    if not isinstance(value, bool):
        log.add(settings_file, SETTING, f"{value!r}: set it to True (write the EPUB and PDF into book/) or False")


def book_paths(settings) -> list[str]:
    """The site paths the book will have (for the index, so a link to the book resolves)."""
    return [site_path(f"{FOLDER}/{name}") for _, name, _, _ in FORMATS] if enabled(settings) else []


def plan_book(chapters: list, index, settings, log: ProblemLog) -> dict:
    """Make the book's files (when ``BOOK`` is on) and the context value that lists them."""
    if not enabled(settings):
        return {"book_files": []}
    made = {}
    for module_name in dict.fromkeys(module for _, _, module, _ in FORMATS):
        module = _module(module_name, log)
        if module is not None:
            made[module_name] = BUILDERS[module_name](module, chapters, index, settings)
    files = [
        BookFile(label, f"{FOLDER}/{name}", len(made[module][key]), made[module][key])
        for label, name, module, key in FORMATS
        if module in made
    ]
    return {"book_files": files}


def _module(module_name: str, log: ProblemLog):
    try:
        return importlib.import_module(f"{__name__}.{module_name}")
    except ModuleNotFoundError as missing:
        log.add(
            "", SETTING, f"BOOK = True needs {missing.name}: run `python3 tasks.py book`, which installs it, or set BOOK = False"
        )
        return None


def write_book(files: list[BookFile], output_path: str) -> None:
    """Write the book's files into the (staged) output folder."""
    for book_file in files:
        target = os.path.join(output_path, book_file.path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as file:
            file.write(book_file.data)
