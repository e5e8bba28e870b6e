"""No regex of the project uses a possessive quantifier or an atomic group.

The README promises stock Debian 12, whose Python is 3.11.2. Its ``re`` still had bugs with both
constructs, fixed in later 3.11 releases: a possessive repeat over a negative lookahead matches
too much (python/cpython#100061: ``re.findall('(((?!C).)++)', 'ABC')`` finds ``ABC``), and a
possessive repeat can match where the greedy one does not (python/cpython#106052). So the parsed
form of every pattern is searched for the two opcodes, whatever spelling produced them.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from helpers import ROOT

import guide
from guide.markdown.nginx_lexer import NginxLexer

try:  # Python 3.11 and later
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons, which have neither construct
    import sre_constants
    import sre_parse

#: The opcodes of ``x++``, ``x*+``, ``x?+``, ``x{m,n}+`` and ``(?>...)`` (Pythons before 3.11 have
#: neither, and cannot parse them).
FORBIDDEN_OPCODES = {
    getattr(sre_constants, name) for name in ("POSSESSIVE_REPEAT", "ATOMIC_GROUP") if hasattr(sre_constants, name)
}

#: The project's own Python: tasks.py and the settings, the guide package, the benchmarks, the tests.
SOURCE_FOLDERS = ("guide", "benchmarks", "tests")
SOURCE_FILES = sorted([*ROOT.glob("*.py")] + [path for folder in SOURCE_FOLDERS for path in (ROOT / folder).rglob("*.py")])

#: ``re`` functions that take a pattern first, with the position of their ``flags`` argument.
FLAGS_POSITION = {
    "compile": 1, "match": 2, "fullmatch": 2, "search": 2, "findall": 2, "finditer": 2,
    "split": 3, "sub": 4, "subn": 4,
}  # fmt: skip


# --- Finding the opcodes -----------------------------------------------------------------------


def opcodes(parsed) -> list:
    """Every opcode of a parsed pattern, nested groups, branches and lookarounds included."""
    found = []
    for opcode, argument in parsed:
        found.append(opcode)
        found += nested_opcodes(argument)
    return found


def nested_opcodes(argument) -> list:
    """Opcodes inside an opcode's argument: a subpattern, or a tuple or list holding some."""
    if isinstance(argument, sre_parse.SubPattern):
        return opcodes(argument)
    if isinstance(argument, (list, tuple)):
        return [opcode for item in argument for opcode in nested_opcodes(item)]
    return []


def forbidden_constructs(pattern: str | bytes, flags: int = 0) -> list[str]:
    """The names of the possessive repeats and atomic groups in ``pattern``, in order."""
    return [opcode.name for opcode in opcodes(sre_parse.parse(pattern, flags)) if opcode in FORBIDDEN_OPCODES]


# --- Collecting the project's patterns ---------------------------------------------------------


def project_modules() -> list:
    """Every module of the ``guide`` package and its subpackages, imported."""
    names = sorted(info.name for info in pkgutil.walk_packages(guide.__path__, "guide."))
    return [importlib.import_module(name) for name in names]


def module_patterns() -> list:
    """(where, pattern) for every compiled pattern a module holds at its top level, directly or in
    a tuple, list, set or dict there."""
    found = []
    for module in project_modules():
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else value
            candidates = values if isinstance(value, (dict, list, tuple, set, frozenset)) else [value]
            where = f"{module.__name__}.{name}"
            found += [(where, item) for item in candidates if isinstance(item, re.Pattern)]
    return found


def lexer_patterns() -> list:
    """(where, pattern) for every rule of the nginx lexer, compiled as Pygments compiles it."""
    NginxLexer()  # the first instance makes Pygments compile the token definitions
    found = []
    for state, rules in NginxLexer._tokens.items():
        for number, rule in enumerate(rules):
            pattern = getattr(rule[0], "__self__", None)  # Pygments keeps `compiled.match`
            assert isinstance(pattern, re.Pattern), f"NginxLexer state {state!r} rule {number}: no pattern"
            found.append((f"NginxLexer state {state!r} rule {number}", pattern))
    return found


