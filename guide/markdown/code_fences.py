"""Fenced code blocks: one grammar for the renderer, the validator and the example tests.

An author writes the header of a block as PyMdown Extensions' SuperFences reads it (the syntax
of Material for MkDocs and Zensical), in either of its two forms::

    ```python {test="lib-echo-server" title="echo_server.py" hl_lines="3 5-7"}
    ```python title="echo_server.py" linenums="1" illustrative

The word after the fence is the language (a Pygments lexer name, or ``nginx`` for the project's
own lexer; ``{.python ...}`` works too). The attributes:

- ``test="ID"``: the test suite runs this block; IDs are unique across the site.
- ``illustrative``: a fragment shown for reading; no test runs it.
- ``title="file.py"``: a file name shown in the block's header.
- ``hl_lines="2 4-6"``: lines to highlight; ``linenums="1"``: number the lines from 1.
- ``context="http"``: for ``nginx`` blocks, where the snippet goes in nginx.conf.

Because the page's "tested" mark and the tests both come from :func:`iter_fences`, the two
cannot drift apart.

Fences are found by reading the text line by line (:func:`fence_spans`), in time linear in its
length whatever it holds, with SuperFences' rules, so that the blocks checked are the blocks
rendered: a fence may be indented (inside a tab, a callout or a list item); it is closed by the
same fence at the same indentation and nothing else; a line inside it indented less than the
fence ends it unclosed. Whether a block in some language must carry ``test`` or ``illustrative``
is the content tree's own policy (the ``TESTED_OR_ILLUSTRATIVE`` setting), given to
:func:`iter_fences` as ``policy``.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Iterator

from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.util import ClassNotFound

#: The regex form of a fenced block, for callers that strip blocks from a text (the content
#: tests). It closes a block only with the same fence as the one that opened it; the build uses
#: :func:`fence_spans`, which reads lines and closes blocks the CommonMark way.
FENCE_RE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*\n"
    r"(?P<code>.*?)"
    r"^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
LANG_RE = re.compile(r"\.?[\w+#.-]+")
ATTR_RE = re.compile(r"""\s*(?P<key>[a-z][a-z0-9_-]*)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+)))?""")
HL_LINES_RE = re.compile(r"^\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*$")
LINENUMS_RE = re.compile(r"^\d+(?:[ \t]+\d+){0,2}$")
TEST_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

TAB_LENGTH = 4  #: Python-Markdown's tab_length: SuperFences expands tabs to it

#: What SuperFences itself reads outside braces; the project's own attributes need braces.
SUPERFENCES_OPTIONS = {"title", "hl_lines", "linenums"}
KNOWN_ATTRIBUTES = {"test", "illustrative", "title", "context", "hl_lines", "linenums"}
NGINX_CONTEXTS = ("main", "http", "server", "location")


@dataclasses.dataclass(frozen=True)
class Fence:
    """One fenced code block of a content file."""

    line: int  #: 1-based line of the opening fence
    info: str  #: the text after the fence, as written
    lang: str | None  #: the canonical language name, or None for a plain block
    attrs: dict[str, str]
    code: str
    problems: tuple[str, ...] = ()  #: what is wrong with the info string, if anything

    @property
    def test_id(self) -> str | None:
        return self.attrs.get("test") or None

    @property
    def illustrative(self) -> bool:
        return "illustrative" in self.attrs

    @property
    def title(self) -> str | None:
        return self.attrs.get("title") or None

    @property
    def nginx_context(self) -> str:
        return self.attrs.get("context", "http")


@dataclasses.dataclass(frozen=True)
class FenceSpan:
    """Where one fenced block lies in a list of lines (0-based indexes)."""

    start: int  #: the opening fence's line
    end: int | None  #: the closing fence's line, or None when the block is never closed
    fence: str  #: the opening fence as written: ``` or ~~~~ ...
    info: str  #: the text after the opening fence, without surrounding blanks
    nested: int | None = None  #: a line inside that looks like a block opening (a forgotten close)
    indent: int = 0  #: columns before the opening fence (a block inside a tab, a callout, a list)
    outdented: int | None = None  #: a line indented less than the fence, which leaves it unclosed


def _fence_of(line: str) -> tuple[int, str, str] | None:
    """(indent, fence, info) when a line opens or closes a fence, else None."""
    stripped = line.lstrip(" \t")
    char = stripped[:1]
    if char not in ("`", "~"):
        return None
    length = len(stripped) - len(stripped.lstrip(char))
    if length < 3:
        return None
    info = stripped[length:].strip(" \t")
    if char == "`" and "`" in info:
        return None  # ```a``` is inline code, not a fence
    return _columns(line[: len(line) - len(stripped)]), stripped[:length], info


def _columns(blank: str) -> int:
    return len(blank.expandtabs(TAB_LENGTH))


def fence_spans(lines: list[str]) -> Iterator[FenceSpan]:
    """The fenced blocks of a Markdown text's lines, in order; the last may be unclosed.

    SuperFences' rules: the same fence at the same indentation closes a block; a longer or
    shorter one, or one indented otherwise, is a line of code. A non-blank line indented less
    than an indented fence ends the block unclosed (SuperFences then renders none of it).
    """
    open_span: FenceSpan | None = None
    for number, line in enumerate(lines):
        found = _fence_of(line)
        if open_span is None:
            if found:
                open_span = FenceSpan(number, None, found[1], found[2], indent=found[0])
            continue
        if open_span.indent and line.strip() and _columns(line[: len(line) - len(line.lstrip(" \t"))]) < open_span.indent:
            yield dataclasses.replace(open_span, outdented=number)
            open_span = None
            continue
        if found is None or found[0] != open_span.indent or found[1] != open_span.fence:
            continue
        if not found[2]:
            yield dataclasses.replace(open_span, end=number)
            open_span = None
        elif open_span.nested is None:
            open_span = dataclasses.replace(open_span, nested=number)
    if open_span is not None:
        yield open_span


def iter_fences(text: str, *, policy=()) -> Iterator[Fence]:
    """Yield the closed fenced code blocks of a Markdown text, in order.

    ``policy``: the languages whose blocks must say whether they are tested.
    """
    lines = text.split("\n")
    for span in fence_spans(lines):
        if span.end is not None:
            yield parse_fence(span.info, fence_code(lines, span), span.start + 1, policy=policy)


def fence_code(lines: list[str], span: FenceSpan) -> str:
    """The code between a block's fences, without the fence's indentation, each line ending with a newline."""
    body = lines[span.start + 1 : span.end]
    if span.indent:
        body = [line.expandtabs(TAB_LENGTH)[span.indent :] for line in body]
    return "".join(line + "\n" for line in body)


def unclosed_fence_problem(text: str) -> tuple[int, str] | None:
    """(line, message) for the first block of a Markdown text that is never closed, or None.

    A block that holds a line opening another block with the same fence was most likely left
    open there: its closing fence is the one meant for the inner block, and the block after it
    runs to the end. That first block is the one to fix, so it is the one reported.
    """
    for span in fence_spans(text.split("\n")):
        if span.outdented is not None:
            return span.start + 1, (
                f"line {span.outdented + 1} is indented less than this fence, which leaves the block unclosed; "
                f"indent the block's lines as much as its fence, or close it with {span.fence} before that line"
            )
        if span.nested is not None:
            return span.start + 1, (
                f"this fence is never closed before line {span.nested + 1} opens another block; "
                f"add a closing {span.fence} line before it"
            )
        if span.end is None:
            return span.start + 1, f"this fence is never closed; add a closing {span.fence} line"
    return None


def parse_fence(info: str, code: str, line: int, *, policy=()) -> Fence:
    """One block from its info string; ``policy``: the languages that must say whether they are tested."""
    split = _split_info(info)
    if split is None:
        return Fence(line, info, None, {}, code, (f'cannot read {info!r}; write ```LANGUAGE {{key="value" flag}}',))
    raw_lang, attr_text, braced = split
    attrs, problems = _parse_attrs(attr_text, quoted_only=not braced)
    if not braced and attrs.keys() - SUPERFENCES_OPTIONS:
        # Material's and Zensical's SuperFences drop such a header, and the block with it.
        own = " ".join(sorted(attrs.keys() - SUPERFENCES_OPTIONS))
        problems.append(
            f"{own}: write the attributes in braces, e.g. ```{raw_lang or 'python'} {{{attr_text}}}, as Zensical and Material read them only there"
        )
    lang = None
    if raw_lang:
        lang = canonical_language(raw_lang)
        if lang is None:
            problems.append(_unknown_language(raw_lang))
            lang = raw_lang
    problems.extend(_attribute_problems(lang, attrs, policy, code))
    return Fence(line, info, lang, attrs, code, tuple(problems))


def _split_info(info: str) -> tuple[str | None, str, bool] | None:
    """(language, attribute text, whether in braces) of a header as SuperFences reads it, or None.

    ``python {a="1"}``, ``python a="1"``, ``{.python a="1"}``, ``python``, ``a="1"`` (no language).
    """
    if info.startswith("{"):
        inner = _braced(info)
        if inner is None:
            return None
        first, _, rest = inner.strip().partition(" ")
        if first.startswith("."):  # SuperFences: the first class names the language
            return first[1:], rest, True
        return None, inner, True
    lang, rest = None, info
    match = LANG_RE.match(info)
    if match and (match.end() == len(info) or info[match.end()] in " \t{"):
        lang, rest = match.group().removeprefix("."), info[match.end() :].strip(" \t")
    if rest.startswith("{"):
        inner = _braced(rest)
        return None if inner is None else (lang, inner, True)
    if "{" in rest or "}" in rest:
        return None
    return lang, rest, False


def _braced(text: str) -> str | None:
    """What is between a text's outer braces, if it is one brace pair and nothing else."""
    if not text.endswith("}") or "{" in text[1:-1] or "}" in text[1:-1]:
        return None
    return text[1:-1]


