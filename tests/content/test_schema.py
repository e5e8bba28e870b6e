"""The front-matter schema: each field is whole and follows its own rules, the checks read it,
and the README's field tables are exactly what it renders."""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from guide.content import schema
from guide.content.front_matter import check_fields, check_header, read_choices, read_header, rule_problem
from guide.content.schema import BOTH, FIELDS, KINDS, PAGE, POST

README = ROOT / "README.md"


def example_metadata(kind: str) -> dict[str, str]:
    """Every field of a kind that an author may write, with its example (a family's as N=1)."""
    return {
        field.names[0]: field.example
        for field in schema.fields_for(kind)
        if field.override is None or field.override.site_lang_allowed
    }


# --- The schema is whole ---------------------------------------------------------------------


@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_every_field_says_what_to_write_and_where_it_belongs(field):
    assert field.hint.strip()
    assert field.example.strip()
    assert field.applies_to
    assert set(field.applies_to) <= set(KINDS)
    assert set(field.required) <= set(field.applies_to), "required where it does not apply"
    assert re.fullmatch(r"[a-z][a-z_-]*(?:N[a-z]+)?", field.name), "a name as Pelican sees it: lowercase"
    assert ("N" in field.name) == (field.numbered is not None)
    for rule in field.rules:
        assert rule.pattern.flags & re.ASCII, f"{field.name}: compile its patterns with schema.ascii_pattern"
        assert set(rule.kinds) <= set(BOTH)


def test_names_are_unique_and_families_count_from_one_to_four():
    assert len({field.name for field in FIELDS}) == len(FIELDS)
    assert schema.field_named("choiceNurl").names == ("choice1url", "choice2url", "choice3url", "choice4url")
    assert schema.numbered("choice5url") == (schema.field_named("choiceNurl"), 5)  # a choice, out of range
    assert schema.field_named("choice5url").name == "choiceNurl"
    assert schema.field_named("choiceurl") is None
    assert schema.numbered("choice1") is None
    numbers = schema.CHOICE_NUMBERS
    assert f"N from {numbers[0]} to {numbers[-1]}:" in schema.field_named("choiceNurl").doc_for(PAGE)


@pytest.mark.parametrize("field", FIELDS, ids=[field.name for field in FIELDS])
def test_each_example_follows_its_own_rules(field):
    for kind in field.applies_to:
        for rule in field.rules:
            if kind in rule.kinds:
                assert rule.pattern.fullmatch(field.example), f"{field.name}: {field.example!r} breaks {rule.pattern.pattern!r}"


#: A value breaking each rule, and words of the line it gives: every rule must be listed here.
BROKEN = {
    "slug": [("My Notes", "'My Notes' must be lowercase words joined by hyphens, e.g. 'my-notes'")],
    "sort-order": [
        ("201", "'201' must be exactly four digits (0-9): chapter then position, e.g. 0302"),
        ("\uff10\uff12\uff10\uff11", "must be exactly four digits (0-9)"),  # full-width digits
        ("0200", "'0200': chapters and positions start at 01, e.g. 0101"),
        ("0002", "chapters and positions start at 01"),
    ],
    "meta": [("x" * 161, "161 characters; search engines cut descriptions after about 160")],
    "status": [("secret", "'secret' is not a status; use published, hidden or draft"), ("publiſhed", "is not a status")],
    "choiceNurl": [("second.html", "second.html is neither a site path (/slug.html) nor an https:// URL")],
}


def test_every_rule_has_a_value_that_breaks_it():
    ruled = {field.name: len(field.rules) for field in FIELDS if field.rules}
    assert ruled.keys() == BROKEN.keys()
    for name, count in ruled.items():
        assert len(BROKEN[name]) >= count


@pytest.mark.parametrize(
    ("name", "value", "words"), [(name, value, words) for name, cases in BROKEN.items() for value, words in cases]
)
def test_a_value_that_breaks_a_rule_gives_its_line(name, value, words):
    field = schema.field_named(name)
    _, message = rule_problem(field, value, field.required[0] if field.required else field.applies_to[0])
    assert words in message


# --- The checks read it ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_examples_make_a_header_without_problems(kind):
    metadata = example_metadata(kind)
    assert check_fields(metadata, kind) == []
    header = read_header("".join(f"{name}: {value}\n" for name, value in metadata.items()))
    assert check_header(header, kind) == []


@pytest.mark.parametrize(("kind", "name"), [(kind, name) for kind in BOTH for name in schema.required_names(kind)])
def test_a_missing_required_field_says_what_to_add(kind, name):
    metadata = example_metadata(kind)
    del metadata[name]
    [problem] = check_fields(metadata, kind)
    field = schema.field_named(name)
    assert (problem.field, problem.warning) == (name, False)
    assert problem.message.startswith(f"missing; add {'a line such as ' if kind == PAGE else ''}`{name}: {field.example}`")
    assert problem.message.endswith(f"to the header ({field.hint})")


def test_only_the_schema_makes_a_field_required():
    assert schema.required_names(PAGE) == ("title", "slug", "sort-order", "meta")
    assert schema.required_names(POST) == ("title", "slug", "date")
    assert [(problem.field, problem.message[:8]) for problem in check_fields({}, POST)] == [
        ("title", "missing;"),
        ("slug", "missing;"),
        ("date", "missing;"),
    ]


