"""The Markdown extension for fenced code blocks (guide/markdown/code_blocks.py), on short texts:
a block is highlighted with the lexer its author named or shown plain, with its header, escaped."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown import Markdown

from guide.markdown.code_blocks import CodeBlocksExtension

SCRIPT = "<script>alert('&amp;')</script>"


def render(text: str) -> BeautifulSoup:
    return BeautifulSoup(Markdown(extensions=[CodeBlocksExtension()]).convert(text), "html.parser")


def test_a_named_language_is_highlighted_with_its_lexer():
    [block] = render('Before.\n\n```py\nprint("hi")\n```\n\nAfter.\n').select("figure.code")
    assert block["data-lang"] == "python"  # the alias, canonical
    assert block.select_one("figcaption .code-lang").text == "Python"
    assert block.select_one("pre.highlight code .nb").text == "print"
    assert block.select_one("pre.highlight").text == 'print("hi")\n'


def test_the_text_around_a_block_stays_markdown_and_the_code_does_not():
    page = render("Some *text*.\n\n```python\nx = 1  # *not emphasis*\n```\n\nMore *text*.\n")
    assert [p.em.text for p in page.find_all("p", recursive=False)] == ["text", "text"]
    assert page.select_one("figure.code").find("em") is None
    assert "# *not emphasis*" in page.select_one("figure.code pre").text


def test_the_header_shows_the_title_and_the_language():
    [block] = render('```python {title="echo_server.py" illustrative}\npass\n```\n').select("figure.code")
    head = block.select_one("figcaption.code-head")
    assert [span["class"][0] for span in head.find_all("span", recursive=False)] == ["code-title", "code-lang"]
    assert head.select_one(".code-title").text == "echo_server.py"


def test_a_tested_block_carries_its_id_and_the_tested_mark():
    [tested] = render('```python {test="echo-server"}\npass\n```\n').select("figure.code")
    assert tested["data-test"] == "echo-server"
    assert tested.select_one(".code-tested").text == "tested"
    [illustrative] = render("```python {illustrative}\npass\n```\n").select("figure.code")
    assert not illustrative.has_attr("data-test")
    assert illustrative.select(".code-tested") == []


def test_a_block_without_a_language_is_plain_and_never_guessed():
    page = render("```\ndef f():\n    return 1\n```\n")
    assert page.select("figure") == []
    [plain] = page.select("pre.code-plain > code")
    assert plain.text == "def f():\n    return 1\n"
    assert plain.find("span") is None


def test_a_block_in_an_unknown_language_is_plain():
    """Validation fails the build on it; the renderer still shows it, as plain text."""
    [plain] = render("```nosuchlanguage\nx\n```\n").select("pre.code-plain code")
    assert plain.text == "x\n"


def test_code_title_and_id_are_escaped():
    html = Markdown(extensions=[CodeBlocksExtension()]).convert(
        f"```\n{SCRIPT}\n```\n\n```html {{title='a\"<b>.html'}}\n{SCRIPT}\n```\n"
    )
    assert "<script>" not in html
    assert "<b>" not in html
    page = BeautifulSoup(html, "html.parser")
    assert [pre.text for pre in page.select("pre")] == [f"{SCRIPT}\n", f"{SCRIPT}\n"]
    assert page.select_one(".code-title").text == 'a"<b>.html'


def test_blocks_follow_one_another_in_order_with_either_fence():
    page = render("```python\na\n```\n~~~console\n$ b\n~~~\n\n````\nc\n````\n")
    assert [(pre.parent.get("data-lang"), pre.text) for pre in page.select("pre")] == [
        ("python", "a\n"),
        ("console", "$ b\n"),
        (None, "c\n"),
    ]


def test_an_unclosed_fence_is_left_as_text():
    """Validation fails the build on it, naming the line; rendering must not swallow the page."""
    page = render("```python\nprint(1)\n\nThe rest of the page.\n")
    assert page.select("figure, pre.code-plain") == []
    assert "The rest of the page." in page.text
