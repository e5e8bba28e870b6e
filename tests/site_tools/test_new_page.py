"""`invoke new` and `invoke new-post` (guide/site_tools/new_page.py): where a new page goes, what
its header says, which pages make room, what is refused; and that what they write builds."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, build_site, tree_digest

from guide.build.preview import PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, build
from guide.content import front_matter, schema
from guide.site_tools.new_page import Refused, apply_plan, plan_page, plan_post, slugify

CHAPTER_1, CHAPTER_2 = "pages/01-start", "pages/02-more"
HOME, SECOND, THIRD = f"{CHAPTER_1}/01-home.md", f"{CHAPTER_1}/02-second.md", f"{CHAPTER_2}/01-third.md"
DAY = datetime.date(2026, 12, 4)


def header_of(text: str) -> dict[str, str]:
    return {field.name: field.value for field in front_matter.read_header(text).fields}


def sort_order(path: Path) -> str:
    return header_of(path.read_text(encoding="utf-8"))["sort-order"]


def page(content: Path, folder: str, name: str, slug: str, order: str, status: str = "") -> Path:
    path = content / folder / name
    extra = f"status: {status}\n" if status else ""
    path.write_text(
        f"title: {slug.title()}\nslug: {slug}\nsort-order: {order}\nmeta: A page.\n{extra}\nText.\n", encoding="utf-8"
    )
    return path


# --- Slugs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Closing a connection", "closing-a-connection"),
        ("WebSockets & HTTP/2: a primer", "websockets-http-2-a-primer"),
        ("What's new in 17.0?", "whats-new-in-17-0"),
        ("  Café crème  ", "cafe-creme"),
        ("ＷＥＢ", "web"),  # full-width letters have an ASCII form
        ("日本語", ""),
        ("!!!", ""),
    ],
)
def test_a_slug_is_lowercase_ascii_words_joined_by_hyphens(title, slug):
    assert slugify(title) == slug
    assert slug == "" or schema.SLUG.fullmatch(slug)  # what the build requires of a slug


# --- Where a page goes -----------------------------------------------------------------------------


def test_by_default_a_page_goes_after_the_last_page_of_the_last_chapter(site_copy):
    plan = plan_page(site_copy, "Going deeper")
    assert plan.path == site_copy / CHAPTER_2 / "02-going-deeper.md"
    assert header_of(plan.text)["sort-order"] == "0202"
    assert (plan.slug, plan.url, plan.moves, plan.notes) == ("going-deeper", "/going-deeper.html", (), ())


def test_chapter_picks_the_chapter_in_either_spelling(site_copy):
    for chapter in ("1", "01"):
        plan = plan_page(site_copy, "Another start", chapter=chapter)
        assert plan.path == site_copy / CHAPTER_1 / "03-another-start.md"
        assert header_of(plan.text)["sort-order"] == "0103"


def test_drafts_and_hidden_pages_hold_their_positions_and_slugs(site_copy):
    page(site_copy, CHAPTER_2, "05-later.md", "later", "0205", status="draft")
    page(site_copy, CHAPTER_2, "06-aside.md", "aside", "0206", status="hidden")
    plan = plan_page(site_copy, "Later")
    assert header_of(plan.text)["sort-order"] == "0207"
    assert plan.slug == "later-2"


def test_files_starting_with_an_underscore_are_not_pages(site_copy):
    """A chapter's _chapter.md sits among the pages; even one that looks like a page is left alone."""
    (site_copy / CHAPTER_2 / "_chapter.md").write_text("title: More\nslug: going-deeper\nsort-order: 0250\n", encoding="utf-8")
    plan = plan_page(site_copy, "Going deeper")
    assert (header_of(plan.text)["sort-order"], plan.slug) == ("0202", "going-deeper")


def test_a_taken_slug_gets_a_suffix_and_a_note_naming_its_owner(site_copy):
    plan = plan_page(site_copy, "Second")
    assert plan.slug == "second-2"
    assert plan.path.name == "02-second-2.md"
    (note,) = plan.notes
    assert "'second'" in note
    assert "02-second.md" in note
    assert "'second-2'" in note
    assert plan_page(site_copy, "Index").slug == "index-2"  # a page the site writes itself


def test_planning_writes_nothing(site_copy):
    before = tree_digest(site_copy)
    plan_page(site_copy, "Between", after="home")
    plan_post(site_copy, "News", DAY)
    assert tree_digest(site_copy) == before


# --- --after: making room --------------------------------------------------------------------------


