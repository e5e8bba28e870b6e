"""The link checker over built output, alone and as part of `invoke build --strict`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from guide.build.link_check import BrokenLink, check_external, check_site, external_links, report
from guide.build.runner import BuildFailed
from helpers import FIXTURE_SITE, ROOT, build_site, leftovers, tree_digest

SECOND = "pages/01-start/02-second.md"


def write_site(folder, files: dict[str, str]):
    for name, html in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return folder


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


def test_good_links_of_every_kind_pass(tmp_path):
    write_site(tmp_path, {
        "index.html": page('<h2 id="top-part">x</h2><a href="#top-part">self</a><a href="#top">top</a><a href="#">none</a>'
                           '<a href="/guide/">dir</a><a href="guide">dir without slash</a><a href="/a%20b.html">escaped</a>'
                           '<img src="/images/d.svg" srcset="/images/d.svg 1x, /images/d.svg 2x" alt="">'
                           '<a href="/images/d.svg#shape">svg id</a><link rel="stylesheet" href="/s.css?v=1">'
                           '<a href="https://example.org/x#frag">outside</a><a href="mailto:a@b.c">mail</a>'),
        "guide/index.html": page('<a href="../index.html#top-part">up</a><a name="old">legacy anchor</a>'),
        "a b.html": page('<a href="/guide/index.html#old">legacy</a>'),
        "images/d.svg": '<svg xmlns="http://www.w3.org/2000/svg"><path id="shape" d="M0 0"/></svg>',
        "s.css": "body{}",
    })
    assert check_site(tmp_path) == []


def test_a_broken_path_and_a_broken_fragment_fail(tmp_path):
    write_site(tmp_path, {
        "index.html": page('<h2 id="here">x</h2><a href="/gone.html">gone</a><a href="/other.html#nowhere">frag</a>'
                           '<a href="#nor-here">own frag</a><img src="images/missing.svg" alt="">'),
        "other.html": page('<h2 id="somewhere">x</h2>'),
    })
    assert check_site(tmp_path) == [
        BrokenLink("index.html", "#nor-here", 'no element with id="nor-here" in this page'),
        BrokenLink("index.html", "/gone.html", "no file gone.html in the build"),
        BrokenLink("index.html", "/other.html#nowhere", 'no element with id="nowhere" in other.html'),
        BrokenLink("index.html", "images/missing.svg", "no file images/missing.svg in the build"),
    ]


def test_published_links_stay_under_the_base_path(tmp_path):
    base = "https://example.github.io/guide"
    write_site(tmp_path, {
        "index.html": page(f'<a href="{base}/other.html">ok</a><a href="/other.html">escapes</a>'
                           f'<a href="https://example.github.io/elsewhere.html">other site</a>'),
        "other.html": page(""),
    })
    assert [(b.url, b.reason) for b in check_site(tmp_path, siteurl=base)] == [
        ("/other.html", "leaves the site's base path /guide/"),
        ("https://example.github.io/elsewhere.html", "leaves the site's base path /guide/"),
    ]
    assert external_links(tmp_path, siteurl=base) == {}


@pytest.mark.build
def test_strict_build_fails_on_a_broken_fragment_and_names_the_source(site_copy, tmp_path):
    output = tmp_path / "out"
    build_site(FIXTURE_SITE, output)
    before = tree_digest(output)
    with (site_copy / SECOND).open("a") as text:
        text.write("\nSee [the missing part](/home.html#no-such-heading).\n")
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, output, strict=True)
    [problem] = failed.value.problems.problems
    assert problem.path.endswith(SECOND) and problem.field == "link"
    assert problem.message == '/home.html#no-such-heading (in second.html): no element with id="no-such-heading" in home.html'
    assert tree_digest(output) == before and leftovers(output) == []


@pytest.mark.build
def test_strict_build_fails_on_a_broken_relative_path(site_copy, tmp_path):
    with (site_copy / SECOND).open("a") as text:
        text.write("\nSee [a page that is not there](not-there.html).\n")
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, tmp_path / "out", strict=True)
    [problem] = failed.value.problems.problems
    assert (problem.field, problem.message) == ("link", "not-there.html (in second.html): no file not-there.html in the build")


@pytest.mark.build
def test_a_plain_build_only_warns_about_a_broken_link(site_copy, tmp_path):
    with (site_copy / SECOND).open("a") as text:
        text.write("\nSee [the missing part](/home.html#no-such-heading).\n")
    result = build_site(site_copy, tmp_path / "out")
    assert [w.field for w in result.warnings] == ["link"]
    assert (tmp_path / "out" / "second.html").is_file()


def test_outside_links_that_cannot_be_reached_are_reported_not_raised():
    results = check_external(["http://127.0.0.1:9/nothing-listens-here", "https://host.invalid/"], timeout=2)
    assert all(results.values()), results


@pytest.mark.build
def test_linkcheck_task_writes_a_report(tmp_path):
    output = tmp_path / "out"
    build_site(FIXTURE_SITE, output)
    text, broken = report(output)
    assert broken == 0 and "## Internal links:" in text and "0 broken" in text
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "linkcheck", "--content", str(FIXTURE_SITE), "--output", str(output),
         "--report", str(tmp_path / "linkcheck.md")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in (tmp_path / "linkcheck.md").read_text()