def literal_flags(node: ast.expr | None) -> int:
    """The flags of a call, where written as ``re.X | re.S`` (anything else counts as none)."""
    flags = 0
    for part in ast.walk(node) if node is not None else ():
        flag = getattr(re, part.attr, None) if isinstance(part, ast.Attribute) else None
        flags |= flag if isinstance(flag, re.RegexFlag) else 0
    return flags


def re_call(node: ast.AST) -> tuple[str | bytes, ast.expr | None] | None:
    """(pattern, flags argument) if ``node`` calls an ``re`` function with a literal pattern."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
        return None
    function, pattern = node.func, node.args[0]
    is_re_module = isinstance(function.value, ast.Name) and function.value.id == "re"
    if not (is_re_module and function.attr in FLAGS_POSITION):
        return None
    if not (isinstance(pattern, ast.Constant) and isinstance(pattern.value, (str, bytes))):
        return None  # built at run time: the module-level and lexer tests see those
    position = FLAGS_POSITION[function.attr]
    flags = {keyword.arg: keyword.value for keyword in node.keywords}.get("flags")
    return pattern.value, (node.args[position] if len(node.args) > position else flags)


def source_literals(path: Path) -> list:
    """(where, pattern, flags) for every literal pattern passed to an ``re`` function in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if call := re_call(node):
            pattern, flags = call
            found.append((f"{path.relative_to(ROOT)}:{node.lineno}", pattern, literal_flags(flags)))
    return found


# --- Tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\d++", ["POSSESSIVE_REPEAT"]),
        (r"a*+b?+c{2,}+", ["POSSESSIVE_REPEAT"] * 3),
        (r"(?>ab|a)c", ["ATOMIC_GROUP"]),
        (r"x(?=(?:y(?>z))|w)", ["ATOMIC_GROUP"]),  # inside a lookahead and a branch
        (r"(?:[^\s;{]|\{(?![\s}]))++", ["POSSESSIVE_REPEAT"]),  # the lexer's old word run
        (rb"[a-z]++", ["POSSESSIVE_REPEAT"]),
        (r"\d+(?:\.\d+)?[+*]?\+\+", []),  # plus signs that are characters, not quantifiers
        (r"(?=(\w+))\1", []),  # the portable way to write an atomic run
    ],
)
def test_the_search_finds_both_constructs_wherever_they_hide(pattern, expected):
    assert forbidden_constructs(pattern) == expected


def test_every_module_of_the_package_is_searched():
    assert len(project_modules()) >= 10
    names = {where.rsplit(".", 1)[0] for where, _ in module_patterns()}
    assert {"guide.markdown.code_fences", "guide.build.link_check"} <= names


def test_no_module_level_pattern_is_possessive_or_atomic():
    offenders = [
        f"{where}: {pattern.pattern!r} uses {', '.join(constructs)}"
        for where, pattern in module_patterns()
        if (constructs := forbidden_constructs(pattern.pattern, pattern.flags))
    ]
    assert offenders == [], "Python 3.11.2 mis-matches these; rewrite without them:\n" + "\n".join(offenders)


def test_no_nginx_lexer_rule_is_possessive_or_atomic():
    patterns = lexer_patterns()
    assert len(patterns) > 100  # every state's rules, not just the first
    offenders = [
        f"guide.markdown.nginx_lexer, {where}: {pattern.pattern!r} uses {', '.join(constructs)}"
        for where, pattern in patterns
        if (constructs := forbidden_constructs(pattern.pattern, pattern.flags))
    ]
    assert offenders == [], "Python 3.11.2 mis-matches these; rewrite without them:\n" + "\n".join(offenders)


def test_no_literal_pattern_in_the_sources_is_possessive_or_atomic():
    """Patterns compiled inside functions (and in tasks.py, benchmarks and tests) too."""
    literals = [literal for path in SOURCE_FILES for literal in source_literals(path)]
    assert len(literals) >= 20
    offenders = [
        f"{where}: {pattern!r} uses {', '.join(constructs)}"
        for where, pattern, flags in literals
        if (constructs := forbidden_constructs(pattern, flags))
    ]
    assert offenders == [], "Python 3.11.2 mis-matches these; rewrite without them:\n" + "\n".join(offenders)
