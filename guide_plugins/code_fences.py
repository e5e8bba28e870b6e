"""Fenced code blocks: one grammar for the renderer, the validator and the example tests.

An author writes::

    ```python {test="lib-echo-server" title="echo_server.py"}
    ...
    ```

The word after the fence is the language (a Pygments lexer name, or ``nginx`` for the project's
own lexer). The braces hold attributes:

- ``test="ID"``: the test suite runs this block; IDs are unique across the site.
- ``illustrative``: a fragment shown for reading; no test runs it.
- ``title="file.py"``: a file name shown in the block's header.
- ``context="http"``: for ``nginx`` blocks, where the snippet goes in nginx.conf.

Because the page's "tested" mark and the tests both come from :func:`iter_fences`, the two
cannot drift apart.
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

FENCE_RE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*\n"
    r"(?P<code>.*?)"
    r"^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
INFO_RE = re.compile(r"^(?P<lang>[\w+#.-]+)?[ \t]*(?:\{(?P<attrs>[^}]*)\})?$")
ATTR_RE = re.compile(r"""\s*(?P<key>[a-z][a-z0-9-]*)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+)))?""")
TEST_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KNOWN_ATTRIBUTES = {"test", "illustrative", "title", "context"}
#: Languages whose blocks must say whether the test suite runs them.
CHECKED_LANGUAGES = {"python", "javascript", "nginx"}
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


def iter_fences(text: str) -> Iterator[Fence]:
    """Yield the fenced code blocks of a Markdown text, in order."""
    for match in FENCE_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        yield parse_fence(match.group("info"), match.group("code"), line)


def parse_fence(info: str, code: str, line: int) -> Fence:
    match = INFO_RE.match(info)
    if not match:
        return Fence(line, info, None, {}, code, (f"cannot read {info!r}; write ```LANGUAGE {{attributes}}",))
    raw_lang = match.group("lang")
    attrs, problems = _parse_attrs(match.group("attrs") or "")
    lang = None
    if raw_lang:
        lang = canonical_language(raw_lang)
        if lang is None:
            problems.append(_unknown_language(raw_lang))
            lang = raw_lang
    problems.extend(_attribute_problems(lang, attrs))
    return Fence(line, info, lang, attrs, code, tuple(problems))


def _parse_attrs(text: str) -> tuple[dict[str, str], list[str]]:
    attrs: dict[str, str] = {}
    problems: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = ATTR_RE.match(text, pos)
        if not match or match.end() == pos:
            problems.append(f"cannot read attributes {{{text}}}; write key=\"value\" pairs or a bare flag")
            break
        value = next((v for v in match.group("dq", "sq", "bare") if v is not None), "")
        attrs[match.group("key")] = value
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return attrs, problems


def _attribute_problems(lang: str | None, attrs: dict[str, str]) -> list[str]:
    problems = []
    for key in attrs.keys() - KNOWN_ATTRIBUTES:
        hint = _did_you_mean(key, KNOWN_ATTRIBUTES)
        problems.append(f"unknown attribute {key!r}{hint}; known: {', '.join(sorted(KNOWN_ATTRIBUTES))}")
    if "test" in attrs and not TEST_ID_RE.match(attrs["test"]):
        problems.append(f"test={attrs['test']!r} must be lowercase words joined by hyphens")
    if "test" in attrs and "illustrative" in attrs:
        problems.append("a block is either test=\"ID\" or illustrative, not both")
    if lang in CHECKED_LANGUAGES and "test" not in attrs and "illustrative" not in attrs:
        problems.append(
            f"{lang} blocks must say whether they are tested: add {{test=\"ID\"}} and a test, "
            "or {illustrative}"
        )
    if "context" in attrs:
        if lang != "nginx":
            problems.append("context= applies to nginx blocks only")
        elif attrs["context"] not in NGINX_CONTEXTS:
            problems.append(f"context={attrs['context']!r} must be one of {', '.join(NGINX_CONTEXTS)}")
    return problems


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
        from guide_plugins.nginx_lexer import NginxLexer

        return NginxLexer()
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None
