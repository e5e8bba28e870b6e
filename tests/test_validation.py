"""Every rule of the page format: a good tree plus one fault fails the build with a clear line,
and the previous output stays byte-for-byte as it was."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from guide_plugins.build import BuildFailed
from helpers import ROOT, build_site, leftovers, tree_digest

HOME = "pages/01-start/01-home.md"
SECOND = "pages/01-start/02-second.md"
THIRD = "pages/02-more/01-third.md"
LAUNCH = "blog/launch.rst"
NOTES = "blog/notes.md"


def replace(path: str, old: str, new: str):
    def fault(content: Path) -> None:
        file = content / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"fixture changed: {old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return fault


def append(path: str, text: str):
    def fault(content: Path) -> None:
        with open(content / path, "a", encoding="utf-8") as file:
            file.write(text)

    return fault


def write_bytes(path: str, data: bytes):
    def fault(content: Path) -> None:
        (content / path).write_bytes(data)

    return fault


# (rule, fault, file named in the message, field named in the message, words of the fix)
FAULTS = [
    ("title required", replace(SECOND, "title: Second page\n", ""), SECOND, "title", "missing"),
    ("slug required", replace(SECOND, "slug: second\n", ""), SECOND, "slug", "missing"),
    ("sort-order required", replace(SECOND, "sort-order: 0102\n", ""), SECOND, "sort-order", "missing"),
    ("meta required", replace(SECOND, "meta: The second page", "summary: The second page"), SECOND, "meta", "missing"),
    ("slug format", replace(THIRD, "slug: third", "slug: Third_Page"), THIRD, "slug", "'third-page'"),
    ("slug unique", replace(THIRD, "slug: third", "slug: second"), SECOND, "slug", "already used"),
    ("sort-order four digits", replace(THIRD, "sort-order: 0201", "sort-order: 201"), THIRD, "sort-order", "four digits"),
    ("sort-order from 01", replace(THIRD, "sort-order: 0201", "sort-order: 0200"), THIRD, "sort-order", "start at 01"),
    ("sort-order unique", replace(THIRD, "sort-order: 0201", "sort-order: 0102"), SECOND, "sort-order", "already used"),
    ("choice url names a page", replace(HOME, "choice1url: /second.html", "choice1url: /secnd.html"), HOME, "choice1url", "matches no page (did you mean /second.html?)"),
    ("choice needs a text", replace(SECOND, "choice1text: Back to the start?", "choice1text:"), SECOND, "choice1text", "needs a url and a text"),
    ("choice needs a url", replace(SECOND, "choice1url: /home.html", "choice1url:"), SECOND, "choice1url", "needs a url and a text"),
    ("choice url https", replace(HOME, "choice4url: https://", "choice4url: http://"), HOME, "choice4url", "use https://"),
    ("choice url form", replace(HOME, "choice1url: /second.html", "choice1url: second.html"), HOME, "choice1url", "site path"),
    ("at most four choices", replace(HOME, "choice4url:", "choice5url: /second.html\nchoice5text: More?\nchoice4url:"), HOME, "choice5url", "choices 1 to 4"),
    ("body links resolve", replace(SECOND, "Some text.", "See [this](/nowhere.html)."), SECOND, "body", "/nowhere.html matches no page"),
    ("images resolve", replace(SECOND, "Some text.", "![x](/images/diagam.svg)"), SECOND, "body", "did you mean /images/diagram.svg?"),
    ("post links resolve", replace(LAUNCH, "</home.html>", "</hom.html>"), LAUNCH, "body", "/hom.html matches no page"),
    ("valid UTF-8", write_bytes(SECOND, b"title: Second\nslug: second\nsort-order: 0102\nmeta: m\n\ncaf\xe9\n"), SECOND, "encoding", "not valid UTF-8"),
    ("code language known", replace(HOME, "```python {", "```pyhton {"), HOME, "line 23 code block", "unknown language 'pyhton' (did you mean python?)"),
    ("code attributes known", replace(HOME, 'title="hello.py"', 'titel="hello.py"'), HOME, "line 23 code block", "unknown attribute 'titel' (did you mean title?)"),
    ("python blocks say if tested", replace(HOME, '{test="fixture-hello" title="hello.py"}', ""), HOME, "line 23 code block", "must say whether they are tested"),
    ("test ids unique", append(SECOND, '\n```python {test="fixture-hello"}\nprint(2)\n```\n'), SECOND, "line 13 code block", "already used at"),
    ("nginx context known", replace(THIRD, 'context="server"', 'context="events"'), THIRD, "line 6 code block", "must be one of"),
    ("post date required", replace(LAUNCH, ":date: 2026-11-01\n", ""), LAUNCH, "date", "missing"),
    ("post slug format", replace(NOTES, "slug: notes", "slug: My Notes"), NOTES, "slug", "lowercase words"),
]


@pytest.fixture
def previous_output(tmp_path, site_copy) -> Path:
    """An output folder holding a good build of the fixture site."""
    output = tmp_path / "output"
    build_site(site_copy, output)
    return output


@pytest.mark.parametrize("rule, fault, path, field, words", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_fails_the_build_with_a_clear_line(rule, fault, path, field, words, site_copy, previous_output):
    before = tree_digest(previous_output)
    fault(site_copy)

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output)

    report = failure.value.report()
    expected = f"{site_copy / path}: {field}"
    lines = [line for line in report.splitlines() if line.startswith(expected) and words in line]
    assert lines, f"no line starting {expected!r} and containing {words!r} in:\n{report}"
    assert "Traceback" not in report
    assert tree_digest(previous_output) == before, "a failed build changed the previous output"
    assert leftovers(previous_output) == []


def test_all_problems_are_reported_in_one_run(site_copy, tmp_path):
    replace(SECOND, "title: Second page\n", "")(site_copy)
    replace(THIRD, "slug: third", "slug: Third")(site_copy)
    replace(HOME, "choice1url: /second.html", "choice1url: /nope.html")(site_copy)

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out")

    fields = {line.split(": ")[1] for line in failure.value.report().splitlines()[:-1]}
    assert {"title", "slug", "choice1url"} <= fields
    assert not (tmp_path / "out").exists()


def test_unknown_icon_warns_draws_the_default_and_fails_only_when_strict(site_copy, tmp_path):
    replace(HOME, "choice1icon: fa-play fa-inverse", "choice1icon: fa-rocket fa-inverse")(site_copy)

    result = build_site(site_copy, tmp_path / "out")
    [warning] = result.warnings
    assert (warning.path.endswith(HOME), warning.field) == (True, "choice1icon")
    assert "fa-rocket is not an icon the theme draws" in warning.message
    default_icon = (ROOT / "theme" / "icons" / "arrow-right.svg").read_text().strip()
    assert default_icon in (tmp_path / "out" / "home.html").read_text()

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", strict=True)
    assert "--strict" in failure.value.report()


def test_unknown_field_is_a_warning_with_a_suggestion(site_copy, tmp_path):
    replace(SECOND, "choice1text:", "choise1text: typo\nchoice1text:")(site_copy)
    result = build_site(site_copy, tmp_path / "out")
    assert [str(w).split(": ", 1)[1] for w in result.warnings] == [
        f"{site_copy / SECOND}: choise1text: unknown field (did you mean choice1text?); it is ignored"
    ]


def test_cli_exits_non_zero_without_traceback(site_copy, tmp_path):
    replace(HOME, "choice1url: /second.html", "choice1url: /secnd.html")(site_copy)
    run = subprocess.run(
        [sys.executable, "-m", "invoke", "build", "--content", str(site_copy), "--output", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 1
    assert f"{site_copy / HOME}: choice1url: /secnd.html matches no page (did you mean /second.html?)" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert re.search(r"Build failed: 1 error\(s\)\. The previous output was left as it was\.", run.stderr)


@pytest.mark.parametrize("limit", [0, "12"])
def test_a_bad_sidebar_limit_names_the_setting_and_keeps_the_output(limit, site_copy, previous_output):
    before = tree_digest(previous_output)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output, overrides={"CHAPTER_NAV_LIMIT": limit})
    report = failure.value.report()
    assert re.search(rf"pelicanconf\.py: CHAPTER_NAV_LIMIT: {re.escape(repr(limit))}: .*a whole number of 1 or more", report), report
    assert tree_digest(previous_output) == before
    assert leftovers(previous_output) == []
