"""Icons of the "what's next" cards: the theme's own, then Font Awesome Free's (by its v6 names,
its aliases and its Font Awesome 4 names), from the committed data file that `invoke icons`
writes. The generator runs on a tiny fake package, so no test needs the 87 MB one."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build_site, replace

from guide.content import icons as icons_module
from guide.content.front_matter import icon_name
from guide.content.icons import FA_DATA_FILE, Icons, style_of
from guide.site_tools import fontawesome

DATA = ROOT / "theme" / "icons" / FA_DATA_FILE
HOME = "pages/01-start/01-home.md"
SECOND = "pages/01-start/02-second.md"


def committed_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def path_of(svg: str) -> str:
    return re.search(r'<path d="([^"]*)"', svg)[1]


# --- The generator, on a fake package ------------------------------------------------------


def shape(path: str, box=(0, 0, 512, 512)) -> dict:
    """One style of an icon as the package's metadata/icons.json has it (with what we leave out)."""
    return {
        "last_modified": 1,
        "raw": f'<svg><path d="{path}"/></svg>',
        "viewBox": list(box),
        "width": box[2],
        "height": box[3],
        "path": path,
    }


FAKE_ICONS = {
    "user": {
        "aliases": {"names": ["person-x"], "unicodes": {"primary": ["f007"]}},
        "search": {"terms": ["avatar-term"]},
        "label": "User",
        "free": ["solid", "regular"],
        "svg": {"solid": shape("M1 1", (0, 0, 448, 512)), "regular": shape("M2 2", (0, 0, 448, 512))},
    },
    "gauge-high": {"aliases": {"names": ["tachometer-alt"]}, "free": ["solid"], "svg": {"solid": shape("M3 3")}},
    "gauge": {"aliases": {"names": ["dashboard"]}, "free": ["solid"], "svg": {"solid": shape("M4 4")}},
    "hard-drive": {"free": ["solid", "regular"], "svg": {"solid": shape("M5 5"), "regular": shape("M6 6")}},
    "css3": {"free": ["brands"], "svg": {"brands": shape("M7 7")}},
    "pro-only": {"free": [], "svg": {"light": shape("M8 8")}},
}
FAKE_SHIMS = [
    ["dashboard", None, "gauge-high"],  # a v4 name that is also a v6 alias of another icon
    ["hdd-o", "far", "hard-drive"],
    ["css3", "fab", None],
    [61440, "fas", "gauge"],  # a font code point, not a name
    ["gone-o", "far", "not-in-the-set"],
]


@pytest.fixture
def fake_package(tmp_path):
    folder = tmp_path / "site-packages" / "fontawesomefree" / "static" / "fontawesomefree"
    (folder / "metadata").mkdir(parents=True)
    (folder / "svgs" / "solid").mkdir(parents=True)
    (folder / "metadata" / "icons.json").write_text(json.dumps(FAKE_ICONS))
    (folder / "metadata" / "shims.json").write_text(json.dumps(FAKE_SHIMS))
    (folder / "svgs" / "solid" / "user.svg").write_text(
        '<svg viewBox="0 0 448 512"><!--! Font Awesome Free 9.9.9 by @fontawesome - FAKE NOTICE --><path d="M1 1"/></svg>'
    )
    (folder / "LICENSE.txt").write_text("FAKE LICENCE TEXT\n")
    return folder


@pytest.fixture
def fake_theme(tmp_path, fake_package):
    """A theme whose icons folder holds one drawn icon and the data written from the fake package."""
    icons = tmp_path / "theme" / "icons"
    icons.mkdir(parents=True)
    (icons / "cubes.svg").write_text('<svg class="icon" viewBox="0 0 24 24"><path d="THEME"/></svg>\n')
    fontawesome.write_icon_data(str(fake_package), "9.9.9", str(icons))
    return tmp_path / "theme"


