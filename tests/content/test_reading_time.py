"""Reading time (guide/content/reading_time.py): prose words, code blocks left out, 220 a minute."""

from __future__ import annotations

import shutil

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site
from markdown import Markdown

import pelicanconf
from guide.content.reading_time import WORDS_PER_MINUTE, minutes_to_read, prose_words


def html_of(text: str) -> str:
    return Markdown(**pelicanconf.MARKDOWN).convert(text)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<p>One two three.</p>", 3),
        ("<p>Use <code>ws.send()</code> &mdash; then wait.</p>", 4),  # a lone dash is no word
        ("<ul><li>a</li><li>b c</li></ul><table><tr><td>d</td></tr></table>", 4),
        ("<p>one</p><pre><code>two three four\nfive</code></pre><p>six</p>", 2),
        ('<div class="highlight"><pre><span>x = 1</span></pre></div><p>after</p>', 1),
        ("<p>Inline <svg><text>not prose</text></svg> text</p>", 2),
        (
            '<figure class="code"><figcaption>app.py Python</figcaption><pre>x</pre></figure><figure><figcaption>A cat</figcaption></figure>',
            2,
        ),
        ("<pre><pre>nested</pre> still code</pre><p>out</p>", 1),
        ("<p>Line<br/>break <img src=a.png alt=x> here</p>", 3),
        ("", 0),
    ],
)
def test_prose_words_count_what_a_reader_reads(body, words):
    assert prose_words(body) == words


def test_headings_permalinks_and_fenced_code_of_real_markdown():
    text = "## Connect the client\n\nOpen a socket now.\n\n```python\nimport asyncio\nasyncio.run(main())\n```\n"
    assert prose_words(html_of(text)) == 3 + 4  # the heading's "#" permalink and the code are left out


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (WORDS_PER_MINUTE, 1), (WORDS_PER_MINUTE + 1, 2), (10 * WORDS_PER_MINUTE, 10)],
)
def test_minutes_round_up_and_are_never_zero(words, minutes):
    assert minutes_to_read(words) == minutes


@pytest.mark.build
def test_a_long_page_and_a_post_show_their_reading_time(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    prose = " ".join(["word"] * 1000)  # 1000 words: 5 minutes at 220 a minute (4.5, rounded up)
    code = "\n".join(["print('listing')"] * 2000)  # a long listing that would make it 14
    page = content / "pages" / "02-more" / "02-long.md"
    page.write_text(
        f"title: Long\nslug: long\nsort-order: 0202\nmeta: A long page.\n\n{prose}\n\n```python {{illustrative}}\n{code}\n```\n",
        "utf-8",
    )
    output = tmp_path / "out"
    build_site(content, output, strict=True, search=False)

    def reading_time(path: str) -> str:
        page = BeautifulSoup((output / path).read_text("utf-8"), "html.parser")
        [shown] = [tag for tag in page.select("article header *") if tag.string and "min read" in tag.string]
        assert shown.has_attr("data-pagefind-ignore"), "search results would quote it"
        return shown.get_text(" ", strip=True).lstrip("· ")

    assert reading_time("long.html") == "5 min read"
    assert reading_time("second.html") == "1 min read"
    assert reading_time("blog/launch.html") == "1 min read"
