"""Aligned table columns carry a class the theme styles, never an inline style the CSP refuses."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown import Markdown

import pelicanconf


def cells(text: str) -> list[tuple[str, list[str], str | None]]:
    html = Markdown(**pelicanconf.MARKDOWN).convert(text)
    return [(cell.text, cell.get("class", []), cell.get("style")) for cell in BeautifulSoup(html, "html.parser").select("th, td")]


def test_aligned_columns_get_a_class_and_no_style():
    table = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n"
    assert cells(table) == [
        ("a", ["align-left"], None),
        ("b", ["align-center"], None),
        ("c", ["align-right"], None),
        ("d", [], None),
        ("1", ["align-left"], None),
        ("2", ["align-center"], None),
        ("3", ["align-right"], None),
        ("4", [], None),
    ]
