"""`invoke serve`'s rebuilds render only what changed, and end up where a full build would.

Also: the shortcuts taken for speed give the same answers as the plain code they replace.
"""

from __future__ import annotations

import logging
import random
import shutil

import pytest
from pelican.readers import MarkdownReader

from guide.build import memo
from guide.build.preview import SEARCH_FOLDER, PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, BuildFailed, build
from guide.content.front_matter import read_choices
from guide.content.site_links import SITE_PATH_ATTR_RE, absolutize, iter_site_paths, site_url
from helpers import ROOT, leftovers, tree_digest

HOME, SECOND, THIRD = "pages/01-start/01-home.md", "pages/01-start/02-second.md", "pages/02-more/01-third.md"
GUIDE_PAGES = ["home.html", "second.html", "third.html"]


@pytest.fixture
def session(site_copy, tmp_path):
    """A serve session over a copy of the fixture site, after its first (full) build."""
    state = PreviewState()
    output = tmp_path / "output"

    def rebuild():
        overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(tmp_path / "cache"))
        return build(str(ROOT / "pelicanconf.py"), content=str(site_copy), output=str(output), overrides=overrides, preview=state)

    rebuild()
    return site_copy, output, rebuild


def without_search(folder):
    return {name: digest for name, digest in tree_digest(folder).items() if not name.startswith(SEARCH_FOLDER + "/")}


def full_build(content, tmp_path):
    output = tmp_path / "full"
    shutil.rmtree(output, ignore_errors=True)
    build(str(ROOT / "pelicanconf.py"), content=str(content), output=str(output))
    return output


def stamps(output):
    return {name: (output / name).stat().st_ino for name in GUIDE_PAGES}


def edit(content, path, old, new):
    file = content / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.build
def test_first_build_is_a_full_build_with_search(session):
    _, output, _ = session
    assert (output / SEARCH_FOLDER / "pagefind.js").is_file()
    assert leftovers(output) == []


@pytest.mark.build
def test_editing_a_body_renders_that_page_alone(session, tmp_path):
    content, output, rebuild = session
    before = stamps(output)
    edit(content, SECOND, "\n\n", "\n\nA sentence added while previewing.\n\n")
    rebuild()
    after = stamps(output)
    assert [name for name in GUIDE_PAGES if before[name] != after[name]] == ["second.html"]
    assert "A sentence added while previewing." in (output / "second.html").read_text(encoding="utf-8")
    assert without_search(output) == without_search(full_build(content, tmp_path))
    assert (output / SEARCH_FOLDER / "pagefind.js").is_file()  # the session's index is kept
    assert leftovers(output) == []


@pytest.mark.build
def test_editing_a_title_renders_every_page_that_shows_it(session, tmp_path):
    content, output, rebuild = session
    before = stamps(output)
    edit(content, THIRD, "title: Third page", "title: The third page")
    rebuild()
    after = stamps(output)
    assert all(before[name] != after[name] for name in GUIDE_PAGES)
    assert without_search(output) == without_search(full_build(content, tmp_path))


@pytest.mark.build
def test_a_renamed_page_leaves_no_old_file(session, tmp_path):
    content, output, rebuild = session
    edit(content, THIRD, "slug: third", "slug: third-renamed")
    rebuild()
    assert not (output / "third.html").exists() and (output / "third-renamed.html").is_file()
    assert without_search(output) == without_search(full_build(content, tmp_path))


@pytest.mark.build
def test_a_failed_rebuild_leaves_the_output_as_it_was(session, tmp_path):
    content, output, rebuild = session
    edit(content, SECOND, "\n\n", "\n\nA first edit.\n\n")
    rebuild()
    before = tree_digest(output)
    edit(content, SECOND, "sort-order: ", "sort-order: x")
    with pytest.raises(BuildFailed):
        rebuild()
    assert tree_digest(output) == before
    assert leftovers(output) == []
    edit(content, SECOND, "sort-order: x", "sort-order: ")
    edit(content, SECOND, "A first edit.", "A second edit.")
    rebuild()
    assert without_search(output) == without_search(full_build(content, tmp_path))


@pytest.mark.build
def test_a_page_changed_behind_the_sessions_back_is_rendered_again(session):
    content, output, rebuild = session
    (output / "home.html").write_text("stale", encoding="utf-8")
    (output / "third.html").unlink()
    rebuild()
    assert "stale" not in (output / "home.html").read_text(encoding="utf-8")
    assert (output / "third.html").is_file()


