"""reStructuredText posts cannot publish a file of the build machine nor raw HTML; docutils' messages
and bad dates are lines of the build's report (file, line or field, what to do), never a box in the
page, a line on stderr or a bare "Could not process"."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import build_site, invoke_build, leftovers, replace, tree_digest

from guide.build.runner import BuildFailed

pytestmark = pytest.mark.build

LAUNCH = "blog/launch.rst"
NOTES = "blog/notes.md"
SECRET = "TOKEN-ghp-0123456789-do-not-publish"
APPENDED = "line 10"  # the first line of text appended to the fixture's post


def secret_file(content: Path) -> Path:
    """A file of the build machine beside the content folder, as .git/config is beside content/."""
    return content.parent / "secret.txt"


def append(path: str, text):
    """Append ``text`` (or ``text(content)``) to a file of the content tree."""

    def fault(content: Path) -> None:
        with open(content / path, "a", encoding="utf-8") as file:
            file.write("\n" + (text(content) if callable(text) else text))

    return fault


def rename(path: str, new_name: str):
    def fault(content: Path) -> None:
        (content / path).rename((content / path).with_name(new_name))

    return fault


# (rule, fault, file named in the message, field named in the message, words of the message)
FAULTS = [
    ("include of an absolute path", append(LAUNCH, lambda c: f".. include:: {secret_file(c)}\n"), LAUNCH, APPENDED, "the include directive is disabled"),
    ("include of a relative path", append(LAUNCH, ".. include:: ../../secret.txt\n"), LAUNCH, APPENDED, "paste the text instead"),
    ("literal include", append(LAUNCH, lambda c: f".. include:: {secret_file(c)}\n   :literal:\n"), LAUNCH, APPENDED, "the include directive is disabled"),
    ("raw html", append(LAUNCH, ".. raw:: html\n\n   <script>alert(1)</script>\n"), LAUNCH, APPENDED, "the raw directive is disabled: raw HTML could put any script on the site"),
    ("raw role", append(LAUNCH, ".. role:: html(raw)\n   :format: html\n\nSee the\n:html:`<script>alert(1)</script>`.\n"), LAUNCH, "line 14", "raw roles are disabled"),
    ("csv-table file", append(LAUNCH, lambda c: f".. csv-table:: Secrets\n   :file: {secret_file(c)}\n"), LAUNCH, APPENDED, "the :file: and :url: options of the csv-table directive are disabled"),
    ("csv-table url", append(LAUNCH, lambda c: f".. csv-table:: Secrets\n   :url: file://{secret_file(c)}\n"), LAUNCH, APPENDED, "the :file: and :url: options of the csv-table directive are disabled"),
    ("unknown directive", append(LAUNCH, ".. frobnicate:: x\n"), LAUNCH, APPENDED, 'Unknown directive type "frobnicate".'),
    ("unknown role", append(LAUNCH, "Call :frobnicate:`x`.\n"), LAUNCH, APPENDED, 'Unknown interpreted text role "frobnicate".'),
    ("unknown link target", append(LAUNCH, "See `nowhere`_.\n"), LAUNCH, APPENDED, 'Unknown target name: "nowhere".'),
    ("rst title missing", replace(LAUNCH, "Launching the fixture\n#####################\n", ""), LAUNCH, "title", "missing"),
    ("rst date", replace(LAUNCH, ":date: 2026-11-01", ":date: 2026-13-45"), LAUNCH, "date", "'2026-13-45' is not a date; write YYYY-MM-DD (e.g. 2026-11-21)"),
    ("rst modified", replace(LAUNCH, ":date: 2026-11-01", ":date: 2026-11-01\n:modified: soon"), LAUNCH, "modified", "'soon' is not a date; write YYYY-MM-DD"),
    ("markdown date", replace(NOTES, "date: 2026-11-02", "date: yesterday"), NOTES, "date", "'yesterday' is not a date; write YYYY-MM-DD (e.g. 2026-11-21)"),
    ("date without a day", replace(NOTES, "date: 2026-11-02", "date: 2026-11"), NOTES, "date", "'2026-11' has no day; write YYYY-MM-DD"),
    ("date too large", replace(NOTES, "date: 2026-11-02", "date: 99999999999999999999999"), NOTES, "date", "is not a date"),
    ("date in the file name", rename(NOTES, "2026-13-45-notes.md"), "blog/2026-13-45-notes.md", "file name", "'2026-13-45' is not a date; rename the file with a real date (e.g. 2026-11-21-notes.md)"),
]  # fmt: skip


@pytest.fixture
def previous_output(previous_output, site_copy) -> Path:
    """The shared good build, and a secret beside the content."""
    secret_file(site_copy).write_text(f"{SECRET}\n", encoding="utf-8")
    return previous_output


@pytest.mark.parametrize(("rule", "fault", "path", "field", "words"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_fails_the_build_with_one_clear_line(rule, fault, path, field, words, site_copy, previous_output):
    before = tree_digest(previous_output)
    fault(site_copy)

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, previous_output, strict=True)

    report = failure.value.report()
    problems = report.splitlines()[:-1]
    assert problems == [problems[0]], f"one root cause, one line:\n{report}"
    assert problems[0].startswith(f"{site_copy / path}: {field}: "), report
    assert words in problems[0], report
    assert "Traceback" not in report
    assert SECRET not in report
    assert tree_digest(previous_output) == before, "a failed build changed the previous output"
    assert leftovers(previous_output) == []


def test_no_build_publishes_the_secret(site_copy, tmp_path):
    """Even the options of a trusted site cannot turn file insertion back on."""
    secret_file(site_copy).write_text(f"{SECRET}\n", encoding="utf-8")
    append(LAUNCH, ".. include:: ../../secret.txt\n")(site_copy)
    trusting = {"RST_RAW_HTML": True, "DOCUTILS_SETTINGS": {"file_insertion_enabled": True, "halt_level": 5, "report_level": 1}}

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", overrides=trusting)

    assert f"{site_copy / LAUNCH}: {APPENDED}: the include directive is disabled" in failure.value.report()
    assert not (tmp_path / "out").exists()


def test_trusted_site_may_publish_raw_html_but_no_file(site_copy, tmp_path):
    append(LAUNCH, '.. raw:: html\n\n   <aside class="trusted">Trusted HTML</aside>\n')(site_copy)
    build_site(site_copy, tmp_path / "out", strict=True, overrides={"RST_RAW_HTML": True})
    assert '<aside class="trusted">Trusted HTML</aside>' in (tmp_path / "out" / "blog" / "launch.html").read_text()

    append(LAUNCH, f".. raw:: html\n   :file: {site_copy / 'blog' / 'notes.md'}\n")(site_copy)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", overrides={"RST_RAW_HTML": True})
    assert (
        f"{site_copy / LAUNCH}: line 14: the :file: and :url: options of the raw directive are disabled" in failure.value.report()
    )


def test_docutils_warnings_are_warnings_with_file_and_line_and_stay_out_of_the_page(site_copy, tmp_path, capfd):
    append(LAUNCH, "A section\n=====\n\n- an item\n continued without indent\n")(site_copy)

    result = build_site(site_copy, tmp_path / "out")

    assert [str(warning) for warning in result.warnings] == [
        f"warning: {site_copy / LAUNCH}: line 11: Title underline too short.",
        f"warning: {site_copy / LAUNCH}: line 14: Bullet list ends without a blank line; unexpected unindent.",
    ]
    html = (tmp_path / "out" / "blog" / "launch.html").read_text()
    assert "continued without indent" in html
    assert "System Message" not in html
    assert "system-message" not in html
    assert "problematic" not in html
    assert capfd.readouterr().err == "", "docutils wrote to stderr"

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", strict=True)
    assert "--strict" in failure.value.report()


def test_every_docutils_message_is_reported_in_one_run(site_copy, tmp_path):
    append(LAUNCH, ".. frobnicate:: x\n\n.. include:: /etc/hostname\n\nA section\n=====\n")(site_copy)

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out")

    post = site_copy / LAUNCH
    assert failure.value.report().splitlines()[:-1] == [
        f'{post}: line 10: Unknown directive type "frobnicate".',
        f"{post}: line 12: the include directive is disabled: the site must not publish files of the build machine; paste the text instead",
        f"warning: {post}: line 15: Title underline too short.",
    ]


def test_a_post_read_from_the_cache_reports_its_messages_again(site_copy, tmp_path):
    """`invoke serve` keeps Pelican's reader cache: an unchanged post must not lose its warnings."""
    append(LAUNCH, "A section\n=====\n")(site_copy)
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}

    first = build_site(site_copy, tmp_path / "out", overrides=cached)
    second = build_site(site_copy, tmp_path / "out", overrides=cached)

    assert (tmp_path / "cache" / "ArticlesGenerator-Readers").exists()
    assert (
        [str(w) for w in second.warnings]
        == [str(w) for w in first.warnings]
        == [f"warning: {site_copy / LAUNCH}: line 11: Title underline too short."]
    )


