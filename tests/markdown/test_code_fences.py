"""Fenced code blocks are found line by line, as SuperFences finds them: the blocks the build
checks and tests are the blocks the site renders, nested ones included, in time linear in the
text's length."""

from __future__ import annotations

import time

import pytest
from helpers import FIXTURE_SITE, ROOT
from markdown import Markdown

from guide.markdown import code_blocks
from guide.markdown.code_fences import iter_fences, parse_fence, unclosed_fence_problem

MARKDOWN_FILES = sorted(ROOT.glob("content/**/*.md")) + sorted(FIXTURE_SITE.glob("**/*.md")) + [ROOT / "README.md"]
EXTENSIONS = ["guide.markdown.code_blocks", "admonition", "pymdownx.details", "pymdownx.tabbed", "attr_list", "md_in_html"]


def rendered_blocks(text: str, monkeypatch) -> list[tuple[str, str]]:
    """(language, code) of each block SuperFences hands to the project's renderer."""
    seen = []

    def record(code, language, attrs):
        seen.append((language or "", code))
        return "<pre></pre>"

    with monkeypatch.context() as patch:
        patch.setattr(code_blocks, "render_code", record)
        Markdown(extensions=EXTENSIONS, extension_configs={"pymdownx.tabbed": {"alternate_style": True}}).convert(text)
    return seen


def scanned_blocks(text: str) -> list[tuple[str, str]]:
    return [(fence.info.split()[0].strip("{}.") if fence.lang else "", fence.code) for fence in iter_fences(text)]


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_line_scanner_finds_the_blocks_superfences_renders(path, monkeypatch):
    text = path.read_text(encoding="utf-8")
    assert scanned_blocks(text) == rendered_blocks(text, monkeypatch)
    assert unclosed_fence_problem(text) is None


NESTED = """=== "Python"

    ```python {illustrative}
    print(1)

    print(2)
    ```

=== "JavaScript"

\t```js
\tconsole.log(1)
\t```

!!! note

    - item

        ~~~text
        x
        ~~~
"""


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("````\n```python\nx\n```\n````\n", [(1, "", "```python\nx\n```\n")]),  # a fence inside a longer one
        ("~~~\n```\n~~~\n", [(1, "", "```\n")]),  # only the same character closes
        ("```text\n    ```\n```\n", [(1, "text", "    ```\n")]),  # a fence indented otherwise is code
        ("```text\n````\n```\n", [(1, "text", "````\n")]),  # so is a longer one
        ("```a``` is inline code\n```\nb\n```\n", [(2, "", "b\n")]),  # not a fence: backticks after it
        ("```\n```\n", [(1, "", "")]),
        (NESTED, [(3, "python {illustrative}", "print(1)\n\nprint(2)\n"), (11, "js", "console.log(1)\n"), (19, "text", "x\n")]),
    ],
)
def test_fences_close_the_superfences_way(text, blocks, monkeypatch):
    assert [(fence.line, fence.info, fence.code) for fence in iter_fences(text)] == blocks
    assert unclosed_fence_problem(text) is None
    assert scanned_blocks(text) == rendered_blocks(text, monkeypatch)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a\n\n```python\nx\n", (3, "this fence is never closed; add a closing ``` line")),
        ("````\nx\n```\n", (1, "this fence is never closed; add a closing ```` line")),
        ("```\na\n`````\nb\n", (1, "this fence is never closed; add a closing ``` line")),  # a longer fence does not close
        (
            "- a\n\n    ```python\n    x\ny\n    ```\n",
            (
                3,
                "line 5 is indented less than this fence, which leaves the block unclosed; "
                "indent the block's lines as much as its fence, or close it with ``` before that line",
            ),
        ),
        ("```\nx\n", (1, "this fence is never closed; add a closing ``` line")),
        (
            "```\nx\n\n```python\ny\n```\n",
            (1, "this fence is never closed before line 4 opens another block; add a closing ``` line before it"),
        ),
    ],
)
def test_an_unclosed_fence_names_its_opening_line(text, problem):
    assert unclosed_fence_problem(text) == problem


def test_finding_fences_takes_time_linear_in_the_text():
    # Openings of growing length that nothing closes: the regex took 16 s on 2,000 such lines.
    text = "".join("`" * (3 + n % 50) + "x\n" for n in range(20_000))
    started = time.perf_counter()
    assert list(iter_fences(text)) == []
    assert unclosed_fence_problem(text)[0] == 1
    assert time.perf_counter() - started < 1


def test_the_policy_is_the_callers():
    text = "```python\nprint(1)\n```\n"
    [plain] = iter_fences(text)
    [checked] = iter_fences(text, policy=("python",))
    assert plain.problems == ()
    assert checked.problems == ('python blocks must say whether they are tested: add {test="ID"} and a test, or {illustrative}',)


@pytest.mark.parametrize(
    ("info", "lang", "attrs"),
    [
        ('python {test="echo" title="a.py" hl_lines="1"}', "python", {"test": "echo", "title": "a.py", "hl_lines": "1"}),
        ('python title="a.py" hl_lines="1" linenums="3"', "python", {"title": "a.py", "hl_lines": "1", "linenums": "3"}),
        ("{.python illustrative}", "python", {"illustrative": ""}),
        ('title="notes.txt"', None, {"title": "notes.txt"}),
    ],
)
def test_both_superfences_header_forms_are_read(info, lang, attrs):
    fence = parse_fence(info, "a\n", line=1)
    assert (fence.lang, fence.attrs, fence.problems) == (lang, attrs, ())


@pytest.mark.parametrize(
    ("info", "words"),
    [
        ('python title="a.py" illustrative', "write the attributes in braces"),  # Zensical would drop the block
        ("python hl_lines=1", 'write hl_lines="1" with quotes'),
        ('python {hl_lines="3"}', "the block has 1 lines, so 3 highlights nothing"),
        ('python {hl_lines="a"}', "give line numbers and ranges"),
        ('python {linenums="x"}', "give the first line's number"),
        ("python {a}b}", "cannot read"),
    ],
)
def test_a_header_zensical_or_superfences_would_misread_is_a_problem(info, words):
    problems = parse_fence(info, "a\n", line=1).problems
    assert any(words in problem for problem in problems), problems
