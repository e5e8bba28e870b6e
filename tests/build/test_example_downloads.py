"""Example downloads: each page with tested blocks links a zip of exactly those blocks.

The fixture site gets a page with two tested blocks (a Python echo server and a browser client)
and a console block; the real guide is built once for the checks that need every page. The
blocks are read back with the parser the example tests use (:func:`iter_fences`), the pins with
:mod:`tomllib` from pyproject.toml, independently of the module under test.
"""

from __future__ import annotations

import io
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT, build_site

from guide.build import example_downloads
from guide.build.link_check import check_site
from guide.build.preview import PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, build
from guide.markdown.code_fences import iter_fences

PAGE = "pages/01-start/03-echo.md"
ECHO_PAGE = """title: Echo
slug: echo
sort-order: 0103
meta: A page with two tested blocks.

Run the server, then the client:

```python {test="fixture-echo-server" title="server/echo_server.py"}
import asyncio

from websockets.asyncio.server import serve


async def echo(websocket):
    async for message in websocket:
        await websocket.send(message)


async def main():
    async with serve(echo, "localhost", 8765) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
```

```javascript {test="fixture-echo-client"}
const socket = new WebSocket("ws://localhost:8765/");
```

```console
$ python -m pip install websockets==17.4
$ python server/echo_server.py &
$ curl http://localhost:8765/
```
"""
LINK_RE = re.compile(
    r'<p class="example-download"[^>]*><a href="(?P<href>[^"]+)"[^>]*>Download this page\'s examples \((?P<files>\d+) files?, (?P<kb>[\d.]+) KB zip\)</a> · tested with websockets (?P<ws>[\d.]+) on Python (?P<py>[\d.]+)</p>'
)


def pyproject_pins() -> dict[str, str]:
    with open(ROOT / "pyproject.toml", "rb") as file:
        extras = tomllib.load(file)["project"]["optional-dependencies"]
    pins = {}
    for extra in ("examples", *sorted(extras)):
        for requirement in extras[extra]:
            name, version = requirement.split("==")
            pins.setdefault(name.lower(), version)
    return pins


def blocks_marked_tested(source: Path) -> list:
    return [fence for fence in iter_fences(source.read_text(encoding="utf-8")) if fence.test_id]


def link_on(page: Path) -> re.Match | None:
    return LINK_RE.search(page.read_text(encoding="utf-8"))


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def requirement_lines(members: dict[str, bytes]) -> dict[str, str]:
    text = next(data for name, data in members.items() if name.endswith("/requirements.txt")).decode()
    return dict(line.split("==") for line in text.splitlines() if line and not line.startswith("#"))


# Without a build.


def test_the_same_files_give_the_same_bytes_whatever_their_order():
    one = example_downloads.zip_bytes({"b.py": "print(2)\n", "a.py": "print(1)\n"})
    other = example_downloads.zip_bytes({"a.py": "print(1)\n", "b.py": "print(2)\n"})
    assert one == other
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == ["a.py", "b.py"]
    assert {(info.date_time, info.external_attr >> 16 & 0o777, info.compress_type) for info in infos} == {
        ((1980, 1, 1, 0, 0, 0), 0o644, zipfile.ZIP_DEFLATED)
    }


def test_the_python_it_names_is_the_one_the_ci_runs():
    workflow = (ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert re.findall(r'python-version:\s*"([\d.]+)"', workflow) == [example_downloads.TESTED_PYTHON]


@pytest.mark.parametrize(
    ("command", "file", "names"),
    [
        ("python app.py &", "app.py", True),
        ("uvicorn app:app --port 8765", "app.py", True),
        ("daphne chatproj.asgi:application", "chatproj/asgi.py", True),
        ("HOST=127.0.0.1 python drain_server.py", "drain_server.py", True),
        ("python myapp.py", "app.py", False),
        ("uvicorn chat_app:app", "app.py", False),
        ("cat app.py.bak", "app.py", False),
    ],
)
def test_a_command_belongs_to_the_file_it_names(command, file, names):
    words = example_downloads.command_words(command)
    assert example_downloads.names_file(words, file) is names


def test_a_title_that_would_write_outside_the_folder_is_replaced(tmp_path):
    from guide.problems import ProblemLog

    source = tmp_path / "page.md"
    source.write_text('```python {test="escape" title="../evil.py"}\nprint(1)\n```\n', encoding="utf-8")
    problems = ProblemLog()
    files = example_downloads.example_files(str(source), blocks_marked_tested(source), problems)
    assert [f.name for f in files] == ["escape.py"]
    assert "../evil.py" in str(problems.warnings[0])


# The fixture site, with a page of two tested blocks.


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory):
    from helpers import FIXTURE_SITE

    root = tmp_path_factory.mktemp("downloads")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    (content / PAGE).write_text(ECHO_PAGE, encoding="utf-8")
    build_site(content, root / "one", strict=True)  # strict: a broken link to a zip would fail it
    build_site(content, root / "two", strict=True)
    return content, root / "one", root / "two"