@pytest.mark.build
def test_a_removed_output_folder_means_a_full_build_again(session):
    _, output, rebuild = session
    shutil.rmtree(output)
    rebuild()
    assert (output / SEARCH_FOLDER / "pagefind.js").is_file()
    assert all((output / name).is_file() for name in GUIDE_PAGES)


def test_site_paths_are_found_exactly_as_the_pattern_finds_them():
    rng = random.Random(8)
    pieces = ["href", "src", "=", '"', "'", "/", "//", "x", "-", " ", "\n", "é", "#a", "?q", "<a ", ">", "xhref", "hrefsrc"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20_000)]
    texts.append((ROOT / "tests" / "fixtures" / "site" / HOME).read_text(encoding="utf-8"))
    for text in texts:
        expected = [(m.span(), m.groupdict()) for m in SITE_PATH_ATTR_RE.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in iter_site_paths(text)] == expected, text
        replaced = SITE_PATH_ATTR_RE.sub(lambda m: f"{m['attr']}={m['quote']}{site_url('https://h/b', m['path'])}{m['quote']}", text)
        assert absolutize(text, "https://h/b") == replaced, text


def test_reuse_keeps_answers_for_one_more_build():
    reuse = memo.Reuse()
    calls = []

    def compute(key):
        calls.append(key)
        return key.upper()

    assert reuse.get("a", lambda: compute("a")) == "A"
    assert reuse.get("a", lambda: compute("a")) == "A"
    memo.next_build()
    assert reuse.get("a", lambda: compute("a")) == "A"  # asked in the last build: reused
    memo.next_build()
    memo.next_build()
    assert reuse.get("a", lambda: compute("a")) == "A"  # not asked for a whole build: forgotten
    assert calls == ["a", "a"]


def test_read_choices_hands_out_fresh_lists():
    metadata = {"title": "t", "choice1url": "/a.html", "choice1icon": "fa-book", "choice1text": "A?", "choice2url": "/b.html"}
    choices, problems = read_choices(metadata)
    choices.clear()
    problems.clear()
    again = read_choices(dict(metadata))
    assert [c.url for c in again[0]] == ["/a.html"] and [p.field for p in again[1]] == ["choice2text"]
    listed = read_choices({"choice1url": ["/a.html", "/b.html"], "choice1text": "A?"})  # unhashable: still read
    assert [c.url for c in listed[0]] == ["/a.html /b.html"]


@pytest.mark.build
def test_reading_pages_on_every_cpu_builds_what_one_cpu_builds(tmp_path, monkeypatch):
    """Enough pages for the worker processes to start; one of them makes Pelican warn while read."""
    monkeypatch.syspath_prepend(str(ROOT))  # benchmarks/ is run from the project, not installed
    from benchmarks.generator import generate
    from guide.build import parallel_read

    site = generate(str(tmp_path / "content"), parallel_read.MIN_FILES + 6)
    odd = tmp_path / "content" / site.pages[-3].path  # the workers start from the end
    # The format's own checks leave Pelican nothing to warn about while it reads a page (a field
    # given twice is an error found before): its Markdown reader warns about this one page.
    read_markdown = MarkdownReader.read

    def read_and_warn(reader, source_path):
        if source_path == str(odd):
            logging.getLogger("pelican.readers").warning("Odd page %s", source_path)
        return read_markdown(reader, source_path)

    monkeypatch.setattr(MarkdownReader, "read", read_and_warn)

    def built(name):
        return build(str(ROOT / "pelicanconf.py"), content=str(tmp_path / "content"), output=str(tmp_path / name))

    parallel = built("parallel")
    monkeypatch.setattr(parallel_read, "MIN_FILES", 10**9)
    serial = built("serial")
    assert [str(w) for w in parallel.warnings] == [str(w) for w in serial.warnings]
    assert [str(w) for w in serial.warnings] == [f"warning: {odd}: pelican: Odd page {odd}"]
    assert tree_digest(tmp_path / "parallel") == tree_digest(tmp_path / "serial")


@pytest.mark.build
def test_a_rebuild_checks_the_links_on_the_pages_it_wrote(session):
    content, _, rebuild = session
    edit(content, SECOND, "\n\n", "\n\nSee [a heading that is not there](/home.html#no-such-heading).\n\n")
    result = rebuild()
    assert any("/home.html#no-such-heading" in str(w) and 'no element with id="no-such-heading"' in str(w) for w in result.warnings)
