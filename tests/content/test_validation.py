"""Every rule of the page format: a good tree plus one fault fails the build with a clear line,
and the previous output stays byte-for-byte as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT, append, build_site, invoke_build, leftovers, replace, tree_digest

from guide.build.runner import BuildFailed

pytestmark = pytest.mark.build

HOME = "pages/01-start/01-home.md"
SECOND = "pages/01-start/02-second.md"
THIRD = "pages/02-more/01-third.md"
LAUNCH = "blog/launch.rst"
NOTES = "blog/notes.md"


def write_bytes(path: str, data: bytes):
    def fault(content: Path) -> None:
        (content / path).write_bytes(data)

    return fault


# (rule, fault, file named in the message, field named in the message, words of the fix)
FAULTS = [
    ("title required", replace(SECOND, "title: Second page\n", ""), SECOND, "title", "missing"),
    ("slug required", replace(SECOND, "slug: second\n", ""), SECOND, "slug", "missing"),
    (
        "sort-order required",
        replace(SECOND, "sort-order: 0102\n", ""),
        SECOND,
        "sort-order",
        "missing; add a line such as `sort-order: 0302` to the header (four digits 0-9: the chapter, then the position in it)",
    ),
    ("meta required", replace(SECOND, "meta: The second page", "summary: The second page"), SECOND, "meta", "missing"),
    ("slug format", replace(THIRD, "slug: third", "slug: Third_Page"), THIRD, "slug", "'third-page'"),
    ("slug unique", replace(THIRD, "slug: third", "slug: second"), SECOND, "slug", "already used"),
    ("sort-order four digits", replace(THIRD, "sort-order: 0201", "sort-order: 201"), THIRD, "sort-order", "four digits"),
    ("sort-order from 01", replace(THIRD, "sort-order: 0201", "sort-order: 0200"), THIRD, "sort-order", "start at 01"),
    ("sort-order unique", replace(THIRD, "sort-order: 0201", "sort-order: 0102"), SECOND, "sort-order", "already used"),
    (
        "choice url names a page",
        replace(HOME, "choice1url: /second.html", "choice1url: /secnd.html"),
        HOME,
        "choice1url",
        "matches no page (did you mean /second.html?)",
    ),
    (
        "choice needs a text",
        replace(SECOND, "choice1text: Back to the start?", "choice1text:"),
        SECOND,
        "choice1text",
        "needs a url and a text",
    ),
    (
        "choice needs a url",
        replace(SECOND, "choice1url: /home.html", "choice1url:"),
        SECOND,
        "choice1url",
        "needs a url and a text",
    ),
    ("choice url https", replace(HOME, "choice4url: https://", "choice4url: http://"), HOME, "choice4url", "use https://"),
    ("choice url form", replace(HOME, "choice1url: /second.html", "choice1url: second.html"), HOME, "choice1url", "site path"),
    (
        "at most four choices",
        replace(HOME, "choice4url:", "choice5url: /second.html\nchoice5text: More?\nchoice4url:"),
        HOME,
        "choice5url",
        "choices 1 to 4",
    ),
    (
        "body links resolve",
        replace(SECOND, "Some text.", "See [this](/nowhere.html)."),
        SECOND,
        "body",
        "/nowhere.html matches no page",
    ),
    (
        "images resolve",
        replace(SECOND, "Some text.", "![x](/images/diagam.svg)"),
        SECOND,
        "body",
        "did you mean /images/diagram.svg?",
    ),
    ("post links resolve", replace(LAUNCH, "</home.html>", "</hom.html>"), LAUNCH, "body", "/hom.html matches no page"),
    (
        "valid UTF-8",
        write_bytes(SECOND, b"title: Second\nslug: second\nsort-order: 0102\nmeta: m\n\ncaf\xe9\n"),
        SECOND,
        "encoding",
        "not valid UTF-8",
    ),
    (
        "code language known",
        replace(HOME, "```python {", "```pyhton {"),
        HOME,
        "line 23 code block",
        "unknown language 'pyhton' (did you mean python?)",
    ),
    (
        "code attributes known",
        replace(HOME, 'title="hello.py"', 'titel="hello.py"'),
        HOME,
        "line 23 code block",
        "unknown attribute 'titel' (did you mean title?)",
    ),
    (
        "python blocks say if tested",
        replace(HOME, '{test="fixture-hello" title="hello.py"}', ""),
        HOME,
        "line 23 code block",
        "must say whether they are tested",
    ),
    (
        "test ids unique",
        append(SECOND, '\n```python {test="fixture-hello"}\nprint(2)\n```\n'),
        SECOND,
        "line 13 code block",
        "already used at",
    ),
    ("nginx context known", replace(THIRD, 'context="server"', 'context="events"'), THIRD, "line 6 code block", "must be one of"),
    ("post date required", replace(LAUNCH, ":date: 2026-11-01\n", ""), LAUNCH, "date", "missing"),
    ("post slug format", replace(NOTES, "slug: notes", "slug: My Notes"), NOTES, "slug", "lowercase words"),
    # Each header field at most once, whatever its name or case (Pelican keeps one value silently).
    (
        "field at most once",
        replace(SECOND, "meta:", "slug: other\nmeta:"),
        SECOND,
        "line 4",
        "field 'slug' is already given on line 2; keep one",
    ),
    (
        "field names ignore case",
        replace(SECOND, "meta:", "Title: Again\nmeta:"),
        SECOND,
        "line 4",
        "field 'title' is already given on line 1",
    ),
    (
        "any field at most once",
        replace(SECOND, "choice1icon:", "choice1url: /third.html\nchoice1icon:"),
        SECOND,
        "line 6",
        "field 'choice1url' is already given on line 5",
    ),
    (
        "post field at most once",
        replace(NOTES, "date:", "title: Again\ndate:"),
        NOTES,
        "line 4",
        "field 'title' is already given on line 1",
    ),
    (
        "reST field at most once",
        replace(LAUNCH, ":date: 2026-11-01", ":date: 2026-11-01\n:date: 2026-12-01"),
        LAUNCH,
        "line 7",
        "field 'date' is already given on line 6",
    ),
    (
        "a value goes on one line",
        replace(SECOND, "meta: The second page, with", "meta: The second page,\n    with"),
        SECOND,
        "line 5",
        "field 'meta' goes on one line (Pelican makes a list of a continued value); join this line to line 4",
    ),
    (
        "header lines are fields",
        replace(SECOND, "sort-order: 0102", "sort order: 0102"),
        SECOND,
        "line 3",
        "'sort order: 0102' is not a field line (a name is ASCII letters, digits, - and _), so the header ends here and the fields below it show as text; fix the name (did you mean sort-order?)",
    ),
    # Every fence closes; the opening fence's line is named.
    (
        "fence closes",
        append(THIRD, "\n```python {illustrative}\nprint(1)\n"),
        THIRD,
        "line 26 code block",
        "this fence is never closed; add a closing ``` line",
    ),
    ("tilde fence closes", append(SECOND, "\n~~~~\nplain\n~~~\n"), SECOND, "line 13 code block", "add a closing ~~~~ line"),
    (
        "fence closes before the next opens",
        replace(THIRD, "```console", "```python {illustrative}\nprint(1)\n\n```console"),
        THIRD,
        "line 12 code block",
        "never closed before line 15 opens another block",
    ),
    # Digits are ASCII digits.
    (
        "sort-order full-width digits",
        replace(THIRD, "sort-order: 0201", "sort-order: \uff10\uff12\uff10\uff11"),
        THIRD,
        "sort-order",
        "four digits (0-9)",
    ),
    (
        "sort-order Arabic-Indic digits",
        replace(THIRD, "sort-order: 0201", "sort-order: \u0660\u0662\u0660\u0661"),
        THIRD,
        "sort-order",
        "four digits (0-9)",
    ),
    (
        "choice number ASCII",
        replace(SECOND, "choice1url:", "choice\u0661url:"),
        SECOND,
        "line 5",
        "is not a field line (a name is ASCII letters, digits, - and _), so the header ends here and the fields below it show as text; fix the name (did you mean choice1url?)",
    ),
    # A page's own fields cannot move it, render it with another template or replace Pelican's data.
    (
        "no save_as",
        replace(SECOND, "meta:", "save_as: index.html\nmeta:"),
        SECOND,
        "save_as",
        "would write this page outside the guide's URL scheme; remove it (the page is published at /second.html)",
    ),
    ("no url", replace(SECOND, "meta:", "url: elsewhere.html\nmeta:"), SECOND, "url", "outside the guide's URL scheme"),
    (
        "no template",
        replace(SECOND, "meta:", "template: 404\nmeta:"),
        SECOND,
        "template",
        "with the '404' template instead of the guide's",
    ),
    ("no other language", replace(SECOND, "meta:", "lang: fr\nmeta:"), SECOND, "lang", "as a translation at another URL"),
    (
        "no translation",
        replace(SECOND, "meta:", "translation: true\nmeta:"),
        SECOND,
        "translation",
        "as a translation at another URL",
    ),
    (
        "post no save_as",
        replace(NOTES, "date:", "save_as: index.html\ndate:"),
        NOTES,
        "save_as",
        "(the post is published at /blog/notes.html)",
    ),
    ("post no template", replace(NOTES, "date:", "template: page\ndate:"), NOTES, "template", "with the 'page' template"),
    ("reST post no url", replace(LAUNCH, ":date:", ":url: launch.html\n:date:"), LAUNCH, "url", "outside the guide's URL scheme"),
    (
        "status known",
        replace(SECOND, "meta:", "status: secret\nmeta:"),
        SECOND,
        "status",
        "'secret' is not a status; use published, hidden or draft",
    ),
    ("post status known", replace(NOTES, "date:", "status: skip\ndate:"), NOTES, "status", "'skip' is not a status"),
    (
        "no Pelican data names",
        replace(SECOND, "meta:", "settings: x\nmeta:"),
        SECOND,
        "settings",
        "Pelican keeps the page's own data under this name",
    ),
    ("no private names", replace(SECOND, "meta:", "_content: <script>\nmeta:"), SECOND, "_content", "remove or rename it"),
    *[
        (
            f"slug {name} is the site's",
            replace(SECOND, "slug: second", f"slug: {name}"),
            SECOND,
            "slug",
            f"'{name}' would publish this page at /{name}.html, where the site writes its {name} page; pick another slug",
        )
        for name in ("index", "search", "404", "blog", "table-of-contents")
    ],
    # The code-block policy (tests/fixtures/site/guide.toml) applies to posts, in reST too.
    (
        "post python blocks say if tested",
        append(NOTES, "\n```python\nprint(1)\n```\n"),
        NOTES,
        "line 8 code block",
        "must say whether they are tested",
    ),
    (
        "reST code-block says if tested",
        append(LAUNCH, "\n.. code-block:: python\n\n    print(1)\n"),
        LAUNCH,
        "line 10 code block",
        "write `.. code:: python` with `:class: illustrative` below it",
    ),
    (
        "reST code says if tested",
        append(LAUNCH, "\n.. code:: py\n   :number-lines:\n\n   print(1)\n"),
        LAUNCH,
        "line 10 code block",
        "python blocks must say whether they are tested; a post's examples are not run: add `:class: illustrative`",
    ),
]


@pytest.mark.parametrize(("rule", "fault", "path", "field", "words"), FAULTS, ids=[f[0] for f in FAULTS])
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
    replace(HOME, "choice1icon: fa-play fa-inverse", "choice1icon: fa-rockett fa-inverse")(site_copy)

    result = build_site(site_copy, tmp_path / "out")
    [warning] = result.warnings
    assert (warning.path.endswith(HOME), warning.field) == (True, "choice1icon")
    assert "fa-rockett is not a Font Awesome Free icon nor one the theme draws (did you mean fa-rocket?)" in warning.message
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
    run = invoke_build("--content", str(site_copy), "--output", str(tmp_path / "out"))
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
    assert re.search(rf"pelicanconf\.py: CHAPTER_NAV_LIMIT: {re.escape(repr(limit))}: .*a whole number of 1 or more", report), (
        report
    )
    assert tree_digest(previous_output) == before
    assert leftovers(previous_output) == []


# --- One mistake, one line ------------------------------------------------------------------

BAD_UTF8_SECOND = b"title: Second\nslug: second\nsort-order: 0102\nmeta: m\n\ncaf\xe9\n"

# (mistake, fault, the file and field of the one line): SECOND is linked from HOME (a choice
# and a body link), and Pelican or docutils have their own message about most of these.
ONE_LINE = [
    ("not UTF-8", write_bytes(SECOND, BAD_UTF8_SECOND), SECOND, "encoding"),
    ("slug missing", replace(SECOND, "slug: second\n", ""), SECOND, "slug"),
    ("slug out of the output folder", replace(SECOND, "slug: second", "slug: ../../etc/passwd"), SECOND, "slug"),
    ("status unknown", replace(SECOND, "meta:", "status: secret\nmeta:"), SECOND, "status"),
    ("a Pelican data name", replace(SECOND, "meta:", "timezone: Mars/Olympus\nmeta:"), SECOND, "timezone"),
    ("field twice", replace(SECOND, "meta:", "slug: second\nmeta:"), SECOND, "line 4"),
    ("header cut short", replace(SECOND, "sort-order: 0102", "sort order: 0102"), SECOND, "line 3"),
    ("save_as on the home page's path", replace(SECOND, "meta:", "save_as: index.html\nmeta:"), SECOND, "save_as"),
    (
        "a field Pelican keeps for itself",
        replace(SECOND, "meta:", "override_save_as: index.html\nmeta:"),
        SECOND,
        "override_save_as",
    ),
    (
        "a class on a reST code-block",
        append(LAUNCH, "\n.. code-block:: python\n    :class: illustrative\n\n    print(1)\n"),
        LAUNCH,
        "line 10",
    ),
]


@pytest.mark.parametrize(("mistake", "fault", "path", "field"), ONE_LINE, ids=[m[0] for m in ONE_LINE])
def test_one_mistake_is_one_line(mistake, fault, path, field, site_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # as `content/` below the project: paths in the report are relative
    fault(site_copy)

    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out")

    lines = failure.value.report().splitlines()
    assert len(lines) == 2, "\n".join(lines)
    assert lines[0].startswith(f"content/{path}: {field}: "), lines[0]


def test_a_page_that_fails_to_read_hides_only_the_links_to_itself(site_copy, tmp_path):
    write_bytes(SECOND, BAD_UTF8_SECOND)(site_copy)
    replace(HOME, "A page that links", "A page that links to [nothing](/nowhere.html) and")(site_copy)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out")
    assert [line.split(": ")[1:3] for line in failure.value.report().splitlines()[:-1]] == [
        ["encoding", "not valid UTF-8 (byte 0xe9 on line 6); save the file as UTF-8"],
        ["body", "link /nowhere.html matches no page or file (did you mean /home.html?)"],
    ]


def test_a_summary_may_go_on_several_lines(site_copy, tmp_path):
    replace(NOTES, "date:", "summary: A post\n    on two lines.\ndate:")(site_copy)
    assert build_site(site_copy, tmp_path / "out", strict=True).warnings == []
    assert "<p>A post on two lines.</p>" in (tmp_path / "out" / "blog.html").read_text(encoding="utf-8")


# --- Where a page is written ----------------------------------------------------------------


def test_a_setting_lets_pages_choose_their_path_but_not_one_the_site_writes(site_copy, tmp_path):
    allow = {"ALLOW_PAGE_OVERRIDES": True}
    replace(THIRD, "meta:", "save_as: moved.html\nurl: moved.html\nmeta:")(site_copy)
    build_site(site_copy, tmp_path / "out", strict=True, overrides=allow)
    assert (tmp_path / "out" / "moved.html").is_file()
    assert not (tmp_path / "out" / "third.html").exists()

    replace(THIRD, "save_as: moved.html\nurl: moved.html", "save_as: search.html")(site_copy)
    replace(NOTES, "date:", "save_as: home.html\ndate:")(site_copy)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, tmp_path / "out", overrides=allow)
    assert failure.value.report().splitlines()[:-1] == [
        f"{site_copy / THIRD}: save_as: 'search.html' would publish this page at /search.html, where the site writes its search page; pick another save_as",
        f"{site_copy / NOTES}: save_as: 'home.html' would publish this post at /home.html, where the site writes the page {site_copy / HOME}; pick another save_as",
    ]


# --- Chapter titles -------------------------------------------------------------------------


def test_a_chapter_without_a_title_warns_how_to_give_one(site_copy, tmp_path):
    new_page = site_copy / "pages" / "03-new" / "01-new.md"
    new_page.parent.mkdir()
    new_page.write_text("title: New\nslug: new\nsort-order: 0301\nmeta: A page in a new chapter.\n\nText.\n", encoding="utf-8")
    new_page.with_name("02-newer.md").write_text(
        "title: Newer\nslug: newer\nsort-order: 0302\nmeta: Another.\n\nText.\n", encoding="utf-8"
    )

    result = build_site(site_copy, tmp_path / "out")
    assert [str(w) for w in result.warnings] == [
        f"warning: {new_page}: sort-order: chapter 03 has no title; add {new_page.parent / '_chapter.md'} with a line `title: ...`"
    ]
    with pytest.raises(BuildFailed):
        build_site(site_copy, tmp_path / "out", strict=True)

    (new_page.parent / "_chapter.md").write_text("title: New things\n", encoding="utf-8")
    assert build_site(site_copy, tmp_path / "out", strict=True).warnings == []


def test_a_chapter_in_an_unnumbered_folder_is_told_to_use_guide_toml(site_copy, tmp_path):
    """A _chapter.md needs a folder named after its chapter: for a page elsewhere, guide.toml it is."""
    new_page = site_copy / "pages" / "extra" / "01-new.md"
    new_page.parent.mkdir()
    new_page.write_text("title: New\nslug: new\nsort-order: 0301\nmeta: A page in a new chapter.\n\nText.\n", encoding="utf-8")
    result = build_site(site_copy, tmp_path / "out")
    assert [str(w) for w in result.warnings] == [
        f'warning: {new_page}: sort-order: chapter 03 has no title; add "03" = "Title" under [chapters] in {site_copy / "guide.toml"}'
    ]
    with open(site_copy / "guide.toml", "a", encoding="utf-8") as settings:
        settings.write('03 = "New things"\n')
    assert build_site(site_copy, tmp_path / "out", strict=True).warnings == []


# --- Code blocks ----------------------------------------------------------------------------

RST_ILLUSTRATIVE = "\n.. code:: python\n   :class: illustrative\n\n   print('from a post')\n"


def test_an_illustrative_rst_block_builds_and_renders(site_copy, tmp_path):
    append(LAUNCH, RST_ILLUSTRATIVE)(site_copy)
    build_site(site_copy, tmp_path / "out", strict=True)
    html = (tmp_path / "out" / "blog" / "launch.html").read_text(encoding="utf-8")
    assert re.search(r'<pre class="[^"]*\billustrative\b[^"]*">', html)
    assert "from a post" in html


def test_without_a_policy_plain_blocks_build_in_pages_and_posts(site_copy, tmp_path):
    settings = site_copy / "guide.toml"
    settings.write_text(re.sub(r"(?m)^tested_or_illustrative = .*$", "", settings.read_text(encoding="utf-8")), encoding="utf-8")
    replace(HOME, '{test="fixture-hello" title="hello.py"}', "")(site_copy)
    append(LAUNCH, "\n.. code-block:: python\n\n    print(1)\n")(site_copy)
    append(NOTES, "\n```javascript\nlet plain = 1;\n```\n")(site_copy)
    assert build_site(site_copy, tmp_path / "out", strict=True).warnings == []
