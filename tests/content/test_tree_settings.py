"""A content tree builds with its own settings (guide.toml) or the defaults, never with this guide's."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build_site, invoke_build, tree_digest

from guide.build.runner import BuildFailed
from guide.content.chapter_files import read_chapter_files
from guide.content.tree_settings import read_tree_settings
from guide.problems import ProblemLog

UNMARKED = "\n```python\nprint('a plain block')\n```\n\n```nginx\nworker_processes 1;\n```\n"


def chapter_titles(output):
    toc = BeautifulSoup((output / "table-of-contents.html").read_text(encoding="utf-8"), "html.parser")
    return [h.text for h in toc.select("ol.toc h2")]


@pytest.fixture
def foreign_tree(site_copy):
    """The fixture site without its guide.toml, with plain fenced blocks: any tree in the format."""
    (site_copy / "guide.toml").unlink()
    with open(site_copy / "pages/01-start/02-second.md", "a", encoding="utf-8") as page:
        page.write(UNMARKED)
    return site_copy


@pytest.mark.build
def test_a_tree_without_settings_builds_plain_blocks_even_strict(foreign_tree, tmp_path):
    result = build_site(foreign_tree, tmp_path / "out", strict=True, overrides={"CHAPTERS": {}})
    assert result.warnings == []
    page = BeautifulSoup((tmp_path / "out" / "second.html").read_text(encoding="utf-8"), "html.parser")
    python = page.select_one('figure.code[data-lang="python"]:not([data-test])')
    assert "a plain block" in python.text
    assert python.select_one(".code-tested") is None


@pytest.mark.build
def test_this_guides_chapter_titles_never_reach_another_tree(foreign_tree, tmp_path):
    build_site(foreign_tree, tmp_path / "out")
    titles = chapter_titles(tmp_path / "out")
    assert titles == ["Home page of the fixture", "Third page"]  # each chapter's first page
    guide_titles = (ROOT / "content" / "guide.toml").read_text(encoding="utf-8")
    assert all(title not in guide_titles for title in titles)


@pytest.mark.build
def test_a_trees_own_settings_apply(site_copy, tmp_path):
    build_site(site_copy, tmp_path / "out")
    assert chapter_titles(tmp_path / "out") == ["Getting started", "Going further"]
    with open(site_copy / "pages/01-start/02-second.md", "a", encoding="utf-8") as page:
        page.write(UNMARKED)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out")
    assert "python blocks must say whether they are tested" in failure.value.report()


def test_the_guides_own_content_keeps_its_policy_and_titles():
    log = ProblemLog()
    settings = read_tree_settings(str(ROOT / "content"), log)
    assert log.problems == []
    assert settings["TESTED_OR_ILLUSTRATIVE"] == ("python", "javascript", "nginx")
    assert "CHAPTERS" not in settings, "the guide titles its chapters in pages/NN-name/_chapter.md"
    chapters = read_chapter_files({"PATH": str(ROOT / "content"), "PAGE_PATHS": ["pages"]}, log)
    assert log.problems == []
    assert list(chapters) == ["01", "02", "03", "04", "05", "06"]
    assert settings["ERROR_INDEX_PAGE"] == "websocket-troubleshooting"


# (what the author wrote in guide.toml, the field named, words of the message)
BAD_SETTINGS = [
    ('tested_or_illustrative = ["python"\n', "end of file", "Unclosed array"),
    ("[chapters]\n01 = Foundations\n", "line 2", ""),
    ('chapter = {01 = "A"}\n', "chapter", "unknown setting (did you mean chapters?)"),
    ('chapters = "Foundations"\n', "chapters", "must be a table"),
    ('[chapters]\n1 = "One"\n', "chapters.1", "two digits from 01 to 99"),
    ('[chapters]\n00 = "Zero"\n', "chapters.00", "two digits from 01 to 99"),
    ('[chapters]\n"０１" = "Full-width digits"\n', "chapters.０１", "two digits"),
    ("[chapters]\n01 = 7\n", "chapters.01", "the title must be text"),
    ('[chapters]\n01 = "  "\n', "chapters.01", "the title must be text"),
    ('tested_or_illustrative = "python"\n', "tested_or_illustrative", "must be a list"),
    ('tested_or_illustrative = ["pyhton"]\n', "tested_or_illustrative", "unknown language 'pyhton'"),
    ('error_index_page = "Troubleshooting.html"\n', "error_index_page", "must be the slug of a page"),
    ("error_index_page = 5\n", "error_index_page", "must be the slug of a page"),
]


@pytest.mark.build
@pytest.mark.parametrize(("text", "field", "words"), BAD_SETTINGS, ids=[b[1] + ":" + b[0][:20] for b in BAD_SETTINGS])
def test_a_bad_settings_file_is_one_line_and_keeps_the_output(text, field, words, site_copy, tmp_path):
    output = tmp_path / "out"
    build_site(site_copy, output)
    before = tree_digest(output)
    (site_copy / "guide.toml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, output)
    lines = failure.value.report().splitlines()[:-1]
    assert [line for line in lines if line.startswith(f"{site_copy / 'guide.toml'}: {field}: ") and words in line], lines
    assert tree_digest(output) == before


@pytest.mark.build
def test_settings_that_are_not_utf8_are_one_line(site_copy, tmp_path):
    (site_copy / "guide.toml").write_bytes(b'[chapters]\n01 = "Caf\xe9"\n')
    run = invoke_build("--content", str(site_copy), "--output", str(tmp_path / "out"))
    assert run.returncode == 1
    assert f"{site_copy / 'guide.toml'}: file: cannot read it" in run.stderr
    assert "Traceback" not in run.stderr
