"""Images beside their page, built: published at their path below the content folder, shown with
their size, pointed at from a relative path; nothing else beside a page reaches the site, and a
path that names no published file stops the build with one line naming the page and the path."""

from __future__ import annotations

import os
import shutil
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, ROOT, build_site, tree_digest

from guide.build.preview import PreviewState
from guide.build.runner import PREVIEW_OVERRIDES, BuildFailed, build

pytestmark = pytest.mark.build

SECOND = "pages/01-start/02-second.md"
FOLDER = "pages/01-start"


def png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def add_to_body(content, text: str, path: str = SECOND) -> None:
    with open(content / path, "a", encoding="utf-8") as file:
        file.write(f"\n{text}\n")


@pytest.fixture
def with_images(site_copy):
    """The fixture site with an image and a figure folder beside a page, and files that are not images."""
    folder = site_copy / FOLDER
    (folder / "beside.png").write_bytes(png(400, 200))
    (folder / "figures").mkdir()
    (folder / "figures" / "flow.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90 30"/>', encoding="utf-8"
    )
    (folder / "notes.txt").write_text("Not for the site.\n", encoding="utf-8")
    (folder / "script.py").write_text("print('not for the site')\n", encoding="utf-8")
    add_to_body(
        site_copy,
        "![Beside](beside.png) [full size](beside.png)\n\n"
        "![Flow]({static}figures/flow.svg)\n\n"
        '![Square](/images/diagram.svg){ width="20" }',
    )
    return site_copy


def test_images_beside_a_page_are_published_with_their_size_and_nothing_else_is(with_images, tmp_path):
    output = tmp_path / "output"
    result = build_site(with_images, output, strict=True)  # strict: no warning, no broken link either
    assert result.warnings == []

    assert (output / FOLDER / "beside.png").read_bytes() == (with_images / FOLDER / "beside.png").read_bytes()
    assert (output / FOLDER / "figures" / "flow.svg").is_file()
    published = [path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()]
    assert [path for path in published if path.startswith("pages/")] == [f"{FOLDER}/beside.png", f"{FOLDER}/figures/flow.svg"]
    assert not [path for path in published if path.endswith((".md", ".rst", ".txt", ".py")) and path != "robots.txt"]

    soup = BeautifulSoup((output / "second.html").read_text(encoding="utf-8"), "html.parser")
    shown = {img["alt"]: (img["src"], img["width"], img["height"]) for img in soup.select("img[alt]")}
    assert shown["Beside"] == (f"/{FOLDER}/beside.png", "400", "200")
    assert shown["Flow"] == (f"/{FOLDER}/figures/flow.svg", "90", "30")
    assert shown["Square"] == ("/images/diagram.svg", "20", "20")  # the author's width, the file's ratio
    assert soup.find("a", string="full size")["href"] == f"/{FOLDER}/beside.png"

    home = BeautifulSoup((output / "home.html").read_text(encoding="utf-8"), "html.parser")
    [diagram] = home.select('img[src="/images/diagram.svg"]')  # the old place and URL still work
    assert (diagram["width"], diagram["height"]) == ("10", "10")
    assert (output / "images" / "diagram.svg").is_file()


FAULTS = [
    ("a missing image", "![Gone](diagam.svg)", "image diagam.svg: no file pages/01-start/diagam.svg in the content folder"),
    (
        "a missing image in a subfolder",
        "![Gone](figures/flow.png)",
        "image figures/flow.png: no file pages/01-start/figures/flow.png",
    ),
    (
        "a text file beside the page",
        "[notes]({static}notes.txt)",
        "link {static}notes.txt names pages/01-start/notes.txt, which is not an image",
    ),
    (
        "the page's own source",
        "[source]({static}02-second.md)",
        "link {static}02-second.md names pages/01-start/02-second.md, which is not an image",
    ),
    (
        "a path out of the content folder",
        "![x](../../../etc/passwd)",
        "image ../../../etc/passwd leads out of the content folder",
    ),
]


@pytest.mark.parametrize(("text", "words"), [fault[1:] for fault in FAULTS], ids=[fault[0] for fault in FAULTS])
def test_an_image_path_that_names_no_published_file_is_one_line_and_changes_nothing(with_images, previous_output, text, words):
    before = tree_digest(previous_output)
    add_to_body(with_images, text)
    with pytest.raises(BuildFailed) as failure:
        build_site(with_images, previous_output)
    [line] = [str(problem) for problem in failure.value.problems.problems]
    assert line.startswith(f"{with_images / SECOND}: body: {words}"), line
    assert tree_digest(previous_output) == before


def test_a_static_link_out_of_the_content_folder_writes_nothing_anywhere(tmp_path):
    """Pelican would copy ``{static}../../../secret.txt`` to the same place next to its output
    folder: out of it, where no build may write."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site / "content")
    (site / "secret.txt").write_text("TOKEN-never-publish\n", encoding="utf-8")
    add_to_body(site / "content", "[s]({static}../../../secret.txt)")
    beside_output = tmp_path / "out" / "deep"
    beside_output.mkdir(parents=True)
    before = tree_digest(tmp_path)
    with pytest.raises(BuildFailed) as failure:
        build_site(site / "content", beside_output / "output")
    assert "leads out of the content folder" in str(failure.value)
    assert tree_digest(tmp_path) == before
    assert os.listdir(beside_output) == []


def test_serve_shows_a_changed_image_at_its_new_size(with_images, tmp_path):
    state, output = PreviewState(), tmp_path / "output"

    def rebuild():
        overrides = dict(PREVIEW_OVERRIDES, CACHE_PATH=str(tmp_path / "cache"))
        return build(
            str(ROOT / "pelicanconf.py"), content=str(with_images), output=str(output), overrides=overrides, preview=state
        )

    rebuild()
    home_before = (output / "home.html").stat().st_ino
    (with_images / FOLDER / "beside.png").write_bytes(png(300, 300))  # only the image changes
    rebuild()

    assert (output / FOLDER / "beside.png").read_bytes() == png(300, 300)
    soup = BeautifulSoup((output / "second.html").read_text(encoding="utf-8"), "html.parser")
    beside = soup.select_one('img[alt="Beside"]')
    assert (beside["width"], beside["height"]) == ("300", "300")
    assert (output / "home.html").stat().st_ino == home_before, "a page without the image is not rendered again"