def _parse_attrs(text: str, *, quoted_only: bool = False) -> tuple[dict[str, str], list[str]]:
    """Attributes as ``key="value"`` pairs and bare flags; outside braces SuperFences reads
    only quoted values (``quoted_only``), so ``hl_lines=2`` there would end the fence."""
    attrs: dict[str, str] = {}
    problems: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = ATTR_RE.match(text, pos)
        if not match or match.end() == pos:
            problems.append(f'cannot read attributes {{{text}}}; write key="value" pairs or a bare flag')
            break
        if quoted_only and match.group("bare") is not None:
            problems.append(f'write {match.group("key")}="{match.group("bare")}" with quotes, or put the attributes in braces')
        value = next((v for v in match.group("dq", "sq", "bare") if v is not None), "")
        attrs[match.group("key")] = value
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return attrs, problems


def _attribute_problems(lang: str | None, attrs: dict[str, str], policy=(), code: str = "") -> list[str]:
    problems = _line_number_problems(attrs, code.count("\n"))
    for key in attrs.keys() - KNOWN_ATTRIBUTES:
        hint = _did_you_mean(key, KNOWN_ATTRIBUTES)
        problems.append(f"unknown attribute {key!r}{hint}; known: {', '.join(sorted(KNOWN_ATTRIBUTES))}")
    if "test" in attrs and not TEST_ID_RE.match(attrs["test"]):
        problems.append(f"test={attrs['test']!r} must be lowercase words joined by hyphens")
    if "test" in attrs and "illustrative" in attrs:
        problems.append('a block is either test="ID" or illustrative, not both')
    if lang in policy and "test" not in attrs and "illustrative" not in attrs:
        problems.append(f'{lang} blocks must say whether they are tested: add {{test="ID"}} and a test, or {{illustrative}}')
    if "context" in attrs:
        if lang != "nginx":
            problems.append("context= applies to nginx blocks only")
        elif attrs["context"] not in NGINX_CONTEXTS:
            problems.append(f"context={attrs['context']!r} must be one of {', '.join(NGINX_CONTEXTS)}")
    return problems


