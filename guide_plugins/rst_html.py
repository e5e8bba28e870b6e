"""reStructuredText posts: inline literals as ``<code>``, like the Markdown pages.

Pelican renders reStructuredText with docutils' HTML 4 writer, which writes ``literal`` as the
obsolete ``<tt>`` element; the Nu Html Checker rejects it. Its own ``code`` role already writes
``<code>``, so every literal is given that role's class.
"""

from __future__ import annotations

from pelican.readers import PelicanHTMLTranslator, PelicanHTMLWriter, RstReader


class _Translator(PelicanHTMLTranslator):
    def visit_literal(self, node) -> None:
        if "code" not in node["classes"]:
            node["classes"].append("code")
        super().visit_literal(node)


class _Writer(PelicanHTMLWriter):
    def __init__(self) -> None:
        super().__init__()
        self.translator_class = _Translator


class GuideRstReader(RstReader):
    writer_class = _Writer


def use_guide_rst_reader(readers) -> None:
    """The ``readers_init`` signal: read .rst files with :class:`GuideRstReader`."""
    for extension in GuideRstReader.file_extensions:
        readers.reader_classes[extension] = GuideRstReader
