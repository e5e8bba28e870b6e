"""Callouts and tabs bring their stylesheets (and the tabs script) only to the pages that use them.

Unit tests read the HTML the project's own Markdown settings write; the build tests check a built
site: every-feature.md has all three files (the stylesheets inlined, each allowed by its hash in
the page's Content-Security-Policy), every other page none.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from helpers import EVERY_FEATURE, FIXTURE_SITE, ROOT, add_every_feature_chapter, build_site
from markdown import Markdown

import pelicanconf
from guide.build.theme_assets import csp_hash, expand_positions, make_assets
from guide.content.page_features import (
    CALLOUTS,
    TABS,
    TABS_PER_SET,
    TOOLS,
    FeatureAssets,
    add_feature_assets,
    assets_for,
    features_of,
    tools_of,
)
from guide.problems import ProblemLog

FEATURE_FILES = {"css/callouts.css", "css/tabs.css", "js/tabs.js"}


def html_of(text: str) -> str:
    return Markdown(**pelicanconf.MARKDOWN).convert(text)


def tabs(count: int) -> str:
    return "".join(f'=== "Tab {n}"\n\n    Text {n}.\n\n' for n in range(1, count + 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!! note\n    A note.\n", {CALLOUTS}),
        ('!!! warning "Careful"\n    Text.\n', {CALLOUTS}),
        ('??? tip "Closed"\n    Hidden.\n', {CALLOUTS}),
        ('???+ danger "Open"\n    Shown.\n', {CALLOUTS}),
        ("<details><summary>Raw</summary>Text</details>\n", {CALLOUTS}),
        (tabs(2), {TABS}),
        ('=== "A"\n\n    !!! note\n        Inside a tab.\n', {CALLOUTS, TABS}),
        ("Plain text, a [link](/x.html) and a list:\n\n- one\n- two\n", set()),
        # Written in code, the syntax and the HTML are text: escaped, never a tag.
        ('```text\n!!! note\n=== "A"\n<div class="admonition note"><details>\n```\n', set()),
        ('Inline `<div class="tabbed-set">` and `<details>` code.\n', set()),
        ('<div class="admonitions">not one</div>\n', set()),
    ],
)
def test_features_are_found_in_the_html_markdown_writes(text, expected):
    assert features_of(html_of(text)) == expected


def test_the_sample_page_uses_callouts_and_tabs():
    body = EVERY_FEATURE.read_text(encoding="utf-8").partition("\n\n")[2]
    assert features_of(html_of(body)) == {CALLOUTS, TABS}


def test_each_feature_brings_its_own_files():
    assert assets_for(frozenset()) == FeatureAssets()
    assert assets_for(frozenset({CALLOUTS})) == FeatureAssets(stylesheets=("css/callouts.css",))
    assert assets_for(frozenset({TABS})) == FeatureAssets(stylesheets=("css/tabs.css",), scripts=("js/tabs.js",))
    both = assets_for(frozenset({TABS, CALLOUTS}))
    assert both.stylesheets == ("css/callouts.css", "css/tabs.css")
    assert both.scripts == ("js/tabs.js",)


def test_pages_get_their_assets_and_a_tab_set_too_long_warns():
    pages = [
        SimpleNamespace(_content=html_of(tabs(TABS_PER_SET)), source_path="content/pages/ten.md"),
        SimpleNamespace(_content=html_of(tabs(TABS_PER_SET + 1)), source_path="content/pages/eleven.md"),
        SimpleNamespace(_content=html_of("No blocks.\n"), source_path="content/pages/plain.md"),
    ]
    problems = ProblemLog()
    add_feature_assets(pages, problems)
    assert [page.features for page in pages] == [{TABS}, {TABS}, set()]
    assert pages[2].feature_assets == FeatureAssets()
    assert not problems.errors
    assert [str(p) for p in problems.warnings] == [
        f"warning: content/pages/eleven.md: body: a tab set has {TABS_PER_SET + 1} tabs, but the theme can show "
        f"only the first {TABS_PER_SET}: split it into two sets"
    ]


def test_tools_are_found_by_their_block_and_widen_only_their_pages_connect_src():
    pages = [
        SimpleNamespace(
            _content=html_of(
                '??? tool frame-inspector "Decode a frame"\n    Prose.\n\n??? tool echo-playground "Try it"\n    Prose.\n'
            ),
            source_path="content/pages/tools.md",
        ),
        SimpleNamespace(_content=html_of('??? tip "A plain block"\n    Text.\n'), source_path="content/pages/plain.md"),
        SimpleNamespace(_content=html_of('??? tool frame-inspecter "Typo"\n    Prose.\n'), source_path="content/pages/typo.md"),
    ]
    problems = ProblemLog()
    add_feature_assets(pages, problems)
    assert [page.tools for page in pages] == [("frame-inspector", "echo-playground"), (), ("frame-inspecter",)]
    assert pages[0].feature_assets.connect_sources == tuple(sorted(TOOLS["echo-playground"]))
    assert pages[1].feature_assets.connect_sources == ()
    [error] = problems.errors
    assert str(error).startswith("content/pages/typo.md: body: unknown tool 'frame-inspecter'")


def test_a_tool_block_written_in_code_is_text():
    assert tools_of(html_of('```text\n<details class="tool frame-inspector">\n```\n')) == ()


def test_every_tool_the_build_knows_has_its_module():
    modules = ROOT / "theme" / "static" / "js" / "tools"
    assert {name for name in TOOLS if not (modules / f"{name}.js").is_file()} == set()


def test_selectors_with_n_are_written_for_every_tab_position():
    css = expand_positions("a{x:1}.s>i:nth-child(N):checked~.c>:nth-child(N),.other{y:2}b{z:3}", 3)
    expected = ",".join(f".s>i:nth-child({n}):checked~.c>:nth-child({n})" for n in (1, 2, 3))
    assert css == "a{x:1}" + expected + ",.other{y:2}b{z:3}"


def test_the_tabs_stylesheet_switches_every_position_and_no_more():
    assets = make_assets(str(ROOT / "theme"), "xcode", "lightbulb")
    tabs_css = assets.stylesheets["css/tabs.css"]
    assert "(N)" not in tabs_css
    for n in range(1, TABS_PER_SET + 1):
        shown = f".tabbed-set>input:nth-child({n}):checked~.tabbed-content>:nth-child({n})"
        focused = f".tabbed-set>input:nth-child({n}):focus-visible~.tabbed-labels>:nth-child({n})"
        assert shown in tabs_css, n
        assert focused in tabs_css, n
    assert f"nth-child({TABS_PER_SET + 1})" not in tabs_css
    assert set(assets.versions) == FEATURE_FILES | {"css/site.css", "css/panels.css"}  # panels: guide/content/panels.py
    assert "/*" not in assets.stylesheets["css/callouts.css"]  # minified like site.css


def test_the_stylesheet_every_page_loads_stays_under_4_kib_gzipped():
    """Callouts and tabs live in their own files so that this holds; hl_lines and linenums fit in it."""
    assets = make_assets(str(ROOT / "theme"), pelicanconf.PYGMENTS_LIGHT_STYLE, pelicanconf.PYGMENTS_DARK_STYLE)
    assert len(gzip.compress(assets.stylesheet.encode(), compresslevel=9, mtime=0)) <= 4 * 1024
    assert ".hll{" in assets.stylesheet
    assert ".admonition" not in assets.stylesheet
    assert ".tabbed" not in assets.stylesheet


# --- In a built site ---------------------------------------------------------------------------


THEME_ASSETS = make_assets(str(ROOT / "theme"), pelicanconf.PYGMENTS_LIGHT_STYLE, pelicanconf.PYGMENTS_DARK_STYLE)
STYLESHEET_BY_HASH = {digest: path for path, digest in THEME_ASSETS.style_hashes.items()}


def theme_files(page: Path) -> dict[str, str]:
    """The theme files a page has: each inlined stylesheet (path -> its CSP hash, which the page's
    policy must list) and each script (path under theme/ -> its ?v= version)."""
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    policy = html.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    allowed_styles = re.search(r"style-src ([^;]*)", policy).group(1).split()
    found = {}
    for style in html.find_all("style"):
        digest = csp_hash(style.string)
        assert f"'{digest}'" in allowed_styles, f"{page.name}: an inline style its CSP does not allow"
        found[STYLESHEET_BY_HASH[digest]] = digest
    assert len(allowed_styles) == 1 + len(found), f"{page.name}: {allowed_styles}"  # 'self' and theirs, no more
    assert not html.find_all("link", rel="stylesheet"), f"{page.name}: a render-blocking stylesheet"
    for script in html.find_all("script", src=True):
        match = re.fullmatch(r"/theme/([^?]+)(?:\?v=(\w+))?", script["src"])
        assert match, f"{page.name}: unexpected script URL {script['src']}"
        found[match.group(1)] = match.group(2)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture site, with every-feature.md as a third chapter and a callout in the Markdown post."""
    root = tmp_path_factory.mktemp("page-features")
    content = root / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_every_feature_chapter(content)
    with open(content / "guide.toml", "a", encoding="utf-8") as toml:
        toml.write('03 = "Authoring"\n')
    with open(content / "blog" / "notes.md", "a", encoding="utf-8") as post:
        post.write('\n!!! tip "In a post"\n    Posts have callouts too.\n')
    output = root / "output"
    build_site(content, output, strict=True, search=False)
    return output


