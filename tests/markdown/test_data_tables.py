"""Data tables: ``!data-table NAME`` draws content/data/NAME.toml as the page's table, the build
writes the same rows as data/NAME.json, and every mistake in a file or a line is one line of the
build's report naming the file and the row, or the page and its line."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, ROOT, build_site
from markdown import Markdown

import pelicanconf
from guide.markdown.data_tables import EXTENSION, DataTableError, check_data_tables, json_rows, load_table
from guide.problems import ProblemLog

#: A small table: the columns, the fields, two rows.
TABLE = """\
[table]
columns = [
  { heading = "Hop", field = "name" },
  { heading = "Limit", field = "limit", links = "sources" },
]

[fields]
name = "text"
kind = ["proxy", "cap"]
seconds = "seconds"
lifetime = "seconds?"
limit = "text"
sources = "links"
page = "slugs"

[[row]]
name = "nginx"
kind = "proxy"
seconds = 60
limit = "{seconds} s"
sources = [{ label = "docs", url = "https://nginx.org/x" }]
page = ["one"]

[[row]]
name = "Front Door"
kind = "proxy"
seconds = 300
lifetime = 14400
limit = "{seconds} s | {lifetime:,} s"
sources = [{ label = "a", url = "https://a.example/a" }, { label = "b", url = "https://b.example/b" }]
page = ["one", "two"]

[[row]]
name = "Cloud Run"
kind = "cap"
seconds = "not stated"
limit = "none stated"
sources = [{ label = "c", url = "https://c.example/" }]
page = ["two"]
"""


def markdown(folder) -> Markdown:
    settings = dict(pelicanconf.MARKDOWN)
    settings["extension_configs"] = {**settings["extension_configs"], EXTENSION: {"folder": str(folder)}}
    return Markdown(**settings)


def table_cells(html: str) -> list[list[str]]:
    return [[cell.decode_contents() for cell in row.select("th, td")] for row in BeautifulSoup(html, "html.parser").select("tr")]


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "content" / "data"
    folder.mkdir(parents=True)
    (folder / "hops.toml").write_text(TABLE, encoding="utf-8")
    return folder


def test_a_table_is_drawn_with_its_numbers_links_and_bars(data):
    html = markdown(data).convert("Before.\n\n!data-table hops\n\nAfter.\n")
    assert table_cells(html) == [
        ["Hop", "Limit"],
        ["nginx", '60 s (<a href="https://nginx.org/x">docs</a>)'],
        ["Front Door", '300 s | 14,400 s (<a href="https://a.example/a">a</a>, <a href="https://b.example/b">b</a>)'],
        ["Cloud Run", 'none stated (<a href="https://c.example/">c</a>)'],
    ]
    assert "<p>Before.</p>" in html
    assert "<p>After.</p>" in html


def test_a_filter_keeps_the_rows_whose_field_is_or_lists_the_value(data):
    assert [row[0] for row in table_cells(markdown(data).convert("!data-table hops page=two\n"))] == [
        "Hop",
        "Front Door",
        "Cloud Run",
    ]
    assert [row[0] for row in table_cells(markdown(data).convert("!data-table hops kind=cap\n"))] == ["Hop", "Cloud Run"]


def test_in_a_code_block_the_line_is_text_and_in_a_callout_a_table(data):
    html = markdown(data).convert("```text\n!data-table hops\n```\n\n!!! note\n    !data-table hops kind=cap\n")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("pre code").text.strip() == "!data-table hops"
    assert [cell.text for cell in soup.select("div.admonition table td")] == ["Cloud Run", "none stated (c)"]


def test_markdown_outside_the_build_says_what_is_missing(data):
    with pytest.raises(DataTableError, match=r"^!data-table hops: no data folder"):
        Markdown(extensions=[EXTENSION]).convert("!data-table hops\n")
    with pytest.raises(DataTableError, match=r"^!data-table nope: no file .*nope\.toml$"):
        markdown(data).convert("!data-table nope\n")


def test_the_json_holds_every_field_with_the_text_filled_in(data):
    table = load_table(str(data / "hops.toml"), ProblemLog())
    rows = json_rows(table)
    assert rows[1] == {
        "name": "Front Door",
        "kind": "proxy",
        "seconds": 300,
        "lifetime": 14400,
        "limit": "300 s | 14,400 s",
        "sources": [{"label": "a", "url": "https://a.example/a"}, {"label": "b", "url": "https://b.example/b"}],
        "page": ["one", "two"],
    }
    assert rows[2]["seconds"] == "not stated"


def test_the_keepalive_page_shows_the_guides_data_as_its_table():
    """The guide's own table of defaults, cell for cell as the page showed it before it came from data."""
    page = (ROOT / "content" / "pages" / "04-deployment" / "02-keepalive-timeouts.md").read_text(encoding="utf-8")
    [line] = [line for line in page.splitlines() if line.startswith("!data-table ")]
    rows = table_cells(markdown(ROOT / "content" / "data").convert(line + "\n"))
    assert rows[0] == ["Component", "Setting", "Default"]
    assert [row[0] for row in rows[1:]] == [
        "websockets (server and client)",
        "Uvicorn",
        "Hypercorn",
        "Daphne",
        "nginx",
        "AWS Application Load Balancer",
        "Heroku router",
        "HAProxy",
        "Caddy",
        "Linux TCP keepalive",
    ]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Uvicorn"] == [
        "<code>--ws-ping-interval</code> / <code>--ws-ping-timeout</code>",
        '20.0 s / 20.0 s (<a href="https://uvicorn.dev/settings/">settings</a>)',
    ]
    assert (
        by_name["nginx"][1]
        == '60 s (<a href="https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout">proxy module</a>)'
    )
    assert by_name["Daphne"][1].startswith(
        "a Ping after 20 s without a message from the client / 30 s for the Pong / every WebSocket closed after 86,400 s (24 h)"
    )
    assert by_name["Heroku router"][1].startswith("55 s (")


