"""The announcement banner (guide/content/announcement.py): the ANNOUNCEMENT setting, escaped but
for its links, on every page, keyed by its text; a bad setting is one line naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site

from guide.build.runner import BuildFailed
from guide.content.announcement import KEY_SETTING, announcement_key, apply_announcement, render
from guide.problems import ProblemLog

BASE = "https://example.github.io/guide"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Plain text.", "Plain text."),
        ("  Two\n  lines  ", "Two lines"),
        ("<b>bold</b> & <script>x()</script>", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;"),
        ("See [the notes](/blog/v2.html).", f'See <a href="{BASE}/blog/v2.html">the notes</a>.'),
        (
            "[a](https://a.example/?x=1&y=2) and [b](http://b.example)",
            '<a href="https://a.example/?x=1&amp;y=2">a</a> and <a href="http://b.example">b</a>',
        ),
        (
            '[<i>x</i>](/a.html?q="<b>")',
            f'<a href="{BASE}/a.html?q=&#34;&lt;b&gt;&#34;">&lt;i&gt;x&lt;/i&gt;</a>',
        ),  # both escaped
        ("[unclosed](/a.html and [x]", "[unclosed](/a.html and [x]"),
    ],
)
def test_the_text_is_escaped_but_for_its_links(text, html):
    rendered, problems = render(text, BASE)
    assert problems == []
    assert str(rendered) == html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "javascript:void", "blog.html", "//evil.example/x", "data:text/html,x", "#top"]
)
def test_a_link_to_anything_but_a_site_path_or_a_web_address_is_refused(url):
    rendered, problems = render(f"Read [this]({url}) now", BASE)
    assert len(problems) == 1
    assert f"link to {url!r}:" in problems[0]  # as written, though the link ends at its first ")"
    assert "<a " not in str(rendered)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("[x](javascript:alert(1)) now", "javascript:alert(1)"),
        ("[x](javascript:f(g(1))) now", "javascript:f(g(1))"),
        ("[x](javascript:alert(1) now", "javascript:alert(1"),  # unbalanced as written: nothing added
        ("[x](javascript:alert(1)", "javascript:alert(1"),
    ],
)
def test_a_refused_link_is_quoted_as_written(text, quoted):
    _, [problem] = render(text, BASE)
    assert problem.startswith(f"link to {quoted!r}: ")


def test_a_long_announcement_is_a_warning_naming_its_length():
    text = "Read this. " * 30 + "[the notes](/blog/v2.html)"
    visible = len(" ".join(text.split()).replace("[the notes](/blog/v2.html)", "the notes"))
    settings, log = {"ANNOUNCEMENT": text, "SITEURL": ""}, ProblemLog()
    apply_announcement(settings, log, "pelicanconf.py")
    assert log.errors == []
    [warning] = log.warnings
    assert str(warning).startswith(f"warning: pelicanconf.py: ANNOUNCEMENT: {visible} characters")
    assert "200" in str(warning)


@pytest.mark.parametrize("length", [1, 200])
def test_an_announcement_up_to_200_visible_characters_is_fine(length):
    text = "x" * (length - 1) + "[y](https://links.example/" + "z" * 300 + ")"  # the URL is not shown
    settings, log = {"ANNOUNCEMENT": text, "SITEURL": ""}, ProblemLog()
    apply_announcement(settings, log, "pelicanconf.py")
    assert log.problems == []


def test_the_key_follows_the_text():
    assert announcement_key("Version 2 is out") == announcement_key("Version 2 is out")
    assert announcement_key("Version 2 is out") != announcement_key("Version 3 is out")
    assert re.fullmatch(r"[0-9a-f]{12}", announcement_key("x"))


@pytest.mark.parametrize("value", [42, ["a", "b"], None, True, b"bytes"])
def test_a_setting_that_is_not_text_is_one_problem_naming_it(value):
    settings, log = {"ANNOUNCEMENT": value, "SITEURL": ""}, ProblemLog()
    apply_announcement(settings, log, "pelicanconf.py")
    [problem] = log.errors
    assert str(problem).startswith(f"pelicanconf.py: ANNOUNCEMENT: {value!r}: set it to one line of text")
    assert settings[KEY_SETTING] == ""


def test_no_setting_means_no_banner():
    settings, log = {"SITEURL": ""}, ProblemLog()
    apply_announcement(settings, log)
    assert (settings["ANNOUNCEMENT"], str(settings["ANNOUNCEMENT_HTML"]), settings[KEY_SETTING]) == ("", "", "")
    assert log.problems == []


# --- In a built site ---------------------------------------------------------------------------

TEXT = "Version 2 is out: [read the notes](/blog/launch.html) <today>."


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("announcement") / "out"
    build_site(FIXTURE_SITE, output, strict=True, search=False, overrides={"ANNOUNCEMENT": TEXT})
    return output


@pytest.mark.build
def test_every_page_shows_the_banner_with_its_key(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        banner = page.select_one('body > section.announcement[aria-label="Announcement"]')
        assert banner is not None, path.name
        assert banner.p.get_text() == "Version 2 is out: read the notes <today>."
        assert banner.a["href"] == "/blog/launch.html"  # the link check followed it: the build is strict
        assert page.html["data-announcement"] == announcement_key(TEXT)
        assert banner.button.has_attr("hidden")  # without JavaScript there is nothing to dismiss it with


@pytest.mark.build
def test_without_an_announcement_no_page_has_a_banner(tmp_path):
    output = tmp_path / "out"
    build_site(FIXTURE_SITE, output, search=False)
    page = (output / "second.html").read_text("utf-8")
    assert 'class="announcement"' not in page
    assert "data-announcement" not in page


@pytest.mark.build
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["Version 2"], "['Version 2']: set it to one line of text"),
        ("See [x](javascript:void)", "link to 'javascript:void': write a site path"),
    ],
)
def test_a_bad_setting_stops_the_build_with_one_line(tmp_path, value, message):
    with pytest.raises(BuildFailed) as failed:
        build_site(FIXTURE_SITE, tmp_path / "out", search=False, overrides={"ANNOUNCEMENT": value})
    lines = failed.value.report().splitlines()
    assert re.match(rf"\S*pelicanconf\.py: ANNOUNCEMENT: {re.escape(message)}", lines[0]), lines
    assert len(lines) == 2  # the problem and the summary
    assert not (tmp_path / "out").exists()
