"""A Pygments lexer for nginx configuration, written for this guide.

Pygments ships ``NginxConfLexer``, but it highlights real configurations wrongly:

- ``#`` starts a comment anywhere, even inside ``"a # b"``; it has no notion of quoted strings;
- ``{`` always opens a block, so ``location ~ ^/ws/[a-z]{3}$ {`` or ``rewrite ^/(\\d{4})/ ...``
  opens two blocks and every later line is out of step;
- ``on``/``off`` are found inside words (``proxy_connection``, ``onion.example``);
- ``$var`` swallows whatever follows (``"${y}z"`` becomes one variable).

This lexer follows nginx's own tokenizer (``ngx_conf_read_token``) instead. A configuration is a
sequence of statements; a statement is a directive name, then arguments separated by whitespace,
ending with ``;`` or with a ``{ ... }`` block. What matters is where a *token starts*:

- ``#`` starts a comment only at the start of a token; inside a word or a string it is a character;
- ``"`` and ``'`` start a string only at the start of a token;
- ``{`` opens a block at the start of a token, or right after a word when whitespace (or ``}``)
  follows it. Anywhere else, ``{3}`` or ``{1,3}`` is part of the word, as regex authors expect
  (nginx itself would ask for quotes there; a highlighter should not punish the reader for it).

The states mirror that grammar:

- ``root`` and ``block`` read statements (``block`` also ends at ``}``);
- ``*_args`` states read the arguments of one statement: each decides what the next token is
  from its first characters, then hands the rest of the token to a ``*word`` state;
- ``*word`` states read the inside of one unquoted token, up to whitespace, ``;`` or a
  block-opening ``{``; they never look at ``#`` or quotes;
- ``map_block``, ``geo_block``, ``table_block`` and ``types_block`` read ``key value;`` tables;
- ``lua_block`` skips embedded Lua code (``*_by_lua_block { ... }``) as plain text.

Every state ends with a catch-all or a :func:`goto` transition, so the lexer never emits
``Error``; each chain of transitions ends in a state that consumes a character, so it always
terminates. Patterns stay linear without possessive quantifiers or atomic groups, which the
``re`` of Python 3.11.2 (Debian 12's) still gets wrong: runs are alternations whose branches start
with different characters, so a run matches in one pass; no two quantifiers can match the same
text; and a run never matches what the pattern needs right after it (``\\d+`` before the end of a
token, ``[\\w.-]+`` before ``:``), so when that check fails, each step back fails at once.
(``\\w+_by_lua_block`` is the exception: each step back re-checks a fixed suffix, still linear.)
"""

from __future__ import annotations

import re

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
)

__all__ = ["NginxLexer"]

# --- Pieces of patterns ---------------------------------------------------------------------

#: Where an unquoted token ends: whitespace, ``;``, a block-opening ``{``, or the end of input.
TOKEN_END = r"(?=[\s;]|\{(?:[\s}]|\Z)|\Z)"

#: Where a directive name ends (nginx needs whitespace, ``;`` or ``{`` after it).
DIRECTIVE_END = r"(?=[\s;{]|\Z)"

#: A ``{`` that stays inside a word: not followed by whitespace, ``}`` or the end (``a{2,3}``).
BRACE_IN_WORD = r"\{(?![\s}]|\Z)"


def word_run(stop_chars: str) -> str:
    """The inside of an unquoted word, one character at a time, up to whitespace, ``;``, a
    block-opening ``{`` or one of ``stop_chars``. A backslash escapes the next character, as in
    nginx (``\\;``, ``\\d``). The alternatives start with different characters, so the run
    matches in one pass."""
    return rf"(?:[^\s;{{\\{stop_chars}]|\\[^\n]|{BRACE_IN_WORD})+"


#: A plain word stops at ``$``, where a variable starts; in a regex ``$`` is an anchor.
WORD_RUN = word_run("$")
REGEX_RUN = word_run("")
#: Inside an ``if`` condition, words also stop at ``)``, which may close the condition.
IF_WORD_RUN = word_run("$)")
IF_REGEX_RUN = word_run(")")

#: ``$name`` and ``${name}``: nginx variables, also inside strings.
VARIABLE = r"\$\{\w*\}|\$\w+"

#: Sizes (``16k``, ``10m``), times (``60s``, ``1h30m``, ``500ms``), rates (``30r/m``),
#: fractions and percentages (``1.5``, ``0.5%``). Each part starts with a character the previous
#: part cannot end with, so matching is linear.
TIME_UNIT = r"(?:ms|[smhdwMy])"
NUMBER = rf"\d+(?:\.\d+)?(?:{TIME_UNIT}(?:\d+{TIME_UNIT})*|r/[sm]|[kKmMgG%])?"

