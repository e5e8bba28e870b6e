"""The sidebar panels in a built site (guide/content/panels.py, theme/templates/partials/panel_*.html):
none by default; with the settings, after the article on every page, never in its first screen,
the form's origin (and only it) in form-action, the sponsor's logo published with its size."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_SITE, build_site

from guide.build.runner import BuildFailed
from guide.site_tools.page_weight import first_screen_end, gzipped_size, page_weight

pytestmark = pytest.mark.build

FORM = {"action": "https://buttondown.com/api/emails/embed-subscribe/guide", "email_field": "email", "hidden": {"embed": "1"}}
SPONSOR = {"name": "Example Inc.", "url": "https://example.com/", "logo": "images/diagram.svg", "width": 120}
PANELS = {"UPDATES_PANEL": True, "UPDATES_FORM": FORM, "SPONSOR_PANEL": SPONSOR}


def csp(html: str) -> dict[str, list[str]]:
    """The page's Content-Security-Policy, directive -> sources."""
    policy = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    return {words[0]: words[1:] for words in (part.split() for part in policy.split(";")) if words}


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


LONG_PAGE = """title: A long page
slug: long
sort-order: 0202
meta: A page longer than its first screen.

""" + "\n\n".join(f"Paragraph {n}: a WebSocket connection starts as an HTTP request and upgrades." for n in range(60))


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    """The fixture site and a page whose article is longer than its first screen."""
    folder = tmp_path_factory.mktemp("panels-content") / "content"
    shutil.copytree(FIXTURE_SITE, folder)
    (folder / "pages" / "02-more" / "02-long.md").write_text(LONG_PAGE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def plain(tmp_path_factory, content) -> Path:
    output = tmp_path_factory.mktemp("no-panels") / "out"
    build_site(content, output, strict=True, search=False)
    return output


@pytest.fixture(scope="module")
def with_panels(tmp_path_factory, content) -> Path:
    output = tmp_path_factory.mktemp("panels") / "out"
    build_site(content, output, strict=True, search=False, overrides=PANELS)
    return output


def test_by_default_no_page_has_a_panel_its_stylesheet_or_another_form_origin(plain):
    for path in pages(plain):
        html = path.read_text("utf-8")
        assert "panel" not in html, path.name
        assert csp(html)["form-action"] == ["'self'"], path.name


def test_every_page_has_both_panels_after_the_article(with_panels):
    for path in pages(with_panels):
        html = path.read_text("utf-8")
        soup = BeautifulSoup(html, "html.parser")
        aside = soup.select_one("div.layout.has-panels > main + aside.panels")
        assert aside is not None, path.name
        assert html.index('<aside class="panels"') > html.index("</main>"), path.name
        form = aside.select_one(".panel-updates form")
        assert (form["action"], form["method"]) == (FORM["action"], "post")
        assert form.select_one('input[type="email"]')["name"] == "email"
        assert form.select_one('input[type="hidden"]').attrs == {"type": "hidden", "name": "embed", "value": "1"}
        link = aside.select_one(".panel-sponsor a")
        assert (link["href"], link.get_text(strip=True)) == (SPONSOR["url"], "Example Inc.")


def test_form_action_allows_exactly_the_forms_origin_and_nothing_else_changes(with_panels, plain):
    for path in pages(with_panels):
        policy, before = csp(path.read_text("utf-8")), csp((plain / path.relative_to(with_panels)).read_text("utf-8"))
        assert policy["form-action"] == ["'self'", "https://buttondown.com"], path.name
        assert {k: v for k, v in policy.items() if k not in ("form-action", "style-src")} == {
            k: v for k, v in before.items() if k not in ("form-action", "style-src")
        }
        assert len(policy["style-src"]) == len(before["style-src"]) + 1  # panels.css, by its hash


def test_the_logo_is_published_with_its_size_in_proportion(with_panels):
    img = BeautifulSoup((with_panels / "index.html").read_text("utf-8"), "html.parser").select_one(".panel-sponsor img")
    assert (with_panels / img["src"].lstrip("/")).read_bytes() == (FIXTURE_SITE / "images" / "diagram.svg").read_bytes()
    svg = (FIXTURE_SITE / "images" / "diagram.svg").read_text("utf-8")
    width, height = (float(n) for n in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert img["width"] == "120"
    assert abs(int(img["height"]) - 120 * height / width) <= 1


def test_panels_are_hidden_in_print_by_the_stylesheet_only_panel_pages_get(with_panels):
    styles = BeautifulSoup((with_panels / "index.html").read_text("utf-8"), "html.parser").find_all("style")
    panels_css = [style.string for style in styles if ".panels" in style.string]
    assert len(panels_css) == 1
    assert "@media print{.panels{display:none}}" in panels_css[0]


def test_the_panels_are_never_in_a_first_screen_and_cost_it_only_their_stylesheet(with_panels, plain):
    """A page with a first screen shorter than its article: the panels come after it, and the
    first screen grows by no more than the inlined panels.css."""
    styles = BeautifulSoup((with_panels / "index.html").read_text("utf-8"), "html.parser").find_all("style")
    panels_css = next(style.string for style in styles if ".panels" in style.string)
    measured = 0
    for path in pages(with_panels):
        html = path.read_text("utf-8")
        end = first_screen_end(html)
        if end >= html.index("</main>"):
            continue  # a short page: its whole HTML is its first screen, panels or not
        measured += 1
        assert html.index('<aside class="panels"') > end, path.name
        growth = (
            page_weight(with_panels, path).first_screen - page_weight(plain, plain / path.relative_to(with_panels)).first_screen
        )
        assert 0 < growth <= gzipped_size(panels_css.encode()) + 100, f"{path.name}: +{growth} bytes"
    assert measured >= 1  # long.html


def test_without_a_form_the_panel_links_to_the_feed_when_the_build_writes_one(tmp_path):
    site = "https://example.github.io/guide"
    output = tmp_path / "out"
    overrides = {"UPDATES_PANEL": True, "SITEURL": site, "FEED_DOMAIN": site, "FEED_ALL_ATOM": "feeds/atom.xml"}
    build_site(FIXTURE_SITE, output, search=False, overrides=overrides)
    soup = BeautifulSoup((output / "index.html").read_text("utf-8"), "html.parser")
    assert soup.select_one(".panel-updates a")["href"] == f"{site}/feeds/atom.xml"
    assert (output / "feeds" / "atom.xml").is_file()
    assert soup.select_one(".panel-updates form") is None
    assert soup.select_one(".panel-sponsor") is None
    assert csp(str(soup))["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        ({"SPONSOR_PANEL": {**SPONSOR, "logo": "images/nope.svg"}}, "SPONSOR_PANEL: 'logo' 'images/nope.svg' in "),
        (
            {"UPDATES_PANEL": True, "UPDATES_FORM": {"action": "http://x.example/s"}},
            "UPDATES_FORM: 'action' 'http://x.example/s' does not",
        ),
        ({"UPDATES_PANEL": True, "UPDATES_FORM": "https://x.example"}, "UPDATES_FORM: 'https://x.example': set it to a dict"),
    ],
)
def test_a_bad_setting_stops_the_build_with_one_line(tmp_path, overrides, line):
    with pytest.raises(BuildFailed) as failed:
        build_site(FIXTURE_SITE, tmp_path / "out", search=False, overrides=overrides)
    lines = failed.value.report().splitlines()
    assert re.match(rf"\S*pelicanconf\.py: {re.escape(line)}", lines[0]), lines
    assert len(lines) == 2  # the problem and the summary
    assert not (tmp_path / "out").exists()
