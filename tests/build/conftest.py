"""What the book's tests share: the guide built once with the book (the PDFs take half a minute),
for the EPUB and the PDF tests alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT, build_site

#: The published address the book's links to the site (search, downloads) are made under.
BOOK_SITEURL = "https://example.org/guide"


@pytest.fixture(scope="session")
def guide_with_book(tmp_path_factory) -> tuple[Path, str]:
    """The guide's own content built with BOOK = True into a private folder, and its SITEURL."""
    output = tmp_path_factory.mktemp("guide-book") / "out"
    build_site(ROOT / "content", output, overrides={"BOOK": True, "SITEURL": BOOK_SITEURL})
    return output, BOOK_SITEURL
