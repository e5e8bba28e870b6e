"""Python-Markdown extension: a table column's alignment as a class, not an inline style.

The tables extension writes ``style="text-align: right;"`` on each cell of an aligned column
(``|---:|``), which the site's Content-Security-Policy (``style-src 'self'``) refuses, and its
other choice, the ``align`` attribute, is obsolete HTML. A class (``align-right``) styled by
the theme keeps the column aligned under the CSP and valid.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

ALIGN_RE = re.compile(r"^text-align: (left|center|right);$")


class TableAlignTreeprocessor(Treeprocessor):
    def run(self, root) -> None:
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            match = ALIGN_RE.match(cell.get("style", ""))
            if match:
                del cell.attrib["style"]
                classes = [*cell.get("class", "").split(), f"align-{match[1]}"]
                cell.set("class", " ".join(classes))


class TableAlignExtension(Extension):
    def extendMarkdown(self, md) -> None:
        # After the inline patterns (20) and attr_list (8 is later): cells exist and are final.
        md.treeprocessors.register(TableAlignTreeprocessor(md), "guide_table_align", 1)


def makeExtension(**kwargs):
    return TableAlignExtension(**kwargs)
