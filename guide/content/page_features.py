"""Which of the theme's optional stylesheets and scripts each page and post needs, from its body.

Callouts (``!!!`` admonitions and ``???`` collapsible blocks) and content tabs (``===``) are styled
by stylesheets of their own, and tabs have a script, so that the stylesheet every page loads
(``site.css``) stays small: a page links only what its body uses. What it uses is read once per
build, when the whole site is known (``all_generators_finalized``), from the HTML PyMdown
Extensions wrote, by its class names, so a block written as HTML by hand counts the same.

Each page and post gets ``features`` (a set of names) and ``feature_assets`` (the files the
templates link, ``theme/templates/partials/head.html``). A tab set longer than the stylesheet can
switch is a warning naming the file.
"""

from __future__ import annotations

import dataclasses
import re

from guide import pelican_internals
from guide.problems import ProblemLog

CALLOUTS = "callouts"
TABS = "tabs"
#: What a page that uses a feature loads: paths under the theme's static folder, in this order.
ASSETS = {CALLOUTS: ("css/callouts.css",), TABS: ("css/tabs.css", "js/tabs.js")}
#: The most tabs one set may have: tabs.css shows tab N when radio button N is checked, and CSS
#: cannot count, so the build writes those rules once per position (guide/build/theme_assets.py).
TABS_PER_SET = 10

#: An opening <div> or <details> tag and its attributes (bodies are HTML Python-Markdown wrote:
#: attribute values are quoted, and a tag written in a code block is escaped, never a tag).
_OPENING_TAG = re.compile(r"<(div|details)(\s[^>]*)?>", re.IGNORECASE)
_CLASS = re.compile(r'\sclass="([^"]*)"')
#: pymdownx.tabbed writes data-tabs="SET:TABS" on each tab set.
_TAB_COUNT = re.compile(r'\sdata-tabs="\d+:(\d+)"')


@dataclasses.dataclass(frozen=True)
class FeatureAssets:
    """The theme files one page links beyond those every page links."""

    stylesheets: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()  #: loaded with defer


def features_of(html: str) -> frozenset[str]:
    """The features a body's HTML uses: callouts (``div.admonition``, any ``<details>``), tabs (``div.tabbed-set``)."""
    found = set()
    for tag in _OPENING_TAG.finditer(html):
        name, attributes = tag.group(1).lower(), tag.group(2) or ""
        classes = _CLASS.search(attributes)
        tokens = classes.group(1).split() if classes else []
        if name == "details" or "admonition" in tokens:
            found.add(CALLOUTS)
        if name == "div" and "tabbed-set" in tokens:
            found.add(TABS)
    return frozenset(found)


def assets_for(features: frozenset[str]) -> FeatureAssets:
    """The stylesheets and scripts those features need, in the order of :data:`ASSETS`."""
    files = [path for feature, paths in ASSETS.items() if feature in features for path in paths]
    return FeatureAssets(
        stylesheets=tuple(path for path in files if path.endswith(".css")),
        scripts=tuple(path for path in files if path.endswith(".js")),
    )


def oversized_tab_sets(html: str) -> list[int]:
    """How many tabs each set has that has more than :data:`TABS_PER_SET`."""
    counts = (int(match.group(1)) for match in _TAB_COUNT.finditer(html))
    return [count for count in counts if count > TABS_PER_SET]


def add_feature_assets(contents: list, problems: ProblemLog) -> None:
    """Give each page or post its ``features`` and ``feature_assets``; warn about tab sets too long to switch."""
    for content in contents:
        html = pelican_internals.body_html(content) or ""
        content.features = features_of(html)
        content.feature_assets = assets_for(content.features)
        for count in oversized_tab_sets(html):
            problems.warn(
                content.source_path,
                "body",
                f"a tab set has {count} tabs, but the theme can show only the first {TABS_PER_SET}: split it into two sets",
            )
