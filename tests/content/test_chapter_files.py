"""A chapter's own file, ``pages/NN-name/_chapter.md``: its header and its rules, which title wins,
where its description shows, the folders that disagree with a sort-order, and what is never
published."""

from __future__ import annotations

import gzip
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build_site, tree_digest

from guide.build.preview import PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, BuildFailed, build
from guide.content.chapter_files import (
    FILE_NAME,
    ChapterFile,
    chapter_titles,
    check_page_folders,
    folder_number,
    ignore_chapter_files,
    read_chapter_files,
    read_chapter_text,
)
from guide.problems import ProblemLog

DESCRIPTION = "Installing the fixture and reading its first two pages, in order."


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def toc_titles(output: Path) -> list[str]:
    return [h.text for h in soup(output / "table-of-contents.html").select("ol.toc h2")]


def write_chapter(folder: Path, text: str) -> Path:
    path = folder / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def without_toml_chapters(site: Path) -> None:
    """The fixture's guide.toml keeps its code-block rule and loses its [chapters]."""
    toml = site / "guide.toml"
    toml.write_text(toml.read_text(encoding="utf-8").split("[chapters]")[0], encoding="utf-8")


# --- One file's header ---------------------------------------------------------------------------


def test_a_header_gives_the_title_and_the_description():
    fields, problems = read_chapter_text(f"title: Getting started\ndescription: {DESCRIPTION}\n")
    assert problems == []
    assert fields == {"title": "Getting started", "description": DESCRIPTION}


@pytest.mark.parametrize(
    "text",
    ["title: Only a title\n", "---\ntitle: Fenced\n---\n", "\ufefftitle: After a BOM\r\n", "title: Trailing blank lines\n\n\n"],
    ids=["title only", "YAML fences", "BOM", "blank lines"],
)
def test_a_good_header_has_no_problem(text):
    fields, problems = read_chapter_text(text.replace("\r\n", "\n"))
    assert problems == []
    assert fields["title"]


# (what the author wrote, the field or line named, words of the one line, a warning?)
BAD_HEADERS = [
    (
        "title: A\ndescripton: B\n",
        "descripton",
        "unknown field (did you mean description?); a chapter file has title and description",
        False,
    ),
    ("titel: A\n", "titel", "unknown field (did you mean title?)", False),
    ("settings: x\ntitle: A\n", "settings", "unknown field; a chapter file has title and description", False),
    ("save_as: x.html\ntitle: A\n", "save_as", "unknown field", False),
    ("description: B\n", "title", "missing; add a line such as `title: ", False),
    ("", "title", "missing; add a line such as `title: ", False),
    ("title:\ndescription: B\n", "title", "empty; write the chapter's title after `title:`", False),
    ("title:    \n", "title", "empty; write the chapter's title", False),
    ("title: A\ntitle: B\n", "line 2", "field 'title' is already given on line 1; keep one", False),
    ("title: A\nTitle: B\n", "line 2", "field 'title' is already given on line 1", False),
    ("title: A\ndescription: one\n    two\n", "line 3", "field 'description' goes on one line", False),
    ("title: A\nthe description: B\ndescription: C\n", "line 2", "is not a field line", False),
    ("title: A\n\nSome notes for authors.\n", "line 3", "text below the header is shown nowhere", True),
    ("title: A\n\ndescription: B\n", "line 3", "below the blank line that ends the header, so it is not read", True),
]


@pytest.mark.parametrize(("text", "field", "words", "warning"), BAD_HEADERS, ids=[b[1] + ":" + b[0][:24] for b in BAD_HEADERS])
def test_a_bad_header_is_one_problem_that_says_what_to_do(text, field, words, warning):
    _, problems = read_chapter_text(text)
    assert len(problems) == 1, problems
    [problem] = problems
    assert (problem.field, problem.warning) == (field, warning)
    assert words in problem.message


def test_a_field_twice_keeps_the_first_value():
    fields, _ = read_chapter_text("title: First\ntitle: Second\n")
    assert fields["title"] == "First"


