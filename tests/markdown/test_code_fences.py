"""Fenced code blocks are found line by line: as the regex found them in valid content, rendered
to the same bytes, closed the CommonMark way, and in time linear in the text's length."""

from __future__ import annotations

import time

import pytest
from helpers import FIXTURE_SITE, ROOT
from markdown import Markdown
from markdown.preprocessors import Preprocessor

from guide.markdown.code_blocks import render_fence
from guide.markdown.code_fences import FENCE_RE, iter_fences, parse_fence, unclosed_fence_problem

MARKDOWN_FILES = sorted(ROOT.glob("content/**/*.md")) + sorted(FIXTURE_SITE.glob("**/*.md")) + [ROOT / "README.md"]


def blocks_by_regex(text: str) -> list[tuple]:
    """What the regex (the project's grammar until the line scanner) finds."""
    return [(text.count("\n", 0, match.start()) + 1, match["info"].strip(), match["code"]) for match in FENCE_RE.finditer(text)]


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_line_scanner_finds_what_the_regex_found(path):
    text = path.read_text(encoding="utf-8")
    assert [(fence.line, fence.info, fence.code) for fence in iter_fences(text)] == blocks_by_regex(text)
    assert unclosed_fence_problem(text) is None


class _RegexPreprocessor(Preprocessor):
    """The project's Markdown preprocessor as it was, on the regex."""

    def run(self, lines):
        def replace(match):
            placeholder = self.md.htmlStash.store(render_fence(parse_fence(match["info"], match["code"], line=0)))
            return f"\n\n{placeholder}\n\n"

        return FENCE_RE.sub(replace, "\n".join(lines)).split("\n")


def test_every_page_renders_to_the_same_html_as_with_the_regex():
    extensions = [
        "guide.markdown.code_blocks",
        "markdown.extensions.meta",
        "markdown.extensions.tables",
        "markdown.extensions.attr_list",
    ]
    for path in MARKDOWN_FILES:
        text = path.read_text(encoding="utf-8")
        scanned = Markdown(extensions=extensions).convert(text)
        by_regex = Markdown(extensions=extensions)
        by_regex.preprocessors.register(_RegexPreprocessor(by_regex), "guide_code_blocks", 26)
        assert scanned == by_regex.convert(text), path


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("````\n```python\nx\n```\n````\n", [(1, "", "```python\nx\n```\n")]),  # a fence inside a longer one
        ("```\na\n`````\nb\n", [(1, "", "a\n")]),  # closed by a longer fence
        ("~~~\n```\n~~~\n", [(1, "", "```\n")]),  # only the same character closes
        ("```text\n    ```\n```\n", [(1, "text", "    ```\n")]),  # an indented fence is code
        ("```a``` is inline code\n```\nb\n```\n", [(2, "", "b\n")]),  # not a fence: backticks after it
        ("```\n```\n", [(1, "", "")]),
    ],
)
def test_fences_close_the_commonmark_way(text, blocks):
    assert [(fence.line, fence.info, fence.code) for fence in iter_fences(text)] == blocks
    assert unclosed_fence_problem(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a\n\n```python\nx\n", (3, "this fence is never closed; add a closing ``` line")),
        ("````\nx\n```\n", (1, "this fence is never closed; add a closing ```` line")),
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
