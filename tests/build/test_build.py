"""A good content tree builds, renders its choices and code blocks right, and builds the same twice."""

from __future__ import annotations

import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from helpers import ROOT, build_site, leftovers, tree_digest

pytestmark = pytest.mark.build


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from helpers import FIXTURE_SITE

    output = tmp_path_factory.mktemp("site") / "output"
    result = build_site(FIXTURE_SITE, output, strict=True)
    assert (result.pages, result.posts, result.warnings) == (3, 2, [])
    return output


def test_pages_and_posts_publish_at_their_slugs(built):
    for path in ("home.html", "second.html", "third.html", "blog/launch.html", "blog/notes.html",
                 "index.html", "blog.html", "table-of-contents.html", "404.html", "images/diagram.svg"):
        assert (built / path).is_file(), path


def test_choices_render_as_links_to_their_targets(built):
    cards = soup(built / "home.html").select(".choices a")
    assert [(a["href"], a.get_text(strip=True)) for a in cards] == [
        ("/second.html", "What comes second?"),
        ("/table-of-contents.html", "Where is everything?"),
        ("https://datatracker.ietf.org/doc/html/rfc6455", "Where is the RFC?"),
    ]
    play = ROOT / "theme" / "icons" / "play.svg"
    assert 'd="M10 8l6 4-6 4z"' in play.read_text() and 'd="M10 8l6 4-6 4z"' in str(cards[0].svg)
    assert soup(built / "third.html").select(".choices") == []


def test_code_blocks_use_the_named_lexer_and_never_guess(built):
    third = soup(built / "third.html")
    nginx, console, javascript = third.select("figure.code")
    assert nginx["data-lang"] == "nginx" and nginx.select_one(".code-lang").text == "Nginx"
    assert nginx.select("pre span"), "nginx block is not highlighted"
    assert console["data-lang"] == "console" and console.select(".gp"), "console prompt not highlighted"
    [plain] = third.select("pre.code-plain")
    assert plain.find("span") is None and "def f(): pass" in plain.text

    home = soup(built / "home.html")
    [python] = home.select("figure.code")
    assert python["data-test"] == "fixture-hello"
    assert python.select_one(".code-title").text == "hello.py"
    assert python.select_one(".code-tested").text == "tested"
    assert python.select_one("pre .nb").text == "print"
    assert javascript.select_one(".code-tested") is None  # illustrative blocks carry no mark


def test_two_builds_are_byte_identical(built, tmp_path):
    from helpers import FIXTURE_SITE

    again = tmp_path / "again"
    build_site(FIXTURE_SITE, again, strict=True)
    assert tree_digest(again) == tree_digest(built)


def test_a_good_build_replaces_its_output_and_leaves_nothing_beside_it(tmp_path, site_copy):
    output = tmp_path / "output"
    build_site(site_copy, output)
    (output / "stale.html").write_text("from an older build")
    build_site(site_copy, output)
    assert not (output / "stale.html").exists()
    assert (output / "home.html").is_file()
    assert leftovers(output) == []


def test_foreign_content_folder_renders_without_touching_output(tmp_path):
    from helpers import FIXTURE_SITE

    project_output = ROOT / "output"
    before = tree_digest(project_output) if project_output.exists() else None
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--content", str(FIXTURE_SITE), "--output", str(tmp_path / "elsewhere")],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "Built 3 pages and 2 posts" in run.stdout
    assert (tmp_path / "elsewhere" / "home.html").is_file()
    after = tree_digest(project_output) if project_output.exists() else None
    assert after == before


@pytest.mark.parametrize("mistake, error", [
    ("{% if %}", "TemplateSyntaxError"),
    ("{{ page.nope.deeper }}", "UndefinedError"),
])
def test_a_broken_template_is_named_with_its_line_not_the_settings(mistake, error, tmp_path):
    import shutil

    from guide.build.runner import BuildFailed
    from helpers import FIXTURE_SITE

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "page.html"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if "{% block content %}" in line)
    lines[number - 1] = lines[number - 1].replace("{% block content %}", "{% block content %}" + mistake)
    template.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(FIXTURE_SITE, tmp_path / "out", overrides={"THEME": str(theme)})
    [line, _] = failure.value.report().splitlines()
    assert line.startswith(f"{template}: line {number}: {error}: "), line