@pytest.mark.build
def test_a_page_with_tested_blocks_links_its_zip(fixture_build):
    _content, output, _ = fixture_build
    link = link_on(output / "echo.html")
    assert link, "echo.html shows no download line"
    assert link["href"] == "/downloads/echo-examples.zip"
    archive = output / "downloads" / "echo-examples.zip"
    assert archive.is_file()
    assert link["files"] == "2"
    assert float(link["kb"]) == pytest.approx(archive.stat().st_size / 1024, abs=0.05)
    assert (link["ws"], link["py"]) == (pyproject_pins()["websockets"], "3.11")


@pytest.mark.build
def test_the_zip_holds_the_blocks_byte_for_byte(fixture_build):
    content, output, _ = fixture_build
    members = zip_members(output / "downloads" / "echo-examples.zip")
    blocks = blocks_marked_tested(content / PAGE)
    expected = {"echo-examples/server/echo_server.py": blocks[0].code, "echo-examples/fixture-echo-client.js": blocks[1].code}
    assert {name: members[name] for name in expected} == {name: code.encode() for name, code in expected.items()}
    assert set(members) == {*expected, "echo-examples/requirements.txt", "echo-examples/README.txt"}
    assert requirement_lines(members) == {"websockets": pyproject_pins()["websockets"]}
    readme = members["echo-examples/README.txt"].decode()
    assert "$ python server/echo_server.py &" in readme  # the page's own command for that file
    assert "curl" not in readme
    assert "pip install websockets" not in readme
    assert f"Tested with websockets {pyproject_pins()['websockets']} on Python 3.11." in readme


@pytest.mark.build
def test_two_builds_write_the_same_zips(fixture_build):
    _, one, two = fixture_build
    zips = sorted(path.name for path in (one / "downloads").iterdir())
    assert zips == ["echo-examples.zip", "home-examples.zip"]  # home.md has one tested block
    assert all((one / "downloads" / name).read_bytes() == (two / "downloads" / name).read_bytes() for name in zips)


