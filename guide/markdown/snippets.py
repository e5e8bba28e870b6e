"""PyMdown's Snippets (``--8<-- "file"``) stays off, and if a site turns it on, stays in the content.

With its default settings Snippets inserts any file the build can read (``--8<-- "/etc/passwd"``,
``--8<-- "../.git/config"``) into the published page: the hole the project's reStructuredText
reader closes for ``include``. So:

- The project's Markdown does not load it, and a Snippets line in a page is an error saying so
  (without the extension it would be published as a line of text, which is never what was meant).
- A site that adds ``pymdownx.snippets`` to ``MARKDOWN`` gets it confined, whatever it configured:
  snippets are read from the content folder only, never downloaded, and a snippet that is not
  there (or lies outside) fails the build instead of being skipped in silence.
"""

from __future__ import annotations

import re

from guide.markdown.code_fences import fence_spans

EXTENSION = "pymdownx.snippets"
#: A Snippets line as PyMdown reads it: ``--8<-- "path"`` or a bare ``--8<--`` opening a block.
SNIPPET_LINE_RE = re.compile(r"^[ \t]*-+8<-+(?:[ \t]+[\"'][^\"'\n]+[\"'])?[ \t]*$")


def snippets_enabled(settings) -> bool:
    return EXTENSION in settings.get("MARKDOWN", {}).get("extensions", [])


def confine_snippets(settings) -> None:
    """At ``initialized``: a site that turned Snippets on reads only its content folder."""
    if not snippets_enabled(settings):
        return
    configs = settings["MARKDOWN"].setdefault("extension_configs", {})
    configs[EXTENSION] = {
        **configs.get(EXTENSION, {}),
        "base_path": [settings["PATH"]],
        "restrict_base_path": True,
        "url_download": False,
        "check_paths": True,
    }


def snippet_lines(text: str) -> list[int]:
    """The 1-based lines outside code blocks that Snippets would replace with a file."""
    lines = text.split("\n")
    inside = set()
    for span in fence_spans(lines):
        inside.update(range(span.start, (span.end if span.end is not None else len(lines)) + 1))
    return [number + 1 for number, line in enumerate(lines) if number not in inside and SNIPPET_LINE_RE.match(line)]


SNIPPETS_OFF = (
    "--8<-- (Snippets) is off: it would publish files from outside the page; "
    "paste the text here, or write `--8<--` in backticks to show the marker itself"
)