def test_a_title_field_is_as_good_as_a_title_section(site_copy, tmp_path):
    replace(LAUNCH, "Launching the fixture\n#####################\n", ":title: Launching the fixture\n")(site_copy)
    result = build_site(site_copy, tmp_path / "out", strict=True)
    assert result.warnings == []
    assert "<h1>Launching the fixture</h1>" in (tmp_path / "out" / "blog" / "launch.html").read_text()


@pytest.mark.parametrize("date", ["2026-11-02 10:30", "2026-11-02T10:30:00+01:00", "2 November 2026"])
def test_whole_dates_in_other_forms_build(date, site_copy, tmp_path):
    replace(NOTES, "date: 2026-11-02", f"date: {date}")(site_copy)
    build_site(site_copy, tmp_path / "out", strict=True)
    assert 'datetime="2026-11-02"' in (tmp_path / "out" / "blog" / "notes.html").read_text()


def test_cli_exits_1_and_names_the_file_and_line(site_copy, tmp_path):
    secret_file(site_copy).write_text(f"{SECRET}\n", encoding="utf-8")
    append(LAUNCH, ".. include:: ../../secret.txt\n")(site_copy)
    run = invoke_build("--content", str(site_copy), "--output", str(tmp_path / "out"))
    assert run.returncode == 1
    assert f"{site_copy / LAUNCH}: {APPENDED}: the include directive is disabled" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert SECRET not in run.stderr + run.stdout
    assert not (tmp_path / "out").exists()