# --- Folders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "number"),
    [
        ("content/pages/03-servers/x.md", "03"),
        ("content/pages/12-a-b/_chapter.md", "12"),
        ("content/pages/servers/x.md", None),
        ("content/pages/3-servers/x.md", None),
        ("content/pages/003-servers/x.md", None),
        ("content/pages/03servers/x.md", None),
        ("content/pages/\uff10\uff13-servers/x.md", None),  # full-width digits
        ("content/pages/03-servers/more/x.md", None),  # only the page's own folder counts
    ],
)
def test_a_folder_names_a_chapter_by_its_first_two_digits(path, number):
    assert folder_number(path) == number


def page(path: str, sort_order: str, status: str = "published"):
    return SimpleNamespace(source_path=path, metadata={"sort-order": sort_order}, status=status, title="A page")


def test_a_page_whose_folder_names_another_chapter_warns_and_the_sort_order_wins():
    log = ProblemLog()
    pages = [
        page("content/pages/03-servers/x.md", "0402"),
        page("content/pages/03-servers/y.md", "0301"),
        page("content/pages/misc/z.md", "0501"),  # a folder without a number names no chapter
        page("content/pages/03-servers/h.md", "0499", status="hidden"),  # in no chapter
        page("content/pages/03-servers/d.md", "0501"),  # a sort-order used twice: that error is the one line
    ]
    check_page_folders(pages, log)
    assert [str(problem) for problem in log.problems] == [
        "warning: content/pages/03-servers/x.md: sort-order: 0402 puts this page in chapter 04, but its folder is "
        "03-servers; the sort-order wins (move the file to chapter 04's folder, or change its sort-order)"
    ]


def tree(tmp_path: Path, files: dict[str, str]) -> dict:
    for name, text in files.items():
        write_chapter((tmp_path / name).parent, text)
    return {"PATH": str(tmp_path), "PAGE_PATHS": ["pages"]}


def test_each_chapter_file_describes_the_chapter_its_folder_names(tmp_path):
    settings = tree(
        tmp_path,
        {"pages/01-a/_chapter.md": "title: One\n", "pages/02-b/_chapter.md": f"title: Two\ndescription: {DESCRIPTION}\n"},
    )
    log = ProblemLog()
    files = read_chapter_files(settings, log)
    assert log.problems == []
    assert files == {
        "01": ChapterFile(str(tmp_path / "pages/01-a/_chapter.md"), "01", "One"),
        "02": ChapterFile(str(tmp_path / "pages/02-b/_chapter.md"), "02", "Two", DESCRIPTION),
    }


@pytest.mark.parametrize(
    ("files", "bad", "words"),
    [
        (
            {"pages/servers/_chapter.md": "title: A\n"},
            "pages/servers/_chapter.md",
            "its folder 'servers' names no chapter: name the folder NN-name",
        ),
        ({"pages/00-zero/_chapter.md": "title: A\n"}, "pages/00-zero/_chapter.md", "names chapter 00, but chapters start at 01"),
        ({"pages/_chapter.md": "title: A\n"}, "pages/_chapter.md", "names no chapter"),
        ({"blog/01-x/_chapter.md": "title: A\n"}, "blog/01-x/_chapter.md", "goes in a chapter's folder of pages"),
        ({"_chapter.md": "title: A\n"}, "_chapter.md", "goes in a chapter's folder of pages"),
        (
            {"pages/03-a/_chapter.md": "title: A\n", "pages/03-b/_chapter.md": "title: B\n"},
            "pages/03-b/_chapter.md",
            "chapter 03 already has",
        ),
    ],
    ids=["no number", "chapter 00", "pages folder", "blog", "content root", "two for one chapter"],
)
def test_a_chapter_file_that_describes_no_chapter_or_a_described_one_is_an_error(tmp_path, files, bad, words):
    log = ProblemLog()
    found = read_chapter_files(tree(tmp_path, files), log)
    assert [(p.path, p.field, p.severity) for p in log.problems] == [(str(tmp_path / bad), "file", "error")]
    assert words in log.problems[0].message
    assert str(tmp_path / bad) not in [file.path for file in found.values()]


def test_pelican_is_told_to_ignore_chapter_files_without_changing_the_shared_default():
    default = ["**/.*"]
    settings = {"IGNORE_FILES": default}
    ignore_chapter_files(settings)
    ignore_chapter_files(settings)
    assert settings["IGNORE_FILES"] == ["**/.*", FILE_NAME]
    assert default == ["**/.*"]