#: Addresses: IPv4 with optional port or prefix length, ``[IPv6]:port``, bare IPv6 (geo keys).
IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?:/\d{1,2})?"
IPV6_BRACKETED = r"\[[0-9A-Fa-f:.]+\](?::\d+)?"
IPV6_BARE = r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:/\d{1,3})?"
ADDRESS = rf"(?:{IPV4}|{IPV6_BRACKETED}|{IPV6_BARE})"

#: ``http://``, ``https://``, ``grpc://``... and ``unix:`` socket paths.
URL_START = r"[A-Za-z][\w+.-]*://|unix:"

#: Whole-word parameter flags: ``on``/``off`` and the flags of listen, rewrite, add_header,
#: limit_req and upstream servers.
FLAG_WORDS = (
    "on", "off",
    "last", "break", "redirect", "permanent",
    "always", "default_server", "ssl", "http2", "quic", "reuseport", "nodelay",
    "backup", "down",
)  # fmt: skip

#: Directives whose arguments or block need their own state. Everything else is a
#: ``Keyword`` followed by generic arguments and, if a ``{`` comes, a generic block.
SPECIAL_DIRECTIVES = {
    "location": (Keyword.Namespace, "location_args"),  # modifiers, regex or path, @name
    "if": (Keyword.Namespace, "if_args"),  # ( ... ) conditions with operators
    "map": (Keyword.Namespace, "map_args"),  # body is a key/value table
    "geo": (Keyword.Namespace, "geo_args"),  # body is a key/value table
    "split_clients": (Keyword.Namespace, "table_args"),  # body is a percentage table
    "charset_map": (Keyword.Namespace, "table_args"),  # body is a code table
    "types": (Keyword.Namespace, "types_args"),  # body maps MIME types to extensions
    "upstream": (Keyword.Namespace, "upstream_args"),  # first argument is a name
    "http": (Keyword.Namespace, "args"),
    "events": (Keyword.Namespace, "args"),
    "stream": (Keyword.Namespace, "args"),
    "mail": (Keyword.Namespace, "args"),
    "limit_except": (Keyword.Namespace, "args"),
    "match": (Keyword.Namespace, "args"),
    "server_name": (Keyword, "server_name_args"),  # ~regex names
    "rewrite": (Keyword, "rewrite_args"),  # first argument is a regex
}

#: Keywords of ``map`` and ``geo`` bodies (where other words are keys).
MAP_KEYWORDS = ("default", "hostnames", "include", "volatile")
GEO_KEYWORDS = ("default", "include", "proxy", "proxy_recursive", "ranges", "delete")


# --- Rule builders --------------------------------------------------------------------------


def _no_tokens(lexer, match):
    """A rule action that emits nothing (Pygments wants a token type or a callable)."""
    return iter(())


def goto(state):
    """Switch state without consuming anything, like Pygments' ``default()``, but only while
    input remains. At the end of the text ``default()`` still matches, so two states that hand
    over to each other (``args`` pushes ``word``, ``word`` pops) would loop forever; with this
    rule nothing matches at the end and the lexer stops."""
    return (r"(?=[\s\S])", _no_tokens, state)


def statement_rules() -> list:
    """A statement starts here: a directive name picks the state that reads its arguments."""
    rules = [
        (r"\s+", Whitespace),
        (r"#[^\n]*", Comment.Single),
        (r";", Punctuation),  # an empty statement
        (r"\{", Punctuation, "block"),  # a block without a directive: keep braces paired
    ]
    for name, (token, state) in SPECIAL_DIRECTIVES.items():
        rules.append((re.escape(name) + DIRECTIVE_END, token, state))
    rules += [
        # `server {` is a block (http, stream, mail); `server 127.0.0.1:8765;` (upstream) is not.
        (r"server(?=\s*\{)", Keyword.Namespace, "args"),
        # OpenResty: the block holds Lua, not nginx syntax.
        (r"\w+_by_lua_block" + DIRECTIVE_END, Keyword, "lua_args"),
        (r"[A-Za-z_]\w*" + DIRECTIVE_END, Keyword, "args"),
        # Not a directive name (a stray value, a table entry in an unknown block): read it as
        # arguments rather than flagging it.
        goto("args"),
    ]
    return rules


def boundary_rules(block_state: str) -> list:
    """What every argument list shares: whitespace, `;`, `{` and `}`, comments, strings.

    These only run at the start of a token, which is exactly where nginx recognises them.
    """
    return [
        (r"\s+", Whitespace),
        (r";", Punctuation, "#pop"),
        (r"\{", Punctuation, ("#pop", block_state)),
        # A `}` where an argument should be: the `;` is missing; close the enclosing block.
        (r"\}", Punctuation, "#pop:2"),
        (r"#[^\n]*", Comment.Single),
        (r'"', String.Double, "dq_string"),
        (r"'", String.Single, "sq_string"),
    ]


