"""Snippets (``--8<--``): off in the project's Markdown; confined to the content folder when a
site turns it on, so that no page can publish a file of the build machine."""

from __future__ import annotations

import copy

import pytest
from helpers import build_site

import pelicanconf
from guide.build.runner import BuildFailed
from guide.markdown.snippets import confine_snippets, snippet_lines

SECRET = "TOKEN-5b2f-never-publish"
PAGE = "pages/01-start/02-second.md"


def test_snippet_lines_outside_code_blocks_are_found_and_code_is_left_alone():
    text = 'a\n--8<-- "x.md"\n\n```text\n--8<-- "y.md"\n```\n\n    --8<--\n;--8<-- "z.md"\n`--8<--`\n'
    assert snippet_lines(text) == [2, 8]


def test_a_site_that_turns_snippets_on_gets_them_confined_whatever_it_configured():
    settings = {
        "PATH": "/site/content",
        "MARKDOWN": {
            "extensions": ["pymdownx.snippets"],
            "extension_configs": {"pymdownx.snippets": {"base_path": ["/"], "restrict_base_path": False, "url_download": True}},
        },
    }
    confine_snippets(settings)
    config = settings["MARKDOWN"]["extension_configs"]["pymdownx.snippets"]
    assert config == {"base_path": ["/site/content"], "restrict_base_path": True, "url_download": False, "check_paths": True}


def snippets_on() -> dict:
    markdown = copy.deepcopy(pelicanconf.MARKDOWN)
    markdown["extensions"].append("pymdownx.snippets")
    return {"MARKDOWN": markdown}


@pytest.mark.build
def test_with_snippets_on_a_file_of_the_content_is_inserted(site_copy, tmp_path):
    (site_copy / "pages" / "01-start" / "note.txt").write_text("Shared words.\n", encoding="utf-8")
    with open(site_copy / PAGE, "a", encoding="utf-8") as page:
        page.write('\n--8<-- "pages/01-start/note.txt"\n')
    build_site(site_copy, tmp_path / "out", overrides=snippets_on())
    assert "Shared words." in (tmp_path / "out" / "second.html").read_text(encoding="utf-8")


@pytest.mark.build
@pytest.mark.parametrize("path", ["../secret.txt", "/etc/hostname", "{content}/../secret.txt"])
def test_with_snippets_on_a_file_outside_the_content_fails_the_build(path, site_copy, tmp_path):
    (site_copy.parent / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    with open(site_copy / PAGE, "a", encoding="utf-8") as page:
        page.write(f'\n--8<-- "{path.format(content=site_copy)}"\n')
    with pytest.raises(BuildFailed) as failed:
        build_site(site_copy, tmp_path / "out", overrides=snippets_on())
    report = str(failed.value)
    assert "02-second.md" in report
    assert "Traceback" not in report
    assert not (tmp_path / "out").exists() or SECRET not in (tmp_path / "out" / "second.html").read_text(encoding="utf-8")
