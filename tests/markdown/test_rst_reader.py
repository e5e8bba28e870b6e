"""reStructuredText posts render inline literals as <code>, like Markdown pages (not the obsolete <tt>),
and with the site's own docutils settings."""

from __future__ import annotations

import pytest
from helpers import build_site

pytestmark = pytest.mark.build


def test_inline_literals_of_a_rst_post_are_code(site_copy, tmp_path):
    with (site_copy / "blog" / "launch.rst").open("a") as post:
        post.write("\nCall ``await ws.send(message)`` and, with a role, :code:`ws.close()`.\n")
    build_site(site_copy, tmp_path / "out", strict=True)
    html = (tmp_path / "out" / "blog" / "launch.html").read_text()
    assert "<code>await ws.send(message)</code>" in html
    assert "<code>ws.close()</code>" in html
    assert "<tt" not in html


def test_the_sites_docutils_settings_still_apply(site_copy, tmp_path):
    """The reader builds docutils' settings itself (to lock the safe ones): the site's own still count."""
    with (site_copy / "blog" / "launch.rst").open("a") as post:
        post.write("\nA section\n=========\n\nText.\n")
    build_site(site_copy, tmp_path / "default", strict=True)
    build_site(site_copy, tmp_path / "h3", strict=True, overrides={"DOCUTILS_SETTINGS": {"initial_header_level": "3"}})
    assert "<h2>A section</h2>" in (tmp_path / "default" / "blog" / "launch.html").read_text()
    assert "<h3>A section</h3>" in (tmp_path / "h3" / "blog" / "launch.html").read_text()