@pytest.mark.build
def test_a_page_without_tested_blocks_has_no_link(fixture_build):
    content, output, _ = fixture_build
    assert not blocks_marked_tested(content / "pages/01-start/02-second.md")
    assert link_on(output / "second.html") is None
    assert 'class="example-download"' not in (output / "second.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_the_link_check_sees_a_missing_zip(fixture_build, tmp_path):
    _, output, _ = fixture_build
    site = tmp_path / "site"
    shutil.copytree(output, site)
    assert check_site(site) == []
    (site / "downloads" / "echo-examples.zip").unlink()
    assert [(b.page, b.url) for b in check_site(site)] == [("echo.html", "/downloads/echo-examples.zip")]


@pytest.mark.build
def test_the_link_follows_siteurl(tmp_path, site_copy):
    (site_copy / PAGE).write_text(ECHO_PAGE, encoding="utf-8")
    output = tmp_path / "published"
    build_site(site_copy, output, overrides={"SITEURL": "https://example.org/guide"})
    assert link_on(output / "echo.html")["href"] == "https://example.org/guide/downloads/echo-examples.zip"
    readme = zip_members(output / "downloads" / "echo-examples.zip")["echo-examples/README.txt"].decode()
    assert "https://example.org/guide/echo.html" in readme


@pytest.mark.build
def test_a_preview_rebuild_keeps_and_rewrites_the_zips(tmp_path, site_copy):
    (site_copy / PAGE).write_text(ECHO_PAGE, encoding="utf-8")
    state, output = PreviewState(), tmp_path / "output"
    overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(tmp_path / "cache"))

    def rebuild():
        build(str(ROOT / "pelicanconf.py"), content=str(site_copy), output=str(output), overrides=overrides, preview=state)

    rebuild()
    first = (output / "downloads" / "echo-examples.zip").read_bytes()
    second_page = site_copy / "pages/01-start/02-second.md"
    second_page.write_text(second_page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    rebuild()  # another page changed: the zip is still there, the same
    assert (output / "downloads" / "echo-examples.zip").read_bytes() == first
    page = site_copy / PAGE
    page.write_text(
        page.read_text(encoding="utf-8").replace("await websocket.send(message)", "await websocket.send(message)  # back"),
        encoding="utf-8",
    )
    rebuild()  # the block changed: the zip and the page's line follow
    members = zip_members(output / "downloads" / "echo-examples.zip")
    assert b"# back" in members["echo-examples/server/echo_server.py"]
    link = link_on(output / "echo.html")
    assert float(link["kb"]) == pytest.approx((output / "downloads" / "echo-examples.zip").stat().st_size / 1024, abs=0.05)


# The real guide.


@pytest.fixture(scope="module")
def guide_build(tmp_path_factory):
    output = tmp_path_factory.mktemp("guide") / "site"
    build_site(ROOT / "content", output)
    return output


def guide_pages_with_tests() -> dict[str, list]:
    """Source file -> its tested blocks, for every page of the guide that has some."""
    found = {}
    for source in sorted((ROOT / "content" / "pages").rglob("*.md")):
        blocks = blocks_marked_tested(source)
        if blocks:
            found[source] = blocks
    return found


def slug_of(source: Path) -> str:
    return re.search(r"^slug:\s*(\S+)", source.read_text(encoding="utf-8"), re.MULTILINE)[1]


@pytest.mark.build
def test_every_guide_page_with_tested_blocks_offers_them(guide_build):
    pages = guide_pages_with_tests()
    assert pages
    pins = pyproject_pins()
    extensions = {"python": ".py", "javascript": ".js", "nginx": ".conf"}  # as tests/examples/harness.py names files
    for source, blocks in pages.items():
        slug = slug_of(source)
        link = link_on(guide_build / f"{slug}.html")
        assert link, f"{source}: no download line"
        assert link["href"] == f"/downloads/{slug}-examples.zip", source
        members = zip_members(guide_build / "downloads" / f"{slug}-examples.zip")
        folder = f"{slug}-examples/"
        expected = {folder + (b.title or f"{b.test_id}{extensions.get(b.lang, '.txt')}"): b.code.encode() for b in blocks}
        assert {name: members.get(name) for name in expected} == expected, source
        for name, version in requirement_lines(members).items():
            assert pins.get(name, version) == version, f"{source}: {name}=={version}, pyproject pins {pins.get(name)}"
    linked = {path.name for path in guide_build.glob("*.html") if link_on(path)}
    assert linked == {f"{slug_of(source)}.html" for source in pages}  # and no page without tested blocks


@pytest.mark.build
@pytest.mark.examples
def test_the_first_pages_echo_server_runs_from_its_zip(guide_build, tmp_path):
    client = pytest.importorskip("websockets.sync.client", reason="needs the `examples` extra (websockets)")
    archive = guide_build / "downloads" / "websockets-examples.zip"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(tmp_path)
    script = tmp_path / "websockets-examples" / "echo_server.py"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script.write_text(re.sub(r"\b8765\b", str(port), script.read_text(encoding="utf-8")), encoding="utf-8")  # as the harness does
    server = subprocess.Popen([sys.executable, str(script)], cwd=script.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with client.connect(f"ws://localhost:{port}", open_timeout=2) as websocket:
                    websocket.send("hello from the zip")
                    assert websocket.recv(timeout=5) == "hello from the zip"
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the echo server never listened"
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