def test_after_puts_the_page_next_and_moves_the_later_pages_down(site_copy):
    page(site_copy, CHAPTER_1, "03-third-of-one.md", "third-of-one", "0103")
    plan = plan_page(site_copy, "Between", after="home")
    assert header_of(plan.text)["sort-order"] == "0102"
    assert plan.path == site_copy / CHAPTER_1 / "02-between.md"
    changed = apply_plan(plan)
    assert sort_order(site_copy / CHAPTER_1 / "03-second.md") == "0103"
    assert sort_order(site_copy / CHAPTER_1 / "04-third-of-one.md") == "0104"
    assert sorted(p.name for p in (site_copy / CHAPTER_1).iterdir()) == [
        "01-home.md",
        "02-between.md",
        "03-second.md",
        "04-third-of-one.md",
    ]
    assert len(changed) == 3  # each file changed is reported
    assert any("02-second.md" in line and "03-second.md" in line and "0102 -> 0103" in line for line in changed)
    assert sort_order(site_copy / THIRD) == "0201"  # another chapter: untouched


def test_renumbering_rewrites_the_sort_order_line_alone_byte_for_byte(site_copy):
    second = site_copy / SECOND
    original = second.read_bytes().replace(b"\n", b"\r\n") + "caf\u00e9 \t \r\n".encode()  # CRLF, trailing blanks, UTF-8
    second.write_bytes(original)
    second.chmod(0o640)
    apply_plan(plan_page(site_copy, "Between", after="home"))
    moved = site_copy / CHAPTER_1 / "03-second.md"
    assert not second.exists()
    assert moved.read_bytes() == original.replace(b"sort-order: 0102\r\n", b"sort-order: 0103\r\n", 1)
    assert moved.stat().st_mode & 0o777 == 0o640


def test_only_the_pages_up_to_a_free_position_move(site_copy):
    page(site_copy, CHAPTER_1, "05-fifth.md", "fifth", "0105")  # 03 and 04 are free
    plan = plan_page(site_copy, "Between", after="home")
    assert [(m.old_path.name, m.new_path.name) for m in plan.moves] == [("02-second.md", "03-second.md")]


def test_a_file_name_that_does_not_carry_the_position_keeps_its_name(site_copy):
    (site_copy / SECOND).rename(site_copy / CHAPTER_1 / "second.md")
    page(site_copy, CHAPTER_1, "07-odd.md", "odd", "0103")  # its name says 07, its sort-order 03
    apply_plan(plan_page(site_copy, "Between", after="home"))
    assert sort_order(site_copy / CHAPTER_1 / "second.md") == "0103"
    assert sort_order(site_copy / CHAPTER_1 / "07-odd.md") == "0104"


def test_after_the_last_page_of_a_chapter_moves_nothing(site_copy):
    plan = plan_page(site_copy, "Closing", after="second")
    assert (header_of(plan.text)["sort-order"], plan.moves) == ("0103", ())


# --- What is refused, before anything is written ---------------------------------------------------


def refusal(content: Path, *args, **kwargs) -> str:
    before = tree_digest(content)
    with pytest.raises(Refused) as refused:
        plan_page(content, *args, **kwargs)  # planning refuses: apply is never reached
    assert tree_digest(content) == before
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_an_unknown_chapter_is_refused_listing_the_chapters(site_copy):
    for chapter in ("3", "07", "x1"):
        message = refusal(site_copy, "A page", chapter=chapter)
        assert f"--chapter {chapter}" in message
        assert "01 (01-start), 02 (02-more)" in message


def test_an_unknown_after_slug_is_refused_with_close_ones(site_copy):
    message = refusal(site_copy, "A page", after="secnd")
    assert "--after secnd" in message
    assert "did you mean second" in message


def test_after_and_chapter_that_disagree_are_refused(site_copy):
    assert "chapter 01, not --chapter 2" in refusal(site_copy, "A page", chapter="2", after="home")


def test_an_existing_file_is_refused(site_copy):
    (site_copy / CHAPTER_2 / "02-going-deeper.md").write_text("notes\n", encoding="utf-8")
    assert "02-going-deeper.md exists already" in refusal(site_copy, "Going deeper")


def test_a_renamed_page_never_lands_on_another_file(site_copy):
    (site_copy / CHAPTER_1 / "03-second.md").write_text("notes\n", encoding="utf-8")
    assert "03-second.md exists already" in refusal(site_copy, "Between", after="home")


@pytest.mark.parametrize(
    ("title", "words"),
    [("", "the title is empty"), ("   ", "the title is empty"), ("日本語", "gives no slug"), ("One\nTwo", "one line")],
)
def test_a_title_without_a_slug_or_on_two_lines_is_refused(site_copy, title, words):
    assert words in refusal(site_copy, title)


def test_a_full_chapter_is_refused(site_copy):
    page(site_copy, CHAPTER_2, "99-last.md", "last", "0299")
    assert "position 99" in refusal(site_copy, "One more")
    for position in range(2, 99):
        page(site_copy, CHAPTER_2, f"{position:02d}-p{position}.md", f"p{position}", f"02{position:02d}")
    assert "full" in refusal(site_copy, "One more", after="third")