def test_generator_keeps_outlines_aliases_and_v4_names_and_drops_the_rest(fake_theme):
    text = (fake_theme / "icons" / FA_DATA_FILE).read_text()
    data = json.loads(text)
    assert (data["package"], data["version"]) == ("fontawesomefree", "9.9.9")
    assert "FAKE NOTICE" in data["notice"]
    for left_out in ("raw", "last_modified", "avatar-term", "User", "pro-only", "M8 8", "61440", "gone-o"):
        assert left_out not in text, left_out
    assert len(text.splitlines()) > len(FAKE_ICONS)  # one entry a line: a refresh reads as a diff


def test_generated_data_draws_names_aliases_and_v4_names(fake_theme):
    icons = Icons(str(fake_theme))
    drawn = {name: path_of(icons.svg(name)) for name in ("user", "person-x", "tachometer-alt", "hdd-o", "css3")}
    assert drawn == {"user": "M1 1", "person-x": "M1 1", "tachometer-alt": "M3 3", "hdd-o": "M6 6", "css3": "M7 7"}
    assert path_of(icons.svg("user", "regular")) == "M2 2"
    assert path_of(icons.svg("user", "brands")) == "M1 1"  # a style the icon lacks: its default one
    assert path_of(icons.svg("gauge")) == "M4 4"
    assert path_of(icons.svg("dashboard")) == "M3 3"  # its v4 icon, not the v6 alias's
    assert icons.svg("pro-only") is None
    assert icons.svg("gone-o") is None


def test_generated_licence_names_cc_by_and_keeps_the_package_licence(fake_theme):
    licence = (fake_theme / "icons" / fontawesome.LICENCE_FILE).read_text()
    for words in ("CC BY 4.0", "9.9.9", "FAKE LICENCE TEXT"):
        assert words in licence


def test_generator_names_a_package_it_cannot_read(fake_package, tmp_path):
    (fake_package / "metadata" / "shims.json").unlink()
    with pytest.raises(fontawesome.IconDataError) as error:
        fontawesome.write_icon_data(str(fake_package), "9.9.9", str(tmp_path))
    assert "shims.json" in str(error.value)
    assert "\n" not in str(error.value)
    assert not (tmp_path / FA_DATA_FILE).exists()


# --- The lookup ----------------------------------------------------------------------------


def test_the_themes_own_icon_wins(fake_theme):
    assert path_of(Icons(str(fake_theme)).svg("cubes")) == "THEME"
    real = Icons(str(ROOT / "theme"))
    assert "book" in real.fa_names()["icons"]  # Font Awesome draws a book too
    assert real.svg("book") == (ROOT / "theme" / "icons" / "book.svg").read_text().strip()


def test_the_data_file_is_read_only_for_a_name_the_theme_does_not_draw(fake_theme, monkeypatch):
    def unread(path):
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(icons_module, "load_fa_data", unread)
    icons = Icons(str(fake_theme))
    assert path_of(icons.svg("cubes")) == "THEME"
    assert icons.svg("") is None
    with pytest.raises(AssertionError):
        icons.svg("user")


def test_font_awesome_icons_get_the_theme_icons_attributes_and_attribution():
    icons = Icons(str(ROOT / "theme"))
    theme = BeautifulSoup(icons.svg("book"), "html.parser").svg
    fa = BeautifulSoup(icons.svg("cubes"), "html.parser").svg
    for attribute in ("class", "width", "height", "aria-hidden", "focusable"):
        assert fa[attribute] == theme[attribute], attribute
    assert fa["fill"] == "currentColor"
    _, _, outline_width, outline_height = (float(n) for n in committed_data()["icons"]["cubes"]["solid"][0].split())
    x, y, width, height = (float(n) for n in fa["viewbox"].split())
    assert width == height  # square, as the theme's 24x24, with a margin around the outline
    assert (x, y) < (0, 0)
    assert x + width > outline_width
    assert y + height > outline_height
    assert "Font Awesome Free 6" in icons.svg("cubes")
    assert "CC BY 4.0" in icons.svg("cubes")