# --- Which title wins ------------------------------------------------------------------------------


def test_the_chapter_file_wins_over_guide_toml_which_wins_over_pelicanconf():
    log = ProblemLog()
    files = {"01": ChapterFile("content/pages/01-a/_chapter.md", "01", "From the file")}
    titles = chapter_titles(
        files,
        {"01": "From guide.toml", "02": "Two from guide.toml"},
        {"01": "Conf one", "02": "Conf two", "03": "Conf three"},
        "content/guide.toml",
        log,
    )
    assert titles == {"01": "From the file", "02": "Two from guide.toml", "03": "Conf three"}
    assert [str(problem) for problem in log.problems] == [
        "warning: content/pages/01-a/_chapter.md: title: 'From the file' differs from 'From guide.toml', chapter 01's "
        "title under [chapters] in content/guide.toml; this file's title wins: remove 01 from [chapters] there"
    ]


def test_the_same_title_in_both_files_is_no_warning():
    log = ProblemLog()
    files = {"01": ChapterFile("content/pages/01-a/_chapter.md", "01", "Same")}
    assert chapter_titles(files, {"01": "Same"}, {}, "content/guide.toml", log) == {"01": "Same"}
    assert log.problems == []


# --- Builds -----------------------------------------------------------------------------------------


@pytest.mark.build
def test_titles_and_descriptions_come_from_the_chapter_files(site_copy, tmp_path):
    without_toml_chapters(site_copy)
    write_chapter(site_copy / "pages/01-start", f"title: Starting out\ndescription: {DESCRIPTION}\n")
    write_chapter(site_copy / "pages/02-more", "title: Further on\n")
    result = build_site(site_copy, tmp_path / "out", strict=True)
    assert result.warnings == []

    output = tmp_path / "out"
    assert toc_titles(output) == ["Starting out", "Further on"]
    nav = soup(output / "third.html").select_one("nav[aria-label=Chapters]")
    assert [a.text for a in nav.select(".chapter-title")] == ["Starting out", "Further on"]
    toc = soup(output / "table-of-contents.html")
    assert toc.select_one("#chapter-01 > .chapter-description").text == DESCRIPTION
    assert toc.select_one("#chapter-02 > .chapter-description") is None  # no description, no empty paragraph
    home = soup(output / "index.html")
    assert [h.text for h in home.select("ol.toc h2")] == ["Starting out", "Further on"]
    assert home.select(".chapter-description") == [], "the home page lists chapters without their descriptions"


@pytest.mark.build
def test_a_chapter_file_wins_over_guide_toml_with_a_warning_naming_both(site_copy, tmp_path):
    chapter_file = write_chapter(site_copy / "pages/01-start", "title: Starting out\n")
    result = build_site(site_copy, tmp_path / "out", overrides={"CHAPTERS": {"02": "Conf two", "03": "Conf three"}})
    assert [str(w) for w in result.warnings] == [
        f"warning: {chapter_file}: title: 'Starting out' differs from 'Getting started', chapter 01's title under "
        f"[chapters] in {site_copy / 'guide.toml'}; this file's title wins: remove 01 from [chapters] there"
    ]
    assert toc_titles(tmp_path / "out") == ["Starting out", "Going further"]  # 02: guide.toml over pelicanconf.py
    with pytest.raises(BuildFailed):
        build_site(site_copy, tmp_path / "out", strict=True)


@pytest.mark.build
def test_pelicanconf_titles_a_chapter_that_neither_file_titles(site_copy, tmp_path):
    without_toml_chapters(site_copy)
    write_chapter(site_copy / "pages/01-start", "title: Starting out\n")
    result = build_site(site_copy, tmp_path / "out", strict=True, overrides={"CHAPTERS": {"01": "Conf one", "02": "Conf two"}})
    assert result.warnings == []
    assert toc_titles(tmp_path / "out") == ["Starting out", "Conf two"]