def test_the_guides_data_file_has_no_problem():
    log = ProblemLog()
    table = load_table(str(ROOT / "content" / "data" / "idle-timeouts.toml"), log)
    assert not log.problems
    assert {row["page"][0] for row in table.rows} >= {
        "keepalive-timeouts",
        "websockets-cloud-platforms",
        "websockets-kubernetes-and-edges",
    }


def replace_in_table(old: str, new: str):
    def fault(content: Path) -> None:
        file = content / "data" / "hops.toml"
        text = file.read_text(encoding="utf-8")
        assert old in text, f"TABLE changed: {old!r}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    return fault


def page_line(line: str):
    def fault(content: Path) -> None:
        (content / "pages" / "page.md").write_text(f"title: Page\nslug: page\n\n{line}\n", encoding="utf-8")

    return fault


def write(path: str, text: str):
    def fault(content: Path) -> None:
        (content / path).write_text(text, encoding="utf-8")

    return fault


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (page_line("!data-table nope"), "pages/page.md: line 4: !data-table nope: no file data/nope.toml; the tables are hops"),
        (
            page_line("!data-table hop"),
            "pages/page.md: line 4: !data-table hop: no file data/hop.toml (did you mean hops?); the tables are hops",
        ),
        (
            page_line("!data-table"),
            "pages/page.md: line 4: !data-table needs a table's name: !data-table NAME, for the file data/NAME.toml",
        ),
        (page_line("!data-table hops page"), "pages/page.md: line 4: !data-table hops: 'page' is not FIELD=VALUE"),
        (
            page_line("!data-table hops pages=one"),
            "pages/page.md: line 4: !data-table hops: no field 'pages' (did you mean page?)",
        ),
        (page_line("!data-table hops page=three"), "pages/page.md: line 4: !data-table hops page=three: no row matches"),
        (
            replace_in_table('name = "text"', 'name = "text'),
            "data/hops.toml: line 8: Illegal character '\\n'; see the README's data tables",
        ),
        (replace_in_table("seconds = 300\n", ""), 'data/hops.toml: row 2 (Front Door): missing field "seconds"'),
        (
            replace_in_table('limit = "{seconds} s"', 'limit = "60 s"'),
            "data/hops.toml: row 1 (nginx): seconds: the table shows no {seconds}: write it in a column's text, so the page states the number the data holds",
        ),
        (
            replace_in_table("seconds = 60", 'seconds = "sixty"'),
            'data/hops.toml: row 1 (nginx): seconds: must be a number of seconds, "none" or "not stated"',
        ),
        (
            replace_in_table("seconds = 60", "seconds = -60"),
            'data/hops.toml: row 1 (nginx): seconds: must be a number of seconds above 0, "none" or "not stated"',
        ),
        (
            replace_in_table('kind = "cap"', 'kind = "lid"'),
            "data/hops.toml: row 3 (Cloud Run): kind: must be one of 'proxy', 'cap'",
        ),
        (
            replace_in_table("seconds = 60", "secnds = 60"),
            "data/hops.toml: row 1 (nginx): secnds: unknown field (did you mean seconds?); the fields are name, kind, seconds, lifetime, limit, sources, page",
        ),
        (
            replace_in_table('"{seconds} s"', '"{secs} s"'),
            "data/hops.toml: row 1 (nginx): limit: {secs} names no field of this row that holds a word or a number",
        ),
        (
            replace_in_table("https://nginx.org/x", "http://nginx.org/x"),
            'data/hops.toml: row 1 (nginx): sources: must list links such as { label = "docs", url = "https://..." } (in the URL, write ( ) | as %28 %29 %7C)',
        ),
        (
            replace_in_table('page = ["one"]', 'page = ["One"]'),
            'data/hops.toml: row 1 (nginx): page: must list page slugs, e.g. ["keepalive-timeouts"]',
        ),
        (
            replace_in_table('field = "limit", links', 'field = "limits", links'),
            "data/hops.toml: table.columns 2: field 'limits' is not a text field of [fields]",
        ),
        (
            replace_in_table('limit = "text"', 'limit = "txt"'),
            "data/hops.toml: fields.limit: unknown type 'txt'; use text, seconds, links, slugs (with \"?\" if optional) or a list of words",
        ),
        (
            replace_in_table("[table]", "colour = 1\n\n[table]"),
            "data/hops.toml: colour: unknown key; a data table has [table], [fields] and [[row]]",
        ),
        (
            write("data/Hops_2.toml", TABLE),
            "data/Hops_2.toml: file: a table's file name is lowercase words joined by hyphens, then .toml",
        ),
        (
            write("data/big.toml", "# x\n" * 70_000),
            "data/big.toml: file: larger than 256 KiB; a data table holds one page's facts, split it",
        ),
    ],
)
def test_each_mistake_is_one_line_naming_the_file_and_the_row_or_line(tmp_path, fault, expected):
    content = tmp_path / "content"
    (content / "data").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "data" / "hops.toml").write_text(TABLE, encoding="utf-8")
    fault(content)
    log = ProblemLog()
    check_data_tables({"PATH": str(content), "MARKDOWN": pelicanconf.MARKDOWN}, log)
    assert [str(problem).replace(f"{content}{os.sep}", "") for problem in log.problems] == [expected]


