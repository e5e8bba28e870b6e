"""A content tree cannot publish files from outside it through symbolic links, nor hold a build with a huge page."""

from __future__ import annotations

import pytest
from helpers import build_site, tree_digest

from guide.build.runner import BuildFailed

pytestmark = pytest.mark.build


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("images/logo.svg", "{outside}/secret.txt"),
        ("pages/01-start/03-leak.md", "{outside}/secret.txt"),
        ("images/more", "{outside}"),
    ],
)
def test_a_symbolic_link_out_of_the_content_is_an_error_and_nothing_leaks(link, target, site_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("title: t\nslug: leak\nsort-order: 0103\nmeta: m\n\nTOKEN-4f9a\n")
    output = tmp_path / "output"
    build_site(site_copy, output)
    before = tree_digest(output)
    (site_copy / link).symlink_to(target.format(outside=outside))
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, output)
    assert f"{site_copy / link}: file: a symbolic link to {outside}" in failure.value.report()
    assert tree_digest(output) == before
    assert not any("TOKEN-4f9a" in path.read_text(errors="replace") for path in output.rglob("*") if path.is_file())


def test_a_symbolic_link_inside_the_content_is_fine(site_copy, tmp_path):
    (site_copy / "images" / "same-diagram.svg").symlink_to(site_copy / "images" / "diagram.svg")
    build_site(site_copy, tmp_path / "output", strict=True)
    assert (tmp_path / "output" / "images" / "same-diagram.svg").is_file()


def test_a_page_over_the_size_limit_is_an_error_before_anything_is_read(site_copy, tmp_path):
    output = tmp_path / "output"
    build_site(site_copy, output)
    before = tree_digest(output)
    huge = site_copy / "pages/01-start/03-huge.md"
    huge.write_text("title: Huge\nslug: huge\nsort-order: 0103\nmeta: m\n\n" + "word " * 220_000)
    with pytest.raises(BuildFailed) as failure:
        build_site(site_copy, output)
    [line, _] = failure.value.report().splitlines()
    assert line == f"{huge}: file: 1.0 MiB; a page or post may have at most 1 MiB: split it into several pages"
    assert tree_digest(output) == before