def test_unknown_name_has_a_suggestion():
    icons = Icons(str(ROOT / "theme"))
    assert not icons.draws("pencil-sqare-o")
    message = icons.unknown_message("pencil-sqare-o")
    assert "fa-pencil-sqare-o is not a Font Awesome Free icon" in message
    assert "(did you mean fa-pencil-square-o?)" in message
    assert "\n" not in message


def test_missing_data_file_leaves_the_themes_icons_and_says_what_to_do(tmp_path):
    (tmp_path / "icons").mkdir()
    shutil.copy(ROOT / "theme" / "icons" / "book.svg", tmp_path / "icons")
    icons = Icons(str(tmp_path))
    assert icons.draws("book")
    assert not icons.draws("cubes")
    assert "python3 tasks.py icons" in icons.unknown_message("cubes")


def test_style_classes_pick_the_style_and_are_not_taken_for_names():
    assert [style_of(c) for c in ("far fa-user", "fa-brands fa-css3", "fa-user", "fa fa-hdd-o")] == ["regular", "brands", "", ""]
    assert [icon_name(c) for c in ("fa-solid fa-user fa-xl", "fa-regular fa-2xl fa-user", "fa fa-hdd-o fa-fw")] == [
        "user",
        "user",
        "hdd-o",
    ]


# --- The committed data file ---------------------------------------------------------------


def test_committed_data_is_the_pinned_version():
    pinned = fontawesome.pinned_version(str(ROOT / "pyproject.toml"))
    assert pinned
    assert committed_data()["version"] == pinned
    assert pinned in (ROOT / "theme" / "icons" / fontawesome.LICENCE_FILE).read_text()


def test_every_name_in_the_committed_data_draws_its_icon(tmp_path):
    """Each icon, alias and v4 name, through a theme with no drawn icons of its own."""
    (tmp_path / "icons").mkdir()
    shutil.copy(DATA, tmp_path / "icons")
    data, icons = committed_data(), Icons(str(tmp_path))
    expected = {name: {p for _, p in styles.values()} for name, styles in data["icons"].items()}
    expected |= {alias: expected[target] for alias, target in data["aliases"].items() if alias not in data["shims"]}
    for old, (target, style) in data["shims"].items():
        if old not in data["icons"]:  # a name that is a v6 icon's draws that icon
            shapes = data["icons"][target]
            expected[old] = {shapes[style][1]} if style else {next(iter(shapes.values()))[1]}
    assert len(expected) == len(set(data["icons"]) | set(data["aliases"]) | set(data["shims"]))
    wrong = [name for name, paths in expected.items() if path_of(icons.svg(name) or '<path d="">') not in paths]
    assert wrong == []
    for name in (
        "dashboard",
        "file-text",
        "hdd-o",
        "pencil-square-o",
        "bar-chart-o",
        "inbox",
        "css3",
        "html5",
        "linux",
        "cubes",
        "user",
    ):
        assert icons.draws(name), name  # the original site's Font Awesome 4 names


# --- A build ---------------------------------------------------------------------------------


@pytest.mark.build
def test_build_draws_font_awesome_4_and_6_names_without_a_warning(site_copy, tmp_path):
    replace(HOME, "choice1icon: fa-play fa-inverse", "choice1icon: fa fa-hdd-o")(site_copy)
    replace(HOME, "choice2icon: fa-book", "choice2icon: fa-solid fa-cubes")(site_copy)
    replace(HOME, "choice4icon: fa-link", "choice4icon: fab fa-html5 fa-lg")(site_copy)

    result = build_site(site_copy, tmp_path / "out", strict=True)

    assert result.warnings == []
    data = committed_data()["icons"]
    home = BeautifulSoup((tmp_path / "out" / "home.html").read_text(encoding="utf-8"), "html.parser")
    drawn = [card.svg.path["d"] for card in home.select(".choices a")]
    assert drawn == [data["hard-drive"]["regular"][1], data["cubes"]["solid"][1], data["html5"]["brands"][1]]
    second = (tmp_path / "out" / "second.html").read_text(encoding="utf-8")
    assert (ROOT / "theme" / "icons" / "refresh.svg").read_text().strip() in second
    assert "Font Awesome" not in second  # inlined only where a page uses one