def test_a_line_without_the_extension_is_refused(tmp_path):
    (tmp_path / "page.md").write_text("!data-table hops\n", encoding="utf-8")
    log = ProblemLog()
    check_data_tables({"PATH": str(tmp_path), "MARKDOWN": {"extensions": []}}, log)
    assert [str(problem).replace(f"{tmp_path}{os.sep}", "") for problem in log.problems] == [
        "page.md: line 1: !data-table needs the extension guide.markdown.data_tables in MARKDOWN's extensions (pelicanconf.py)"
    ]


@pytest.mark.build
def test_the_build_draws_the_table_writes_the_json_and_stops_on_a_bad_row(tmp_path):
    from guide.build.runner import BuildFailed

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    (content / "data").mkdir()
    (content / "data" / "hops.toml").write_text(TABLE, encoding="utf-8")
    home = content / "pages" / "01-start" / "01-home.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n!data-table hops page=one\n", encoding="utf-8")
    build_site(content, tmp_path / "output", strict=True)
    html = (tmp_path / "output" / "home.html").read_text(encoding="utf-8")
    assert "<td>Front Door</td>" in html
    assert "<td>Cloud Run</td>" not in html
    written = json.loads((tmp_path / "output" / "data" / "hops.json").read_text(encoding="utf-8"))
    assert [row["name"] for row in written["rows"]] == ["nginx", "Front Door", "Cloud Run"]

    replace_in_table("seconds = 300\n", "")(content)
    with pytest.raises(BuildFailed) as failure:
        build_site(content, tmp_path / "output2", strict=True)
    report = failure.value.report()
    assert 'data/hops.toml: row 2 (Front Door): missing field "seconds"' in report
    assert "Traceback" not in report
    assert not (tmp_path / "output2").exists()


@pytest.mark.build
def test_invoke_serve_redraws_the_table_when_only_its_data_changed(tmp_path):
    """`invoke serve` reads pages through its content cache, whose entries know only the page's own file."""
    from guide.build.preview import PreviewState
    from guide.build.runner import preview_build

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    (content / "data").mkdir()
    (content / "data" / "hops.toml").write_text(TABLE, encoding="utf-8")
    home = content / "pages" / "01-start" / "01-home.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n!data-table hops\n", encoding="utf-8")
    state, output = PreviewState(), tmp_path / "output"
    preview_build(state, content=str(content), output=str(output), cache=str(tmp_path / "cache"))
    assert "<td>60 s (" in (output / "home.html").read_text(encoding="utf-8")
    replace_in_table("seconds = 60", "seconds = 45")(content)
    preview_build(state, content=str(content), output=str(output), cache=str(tmp_path / "cache"))
    assert "<td>45 s (" in (output / "home.html").read_text(encoding="utf-8")
    assert json.loads((output / "data" / "hops.json").read_text(encoding="utf-8"))["rows"][0]["seconds"] == 45