def value_rules() -> list:
    """Recognise a whole unquoted argument by its shape; the ``word`` state takes the rest."""
    return [
        (words(FLAG_WORDS, suffix=TOKEN_END), Keyword.Constant),
        # weight=2, max_fails=3, zone=ws_conns:10m, rate=30r/m, ipv6=off
        (r"([A-Za-z_][\w-]*)(=)", bygroups(Name.Attribute, Operator), "attr_value"),
        # try_files $uri =404;   error_page 404 = @fallback;   error_page 404 =200 /x;
        (r"(=)(\d*)" + TOKEN_END, bygroups(Operator, Number.Integer)),
        (ADDRESS + TOKEN_END, Number),
        (NUMBER + TOKEN_END, Number),
        # localhost:8080, backend.internal:443
        (r"([\w.-]+)(:)(\d+)" + TOKEN_END, bygroups(Name, Punctuation, Number.Integer)),
        (URL_START, String, "url"),
        (r"@[^\s;{}]+", Name.Label),  # a named location: error_page 502 @fallback;
        goto("word"),
    ]


def argument_rules(block_state: str) -> list:
    """Generic arguments of a directive whose block (if any) is read by ``block_state``."""
    return boundary_rules(block_state) + value_rules()


def word_rules(literal_token, run: str = WORD_RUN) -> list:
    """The inside of one unquoted token: literal text interleaved with ``$variables``."""
    return [
        (VARIABLE, Name.Variable),
        (run, literal_token),
        (r"[$\\)]", literal_token),  # a `$` that starts no variable, a trailing `\`, a `)`
        goto("#pop"),
    ]


def regex_word_rules(closes_if: bool) -> list:
    """An unquoted regex: ``^/ws/[a-z]{3}$``. ``$`` is an anchor here, not a variable.

    In an ``if`` condition the regex is the last thing before ``)``, and nginx glues the two:
    ``if ($uri ~ ^/a(b|c)$) {``. A ``)`` right before whitespace or ``{`` closes the condition.
    """
    if not closes_if:
        return [(REGEX_RUN, String.Regex), (r"\\", String.Regex), goto("#pop")]
    return [
        (r"\)(?=[\s{]|\Z)", Punctuation, "#pop"),
        (IF_REGEX_RUN, String.Regex),
        (r"[\\)]", String.Regex),
        goto("#pop"),
    ]


def regex_argument_rules(unquoted_state: str) -> list:
    """The argument after a ``~``/``~*`` operator: a quoted string or an unquoted regex."""
    return [
        (r"\s+", Whitespace),
        (r'"', String.Double, ("#pop", "dq_string")),
        (r"'", String.Single, ("#pop", "sq_string")),
        goto(("#pop", unquoted_state)),
    ]


def quoted_string_rules(quote: str, token) -> list:
    """A quoted string: may span lines (log_format); ``#``, ``{`` and ``;`` are plain text."""
    return [
        (quote, token, "#pop"),
        (r"\\[\\\"'nrt]", String.Escape),  # the escapes nginx decodes
        (r"\\[\s\S]?", token),  # other backslashes stay as written (regex `\d`, `\.`)
        (VARIABLE, Name.Variable),
        (rf"[^{quote}\\$]+", token),
        (r"\$", token),  # a `$` that starts no variable (`"^/a$"`)
    ]


def table_rules(keywords: tuple[str, ...]) -> list:
    """The body of ``map``, ``geo``, ``split_clients``, ``charset_map``: ``key value;`` lines."""
    rules = [
        (r"\}", Punctuation, "#pop"),
        (r"\s+", Whitespace),
        (r"#[^\n]*", Comment.Single),
        (r";", Punctuation),
    ]
    if keywords:
        rules.append((words(keywords, suffix=TOKEN_END), Keyword, "args"))
    return [
        *rules,
        # A regex key, `~` and `~*` included: the tilde is part of the same token.
        (r"~\*?", String.Regex, ("args", "regex_word")),
        (r'"', String.Double, ("args", "dq_string")),
        (r"'", String.Single, ("args", "sq_string")),  # '' is the empty-string key
        # Any other key, then the value, read like arguments up to `;`.
        goto("args"),
    ]


