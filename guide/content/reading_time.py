"""Reading time, "N min read", from the words of a page's or post's prose.

The words are those of the rendered body a reader reads as text: paragraphs, lists, tables,
headings, callouts and inline code. Code blocks (``<pre>``, and the project's ``<figure
class="code">`` with its head: language, file name, "tested") are left out: a reader studies or
skips a listing, at no steady words-per-minute rate, and a page that is mostly code would
otherwise claim a long read. So are the headings' permalink marks (``#``), which are no words.
At :data:`WORDS_PER_MINUTE`, rounded up, at least one minute.
"""

from __future__ import annotations

import math
from html.parser import HTMLParser

from guide.build import memo

#: A common figure for technical prose read on screen (plain prose is nearer 230-250).
WORDS_PER_MINUTE = 220
#: Elements whose text is not prose a reader reads through.
SKIPPED = frozenset({"pre", "script", "style", "svg", "template"})

_COUNTS = memo.Reuse()  #: body HTML -> its prose word count


class _ProseWords(HTMLParser):
    """Counts the words of the text outside skipped elements (:func:`skipped`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words = 0
        self.skipped_tag = ""  #: the tag of the skipped element the parser is in, or ""
        self.depth = 0  #: how many elements of that tag are open, itself included

    def handle_starttag(self, tag, attrs) -> None:
        if self.skipped_tag:
            self.depth += tag == self.skipped_tag
        elif skipped(tag, dict(attrs).get("class") or ""):
            self.skipped_tag, self.depth = tag, 1

    def handle_startendtag(self, tag, attrs) -> None:
        pass  # <svg/>, <br/>: nothing inside to skip

    def handle_endtag(self, tag) -> None:
        if tag == self.skipped_tag:
            self.depth -= 1
            if not self.depth:
                self.skipped_tag = ""

    def handle_data(self, data) -> None:
        if not self.skipped_tag:
            self.words += sum(1 for token in data.split() if any(char.isalnum() for char in token))


def skipped(tag: str, classes: str) -> bool:
    """Code blocks with their heads (the project's ``figure.code``), and what is no text at all."""
    return tag in SKIPPED or (tag == "figure" and "code" in classes.split())


def prose_words(body_html: str) -> int:
    """How many words a reader reads in a rendered body, code blocks left out."""
    parser = _ProseWords()
    parser.feed(body_html)
    parser.close()
    return parser.words


def minutes_to_read(words: int, per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes, rounded up; never less than one (an empty page is still a page to open)."""
    return max(1, math.ceil(words / per_minute))


def add_reading_times(contents: list, body_of) -> None:
    """Give each page or post its ``reading_minutes``; ``body_of(content)`` is its body HTML."""
    for content in contents:
        html = body_of(content) or ""
        content.reading_minutes = minutes_to_read(_COUNTS.get(html, lambda: prose_words(html)))  # noqa: B023  get calls it at once