@pytest.mark.build
def test_only_pages_with_callouts_or_tabs_have_their_files(built):
    links = {page.relative_to(built).as_posix(): theme_files(page) for page in sorted(built.rglob("*.html"))}
    assert set(links["every-feature.html"]) >= FEATURE_FILES
    assert "css/callouts.css" in links["blog/notes.html"]
    assert "css/tabs.css" not in links["blog/notes.html"]
    others = {name: sorted(FEATURE_FILES & set(files)) for name, files in links.items()}
    del others["every-feature.html"], others["blog/notes.html"]
    assert "home.html" in others
    assert "index.html" in others
    assert "blog/launch.html" in others
    assert {name: files for name, files in others.items() if files} == {}
    assert all("css/site.css" in files for files in links.values())


@pytest.mark.build
def test_the_files_are_written_as_inlined_and_versioned_by_their_bytes(built):
    """The stylesheets are also written as files (for THEME_STYLESHEETS = "linked"), minified."""
    files = theme_files(built / "every-feature.html")
    assert files["js/tabs.js"] == hashlib.sha256((built / "theme/js/tabs.js").read_bytes()).hexdigest()[:10]
    for path in ("css/site.css", "css/callouts.css", "css/tabs.css"):
        assert csp_hash((built / "theme" / path).read_text(encoding="utf-8")) == files[path], path
    tabs_css = (built / "theme" / "css" / "tabs.css").read_text(encoding="utf-8")
    assert "(N)" not in tabs_css
    assert "nth-child(2):checked" in tabs_css
    assert "/*" not in tabs_css


@pytest.mark.build
def test_a_tab_set_longer_than_the_theme_shows_warns_with_its_file(site_copy, tmp_path):
    page = site_copy / "pages" / "01-start" / "02-second.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + tabs(TABS_PER_SET + 2), encoding="utf-8")
    result = build_site(site_copy, tmp_path / "output", search=False)
    messages = [str(w) for w in result.warnings]
    assert any("02-second.md: body: a tab set has 12 tabs" in m for m in messages), messages