def lua_rules(closing_token) -> list:
    """Embedded Lua: kept as text, with braces counted outside Lua strings and comments.

    An unclosed quote takes the rest of its line, where a quoted Lua string has to end: requiring
    the closing quote would re-read the line from every stray quote (quadratic on ``"\\"\\"\\``).
    """
    return [
        (r"\}", closing_token, "#pop"),
        (r"\{", Text, "lua_nested"),
        (r'"(?:[^"\\\n]|\\.)*"?', Text),
        (r"'(?:[^'\\\n]|\\.)*'?", Text),
        (r"--[^\n]*", Text),
        (r"[^{}\"'-]+", Text),
        (r"[\s\S]", Text),  # a lone `-`
    ]


# --- The lexer ------------------------------------------------------------------------------


class NginxLexer(RegexLexer):
    """Lexer for nginx configuration files (``nginx.conf`` and snippets)."""

    name = "Nginx"
    aliases = ["nginx"]
    filenames = ["nginx.conf", "*.nginx"]
    mimetypes = ["text/x-nginx-conf"]
    url = "https://nginx.org/en/docs/"

    tokens = {
        # Statements at the top level; a stray `}` there closes nothing.
        "root": [
            (r"\}", Punctuation),
            include("statement"),
        ],
        # Statements inside `{ ... }`.
        "block": [
            (r"\}", Punctuation, "#pop"),
            include("statement"),
        ],
        "statement": statement_rules(),
        # Arguments, one state per kind of block that may follow.
        "args": argument_rules("block"),
        "map_args": argument_rules("map_block"),
        "geo_args": argument_rules("geo_block"),
        "table_args": argument_rules("table_block"),
        "types_args": argument_rules("types_block"),
        "lua_args": argument_rules("lua_block"),
        # location [ = | ~ | ~* | ^~ ] uri { ... }   and   location @name { ... }
        "location_args": [
            *boundary_rules("block"),
            (r"=|\^~", Operator),
            (r"~\*?", Operator, "regex_arg"),
            (r"@[^\s;{}]+", Name.Label),
            goto("word"),
        ],
        # if ($var), if ($var = value), if ($var ~* regex), if (-f $file)
        "if_args": [
            *boundary_rules("block"),
            (r"[()]", Punctuation),
            (r"!?~\*?", Operator, "if_regex_arg"),
            (r"!?-[fdex](?=\s)", Operator),
            (r"!?=(?=\s)", Operator),
            goto("if_word"),
        ],
        # server_name example.com *.example.com ~^(www\.)?(?<domain>.+)$;
        "server_name_args": [*boundary_rules("block"), (r"~", String.Regex, "regex_word"), *value_rules()],
        # rewrite REGEX REPLACEMENT [flag];
        "rewrite_args": [
            (r"\s+", Whitespace),
            (r'"', String.Double, ("#pop", "args", "dq_string")),
            (r"'", String.Single, ("#pop", "args", "sq_string")),
            goto(("#pop", "args", "regex_word")),
        ],
        # upstream NAME { ... }
        "upstream_args": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r"[^\s;{}]+", Name.Label, ("#pop", "args")),
            goto(("#pop", "args")),
        ],
        # The value after `name=`.
        "attr_value": [
            (words(FLAG_WORDS, suffix=TOKEN_END), Keyword.Constant, "#pop"),
            (NUMBER + TOKEN_END, Number, "#pop"),
            (rf"([\w.-]+)(:)({NUMBER})" + TOKEN_END, bygroups(Name, Punctuation, Number), "#pop"),
            goto(("#pop", "word")),
        ],
        # The regex after a `~` or `~*` operator: quoted or not.
        "regex_arg": regex_argument_rules("regex_word"),
        "if_regex_arg": regex_argument_rules("if_regex_word"),
        # The inside of one unquoted token.
        "word": word_rules(Name),
        "url": word_rules(String),
        "if_word": [(r"\)(?=[\s{]|\Z)", Punctuation, "#pop"), *word_rules(Name, IF_WORD_RUN)],
        "regex_word": regex_word_rules(closes_if=False),
        "if_regex_word": regex_word_rules(closes_if=True),
        "dq_string": quoted_string_rules('"', String.Double),
        "sq_string": quoted_string_rules("'", String.Single),
        # Bodies that are not statements.
        "map_block": table_rules(MAP_KEYWORDS),
        "geo_block": table_rules(GEO_KEYWORDS),
        "table_block": table_rules(()),
        "types_block": [
            (r"\}", Punctuation, "#pop"),
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r";", Punctuation),
            (r"[\w.+-]+/[\w.+-]+" + TOKEN_END, String, "args"),  # text/html html htm;
            goto("args"),
        ],
        "lua_block": lua_rules(Punctuation),
        "lua_nested": lua_rules(Text),
    }
