"""Python-Markdown extension: fenced code blocks with a header, highlighted by their named lexer.

It replaces ``fenced_code`` so that a block is highlighted only with the lexer its author named
(a block without a language is shown plain, never guessed) and so that the header can show the
block's file name and whether the test suite runs it. The grammar lives in
:mod:`guide.markdown.code_fences`.
"""

from __future__ import annotations

import functools
from html import escape

from markdown import Extension
from markdown.preprocessors import Preprocessor
from pygments import highlight
from pygments.formatters import HtmlFormatter

from guide.markdown.code_fences import fence_code, fence_spans, lexer_for, parse_fence

_FORMATTER = HtmlFormatter(nowrap=True)
#: One lexer per language for the whole process: Pygments lexers keep no state between texts,
#: and looking one up by name builds a new one each time.
_lexer = functools.cache(lexer_for)


def render_fence(fence) -> str:
    """The HTML of one code block: a figure with a header, or a plain <pre> without a language."""
    lexer = _lexer(fence.lang) if fence.lang else None
    if lexer is None:
        body = escape(fence.code)
        return f'<pre class="code-plain"><code>{body}</code></pre>'
    body = highlight(fence.code, lexer, _FORMATTER)
    head = []
    if fence.title:
        head.append(f'<span class="code-title">{escape(fence.title)}</span>')
    head.append(f'<span class="code-lang">{escape(lexer.name)}</span>')
    if fence.test_id:
        head.append('<span class="code-tested" title="This example is run by the site\'s test suite">tested</span>')
    test_attr = f' data-test="{escape(fence.test_id)}"' if fence.test_id else ""
    return (
        f'<figure class="code" data-lang="{escape(fence.lang)}"{test_attr}>'
        f'<figcaption class="code-head">{"".join(head)}</figcaption>'
        f'<pre class="highlight"><code>{body}</code></pre></figure>'
    )


class FencedCodePreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        """Each closed block becomes a stashed placeholder between blank lines; an unclosed one is
        left as text (the validation fails the build on it)."""
        output: list[str] = []
        done = 0
        for span in fence_spans(lines):
            if span.end is None:
                break
            fence = parse_fence(span.info, fence_code(lines, span), line=0)
            output.extend(lines[done : span.start])
            output.extend(["", "", self.md.htmlStash.store(render_fence(fence)), "", ""])
            done = span.end + 1
        output.extend(lines[done:])
        return output


class CodeBlocksExtension(Extension):
    def extendMarkdown(self, md):
        # Above fenced_code (25) and normalize_whitespace's neighbours, like fenced_code itself.
        md.preprocessors.register(FencedCodePreprocessor(md), "guide_code_blocks", 26)


def makeExtension(**kwargs):
    return CodeBlocksExtension(**kwargs)
