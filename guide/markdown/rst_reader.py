"""reStructuredText posts: safe to publish, docutils' messages as problems of the build, literals as ``<code>``.

Safety. A post must not publish a file of the build machine (``include``, the ``:file:`` and
``:url:`` options of ``csv-table`` and ``raw``: ``.git/config`` holds CI's token) nor raw HTML,
unless the site trusts every author (``RST_RAW_HTML = True``). The reader sets docutils'
``file_insertion_enabled`` off and ``raw_enabled`` to that setting on the final settings of each
document, after Pelican's, ``DOCUTILS_SETTINGS`` and any docutils.conf, so none turns them back on.

Messages. Left to itself, docutils writes a "System Message" box into the page and a line to
stderr; with Pelican's settings it stops at the first warning, and Pelican says only "Could not
process X". Here docutils writes nothing and reads to the end: an observer on the document's
reporter collects every message with its line, and each becomes a problem of the build (level 3
and above an error; a warning, which --strict fails on, below). A disabled directive or role is an
error. The problems travel in the read metadata, so a file Pelican takes from its cache or from a
worker process (see :mod:`guide.build.parallel_read`) reports them too, and are taken out of it before
Pelican makes the post (:func:`report_docutils_problems`).

Literals. Pelican renders reStructuredText with docutils' HTML 4 writer, which writes ``literal``
as the obsolete ``<tt>`` element; the Nu Html Checker rejects it. Its own ``code`` role already
writes ``<code>``, so every literal is given that role's class.
"""

from __future__ import annotations

import io
import re

import docutils.core
import docutils.io
from docutils.readers import standalone
from pelican.readers import PelicanHTMLTranslator, PelicanHTMLWriter, RstReader

from guide import pelican_internals
from guide.build_state import build_state
from guide.problems import ERROR, WARNING

RAW_HTML_SETTING = "RST_RAW_HTML"  #: True lets `.. raw:: html` and raw roles through (trusted authors only)
PROBLEMS_KEY = "guide_docutils_problems"  #: read metadata -> [(path, field, message, severity)]

_WARNING_LEVEL, _ERROR_LEVEL = 2, 3  # docutils' levels: 1 info, 2 warning, 3 error, 4 severe
_NEVER = 5  # a level above every message: docutils neither stops nor shows one in the page

# docutils reports what it refused as level 2 warnings, in these words; here they are errors that
# say what to write instead.
_ANOTHER_FILE = "the site must not publish files of the build machine"
_RAW_HTML = "raw HTML could put any script on the site; write reStructuredText instead (a site whose authors are all trusted may set RST_RAW_HTML = True)"
_DISABLED_DIRECTIVE_RE = re.compile(r'"(?P<name>[\w-]+)" directive disabled\.')
_FILE_ACCESS_RE = re.compile(r'File and URL access deactivated; ignoring "(?P<name>[\w-]+)" directive\.')
_RAW_ROLE = "raw (and derived) roles disabled"


class _Translator(PelicanHTMLTranslator):
    def visit_literal(self, node) -> None:
        if "code" not in node["classes"]:
            node["classes"].append("code")
        super().visit_literal(node)


class _Writer(PelicanHTMLWriter):
    def __init__(self) -> None:
        super().__init__()
        self.translator_class = _Translator


class _ObservedReader(standalone.Reader):
    """docutils' standalone reader, whose documents report every message to ``observer`` from the start."""

    def __init__(self, observer) -> None:
        super().__init__()
        self.observer = observer

    def new_document(self):
        document = super().new_document()
        document.reporter.attach_observer(self.observer)
        return document


class GuideRstReader(RstReader):
    writer_class = _Writer

    def read(self, source_path):
        messages = []
        publisher = self._publish(source_path, messages.append)
        parts = publisher.writer.parts
        metadata = pelican_internals.rst_metadata(self, publisher.document, source_path)
        metadata.setdefault("title", parts.get("title"))
        problems = [problem for message in messages if (problem := self._problem(source_path, message))]
        if problems:
            metadata[PROBLEMS_KEY] = problems
        return parts.get("body"), metadata

    def _publish(self, source_path: str, observer):
        publisher = docutils.core.Publisher(
            reader=_ObservedReader(observer),
            parser="restructuredtext",
            writer=self.writer_class(),
            destination_class=docutils.io.StringOutput,
        )
        publisher.process_programmatic_settings(None, self._docutils_settings(), None)
        for name, value in self._locked_settings().items():
            setattr(publisher.settings, name, value)  # over every other source of settings
        publisher.set_source(source_path=source_path)
        publisher.publish()
        return publisher

    def _docutils_settings(self) -> dict:
        """Pelican's docutils settings, then the site's DOCUTILS_SETTINGS, then the locked ones."""
        settings = {
            "initial_header_level": "2",
            "syntax_highlight": "short",
            "input_encoding": "utf-8",
            "language_code": pelican_internals.rst_language_code(self),
            "traceback": True,
            "embed_stylesheet": False,
            "_disable_config": True,  # no docutils.conf on the machine changes how posts are read
        }
        settings.update(self.settings.get("DOCUTILS_SETTINGS") or {})
        settings.update(self._locked_settings())
        return settings

    def _locked_settings(self) -> dict:
        return {
            "file_insertion_enabled": False,
            "raw_enabled": self._raw_html_allowed(),
            "report_level": _NEVER,
            "halt_level": _NEVER,
            "warning_stream": io.StringIO(),
        }

    def _raw_html_allowed(self) -> bool:
        return self.settings.get(RAW_HTML_SETTING) is True

    def _problem(self, source_path: str, message) -> tuple[str, str, str, str] | None:
        """(path, field, message, severity) for a docutils system message; None for an info."""
        level = message["level"]
        if level < _WARNING_LEVEL:
            return None
        text = " ".join((message[0] if len(message) else message).astext().split())
        line = message.get("line")
        where = f"line {line}" if line else "body"
        disabled = self._disabled(text)
        if disabled:
            return source_path, where, disabled, ERROR
        return source_path, where, text, ERROR if level >= _ERROR_LEVEL else WARNING

    def _disabled(self, text: str) -> str | None:
        """What to do instead of a directive or role the reader turned off; None for other messages."""
        directive = _DISABLED_DIRECTIVE_RE.fullmatch(text) or _FILE_ACCESS_RE.fullmatch(text)
        if text == _RAW_ROLE:
            return f"raw roles are disabled: {_RAW_HTML}"
        if directive is None:
            return None
        name = directive["name"]
        if name == "include":
            return f"the include directive is disabled: {_ANOTHER_FILE}; paste the text instead"
        if name == "raw" and not self._raw_html_allowed():
            return f"the raw directive is disabled: {_RAW_HTML}"
        return f"the :file: and :url: options of the {name} directive are disabled: {_ANOTHER_FILE}; write the content in the directive instead"


def use_guide_rst_reader(readers) -> None:
    """The ``readers_init`` signal: read .rst files with :class:`GuideRstReader`."""
    for extension in GuideRstReader.file_extensions:
        readers.reader_classes[extension] = GuideRstReader


def report_docutils_problems(generator, metadata) -> None:
    """``article_generator_context`` and ``page_generator_context``: a read file's docutils problems
    go into the build's problem log, and out of the metadata before Pelican makes the content."""
    for problem in metadata.pop(PROBLEMS_KEY, ()):
        build_state(generator.settings).problems.add(*problem)