def _line_number_problems(attrs: dict[str, str], length: int) -> list[str]:
    problems = []
    if "hl_lines" in attrs:
        value = attrs["hl_lines"]
        if not HL_LINES_RE.match(value):
            problems.append(f'hl_lines={value!r}: give line numbers and ranges, e.g. hl_lines="2 4-6"')
        else:
            past = [word for word in value.split() if int(word.split("-")[-1]) > length or int(word.split("-")[0]) < 1]
            if past:
                problems.append(f"hl_lines={value!r}: the block has {length} lines, so {' '.join(past)} highlights nothing")
    if "linenums" in attrs and not LINENUMS_RE.match(attrs["linenums"]):
        problems.append(f'linenums={attrs["linenums"]!r}: give the first line\'s number, e.g. linenums="1"')
    return problems


def line_ranges(hl_lines: str) -> list[int]:
    """``"2 4-6"`` -> [2, 4, 5, 6]: the lines a valid ``hl_lines`` names."""
    lines: list[int] = []
    for word in hl_lines.split():
        first, _, last = word.partition("-")
        lines.extend(range(int(first), int(last or first) + 1))
    return lines


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _unknown_language(name: str) -> str:
    return f"unknown language {name!r}{_did_you_mean(name.lower(), _language_names())}; use a Pygments lexer name such as python, javascript, nginx, console, ini, text"


@functools.cache
def _language_names() -> frozenset[str]:
    return frozenset(alias for _, aliases, _, _ in get_all_lexers() for alias in aliases) | {"nginx"}


@functools.cache
def canonical_language(name: str) -> str | None:
    """The lexer's main alias for a language name (``py`` -> ``python``), or None if unknown."""
    lexer = lexer_for(name)
    if lexer is None:
        return None
    return "nginx" if lexer.name == "Nginx" else lexer.aliases[0]


def lexer_for(name: str) -> Lexer | None:
    """The Pygments lexer that highlights a language, preferring the project's own Nginx lexer."""
    if name.lower() in ("nginx", "nginxconf", "nginx-conf"):
        from guide.markdown.nginx_lexer import NginxLexer

        return NginxLexer()
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None
