"""Images beside their page (guide/content/page_images.py): which files of the page folders are
published, which {static} links Pelican may follow, what a body's image paths name, and what is
said about those that name nothing the site publishes."""

from __future__ import annotations

import os
import types

import pytest

from guide.content.page_images import (
    PublishedFiles,
    images_beside_pages,
    iter_tags,
    keep_published_links,
    local_reference,
    marker_pattern,
    publish_images_beside_pages,
    reference_problems,
)
from guide.problems import ProblemLog

SETTINGS = {"PAGE_PATHS": ["pages"], "ARTICLE_PATHS": ["blog"], "STATIC_PATHS": ["images", "extra/.nojekyll"]}
MARKERS = marker_pattern({})


@pytest.fixture
def content(tmp_path):
    """A content folder with, beside its pages, images and files that are not."""
    root = tmp_path / "content"
    files = [
        "pages/01-start/01-home.md",
        "pages/01-start/diagram.svg",
        "pages/01-start/photo.JPG",
        "pages/01-start/notes.txt",
        "pages/01-start/.hidden.png",
        "pages/01-start/.cache/old.png",
        "pages/01-start/figures/flow.webp",
        "pages/02-more/anim.gif",
        "blog/launch.md",
        "blog/cover.avif",
        "images/logo.svg",
        "drafts/sketch.png",
    ]
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    return root


def settings_for(content) -> dict:
    return {**SETTINGS, "PATH": str(content), "STATIC_PATHS": list(SETTINGS["STATIC_PATHS"])}


def test_only_the_images_beside_pages_and_posts_are_published(content):
    images, special = images_beside_pages(settings_for(content))
    assert images == [
        "blog/cover.avif",
        "pages/01-start/diagram.svg",
        "pages/01-start/figures/flow.webp",
        "pages/01-start/photo.JPG",
        "pages/02-more/anim.gif",
    ]
    assert special == []


def test_the_images_join_static_paths_one_file_each(content):
    settings = settings_for(content)
    publish_images_beside_pages(settings, ProblemLog())
    assert settings["STATIC_PATHS"][:2] == ["images", "extra/.nojekyll"]
    assert "pages/01-start/diagram.svg" in settings["STATIC_PATHS"]
    assert not [path for path in settings["STATIC_PATHS"] if path.endswith((".md", ".txt"))]


def test_a_pipe_named_like_an_image_is_an_error(content):
    os.mkfifo(content / "pages" / "01-start" / "stream.png")
    settings, log = settings_for(content), ProblemLog()
    publish_images_beside_pages(settings, log)
    [problem] = log.problems
    assert problem.path.endswith(os.path.join("01-start", "stream.png"))
    assert "not a regular file" in problem.message
    assert "pages/01-start/stream.png" not in settings["STATIC_PATHS"]


def test_pelican_follows_only_the_static_links_to_files_the_site_publishes_anyway():
    links = {
        "images/logo.svg",  # below STATIC_PATHS
        "pages/01-start/diagram.svg",  # an image beside a page (STATIC_PATHS names it)
        "pages/01-start/notes.txt",  # beside a page, not an image
        "pages/01-start/01-home.md",  # a page's source
        "../secret.txt",  # out of the content folder
        "images/../../secret.txt",  # the same, written through a published folder
        "/etc/passwd",
        "drafts/sketch.png",  # an image no published folder holds
    }
    generator = types.SimpleNamespace(
        context={"static_links": links},
        settings={"STATIC_PATHS": ["images", "extra/.nojekyll", "pages/01-start/diagram.svg"]},
    )
    keep_published_links(generator)
    assert generator.context["static_links"] == {"images/logo.svg", "pages/01-start/diagram.svg"}


