"""Malformed input, as an attacker or a tired author at 2 a.m. would write it.

Each case starts from a good build of the fixture site, breaks one thing, and runs the build task
as `invoke build` runs it. Every case must end with the exit status `invoke build` would give, one
line naming the file (or option), the field or line, and what is wrong; no traceback; and the
previous output byte for byte as it was, with nothing left beside it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import helpers
import pytest
from helpers import ROOT, leftovers, tree_digest
from invoke import Context, Exit

HOME = "pages/01-start/01-home.md"
SECOND = "pages/01-start/02-second.md"
THIRD = "pages/02-more/01-third.md"
LAUNCH = "blog/launch.rst"
NOTES = "blog/notes.md"
SECRET = "TOKEN-7c1e-never-publish"
CHAPTER = "pages/01-start/_chapter.md"


def _tasks():
    spec = importlib.util.spec_from_file_location("guide_tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TASKS = _tasks()


# --- Faults: each changes the content tree and returns extra options for the build task ----------


def replace(path: str, old: str, new: str) -> Callable:
    change = helpers.replace(path, old, new)
    return lambda content, tmp: change(content) or {}


def append(path: str, text: str) -> Callable:
    change = helpers.append(path, text)
    return lambda content, tmp: change(content) or {}


def write(path: str, data: str | bytes) -> Callable:
    def fault(content: Path, tmp: Path) -> dict:
        target = content / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
        return {}

    return fault


def page(sort_order: str = "0103", slug: str = "extra", body: str = "Text.\n", **fields) -> str:
    header = {"title": "Extra page", "slug": slug, "sort-order": sort_order, "meta": "A page added by a test.", **fields}
    return "".join(f"{name}: {value}\n" for name, value in header.items()) + "\n" + body


def options(**chosen) -> Callable:
    """A fault in the command line, not in the content: ``{content}`` and ``{tmp}`` are filled in."""

    def fault(content: Path, tmp: Path) -> dict:
        return {name: value.format(content=content, tmp=tmp, root=ROOT) for name, value in chosen.items()}

    return fault


def secret_beside(fault_after: Callable) -> Callable:
    """A file of the build machine next to the content folder, as .git/config is next to content/."""

    def fault(content: Path, tmp: Path) -> dict:
        (content.parent / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
        return fault_after(content, tmp)

    return fault


def symlink(path: str, target: str) -> Callable:
    def fault(content: Path, tmp: Path) -> dict:
        (content / path).symlink_to(target.format(content=content, tmp=tmp))
        return {}

    return fault


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    fault: Callable
    where: str  #: the start of the line: a content path, or an option such as "--output"
    field: str | None  #: the field or line named after it (None: an option's own line)
    words: str  #: words the line must contain
    code: int = 1
    lines: int | None = 1  #: problem lines in the report (None: not counted)


CASES = [
    # --- Guide pages: the header ---------------------------------------------------------------
    Case(
        "field given twice",
        replace(SECOND, "slug: second\n", "slug: second\nslug: other\n"),
        SECOND,
        "line 3",
        "already given on line 2",
    ),
    Case(
        "field twice in other case",
        replace(SECOND, "slug: second\n", "slug: second\nSlug: other\n"),
        SECOND,
        "line 3",
        "already given on line 2",
    ),
    Case("title missing", replace(SECOND, "title: Second page\n", ""), SECOND, "title", "missing"),
    Case("empty file", write("pages/01-start/03-empty.md", ""), "pages/01-start/03-empty.md", "title", "missing", lines=None),
    Case(
        "sort-order in full-width digits",
        replace(THIRD, "sort-order: 0201", "sort-order: ０２０１"),
        THIRD,
        "sort-order",
        "four digits",
    ),
    Case(
        "sort-order in Arabic-Indic digits",
        replace(THIRD, "sort-order: 0201", "sort-order: ٠٢٠١"),
        THIRD,
        "sort-order",
        "four digits",
    ),
    Case("sort-order with letters", replace(THIRD, "sort-order: 0201", "sort-order: 02a1"), THIRD, "sort-order", "four digits"),
    Case(
        "slug with a path",
        replace(THIRD, "slug: third", "slug: ../../etc/passwd"),
        THIRD,
        "slug",
        "lowercase words joined by hyphens",
    ),
    Case(
        "slug with a script",
        replace(THIRD, "slug: third", 'slug: "><script>alert(1)</script>'),
        THIRD,
        "slug",
        "lowercase words joined by hyphens",
    ),
    Case("slug taken by a page the site makes", replace(THIRD, "slug: third", "slug: index"), THIRD, "slug", "index.html"),
    Case("slug of the search page", replace(THIRD, "slug: third", "slug: search"), THIRD, "slug", "search.html"),
    Case(
        "save_as outside the scheme",
        replace(THIRD, "slug: third\n", "slug: third\nsave_as: ../../evil.html\n"),
        THIRD,
        "save_as",
        "remove it",
    ),
    Case("url of another page", replace(THIRD, "slug: third\n", "slug: third\nurl: home.html\n"), THIRD, "url", "remove it"),
    Case(
        "template of the theme's own",
        replace(THIRD, "slug: third\n", "slug: third\ntemplate: ../../../etc/passwd\n"),
        THIRD,
        "template",
        "remove it",
    ),
    Case("two pages, one slug", replace(THIRD, "slug: third", "slug: second"), SECOND, "slug", "already used"),
    Case(
        "two pages, one sort-order", replace(THIRD, "sort-order: 0201", "sort-order: 0102"), SECOND, "sort-order", "already used"
    ),
    Case(
        "choice to javascript:",
        replace(HOME, "choice1url: /second.html", "choice1url: javascript:alert(1)"),
        HOME,
        "choice1url",
        "neither a site path",
    ),
    Case(
        "choice to another host, protocol-relative",
        replace(HOME, "choice1url: /second.html", "choice1url: //evil.example/x.html"),
        HOME,
        "choice1url",
        "names another host without a scheme",
    ),
    Case(
        "choice over plain http", replace(HOME, "choice4url: https://", "choice4url: http://"), HOME, "choice4url", "use https://"
    ),
    Case(
        "a fifth choice",
        replace(HOME, "choice4url:", "choice5url: /second.html\nchoice5text: More?\nchoice4url:"),
        HOME,
        "choice5url",
        "choices 1 to 4",
    ),
    Case(
        "choice without its text",
        replace(SECOND, "choice1text: Back to the start?", "choice1text:"),
        SECOND,
        "choice1text",
        "needs a url and a text",
    ),
    # --- Guide pages: the body -----------------------------------------------------------------
    Case(
        "fence never closed",
        append(SECOND, "\n```python {illustrative}\nprint('no end')\n"),
        SECOND,
        "line 13 code block",
        "never closed",
    ),
    Case("tilde fence never closed", append(SECOND, "\n~~~\nplain\n"), SECOND, "line 13 code block", "never closed"),
    Case(
        "unknown code language",
        replace(HOME, "```python {", "```pyhton {"),
        HOME,
        "line 23 code block",
        "unknown language 'pyhton'",
    ),
    Case(
        "code attributes that cannot be read",
        replace(HOME, '{test="fixture-hello" title="hello.py"}', '{test="fixture-hello" title="hello.py}'),
        HOME,
        "line 23 code block",
        "cannot read",
    ),
    Case(
        "an unmarked python block in the guide's tree",
        replace(HOME, '{test="fixture-hello" title="hello.py"}', ""),
        HOME,
        "line 23 code block",
        "must say whether they are tested",
    ),
    Case(
        "link to a missing page",
        replace(SECOND, "Some text.", "See [this](/nowhere.html)."),
        SECOND,
        "body",
        "/nowhere.html matches no page",
    ),
    Case(
        "image missing",
        replace(SECOND, "Some text.", "![x](/images/diagam.svg)"),
        SECOND,
        "body",
        "did you mean /images/diagram.svg?",
    ),
    Case(
        "image beside the page missing",
        replace(SECOND, "Some text.", "![x](diagam.svg)"),
        SECOND,
        "body",
        "no file pages/01-start/diagam.svg in the content folder",
    ),
    Case(
        "image path out of the content folder",
        secret_beside(replace(SECOND, "Some text.", "![x](../../../secret.txt)")),
        SECOND,
        "body",
        "image ../../../secret.txt leads out of the content folder",
    ),
    Case(
        "image path to a file of the machine",
        replace(SECOND, "Some text.", "![x](../../../../../../../../etc/passwd)"),
        SECOND,
        "body",
        "leads out of the content folder",
    ),
    Case(
        "static link out of the content folder",
        secret_beside(replace(SECOND, "Some text.", "[x]({static}../../../secret.txt)")),
        SECOND,
        "body",
        "link {static}../../../secret.txt leads out of the content folder",
    ),
    Case(
        "static link to a file beside the page that is not an image",
        lambda content, tmp: {
            **write("pages/01-start/notes.txt", f"{SECRET}\n")(content, tmp),
            **replace(SECOND, "Some text.", "[notes]({static}notes.txt)")(content, tmp),
        },
        SECOND,
        "body",
        "which is not an image",
    ),
    Case(
        "a named pipe named like an image beside a page",
        lambda content, tmp: os.mkfifo(content / "pages/01-start/stream.svg") or {},
        "pages/01-start/stream.svg",
        "file",
        "not a regular file",
    ),
    Case(
        "a named pipe where a page should be",
        lambda content, tmp: os.mkfifo(content / "pages/01-start/03-pipe.md") or {},
        "pages/01-start/03-pipe.md",
        "file",
        "not a regular file",
    ),
    Case(
        "not UTF-8",
        write(SECOND, b"title: Second\nslug: second\nsort-order: 0102\nmeta: m\n\ncaf\xe9\n"),
        SECOND,
        "encoding",
        "not valid UTF-8",
    ),
    Case(
        "saved as UTF-16", write(SECOND, "title: Second\nslug: second\n".encode("utf-16")), SECOND, "encoding", "not valid UTF-8"
    ),
    Case(
        "lists nested a thousand deep",
        write("pages/01-start/03-deep.md", page(body="".join("    " * i + "- x\n" for i in range(400)))),
        "pages/01-start/03-deep.md",
        "read",
        "nests too deeply",
    ),
    Case(
        "a page of 2 MiB",
        write("pages/01-start/03-huge.md", page(body="word " * 420_000)),
        "pages/01-start/03-huge.md",
        "file",
        "split it",
    ),
    # --- Posts ---------------------------------------------------------------------------------
    Case("post date not a date", replace(NOTES, "date: 2026-11-02", "date: yesterday"), NOTES, "date", "is not a date"),
    Case("post date without a day", replace(NOTES, "date: 2026-11-02", "date: 2026-11"), NOTES, "date", "has no day"),
    Case("post date missing", replace(LAUNCH, ":date: 2026-11-01\n", ""), LAUNCH, "date", "missing"),
    Case("post slug not a slug", replace(NOTES, "slug: notes", "slug: My Notes"), NOTES, "slug", "lowercase words"),
    Case(
        "post field given twice",
        replace(NOTES, "slug: notes\n", "slug: notes\nslug: notes-again\n"),
        NOTES,
        "line 3",
        "already given on line 2",
    ),
    # --- reStructuredText ----------------------------------------------------------------------
    Case(
        "include of a file of the machine",
        secret_beside(append(LAUNCH, "\n.. include:: ../secret.txt\n")),
        LAUNCH,
        "line 10",
        "include directive is disabled",
    ),
    Case(
        "Markdown snippet of a file beside the content",
        secret_beside(append(SECOND, '\n--8<-- "../secret.txt"\n')),
        SECOND,
        "line 13",
        "Snippets) is off",
    ),
    Case("Markdown snippet of /etc/passwd", append(SECOND, "\n--8<-- '/etc/passwd'\n"), SECOND, "line 13", "Snippets) is off"),
    Case(
        "Markdown snippet block",
        secret_beside(append(SECOND, "\n--8<--\n../secret.txt\n--8<--\n")),
        SECOND,
        "line 13",
        "Snippets) is off",
        lines=2,
    ),
    Case(
        "include of /etc/passwd",
        append(LAUNCH, "\n.. include:: /etc/passwd\n"),
        LAUNCH,
        "line 10",
        "include directive is disabled",
    ),
    Case(
        "raw HTML",
        append(LAUNCH, "\n.. raw:: html\n\n   <script>alert(1)</script>\n"),
        LAUNCH,
        "line 10",
        "raw directive is disabled",
    ),
    Case(
        "csv-table from a file",
        secret_beside(append(LAUNCH, "\n.. csv-table:: x\n   :file: ../secret.txt\n")),
        LAUNCH,
        "line 10",
        ":file: and :url: options",
    ),
    Case("unknown directive", append(LAUNCH, "\n.. frobnicate:: x\n"), LAUNCH, "line 10", 'Unknown directive type "frobnicate"'),
    Case(
        "docinfo field given twice",
        replace(LAUNCH, ":date: 2026-11-01\n", ":date: 2026-11-01\n:date: 2026-11-02\n"),
        LAUNCH,
        None,
        "already given",
    ),
    # --- The content tree ----------------------------------------------------------------------
    Case(
        "settings file with a TOML mistake",
        write("guide.toml", "[chapters]\n01 = Foundations\n"),
        "guide.toml",
        "line 2",
        "see the README",
    ),
    Case(
        "settings file with an unknown key",
        write("guide.toml", 'chapter = {01 = "A"}\n'),
        "guide.toml",
        "chapter",
        "did you mean chapters?",
    ),
    Case(
        "chapter key that is not two digits",
        write("guide.toml", '[chapters]\n1 = "One"\n'),
        "guide.toml",
        "chapters.1",
        "two digits",
    ),
    # --- A chapter's own file (pages/NN-name/_chapter.md) ------------------------------------------
    Case(
        "chapter file that is a folder",
        lambda content, tmp: (content / CHAPTER).mkdir() or {},
        CHAPTER,
        "file",
        "a folder: a chapter's title and description go in a file named _chapter.md",
    ),
    Case("empty chapter file", write(CHAPTER, ""), CHAPTER, "title", "missing"),
    Case("huge chapter file", write(CHAPTER, "title: Big\n\n" + "x" * 5_000_000), CHAPTER, "file", "at most 64 KiB"),
    Case(
        "chapter file not UTF-8",
        write(CHAPTER, b"title: Caf\xe9\n"),
        CHAPTER,
        "encoding",
        "not valid UTF-8 (byte 0xe9 on line 1)",
    ),
    Case(
        "chapter file with a mistyped field",
        write(CHAPTER, "title: Start\ndescripton: The first steps.\n"),
        CHAPTER,
        "descripton",
        "did you mean description?",
    ),
    Case(
        "a named pipe as a chapter file",
        lambda content, tmp: os.mkfifo(content / CHAPTER) or {},
        CHAPTER,
        "file",
        "not a regular file",
    ),
    Case(
        "chapter file linked to a file of the machine",
        secret_beside(symlink(CHAPTER, "{content}/../secret.txt")),
        CHAPTER,
        "file",
        "outside the content folder",
    ),
    Case("chapter file linked to a device", symlink(CHAPTER, "/dev/zero"), CHAPTER, "file", "outside the content folder"),
    Case(
        "symbolic link to a file of the machine",
        secret_beside(symlink("images/logo.svg", "{content}/../secret.txt")),
        "images/logo.svg",
        "file",
        "outside the content folder",
    ),
    Case(
        "symbolic link to a folder of the machine",
        symlink("images/etc", "/etc"),
        "images/etc",
        "file",
        "outside the content folder",
    ),
    # --- The command line ----------------------------------------------------------------------
    Case("--content that does not exist", options(content="{tmp}/no-such-folder"), "--content", None, "no such folder", code=2),
    Case("--content is a file", options(content="{root}/README.md"), "--content", None, "not a folder", code=2),
    Case("--output is the repository", options(output="{root}"), "--output", None, "is the project", code=2),
    Case("--output is the content", options(output="{content}"), "--output", None, "is the content folder", code=2),
    Case(
        "--output inside the content",
        options(output="{content}/pages/site"),
        "--output",
        None,
        "inside the content folder",
        code=2,
    ),
    Case("--output holds the content", options(output="{tmp}"), "--output", None, "holds the content folder", code=2),
    Case(
        "--output is someone's folder",
        options(output="{root}/tests"),
        "--output",
        None,
        "holds files the build did not write",
        code=2,
    ),
    Case("--output is the theme", options(output="{root}/theme"), "--output", None, "is the theme", code=2),
    Case("--output is a file", options(output="{root}/README.md"), "--output", None, "is a file", code=2),
]


def run_build(**kwargs) -> tuple[int, str]:
    """`invoke build` in this process: its exit status and its message."""
    try:
        TASKS.build(Context(), **kwargs)
    except Exit as failure:
        return failure.code, failure.message or ""
    return 0, ""


@pytest.mark.build
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_one_clear_line_and_loses_nothing(case, site_copy, tmp_path, capsys):
    output = tmp_path / "output"
    assert run_build(content=str(site_copy), output=str(output)) == (0, "")
    before, repository = tree_digest(output), _repository_state()

    chosen = {"content": str(site_copy), "output": str(output), **case.fault(site_copy, tmp_path)}
    code, message = run_build(**chosen)

    assert code == case.code, message
    where = case.where.format(tmp=tmp_path)
    start = where if where.startswith(("-", "/")) else str(site_copy / where)
    start += f": {case.field}: " if case.field else ""
    lines = [line for line in message.splitlines() if not line.startswith("Build failed:")]
    assert [line for line in lines if line.startswith(start) and case.words in line], (
        f"no line {start!r}...{case.words!r} in:\n{message}"
    )
    if case.lines is not None:
        assert len(lines) == case.lines, f"one mistake, one line:\n{message}"
    printed = capsys.readouterr()
    assert "Traceback" not in message + printed.out + printed.err
    assert tree_digest(output) == before, "the previous output changed"
    assert leftovers(output) == []
    assert SECRET not in _all_text(output)
    assert _repository_state() == repository


def _repository_state() -> dict:
    """What a refused --output must never touch: the project's own files (not the built output)."""
    return {
        name: os.stat(ROOT / name).st_mtime_ns
        for name in ("README.md", "tasks.py", "pelicanconf.py", "content", "theme", "tests")
    }


