"""Which of the theme's optional stylesheets and scripts each page and post needs, from its body.

Callouts (``!!!`` admonitions and ``???`` collapsible blocks) and content tabs (``===``) are styled
by stylesheets of their own, and tabs have a script, so that the stylesheet every page loads
(``site.css``) stays small: a page links only what its body uses. What it uses is read once per
build, when the whole site is known (``all_generators_finalized``), from the HTML PyMdown
Extensions wrote, by its class names, so a block written as HTML by hand counts the same.

Each page and post gets ``features`` (a set of names) and ``feature_assets`` (the files the
templates link, ``theme/templates/partials/head.html``). A tab set longer than the stylesheet can
switch is a warning naming the file.

In-page tools are collapsible blocks of the class ``tool`` followed by the tool's name
(``??? tool frame-inspector "Decode a frame"``). Their prose is what a reader without JavaScript
reads; ``site.js`` imports ``js/tools/NAME.js`` the first time the block is opened, so a page
links nothing for them. A tool that talks to a server widens that page's ``connect-src``, and
only that page's. An unknown tool name is an error naming the file.
"""

from __future__ import annotations

import dataclasses
import re

from guide import pelican_internals
from guide.problems import ProblemLog

CALLOUTS = "callouts"
TABS = "tabs"
TOOL_CLASS = "tool"
#: The in-page tools (theme/static/js/tools/NAME.js) -> the connect-src sources a page with it needs.
TOOLS: dict[str, tuple[str, ...]] = {
    "handshake-checker": (),
    "frame-inspector": (),
    "keepalive-planner": (),
    # The echo playground talks to a server on the reader's own machine, never to another host.
    "echo-playground": ("ws://127.0.0.1:*", "ws://localhost:*"),
}
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
    connect_sources: tuple[str, ...] = ()  #: added to 'self' in the page's connect-src, for its tools


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


def tools_of(html: str) -> tuple[str, ...]:
    """The names of the in-page tools a body holds (``<details class="tool NAME">``), in order."""
    names = []
    for tag in _OPENING_TAG.finditer(html):
        classes = _CLASS.search(tag.group(2) or "")
        tokens = classes.group(1).split() if classes else []
        if tag.group(1).lower() == "details" and tokens[:1] == [TOOL_CLASS]:
            names.append(tokens[1] if len(tokens) > 1 else "")
    return tuple(names)


def add_feature_assets(contents: list, problems: ProblemLog) -> None:
    """Give each page or post its ``features``, ``tools`` and ``feature_assets``; report unknown
    tools, and warn about tab sets too long to switch."""
    for content in contents:
        html = pelican_internals.body_html(content) or ""
        content.features = features_of(html)
        content.tools = tools_of(html)
        for name in content.tools:
            if name not in TOOLS:
                known = ", ".join(sorted(TOOLS))
                problems.add(content.source_path, "body", f'unknown tool {name!r} in "??? tool NAME"; the tools are {known}')
        sources = sorted({source for name in content.tools for source in TOOLS.get(name, ())})
        content.feature_assets = dataclasses.replace(assets_for(content.features), connect_sources=tuple(sources))
        for count in oversized_tab_sets(html):
            problems.warn(
                content.source_path,
                "body",
                f"a tab set has {count} tabs, but the theme can show only the first {TABS_PER_SET}: split it into two sets",
            )