@pytest.mark.parametrize(
    ("value", "is_img", "expected"),
    [
        ("diagram.svg", True, ("relative", "pages/01-start/diagram.svg")),
        ("./figures/flow.webp#top", True, ("relative", "pages/01-start/figures/flow.webp")),
        ("../02-more/anim.gif", True, ("relative", "pages/02-more/anim.gif")),
        ("my%20diagram.svg", True, ("relative", "pages/01-start/my diagram.svg")),
        ("../../../etc/passwd", True, ("relative", None)),
        ("{static}diagram.svg", False, ("static", "pages/01-start/diagram.svg")),
        ("{static}/images/logo.svg", False, ("static", "images/logo.svg")),
        ("|static|diagram.svg", True, ("static", "pages/01-start/diagram.svg")),
        ("{static}/../secret.txt", False, ("static", None)),
        ("{attach}diagram.svg", True, ("attach", "pages/01-start/diagram.svg")),
        ("diagram.svg", False, None),  # a relative link is an image's only
        ("{filename}/pages/01-start/01-home.md", False, None),
        ("/images/logo.svg", True, None),
        ("https://example.org/x.png", True, None),
        ("//cdn.example.org/x.png", True, None),
        ("data:image/png;base64,AAAA", True, None),
        ("#fragment", True, None),
        ("", True, None),
    ],
)
def test_what_a_url_in_a_body_names(value, is_img, expected):
    reference = local_reference(value, "pages/01-start", MARKERS, is_img)
    assert (reference and (reference.how, reference.source)) == expected


def test_tags_in_comments_are_not_tags_and_the_first_of_two_attributes_counts():
    body = '<!-- <img src="a.svg"> --><img src="b.svg" src="c.svg" alt="&lt;x&gt;"><IMG SRC=d.svg><imgx src="e.svg">'
    tags = list(iter_tags(body, "img"))
    assert [tag.attributes["src"].value for tag in tags] == ["b.svg", "d.svg"]
    assert tags[0].attributes["alt"].value == "<x>"
    assert body[tags[1].start : tags[1].end] == "<IMG SRC=d.svg>"


def problems_of(content, body: str, folder: str = "pages/01-start") -> list[str]:
    published = ["images/logo.svg", "pages/01-start/diagram.svg", "pages/02-more/anim.gif"]
    index = types.SimpleNamespace(static_sources={source: f"/{source}" for source in published})
    page = types.SimpleNamespace(relative_dir=folder)
    return reference_problems(page, body, PublishedFiles(index, settings_for(content)))


def test_images_that_name_published_files_are_fine(content):
    body = (
        '<img src="diagram.svg"><img src="../02-more/anim.gif"><img src="{static}diagram.svg">'
        '<a href="{static}/images/logo.svg">logo</a><img src="/images/missing.svg"><a href="notes.txt">n</a>'
    )
    assert problems_of(content, body) == []  # site paths are validation.check_site_links' to check


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            '<img src="diagam.svg">',
            "image diagam.svg: no file pages/01-start/diagam.svg in the content folder (did you mean pages/01-start/diagram.svg?)",
        ),
        ('<img src="../../../etc/passwd">', "image ../../../etc/passwd leads out of the content folder"),
        ('<a href="{static}../../../secret.txt">s</a>', "link {static}../../../secret.txt leads out of the content folder"),
        ('<a href="{static}notes.txt">n</a>', "names pages/01-start/notes.txt, which is not an image"),
        ('<a href="{static}01-home.md">n</a>', "names pages/01-start/01-home.md, which is not an image"),
        (
            '<img src="../../drafts/sketch.png">',
            "names drafts/sketch.png, which the site does not publish; put it beside the page or in content/images/",
        ),
        ('<img src=".hidden.png">', "names pages/01-start/.hidden.png, a hidden file"),
        ('<img src="figures">', "names the folder pages/01-start/figures, not a file"),
        ('<img src="diagram.svg/">', "no file pages/01-start/diagram.svg/ in the content folder"),
        ('<img src="{attach}diagram.svg">', "image {attach}diagram.svg: {attach} would move the file"),
    ],
)
def test_an_image_or_static_link_that_names_no_published_file_says_what_to_do(content, body, words):
    [message] = problems_of(content, body)
    assert words in message
