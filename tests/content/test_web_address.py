"""Web addresses in settings and options (guide/content/web_address.py): REPO_URL and EDIT_URL are
http(s) addresses with a host, or the build stops with one line naming the setting."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from helpers import FIXTURE_SITE, ROOT, build_site

from guide.build.runner import BuildFailed
from guide.content.web_address import address_problem, check_repository_urls
from guide.problems import ProblemLog

BAD = [
    "javascript:alert(1)//",
    "github.com/o/r",
    'https://github.com/o/r"',
    "https://github.com/o/r'x",
    "https://github.com/o r",
    "https://github.com/<o>/r",
    "https://",
    "https:/github.com/o/r",
    "ftp://github.com/o/r",
    "https://github.com/o/r?x=1",
    "https://[::1",
]


@pytest.mark.parametrize("value", BAD)
def test_anything_but_an_http_address_with_a_host_is_a_problem(value):
    assert address_problem(value)


@pytest.mark.parametrize("value", ["https://github.com/o/r", "http://git.example:8080/o/r/", "https://example.github.io/guide"])
def test_an_http_address_with_a_host_is_fine(value):
    assert address_problem(value) is None


@pytest.mark.parametrize("setting", ["REPO_URL", "EDIT_URL"])
@pytest.mark.parametrize("value", BAD[:4])
def test_a_bad_setting_is_one_line_naming_it(setting, value):
    settings, log = {"REPO_URL": "https://github.com/o/r", "EDIT_URL": "", setting: value}, ProblemLog()
    check_repository_urls(settings, log, "pelicanconf.py")
    [problem] = log.errors
    assert str(problem).startswith(f"pelicanconf.py: {setting}: {value!r}: ")
    assert '""' in str(problem)  # says how to turn the links off


def test_no_repository_is_no_problem():
    log = ProblemLog()
    check_repository_urls({"REPO_URL": "", "EDIT_URL": ""}, log, "pelicanconf.py")
    check_repository_urls({}, log, "pelicanconf.py")
    assert log.problems == []


@pytest.mark.build
@pytest.mark.parametrize("value", ["javascript:alert(1)//", "github.com/o/r", 'https://github.com/o/r"'])
def test_a_bad_repo_url_stops_the_build_with_one_line(tmp_path, value):
    with pytest.raises(BuildFailed) as failed:
        build_site(FIXTURE_SITE, tmp_path / "out", strict=True, search=False, overrides={"REPO_URL": value, "EDIT_URL": ""})
    lines = failed.value.report().splitlines()
    assert re.match(rf"\S*pelicanconf\.py: REPO_URL: {re.escape(repr(value))}: ", lines[0]), lines
    assert len(lines) == 2  # the problem and the summary
    assert not (tmp_path / "out").exists()


def test_edit_url_has_no_double_slash_when_repo_url_ends_with_one():
    code = "import pelicanconf; print(pelicanconf.EDIT_URL)"
    env = {**os.environ, "REPO_URL": "https://github.com/o/r/"}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "https://github.com/o/r/edit/main/content"


def test_an_edit_url_derived_from_a_bad_repo_url_is_not_reported_twice():
    settings, log = {"REPO_URL": "github.com/o/r", "EDIT_URL": "github.com/o/r/edit/main/content"}, ProblemLog()
    check_repository_urls(settings, log, "pelicanconf.py")
    assert [problem.field for problem in log.problems] == ["REPO_URL"]