def test_rules_run_on_the_values_pelican_read():
    metadata = {**example_metadata(PAGE), "slug": "Third_Page", "sort-order": "0200", "meta": "x" * 170}
    assert [(p.field, p.message, p.warning) for p in check_fields(metadata, PAGE)] == [
        ("slug", "'Third_Page' must be lowercase words joined by hyphens, e.g. 'third-page'", False),
        ("sort-order", "'0200': chapters and positions start at 01, e.g. 0101", False),
        ("meta", "170 characters; search engines cut descriptions after about 160", True),
    ]
    # A post's meta has no length rule, and a post has no sort-order (as before the schema).
    post = {**example_metadata(POST), "meta": "x" * 170, "sort-order": "x"}
    assert check_fields(post, POST) == []


def test_an_unknown_field_warns_with_the_field_it_may_mean():
    metadata = {**example_metadata(PAGE), "choise1text": "x", "sort_order": "0101", "frobnicate": "x"}
    assert [(p.field, p.message, p.warning) for p in check_fields(metadata, PAGE)] == [
        ("choise1text", "unknown field (did you mean choice1text?); it is ignored", True),
        ("sort_order", "unknown field (did you mean sort-order?); it is ignored", True),
        ("frobnicate", "unknown field; it is ignored", True),
    ]


def test_suggestions_are_the_fields_an_author_may_write():
    offered = set(schema.suggestions(PAGE))
    assert {"title", "sort-order", "choice1url", "choice4text", "lang", "status"} <= offered
    assert not {"choice5url", "choiceNurl", "save_as", "url", "template", "translation"} & offered
    assert "sort-order" not in schema.suggestions(POST)


def test_fields_refused_by_default_and_pelican_names_are_not_unknown_fields():
    metadata = {**example_metadata(PAGE), "save_as": "x.html", "settings": "x", "choice5url": "/x.html"}
    assert check_fields(metadata, PAGE) == []  # check_header and read_choices report them


def test_only_the_multiline_fields_may_go_on_several_lines():
    header = read_header("title: T\nsummary: one\n    two\nmeta: one\n    two\n")
    assert [(p.field, p.message) for p in check_header(header, PAGE)] == [
        ("line 5", "field 'meta' goes on one line (Pelican makes a list of a continued value); join this line to line 4")
    ]
    assert [field.name for field in FIELDS if field.multiline] == ["summary"]


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("sort order: 0102", " (did you mean sort-order?)"),
        ("choice\u0661url: /x.html", " (did you mean choice1url?)"),
        ("Hello there", ""),
    ],
)
def test_a_line_that_is_not_a_field_suggests_the_name_it_may_mean(line, meant):
    header = read_header(f"title: T\n{line}\nslug: s\n")
    [problem] = check_header(header, PAGE)
    assert problem.field == "line 2"
    assert problem.message.endswith(f"the fields below it show as text; fix the name{meant}")


def test_override_fields_are_refused_unless_the_setting_allows_them():
    header = read_header("title: T\nlang: en\ntemplate: page\nsave_as: x.html\nstatus: Draft\n")
    assert [(p.field, p.message) for p in check_header(header, POST, published_at="/blog/t.html")] == [
        ("template", "would render this post with the 'page' template instead of the guide's; remove it"),
        ("save_as", "would write this post outside the guide's URL scheme; remove it (the post is published at /blog/t.html)"),
    ]
    assert check_header(header, POST, allow_overrides=True) == []
    [other_language] = check_header(read_header("lang: fr\n"), PAGE, site_lang="en")
    assert (
        other_language.message
        == "would publish this page as a translation at another URL; remove it (the site's language is 'en'; the page is published at the URL of its slug)"
    )


def test_choice_urls_follow_the_schema():
    _, problems = read_choices(
        {"choice1url": "second.html", "choice1text": "Next?", "choice2url": "http://example.org", "choice2text": "Out?"}
    )
    assert [(p.field, p.message) for p in problems] == [
        ("choice1url", "second.html is neither a site path (/slug.html) nor an https:// URL"),
        ("choice2url", "http://example.org is plain http; use https://example.org"),
    ]


# --- The README's tables -----------------------------------------------------------------------


def test_the_readme_holds_the_tables_the_schema_renders():
    readme = README.read_text(encoding="utf-8")
    assert schema.readme_with_tables(readme) == readme, f"the README's field tables differ from the schema; run {schema.COMMAND}"


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_lists_every_documented_field_of_its_kind(kind):
    table = schema.field_table(kind)
    rows = table.splitlines()[2:]
    for field in schema.fields_for(kind):
        row = next((row for row in rows if f"`{field.name}`" in row), None)
        assert (row is not None) == bool(field.doc_for(kind)), field.name
        if row and kind in field.required:
            assert row.startswith(f"| `{field.name}` | required; ")
    assert [row for row in rows if "required;" in row] == rows[: len(schema.required_names(kind))]


def test_the_readme_command_rewrites_a_table_that_drifted(tmp_path, capsys):
    readme = README.read_text(encoding="utf-8")
    drifted = tmp_path / "README.md"
    drifted.write_text(readme.replace("| `title` | required;", "| `title` | optional;"), encoding="utf-8")
    assert schema.main(["--readme", str(drifted)]) == 0
    assert drifted.read_text(encoding="utf-8") == schema.readme_with_tables(readme)

    drifted.write_text(readme.replace("<!-- /post fields -->", ""), encoding="utf-8")
    assert schema.main(["--readme", str(drifted)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{drifted}: needs one pair of lines <!-- post fields:")
    assert "Traceback" not in line


def test_the_readme_example_header_follows_the_schema():
    readme = README.read_text(encoding="utf-8")
    example = re.search(r"### A guide page\n.*?```\n(?P<header>.*?)```", readme, re.DOTALL)["header"]
    header = read_header(example)
    metadata = {field.name: field.value for field in header.fields}
    assert check_header(header, PAGE) == []
    assert check_fields(metadata, PAGE) == []
    assert read_choices(metadata)[1] == []