@pytest.mark.build
def test_a_page_in_another_chapters_folder_is_in_its_sort_orders_chapter_with_a_warning(site_copy, tmp_path):
    moved = site_copy / "pages/01-start/03-later.md"
    moved.write_text("title: Later page\nslug: later\nsort-order: 0202\nmeta: A page filed in the wrong folder.\n\nText.\n")
    result = build_site(site_copy, tmp_path / "out")
    assert [str(w) for w in result.warnings] == [
        f"warning: {moved}: sort-order: 0202 puts this page in chapter 02, but its folder is 01-start; the sort-order "
        "wins (move the file to chapter 02's folder, or change its sort-order)"
    ]
    toc = soup(tmp_path / "out" / "table-of-contents.html")
    assert [a["href"] for a in toc.select("#chapter-02 a")] == ["/third.html", "/later.html"]


@pytest.mark.build
def test_a_chapter_without_a_title_in_a_numbered_folder_is_told_to_add_its_chapter_file(site_copy, tmp_path):
    new_page = site_copy / "pages/03-new/01-new.md"
    new_page.parent.mkdir()
    new_page.write_text("title: New\nslug: new\nsort-order: 0301\nmeta: A page in a new chapter.\n\nText.\n")
    result = build_site(site_copy, tmp_path / "out")
    assert [str(w) for w in result.warnings] == [
        f"warning: {new_page}: sort-order: chapter 03 has no title; add {new_page.parent / FILE_NAME} with a line `title: ...`"
    ]
    write_chapter(new_page.parent, "title: New things\n")
    assert build_site(site_copy, tmp_path / "out", strict=True).warnings == []
    assert toc_titles(tmp_path / "out")[-1] == "New things"


@pytest.mark.build
def test_a_chapter_file_is_never_published_nor_indexed(site_copy, tmp_path):
    secret = "NOTES-5d2f-for-authors-only"
    write_chapter(site_copy / "pages/01-start", f"title: Getting started\n\n{secret}\n")
    result = build_site(site_copy, tmp_path / "out")
    assert [(w.field, "shown nowhere" in w.message) for w in result.warnings if w.path.endswith(FILE_NAME)] == [("line 3", True)]
    output = tmp_path / "out"
    assert result.pages == 3, "the chapter file is no page"
    files = tree_digest(output)
    assert not [name for name in files if "chapter" in name.lower()]
    text = "".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        if path.suffix == ".pf_fragment"
        else path.read_text(errors="replace")
        for path in output.rglob("*")
        if path.is_file()
    )
    assert secret not in text
    assert "_chapter" not in text
    assert "_chapter" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    fragments = list((output / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == result.pages + result.posts, "the search index holds the pages and posts, nothing more"


@pytest.mark.build
def test_a_bad_chapter_file_fails_the_build_in_one_line_and_keeps_the_output(site_copy, tmp_path):
    output = tmp_path / "out"
    build_site(site_copy, output)
    before = tree_digest(output)
    chapter_file = write_chapter(site_copy / "pages/02-more", "title: Further on\ndescripton: Typo.\n")
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, output)
    lines = failure.value.report().splitlines()[:-1]
    assert lines == [
        f"{chapter_file}: descripton: unknown field (did you mean description?); a chapter file has title and description"
    ]
    assert tree_digest(output) == before


@pytest.mark.build
def test_invoke_serve_shows_a_saved_chapter_file_on_every_page(site_copy, tmp_path):
    """A preview rebuild renders only the pages whose signature changed: a chapter's title is on all of them."""
    state, output = PreviewState(), tmp_path / "out"

    def rebuild():
        overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(tmp_path / "cache"))
        build(str(ROOT / "pelicanconf.py"), content=str(site_copy), output=str(output), overrides=overrides, preview=state)

    rebuild()
    write_chapter(site_copy / "pages/01-start", f"title: Getting started\ndescription: {DESCRIPTION}\n")
    rebuild()
    assert soup(output / "table-of-contents.html").select_one("#chapter-01 > .chapter-description").text == DESCRIPTION
    write_chapter(site_copy / "pages/01-start", "title: Starting out\n")
    rebuild()
    for name in ("home.html", "second.html", "third.html"):
        nav = soup(output / name).select_one("nav[aria-label=Chapters]")
        assert [a.text for a in nav.select(".chapter-title")] == ["Starting out", "Going further"], name
    assert soup(output / "table-of-contents.html").select(".chapter-description") == []