# --- What is written ---------------------------------------------------------------------------------


def test_a_new_page_has_a_header_the_build_accepts_and_is_a_draft(site_copy):
    plan = plan_page(site_copy, "Going deeper: part 2")
    header = front_matter.read_header(plan.text)
    assert front_matter.check_header(header, schema.PAGE) == []
    fields = header_of(plan.text)
    assert [problem for problem in front_matter.check_fields(fields, schema.PAGE) if not problem.warning] == []
    assert front_matter.check_fields(fields, schema.PAGE) == []  # no warning either: --strict builds it
    assert (fields["title"], fields["status"]) == ("Going deeper: part 2", "draft")


def test_a_new_post_is_dated_named_by_its_day_and_a_draft(site_copy):
    plan = plan_post(site_copy, "Release notes", DAY)
    assert plan.path == site_copy / "blog" / "2026-12-04-release-notes.md"
    assert plan.url == "/blog/release-notes.html"
    header = front_matter.read_header(plan.text)
    assert front_matter.check_header(header, schema.POST) == []
    fields = header_of(plan.text)
    assert front_matter.check_fields(fields, schema.POST) == []
    assert (fields["date"], fields["status"]) == ("2026-12-04", "draft")


def test_a_post_slug_is_unique_among_posts_and_an_existing_file_is_refused(site_copy):
    assert plan_post(site_copy, "Notes", DAY).slug == "notes-2"  # blog/notes.md has slug notes
    (site_copy / "blog" / "2026-12-04-news.md").write_text("x\n", encoding="utf-8")
    with pytest.raises(Refused, match="exists already"):
        plan_post(site_copy, "News", DAY)


def test_apply_never_writes_over_a_file(site_copy):
    plan = plan_page(site_copy, "Going deeper")
    plan.path.write_text("written meanwhile\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        apply_plan(plan)
    assert plan.path.read_text(encoding="utf-8") == "written meanwhile\n"


# --- The tasks -----------------------------------------------------------------------------------------


def invoke(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True)


def test_invoke_new_prints_each_file_the_url_in_serve_and_how_to_publish(site_copy):
    run = invoke("new", "Between", "--after", "home", "--content", str(site_copy))
    assert run.returncode == 0, run.stderr
    assert re.search(r"Renumbered .*02-second\.md -> .*03-second\.md \(sort-order 0102 -> 0103\)", run.stdout)
    assert re.search(r"Created .*01-start/02-between\.md", run.stdout)
    assert "http://127.0.0.1:8000/between.html" in run.stdout
    assert "status: published" in run.stdout
    run = invoke("new-post", "Release notes", "--content", str(site_copy))
    assert run.returncode == 0, run.stderr
    assert "/blog/release-notes.html" in run.stdout


def test_invoke_new_refuses_in_one_line_with_status_2(site_copy):
    run = invoke("new", "A page", "--chapter", "9", "--content", str(site_copy))
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.strip().count("\n") == 0
    assert run.stderr.startswith("new: --chapter 9: no folder pages/09-*")


# --- What is written builds -----------------------------------------------------------------------------


def preview(content: Path, output: Path):
    overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(output.parent / "cache"))
    return build(
        str(ROOT / "pelicanconf.py"),
        content=str(content),
        output=str(output),
        strict=True,
        overrides=overrides,
        preview=PreviewState(),
    )


@pytest.mark.build
def test_what_new_writes_builds_strictly_as_a_draft_in_serve_and_once_published(site_copy, tmp_path):
    new_page = plan_page(site_copy, "Between", after="home")
    new_post = plan_post(site_copy, "Release notes", DAY)
    apply_plan(new_page)
    apply_plan(new_post)
    preview(site_copy, tmp_path / "serve")
    assert 'class="draft-banner"' in (tmp_path / "serve" / "between.html").read_text(encoding="utf-8")
    assert (tmp_path / "serve" / "blog" / "release-notes.html").is_file()
    build_site(site_copy, tmp_path / "draft-left-out", strict=True)
    assert not (tmp_path / "draft-left-out" / "between.html").exists()
    for path in (new_page.path, new_post.path):
        path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    build_site(site_copy, tmp_path / "published", strict=True)
    toc = (tmp_path / "published" / "table-of-contents.html").read_text(encoding="utf-8")
    assert toc.index("/home.html") < toc.index("/between.html") < toc.index("/second.html")
    assert (tmp_path / "published" / "blog" / "release-notes.html").is_file()
    assert "draft-banner" not in (tmp_path / "published" / "between.html").read_text(encoding="utf-8")
