"""reStructuredText posts render inline literals as <code>, like Markdown pages (not the obsolete <tt>)."""

from __future__ import annotations

from helpers import build_site


def test_inline_literals_of_a_rst_post_are_code(site_copy, tmp_path):
    with (site_copy / "blog" / "launch.rst").open("a") as post:
        post.write("\nCall ``await ws.send(message)`` and, with a role, :code:`ws.close()`.\n")
    build_site(site_copy, tmp_path / "out", strict=True)
    html = (tmp_path / "out" / "blog" / "launch.html").read_text()
    assert "<code>await ws.send(message)</code>" in html
    assert "<code>ws.close()</code>" in html
    assert "<tt" not in html