def _all_text(folder: Path) -> str:
    return "".join(path.read_text(errors="replace") for path in folder.rglob("*") if path.is_file())


# (task, options, words of the one line): options of the other tasks, refused before any work
OPTION_CASES = [
    ("serve", {"port": "abc"}, "--port 'abc' is not a port number"),
    ("serve", {"port": "70000"}, "--port '70000' is not a port number"),
    ("serve", {"port": "-1"}, "--port '-1' is not a port number"),
    ("bench", {"repeat": "abc"}, "--repeat 'abc': give a whole number"),
    ("bench", {"repeat": "0"}, "--repeat '0': give a whole number"),
    ("bench", {"sizes": "100;1000"}, "--sizes needs page counts"),
    ("publish", {"siteurl": "ftp://example.org"}, "publish needs the site's public URL"),
]


@pytest.mark.parametrize(("task", "chosen", "words"), OPTION_CASES, ids=[f"{c[0]} {c[1]}" for c in OPTION_CASES])
def test_a_bad_option_is_one_line_and_does_nothing(task, chosen, words, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("SITEURL", raising=False)
    monkeypatch.chdir(tmp_path)  # whatever a task would write lands here, and nothing may
    with pytest.raises(Exit) as failure:
        getattr(TASKS, task)(Context(), **chosen)
    assert failure.value.code == 2
    [line] = failure.value.message.splitlines()
    assert words in line
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.build
def test_markup_in_fields_is_text_and_windows_line_endings_build(site_copy, tmp_path):
    """Hostile but valid: what an author writes in a field is shown as text, never run."""
    script = "</title><script>alert(1)</script>"
    replace(SECOND, "title: Second page", f"title: Second {script}")(site_copy, tmp_path)
    replace(HOME, "choice1text: What comes second?", f"choice1text: Next? {script}")(site_copy, tmp_path)
    crlf = page(slug="crlf", body="```python {illustrative}\nprint('crlf')\n```\n").replace("\n", "\r\n")
    write("pages/01-start/03-crlf.md", crlf)(site_copy, tmp_path)
    output = tmp_path / "output"
    assert run_build(content=str(site_copy), output=str(output), strict=True) == (0, "")
    for name in ("second.html", "home.html"):
        html = (output / name).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)" in html
    assert "print" in (output / "crlf.html").read_text(encoding="utf-8")
