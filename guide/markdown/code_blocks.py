"""Python-Markdown extension: SuperFences, with every block drawn by the guide's renderer.

PyMdown Extensions' SuperFences finds the fenced blocks (at the top level and nested inside
tabs, callouts and lists, as Material for MkDocs and Zensical do); this extension makes it hand
every block, whatever its language, to :func:`format_fence`. A block is highlighted only with
the lexer its author named (a block without a language is shown plain, never guessed), its
header shows the file name and whether the test suite runs it, and ``hl_lines`` / ``linenums``
mark lines as in Material. The header grammar lives in :mod:`guide.markdown.code_fences`; the
build checks every header there before rendering, so the renderer can take what it is given.
"""

from __future__ import annotations

import functools
from html import escape

from markdown import Extension
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pymdownx.superfences import SuperFencesCodeExtension

from guide.markdown.code_fences import HL_LINES_RE, LINENUMS_RE, canonical_language, lexer_for, line_ranges

_PLAIN_FORMATTER = HtmlFormatter(nowrap=True)
#: One lexer per language for the whole process: Pygments lexers keep no state between texts,
#: and looking one up by name builds a new one each time.
_lexer = functools.cache(lexer_for)


def accept_header(language, inputs, options, attrs, md) -> bool:
    """SuperFences validator: keep every attribute as an option, for :func:`format_fence`.

    Attributes SuperFences does not know (``test``, ``illustrative``) would otherwise make it
    drop a Material-style header (``python title="x" test="y"``) as not a fence at all.
    """
    options.update({key: "" if value is True else value for key, value in inputs.items()})
    return True


def format_fence(src, language, class_name, options, md, **kwargs) -> str:
    """SuperFences formatter: the HTML of one code block (SuperFences drops its last newline)."""
    return render_code(src + "\n" if src else src, language or None, options)


def render_code(code: str, language: str | None, attrs: dict[str, str]) -> str:
    """A figure with a header for a block in a known language, else a plain ``<pre>``."""
    lexer = _lexer(language) if language else None
    if lexer is None:
        return f'<pre class="code-plain"><code>{escape(code)}</code></pre>'
    formatter = _formatter(attrs)
    body = highlight(code, lexer, formatter)
    if formatter is not _PLAIN_FORMATTER:
        body = body.removeprefix("<div>").removesuffix("</div>\n")
    head = []
    if attrs.get("title"):
        head.append(f'<span class="code-title">{escape(attrs["title"])}</span>')
    head.append(f'<span class="code-lang">{escape(lexer.name)}</span>')
    test_id = attrs.get("test")
    if test_id:
        head.append('<span class="code-tested" title="This example is run by the site\'s test suite">tested</span>')
    test_attr = f' data-test="{escape(test_id)}"' if test_id else ""
    lang = canonical_language(language) or language
    return (
        f'<figure class="code" data-lang="{escape(lang)}"{test_attr}>'
        f'<figcaption class="code-head">{"".join(head)}</figcaption>'
        f'<pre class="highlight"><code>{body}</code></pre></figure>'
    )


def _formatter(attrs: dict[str, str]) -> HtmlFormatter:
    """Pygments' formatter for a block: marked lines and line numbers when the block asks."""
    hl_lines = attrs.get("hl_lines", "")
    linenums = attrs.get("linenums", "")
    if not (HL_LINES_RE.match(hl_lines) or LINENUMS_RE.match(linenums)):
        return _PLAIN_FORMATTER
    options = {"cssclass": ""}
    if HL_LINES_RE.match(hl_lines):
        options["hl_lines"] = line_ranges(hl_lines)
    if LINENUMS_RE.match(linenums):
        start, step, *_ = [*map(int, linenums.split()), 1]
        # Inline numbers, one span per line: the CSS keeps them out of a copied selection.
        options.update(linenos="inline", linenostart=start, linenostep=step)
    return _LinesFormatter(**options)


class _LinesFormatter(HtmlFormatter):
    """The highlighted lines without ``<pre>`` (the figure has its own): unlike ``nowrap``, it
    keeps inline line numbers. What is left around them is a bare ``<div>``, removed above."""

    def wrap(self, source):
        return source


class CodeBlocksExtension(Extension):
    def extendMarkdown(self, md):
        fences = [{"name": "*", "class": "code", "format": format_fence, "validator": accept_header}]
        # preserve_tabs: a Caddyfile or a Makefile keeps its tabs, as the author wrote them.
        SuperFencesCodeExtension(custom_fences=fences, preserve_tabs=True).extendMarkdown(md)


def makeExtension(**kwargs):
    return CodeBlocksExtension(**kwargs)
